"""The publication asset: the snapshot the dashboard reads, replaced atomically
(see :mod:`domain.publication`). Its tables are the published table assets of the graph.

The asset checks its own size before it replaces anything (a blocking check of its own,
:data:`SIZE_CHECK`), so every job that publishes runs the check, whatever else it selects.
Once the copy is in place it keeps the editions of its millésimes
(:func:`domain.publication.archive_editions`); a refused copy archives nothing."""

from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from assets import achievements, questionnaire, reference, results, scoring, submissions
from assets.resources import PublicationTarget
from assets.tables import tables_of
from domain.publication import (
    archive_editions,
    discard_candidate,
    publish_snapshot,
    read_publication,
    write_candidate,
)
from domain.settings import max_publication_bytes

#: Every asset that is a table of the warehouse.
TABLE_ASSETS: list[dg.AssetsDefinition] = [
    reference.territory_reference,
    questionnaire.questionnaire_tables,
    submissions.raw_submission_files,
    submissions.validated_submissions,
    scoring.survey_scores,
    results.survey_results_tables,
    achievements.core_achievements,
]
#: Asset key → table, for the tables copied into the snapshot.
PUBLISHED_TABLES: dict[str, str] = tables_of(TABLE_ASSETS, published_only=True)


#: The blocking check of the publication's size, evaluated by the publication itself.
SIZE_CHECK = "publication_fits_its_size_limit"


def size_check_result(size: int, limit: int, target: Path) -> dg.AssetCheckResult:
    """The verdict on a copy of ``size`` bytes about to replace ``target``: refused above
    ``limit`` (``OBSERVATOIRE_MAX_PUBLICATION_BYTES``), with what to do, in French."""
    previous = target.stat().st_size if target.exists() else None
    return dg.AssetCheckResult(
        check_name=SIZE_CHECK,
        passed=size <= limit,
        description=None
        if size <= limit
        else (
            f"La copie publiée pèserait {size / 1e6:.1f} Mo, au-delà de la limite de "
            f"{limit / 1e6:.1f} Mo (OBSERVATOIRE_MAX_PUBLICATION_BYTES) : publication "
            "refusée, la copie précédente reste en ligne. Cherchez le fichier reçu qui "
            "l'a fait grossir (page Qualité) ou relevez la limite."
        ),
        metadata={
            "size_bytes": size,
            "limit_bytes": limit,
            "previous_size_bytes": previous if previous is not None else "aucune",
        },
    )


@dg.asset(
    group_name="publication",
    kinds={"duckdb"},
    pool="duckdb_warehouse",
    deps=list(PUBLISHED_TABLES),
    # Not materialized when its size check refuses the copy.
    output_required=False,
    check_specs=[
        dg.AssetCheckSpec(
            SIZE_CHECK,
            asset="out_published_snapshot",
            blocking=True,
            description="La copie publiée ne dépasserait pas OBSERVATOIRE_MAX_PUBLICATION_BYTES.",
        )
    ],
)
def out_published_snapshot(
    context: dg.AssetExecutionContext, warehouse: DuckDBResource, publication: PublicationTarget
):
    """Read-only copy of the published tables for the dashboard, replaced atomically once
    its size is checked: the copy is written once, beside the published one, measured, then
    moved into place, or discarded above the limit (the check fails, blocking: the run
    fails and the dashboard keeps serving the last good copy). A copy put in place becomes
    the edition of its most recent millésime, and of those it is the first to hold."""
    target = Path(publication.published_path)
    run_id = context.run.run_id
    with warehouse.get_connection() as con:
        check = size_check_result(
            write_candidate(con, PUBLISHED_TABLES.values(), target, run_id),
            max_publication_bytes(),
            target,
        )
        if not check.passed:
            discard_candidate(target, run_id)
            yield check
            return
        size = publish_snapshot(con, PUBLISHED_TABLES.values(), target, run_id)
        scored = con.execute("SELECT count(DISTINCT territory) FROM territory_scores").fetchone()[0]
    archived = archive_editions(target)
    yield dg.MaterializeResult(
        metadata={
            "path": str(target),
            "size_bytes": size,
            "version": read_publication(target).version,
            "tables": ", ".join(PUBLISHED_TABLES.values()),
            "territories_scored": scored,
            "editions_archived": dg.MetadataValue.json(archived),
        },
        check_results=[check],
    )
