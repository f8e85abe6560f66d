"""Publication: the copy of the warehouse that the dashboard reads, replaced atomically.

DuckDB lets one process hold a file for writing while every other open of it fails, so the
dashboard never opens the warehouse: it reads a separate copy that this asset writes to a
temporary file and then moves into place with ``os.replace``. A reader sees the previous
copy or the new one, never a half-written state.
"""

import os
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import duckdb
from dagster_duckdb import DuckDBResource

from pipelines.resources import PublicationTarget

#: Tables the dashboard reads.
PUBLISHED_TABLES = (
    "territories",
    "map_geometries",
    "axes",
    "questions",
    "maturity_levels",
    "question_scores",
    "axis_scores",
    "territory_scores",
    "submission_files",
    "validation_issues",
    "raw_submission_files",
    "territory_ranks",
    "axis_positions",
    "peers_to_learn_from",
    "rank_sensitivity",
    "score_contributions",
    "methodology_versions",
    "series_breaks",
)


def publish_snapshot(con: duckdb.DuckDBPyConnection, target: Path, run_id: str) -> int:
    """Copy the published tables from the open warehouse ``con`` into ``target`` atomically.

    Returns the size in bytes of the published file.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    partial.unlink(missing_ok=True)
    con.execute("ATTACH ? AS snapshot", [str(partial)])
    try:
        for table in PUBLISHED_TABLES:
            con.execute(f"CREATE TABLE snapshot.{table} AS SELECT * FROM main.{table}")
        con.execute(
            "CREATE TABLE snapshot.publication AS SELECT ?::TIMESTAMP AS published_at, ? AS run_id",
            [datetime.now(UTC).replace(tzinfo=None), run_id],
        )
    finally:
        con.execute("DETACH snapshot")
    with open(partial, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(partial, target)
    return target.stat().st_size


@dg.asset(
    group_name="publication",
    kinds={"duckdb"},
    pool="duckdb_warehouse",
    deps=["out_territory_results", "core_validated_answers", "core_map_geometries"],
)
def out_published_snapshot(
    context: dg.AssetExecutionContext, warehouse: DuckDBResource, publication: PublicationTarget
) -> dg.MaterializeResult:
    """Read-only copy of the scores and reference for the dashboard, replaced atomically."""
    target = Path(publication.published_path)
    with warehouse.get_connection() as con:
        size = publish_snapshot(con, target, context.run.run_id)
        scored = con.execute("SELECT count(DISTINCT territory) FROM territory_scores").fetchone()[0]
    return dg.MaterializeResult(
        metadata={"path": str(target), "size_bytes": size, "territories_scored": scored}
    )
