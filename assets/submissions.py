"""Assets of the submissions: every received file archived, then validated into answers,
reports and statuses (see :mod:`domain.submissions`)."""

import traceback
from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from assets.resources import SubmissionStorage
from assets.tables import materialize_results, table_spec
from domain.questionnaire import load_questionnaires
from domain.storage import replace_tables
from domain.submissions.archive import archive_file, archived_files, record_all_archived
from domain.submissions.inbox import read_sidecar, remove_from_inbox, waiting_files
from domain.submissions.kept_validations import read_kept_validations, write_kept_validations
from domain.submissions.validation import validate_received_files
from schemas.vocabulary import REJECTED


@dg.multi_asset(
    specs=[
        table_spec(
            "raw_submission_files",
            "raw_submission_files",
            "Chaque fichier reçu, archivé à l'octet près sous son SHA-256 avant d'être lu.",
            "submissions",
        )
    ],
    pool="duckdb_warehouse",
)
def raw_submission_files(
    context: dg.AssetExecutionContext, warehouse: DuckDBResource, storage: SubmissionStorage
):
    """Every file received, archived byte for byte under its SHA-256 before it is read."""
    incoming = Path(storage.incoming_dir)
    incoming.mkdir(parents=True, exist_ok=True)
    new, known = 0, 0
    with warehouse.get_connection() as con:
        received = []
        for path in waiting_files(incoming):
            metadata = read_sidecar(path)
            archived = archive_file(
                path,
                Path(storage.archive_dir),
                metadata.get("submitter", "dossier d'arrivée"),
                metadata.get("file_name", path.name),
                metadata.get("received_at"),
            )
            received.append((path, archived))
        recorded = record_all_archived(con, [archived for _, archived in received])
        for (path, _), is_new in zip(received, recorded, strict=True):
            # Only once the archives and their records are durable do files leave the inbox.
            remove_from_inbox(path)
            new += is_new
            known += not is_new
            if not is_new:
                context.log.info(f"{path.name}: déjà reçu (mêmes octets), ignoré")
        total = len(archived_files(con))
    yield dg.MaterializeResult(
        metadata={"new_files": new, "identical_files_ignored": known, "archived_files": total}
    )


@dg.multi_asset(
    specs=[
        table_spec(
            "core_validated_answers",
            "validated_answers",
            "Réponses des fichiers acceptés, validées (pandera) contre le référentiel et la "
            "version du questionnaire de leur millésime.",
            "submissions",
            deps=["raw_submission_files", "core_territories", "core_questions"],
            published=False,
        ),
        table_spec(
            "core_validation_issues",
            "validation_issues",
            "Rapport de chaque fichier : ses 200 premières lignes (ligne, colonne, question, "
            "valeur, règle, message en français).",
            "submissions",
            deps=["raw_submission_files", "core_territories", "core_questions"],
        ),
        table_spec(
            "core_validation_rule_counts",
            "validation_rule_counts",
            "Nombre d'erreurs et d'avertissements de chaque fichier, par règle enfreinte.",
            "submissions",
            deps=["raw_submission_files", "core_territories", "core_questions"],
        ),
        table_spec(
            "core_submission_files",
            "submission_files",
            "Statut de chaque fichier reçu : acceptée, remplacée, rejetée, corrigée.",
            "submissions",
            deps=["raw_submission_files", "core_territories", "core_questions"],
        ),
    ],
    pool="duckdb_warehouse",
)
def validated_submissions(context: dg.AssetExecutionContext, warehouse: DuckDBResource):
    """Validate every archived file against the reference and the questionnaire version of
    its millésime: answers of accepted files, each file's report and status.

    A file already validated with the same reference and questionnaire versions is not read
    again: its validation kept in the warehouse is reused (``files_reused``); the others are
    read and validated together (``files_validated``). Statuses are computed over all files.
    """
    with warehouse.get_connection() as con:
        files = archived_files(con)
        territories = con.execute("SELECT code, kind FROM territories").df()
        known = read_kept_validations(con)
    validation = validate_received_files(files, territories, load_questionnaires(), known=known)
    for file_name, error in validation.unreadable:
        trace = "".join(traceback.format_exception(error))
        context.log.error(f"{file_name}: validation impossible\n{trace}")
    statuses = validation.submission_files
    with warehouse.get_connection() as con:
        write_kept_validations(con, validation.new, validation.known.files["sha256"])
        replace_tables(
            con,
            {
                "validated_answers": validation.answers,
                "validation_issues": validation.issues,
                "validation_rule_counts": validation.rule_counts,
                "submission_files": statuses,
            },
        )
    rejected = statuses.loc[statuses["status"] == REJECTED]
    for file in rejected.itertuples():
        context.log.warning(f"{file.file_name}: rejeté ({file.errors} erreur(s))")
    yield from materialize_results(
        {
            "core_validated_answers": {
                "answers": len(validation.answers),
                "files_validated": validation.files_validated,
                "files_reused": validation.files_reused,
            },
            "core_validation_issues": {"rows": len(validation.issues)},
            "core_validation_rule_counts": {
                "rows": len(validation.rule_counts),
                "issues": int(validation.rule_counts["issues"].sum()),
            },
            "core_submission_files": {
                "files": len(statuses),
                "accepted_files": len(statuses) - len(rejected),
                "rejected_files": len(rejected),
                "rejected": ", ".join(rejected["file_name"].head(20)),
            },
        }
    )
