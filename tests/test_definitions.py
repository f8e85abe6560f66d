"""The Dagster code location loads, with the expected assets, job and schedule."""

from __future__ import annotations

from datetime import datetime

import dagster as dg

from assets.questionnaire import load_questionnaires
from pipelines.definitions import defs


def test_definitions_load_with_every_asset_grouped_by_layer():
    graph = defs.resolve_asset_graph()
    groups = {key.to_user_string(): graph.get(key).group_name for key in graph.get_all_asset_keys()}
    assert groups == {
        "core_territories": "reference",
        "core_map_geometries": "reference",
        "core_questionnaire": "reference",
        "raw_submission_files": "submissions",
        "core_validated_answers": "submissions",
        "int_question_scores": "scoring",
        "out_axis_scores": "scoring",
        "out_territory_scores": "scoring",
        "out_territory_results": "scoring",
        "out_published_snapshot": "publication",
    }


def test_every_asset_has_a_description_and_writes_through_the_warehouse_pool():
    graph = defs.resolve_asset_graph()
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        assert node.description, key
        assert "duckdb" in node.kinds, key
        assert node.pools == {"duckdb_warehouse"}, key


def test_jobs_run_their_steps_in_one_process():
    for name in ("actualisation_complete", "ingestion_des_depots"):
        assert defs.resolve_job_def(name).executor_def.name == "in_process", name


def test_nightly_schedule_targets_the_full_refresh():
    schedule = defs.resolve_schedule_def("actualisation_nocturne")
    assert schedule.cron_schedule == "0 2 * * *"
    assert schedule.job_name == "actualisation_complete"
    context = dg.build_schedule_context(scheduled_execution_time=datetime(2026, 11, 23, 2, 0))
    requests = list(schedule.evaluate_tick(context).run_requests or [])
    assert len(requests) == 1
    assert requests[0].run_key == "nuit-2026-11-23"
    # One run over every millésime the questionnaires open, not one run per millésime.
    opened = [str(m) for m in load_questionnaires().open_millesimes]
    assert requests[0].tags["dagster/asset_partition_range_start"] == opened[0]
    assert requests[0].tags["dagster/asset_partition_range_end"] == opened[-1]


def test_survey_assets_are_partitioned_by_millesime():
    opened = [str(m) for m in load_questionnaires().open_millesimes]
    graph = defs.resolve_asset_graph()
    partitioned = {
        key.to_user_string()
        for key in graph.get_all_asset_keys()
        if graph.get(key).partitions_def is not None
    }
    assert partitioned == {
        "int_question_scores",
        "out_axis_scores",
        "out_territory_scores",
        "out_territory_results",
    }
    for name in partitioned:
        node = graph.get(dg.AssetKey(name))
        assert node.partitions_def.get_partition_keys() == opened
        assert node.backfill_policy == dg.BackfillPolicy.single_run()
