"""Writing tables to the DuckDB warehouse."""

import duckdb
import pandas as pd


def replace_table(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    """Replace ``table`` with the rows of ``frame``, in one transaction.

    The frame is registered under a private name: a bare ``SELECT * FROM territories``
    would read the existing table of that name rather than the Python variable.
    """
    view = f"_incoming_{table}"
    con.register(view, frame)
    try:
        con.execute("BEGIN TRANSACTION")
        con.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT * FROM {view}")
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    finally:
        con.unregister(view)


def replace_rows(
    con: duckdb.DuckDBPyConnection,
    table: str,
    frame: pd.DataFrame,
    millesimes: list[int],
) -> None:
    """Replace the rows of ``millesimes`` in ``table`` with ``frame``, in one transaction.

    The partitioned assets write this way: one millésime is rescored without touching the
    others. The table is created from the frame's columns when it does not exist yet.
    """
    if frame.columns.empty:  # nothing computed, not even columns: only drop the old rows
        exists = con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE table_name = ?", [table]
        ).fetchone()[0]
        if exists:
            con.execute(f"DELETE FROM {table} WHERE list_contains(?, millesime)", [millesimes])
        return
    view = f"_incoming_{table}"
    con.register(view, frame)
    try:
        con.execute("BEGIN TRANSACTION")
        con.execute(f"CREATE TABLE IF NOT EXISTS {table} AS SELECT * FROM {view} LIMIT 0")
        con.execute(f"DELETE FROM {table} WHERE list_contains(?, millesime)", [millesimes])
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM {view}")
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    finally:
        con.unregister(view)
