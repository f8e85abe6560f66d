"""Publication: the copy of the warehouse that the dashboard reads, replaced atomically.

DuckDB lets one process hold a file for writing while every other open of it fails, so the
dashboard never opens the warehouse: it reads a separate copy that the asset
``out_published_snapshot`` writes to a temporary file and then moves into place with
``os.replace``. A reader sees the previous copy or the new one, never a half-written state.

Each publication has a version, ``AAAAMMJJ-HHMMSS``: the UTC second it was published at,
kept in its ``publication`` table and strictly increasing from one publication to the next.
After each publication, :func:`archive_editions` keeps the *edition* of the millésimes it
holds, in ``<published dir>/millesimes/<millésime>.duckdb`` (:func:`edition_path`): the
edition of a millésime M is a copy of the last publication in which M was the most recent
millésime scored, so that a reuser can read M's figures as they were published then, after
later publications have corrected them.
"""

import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import NamedTuple

import duckdb

from schemas.vocabulary import ERROR, REJECTED

#: Folder of the editions, beside the published copy.
EDITIONS_FOLDER = "millesimes"
#: How a version is written: the UTC second of the publication.
VERSION_FORMAT = "%Y%m%d-%H%M%S"


def version_of(published_at: datetime) -> str:
    """The version of a publication made at ``published_at`` (naive UTC): ``AAAAMMJJ-HHMMSS``."""
    return published_at.strftime(VERSION_FORMAT)


def publication_time(previous: datetime | None, now: datetime) -> datetime:
    """When a publication made at ``now`` is dated (naive UTC): ``now``, or one second after
    ``previous`` (the publication it replaces) when both fall in the same second or the clock
    went back, so that no two publications share a version and versions only grow."""
    if previous is not None and now.replace(microsecond=0) <= previous.replace(microsecond=0):
        return previous.replace(microsecond=0) + timedelta(seconds=1)
    return now


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def write_snapshot(
    con: duckdb.DuckDBPyConnection,
    tables: Iterable[str],
    path: Path,
    run_id: str,
    previous: datetime | None = None,
) -> None:
    """Copy ``tables`` from the open warehouse ``con`` into a new DuckDB file at ``path``,
    with its ``publication`` row (``published_at``, ``run_id``, ``version``), dated now or
    just after ``previous``, the publication it is to replace (:func:`publication_time`)."""
    path.unlink(missing_ok=True)
    published_at = publication_time(previous, _now())
    con.execute("ATTACH ? AS snapshot", [str(path)])
    try:
        for table in tables:
            con.execute(f"CREATE TABLE snapshot.{table} AS SELECT * FROM main.{table}")
        con.execute(
            "CREATE TABLE snapshot.publication AS "
            "SELECT ?::TIMESTAMP AS published_at, ? AS run_id, ? AS version",
            [published_at, run_id, version_of(published_at)],
        )
    finally:
        con.execute("DETACH snapshot")


def _previous_time(target: Path) -> datetime | None:
    previous = read_publication(target)
    return previous.published_at if previous else None


def candidate_path(target: Path, run_id: str) -> Path:
    """Where the copy a run is about to publish at ``target`` waits, between the check of
    its size and its publication (a hidden name: never read as the published copy)."""
    return target.with_name(f".{target.name}.{run_id}.candidate")


def publish_snapshot(
    con: duckdb.DuckDBPyConnection, tables: Iterable[str], target: Path, run_id: str
) -> int:
    """Copy ``tables`` from the open warehouse ``con`` into ``target`` atomically.

    The copy the run's size check wrote (:func:`write_candidate`, dated and versioned when
    it was written) is published byte for byte as it was measured: the tables are written
    once per run, not twice. Without one, the copy is written here. Candidates other runs
    left behind are removed. Returns the size in bytes of the published file.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    candidate = candidate_path(target, run_id)
    if candidate.exists():
        partial = candidate
    else:
        partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
        write_snapshot(con, tables, partial, run_id, _previous_time(target))
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
        write_snapshot(con, tables, candidate, run_id, _previous_time(target))
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


class Publication(NamedTuple):
    """The ``publication`` row of a published copy (or of an edition)."""

    published_at: datetime
    run_id: str
    version: str


def read_publication(path: Path) -> Publication | None:
    """The ``publication`` row of the copy at ``path``; ``None`` when there is no readable
    copy. A copy written before versions existed gets the version of its date."""
    if not path.exists():
        return None
    try:
        with duckdb.connect(str(path), read_only=True) as con:
            cursor = con.execute("SELECT * FROM publication LIMIT 1")
            columns = [column[0] for column in cursor.description]
            values = cursor.fetchone()
    except duckdb.Error:
        return None
    if values is None:
        return None
    row = dict(zip(columns, values, strict=True))
    published_at = row["published_at"]
    if published_at is None:
        return None  # not a copy this pipeline published: it always dates its copies
    return Publication(
        published_at, str(row["run_id"]), row.get("version") or version_of(published_at)
    )


def last_publication(published: Path) -> tuple[datetime, str] | None:
    """When the snapshot at ``published`` was published and by which run; ``None`` when
    there is no readable snapshot."""
    publication = read_publication(published)
    return None if publication is None else (publication.published_at, publication.run_id)


# --- Editions: the last publication of each millésime --------------------------------------


def editions_dir(published: Path) -> Path:
    """The folder of the editions of the copy published at ``published``:
    ``<published dir>/millesimes/``."""
    return published.parent / EDITIONS_FOLDER


def edition_path(published: Path, millesime: int) -> Path:
    """The edition of ``millesime`` kept beside the copy published at ``published``:
    ``<published dir>/millesimes/<millésime>.duckdb``."""
    return editions_dir(published) / f"{int(millesime)}.duckdb"


def archived_millesimes(published: Path) -> list[int]:
    """The millésimes that have an edition beside ``published``, oldest first."""
    folder = editions_dir(published)
    if not folder.is_dir():
        return []
    return sorted(int(p.stem) for p in folder.glob("*.duckdb") if p.stem.isdigit())


def millesimes_to_archive(scored: Iterable[int], archived: Iterable[int]) -> list[int]:
    """Which editions a publication holding the scores of ``scored`` writes, when the
    millésimes ``archived`` already have one.

    The most recent millésime scored is always written: this publication is, so far, the
    last in which it is the most recent. An older one is written only when it has no edition
    yet (first seen already past: the first publication holding it is its edition), and is
    never rewritten after.
    """
    scored = sorted({int(m) for m in scored})
    if not scored:
        return []
    archived = {int(m) for m in archived}
    return [m for m in scored if m == scored[-1] or m not in archived]


def scored_millesimes(published: Path) -> list[int]:
    """The millésimes with scores in the copy at ``published`` (none when it has no scores)."""
    try:
        with duckdb.connect(str(published), read_only=True) as con:
            rows = con.execute(
                "SELECT DISTINCT millesime FROM territory_scores ORDER BY millesime"
            ).fetchall()
    except duckdb.CatalogException:
        return []
    return [int(row[0]) for row in rows]


def _copy_atomically(source: Path, target: Path) -> None:
    """Copy ``source`` to ``target`` through a temporary file, fsynced, then moved into
    place: a reader of ``target`` sees the previous file or the new one, whole."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        with open(source, "rb") as reader, open(partial, "wb") as writer:
            shutil.copyfileobj(reader, writer, 1 << 20)
            writer.flush()
            os.fsync(writer.fileno())
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    folder = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(folder)  # the rename itself survives a crash
    finally:
        os.close(folder)


def archive_editions(published: Path) -> list[int]:
    """Keep the editions of the copy just published at ``published`` (see
    :func:`millesimes_to_archive`); returns the millésimes whose edition it wrote.

    Each edition is the published file as it is (its ``publication`` row with version and
    date, its ``methodology_versions``, every millésime it holds). Editions of millésimes no
    longer published are kept: a figure once published stays available as it was.
    """
    written = millesimes_to_archive(scored_millesimes(published), archived_millesimes(published))
    for millesime in written:
        _copy_atomically(published, edition_path(published, millesime))
    return written
