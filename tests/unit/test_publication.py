"""The publication: the copy checked for its size is the copy published, moved into place;
its version; the editions it keeps of its millésimes."""

from __future__ import annotations

from datetime import datetime, timedelta

import duckdb

from domain.publication import (
    archive_editions,
    archived_millesimes,
    candidate_path,
    discard_candidate,
    edition_path,
    editions_dir,
    last_publication,
    millesimes_to_archive,
    publication_time,
    publish_snapshot,
    read_publication,
    version_of,
    write_candidate,
)

TABLES = ["scores", "files"]


def warehouse() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE scores AS SELECT range AS territory, range * 2 AS score FROM range(50)"
    )
    con.execute("CREATE TABLE files AS SELECT 'a.csv' AS file_name")
    return con


def hidden_files(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_the_checked_copy_is_published_without_being_written_again(tmp_path):
    target = tmp_path / "published" / "observatoire.duckdb"
    con = warehouse()
    size = write_candidate(con, TABLES, target, "run-1")
    candidate = candidate_path(target, "run-1")
    assert candidate.stat().st_size == size and not target.exists()
    checked_at = candidate.stat().st_ino

    publish_snapshot(con, TABLES, target, "run-1")
    # The same file, moved into place (os.replace keeps the inode), nothing left beside it.
    assert target.stat().st_ino == checked_at
    assert hidden_files(target.parent) == []
    published_at, run_id = last_publication(target)
    assert run_id == "run-1" and published_at is not None
    with duckdb.connect(str(target), read_only=True) as copy:
        assert copy.execute("SELECT count(*), sum(score) FROM scores").fetchone() == (50, 2450)


def test_a_run_without_a_checked_copy_writes_its_own_and_clears_stale_ones(tmp_path):
    target = tmp_path / "observatoire.duckdb"
    con = warehouse()
    write_candidate(con, TABLES, target, "dead-run")  # a run that died before publishing
    write_candidate(con, TABLES, target, "refused-run")
    discard_candidate(target, "refused-run")  # refused by its size check
    assert hidden_files(tmp_path) == [candidate_path(target, "dead-run").name]

    con.execute("INSERT INTO files VALUES ('b.csv')")
    publish_snapshot(con, TABLES, target, "run-2")
    assert hidden_files(tmp_path) == []
    assert last_publication(target)[1] == "run-2"
    with duckdb.connect(str(target), read_only=True) as copy:
        assert copy.execute("SELECT count(*) FROM files").fetchone() == (2,)


def test_tables_missing_from_the_warehouse_are_measured_but_never_kept(tmp_path):
    target = tmp_path / "observatoire.duckdb"
    size = write_candidate(warehouse(), [*TABLES, "not_yet_built"], target, "run-3")
    assert size > 0
    assert list(tmp_path.iterdir()) == []


# --- Versions and editions ------------------------------------------------------------------


def test_versions_are_the_second_of_publication_and_only_grow():
    first = datetime(2026, 11, 30, 10, 56, 29, 400_000)
    assert version_of(first) == "20261130-105629"
    assert publication_time(None, first) == first
    # Two publications in the same second, or a clock set back: one second after the last.
    assert version_of(publication_time(first, first.replace(microsecond=900_000))) == (
        "20261130-105630"
    )
    assert publication_time(first, first - timedelta(hours=1)) == datetime(2026, 11, 30, 10, 56, 30)
    later = first + timedelta(minutes=5)
    assert publication_time(first, later) == later


def test_successive_publications_get_growing_versions(tmp_path):
    target = tmp_path / "observatoire.duckdb"
    con = warehouse()
    versions = []
    for run in ("run-1", "run-2", "run-3"):
        publish_snapshot(con, TABLES, target, run)
        versions.append(read_publication(target).version)
    assert versions == sorted(set(versions))
    assert read_publication(target).run_id == "run-3"


def test_a_copy_published_before_versions_gets_the_version_of_its_date(tmp_path):
    target = tmp_path / "observatoire.duckdb"
    with duckdb.connect(str(target)) as con:
        con.execute(
            "CREATE TABLE publication AS "
            "SELECT TIMESTAMP '2026-01-05 08:09:10.5' AS published_at, 'old-run' AS run_id"
        )
    assert read_publication(target).version == "20260105-080910"


def test_which_editions_a_publication_writes():
    assert millesimes_to_archive([], []) == []
    assert millesimes_to_archive([2024], []) == [2024]
    # The most recent is always rewritten; an older one only when it has no edition yet.
    assert millesimes_to_archive([2024, 2025], [2024]) == [2025]
    assert millesimes_to_archive([2023, 2024, 2025], [2024, 2025]) == [2023, 2025]
    # 2025 withdrawn: 2024 is the most recent again, its edition follows this publication.
    assert millesimes_to_archive([2024], [2024, 2025]) == [2024]


def publish(published, version: str, scores: dict[int, float]) -> None:
    """Stand in for a publication: a copy holding ``scores`` (millésime → index of the one
    territory) and its ``publication`` row, moved into place."""
    partial = published.with_name("partial.duckdb")
    partial.unlink(missing_ok=True)
    published_at = datetime.strptime(version, "%Y%m%d-%H%M%S")
    with duckdb.connect(str(partial)) as con:
        con.execute("CREATE TABLE territory_scores (millesime INTEGER, global_index DOUBLE)")
        con.executemany("INSERT INTO territory_scores VALUES (?, ?)", list(scores.items()))
        con.execute(
            "CREATE TABLE methodology_versions AS SELECT * FROM (VALUES "
            "(2024, 'v1'), (2025, 'v2')) t(millesime, version)"
        )
        con.execute(
            "CREATE TABLE publication AS SELECT ?::TIMESTAMP AS published_at, "
            "'run' AS run_id, ? AS version",
            [published_at, version],
        )
    partial.replace(published)


def edition(published, millesime: int) -> tuple[str, dict[int, float]]:
    with duckdb.connect(str(edition_path(published, millesime)), read_only=True) as con:
        version = con.execute("SELECT version FROM publication").fetchone()[0]
        scores = dict(con.execute("SELECT * FROM territory_scores").fetchall())
    return version, scores


def test_the_edition_of_a_millesime_is_the_last_publication_where_it_was_the_latest(tmp_path):
    published = tmp_path / "published" / "observatoire.duckdb"
    published.parent.mkdir()
    assert editions_dir(published) == tmp_path / "published" / "millesimes"
    assert edition_path(published, 2024) == editions_dir(published) / "2024.duckdb"

    publish(published, "20240601-120000", {2024: 40.0})
    assert archive_editions(published) == [2024]
    assert edition(published, 2024) == ("20240601-120000", {2024: 40.0})

    # A correction while 2024 is still the latest: its edition follows.
    publish(published, "20240701-120000", {2024: 41.0})
    assert archive_editions(published) == [2024]
    assert edition(published, 2024) == ("20240701-120000", {2024: 41.0})

    publish(published, "20250601-120000", {2024: 41.0, 2025: 50.0})
    assert archive_editions(published) == [2025]
    assert edition(published, 2024) == ("20240701-120000", {2024: 41.0})
    assert edition(published, 2025) == ("20250601-120000", {2024: 41.0, 2025: 50.0})

    # A correction of 2024 once 2025 is out: the current copy changes, 2024's edition not.
    publish(published, "20250901-120000", {2024: 45.0, 2025: 50.0})
    assert archive_editions(published) == [2025]
    assert edition(published, 2024) == ("20240701-120000", {2024: 41.0})
    assert edition(published, 2025)[0] == "20250901-120000"
    with duckdb.connect(str(published), read_only=True) as con:
        current = con.execute("SELECT global_index FROM territory_scores WHERE millesime = 2024")
        assert current.fetchone() == (45.0,)
    # Each edition is a whole publication: its methodology versions with it.
    with duckdb.connect(str(edition_path(published, 2024)), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM methodology_versions").fetchone() == (2,)
    assert archived_millesimes(published) == [2024, 2025]
    assert not [p for p in editions_dir(published).iterdir() if p.name.startswith(".")]


def test_a_millesime_first_published_when_already_past_keeps_its_first_copy(tmp_path):
    published = tmp_path / "observatoire.duckdb"
    publish(published, "20250601-120000", {2025: 50.0})
    assert archive_editions(published) == [2025]
    # 2023's answers arrive late: it is past already, this first copy is its edition.
    publish(published, "20250701-120000", {2023: 30.0, 2025: 50.0})
    assert archive_editions(published) == [2023, 2025]
    publish(published, "20250801-120000", {2023: 33.0, 2025: 51.0})
    assert archive_editions(published) == [2025]
    assert edition(published, 2023) == ("20250701-120000", {2023: 30.0, 2025: 50.0})


def test_a_publication_without_scores_archives_nothing(tmp_path):
    published = tmp_path / "observatoire.duckdb"
    with duckdb.connect(str(published)) as con:
        con.execute("CREATE TABLE publication AS SELECT now() AS published_at")
    assert archive_editions(published) == []
    assert not editions_dir(published).exists()
