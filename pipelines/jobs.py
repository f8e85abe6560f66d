"""Jobs and schedules of the observatory."""

import dagster as dg

from assets.partitions import all_millesimes_tags
from assets.questionnaire import questionnaire_tables
from pipelines.run_recovery import host_tags

# Both jobs are partitioned by millésime: Dagster infers it from the survey assets they hold.
# The achievements' job is not: its assets cover every millésime at once.

#: Everything: reference, submissions, scores of every millésime, achievements, publication
#: (with checks).
full_refresh_job = dg.define_asset_job(
    name="actualisation_complete",
    selection=dg.AssetSelection.all(),
    description="Reconstruit le référentiel, ingère les fichiers reçus, recalcule les scores de "
    "tous les millésimes et les recommandations de réalisations, et publie.",
)

#: What new files change: submissions, the scores of their millésimes and the publication;
#: with the questionnaire's tables (read from its files in a moment), so that what is
#: published about the method is always what scored it, even right after an upgrade; and
#: the achievements, whose recommendations follow the scores.
ingestion_job = dg.define_asset_job(
    name="ingestion_des_depots",
    selection=dg.AssetSelection.groups("submissions", "scoring", "achievements", "publication")
    | dg.AssetSelection.assets(questionnaire_tables),
    description="Archive et valide les fichiers reçus, recalcule les scores de leurs millésimes "
    "et les recommandations de réalisations, et publie.",
)


#: What territories' contributions change: sheet files of the inbox recorded, the tables of
#: the published sheets, feedback, comments and recommendations rebuilt, then published.
achievements_publication_job = dg.define_asset_job(
    name="publication_des_realisations",
    selection=dg.AssetSelection.groups("achievements", "publication"),
    description="Enregistre les fiches de réalisation reçues, reconstruit les tables des "
    "réalisations publiées (soutiens, commentaires, recommandations) et publie.",
)


@dg.schedule(
    job=full_refresh_job,
    cron_schedule="0 2 * * *",
    execution_timezone="Europe/Paris",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Chaque nuit à 2 h : actualisation complète, tous millésimes en une exécution.",
)
def actualisation_nocturne(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    """One run over every millésime (the partitioned assets run their range at once)."""
    return dg.RunRequest(
        run_key=f"nuit-{context.scheduled_execution_time:%Y-%m-%d}",
        tags={**all_millesimes_tags(), **host_tags()},
    )


nightly_refresh_schedule = actualisation_nocturne
