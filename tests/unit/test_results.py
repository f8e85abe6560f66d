"""Observatory results: peer ranks, percentiles, bands, strengths, weaknesses, peers, robustness."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from domain.results import axis_positions, peers_to_learn_from, population_band, ranks_within
from domain.robustness import UncertaintySettings, peer_ranks, rank_uncertainty, simulate_indices
from schemas.vocabulary import STRENGTH, WEAKNESS


def test_ranks_and_percentiles_within_peer_group():
    scores = pd.DataFrame(
        {
            "millesime": 2026,
            "peer_group": ["DEP", "DEP", "DEP", "REG", "DEP"],
            "global_index": [80.0, 50.0, 65.0, 70.0, np.nan],
        }
    )
    ranked = ranks_within(scores, "peer_group")
    assert ranked["rank"].tolist() == [1, 3, 2, 1]
    assert ranked["percentile"].tolist() == [100, 0, 50, 100]
    assert ranked["peers"].tolist() == [3, 3, 3, 1]
    assert 4 not in ranked.index, "no rank without an index"


def test_population_bands():
    bands = population_band(pd.Series([50_000, 100_000, 2_500_000, None], dtype="Float64"))
    assert bands.tolist()[:3] == [
        "moins de 100 000 habitants",
        "100 000 à 250 000 habitants",
        "plus d'1 million d'habitants",
    ]
    assert pd.isna(bands.iloc[3])


def test_strengths_weaknesses_and_peers_to_learn_from():
    axis_scores = pd.DataFrame(
        {
            "territory": ["A", "B", "C", "D", "A", "B", "C", "D"],
            "millesime": 2026,
            "axis": ["X"] * 4 + ["Y"] * 4,
            "score": [20.0, 60.0, 70.0, 90.0, 80.0, 50.0, 50.0, 50.0],
            "coverage": 1.0,
        }
    )
    positions = axis_positions(
        axis_scores, pd.Series({"A": "DEP", "B": "DEP", "C": "DEP", "D": "DEP"})
    )
    by_key = positions.set_index(["territory", "axis"])
    assert by_key.loc[("A", "X"), "peer_median"] == 65
    assert by_key.loc[("A", "X"), "position"] == WEAKNESS
    assert by_key.loc[("A", "Y"), "position"] == STRENGTH
    assert by_key.loc[("B", "X"), "position"] is None
    peers = peers_to_learn_from(positions, top=2)
    assert peers[["territory", "axis", "peer", "peer_rank"]].values.tolist() == [
        ["A", "X", "D", 1],
        ["A", "X", "C", 2],
    ]


def test_index_simulation_matches_the_methodology_at_nominal_settings():
    # Two territories, two axes of two questions; nominal weights, arithmetic.
    scores = np.array([[100.0, 0.0, 50.0, np.nan], [40.0, 60.0, 20.0, 80.0]])
    asked = np.ones_like(scores, dtype=bool)
    axis = np.array(["A", "A", "B", "B"])
    settings = UncertaintySettings(min_axis_coverage=0.5, min_index_coverage=0.8)
    ones = np.ones((2, 4))
    index = simulate_indices(
        scores, asked, axis, ones, np.ones((2, 2)), np.array([False, True]), settings
    )
    assert index[0].tolist() == pytest.approx([(50 + 50) / 2, (50 + 50) / 2])
    assert index[1, 0] == pytest.approx(50)
    assert index[1, 1] == pytest.approx(np.sqrt(50 * 50))
    ranks = peer_ranks(index, np.array(["DEP", "DEP"]))
    assert ranks[0].tolist() == [1, 1]


def test_rank_interval_is_wide_for_close_territories_and_narrow_for_distant_ones():
    rng = np.random.default_rng(0)
    rows = []
    for t, level in {"T1": 90, "T2": 50, "T3": 51, "T4": 10}.items():
        for axis in ("A", "B", "C"):
            for q in range(3):
                rows.append(
                    (
                        t,
                        f"{axis}{q}",
                        axis,
                        1.0 + q,
                        float(np.clip(level + rng.normal(0, 15), 0, 100)),
                    )
                )
    question_scores = pd.DataFrame(
        rows, columns=["territory", "question", "axis", "weight", "score"]
    )
    result = rank_uncertainty(
        question_scores,
        pd.Series({"T1": "DEP", "T2": "DEP", "T3": "DEP", "T4": "DEP"}),
        UncertaintySettings(base_samples=32),
    )
    ranks = result.ranks.set_index("territory")
    assert ranks.loc["T1", "rank_median"] == 1 and ranks.loc["T4", "rank_median"] == 4
    assert ranks.loc["T1", "rank_p05"] == ranks.loc["T1", "rank_p95"] == 1
    assert set(result.sensitivity["factor"]) == {
        "question_weights",
        "axis_weights",
        "index_aggregation",
    }
    assert result.sensitivity["total"].between(0, 1).all()
