"""Assets of the results, partitioned by millésime: ranks among peers with Monte Carlo rank
intervals, the share of rank variance each methodological choice explains, strengths and
weaknesses, and the peers to learn from (see :mod:`domain.results`)."""

import dagster as dg
import pandas as pd
from dagster_duckdb import DuckDBResource

from assets.partitions import millesimes_of, single_run, survey_table
from assets.tables import materialize_results, reused_results
from domain.millesime_inputs import (
    millesime_fingerprints,
    rewrite_millesimes,
    unchanged_millesimes,
)
from domain.questionnaire import load_questionnaires
from domain.results import survey_results
from schemas.vocabulary import WEAKNESS

#: Name under which the results' fingerprints are kept, and the tables they stand for.
RESULTS = "survey_results"
RESULT_TABLES = ("territory_ranks", "axis_positions", "peers_to_learn_from", "rank_sensitivity")
RESULT_KEYS = (
    "out_territory_ranks",
    "out_axis_positions",
    "out_peers_to_learn_from",
    "out_rank_sensitivity",
)


@dg.multi_asset(
    specs=[
        survey_table(
            "out_territory_ranks",
            "territory_ranks",
            "Rang et percentile parmi les pairs (type, tranche de population), intervalle de "
            "rang 5–95 % (Monte Carlo).",
            deps=["out_territory_scores", "int_question_scores", "core_territories"],
        ),
        survey_table(
            "out_rank_sensitivity",
            "rank_sensitivity",
            "Part de la variance des rangs expliquée par chaque choix méthodologique (Sobol).",
            deps=["int_question_scores", "core_uncertainty_settings"],
        ),
        survey_table(
            "out_axis_positions",
            "axis_positions",
            "Chaque axe d'un territoire face à la médiane de ses pairs : force ou faiblesse.",
            deps=["out_axis_scores", "core_territories"],
        ),
        survey_table(
            "out_peers_to_learn_from",
            "peers_to_learn_from",
            "Pour chaque axe faible, les meilleurs territoires du même type.",
            deps=["out_axis_positions"],
        ),
    ],
    pool="duckdb_warehouse",
    backfill_policy=single_run,
)
def survey_results_tables(context: dg.AssetExecutionContext, warehouse: DuckDBResource):
    """Ranks and percentiles among peers with Monte Carlo rank intervals, strengths, weaknesses
    and peers to learn from, per territory, for the run's millésimes.

    A millésime whose inputs did not change since its results were written is not computed
    again (``reused_millesimes``; see :mod:`domain.millesime_inputs`).
    """
    questionnaires = load_questionnaires()
    of_run = "WHERE list_contains(?, millesime)"
    with warehouse.get_connection() as con:
        fingerprints = millesime_fingerprints(con, millesimes_of(context), questionnaires)
        reused = unchanged_millesimes(con, RESULTS, fingerprints, RESULT_TABLES)
        millesimes = sorted(set(fingerprints) - reused)
        if not millesimes:  # nothing changed: the tables stay as they are
            yield from reused_results(RESULT_KEYS, "recomputed", reused)
            return
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
        found = survey_results(
            millesimes,
            territories,
            territory_scores,
            axis_scores,
            question_scores,
            questionnaires,
        )
        frames = (
            found.ranks,
            found.axis_positions,
            found.peers_to_learn_from,
            found.rank_sensitivity,
        )
        rewrite_millesimes(
            con,
            RESULTS,
            dict(zip(RESULT_TABLES, frames, strict=True)),
            {m: fingerprints[m] for m in millesimes},
        )
    ranks = found.ranks
    width = (ranks["rank_p95"] - ranks["rank_p05"]).median() if len(ranks) else None
    yield from materialize_results(
        {
            "out_territory_ranks": {
                "millesimes": ", ".join(map(str, millesimes)),
                "recomputed": bool(millesimes),
                "reused_millesimes": ", ".join(map(str, sorted(reused))),
                "territories_ranked": int(ranks["rank"].notna().sum()) if len(ranks) else 0,
                "median_rank_interval_width": float(width) if pd.notna(width) else 0.0,
                **{f"monte_carlo_runs_{v}": n for v, n in found.simulations.items()},
            },
            "out_rank_sensitivity": {"rows": len(found.rank_sensitivity)},
            "out_axis_positions": {
                "weak_axes": int((found.axis_positions["position"] == WEAKNESS).sum())
            },
            "out_peers_to_learn_from": {"rows": len(found.peers_to_learn_from)},
        }
    )
