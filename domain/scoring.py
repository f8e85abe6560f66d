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

These rules are a methodology of the general composite-indicator engine
(:func:`survey_methodology`, :mod:`domain.composite`); questions that are not asked of a kind
of territory count neither as missing nor in the weights.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from domain.composite import Methodology, compute, contributions, methodology_from_dict
from domain.questionnaire import Questionnaire, Questionnaires
from schemas.scores import AxisScoreSchema, QuestionScoreSchema, TerritoryScoreSchema
from schemas.vocabulary import INDEX_LABEL, INDEX_NODE, INSUFFICIENT_DATA_LABEL, MATURITY_LEVELS

MIN_AXIS_COVERAGE = 0.5
MIN_INDEX_COVERAGE = 0.8


def maturity_level(index: pd.Series) -> pd.Series:
    """Maturity level 1–5 of each global index; missing where the index is missing."""
    bounds = [low for _, _, low, _ in MATURITY_LEVELS[1:]]
    levels = pd.Series(np.digitize(index.fillna(0), bounds) + 1, index=index.index)
    return levels.where(index.notna()).astype("Int64")


def survey_methodology(questionnaire: Questionnaire) -> Methodology:
    """Questionnaire v1 as a methodology of the composite-indicator engine.

    Each question is an indicator fed with its normalised answer (1/0, level 0–4,
    percentage, count, number of options chosen); counts are divided by the territory's
    population per 10,000 inhabitants. Axes are weighted means of their questions and the
    index the mean of the axes, each with its coverage threshold.
    """
    indicators: dict[str, dict] = {}
    axes: dict[str, dict] = {
        code: {"children": [], "weights": {}} for code in questionnaire.axes["code"]
    }
    for q in questionnaire.questions.to_dict("records"):
        kind = q["answer_type"]
        if kind == "nombre":
            spec = {
                "denominator": "population",
                "per": 10_000,
                "normalisation": {
                    "method": "minmax",
                    "min": 0,
                    "max": float(q["target_per_10000"]),
                },
            }
        else:
            top = {
                "oui_non": 1,
                "echelle": 4,
                "pourcentage": 100,
                "choix_multiple": len(q["options"]),
            }[kind]
            spec = {"normalisation": {"method": "scale", "max": top}}
        spec["label"] = q["label"]
        spec["direction"] = "higher_is_better" if q["higher_is_better"] else "lower_is_better"
        indicators[q["code"]] = spec
        axes[q["axis"]]["children"].append(q["code"])
        axes[q["axis"]]["weights"][q["code"]] = float(q["weight"])
    labels = questionnaire.axes.set_index("code")["label"]
    nodes = {
        code: {**node, "label": labels[code], "min_coverage": MIN_AXIS_COVERAGE}
        for code, node in axes.items()
    }
    nodes[INDEX_NODE] = {
        "label": INDEX_LABEL,
        "children": list(axes),
        "min_coverage": MIN_INDEX_COVERAGE,
    }
    return methodology_from_dict(
        {
            "name": questionnaire.title,
            "version": questionnaire.version,
            "root": INDEX_NODE,
            "scale": 100,
            "nodes": nodes,
            "indicators": indicators,
        }
    )


def unit_of(territory: pd.Series, millesime: pd.Series) -> pd.Series:
    """Engine unit of a territory's submission for a millésime."""
    return territory + "|" + millesime.astype(str)


def expected_questions(
    submissions: pd.DataFrame, territories: pd.DataFrame, questions: pd.DataFrame
) -> pd.DataFrame:
    """Every (territory, millésime, question) that a submission had to answer."""
    kinds = submissions.merge(territories[["code", "kind"]], left_on="territory", right_on="code")
    asked = questions[["code", "axis", "weight", "asked_of"]].explode("asked_of")
    return kinds[["territory", "millesime", "kind"]].merge(
        asked.rename(columns={"code": "question", "asked_of": "kind"}), on="kind"
    )[["territory", "millesime", "question", "axis", "weight"]]


@dataclass(frozen=True)
class SurveyScores:
    """Scores of every submission at every level of the survey methodology."""

    questions: pd.DataFrame
    axes: pd.DataFrame
    territories: pd.DataFrame
    #: What each question brings to its axis and each axis to the index.
    contributions: pd.DataFrame


def score_submissions(
    current_answers: pd.DataFrame, territories: pd.DataFrame, questionnaire: Questionnaire
) -> SurveyScores:
    """Score the current answers of each territory and millésime with the survey methodology."""
    methodology = survey_methodology(questionnaire)
    submissions = current_answers[["territory", "millesime"]].drop_duplicates()
    expected = expected_questions(submissions, territories, questionnaire.questions)
    expected["unit"] = unit_of(expected["territory"], expected["millesime"])
    answers = current_answers.assign(
        unit=unit_of(current_answers["territory"], current_answers["millesime"])
    )
    population = submissions.merge(
        territories[["code", "population"]], left_on="territory", right_on="code"
    )
    values = pd.concat(
        [
            answers[["unit", "question", "value"]].rename(columns={"question": "indicator"}),
            pd.DataFrame(
                {
                    "unit": unit_of(population["territory"], population["millesime"]),
                    "indicator": "population",
                    "value": population["population"].astype("Float64").astype(float),
                }
            ),
        ],
        ignore_index=True,
    )
    applicable = expected[["unit", "question"]].rename(columns={"question": "indicator"})
    nodes = compute(values, methodology, applicable)
    nodes[["territory", "millesime"]] = nodes["unit"].str.split("|", n=1, expand=True)
    nodes["millesime"] = nodes["millesime"].astype(int)

    leaves = nodes.loc[nodes["level"] == "indicator", ["territory", "millesime", "node", "score"]]
    question_scores = expected.merge(
        answers[["territory", "millesime", "question", "answer", "value"]],
        on=["territory", "millesime", "question"],
        how="left",
    ).merge(
        leaves.rename(columns={"node": "question"}),
        on=["territory", "millesime", "question"],
        how="left",
    )
    columns = ["territory", "millesime", "question", "axis", "weight", "answer", "value", "score"]
    question_scores = QuestionScoreSchema.validate(question_scores[columns].reset_index(drop=True))

    axis_rows = nodes.loc[nodes["node"].isin(questionnaire.axes["code"])]
    axis_scores = AxisScoreSchema.validate(
        axis_rows.rename(columns={"node": "axis"})[
            ["territory", "millesime", "axis", "score", "coverage"]
        ].reset_index(drop=True)
    )
    index_rows = nodes.loc[nodes["node"] == INDEX_NODE].rename(columns={"score": "global_index"})
    axes_scored = (
        axis_scores.groupby(["territory", "millesime"])["score"].count().rename("axes_scored")
    )
    index_rows = index_rows.join(axes_scored, on=["territory", "millesime"])
    index_rows["maturity_level"] = maturity_level(index_rows["global_index"])
    labels = {level: label for level, label, _, _ in MATURITY_LEVELS}
    index_rows["maturity_label"] = (
        index_rows["maturity_level"].map(labels).fillna(INSUFFICIENT_DATA_LABEL).astype(str)
    )
    columns = [
        "territory", "millesime", "global_index", "maturity_level",
        "maturity_label", "coverage", "axes_scored",
    ]  # fmt: skip
    territory_scores = TerritoryScoreSchema.validate(index_rows[columns].reset_index(drop=True))
    parts = contributions(nodes, methodology)
    parts[["territory", "millesime"]] = parts["unit"].str.split("|", n=1, expand=True)
    parts["millesime"] = parts["millesime"].astype(int)
    # Points of the parent's score lost because the child is below 100 (arithmetic nodes).
    parts["points_lost"] = parts["weight_share"] * (methodology.scale - parts["child_score"])
    parts = parts[
        [
            "territory",
            "millesime",
            "parent",
            "child",
            "weight_share",
            "child_score",
            "contribution",
            "points_lost",
        ]
    ]
    return SurveyScores(
        question_scores, axis_scores, territory_scores, parts.reset_index(drop=True)
    )


def score_by_version(
    answers: pd.DataFrame, territories: pd.DataFrame, questionnaires: Questionnaires
) -> SurveyScores:
    """Score each millésime with the methodology of its own questionnaire version."""
    parts = []
    for version in questionnaires.versions:
        of_version = answers.loc[answers["millesime"].isin(version.millesimes)]
        if len(of_version):
            parts.append(score_submissions(of_version, territories, version))
    if not parts:
        return score_submissions(answers.iloc[0:0], territories, questionnaires.current)
    return SurveyScores(
        *(
            pd.concat([getattr(p, name) for p in parts], ignore_index=True)
            for name in ("questions", "axes", "territories", "contributions")
        )
    )


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
