"""Classements: the pure functions behind the grid (filters, address, rows, sort)."""

from __future__ import annotations

import pandas as pd

import dashboards.app  # noqa: F401  (builds the app, which registers the pages)
from dashboards.pages.classements import (
    BANDS,
    DEFAULT_SORT,
    RankingFilters,
    column_defs,
    grid_rows,
    kind_options,
    parse_filters,
    parse_sort,
    ranking_query,
    search_of,
    sort_from_column_state,
    sort_name,
)

FRAME = pd.DataFrame(
    {
        "code": ["ME-1", "CA-2", "DEP-3"],
        "name": ["Métropole Une", "Agglo Deux", "Département Trois"],
        "kind": ["ME", "CA", "DEP"],
        "kind_label": ["Métropole", "Communauté d'agglomération", "Département"],
        "region": ["REG-93", "REG-93", "REG-11"],
        "region_name": ["Provence", "Provence", "Île-de-France"],
        "population": [900_000, 120_000, 1_500_000],
        "population_band": [BANDS["4"], BANDS["2"], BANDS["5"]],
        "global_index": [71.25, None, 40.0],
        "maturity_level": [4, None, 3],
        "maturity_label": ["Avancé", None, "Structuré"],
        "rank": [1.0, None, 2.0],
        "peers": [2, 1, 2],
        "rank_p05": [1.0, None, 1.0],
        "rank_p95": [2.0, None, 2.0],
        "change": [3.5, None, -1.25],
        "previous_millesime": [2025, None, 2025],
        "DATA": [80.0, None, 12.5],
    }
)


def test_the_filters_become_the_parameters_of_the_query():
    query = ranking_query(2026, RankingFilters(kinds=("ME", "CA"), region="REG-93", band="2"))
    assert query.parameters() == {
        "millesime": 2026,
        "kinds": ["ME", "CA"],
        "region": "REG-93",
        "band": BANDS["2"],  # the band's label, as the published table holds it
        "text": None,
    }
    assert ranking_query(2026, RankingFilters(), "lyon").parameters()["text"] == "lyon"


def test_an_address_round_trips_through_the_filters():
    filters = RankingFilters(kinds=("ME", "CA"), region="REG-93", band="2", sort=("DATA", "asc"))
    search = search_of(2025, filters)
    assert search == "?millesime=2025&type=ME%2CCA&region=REG-93&tranche=2&tri=axe_data-asc"
    parameters = {"type": "ME,CA", "region": "REG-93", "tranche": "2", "tri": "axe_data-asc"}
    assert parse_filters(parameters, {"REG-93"}) == filters


def test_unknown_address_values_fall_back_to_the_defaults():
    parsed = parse_filters(
        {"type": "XX,ME", "region": "REG-00", "tranche": "9", "tri": "nope-up"}, {"REG-93"}
    )
    assert parsed == RankingFilters(kinds=("ME",))
    assert parse_sort(None) == DEFAULT_SORT
    assert sort_name(DEFAULT_SORT) is None  # the default sort is not written in the address
    assert parse_sort("evolution-asc") == ("change", "asc")


def test_rows_link_each_territory_to_its_fiche_and_say_insufficient_data():
    rows = grid_rows(FRAME, 2026)
    assert rows[0]["territoire"] == "[Métropole Une](/territoire?code=ME-1&millesime=2026)"
    assert rows[0]["level"] == "4 — Avancé"
    assert rows[1]["level"] == "Données insuffisantes"
    assert rows[1]["global_index"] is None and rows[1]["change"] is None
    assert rows[2]["change"] == -1.25 and rows[2]["DATA"] == 12.5


def test_the_sorted_column_carries_the_sort_and_the_grid_state_gives_it_back():
    columns = column_defs({"DATA": "Données"}, ("change", "asc"))
    sorted_columns = [c["field"] for c in columns if c.get("sort")]
    assert sorted_columns == ["change"]
    data_column = next(c for c in columns if c["field"] == "DATA")
    assert data_column["headerName"] == "Données" and "0 à 100" in data_column["headerTooltip"]
    state = [{"colId": "territoire", "sort": None}, {"colId": "population", "sort": "desc"}]
    assert sort_from_column_state(state) == ("population", "desc")
    assert sort_from_column_state([{"colId": "territoire"}]) is None


def test_the_kind_filter_offers_the_kinds_held_largest_first():
    options = kind_options(["COM", "CC", "DEP", "COM"])
    assert options == [
        {"label": "Départements", "value": "DEP"},
        {"label": "Comm. de communes", "value": "CC"},
        {"label": "Communes", "value": "COM"},
    ]
    assert kind_options([]) == []
