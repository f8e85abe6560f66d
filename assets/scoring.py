"""Assets of the scores, partitioned by millésime: question scores, axis scores, the global
index with its maturity level, and what each part contributes (see :mod:`domain.scoring`).

A run rescores its millésimes only and leaves the other millésimes' rows as they are.
"""

import dagster as dg
from dagster_duckdb import DuckDBResource

from assets.partitions import millesimes_of, single_run, survey_table
from assets.tables import materialize_results
from domain.questionnaire import load_questionnaires
from domain.scoring import current_answers_query, score_by_version
from domain.storage import replace_rows


@dg.multi_asset(
    specs=[
        survey_table(
            "int_question_scores",
            "question_scores",
            "Score 0–100 de chaque question posée à chaque territoire ayant répondu.",
            deps=["core_validated_answers", "core_territories", "core_questions"],
        ),
        survey_table(
            "out_axis_scores",
            "axis_scores",
            "Score 0–100 et couverture de chacun des dix axes.",
            deps=["int_question_scores"],
        ),
        survey_table(
            "out_territory_scores",
            "territory_scores",
            "Indice global 0–100 et niveau de maturité 1–5 de chaque territoire.",
            deps=["out_axis_scores", "core_maturity_levels"],
        ),
        survey_table(
            "out_score_contributions",
            "score_contributions",
            "Part de chaque question dans son axe et de chaque axe dans l'indice, points perdus.",
            deps=["int_question_scores", "out_axis_scores"],
        ),
    ],
    pool="duckdb_warehouse",
    backfill_policy=single_run,
)
def survey_scores(context: dg.AssetExecutionContext, warehouse: DuckDBResource):
    """Score the current answers of each territory for the run's millésimes, each millésime
    with the methodology of its own questionnaire version."""
    millesimes = millesimes_of(context)
    with warehouse.get_connection() as con:
        answers = con.execute(
            f"SELECT * FROM ({current_answers_query()}) WHERE list_contains(?, millesime)",
            [millesimes],
        ).df()
        territories = con.execute("SELECT code, kind, population FROM territories").df()
        scores = score_by_version(answers, territories, load_questionnaires())
        replace_rows(con, "question_scores", scores.questions, millesimes)
        replace_rows(con, "axis_scores", scores.axes, millesimes)
        replace_rows(con, "territory_scores", scores.territories, millesimes)
        replace_rows(con, "score_contributions", scores.contributions, millesimes)
    of_run = ", ".join(map(str, millesimes))
    medians = scores.territories.groupby("millesime")["global_index"].median().dropna()
    yield from materialize_results(
        {
            "int_question_scores": {
                "millesimes": of_run,
                "rows": len(scores.questions),
                "unanswered": int(scores.questions["score"].isna().sum()),
            },
            "out_axis_scores": {
                "rows": len(scores.axes),
                "insufficient": int(scores.axes["score"].isna().sum()),
            },
            "out_territory_scores": {
                "rows": len(scores.territories),
                **{f"median_index_{m}": float(v) for m, v in medians.items()},
            },
            "out_score_contributions": {"rows": len(scores.contributions)},
        }
    )
