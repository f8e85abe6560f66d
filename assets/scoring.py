"""Assets of the scores, partitioned by millésime: question scores, axis scores, the global
index with its maturity level, and what each part contributes (see :mod:`domain.scoring`).

A run rescores its millésimes only and leaves the other millésimes' rows as they are; of
its millésimes, only those whose inputs changed.
"""

import dagster as dg
from dagster_duckdb import DuckDBResource

from assets.partitions import millesimes_of, single_run, survey_table
from assets.tables import materialize_results, reused_results
from domain.millesime_inputs import (
    millesime_fingerprints,
    rewrite_millesimes,
    unchanged_millesimes,
)
from domain.questionnaire import load_questionnaires
from domain.scoring import current_answers_query, score_by_version

#: Name under which the scores' fingerprints are kept, and the tables they stand for (in the
#: order of :class:`domain.scoring.SurveyScores`).
SCORES = "survey_scores"
SCORE_TABLES = ("question_scores", "axis_scores", "territory_scores", "score_contributions")
SCORE_KEYS = (
    "int_question_scores",
    "out_axis_scores",
    "out_territory_scores",
    "out_score_contributions",
)


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
    with the methodology of its own questionnaire version.

    A millésime whose inputs did not change since its scores were written is not scored
    again (``reused_millesimes``; see :mod:`domain.millesime_inputs`): its rows stay as
    they are, identical to what scoring it again would write.
    """
    questionnaires = load_questionnaires()
    with warehouse.get_connection() as con:
        fingerprints = millesime_fingerprints(con, millesimes_of(context), questionnaires)
        reused = unchanged_millesimes(con, SCORES, fingerprints, SCORE_TABLES)
        millesimes = sorted(set(fingerprints) - reused)
        if not millesimes:  # nothing changed: the tables stay as they are
            yield from reused_results(SCORE_KEYS, "rescored", reused)
            return
        answers = con.execute(
            f"SELECT * FROM ({current_answers_query()}) WHERE list_contains(?, millesime)",
            [millesimes],
        ).df()
        territories = con.execute("SELECT code, kind, population FROM territories").df()
        scores = score_by_version(answers, territories, questionnaires)
        frames = (scores.questions, scores.axes, scores.territories, scores.contributions)
        rewrite_millesimes(
            con,
            SCORES,
            dict(zip(SCORE_TABLES, frames, strict=True)),
            {m: fingerprints[m] for m in millesimes},
        )
    of_run = ", ".join(map(str, millesimes))
    unchanged = ", ".join(map(str, sorted(reused)))
    medians = scores.territories.groupby("millesime")["global_index"].median().dropna()
    yield from materialize_results(
        {
            "int_question_scores": {
                "millesimes": of_run,
                "rescored": bool(millesimes),
                "reused_millesimes": unchanged,
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
