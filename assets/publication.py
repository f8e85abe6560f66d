"""The publication asset: the snapshot the dashboard reads, replaced atomically
(see :mod:`domain.publication`). Its tables are the published table assets of the graph."""

from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from assets import achievements, questionnaire, reference, results, scoring, submissions
from assets.resources import PublicationTarget
from assets.tables import tables_of
from domain.publication import publish_snapshot

#: Every asset that is a table of the warehouse.
TABLE_ASSETS: list[dg.AssetsDefinition] = [
    reference.territory_reference,
    questionnaire.questionnaire_tables,
    submissions.raw_submission_files,
    submissions.validated_submissions,
    scoring.survey_scores,
    results.survey_results_tables,
    achievements.core_achievements,
]
#: Asset key → table, for the tables copied into the snapshot.
PUBLISHED_TABLES: dict[str, str] = tables_of(TABLE_ASSETS, published_only=True)


@dg.asset(
    group_name="publication",
    kinds={"duckdb"},
    pool="duckdb_warehouse",
    deps=list(PUBLISHED_TABLES),
)
def out_published_snapshot(
    context: dg.AssetExecutionContext, warehouse: DuckDBResource, publication: PublicationTarget
) -> dg.MaterializeResult:
    """Read-only copy of the published tables for the dashboard, replaced atomically."""
    target = Path(publication.published_path)
    with warehouse.get_connection() as con:
        size = publish_snapshot(con, PUBLISHED_TABLES.values(), target, context.run.run_id)
        scored = con.execute("SELECT count(DISTINCT territory) FROM territory_scores").fetchone()[0]
    return dg.MaterializeResult(
        metadata={
            "path": str(target),
            "size_bytes": size,
            "tables": ", ".join(PUBLISHED_TABLES.values()),
            "territories_scored": scored,
        }
    )
