"""Assets of the exemplary achievements (« réalisations exemplaires »): sheet files dropped in
the inbox recorded in the contributions store, then the store's published sheets, feedback,
comments and recommendations written as tables of the warehouse, for the publication (see
:mod:`domain.achievements`).

Not partitioned: the recommendations cover every millésime and cost little. The dashboard
never reads the store; what territories write reaches the pages through these tables.
"""

from pathlib import Path

import dagster as dg
import pandas as pd
from dagster_duckdb import DuckDBResource

from assets.resources import ContributionStore, SubmissionStorage
from assets.tables import materialize_results, table_spec
from domain.achievements.ledger import (
    current_comments,
    current_sheets,
    ledger_frames,
    ledger_version,
)
from domain.achievements.recommendations import achievement_recommendations
from domain.achievements.references import questionnaire_codes
from domain.achievements.service import SheetReferences, receive_waiting_sheets, sheets_inbox
from domain.achievements.tables import (
    achievement_tables,
    sheet_summaries,
    write_achievement_tables,
)
from domain.questionnaire import load_questionnaires
from domain.submissions.inbox import waiting_files
from schemas.vocabulary import REFUSED, REJECTED, SHEET_PROPOSED

#: The group of the achievements' assets.
GROUP = "achievements"


def achievements_inbox(storage: SubmissionStorage) -> Path:
    """The folder of the inbox where achievement sheet files wait (``realisations``)."""
    return sheets_inbox(Path(storage.incoming_dir))


@dg.asset(
    group_name=GROUP,
    kinds={"duckdb", "sqlite"},
    deps=["core_territories", "core_questions"],
    pool="duckdb_warehouse",
)
def raw_achievement_files(
    context: dg.AssetExecutionContext,
    warehouse: DuckDBResource,
    storage: SubmissionStorage,
    contributions: ContributionStore,
) -> dg.MaterializeResult:
    """Sheet files dropped in the inbox's ``realisations`` folder: archived byte for byte,
    checked against the warehouse's territories and the questionnaire's axes and questions,
    recorded in the contributions store (as a version, or rejected with its report)."""
    inbox = achievements_inbox(storage)
    outcomes = []
    if waiting_files(inbox):
        with warehouse.get_connection() as con:
            territories = dict(con.execute("SELECT code, kind FROM territories").fetchall())
        axes, questions = questionnaire_codes(load_questionnaires())
        outcomes = receive_waiting_sheets(
            inbox,
            Path(storage.archive_dir),
            Path(contributions.path),
            references=SheetReferences(territories, axes, questions),
        )
    for outcome in outcomes:
        if outcome.issues:
            context.log.warning(f"{outcome.status} : {outcome.message}")
    return dg.MaterializeResult(
        metadata={
            "files": len(outcomes),
            "proposed": sum(outcome.status == SHEET_PROPOSED for outcome in outcomes),
            "rejected": sum(outcome.status in (REJECTED, REFUSED) for outcome in outcomes),
            "ledger_version": ledger_version(Path(contributions.path)),
        }
    )


#: Asset key → (table, description, published).
ACHIEVEMENT_TABLES: dict[str, tuple[str, str, bool]] = {
    "core_achievements": (
        "achievements",
        "Réalisations exemplaires publiées (version en vigueur, après revue d'un analyste), "
        "avec leurs soutiens, adaptations et commentaires publiés.",
        True,
    ),
    "core_achievement_axes": (
        "achievement_axes",
        "Axes que sert chaque réalisation publiée.",
        True,
    ),
    "core_achievement_fundings": (
        "achievement_fundings",
        "Financeurs de chaque réalisation publiée, avec leur part et leur montant.",
        True,
    ),
    "core_achievement_feedback": (
        "achievement_feedback",
        "Soutiens et adaptations (« nous l'adaptons ») des réalisations publiées, un par "
        "territoire.",
        True,
    ),
    "core_achievement_comments": (
        "achievement_comments",
        "Commentaires publiés des réalisations publiées.",
        True,
    ),
    "out_achievement_recommendations": (
        "achievement_recommendations",
        "Pour chaque axe faible d'un territoire, les trois réalisations de pairs mieux notés "
        "sur cet axe, les plus proches d'abord.",
        True,
    ),
    "core_achievement_history": (
        "achievement_history",
        "Historique des fiches pour les analystes : chaque version, décision et rejet "
        "(non publié).",
        False,
    ),
}


@dg.multi_asset(
    specs=[
        table_spec(
            key,
            table,
            description,
            GROUP,
            deps=["raw_achievement_files", "core_territories", "out_axis_positions"],
            published=published,
        )
        for key, (table, description, published) in ACHIEVEMENT_TABLES.items()
    ],
    pool="duckdb_warehouse",
)
def core_achievements(warehouse: DuckDBResource, contributions: ContributionStore):
    """The published sheets, their axes, fundings, feedback and comments, the
    recommendations of peers' sheets on weak axes, and the history for the analysts, from
    the contributions store, the territories and the axis positions of every millésime."""
    store = Path(contributions.path)
    version = ledger_version(store)  # read first: the tables hold at least this version
    frames = ledger_frames(store)
    current = current_sheets(frames)
    tables = achievement_tables(
        current,
        current_comments(frames),
        frames.feedback,
        frames.versions,
        frames.reviews,
        frames.rejections,
        frames.comment_reviews,
    )
    with warehouse.get_connection() as con:
        territories = con.execute("SELECT code, kind, population, region FROM territories").df()
        positions = (
            con.execute(
                "SELECT territory, millesime, axis, score, gap, position FROM axis_positions"
            ).df()
            if _exists(con, "axis_positions")
            else pd.DataFrame(
                columns=["territory", "millesime", "axis", "score", "gap", "position"]
            )
        )
        recommendations = achievement_recommendations(
            sheet_summaries(current), territories, positions
        )
        write_achievement_tables(
            con, {**tables.as_dict(), "achievement_recommendations": recommendations}
        )
    achievements = tables.achievements
    yield from materialize_results(
        {
            "core_achievements": {
                "published_sheets": len(achievements),
                "sheets": len(current),
                "awaiting_review": int((current["status"] == SHEET_PROPOSED).sum()),
                "contributing_territories": int(achievements["territory"].nunique()),
                "ledger_version": version,
            },
            "core_achievement_axes": {"rows": len(tables.achievement_axes)},
            "core_achievement_fundings": {"rows": len(tables.achievement_fundings)},
            "core_achievement_feedback": {"rows": len(tables.achievement_feedback)},
            "core_achievement_comments": {"rows": len(tables.achievement_comments)},
            "out_achievement_recommendations": {"rows": len(recommendations)},
            "core_achievement_history": {"rows": len(tables.achievement_history)},
        }
    )


def _exists(con, table: str) -> bool:
    """Whether the warehouse holds ``table``."""
    return bool(
        con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE table_name = ?", [table]
        ).fetchone()[0]
    )
