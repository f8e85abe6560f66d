"""Blocking asset checks: bad data never reaches the published dashboard.

Each check is attached to the table it checks and is blocking: when it fails, the assets
downstream of the checked one are not materialized in that run, so the publication is
skipped and the dashboard keeps serving the last good copy. The schema checks are built
from the pandera models of :mod:`schemas` (one per table, PUDL-style); the others check
what a schema cannot say (completeness against the reference, stability of the index).
"""

from pathlib import Path

import dagster as dg
import duckdb
import pandas as pd
import pandera.errors
import pandera.pandas as pa
from dagster_duckdb import DuckDBResource

from assets.publication import PUBLISHED_TABLES
from assets.resources import PublicationTarget
from domain.index_stability import max_index_fall, national_medians, unexplained_falls
from domain.publication import discard_candidate, write_candidate
from domain.settings import max_publication_bytes
from schemas.achievements import (
    AchievementAxisSchema,
    AchievementCommentSchema,
    AchievementFeedbackSchema,
    AchievementFundingSchema,
    AchievementRecommendationSchema,
    AchievementSchema,
)
from schemas.reference import MapGeometrySchema, TerritorySchema
from schemas.scores import AxisScoreSchema, TerritoryScoreSchema
from schemas.submission import ValidatedAnswerSchema


def schema_result(schema: type[pa.DataFrameModel], frame: pd.DataFrame) -> dg.AssetCheckResult:
    """Whether ``frame`` satisfies the pandera model, with up to ten failure cases."""
    try:
        schema.validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as errors:
        cases = errors.failure_cases
        return dg.AssetCheckResult(
            passed=False,
            metadata={
                "failures": len(cases),
                "examples": dg.MetadataValue.md(cases.head(10).to_string(index=False)),
            },
        )
    return dg.AssetCheckResult(passed=True, metadata={"rows": len(frame)})


def schema_check(
    name: str, asset: str, table: str, schema: type[pa.DataFrameModel]
) -> dg.AssetChecksDefinition:
    """A blocking check that every row of ``table`` (asset ``asset``) satisfies ``schema``."""

    @dg.asset_check(
        name=name,
        asset=asset,
        blocking=True,
        description=f"Chaque ligne de la table {table} respecte le modèle {schema.__name__}.",
    )
    def _check(warehouse: DuckDBResource) -> dg.AssetCheckResult:
        with warehouse.get_connection() as con:
            frame = con.execute(f"SELECT * FROM {table}").df()
        return schema_result(schema, frame)

    return _check


#: One schema check per table that has a pandera model.
SCHEMA_CHECKS = [
    schema_check("territories_match_their_schema", "core_territories", "territories", TerritorySchema),
    schema_check(
        "map_geometries_match_their_schema", "core_map_geometries", "map_geometries",
        MapGeometrySchema,
    ),
    schema_check(
        "validated_answers_match_their_schema", "core_validated_answers", "validated_answers",
        ValidatedAnswerSchema,
    ),
    schema_check("axis_scores_match_their_schema", "out_axis_scores", "axis_scores", AxisScoreSchema),
    schema_check(
        "achievements_match_their_schema", "core_achievements", "achievements", AchievementSchema,
    ),
    schema_check(
        "achievement_axes_match_their_schema", "core_achievement_axes", "achievement_axes",
        AchievementAxisSchema,
    ),
    schema_check(
        "achievement_fundings_match_their_schema", "core_achievement_fundings",
        "achievement_fundings", AchievementFundingSchema,
    ),
    schema_check(
        "achievement_feedback_matches_its_schema", "core_achievement_feedback",
        "achievement_feedback", AchievementFeedbackSchema,
    ),
    schema_check(
        "achievement_comments_match_their_schema", "core_achievement_comments",
        "achievement_comments", AchievementCommentSchema,
    ),
    schema_check(
        "achievement_recommendations_match_their_schema", "out_achievement_recommendations",
        "achievement_recommendations", AchievementRecommendationSchema,
    ),
]  # fmt: skip


@dg.asset_check(asset="int_question_scores", blocking=True)
def one_score_per_territory_millesime_question(warehouse: DuckDBResource) -> dg.AssetCheckResult:
    """(territory, millésime, question) is unique among the scored answers."""
    with warehouse.get_connection() as con:
        duplicates = con.execute(
            """SELECT territory, millesime, question, count(*) AS n FROM question_scores
               GROUP BY ALL HAVING count(*) > 1 LIMIT 20"""
        ).df()
    return dg.AssetCheckResult(
        passed=duplicates.empty,
        metadata={
            "duplicates": len(duplicates),
            "examples": dg.MetadataValue.md(duplicates.to_string(index=False)),
        },
    )


@dg.asset_check(asset="out_territory_scores", blocking=True)
def territory_scores_are_complete_and_bounded(warehouse: DuckDBResource) -> dg.AssetCheckResult:
    """Every submitting territory of the reference is scored 0–100 or explicitly insufficient."""
    with warehouse.get_connection() as con:
        scores = con.execute("SELECT * FROM territory_scores").df()
        unscored = con.execute(
            """SELECT DISTINCT a.territory, a.millesime FROM validated_answers a
               JOIN territories t ON t.code = a.territory
               ANTI JOIN territory_scores s ON s.territory = a.territory AND s.millesime = a.millesime"""
        ).df()
        unknown = con.execute(
            "SELECT count(*) FROM territory_scores s ANTI JOIN territories t ON t.code = s.territory"
        ).fetchone()[0]
    result = schema_result(TerritoryScoreSchema, scores)
    passed = result.passed and unscored.empty and unknown == 0
    return dg.AssetCheckResult(
        passed=passed,
        metadata={
            **result.metadata,
            "submissions_without_score": len(unscored),
            "scores_of_unknown_territories": unknown,
            "insufficient_data": int(scores["global_index"].isna().sum()),
        },
    )


@dg.asset_check(asset="out_territory_scores", blocking=True)
def national_index_has_no_unexplained_fall(
    warehouse: DuckDBResource, publication: PublicationTarget
) -> dg.AssetCheckResult:
    """No millésime's national median index falls sharply from the published one, unless its
    methodology version changed."""
    published = Path(publication.published_path)
    with warehouse.get_connection() as con:
        after = national_medians(con)
    if not published.exists():
        return dg.AssetCheckResult(passed=True, metadata={"note": "première publication"})
    try:
        with duckdb.connect(str(published), read_only=True) as previous:
            before = national_medians(previous)
    except duckdb.Error as error:
        return dg.AssetCheckResult(
            passed=True, metadata={"note": f"copie publiée illisible : {error}"}
        )
    limit = max_index_fall()
    falls = unexplained_falls(before, after, limit)
    return dg.AssetCheckResult(
        passed=falls.empty,
        metadata={
            "max_fall_points": limit,
            "falls": dg.MetadataValue.md(falls.to_string(index=False)) if len(falls) else "aucune",
            **{
                f"median_{int(r.millesime)}": float(r.median_index)
                for r in after.itertuples()
                if pd.notna(r.median_index)
            },
        },
    )


@dg.asset_check(
    asset="core_validation_issues",
    # Run once every published table of the run is written, before the publication.
    additional_deps=[key for key in PUBLISHED_TABLES if key != "core_validation_issues"],
    blocking=True,
    description="La copie publiée ne dépasserait pas OBSERVATOIRE_MAX_PUBLICATION_BYTES.",
)
def publication_fits_its_size_limit(
    context: dg.AssetCheckExecutionContext,
    warehouse: DuckDBResource,
    publication: PublicationTarget,
) -> dg.AssetCheckResult:
    """The copy about to be published stays under its size limit: a file that would make it
    balloon stops the publication, and the dashboard keeps the last good copy. The copy
    written to measure it is the one the run's publication moves into place."""
    published = Path(publication.published_path)
    run_id = context.run.run_id
    with warehouse.get_connection() as con:
        size = write_candidate(con, PUBLISHED_TABLES.values(), published, run_id)
    limit = max_publication_bytes()
    if size > limit:
        discard_candidate(published, run_id)
    previous = published.stat().st_size if published.exists() else None
    return dg.AssetCheckResult(
        passed=size <= limit,
        description=None
        if size <= limit
        else (
            f"La copie publiée pèserait {size / 1e6:.1f} Mo, au-delà de la limite de "
            f"{limit / 1e6:.1f} Mo (OBSERVATOIRE_MAX_PUBLICATION_BYTES) : publication "
            "refusée, la copie précédente reste en ligne. Cherchez le fichier reçu qui "
            "l'a fait grossir (page Qualité) ou relevez la limite."
        ),
        metadata={
            "size_bytes": size,
            "limit_bytes": limit,
            "previous_size_bytes": previous if previous is not None else "aucune",
        },
    )
