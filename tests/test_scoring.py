"""Scoring rules of questionnaire v1: question scores, axis aggregation, global index, levels."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from assets.scoring import (
    INSUFFICIENT_DATA_LABEL,
    aggregate_axes,
    aggregate_index,
    build_question_scores,
    maturity_level,
    score_questions,
)

QUESTIONS = pd.DataFrame(
    {
        "code": ["Q_YES", "Q_SCALE", "Q_PCT", "Q_PCT_LOW", "Q_COUNT", "Q_MULTI"],
        "axis": ["A", "A", "A", "B", "B", "B"],
        "answer_type": [
            "oui_non",
            "echelle",
            "pourcentage",
            "pourcentage",
            "nombre",
            "choix_multiple",
        ],
        "weight": [1.0, 2.0, 1.0, 1.0, 1.0, 1.0],
        "asked_of": [("DEP",), ("DEP",), ("DEP", "REG"), ("DEP",), ("DEP",), ("DEP",)],
        "higher_is_better": [True, True, True, False, True, True],
        "target_per_10000": [np.nan, np.nan, np.nan, np.nan, 2.0, np.nan],
        "options": [(), (), (), (), (), (("a", "A"), ("b", "B"), ("c", "C"), ("d", "D"))],
    }
)
POPULATION = pd.Series({"DEP-01": 50_000, "DEP-02": 200_000, "DEP-976": pd.NA})


def score(question: str, value: float, territory: str = "DEP-01") -> float:
    answers = pd.DataFrame({"territory": [territory], "question": [question], "value": [value]})
    return score_questions(answers, QUESTIONS, POPULATION).iloc[0]


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
    assert score(question, value) == pytest.approx(expected)


def test_counts_are_normalised_per_10000_inhabitants_against_the_target():
    # 5 for 50,000 inhabitants = 1 per 10,000 = half of the target of 2.
    assert score("Q_COUNT", 5, "DEP-01") == pytest.approx(50)
    # The same 5 for 200,000 inhabitants is four times less.
    assert score("Q_COUNT", 5, "DEP-02") == pytest.approx(12.5)
    # Beyond the target the score is capped.
    assert score("Q_COUNT", 500, "DEP-01") == pytest.approx(100)


def test_count_without_known_population_is_not_scored():
    assert math.isnan(score("Q_COUNT", 5, "DEP-976"))


def test_unanswered_question_scores_nothing():
    assert math.isnan(score("Q_YES", np.nan))


def question_scores(rows):
    frame = pd.DataFrame(
        rows, columns=["territory", "millesime", "question", "axis", "weight", "score"]
    )
    return frame.assign(answer=None, value=np.nan)


def test_axis_is_the_weighted_mean_of_answered_questions():
    frame = question_scores(
        [
            ("DEP-01", 2026, "Q1", "A", 1.0, 100.0),
            ("DEP-01", 2026, "Q2", "A", 3.0, 0.0),
        ]
    )
    axis = aggregate_axes(frame).iloc[0]
    assert axis["score"] == pytest.approx(25)
    assert axis["coverage"] == pytest.approx(1)


def test_axis_below_coverage_threshold_has_no_score():
    frame = question_scores(
        [
            ("DEP-01", 2026, "Q1", "A", 1.0, 100.0),
            ("DEP-01", 2026, "Q2", "A", 3.0, np.nan),
        ]
    )
    axis = aggregate_axes(frame).iloc[0]
    assert axis["coverage"] == pytest.approx(0.25)
    assert math.isnan(axis["score"])


def test_axis_with_nothing_answered_has_zero_coverage_and_no_score():
    frame = question_scores([("DEP-01", 2026, "Q1", "A", 2.0, np.nan)])
    axis = aggregate_axes(frame).iloc[0]
    assert axis["coverage"] == 0 and math.isnan(axis["score"])


def test_unanswered_question_lowers_coverage_not_score():
    frame = question_scores(
        [
            ("DEP-01", 2026, "Q1", "A", 1.0, 80.0),
            ("DEP-01", 2026, "Q2", "A", 1.0, 80.0),
            ("DEP-01", 2026, "Q3", "A", 1.0, np.nan),
        ]
    )
    axis = aggregate_axes(frame).iloc[0]
    assert axis["score"] == pytest.approx(80)
    assert axis["coverage"] == pytest.approx(2 / 3)


def axis_scores(scores):
    return pd.DataFrame(
        {
            "territory": "DEP-01",
            "millesime": 2026,
            "axis": [f"A{i}" for i in range(len(scores))],
            "score": scores,
            "coverage": 1.0,
        }
    )


def test_global_index_is_the_mean_of_scored_axes_with_its_level():
    result = aggregate_index(axis_scores([50.0, 70.0, 90.0, 60.0, np.nan]), n_axes=5).iloc[0]
    assert result["global_index"] == pytest.approx(67.5)
    assert result["maturity_level"] == 4
    assert result["maturity_label"] == "Avancé"
    assert result["coverage"] == pytest.approx(0.8)


def test_global_index_needs_enough_axes():
    result = aggregate_index(axis_scores([50.0, 70.0, np.nan, np.nan, np.nan]), n_axes=5).iloc[0]
    assert pd.isna(result["global_index"])
    assert pd.isna(result["maturity_level"])
    assert result["maturity_label"] == INSUFFICIENT_DATA_LABEL


def test_maturity_level_boundaries():
    index = pd.Series([0, 19.99, 20, 39.9, 40, 60, 79.99, 80, 100, np.nan])
    assert maturity_level(index).tolist() == [1, 1, 2, 2, 3, 4, 4, 5, 5, pd.NA]


def test_question_scores_cover_every_question_asked_of_the_territory_kind():
    territories = pd.DataFrame(
        {"code": ["DEP-01", "REG-84"], "kind": ["DEP", "REG"], "population": [50_000, 8_000_000]}
    )
    answers = pd.DataFrame(
        {
            "territory": ["DEP-01", "REG-84"],
            "millesime": [2026, 2026],
            "question": ["Q_YES", "Q_PCT"],
            "answer": ["oui", "40"],
            "value": [1.0, 40.0],
        }
    )
    scores = build_question_scores(answers, territories, QUESTIONS)
    by_territory = scores.groupby("territory")["question"].apply(set).to_dict()
    assert by_territory["DEP-01"] == set(QUESTIONS["code"])
    assert by_territory["REG-84"] == {"Q_PCT"}
    dep = scores.set_index(["territory", "question"])
    assert dep.loc[("DEP-01", "Q_YES"), "score"] == 100
    assert pd.isna(dep.loc[("DEP-01", "Q_SCALE"), "score"])
