"""Pure pieces of the dashboard: French formatting, figures, URL helpers, callbacks."""

from __future__ import annotations

import json
from datetime import date, datetime

import dash
import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboards import figures
from dashboards.components import parse_millesime, query_parameters, query_string
from dashboards.formatting import (
    format_date,
    format_integer,
    format_number,
    format_paris_time,
    format_percent,
    format_publication,
    format_range,
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


def test_times_stored_in_utc_are_read_in_paris_time():
    assert format_paris_time(datetime(2026, 11, 30, 10, 56, 29)) == "30 novembre 2026 à 11:56"
    assert format_paris_time(datetime(2026, 7, 1, 22, 30)) == "2 juillet 2026 à 00:30"
    assert format_paris_time(None) == "–"
    assert format_publication(datetime(2026, 11, 30, 10, 56, 29), "20261130-105629") == (
        "30 novembre 2026 à 11:56 (heure de Paris), version 20261130-105629"
    )
    assert format_publication(datetime(2026, 11, 30, 10, 56), None) == (
        "30 novembre 2026 à 11:56 (heure de Paris)"
    )


def test_limits_are_said_in_words():
    assert format_range(0, 100) == "de 0 à 100"
    assert format_range(1, None) == "au moins 1"
    assert format_range(None, 5, lambda n: f"{n} %") == "au plus 5 %"
    assert format_range(None, None) == ""


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


def _markers() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "code": ["ME-1", "CA-2", "COM-3"],
            "kind": ["ME", "CA", "COM"],
            "kind_label": ["Métropole", "Communauté d'agglomération", "Commune"],
            "name": ["Métropole Une", "Agglo Deux", "Ville Trois"],
            "population": [1_000_000, 250_000, None],
            "maturity_level": [5, None, 2],
            "maturity_label": ["Exemplaire", None, "Émergent"],
            "longitude": [4.8, 5.4, 2.3],
            "latitude": [45.7, 43.3, 48.8],
            "value": [91.0, None, 30.5],
        }
    )


def test_the_map_is_an_svg_choropleth_with_markers_and_french_hover():
    scores = _scores()
    departements = scores[scores["kind"] == "DEP"].assign(value=lambda f: f["global_index"])
    figure = figures.territory_map(departements, _markers(), "/carte/DEP.geojson?v=1", LEVELS)
    # A geo subplot (SVG), not MapLibre (WebGL): it draws where WebGL is missing.
    assert [trace.type for trace in figure.data] == [
        "scattergeo",
        "scattergeo",
        "choropleth",
        "choropleth",
        "scattergeo",
        "scattergeo",
        "scattergeo",
    ]
    assert figure.layout.geo.visible is False and figure.layout.geo.projection.type == "mercator"
    frames, labels, unscored, scored, halo, markers, grey = figure.data
    # Plotly fetches a world topojson from a CDN when the first trace has a locationmode.
    assert frames.locationmode is None and len(frames.lon) > 0 and frames.visible is not False
    assert list(labels.text) == ["Guadeloupe", "Martinique", "Guyane", "La Réunion", "Mayotte"]
    assert scored.locationmode == "geojson-id" and scored.geojson == "/carte/DEP.geojson?v=1"
    assert list(unscored.locations) == ["DEP-2A"]
    assert list(scored.locations) == ["DEP-13", "DEP-75"]
    assert list(scored.customdata[0]) == [
        "Bouches-du-Rhône",
        "Indice global : 62,4",
        "Niveau 4 — Avancé",
        "DEP-13",
    ]
    # Default layers: the métropole is a marker, the commune is not shown.
    assert list(markers.customdata[0])[:2] == ["Métropole Une", "Indice global : 91,0"]
    assert list(markers.marker.color) == [91.0] and list(grey.lat) == [43.3]
    assert markers.marker.size[0] > grey.marker.size[0], "markers grow with the population"
    assert list(halo.lat) == [45.7, 43.3] and halo.marker.size[0] > markers.marker.size[0]
    # Nothing in the figure points outside the app (no CDN topojson, no tiles).
    assert "http" not in json.dumps(figure.to_plotly_json(), default=str)


def test_map_values_follow_the_layers_and_the_measure():
    scores = _scores()
    departements = scores[scores["kind"] == "DEP"].assign(value=[10.0, None, 20.0])
    values = figures.map_values(departements, _markers(), "Données", ["communes"])
    frames, labels, outlines_unscored, outlines, halo, markers, grey = values
    assert frames == {} and labels == {}, "the insets never change: nothing to patch"
    assert outlines[("visible",)] is False and outlines[("z",)] == [10.0, 20.0]
    assert markers[("customdata",)][0][:2] == ["Ville Trois", "Données : 30,5"]
    assert markers[("marker", "color")] == [30.5] and grey[("lat",)] == []
    assert figures.marker_sizes(pd.Series([100, 25, None])) == [22.0, 14.0, 6.0]
    bar = figures.colour_bar(LEVELS, "Données", by_level=False)
    assert bar["ticktext"][0] == "0 à 20" and "axe" in bar["title"]["text"]


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
    marker = {"points": [{"curveNumber": 2, "customdata": ["Lyon", "…", "…", "ME-69"]}]}
    assert open_fiche(marker, 2025) == "/territoire?code=ME-69&millesime=2025"
    assert open_fiche({"points": []}, 2026) is not None  # no_update, not an error
    # A disc standing for a département's communes carries no code: it opens no fiche.
    grouped = {"points": [{"curveNumber": 5, "customdata": ["Ain — 393 communes", "…", "…", ""]}]}
    assert open_fiche(grouped, 2026) is dash.no_update


# --- Fiche territoire: ranks, uncertainty, contributions, series breaks -------------------


def _fiche():
    import dashboards.app  # noqa: F401  (builds the app, which registers the pages)
    from dashboards.pages import fiche_territoire

    return fiche_territoire


@pytest.mark.parametrize(
    ("rank", "expected"),
    [(1, "1er"), (2, "2e"), (12, "12e"), (12.0, "12e"), (11.5, "12e"), (1000, "1\u202f000e")],
)
def test_ranks_are_written_the_french_way(rank, expected):
    assert figures.ordinal(rank) == expected


def test_rank_and_percentile_sentences():
    fiche = _fiche()
    assert fiche.rank_text(12, 101, "DEP", "Département") == "12e sur 101 départements"
    assert fiche.rank_text(1, 13, "REG", "Région") == "1er sur 13 régions"
    assert fiche.rank_text(1, 1, "ME", "Métropole") == "1er sur 1 métropole"
    assert fiche.percentile_text(37.0, 101, "départements") == (
        "score supérieur à celui de 37\u00a0% des autres départements"
    )
    assert "aucun autre territoire" in fiche.percentile_text(100.0, 1, "régions")


def test_the_rank_interval_is_a_sentence_in_whole_ranks():
    fiche = _fiche()
    assert fiche.interval_text(9, 16) == (
        "entre le 9e et le 16e rang dans 90\u00a0% des simulations"
    )
    # Interpolated percentiles are widened to the whole ranks that enclose them.
    assert fiche.interval_text(8.6, 15.2) == (
        "entre le 8e et le 16e rang dans 90\u00a0% des simulations"
    )
    assert fiche.interval_text(1, 1) == "au 1er rang dans 90\u00a0% des simulations"
    assert fiche.interval_text(None, 4) is None
    assert figures.interval_bounds(8.0, 15.0) == (8, 15)


def test_the_rank_within_the_population_band():
    fiche = _fiche()
    rank = {"population_band": "250 000 à 500 000 habitants", "band_rank": 3.0, "band_peers": 39}
    assert fiche.band_text(rank) == (
        "3e sur 39 territoires de 250 000 à 500 000 habitants (toutes catégories confondues)"
    )
    assert fiche.band_text({"population_band": None, "band_rank": None, "band_peers": None}) is None


def test_what_pulls_an_axis_down():
    fiche = _fiche()
    answers = pd.DataFrame(
        {
            "question": ["LAB_01", "LAB_02", "LAB_03", "LAB_04", "LAB_05"],
            "points_lost": [0.0, 11.1, 33.3, None, 5.6],
        }
    )
    assert fiche.dragging_questions(answers) == ["LAB_03", "LAB_02", "LAB_05"]
    assert fiche.dragging_questions(answers, top=1) == ["LAB_03"]
    assert fiche.dragging_text(answers, top=2) == (
        "Ce qui tire l'axe vers le bas : LAB_03 (\u221233,3 points), LAB_02 (\u221211,1 points)."
    )
    nothing_lost = answers.assign(points_lost=[0.0, 0.0, None, None, 0.0])
    assert fiche.dragging_text(nothing_lost) == "Aucune réponse ne fait perdre de points à cet axe."


def test_answers_are_shown_with_their_labels():
    fiche = _fiche()
    options = json.dumps(
        [{"code": "paiement", "label": "Paiement en ligne"}, {"code": "chatbot", "label": "Agent"}]
    )
    scale = json.dumps({"0": "Rien", "2": "En projet"})
    assert fiche.answer_text("paiement|chatbot", "choix_multiple", options) == (
        "Paiement en ligne, Agent"
    )
    assert fiche.answer_text("inconnu", "choix_multiple", options) == "inconnu"
    assert fiche.answer_text("2", "echelle", None, scale) == "2 — En projet"
    assert fiche.answer_text("oui", "oui_non") == "oui"
    assert fiche.answer_text("2", "echelle", None, "pas du JSON") == "2"


def test_rank_chart_shows_rank_median_and_interval():
    figure = figures.rank_interval_chart(64, 63.5, 58.2, 72.0, 101, "départements")
    interval, median, rank = figure.data
    assert list(interval.x) == [58, 72]
    assert list(median.x) == [64]
    assert list(rank.x) == [64]
    assert rank.marker.symbol == "diamond" and median.marker.symbol == "circle"
    assert list(figure.layout.xaxis.ticktext) == ["1er", "20e", "40e", "60e", "80e", "101e"]
    # Without an interval the published rank is still drawn.
    assert [
        t.name for t in figures.rank_interval_chart(3, None, None, None, 13, "régions").data
    ] == ["Rang publié"]


@pytest.mark.parametrize("peers", [1, 2, 5, 13, 18, 101, 250, 1234])
def test_rank_ticks_start_at_the_first_end_at_the_last_and_never_crowd(peers):
    ticks = figures.rank_ticks(peers)
    assert ticks[0] == 1 and ticks[-1] == peers
    assert len(ticks) <= 10
    assert ticks == sorted(set(ticks))


def _axis_history() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "millesime": [2024, 2025, 2026, 2024, 2025, 2026],
            "axis": ["LAB"] * 3 + ["DATA"] * 3,
            "label": ["Laboratoire d'innovation"] * 3 + ["Données"] * 3,
            "position": [1] * 3 + [4] * 3,
            "score": [40.0, 45.0, 50.0, 30.0, 35.0, 60.0],
            "coverage": [1.0] * 6,
        }
    )


def test_evolution_chart_marks_series_breaks():
    history = pd.DataFrame({"millesime": [2024, 2025, 2026], "global_index": [50.0, 52.0, 55.5]})
    peers = pd.DataFrame({"millesime": [2024, 2025, 2026], "median_index": [48.0, 49.0, 50.0]})
    breaks = pd.DataFrame(
        {
            "millesime": [2026],
            "version": ["v2"],
            "previous_version": ["v1"],
            "axis": ["DATA"],
            "axis_label": ["Données"],
            "changes": ["question DATA_06 ajoutée"],
        }
    )
    figure = figures.evolution_chart(
        history, _axis_history(), peers, "Paris", "départements", [2024, 2025, 2026], 2026, breaks
    )
    dashed = [shape for shape in figure.layout.shapes if shape.line.dash == "dash"]
    assert [shape.x0 for shape in dashed] == [2025.5]
    marker = next(trace for trace in figure.data if trace.name == "Rupture de série")
    assert marker.customdata[0][0] == ("Rupture de série : Données (question DATA_06 ajoutée)")
    data_line = next(trace for trace in figure.data if trace.name == "Données")
    assert list(data_line.y) == [30.0, 35.0, None, 60.0]  # the line stops at the break
    lab_line = next(trace for trace in figure.data if trace.name == "Laboratoire")
    assert None not in list(lab_line.y)

    # No break, or a break before the first millésime shown: nothing is drawn.
    for no_break in (None, breaks.iloc[0:0], breaks.assign(millesime=[2024])):
        plain = figures.evolution_chart(
            history, _axis_history(), peers, "Paris", "départements", [2024, 2025, 2026], 2026,
            no_break,
        )  # fmt: skip
        assert "Rupture de série" not in [trace.name for trace in plain.data]
        assert not [shape for shape in plain.layout.shapes if shape.line.dash == "dash"]


def test_break_texts_group_the_axes_of_a_millesime():
    breaks = pd.DataFrame(
        {
            "millesime": [2027, 2027, 2029],
            "axis_label": ["Données", "Inclusion", "Filière"],
            "changes": ["question DATA_06 ajoutée", None, "question FILI_01 supprimée"],
        }
    )
    assert figures.break_texts(breaks) == {
        2027: "Rupture de série : Données (question DATA_06 ajoutée) ; Inclusion",
        2029: "Rupture de série : Filière (question FILI_01 supprimée)",
    }
    assert figures.break_texts(None) == {}


def test_sensitivity_chart_shows_first_order_and_total_shares_in_percent():
    sensitivity = pd.DataFrame(
        {
            "factor": ["question_weights", "axis_weights", "index_aggregation"],
            "label": ["Poids des questions", "Poids des axes", "Agrégation"],
            "first_order": [0.19, 0.40, 0.22],
            "total": [0.40, 0.59, 0.32],
            "millesime": [2026] * 3,
        }
    )
    figure = figures.sensitivity_chart(sensitivity)
    by_name = {trace.name: trace for trace in figure.data}
    first = by_name["Premier ordre (ce choix seul)"]
    assert list(first.x) == pytest.approx([19, 40, 22])
    assert first.customdata[1][1] == "40\u00a0%"
    assert list(by_name["Total (avec ses interactions)"].x) == pytest.approx([40, 59, 32])
    assert figure.layout.barmode == "group"


def test_data_table_can_highlight_rows():
    from dashboards.components import Column, data_table

    table = data_table(
        "Légende",
        [Column("Code", "code")],
        [{"code": "A"}, {"code": "B"}],
        row_class=lambda row: "row-dragging" if row["code"] == "B" else None,
    )
    body = table.children[2]
    assert [row.className for row in body.children] == [None, "row-dragging"]
