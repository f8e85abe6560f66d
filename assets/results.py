"""Observatory results: ranks and percentiles among peers, rank robustness, strengths,
weaknesses and the peers to learn from, per territory and millésime."""

import warnings

import dagster as dg
import numpy as np
import pandas as pd
from dagster_duckdb import DuckDBResource

from assets.partitions import millesime_partitions, millesimes_of, single_run
from assets.questionnaire import Questionnaire, load_questionnaires
from assets.robustness import UncertaintySettings, rank_uncertainty
from assets.scoring import MIN_AXIS_COVERAGE, MIN_INDEX_COVERAGE
from assets.storage import replace_rows

#: Population bands (lower bound included), for a second peer group.
POPULATION_BANDS: tuple[tuple[float, str], ...] = (
    (0, "moins de 100 000 habitants"),
    (100_000, "100 000 à 250 000 habitants"),
    (250_000, "250 000 à 500 000 habitants"),
    (500_000, "500 000 à 1 million d'habitants"),
    (1_000_000, "plus d'1 million d'habitants"),
)
#: An axis this many points above (below) the peer median is a strength (weakness).
STRENGTH_GAP = 10.0
PEERS_TO_LEARN_FROM = 3
STRENGTH, WEAKNESS = "force", "faiblesse"


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


@dg.asset(
    group_name="scoring",
    kinds={"duckdb"},
    pool="duckdb_warehouse",
    deps=["out_territory_scores"],
    partitions_def=millesime_partitions,
    backfill_policy=single_run,
)
def out_territory_results(
    context: dg.AssetExecutionContext, warehouse: DuckDBResource
) -> dg.MaterializeResult:
    """Ranks and percentiles among peers with Monte Carlo rank intervals, strengths, weaknesses
    and peers to learn from, per territory and millésime (partitioned by millésime)."""
    millesimes = millesimes_of(context)
    of_run = "WHERE list_contains(?, millesime)"
    questionnaires = load_questionnaires()
    with warehouse.get_connection() as con:
        territories = con.execute("SELECT code, kind, population FROM territories").df()
        territory_scores = con.execute(
            f"SELECT * FROM territory_scores {of_run}", [millesimes]
        ).df()
        axis_scores = con.execute(f"SELECT * FROM axis_scores {of_run}", [millesimes]).df()
        question_scores = con.execute(
            "SELECT territory, millesime, question, axis, weight, score FROM question_scores "
            + of_run,
            [millesimes],
        ).df()
        # Each millésime's uncertainty is simulated with the settings of its own version.
        ranked, sensitivities, runs = [], [], {}
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
            runs[version.version] = settings.base_samples * (3 + 2)
        ranks = pd.concat(ranked, ignore_index=True) if ranked else pd.DataFrame()
        sensitivity = pd.concat(sensitivities, ignore_index=True) if ranked else pd.DataFrame()
        positions = axis_positions(axis_scores, territories.set_index("code")["kind"])
        peers = peers_to_learn_from(positions)
        replace_rows(con, "territory_ranks", ranks, millesimes)
        replace_rows(con, "axis_positions", positions, millesimes)
        replace_rows(con, "peers_to_learn_from", peers, millesimes)
        replace_rows(con, "rank_sensitivity", sensitivity, millesimes)
    width = (ranks["rank_p95"] - ranks["rank_p05"]).median() if len(ranks) else None
    return dg.MaterializeResult(
        metadata={
            "millesimes": ", ".join(map(str, millesimes)),
            "territories_ranked": int(ranks["rank"].notna().sum()) if len(ranks) else 0,
            "median_rank_interval_width": float(width) if pd.notna(width) else 0.0,
            "weak_axes": int((positions["position"] == WEAKNESS).sum()),
            **{f"monte_carlo_runs_{version}": n for version, n in runs.items()},
        }
    )


def uncertainty_settings(questionnaire: Questionnaire) -> UncertaintySettings:
    """The Monte Carlo settings declared by a questionnaire version's methodology."""
    return UncertaintySettings.from_dict(
        questionnaire.methodology.get("uncertainty"),
        min_axis_coverage=MIN_AXIS_COVERAGE,
        min_index_coverage=MIN_INDEX_COVERAGE,
    )
