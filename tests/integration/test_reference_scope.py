"""The reference at every scope (from the national table built once per session), and the
reference asset rebuilt only when its fingerprint changes (counted, not timed)."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import duckdb
import pandas as pd
import pytest
from dagster_duckdb import DuckDBResource

from assets.reference import territory_reference
from domain.reference import load_territory_reference
from domain.settings import SCOPE_ENV, SCOPES


@pytest.fixture(scope="module")
def references() -> dict[str, pd.DataFrame]:
    """The reference of each named scope (filtered from the same national table)."""
    return {name: load_territory_reference(scope) for name, scope in SCOPES.items()}


def test_counts_by_kind_at_every_scope(references):
    counts = {name: t["kind"].value_counts().to_dict() for name, t in references.items()}
    default, epci, communes, every = (counts[n] for n in SCOPES)
    assert default["REG"] == every["REG"] == 18 and default["DEP"] == every["DEP"] == 101
    assert "CC" not in default and 900 <= epci["CC"] <= 1_100
    assert 1_200 <= sum(epci[k] for k in ("ME", "CU", "CA", "CC")) <= 1_300
    assert default["COM"] == epci["COM"] and 800 <= communes["COM"] <= 1_200
    assert 34_000 <= every["COM"] <= 35_500
    assert (references["communes-10000"].query("kind == 'COM'")["population"] >= 10_000).all()
    # The default scope is the historical reference, row for row.
    pd.testing.assert_frame_equal(references["defaut"], load_territory_reference())


def test_every_territory_has_a_position_and_its_parents_at_every_scope(references):
    for name, territories in references.items():
        parents = territories[["region", "departement", "epci"]].stack()
        assert set(parents) <= set(territories["code"]), name
        communes = territories.loc[territories["kind"] == "COM"]
        assert communes["departement"].notna().all() and communes["region"].notna().all()
        assert communes[["longitude", "latitude"]].notna().all().all(), name
    every = references["toutes"].set_index("code")
    # A commune of a communauté de communes has it as its parent once CC answer.
    assert every.loc[every.loc["COM-01001", "epci"], "kind"] == "CC"
    assert pd.isna(load_territory_reference().set_index("code").get("COM-01001"))


def _materialize(warehouse: Path) -> dict[str, object]:
    """Materialize the reference asset alone; return its metadata (core_territories)."""
    result = dg.materialize(
        [territory_reference], resources={"warehouse": DuckDBResource(database=str(warehouse))}
    )
    [event] = [
        e
        for e in result.get_asset_materialization_events()
        if e.asset_key == dg.AssetKey("core_territories")
    ]
    metadata = event.materialization.metadata
    return {key: getattr(value, "value", value) for key, value in metadata.items()}


def test_the_reference_is_rebuilt_only_when_its_inputs_change(tmp_path, monkeypatch):
    warehouse = tmp_path / "warehouse.duckdb"
    monkeypatch.delenv(SCOPE_ENV, raising=False)
    first = _materialize(warehouse)
    assert first["rebuilt"] is True and first["rows"] == 514
    with duckdb.connect(str(warehouse)) as con:
        # A mark in the table: a rebuild would erase it.
        con.execute("UPDATE territories SET name = 'inchangé' WHERE code = 'REG-93'")

    second = _materialize(warehouse)
    assert second["rebuilt"] is False and second["rows"] == 514
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("SELECT name FROM territories WHERE code = 'REG-93'").fetchone() == (
            "inchangé",
        )

    monkeypatch.setenv(SCOPE_ENV, "epci")
    wider = _materialize(warehouse)
    assert wider["rebuilt"] is True and wider["perimetre"] == "epci"
    assert wider["territoires_CC"] >= 900 and wider["rows"] > 1_400
    assert _materialize(warehouse)["rebuilt"] is False

    with duckdb.connect(str(warehouse)) as con:
        con.execute("DROP TABLE map_geometries")
    assert _materialize(warehouse)["rebuilt"] is True, "a missing table is built again"
