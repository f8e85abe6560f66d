"""Jobs and schedules of the observatory."""

import dagster as dg

#: Everything: reference, submissions, scores, publication (with every check).
full_refresh_job = dg.define_asset_job(
    name="actualisation_complete",
    selection=dg.AssetSelection.all(),
    description="Reconstruit le référentiel, ingère les fichiers reçus, recalcule et publie les scores.",
)

#: What new files change: submissions, scores and publication (the reference stays).
ingestion_job = dg.define_asset_job(
    name="ingestion_des_depots",
    selection=dg.AssetSelection.groups("submissions", "scoring", "publication"),
    description="Archive et valide les fichiers reçus, recalcule et publie les scores.",
)

nightly_refresh_schedule = dg.ScheduleDefinition(
    name="actualisation_nocturne",
    job=full_refresh_job,
    cron_schedule="0 2 * * *",
    execution_timezone="Europe/Paris",
    default_status=dg.DefaultScheduleStatus.RUNNING,
)
