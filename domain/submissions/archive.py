"""The archive: every received file kept byte for byte under its SHA-256, before it is read."""

import hashlib
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb

#: Times shown to territories are in Paris time.
PARIS = ZoneInfo("Europe/Paris")

#: Suffixes kept on archived files; anything else is archived as ``.bin``.
ARCHIVED_SUFFIXES = {".csv", ".txt", ".tsv", ".xlsx", ".md"}


@dataclass(frozen=True)
class ArchivedFile:
    """A received file, stored under its SHA-256."""

    sha256: str
    file_name: str
    received_at: datetime
    size_bytes: int
    archive_path: str
    submitter: str


def archive_path_of(archive_dir: Path, sha256: str, file_name: str) -> Path:
    """Where bytes of this hash are archived: the hash and a known suffix, never user input."""
    suffix = Path(file_name).suffix.lower()
    return archive_dir / sha256[:2] / f"{sha256}{suffix if suffix in ARCHIVED_SUFFIXES else '.bin'}"


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
    target = archive_path_of(archive_dir, sha256, file_name)
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


def first_received_at(content: bytes, archive_dir: Path) -> datetime | None:
    """When these very bytes were first archived (UTC, naive, as ``received_at``), or ``None``.

    That is the modification time of the archived copy, written once and never rewritten
    (whatever the suffix it was archived under).
    """
    sha256 = hashlib.sha256(content).hexdigest()
    times = [path.stat().st_mtime for path in (archive_dir / sha256[:2]).glob(f"{sha256}.*")]
    if not times:
        return None
    return datetime.fromtimestamp(min(times), UTC).replace(tzinfo=None)


def in_paris_time(moment: datetime) -> str:
    """``"le 30/11/2026 à 10:05 (heure de Paris)"`` of a naive UTC time, as territories read it."""
    local = moment.replace(tzinfo=UTC).astimezone(PARIS)
    return f"le {local:%d/%m/%Y} à {local:%H:%M} (heure de Paris)"


def already_received_message(received_at: datetime) -> str:
    """``"Fichier déjà reçu le 30/11/2026 à 10:05 …"``, in Paris time, for bytes sent again."""
    return (
        f"Fichier déjà reçu {in_paris_time(received_at)} : ce sont "
        "exactement les mêmes octets, ils ne sont pas enregistrés une seconde fois et ne "
        "remplacent pas un dépôt fait depuis. Pour modifier vos réponses, déposez le fichier "
        "corrigé."
    )


def archive_file(
    source: Path,
    archive_dir: Path,
    submitter: str = "dépôt",
    file_name: str | None = None,
    received_at: datetime | None = None,
) -> ArchivedFile:
    """Archive the file at ``source`` as :func:`archive_bytes` does, streamed: a file copied
    by hand into the inbox may be of any size, and is kept whole without being held whole in
    memory (reading it is refused later, from its size)."""
    digest = hashlib.sha256()
    with open(source, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    sha256 = digest.hexdigest()
    target = archive_path_of(archive_dir, sha256, file_name or source.name)
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.partial")
        with open(source, "rb") as origin, open(partial, "wb") as copy:
            shutil.copyfileobj(origin, copy, 1 << 20)
            copy.flush()
            os.fsync(copy.fileno())
        os.replace(partial, target)
    return ArchivedFile(
        sha256=sha256,
        file_name=file_name or source.name,
        received_at=received_at or datetime.now(UTC).replace(tzinfo=None),
        size_bytes=target.stat().st_size,
        archive_path=str(target),
        submitter=submitter,
    )


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


def record_all_archived(
    con: duckdb.DuckDBPyConnection, archived: Sequence[ArchivedFile]
) -> list[bool]:
    """Record archived files in ``raw_submission_files`` in one transaction: one commit for
    them all, not one (and its write to disk) per file. For each file, ``False`` when its
    bytes were already received (before, or earlier in ``archived``)."""
    con.execute(RAW_FILES_DDL)
    con.execute("BEGIN TRANSACTION")
    try:
        known = {
            sha
            for (sha,) in con.execute(
                "SELECT sha256 FROM raw_submission_files WHERE list_contains(?, sha256)",
                [[file.sha256 for file in archived]],
            ).fetchall()
        }
        recorded, new = [], []
        for file in archived:
            recorded.append(file.sha256 not in known)
            if recorded[-1]:
                known.add(file.sha256)
                new.append(file)
        if new:  # one statement for them all: a row at a time costs ~2 ms each
            con.execute(
                "INSERT INTO raw_submission_files SELECT * FROM (SELECT unnest(?), unnest(?), "
                "unnest(?::TIMESTAMP[]), unnest(?), unnest(?), unnest(?))",
                [
                    [getattr(file, name) for file in new]
                    for name in (
                        "sha256",
                        "file_name",
                        "received_at",
                        "size_bytes",
                        "archive_path",
                        "submitter",
                    )
                ],  # fmt: skip
            )
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")
    return recorded


def archived_files(con: duckdb.DuckDBPyConnection) -> list[ArchivedFile]:
    """Every archived file, oldest first."""
    con.execute(RAW_FILES_DDL)
    files = con.execute("SELECT * FROM raw_submission_files ORDER BY received_at, file_name").df()
    return [ArchivedFile(**record) for record in files.to_dict("records")]
