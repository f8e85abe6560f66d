"""Publication: the copy of the warehouse that the dashboard reads, replaced atomically.

DuckDB lets one process hold a file for writing while every other open of it fails, so the
dashboard never opens the warehouse: it reads a separate copy that the asset
``out_published_snapshot`` writes to a temporary file and then moves into place with
``os.replace``. A reader sees the previous copy or the new one, never a half-written state.
"""

import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from schemas.vocabulary import ERROR, REJECTED


def write_snapshot(
    con: duckdb.DuckDBPyConnection, tables: Iterable[str], path: Path, run_id: str
) -> None:
    """Copy ``tables`` from the open warehouse ``con`` into a new DuckDB file at ``path``."""
    path.unlink(missing_ok=True)
    con.execute("ATTACH ? AS snapshot", [str(path)])
    try:
        for table in tables:
            con.execute(f"CREATE TABLE snapshot.{table} AS SELECT * FROM main.{table}")
        con.execute(
            "CREATE TABLE snapshot.publication AS SELECT ?::TIMESTAMP AS published_at, ? AS run_id",
            [datetime.now(UTC).replace(tzinfo=None), run_id],
        )
    finally:
        con.execute("DETACH snapshot")


def candidate_path(target: Path, run_id: str) -> Path:
    """Where the copy a run is about to publish at ``target`` waits, between the check of
    its size and its publication (a hidden name: never read as the published copy)."""
    return target.with_name(f".{target.name}.{run_id}.candidate")


def publish_snapshot(
    con: duckdb.DuckDBPyConnection, tables: Iterable[str], target: Path, run_id: str
) -> int:
    """Copy ``tables`` from the open warehouse ``con`` into ``target`` atomically.

    The copy the run's size check wrote (:func:`write_candidate`) is published as it is,
    with the time of publication: the tables are written once per run, not twice. Without
    one, the copy is written here. Candidates other runs left behind are removed. Returns
    the size in bytes of the published file.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    candidate = candidate_path(target, run_id)
    if candidate.exists():
        with duckdb.connect(str(candidate)) as copy:
            copy.execute(
                "UPDATE publication SET published_at = ?",
                [datetime.now(UTC).replace(tzinfo=None)],
            )
        partial = candidate
    else:
        partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
        write_snapshot(con, tables, partial, run_id)
    with open(partial, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(partial, target)
    for stale in target.parent.glob(f".{target.name}.*.candidate"):
        stale.unlink(missing_ok=True)
    return target.stat().st_size


def write_candidate(
    con: duckdb.DuckDBPyConnection, tables: Iterable[str], target: Path, run_id: str
) -> int:
    """Size in bytes the published copy of ``tables`` would have now, measured by writing it.

    The copy is kept beside ``target`` for the run's publication (:func:`publish_snapshot`)
    when every table is in the warehouse; tables not yet there (a first run that does not
    build them) are left out of a copy that is then deleted.
    """
    tables = list(tables)
    existing = {
        row[0]
        for row in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()"
        ).fetchall()
    }
    target.parent.mkdir(parents=True, exist_ok=True)
    present = [t for t in tables if t in existing]
    if len(present) == len(tables):
        candidate = candidate_path(target, run_id)
        write_snapshot(con, tables, candidate, run_id)
        return candidate.stat().st_size
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".size-check-") as scratch:
        trial = Path(scratch) / "snapshot.duckdb"
        write_snapshot(con, present, trial, run_id)
        return trial.stat().st_size


def discard_candidate(target: Path, run_id: str) -> None:
    """Remove the copy a run will not publish (refused by its size check)."""
    candidate_path(target, run_id).unlink(missing_ok=True)


@dataclass(frozen=True)
class PublicationSummary:
    """What a publication holds, for the end of a refresh."""

    #: (status, number of files), by status.
    files: list[tuple[str, int]]
    #: (millésime, territories scored).
    scored: list[tuple[int, int]]
    #: (file name, line or None, French message) of each error of each rejected file.
    rejections: list[tuple[str, int | None, str]]
    #: Achievement sheets published, and the territories that wrote them.
    achievements: tuple[int, int] = (0, 0)


def publication_summary(published: Path) -> PublicationSummary:
    """Files by status, territories scored by millésime and the rejections of a snapshot."""
    with duckdb.connect(str(published), read_only=True) as con:
        files = con.execute(
            "SELECT status, count(*) FROM submission_files GROUP BY status ORDER BY status"
        ).fetchall()
        scored = con.execute(
            "SELECT millesime, count(*) FROM territory_scores GROUP BY millesime ORDER BY millesime"
        ).fetchall()
        rejections = con.execute(
            """SELECT f.file_name, i.line, i.message FROM validation_issues i
               JOIN submission_files f USING (sha256)
               WHERE f.status = ? AND i.severity = ?
               ORDER BY f.file_name, i.line NULLS LAST""",
            [REJECTED, ERROR],
        ).fetchall()
        achievements = con.execute(
            "SELECT count(*), count(DISTINCT territory) FROM achievements"
        ).fetchone()
    return PublicationSummary(files, scored, rejections, achievements)


def last_publication(published: Path) -> tuple[datetime, str] | None:
    """When the snapshot at ``published`` was published and by which run; ``None`` when
    there is no readable snapshot."""
    try:
        with duckdb.connect(str(published), read_only=True) as con:
            row = con.execute("SELECT published_at, run_id FROM publication").fetchone()
    except duckdb.Error:
        return None
    return (row[0], row[1]) if row else None
