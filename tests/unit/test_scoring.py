"""Scoring rules of questionnaire v1, computed by the engine with the survey methodology."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from domain.questionnaire import Questionnaire
from domain.scoring import maturity_level, score_submissions, survey_methodology
from schemas.vocabulary import INSUFFICIENT_DATA_LABEL

QUESTIONS = pd.DataFrame(
    {
        "code": ["Q_YES", "Q_SCALE", "Q_PCT", "Q_PCT_LOW", "Q_COUNT", "Q_MULTI"],
        "axis": ["A", "A", "A", "B", "B", "B"],
        "label": ["oui ou non", "échelle", "part", "part inverse", "nombre", "choix"],
        "answer_type": [
            "oui_non",
            "echelle",
            "pourcentage",
            "pourcentage",
            "nombre",
            "choix_multiple",
        ],
        "weight": [1.0, 2.0, 1.0, 1.0, 1.0, 1.0],
        "asked_of": [("DEP",), ("DEP",), ("DEP", "REG"), ("DEP",), ("DEP",), ("DEP", "REG")],
        "required": [True] * 6,
        "higher_is_better": [True, True, True, False, True, True],
        "target_per_10000": [np.nan, np.nan, np.nan, np.nan, 2.0, np.nan],
        "options": [(), (), (), (), (), (("a", "A"), ("b", "B"), ("c", "C"), ("d", "D"))],
    }
)
QUESTIONNAIRE = Questionnaire(
    version="test",
    title="Questionnaire de test",
    millesimes=(2026,),
    territory_kinds={"DEP": "Département", "REG": "Région"},
    scale_labels={},
    axes=pd.DataFrame(
        {"code": ["A", "B"], "label": ["Axe A", "Axe B"], "description": None, "position": [1, 2]}
    ),
    questions=QUESTIONS,
)
TERRITORIES = pd.DataFrame(
    {
        "code": ["DEP-01", "DEP-02", "DEP-976", "REG-84"],
        "kind": ["DEP", "DEP", "DEP", "REG"],
        "population": pd.array([50_000, 200_000, pd.NA, 8_000_000], dtype="Int64"),
    }
)


def answers(rows) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["territory", "question", "value"])
    return frame.assign(millesime=2026, answer=frame["value"].astype(str))


def question_score(question: str, value: float, territory: str = "DEP-01") -> float:
    scores = score_submissions(answers([(territory, question, value)]), TERRITORIES, QUESTIONNAIRE)
    return scores.questions.set_index("question").loc[question, "score"]


@pytest.mark.parametrize(
    ("question", "value", "expected"),
    [
        ("Q_YES", 1, 100),
        ("Q_YES", 0, 0),
        ("Q_SCALE", 0, 0),
        ("Q_SCALE", 3, 75),
        ("Q_SCALE", 4, 100),
        ("Q_PCT", 45.5, 45.5),
        ("Q_PCT_LOW", 30, 70),
        ("Q_MULTI", 1, 25),
        ("Q_MULTI", 4, 100),
    ],
)
def test_each_answer_type_scores_on_0_to_100(question, value, expected):
    assert question_score(question, value) == pytest.approx(expected)


def test_counts_are_normalised_per_10000_inhabitants_against_the_target():
    # 5 for 50,000 inhabitants = 1 per 10,000 = half of the target of 2.
    assert question_score("Q_COUNT", 5, "DEP-01") == pytest.approx(50)
    # The same 5 for 200,000 inhabitants is four times less.
    assert question_score("Q_COUNT", 5, "DEP-02") == pytest.approx(12.5)
    # Beyond the target the score is capped.
    assert question_score("Q_COUNT", 500, "DEP-01") == pytest.approx(100)


def test_count_without_known_population_is_not_scored():
    assert math.isnan(question_score("Q_COUNT", 5, "DEP-976"))


def full_answers(territory, values) -> pd.DataFrame:
    return answers([(territory, q, v) for q, v in zip(QUESTIONS["code"], values, strict=True)])


def test_axis_is_the_weighted_mean_of_answered_questions_and_index_the_mean_of_axes():
    # A: oui (100, w1), 1/4 (25, w2), 40 % (40, w1) → (100 + 50 + 40) / 4 = 47.5
    # B: 20 % lower-is-better (80), 2 per 10,000 (100), 2 of 4 options (50) → 76.67
    scores = score_submissions(
        full_answers("DEP-01", [1, 1, 40, 20, 10, 2]), TERRITORIES, QUESTIONNAIRE
    )
    axes = scores.axes.set_index("axis")["score"]
    assert axes["A"] == pytest.approx(47.5)
    assert axes["B"] == pytest.approx(230 / 3)
    index = scores.territories.iloc[0]
    assert index["global_index"] == pytest.approx((47.5 + 230 / 3) / 2)
    assert index["maturity_level"] == 4 and index["maturity_label"] == "Avancé"


def test_unanswered_question_lowers_coverage_not_score():
    scores = score_submissions(
        full_answers("DEP-01", [1, np.nan, 100, 0, 10, 4]), TERRITORIES, QUESTIONNAIRE
    )
    axis_a = scores.axes.set_index("axis").loc["A"]
    assert axis_a["score"] == pytest.approx(100)
    assert axis_a["coverage"] == pytest.approx(2 / 4)
    assert scores.questions["score"].isna().sum() == 1


def test_axis_below_coverage_threshold_is_insufficient_and_so_is_the_index():
    scores = score_submissions(
        full_answers("DEP-01", [1, np.nan, np.nan, 0, 10, 4]), TERRITORIES, QUESTIONNAIRE
    )
    axis_a = scores.axes.set_index("axis").loc["A"]
    assert axis_a["coverage"] == pytest.approx(1 / 4) and math.isnan(axis_a["score"])
    index = scores.territories.iloc[0]
    assert pd.isna(index["global_index"]) and pd.isna(index["maturity_level"])
    assert index["maturity_label"] == INSUFFICIENT_DATA_LABEL
    assert index["axes_scored"] == 1


def test_questions_not_asked_of_a_kind_do_not_count():
    # A région is asked Q_PCT (axis A) and Q_MULTI (axis B) only.
    scores = score_submissions(
        answers([("REG-84", "Q_PCT", 60), ("REG-84", "Q_MULTI", 1)]), TERRITORIES, QUESTIONNAIRE
    )
    assert set(scores.questions["question"]) == {"Q_PCT", "Q_MULTI"}
    assert (scores.axes["coverage"] == 1).all()
    assert scores.territories.iloc[0]["global_index"] == pytest.approx((60 + 25) / 2)


def test_maturity_level_boundaries():
    index = pd.Series([0, 19.99, 20, 39.9, 40, 60, 79.99, 80, 100, np.nan])
    assert maturity_level(index).tolist() == [1, 1, 2, 2, 3, 4, 4, 5, 5, pd.NA]


def test_questionnaire_v1_is_a_methodology_of_the_engine(questionnaire):
    methodology = survey_methodology(questionnaire)
    assert set(methodology.indicators) == set(questionnaire.questions["code"])
    assert methodology.nodes[methodology.root].children == tuple(questionnaire.axes["code"])
    assert methodology.scale == 100


def test_contributions_explain_each_axis_and_the_index():
    scores = score_submissions(
        full_answers("DEP-01", [1, 1, 40, 20, 10, 2]), TERRITORIES, QUESTIONNAIRE
    )
    parts = scores.contributions
    axis_a = parts.loc[parts["parent"] == "A"].set_index("child")
    assert axis_a["contribution"].sum() == pytest.approx(47.5)
    # Q_SCALE (weight 2 of 4, score 25) loses the most points of axis A.
    assert axis_a["points_lost"].idxmax() == "Q_SCALE"
    assert axis_a.loc["Q_SCALE", "points_lost"] == pytest.approx(0.5 * 75)
    index = parts.loc[parts["parent"] == "indice_global", "contribution"].sum()
    assert index == pytest.approx(scores.territories.iloc[0]["global_index"])
