"""The publication: the copy checked for its size is the copy published, moved into place."""

from __future__ import annotations

import duckdb

from domain.publication import (
    candidate_path,
    discard_candidate,
    last_publication,
    publish_snapshot,
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
