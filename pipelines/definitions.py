"""The observatory's Dagster code location: assets, jobs, schedules and resources."""

from __future__ import annotations

import dagster as dg

from assets import checks, publication, questionnaire, reference, results, scoring, submissions
from pipelines.resources import build_resources

all_assets = dg.load_assets_from_modules(
    [reference, questionnaire, submissions, scoring, results, publication]
)

all_checks = dg.load_asset_checks_from_modules([checks])

full_refresh_job = dg.define_asset_job(
    name="actualisation_complete",
    selection=dg.AssetSelection.all(),
    description="Reconstruit le référentiel, ingère les fichiers reçus, recalcule et publie les scores.",
)

nightly_refresh_schedule = dg.ScheduleDefinition(
    name="actualisation_nocturne",
    job=full_refresh_job,
    cron_schedule="0 2 * * *",
    execution_timezone="Europe/Paris",
)

defs = dg.Definitions(
    assets=all_assets,
    asset_checks=all_checks,
    jobs=[full_refresh_job],
    schedules=[nightly_refresh_schedule],
    resources=build_resources(),
)
