"""The archive: every received file kept byte for byte under its SHA-256, before it is read."""

import hashlib
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

#: Suffixes kept on archived files; anything else is archived as ``.bin``.
ARCHIVED_SUFFIXES = {".csv", ".txt", ".tsv", ".xlsx"}


@dataclass(frozen=True)
class ArchivedFile:
    """A received file, stored under its SHA-256."""

    sha256: str
    file_name: str
    received_at: datetime
    size_bytes: int
    archive_path: str
    submitter: str


def archive_bytes(
    content: bytes,
    file_name: str,
    archive_dir: Path,
    submitter: str = "dépôt",
    received_at: datetime | None = None,
) -> ArchivedFile:
    """Store ``content`` in the archive under its SHA-256, atomically; identical bytes are kept once.

    The archived name never comes from the user: it is the hash and a known suffix.
    """
    sha256 = hashlib.sha256(content).hexdigest()
    suffix = Path(file_name).suffix.lower()
    target = (
        archive_dir / sha256[:2] / f"{sha256}{suffix if suffix in ARCHIVED_SUFFIXES else '.bin'}"
    )
    if not target.exists():
        write_atomically(target, content)
    return ArchivedFile(
        sha256=sha256,
        file_name=file_name,
        received_at=received_at or datetime.now(UTC).replace(tzinfo=None),
        size_bytes=len(content),
        archive_path=str(target),
        submitter=submitter,
    )


def archive_file(source: Path, archive_dir: Path, submitter: str = "dépôt") -> ArchivedFile:
    """Archive the file at ``source`` (see :func:`archive_bytes`)."""
    return archive_bytes(source.read_bytes(), source.name, archive_dir, submitter)


def write_atomically(target: Path, content: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    with open(partial, "wb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, target)


RAW_FILES_DDL = """
    CREATE TABLE IF NOT EXISTS raw_submission_files (
        sha256 VARCHAR PRIMARY KEY,
        file_name VARCHAR NOT NULL,
        received_at TIMESTAMP NOT NULL,
        size_bytes BIGINT NOT NULL,
        archive_path VARCHAR NOT NULL,
        submitter VARCHAR NOT NULL
    )
"""


def record_archived(con: duckdb.DuckDBPyConnection, archived: ArchivedFile) -> bool:
    """Record an archived file in ``raw_submission_files``; ``False`` when its bytes were
    already received (identical files are kept once)."""
    con.execute(RAW_FILES_DDL)
    inserted = con.execute(
        "INSERT INTO raw_submission_files VALUES (?, ?, ?, ?, ?, ?) "
        "ON CONFLICT DO NOTHING RETURNING sha256",
        [
            archived.sha256, archived.file_name, archived.received_at,
            archived.size_bytes, archived.archive_path, archived.submitter,
        ],
    ).fetchall()  # fmt: skip
    return bool(inserted)


def archived_files(con: duckdb.DuckDBPyConnection) -> list[ArchivedFile]:
    """Every archived file, oldest first."""
    con.execute(RAW_FILES_DDL)
    files = con.execute("SELECT * FROM raw_submission_files ORDER BY received_at, file_name").df()
    return [ArchivedFile(**record) for record in files.to_dict("records")]
