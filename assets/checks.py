"""Blocking asset checks: bad data never reaches the published dashboard.

Each check is blocking: when it fails, the assets downstream of the checked one are not
materialized in that run, so the publication is skipped and the dashboard keeps serving
the last good copy.
"""

import os
from pathlib import Path

import dagster as dg
import duckdb
import pandas as pd
import pandera.errors
from dagster_duckdb import DuckDBResource

from pipelines.resources import PublicationTarget
from schemas.scores import TerritoryScoreSchema
from schemas.submission import ValidatedAnswerSchema

#: Largest fall of a millésime's national median index accepted between two runs (points),
#: unless the millésime's methodology version changed (env ``OBSERVATOIRE_MAX_INDEX_FALL``).
DEFAULT_MAX_INDEX_FALL = 5.0


def max_index_fall() -> float:
    return float(os.environ.get("OBSERVATOIRE_MAX_INDEX_FALL") or DEFAULT_MAX_INDEX_FALL)


def _schema_result(schema, frame: pd.DataFrame) -> dg.AssetCheckResult:
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


@dg.asset_check(asset="core_validated_answers", blocking=True)
def validated_answers_match_their_schema(warehouse: DuckDBResource) -> dg.AssetCheckResult:
    """Every validated answer still satisfies its pandera schema."""
    with warehouse.get_connection() as con:
        frame = con.execute("SELECT * FROM validated_answers").df()
    return _schema_result(ValidatedAnswerSchema, frame)


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
    result = _schema_result(TerritoryScoreSchema, scores)
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


def national_medians(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Median global index and methodology version of each millésime."""
    return con.execute(
        """SELECT s.millesime, median(s.global_index) AS median_index, any_value(v.version) AS version
           FROM territory_scores s LEFT JOIN methodology_versions v USING (millesime)
           GROUP BY s.millesime"""
    ).df()


def unexplained_falls(before: pd.DataFrame, after: pd.DataFrame, max_fall: float) -> pd.DataFrame:
    """Millésimes whose national median fell by more than ``max_fall`` points with the same
    methodology version."""
    both = before.merge(after, on="millesime", suffixes=("_before", "_after"))
    both["fall"] = both["median_index_before"] - both["median_index_after"]
    same_method = both["version_before"].fillna("") == both["version_after"].fillna("")
    return both.loc[same_method & (both["fall"] > max_fall)]


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
