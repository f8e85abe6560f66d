"""Scoring: from validated answers to question scores, axis scores and a global index (0–100).

Rules of questionnaire v1 (every score is on 0–100):

- ``oui_non``: oui = 100, non = 0;
- ``echelle``: level 0–4 → level / 4 × 100;
- ``pourcentage``: the percentage itself (100 − it when lower is better);
- ``nombre``: the count per 10,000 inhabitants against the question's target, capped at 100;
- ``choix_multiple``: the share of the listed good practices that are in place.

An axis score is the weighted mean of the answered questions of that axis; its coverage is
the answered share of the weights asked. Below ``MIN_AXIS_COVERAGE`` the axis is
"données insuffisantes" (no score). The global index is the mean of the axis scores, given
when at least ``MIN_INDEX_COVERAGE`` of the axes are scored; its maturity level is 1–5.
"""

import dagster as dg
import numpy as np
import pandas as pd
from dagster_duckdb import DuckDBResource

from assets.questionnaire import load_questionnaire
from assets.storage import replace_table
from schemas.scores import AxisScoreSchema, QuestionScoreSchema, TerritoryScoreSchema

MIN_AXIS_COVERAGE = 0.5
MIN_INDEX_COVERAGE = 0.8
INSUFFICIENT_DATA_LABEL = "Données insuffisantes"

#: Maturity levels: (level, French label, lower bound included, upper bound excluded).
MATURITY_LEVELS: tuple[tuple[int, str, float, float], ...] = (
    (1, "Découverte", 0.0, 20.0),
    (2, "Émergent", 20.0, 40.0),
    (3, "Structuré", 40.0, 60.0),
    (4, "Avancé", 60.0, 80.0),
    (5, "Exemplaire", 80.0, 100.0),
)


def maturity_levels_table() -> pd.DataFrame:
    """The maturity levels as a table (level, label, min_score, max_score)."""
    return pd.DataFrame(MATURITY_LEVELS, columns=["level", "label", "min_score", "max_score"])


def maturity_level(index: pd.Series) -> pd.Series:
    """Maturity level 1–5 of each global index; missing where the index is missing."""
    bounds = [low for _, _, low, _ in MATURITY_LEVELS[1:]]
    levels = pd.Series(np.digitize(index.fillna(0), bounds) + 1, index=index.index)
    return levels.where(index.notna()).astype("Int64")


def score_questions(
    answers: pd.DataFrame, questions: pd.DataFrame, population: pd.Series
) -> pd.Series:
    """Score each answer 0–100 from its normalised value (vectorised by answer type).

    ``answers`` has columns ``question`` and ``value`` (the normalised answer: 1/0 for
    oui_non, 0–4 for echelle, 0–100 for pourcentage, a count for nombre, the number of
    options chosen for choix_multiple) and ``territory``; ``population`` maps territory
    codes to inhabitants. Unanswered (missing) values score NaN.
    """
    q = questions.set_index("code").loc[answers["question"]]
    kind = q["answer_type"].to_numpy()
    value = answers["value"].astype(float).to_numpy()
    inhabitants = (
        answers["territory"]
        .map(population)
        .astype("Float64")
        .to_numpy(dtype=float, na_value=np.nan)
    )
    target = pd.to_numeric(q["target_per_10000"]).astype(float).to_numpy()
    n_options = q["options"].map(len).to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        per_10000 = np.where(inhabitants > 0, value / inhabitants * 10_000, np.nan)
        score = np.select(
            [
                kind == "oui_non",
                kind == "echelle",
                kind == "pourcentage",
                kind == "nombre",
                kind == "choix_multiple",
            ],
            [
                value * 100,
                value / 4 * 100,
                value,
                np.minimum(per_10000 / target, 1) * 100,
                value / n_options * 100,
            ],
            default=np.nan,
        )
    lower_is_better = ~q["higher_is_better"].to_numpy(dtype=bool)
    score = np.where(lower_is_better, 100 - score, score)
    return pd.Series(np.clip(score, 0, 100), index=answers.index)


def expected_questions(
    submissions: pd.DataFrame, territories: pd.DataFrame, questions: pd.DataFrame
) -> pd.DataFrame:
    """Every (territory, millésime, question) that a submission had to answer."""
    kinds = submissions.merge(territories[["code", "kind"]], left_on="territory", right_on="code")
    asked = questions[["code", "axis", "weight", "asked_of"]].explode("asked_of")
    return kinds[["territory", "millesime", "kind"]].merge(
        asked.rename(columns={"code": "question", "asked_of": "kind"}), on="kind"
    )[["territory", "millesime", "question", "axis", "weight"]]


def build_question_scores(
    current_answers: pd.DataFrame, territories: pd.DataFrame, questions: pd.DataFrame
) -> pd.DataFrame:
    """One row per question asked of each submitting territory, scored or unanswered."""
    submissions = current_answers[["territory", "millesime"]].drop_duplicates()
    expected = expected_questions(submissions, territories, questions)
    scored = expected.merge(
        current_answers[["territory", "millesime", "question", "answer", "value"]],
        on=["territory", "millesime", "question"],
        how="left",
    )
    population = territories.set_index("code")["population"]
    scored["score"] = score_questions(scored, questions, population)
    columns = ["territory", "millesime", "question", "axis", "weight", "answer", "value", "score"]
    return QuestionScoreSchema.validate(scored[columns].reset_index(drop=True))


def aggregate_axes(
    question_scores: pd.DataFrame, min_coverage: float = MIN_AXIS_COVERAGE
) -> pd.DataFrame:
    """Weighted mean of question scores per axis, with coverage and the insufficiency rule."""
    frame = question_scores.assign(
        answered_weight=question_scores["weight"].where(question_scores["score"].notna(), 0.0),
        weighted_score=question_scores["score"].fillna(0) * question_scores["weight"],
    )
    sums = frame.groupby(["territory", "millesime", "axis"], as_index=False)[
        ["weight", "answered_weight", "weighted_score"]
    ].sum()
    coverage = sums["answered_weight"] / sums["weight"]
    mean = sums["weighted_score"] / sums["answered_weight"].replace(0, np.nan)
    sums["score"] = mean.where(coverage >= min_coverage)
    sums["coverage"] = coverage
    return AxisScoreSchema.validate(sums[["territory", "millesime", "axis", "score", "coverage"]])


def aggregate_index(
    axis_scores: pd.DataFrame, n_axes: int, min_coverage: float = MIN_INDEX_COVERAGE
) -> pd.DataFrame:
    """Global index per territory and millésime: the mean of its scored axes, with its level."""
    grouped = axis_scores.groupby(["territory", "millesime"], as_index=False).agg(
        mean_score=("score", "mean"), axes_scored=("score", "count")
    )
    grouped["coverage"] = grouped["axes_scored"] / n_axes
    grouped["global_index"] = grouped["mean_score"].where(grouped["coverage"] >= min_coverage)
    grouped["maturity_level"] = maturity_level(grouped["global_index"])
    labels = {level: label for level, label, _, _ in MATURITY_LEVELS}
    grouped["maturity_label"] = (
        grouped["maturity_level"].map(labels).fillna(INSUFFICIENT_DATA_LABEL).astype(str)
    )
    columns = [
        "territory", "millesime", "global_index", "maturity_level",
        "maturity_label", "coverage", "axes_scored",
    ]  # fmt: skip
    return TerritoryScoreSchema.validate(grouped[columns])


def current_answers_query() -> str:
    """SQL selecting the answers of the latest accepted file of each territory and millésime."""
    return """
        WITH ranked AS (
            SELECT territory, millesime, sha256,
                   row_number() OVER (
                       PARTITION BY territory, millesime
                       ORDER BY received_at DESC, file_name DESC
                   ) AS recency
            FROM (SELECT DISTINCT territory, millesime, sha256, received_at, file_name
                  FROM validated_answers)
        )
        SELECT a.territory, a.millesime, a.question, a.answer, a.value
        FROM validated_answers a
        JOIN ranked r USING (territory, millesime, sha256)
        WHERE r.recency = 1
    """


@dg.asset(
    group_name="scoring",
    kinds={"duckdb"},
    pool="duckdb_warehouse",
    deps=["core_validated_answers", "core_territories", "core_questionnaire"],
)
def int_question_scores(warehouse: DuckDBResource) -> dg.MaterializeResult:
    """Score 0–100 of every question asked of each territory that submitted, per millésime."""
    questionnaire = load_questionnaire()
    with warehouse.get_connection() as con:
        answers = con.execute(current_answers_query()).df()
        territories = con.execute("SELECT code, kind, population FROM territories").df()
        scores = build_question_scores(answers, territories, questionnaire.questions)
        replace_table(con, "question_scores", scores)
    return dg.MaterializeResult(
        metadata={
            "rows": len(scores),
            "unanswered": int(scores["score"].isna().sum()),
            "submissions": int(scores[["territory", "millesime"]].drop_duplicates().shape[0]),
        }
    )


@dg.asset(
    group_name="scoring", kinds={"duckdb"}, pool="duckdb_warehouse", deps=[int_question_scores]
)
def out_axis_scores(warehouse: DuckDBResource) -> dg.MaterializeResult:
    """Score 0–100 and coverage of each of the ten axes, per territory and millésime."""
    with warehouse.get_connection() as con:
        question_scores = con.execute("SELECT * FROM question_scores").df()
        axis_scores = aggregate_axes(question_scores)
        replace_table(con, "axis_scores", axis_scores)
    return dg.MaterializeResult(
        metadata={
            "rows": len(axis_scores),
            "insufficient": int(axis_scores["score"].isna().sum()),
        }
    )


@dg.asset(group_name="scoring", kinds={"duckdb"}, pool="duckdb_warehouse", deps=[out_axis_scores])
def out_territory_scores(warehouse: DuckDBResource) -> dg.MaterializeResult:
    """Global index 0–100 and maturity level 1–5 of each territory, per millésime."""
    n_axes = len(load_questionnaire().axes)
    levels = maturity_levels_table()
    with warehouse.get_connection() as con:
        axis_scores = con.execute("SELECT * FROM axis_scores").df()
        territory_scores = aggregate_index(axis_scores, n_axes)
        replace_table(con, "territory_scores", territory_scores)
        replace_table(con, "maturity_levels", levels)
    by_millesime = territory_scores.groupby("millesime")["global_index"].median()
    return dg.MaterializeResult(
        metadata={
            "rows": len(territory_scores),
            **{f"median_index_{m}": float(v) for m, v in by_millesime.items()},
        }
    )
