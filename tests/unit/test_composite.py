"""The composite-indicator engine: every normalisation, aggregation and missing-data rule."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from domain.composite import (
    MethodologyError,
    compute,
    contributions,
    load_methodology,
    methodology_from_dict,
)
from domain.settings import PROJECT_ROOT

#: Published figures of the UNDP HDI 2021 (Human Development Report 2021/22), copied from
#: ../shared/fixtures so that the test also runs in a user's clone.
HDI_FIXTURE = PROJECT_ROOT / "tests" / "fixtures" / "hdi_2021.csv"
HDI_METHODOLOGY = PROJECT_ROOT / "data" / "methodologies" / "hdi_2021.yaml"


def values(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["unit", "indicator", "value"])


def score_of(result: pd.DataFrame, unit: str, node: str) -> float:
    return float(result.set_index(["unit", "node"]).loc[(unit, node), "score"])


def one_indicator(**spec) -> dict:
    return {"root": "index", "nodes": {"index": {"children": ["x"]}}, "indicators": {"x": spec}}


@pytest.mark.skipif(not HDI_FIXTURE.exists(), reason="tests/fixtures/hdi_2021.csv absent")
def test_reproduces_the_published_human_development_index():
    published = pd.read_csv(HDI_FIXTURE)
    long = published.melt(
        id_vars=["iso3"],
        value_vars=[
            "life_expectancy",
            "expected_years_schooling",
            "mean_years_schooling",
            "gni_per_capita_ppp2017",
        ],
        var_name="indicator",
    ).rename(columns={"iso3": "unit"})
    result = compute(long, load_methodology(HDI_METHODOLOGY))
    hdi = result.loc[result["node"] == "hdi"].set_index("unit")["score"]
    expected = published.set_index("iso3")["published_hdi"]
    matches = (hdi.reindex(expected.index).round(3) - expected).abs() < 1e-9
    assert len(expected) == 191
    assert matches.sum() >= 190, expected[~matches]


@pytest.mark.parametrize(
    ("spec", "raw", "expected"),
    [
        ({"normalisation": {"method": "minmax", "min": 20, "max": 85}}, 52.5, 0.5),
        ({"normalisation": {"method": "minmax", "min": 20, "max": 85}}, 90, 1.0),  # clipped
        ({"normalisation": {"method": "minmax", "min": 20, "max": 85}}, 10, 0.0),  # clipped
        ({"normalisation": {"method": "minmax", "min": 20, "max": 85, "clip": False}}, 90, 70 / 65),
        (
            {
                "normalisation": {"method": "minmax", "min": 0, "max": 10},
                "direction": "lower_is_better",
            },
            2,
            0.8,
        ),
        (
            {"normalisation": {"method": "minmax", "min": 100, "max": 10000}, "transform": "log"},
            1000,
            0.5,
        ),
        ({"normalisation": {"method": "minmax", "min": 0, "max": 100}, "cap": 50}, 80, 0.5),
        ({"normalisation": {"method": "scale", "max": 4}}, 3, 0.75),
        ({"normalisation": "identity"}, 0.42, 0.42),
        ({"mapping": {"oui": 1, "non": 0}, "normalisation": "identity"}, "OUI", 1.0),
        ({"mapping": {"oui": 1, "non": 0}, "normalisation": "identity"}, "non", 0.0),
    ],
)
def test_normalisations(spec, raw, expected):
    result = compute(values([("u", "x", raw)]), methodology_from_dict(one_indicator(**spec)))
    assert score_of(result, "u", "x") == pytest.approx(expected)
    assert score_of(result, "u", "index") == pytest.approx(expected)


def test_unmapped_answer_and_log_of_zero_are_missing_not_errors():
    mapped = methodology_from_dict(one_indicator(mapping={"oui": 1}, normalisation="identity"))
    assert math.isnan(score_of(compute(values([("u", "x", "peut-être")]), mapped), "u", "x"))
    logged = methodology_from_dict(
        one_indicator(transform="log", normalisation={"min": 1, "max": 10})
    )
    assert math.isnan(score_of(compute(values([("u", "x", 0)]), logged), "u", "x"))


def test_denominator_per_10000_inhabitants():
    document = {
        "root": "index",
        "nodes": {"index": {"children": ["advisers"]}},
        "indicators": {
            "advisers": {
                "denominator": "population",
                "per": 10000,
                "normalisation": {"min": 0, "max": 2},
            },
        },
    }
    rows = [
        ("a", "advisers", 5),
        ("a", "population", 50000),
        ("b", "advisers", 5),
        ("b", "population", 0),
    ]
    result = compute(values(rows), methodology_from_dict(document))
    assert score_of(result, "a", "advisers") == pytest.approx(0.5)
    assert math.isnan(score_of(result, "b", "advisers")), "no population, no rate"


def tree(aggregation="arithmetic", weights=None, min_coverage=0.0, impute=None, scale=100) -> dict:
    identity = {"normalisation": "identity"}
    return {
        "root": "index",
        "scale": scale,
        "nodes": {
            "index": {
                "children": ["axis_a", "axis_b"],
                "aggregation": aggregation,
                "min_coverage": 0.0,
            },
            "axis_a": {
                "children": ["a1", "a2", "a3"],
                "weights": weights or {},
                "min_coverage": min_coverage,
                "impute": impute,
                "aggregation": aggregation,
            },
            "axis_b": {"children": ["b1"]},
        },
        "indicators": {code: identity for code in ("a1", "a2", "a3", "b1")},
    }


def test_weighted_arithmetic_and_geometric_means_at_every_level():
    rows = [("u", "a1", 0.2), ("u", "a2", 0.8), ("u", "a3", 0.5), ("u", "b1", 0.4)]
    weights = {"a1": 1, "a2": 2, "a3": 1}
    arithmetic = compute(values(rows), methodology_from_dict(tree(weights=weights)))
    axis_a = (0.2 + 1.6 + 0.5) / 4
    assert score_of(arithmetic, "u", "axis_a") == pytest.approx(100 * axis_a)
    assert score_of(arithmetic, "u", "index") == pytest.approx(100 * (axis_a + 0.4) / 2)
    geometric = compute(values(rows), methodology_from_dict(tree("geometric", weights)))
    geo_a = (0.2 * 0.8**2 * 0.5) ** (1 / 4)
    assert score_of(geometric, "u", "axis_a") == pytest.approx(100 * geo_a)
    assert score_of(geometric, "u", "index") == pytest.approx(100 * math.sqrt(geo_a * 0.4))


def test_geometric_mean_with_a_zero_is_zero():
    rows = [("u", "a1", 0.0), ("u", "a2", 0.8), ("u", "a3", 0.5), ("u", "b1", 0.4)]
    result = compute(values(rows), methodology_from_dict(tree("geometric")))
    assert score_of(result, "u", "axis_a") == 0


def test_zero_weight_children_do_not_count_and_all_zero_weights_give_no_score():
    rows = [("u", "a1", 1.0), ("u", "a2", 0.0), ("u", "a3", 0.0), ("u", "b1", 0.4)]
    result = compute(values(rows), methodology_from_dict(tree(weights={"a1": 1, "a2": 0, "a3": 0})))
    assert score_of(result, "u", "axis_a") == pytest.approx(100)
    all_zero = compute(
        values(rows), methodology_from_dict(tree(weights={"a1": 0, "a2": 0, "a3": 0}))
    )
    assert math.isnan(score_of(all_zero, "u", "axis_a"))


def test_coverage_threshold_makes_a_node_insufficient():
    rows = [
        ("u", "a1", 0.9),
        ("u", "b1", 0.4),
        ("v", "a1", 0.9),
        ("v", "a2", 0.5),
        ("v", "b1", 0.4),
    ]
    result = compute(values(rows), methodology_from_dict(tree(min_coverage=0.6)))
    by_key = result.set_index(["unit", "node"])
    assert by_key.loc[("u", "axis_a"), "coverage"] == pytest.approx(1 / 3)
    assert math.isnan(by_key.loc[("u", "axis_a"), "score"])
    assert by_key.loc[("v", "axis_a"), "score"] == pytest.approx(70)
    # The index of u only has axis_b, with no threshold at the index level.
    assert by_key.loc[("u", "index"), "score"] == pytest.approx(40)


def test_by_default_a_node_needs_all_its_children():
    """``min_coverage`` defaults to 1: a missing child makes its parent insufficient rather
    than silently re-weighting it over the children it has."""
    document = tree()
    del document["nodes"]["axis_a"]["min_coverage"]
    result = compute(
        values([("u", "a1", 0.9), ("u", "a2", 0.5), ("u", "b1", 0.4)]),
        methodology_from_dict(document),
    )
    by_key = result.set_index(["unit", "node"])
    assert by_key.loc[("u", "axis_a"), "coverage"] == pytest.approx(2 / 3)
    assert math.isnan(by_key.loc[("u", "axis_a"), "score"])


def test_all_values_missing():
    rows = [("u", "a1", None), ("u", "a2", None), ("u", "a3", None), ("u", "b1", None)]
    result = compute(values(rows), methodology_from_dict(tree()))
    assert result["score"].isna().all()
    assert (result.loc[result["level"] == "node", "coverage"] == 0).all()


def test_imputation_is_flagged():
    rows = [
        ("u", "a1", 0.9),
        ("u", "a2", 0.6),
        ("u", "b1", 0.4),
        ("v", "a1", 0.5),
        ("v", "a2", 0.2),
        ("v", "a3", 0.8),
        ("v", "b1", 0.4),
    ]
    zero = compute(values(rows), methodology_from_dict(tree(impute="zero"))).set_index(
        ["unit", "node"]
    )
    assert zero.loc[("u", "axis_a"), "score"] == pytest.approx(100 * 1.5 / 3)
    assert bool(zero.loc[("u", "axis_a"), "imputed"]) and bool(zero.loc[("u", "index"), "imputed"])
    assert not bool(zero.loc[("v", "axis_a"), "imputed"])
    mean = compute(values(rows), methodology_from_dict(tree(impute="mean"))).set_index(
        ["unit", "node"]
    )
    assert mean.loc[("u", "axis_a"), "score"] == pytest.approx(100 * (0.9 + 0.6 + 0.8) / 3)


def test_single_indicator_tree():
    result = compute(
        values([("u", "x", 0.3)]), methodology_from_dict(one_indicator(normalisation="identity"))
    )
    assert score_of(result, "u", "index") == pytest.approx(0.3)


def test_deeper_tree_and_contributions_add_up():
    document = {
        "root": "index",
        "scale": 100,
        "nodes": {
            "index": {"children": ["axis"], "weights": {"axis": 1}},
            "axis": {"children": ["sub1", "sub2"], "weights": {"sub1": 3, "sub2": 1}},
            "sub1": {"children": ["i1", "i2"]},
            "sub2": {"children": ["i3"]},
        },
        "indicators": {c: {"normalisation": "identity"} for c in ("i1", "i2", "i3")},
    }
    methodology = methodology_from_dict(document)
    result = compute(values([("u", "i1", 1.0), ("u", "i2", 0.0), ("u", "i3", 1.0)]), methodology)
    assert score_of(result, "u", "axis") == pytest.approx(100 * (3 * 0.5 + 1) / 4)
    parts = contributions(result, methodology)
    axis = parts.loc[parts["parent"] == "axis"].set_index("child")["contribution"]
    assert axis.sum() == pytest.approx(score_of(result, "u", "axis"))
    assert axis["sub1"] == pytest.approx(37.5) and axis["sub2"] == pytest.approx(25)


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (
            {
                "root": "r",
                "nodes": {"r": {"children": ["x"], "aggregation": "median"}},
                "indicators": {"x": {}},
            },
            "aggregation : valeur « median » inconnue",
        ),
        (
            {"root": "r", "nodes": {"r": {"children": ["y"]}}, "indicators": {"x": {}}},
            "enfant « y » inconnu",
        ),
        (
            {
                "root": "r",
                "nodes": {"r": {"children": ["s"]}, "s": {"children": ["r"]}},
                "indicators": {},
            },
            "cycle",
        ),
        (
            {
                "root": "r",
                "nodes": {"r": {"children": ["x"]}},
                "indicators": {"x": {"normalisation": {"min": 1, "max": 1}}},
            },
            "bornes",
        ),
        (
            {
                "root": "r",
                "nodes": {"r": {"children": ["x"], "weights": {"x": -1}}},
                "indicators": {"x": {}},
            },
            "valeur négative",
        ),
    ],
)
def test_inconsistent_methodologies_are_refused_in_french(document, message):
    with pytest.raises(MethodologyError, match=message):
        methodology_from_dict(document)


def test_vectorised_over_many_units():
    rng = np.random.default_rng(0)
    units = [f"u{i}" for i in range(2000)]
    rows = [(u, code, rng.random()) for u in units for code in ("a1", "a2", "a3", "b1")]
    result = compute(values(rows), methodology_from_dict(tree()))
    assert result.loc[result["node"] == "index", "score"].notna().sum() == 2000


def test_hdi_methodology_file_is_documented_example():
    assert Path(HDI_METHODOLOGY).exists()


@pytest.mark.skipif(not HDI_FIXTURE.exists(), reason="tests/fixtures/hdi_2021.csv absent")
def test_score_command_writes_every_node_for_every_unit(tmp_path, run_cli):
    published = pd.read_csv(HDI_FIXTURE)
    long = published.melt(
        id_vars=["iso3"], value_vars=list(published.columns[2:6]), var_name="indicator"
    )
    long.rename(columns={"iso3": "unit"}).to_csv(tmp_path / "values.csv", index=False)
    done = run_cli(
        "score", "--methodology", str(HDI_METHODOLOGY),
        "--values", str(tmp_path / "values.csv"), "--out", str(tmp_path / "scores.csv"),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    scores = pd.read_csv(tmp_path / "scores.csv")
    assert len(scores) == 191 * 8  # 4 indicators + 4 nodes
    norway = scores.set_index(["unit", "node"]).loc[("NOR", "hdi"), "score"]
    assert round(norway, 3) == published.set_index("iso3").loc["NOR", "published_hdi"]


def test_indicators_that_do_not_apply_count_neither_as_missing_nor_in_weights():
    rows = [("u", "a1", 0.9), ("u", "b1", 0.4)]
    applicable = pd.DataFrame({"unit": ["u", "u"], "indicator": ["a1", "b1"]})
    result = compute(values(rows), methodology_from_dict(tree(min_coverage=0.6)), applicable)
    by_key = result.set_index(["unit", "node"])
    assert by_key.loc[("u", "axis_a"), "coverage"] == 1
    assert by_key.loc[("u", "axis_a"), "score"] == pytest.approx(90)
    assert ("u", "a2") not in by_key.index
