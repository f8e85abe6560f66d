"""The Dagster code location loads, with the expected assets, job and schedule."""

from __future__ import annotations

from datetime import datetime

import dagster as dg

from domain.questionnaire import load_questionnaires
from pipelines.definitions import defs


def test_definitions_load_with_every_asset_grouped_by_layer():
    graph = defs.resolve_asset_graph()
    groups = {key.to_user_string(): graph.get(key).group_name for key in graph.get_all_asset_keys()}
    reference = [
        "core_territories", "core_map_geometries", "core_axes", "core_questions",
        "core_methodology_versions", "core_series_breaks", "core_maturity_levels",
        "core_methodology_nodes", "core_methodology_indicators", "core_uncertainty_settings",
    ]  # fmt: skip
    submissions = [
        "raw_submission_files", "core_validated_answers", "core_validation_issues",
        "core_validation_rule_counts", "core_submission_files",
    ]  # fmt: skip
    assert groups == {
        **dict.fromkeys(reference, "reference"),
        **dict.fromkeys(submissions, "submissions"),
        **dict.fromkeys(SURVEY_TABLES, "scoring"),
        **dict.fromkeys(ACHIEVEMENT_ASSETS, "achievements"),
        "out_published_snapshot": "publication",
    }


#: The assets of the achievements: sheet files recorded, then the tables of the store.
ACHIEVEMENT_ASSETS = [
    "raw_achievement_files", "core_achievements", "core_achievement_axes",
    "core_achievement_fundings", "core_achievement_feedback", "core_achievement_comments",
    "out_achievement_recommendations", "core_achievement_history",
]  # fmt: skip


#: The tables partitioned by millésime, one asset each.
SURVEY_TABLES = [
    "int_question_scores", "out_axis_scores", "out_territory_scores", "out_score_contributions",
    "out_territory_ranks", "out_rank_sensitivity", "out_axis_positions", "out_peers_to_learn_from",
]  # fmt: skip


def test_each_check_is_attached_to_the_table_it_reads():
    graph = defs.resolve_asset_graph()
    attached = {key.name: key.asset_key.to_user_string() for key in graph.asset_check_keys}
    assert attached == {
        "territories_match_their_schema": "core_territories",
        "map_geometries_match_their_schema": "core_map_geometries",
        "validated_answers_match_their_schema": "core_validated_answers",
        "axis_scores_match_their_schema": "out_axis_scores",
        "achievements_match_their_schema": "core_achievements",
        "achievement_axes_match_their_schema": "core_achievement_axes",
        "achievement_fundings_match_their_schema": "core_achievement_fundings",
        "achievement_feedback_matches_its_schema": "core_achievement_feedback",
        "achievement_comments_match_their_schema": "core_achievement_comments",
        "achievement_recommendations_match_their_schema": "out_achievement_recommendations",
        "one_score_per_territory_millesime_question": "int_question_scores",
        "territory_scores_are_complete_and_bounded": "out_territory_scores",
        "national_index_has_no_unexplained_fall": "out_territory_scores",
        # Reads every published table, after all of them (additional_deps), before publishing.
        "publication_fits_its_size_limit": "core_validation_issues",
    }


def test_every_asset_has_a_description_and_writes_through_the_warehouse_pool():
    graph = defs.resolve_asset_graph()
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        assert node.description, key
        assert "duckdb" in node.kinds, key
        assert node.pools == {"duckdb_warehouse"}, key


def test_jobs_run_their_steps_in_one_process():
    for name in ("actualisation_complete", "ingestion_des_depots", "publication_des_realisations"):
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
    assert partitioned == set(SURVEY_TABLES)
    for name in partitioned:
        node = graph.get(dg.AssetKey(name))
        assert node.partitions_def.get_partition_keys() == opened
        assert node.backfill_policy == dg.BackfillPolicy.single_run()
