"""Axes: distribution summaries, discriminating questions, leaders."""

from __future__ import annotations

import pandas as pd
import pytest

import dashboards.app  # noqa: F401  (builds the app, which registers the pages)
from dashboards.figures import (
    axis_box_chart,
    axis_medians_chart,
    discriminating_questions,
    distribution_summary,
)
from dashboards.pages.axes import leaders, parse_axis

SCORES = pd.DataFrame(
    {
        "code": ["DEP-1", "DEP-2", "DEP-3", "ME-1", "ME-2", "CA-1"],
        "name": ["Ain", "Aisne", "Allier", "Lyon", "Lille", "Agglo"],
        "kind": ["DEP", "DEP", "DEP", "ME", "ME", "CA"],
        "kind_label": ["Département"] * 3 + ["Métropole"] * 2 + ["Communauté d'agglomération"],
        "score": [10.0, 20.0, 60.0, 90.0, 90.0, None],
    }
)


def test_distribution_summary_by_kind_in_the_usual_order():
    summary = distribution_summary(SCORES)
    assert summary["kind"].tolist() == ["DEP", "ME"], "a kind without any score is left out"
    dep = summary.iloc[0]
    assert (dep["scored"], dep["minimum"], dep["median"], dep["maximum"]) == (3, 10.0, 20.0, 60.0)
    assert dep["q1"] == pytest.approx(15.0) and dep["q3"] == pytest.approx(40.0)


def test_questions_are_ranked_by_how_much_they_separate_territories():
    spread = pd.DataFrame(
        {
            "question": ["Q1", "Q1", "Q1", "Q2", "Q2", "Q2", "Q3", "Q3"],
            "label": ["Tous pareil"] * 3 + ["Tout ou rien"] * 3 + ["Moyen"] * 2,
            "territory": ["A", "B", "C"] * 2 + ["A", "B"],
            "score": [50.0, 50.0, 50.0, 0.0, 100.0, 100.0, 25.0, 75.0],
        }
    )
    ranked = discriminating_questions(spread)
    assert ranked["question"].tolist() == ["Q2", "Q3", "Q1"]
    q2 = ranked.iloc[0]
    assert q2["std"] == pytest.approx(47.14, abs=0.01)
    assert q2["share_at_max"] == pytest.approx(2 / 3) and q2["answered"] == 3
    assert ranked.iloc[-1]["std"] == 0.0
    assert discriminating_questions(spread.iloc[0:0]).empty


def test_leaders_are_the_best_scores_ties_by_name_and_axis_falls_back():
    assert leaders(SCORES, 3)["name"].tolist() == ["Lille", "Lyon", "Allier"]
    assert parse_axis("INCL", ["DATA", "INCL"]) == "INCL"
    assert parse_axis("???", ["LAB", "DATA"]) == "DATA"


def test_figures_mark_the_chosen_axis_and_draw_one_box_per_kind():
    medians = pd.DataFrame(
        {"axis": ["LAB", "DATA"], "label": ["Labo", "Données"], "median": [60.0, 40.0]}
    )
    figure = axis_medians_chart(medians, "LAB")
    bar = figure.data[0]
    assert list(bar.x) == [40.0, 60.0], "lowest median first"
    assert list(bar.marker.pattern.shape) == ["", "/"], (
        "the chosen axis is not shown by colour only"
    )
    boxes = axis_box_chart(SCORES, 40.0)
    assert [trace.name for trace in boxes.data] == ["Départements", "Métropoles"]
    assert boxes.layout.shapes[0].x0 == 40.0
