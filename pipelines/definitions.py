"""The observatory's Dagster code location: assets, checks, jobs, schedules, sensors, resources."""

from __future__ import annotations

import dagster as dg

from assets.achievements import raw_achievement_files
from assets.checks import (
    SCHEMA_CHECKS,
    national_index_has_no_unexplained_fall,
    one_score_per_territory_millesime_question,
    publication_fits_its_size_limit,
    territory_scores_are_complete_and_bounded,
)
from assets.publication import TABLE_ASSETS, out_published_snapshot
from pipelines.jobs import (
    achievements_publication_job,
    full_refresh_job,
    ingestion_job,
    nightly_refresh_schedule,
)
from pipelines.resources import build_resources
from pipelines.sensors import (
    alert_on_run_failure,
    contributions_sensor,
    dead_runs_sensor,
    incoming_files_sensor,
)

#: Every asset: one per table of the warehouse, the sheet files of the contributions store,
#: and the publication.
all_assets = [*TABLE_ASSETS, raw_achievement_files, out_published_snapshot]
#: Every blocking check, each attached to the table it checks.
all_checks = [
    *SCHEMA_CHECKS,
    one_score_per_territory_millesime_question,
    territory_scores_are_complete_and_bounded,
    national_index_has_no_unexplained_fall,
    publication_fits_its_size_limit,
]

defs = dg.Definitions(
    assets=all_assets,
    asset_checks=all_checks,
    jobs=[full_refresh_job, ingestion_job, achievements_publication_job],
    schedules=[nightly_refresh_schedule],
    sensors=[incoming_files_sensor, contributions_sensor, alert_on_run_failure, dead_runs_sensor],
    resources=build_resources(),
    # Steps run one after another (one writer of the warehouse, pool ``duckdb_warehouse``):
    # a process per step only added ~12 s of start-up to each (a run of new files went
    # from 206 s to about a minute in one process).
    executor=dg.in_process_executor,
)
