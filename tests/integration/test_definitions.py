"""The Dagster code location and what a real run of it writes."""

from __future__ import annotations

import duckdb


def test_each_table_of_the_warehouse_is_one_asset_and_the_publication_copies_them(
    pipeline_run,
):
    """Every table the pipeline writes is the asset of one key, and the snapshot holds
    exactly the published ones: the list of tables is the asset graph, not a copy."""
    from assets.publication import PUBLISHED_TABLES, TABLE_ASSETS
    from assets.tables import tables_of

    every_table = tables_of(TABLE_ASSETS)
    assert len(set(every_table.values())) == len(every_table), "one asset per table"
    with duckdb.connect(str(pipeline_run.warehouse), read_only=True) as con:
        written = {row[0] for row in con.execute("SHOW TABLES").fetchall()}
    assert written == set(every_table.values())
    with duckdb.connect(str(pipeline_run.published), read_only=True) as con:
        published = {row[0] for row in con.execute("SHOW TABLES").fetchall()}
    assert published == {*PUBLISHED_TABLES.values(), "publication"}
    assert "validated_answers" not in published  # comments of files stay in the warehouse
