"""Writing tables to the DuckDB warehouse, each write in one transaction."""

from collections.abc import Iterator
from contextlib import contextmanager

import duckdb
import pandas as pd


@contextmanager
def _incoming(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> Iterator[str]:
    """Register ``frame`` under a private name and open a transaction; yield the name.

    A bare ``SELECT * FROM territories`` would read the existing table of that name rather
    than the Python variable, hence the private name. The transaction is committed when the
    block ends, rolled back if it raises.
    """
    view = f"_incoming_{table}"
    con.register(view, frame)
    try:
        con.execute("BEGIN TRANSACTION")
        yield view
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    finally:
        con.unregister(view)


def replace_table(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    """Replace ``table`` with the rows of ``frame``, in one transaction."""
    with _incoming(con, table, frame) as view:
        con.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT * FROM {view}")


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
    with _incoming(con, table, frame) as view:
        con.execute(f"CREATE TABLE IF NOT EXISTS {table} AS SELECT * FROM {view} LIMIT 0")
        con.execute(f"DELETE FROM {table} WHERE list_contains(?, millesime)", [millesimes])
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM {view}")


def replace_tables(con: duckdb.DuckDBPyConnection, tables: dict[str, pd.DataFrame]) -> None:
    """Replace each table of ``tables`` (name → rows), each in its own transaction."""
    for table, frame in tables.items():
        replace_table(con, table, frame)
