"""Files of one ingestion are recorded in one transaction: all of them, or none."""

from __future__ import annotations

import duckdb
import pytest

from domain.submissions.archive import archive_bytes, archived_files, record_all_archived


def test_files_are_recorded_together_and_identical_bytes_once(tmp_path):
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    first = archive_bytes(b"a;b\n", "un.csv", tmp_path / "archive")
    same = archive_bytes(b"a;b\n", "un_renvoye.csv", tmp_path / "archive")
    other = archive_bytes(b"c;d\n", "deux.csv", tmp_path / "archive")
    assert record_all_archived(con, [first, same, other]) == [True, False, True]
    assert record_all_archived(con, [other]) == [False]
    assert [f.file_name for f in archived_files(con)] == ["un.csv", "deux.csv"]


def test_a_failure_records_none_of_the_files(tmp_path):
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    good = archive_bytes(b"a;b\n", "un.csv", tmp_path / "archive")
    broken = archive_bytes(b"c;d\n", "deux.csv", tmp_path / "archive")
    broken = type(broken)(**{**broken.__dict__, "received_at": "pas une date"})
    with pytest.raises(duckdb.Error):
        record_all_archived(con, [good, broken])
    assert archived_files(con) == []
    assert record_all_archived(con, [good]) == [True]  # the connection is usable again
