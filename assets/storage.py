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
