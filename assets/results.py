"""Assets of the results, partitioned by millésime: ranks among peers with Monte Carlo rank
intervals, the share of rank variance each methodological choice explains, strengths and
weaknesses, and the peers to learn from (see :mod:`domain.results`)."""

import dagster as dg
import pandas as pd
from dagster_duckdb import DuckDBResource

from assets.partitions import millesimes_of, single_run, survey_table
from assets.tables import materialize_results
from domain.questionnaire import load_questionnaires
from domain.results import survey_results
from domain.storage import replace_rows
from schemas.vocabulary import WEAKNESS


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
    and peers to learn from, per territory, for the run's millésimes."""
    millesimes = millesimes_of(context)
    of_run = "WHERE list_contains(?, millesime)"
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
        found = survey_results(
            millesimes,
            territories,
            territory_scores,
            axis_scores,
            question_scores,
            load_questionnaires(),
        )
        replace_rows(con, "territory_ranks", found.ranks, millesimes)
        replace_rows(con, "axis_positions", found.axis_positions, millesimes)
        replace_rows(con, "peers_to_learn_from", found.peers_to_learn_from, millesimes)
        replace_rows(con, "rank_sensitivity", found.rank_sensitivity, millesimes)
    ranks = found.ranks
    width = (ranks["rank_p95"] - ranks["rank_p05"]).median() if len(ranks) else None
    yield from materialize_results(
        {
            "out_territory_ranks": {
                "millesimes": ", ".join(map(str, millesimes)),
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
