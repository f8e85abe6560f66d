"""Observatory results: ranks and percentiles among peers, rank robustness, strengths,
weaknesses and the peers to learn from, per territory and millésime."""

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from domain.questionnaire import Questionnaires
from domain.robustness import (
    UncertaintySettings,
    rank_uncertainty,
    simulations_per_millesime,
    uncertainty_settings,
)
from schemas.vocabulary import POPULATION_BANDS, STRENGTH, STRENGTH_GAP, WEAKNESS

#: Peers named for each weak axis of a territory.
PEERS_TO_LEARN_FROM = 3


def population_band(population: pd.Series) -> pd.Series:
    """French label of the population band of each territory (missing when unknown)."""
    bounds = [low for low, _ in POPULATION_BANDS[1:]]
    labels = np.array([label for _, label in POPULATION_BANDS], dtype=object)
    known = population.notna()
    band = pd.Series(None, index=population.index, dtype=object)
    band[known] = labels[np.digitize(population[known].astype(float), bounds)]
    return band


def ranks_within(scores: pd.DataFrame, group: str) -> pd.DataFrame:
    """Rank (1 = best), group size and percentile of each global index within ``group``.

    The percentile is the share of the group's other scored territories that score lower.
    """
    keys = ["millesime", group]
    scored = scores.dropna(subset=["global_index", group])
    rank = scored.groupby(keys)["global_index"].rank(ascending=False, method="min")
    size = scored.groupby(keys)["global_index"].transform("count")
    below = scored.groupby(keys)["global_index"].rank(ascending=True, method="min") - 1
    percentile = np.where(size > 1, 100 * below / (size - 1).clip(lower=1), 100.0)
    return pd.DataFrame({"rank": rank, "peers": size, "percentile": percentile}, index=scored.index)


def axis_positions(axis_scores: pd.DataFrame, kinds: pd.Series) -> pd.DataFrame:
    """Each axis score against the median of the territory's peers (same kind), with its gap."""
    frame = axis_scores.assign(peer_group=axis_scores["territory"].map(kinds))
    frame["peer_median"] = frame.groupby(["millesime", "peer_group", "axis"])["score"].transform(
        "median"
    )
    frame["gap"] = frame["score"] - frame["peer_median"]
    frame["position"] = np.select(
        [frame["gap"] >= STRENGTH_GAP, frame["gap"] <= -STRENGTH_GAP],
        [STRENGTH, WEAKNESS],
        default=None,
    )
    return frame[
        ["territory", "millesime", "axis", "score", "peer_group", "peer_median", "gap", "position"]
    ]


def peers_to_learn_from(positions: pd.DataFrame, top: int = PEERS_TO_LEARN_FROM) -> pd.DataFrame:
    """For each weak axis of a territory, the best territories of its kind on that axis."""
    leaders = (
        positions.dropna(subset=["score"])
        .sort_values(
            ["millesime", "peer_group", "axis", "score", "territory"],
            ascending=[True, True, True, False, True],
        )
        .groupby(["millesime", "peer_group", "axis"])
        .head(top + 1)  # one more, in case the weak territory is itself among them
        .rename(columns={"territory": "peer", "score": "peer_score"})
    )
    weak = positions.loc[
        positions["position"] == WEAKNESS, ["territory", "millesime", "axis", "peer_group", "score"]
    ]
    pairs = weak.merge(
        leaders[["millesime", "peer_group", "axis", "peer", "peer_score"]],
        on=["millesime", "peer_group", "axis"],
    )
    pairs = pairs.loc[pairs["peer"] != pairs["territory"]]
    pairs["peer_rank"] = pairs.groupby(["territory", "millesime", "axis"]).cumcount() + 1
    pairs = pairs.loc[pairs["peer_rank"] <= top]
    return pairs[
        ["territory", "millesime", "axis", "score", "peer", "peer_score", "peer_rank"]
    ].reset_index(drop=True)


def territory_ranks(
    territory_scores: pd.DataFrame,
    territories: pd.DataFrame,
    question_scores: pd.DataFrame,
    settings: UncertaintySettings,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Ranks among peers (kind, population band), rank intervals and sensitivity shares."""
    reference = territories.set_index("code")
    frame = territory_scores[["territory", "millesime", "global_index"]].copy()
    frame["peer_group"] = frame["territory"].map(reference["kind"])
    frame["population_band"] = population_band(
        frame["territory"].map(reference["population"]).astype("Float64")
    )
    frame = frame.join(ranks_within(frame, "peer_group"))
    frame = frame.join(ranks_within(frame, "population_band").add_prefix("band_"))
    intervals, sensitivities = [], []
    for millesime, scores_of_year in question_scores.groupby("millesime"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # SALib: some ranks never move
            result = rank_uncertainty(scores_of_year, reference["kind"], settings)
        intervals.append(result.ranks.assign(millesime=millesime))
        sensitivities.append(result.sensitivity.assign(millesime=millesime))
    if intervals:
        frame = frame.merge(pd.concat(intervals), on=["territory", "millesime"], how="left")
    sensitivity = pd.concat(sensitivities, ignore_index=True) if sensitivities else pd.DataFrame()
    return frame.drop(columns="global_index"), sensitivity


@dataclass(frozen=True)
class SurveyResults:
    """What the observatory tells each territory beyond its scores, for some millésimes."""

    ranks: pd.DataFrame
    axis_positions: pd.DataFrame
    peers_to_learn_from: pd.DataFrame
    rank_sensitivity: pd.DataFrame
    #: Monte Carlo runs per millésime, by questionnaire version.
    simulations: dict[str, int]


def survey_results(
    millesimes: list[int],
    territories: pd.DataFrame,
    territory_scores: pd.DataFrame,
    axis_scores: pd.DataFrame,
    question_scores: pd.DataFrame,
    questionnaires: Questionnaires,
) -> SurveyResults:
    """Ranks, rank intervals, strengths, weaknesses and peers of ``millesimes``; each
    millésime's uncertainty is simulated with the settings of its own questionnaire version."""
    ranked, sensitivities, simulations = [], [], {}
    for version in questionnaires.versions:
        of_version = [m for m in millesimes if m in version.millesimes]
        if not of_version:
            continue
        settings = uncertainty_settings(version)
        ranks, sensitivity = territory_ranks(
            territory_scores[territory_scores["millesime"].isin(of_version)],
            territories,
            question_scores[question_scores["millesime"].isin(of_version)],
            settings,
        )
        ranked.append(ranks)
        sensitivities.append(sensitivity)
        simulations[version.version] = simulations_per_millesime(settings)
    ranks = pd.concat(ranked, ignore_index=True) if ranked else pd.DataFrame()
    sensitivity = pd.concat(sensitivities, ignore_index=True) if ranked else pd.DataFrame()
    positions = axis_positions(axis_scores, territories.set_index("code")["kind"])
    return SurveyResults(ranks, positions, peers_to_learn_from(positions), sensitivity, simulations)
