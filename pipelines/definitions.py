"""The observatory's Dagster code location: assets, checks, jobs, schedules, sensors, resources."""

from __future__ import annotations

import dagster as dg

from assets import checks, publication, questionnaire, reference, results, scoring, submissions
from pipelines.jobs import full_refresh_job, ingestion_job, nightly_refresh_schedule
from pipelines.resources import build_resources
from pipelines.sensors import alert_on_run_failure, incoming_files_sensor

all_assets = dg.load_assets_from_modules(
    [reference, questionnaire, submissions, scoring, results, publication]
)
all_checks = dg.load_asset_checks_from_modules([checks])

defs = dg.Definitions(
    assets=all_assets,
    asset_checks=all_checks,
    jobs=[full_refresh_job, ingestion_job],
    schedules=[nightly_refresh_schedule],
    sensors=[incoming_files_sensor, alert_on_run_failure],
    resources=build_resources(),
    # Steps run one after another (one writer of the warehouse, pool ``duckdb_warehouse``):
    # a process per step only added ~12 s of start-up to each (a run of new files went
    # from 206 s to about a minute in one process).
    executor=dg.in_process_executor,
)
