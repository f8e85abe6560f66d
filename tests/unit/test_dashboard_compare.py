"""Comparer: selection rules, best-of-row marking, the comparison figure."""

from __future__ import annotations

import pandas as pd

import dashboards.app  # noqa: F401  (builds the app, which registers the pages)
from dashboards.figures import COMPARE_COLOURS, comparison_chart, comparison_evolution
from dashboards.pages.comparer import (
    best_of_rows,
    comparison_rows,
    default_codes,
    parse_codes,
    selection_problem,
)

FRAME = pd.DataFrame(
    {
        "code": ["ME-1", "ME-2", "CA-3"],
        "name": ["Une", "Deux", "Trois"],
        "kind": ["ME", "ME", "CA"],
        "population": [500_000, 900_000, 80_000],
        "global_index": [70.0, 70.0, 40.5],
        "maturity_level": [4, 4, 3],
        "maturity_label": ["Avancé", "Avancé", "Structuré"],
        "rank": [1.0, 1.0, 3.0],
        "peers": [2, 2, 5],
        "rank_p05": [1.0, 1.0, 2.0],
        "rank_p95": [2.0, 2.0, 4.0],
        "LAB": [10.0, 95.5, None],
        "DATA": [80.0, 20.0, 50.0],
    }
)


def test_codes_from_an_address_are_known_unique_and_in_order():
    known = {"ME-1", "ME-2", "CA-3"}
    assert parse_codes("ME-2,XX-9,ME-1,ME-2", known) == ["ME-2", "ME-1"]
    assert parse_codes(["CA-3", "ME-1"], known) == ["CA-3", "ME-1"]
    assert parse_codes(None, known) == []


def test_two_to_six_territories_are_compared():
    assert selection_problem(["a"]) == "Choisissez au moins 2 territoires à comparer."
    assert selection_problem(list("abcdef")) is None
    assert "on en compare 6 au plus" in selection_problem(list("abcdefg"))


def test_without_a_choice_the_most_populous_metropoles_are_compared():
    assert default_codes(FRAME) == ["ME-2", "ME-1"]


def test_the_best_value_of_each_row_is_marked_ties_included():
    best = best_of_rows(FRAME, ["global_index", "LAB", "DATA"])
    assert best == {"global_index": {"ME-1", "ME-2"}, "LAB": {"ME-2"}, "DATA": {"ME-1"}}
    rows = comparison_rows(FRAME, ["LAB", "DATA"], {"LAB": "Laboratoire", "DATA": "Données"})
    assert [row["measure"] for row in rows] == [
        "Indice global",
        "Niveau de maturité",
        "Rang dans la catégorie",
        "Intervalle de rang (90 %)",
        "Laboratoire",
        "Données",
    ]
    lab = rows[4]
    assert lab["CA-3"] == "—"
    assert lab["ME-1"] == "10,0"
    assert "(meilleur)" in str(lab["ME-2"]) and "95,5" in str(lab["ME-2"])
    assert rows[2]["CA-3"] == "3e sur 5" and rows[3]["CA-3"] == "2e – 4e"


def test_each_territory_has_its_colour_and_pattern_in_the_chart():
    figure = comparison_chart(FRAME, ["LAB", "DATA"], {"LAB": "Laboratoire", "DATA": "Données"})
    assert [trace.name for trace in figure.data] == ["Une", "Deux", "Trois"]
    assert [trace.marker.color for trace in figure.data] == list(COMPARE_COLOURS[:3])
    assert len({trace.marker.pattern.shape for trace in figure.data}) == 3
    assert figure.data[2].x == (None, 50.0)
    histories = pd.DataFrame(
        {"territory": ["ME-1", "ME-1", "ME-2"], "millesime": [2025, 2026, 2026],
         "global_index": [60.0, 70.0, 70.0]}
    )  # fmt: skip
    evolution = comparison_evolution(histories, {"ME-1": "Une", "ME-2": "Deux"})
    assert evolution.data[0].x == (2025, 2026) and evolution.data[1].y == (70.0,)
    assert evolution.data[0].marker.symbol != evolution.data[1].marker.symbol
