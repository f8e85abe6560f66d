"""The inbox: files deposited for the pipeline, each with a JSON sidecar of its metadata."""

import json
from datetime import datetime
from pathlib import Path

from domain.submissions.archive import ArchivedFile, archive_bytes, write_atomically

SIDECAR_SUFFIX = ".meta.json"


def deposit_submission(
    content: bytes, file_name: str, submitter: str, incoming_dir: Path, archive_dir: Path
) -> ArchivedFile:
    """Archive a received file, then place it in the inbox for the pipeline with its metadata.

    The inbox copy is named after the arrival time and the hash, never after user input; the
    original name, the submitter and the arrival time travel in a JSON sidecar.
    """
    archived = archive_bytes(content, file_name, archive_dir, submitter)
    stamp = archived.received_at.strftime("%Y%m%dT%H%M%S%f")
    stored = incoming_dir / f"{stamp}-{archived.sha256[:16]}{Path(archived.archive_path).suffix}"
    metadata = {
        "file_name": file_name,
        "submitter": submitter,
        "received_at": archived.received_at.isoformat(),
    }
    write_atomically(
        stored.with_name(stored.name + SIDECAR_SUFFIX),
        json.dumps(metadata, ensure_ascii=False).encode(),
    )
    write_atomically(stored, content)
    return archived


def waiting_files(incoming: Path) -> list[Path]:
    """Files waiting in the inbox, oldest first (sidecars and partial writes excluded)."""
    if not incoming.exists():
        return []
    files = [
        p
        for p in incoming.iterdir()
        if p.is_file() and not p.name.startswith(".") and not p.name.endswith(SIDECAR_SUFFIX)
    ]
    return sorted(files, key=lambda p: (p.stat().st_mtime, p.name))


def read_sidecar(path: Path) -> dict:
    """Metadata deposited beside an inbox file, or an empty dict (files copied by hand)."""
    sidecar = path.with_name(path.name + SIDECAR_SUFFIX)
    try:
        metadata = json.loads(sidecar.read_text(encoding="utf-8"))
        return {
            "file_name": str(metadata["file_name"]),
            "submitter": str(metadata["submitter"]),
            "received_at": datetime.fromisoformat(metadata["received_at"]),
        }
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def remove_from_inbox(path: Path) -> None:
    """Remove a file and its sidecar from the inbox (once archived and recorded)."""
    path.unlink()
    path.with_name(path.name + SIDECAR_SUFFIX).unlink(missing_ok=True)
