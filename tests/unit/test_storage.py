"""Warehouse writes: whole tables, or the rows of some millésimes, all or nothing."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from domain.storage import replace_rows, replace_table


def rows(con, table):
    return con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall()


def test_replacing_a_millesime_leaves_the_others_and_a_failure_changes_nothing():
    con = duckdb.connect()
    replace_table(con, "scores", pd.DataFrame({"millesime": [2024, 2025], "score": [1.0, 2.0]}))
    replace_rows(con, "scores", pd.DataFrame({"millesime": [2025], "score": [9.0]}), [2025])
    assert rows(con, "scores") == [(2024, 1.0), (2025, 9.0)]

    with pytest.raises(duckdb.BinderException):
        replace_rows(con, "scores", pd.DataFrame({"millesime": [2025], "autre": [0]}), [2025])
    assert rows(con, "scores") == [(2024, 1.0), (2025, 9.0)], "rolled back"

    replace_rows(con, "scores", pd.DataFrame(), [2024])  # nothing computed for 2024
    assert rows(con, "scores") == [(2025, 9.0)]
    replace_rows(con, "nouvelle", pd.DataFrame({"millesime": [2026], "score": [3.0]}), [2026])
    assert rows(con, "nouvelle") == [(2026, 3.0)]
