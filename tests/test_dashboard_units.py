"""Pure pieces of the dashboard: French formatting, figures, URL helpers, callbacks."""

from __future__ import annotations

import json
from datetime import date, datetime

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboards import figures
from dashboards.components import parse_millesime, query_parameters, query_string
from dashboards.formatting import (
    format_date,
    format_integer,
    format_number,
    format_percent,
)

LEVELS = pd.DataFrame(
    {
        "level": [1, 2, 3, 4, 5],
        "label": ["Découverte", "Émergent", "Structuré", "Avancé", "Exemplaire"],
        "min_score": [0, 20, 40, 60, 80],
        "max_score": [20, 40, 60, 80, 100],
    }
)


def _scores() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "code": ["DEP-13", "DEP-2A", "DEP-75", "REG-93", "REG-11"],
            "kind": ["DEP", "DEP", "DEP", "REG", "REG"],
            "kind_label": ["Département"] * 3 + ["Région"] * 2,
            "name": ["Bouches-du-Rhône", "Corse-du-Sud", "Paris", "PACA", "Île-de-France"],
            "population": [2_024_162, 160_000, 2_100_000, 5_100_000, 12_300_000],
            "global_index": [62.4, None, 81.0, 45.0, None],
            "maturity_level": [4, None, 5, 3, None],
            "maturity_label": ["Avancé", "Données insuffisantes", "Exemplaire", "Structuré", None],
            "coverage": [0.9, 0.3, 1.0, 0.8, None],
            "answered": [True, True, True, True, False],
        }
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [(62.4, "62,4"), (62.45, "62,5"), (0, "0,0"), (12345.6, "12\u202f345,6"), (None, "–")],
)
def test_numbers_are_written_the_french_way(value, expected):
    assert format_number(value) == expected


def test_counts_shares_and_dates_are_written_the_french_way():
    assert format_integer(1_993_177) == "1\u202f993\u202f177"
    assert format_integer(float("nan")) == "–"
    assert format_percent(0.352) == "35\u00a0%"
    assert format_percent(0.352, 1) == "35,2\u00a0%"
    assert format_date(datetime(2026, 5, 12, 9, 30)) == "12 mai 2026 à 09:30"
    assert format_date(date(2026, 1, 1)) == "1er janvier 2026"


def test_url_helpers():
    assert query_string(code="DEP-13", millesime=2026, echelon=None) == (
        "?code=DEP-13&millesime=2026"
    )
    assert query_string() == ""
    assert query_parameters("?code=DEP-13&millesime=2025") == {
        "code": "DEP-13",
        "millesime": "2025",
    }
    assert parse_millesime("2025", [2024, 2025, 2026]) == 2025
    assert parse_millesime("1999", [2024, 2025, 2026]) == 2026
    assert parse_millesime("n'importe quoi", [2024, 2025]) == 2025
    assert parse_millesime(None, []) is None


def test_level_distribution_counts_answered_territories_by_kind_and_level():
    distribution = figures.level_distribution(_scores(), LEVELS)
    departements = distribution[distribution["kind"] == "DEP"].set_index("level")
    assert departements.loc[4, "territories"] == 1
    assert departements.loc[5, "territories"] == 1
    assert departements.loc[0, "label"] == "Données insuffisantes"
    assert departements["share"].sum() == pytest.approx(1)
    regions = distribution[distribution["kind"] == "REG"].set_index("level")
    assert regions["territories"].sum() == 1  # Île-de-France did not answer
    assert list(distribution["kind"].unique()) == ["DEP", "REG"]


def test_distribution_chart_stacks_levels_in_order():
    figure = figures.distribution_chart(figures.level_distribution(_scores(), LEVELS))
    assert figure.layout.barmode == "stack"
    assert [trace.name for trace in figure.data] == [
        "1 Découverte",
        "2 Émergent",
        "3 Structuré",
        "4 Avancé",
        "5 Exemplaire",
        "Données insuffisantes",
    ]
    assert figure.layout.separators == ", "


def test_the_map_is_a_local_choropleth_with_french_hover():
    scores = _scores()
    departements = scores[scores["kind"] == "DEP"]
    figure = figures.territory_map(departements, "/carte/DEP.geojson?v=1", LEVELS)
    assert {trace.type for trace in figure.data} == {"choroplethmap"}
    assert figure.layout.map.style == "white-bg"
    assert figure.layout.map.center.lat == pytest.approx(46.6)
    unscored, scored = figure.data
    assert list(unscored.locations) == ["DEP-2A"]
    assert list(scored.locations) == ["DEP-13", "DEP-75"]
    assert list(scored.customdata[0]) == ["Bouches-du-Rhône", "62,4", "Niveau 4 — Avancé"]
    # Nothing in the figure points outside the app (no CDN topojson, no tiles).
    assert "http" not in json.dumps(figure.to_plotly_json(), default=str)


def test_radar_compares_the_ten_axes_with_the_peers():
    profile = pd.DataFrame(
        {
            "axis": ["LAB", "EADM", "SERV"],
            "label": ["Laboratoire d'innovation", "Administration", "Services"],
            "position": [1, 2, 3],
            "score": [40.0, None, 70.0],
            "coverage": [1.0, 0.2, 1.0],
            "peer_median": [50.0, 55.0, 60.0],
            "peers_scored": [10, 10, 10],
        }
    )
    figure = figures.radar(profile, "Bouches-du-Rhône", "départements")
    assert [trace.type for trace in figure.data] == ["scatterpolar", "scatterpolar"]
    peers, territory = figure.data
    assert list(territory.r) == [40.0, None, 70.0, 40.0]  # closed polygon, gap kept
    assert peers.name == "Médiane des départements"
    assert territory.customdata[0][1] == "40,0"


def test_evolution_chart_shows_index_peers_and_hidden_axes():
    history = pd.DataFrame({"millesime": [2025, 2026], "global_index": [50.0, 55.5]})
    axis_history = pd.DataFrame(
        {
            "millesime": [2025, 2026],
            "axis": ["LAB", "LAB"],
            "label": ["Laboratoire d'innovation"] * 2,
            "position": [1, 1],
            "score": [40.0, 45.0],
            "coverage": [1.0, 1.0],
        }
    )
    peers = pd.DataFrame({"millesime": [2025, 2026], "median_index": [48.0, 49.0]})
    figure = figures.evolution_chart(
        history, axis_history, peers, "Paris", "départements", [2025, 2026], 2026
    )
    visible = {trace.name: trace.visible for trace in figure.data}
    assert visible["Laboratoire"] == "legendonly"
    assert visible["Paris — indice global"] is None
    assert isinstance(figure, go.Figure)


def test_map_click_opens_the_fiche_of_the_clicked_territory():
    import dashboards.app  # noqa: F401  (builds the app, which registers the pages)
    from dashboards.pages.vue_nationale import open_fiche

    click = {"points": [{"curveNumber": 1, "location": "DEP-13", "z": 62.4}]}
    assert open_fiche(click, 2026) == "/territoire?code=DEP-13&millesime=2026"
    assert open_fiche({"points": []}, 2026) is not None  # no_update, not an error
