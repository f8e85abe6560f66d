"""The whole asset graph, materialized for real on a temporary DuckDB (once per session:
``pipeline_run``); new files are ingested as the sensor's runs do, on copies of a small run."""

from __future__ import annotations

import duckdb

from tests.helpers import TEST_MILLESIMES, PipelineRun, materialize_new_files


def query(path, sql, params=None):
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


#: The lowest answer of each type of question.
LOWEST_ANSWERS = {"oui_non": "non", "echelle": "0", "pourcentage": "0", "nombre": "0"}


def lowest_answers_file(warehouse, where: str, comment: str = "") -> bytes:
    """A CSV answering at the lowest every question of the validated answers ``where`` holds."""
    from pipelines.demo import to_csv_bytes

    rows = query(
        warehouse,
        "SELECT a.territory, a.millesime, a.question, q.answer_type FROM validated_answers a "
        f"JOIN questions q ON q.code = a.question WHERE {where}",
    )
    return to_csv_bytes(
        [[t, str(m), q, LOWEST_ANSWERS.get(kind, "aucun"), comment] for t, m, q, kind in rows]
    )


def test_every_asset_materializes(pipeline_run: PipelineRun):
    assert pipeline_run.result.success
    materialized = {
        event.asset_key.to_user_string()
        for event in pipeline_run.result.get_asset_materialization_events()
    }
    assert {"core_territories", "raw_submission_files", "out_published_snapshot"} <= materialized


def test_every_submitting_territory_is_scored_each_millesime(pipeline_run: PipelineRun):
    expected = set(pipeline_run.territories["code"])
    for millesime in TEST_MILLESIMES:
        rows = query(
            pipeline_run.published,
            "SELECT territory FROM territory_scores WHERE millesime = ? AND global_index IS NOT NULL",
            [millesime],
        )
        assert {territory for (territory,) in rows} == expected


def test_scores_stay_within_bounds_and_levels_match(pipeline_run: PipelineRun):
    rows = query(
        pipeline_run.published,
        "SELECT min(global_index), max(global_index), "
        "count(*) FILTER (WHERE maturity_level != least(5, floor(global_index / 20) + 1)) "
        "FROM territory_scores",
    )
    low, high, mismatched = rows[0]
    assert 0 <= low < high <= 100
    assert mismatched == 0


def test_broken_demo_files_are_reported_while_the_others_are_scored(pipeline_run: PipelineRun):
    statuses = dict(query(pipeline_run.published, "SELECT file_name, status FROM submission_files"))
    assert statuses["DEP-99_2026.csv"] == "rejetée"
    assert statuses["DEP-13_2026_brouillon.csv"] == "rejetée"
    assert statuses["DEP-13_2026.csv"] == "acceptée"
    assert sum(s == "rejetée" for s in statuses.values()) == 4
    assert len(statuses) == len(pipeline_run.demo_files)
    issues = query(
        pipeline_run.published,
        'SELECT line, "column", message FROM validation_issues '
        "WHERE file_name = 'DEP-13_2026_brouillon.csv' AND severity = 'erreur' ORDER BY line",
    )
    assert [(line, column) for line, column, _ in issues] == [
        (2, "D (reponse)"),
        (3, "D (reponse)"),
        (9, "D (reponse)"),
    ]
    assert "peut-être" in issues[0][2] and "oui" in issues[0][2]


def test_every_received_file_is_archived_byte_for_byte(pipeline_run: PipelineRun):
    archived = query(
        pipeline_run.warehouse, "SELECT file_name, archive_path FROM raw_submission_files"
    )
    assert len(archived) == len(pipeline_run.demo_files)
    assert not any(pipeline_run.incoming.iterdir()), "the inbox is emptied once archived"
    import hashlib
    from pathlib import Path

    for _, archive_path in archived:
        content = Path(archive_path).read_bytes()
        assert Path(archive_path).name.startswith(hashlib.sha256(content).hexdigest())


def test_rerun_with_identical_files_changes_nothing(small_pipeline_run: PipelineRun, tmp_path):
    """Sending the same bytes again is recognised: no new archive row, same scores."""
    import shutil

    root = tmp_path / "rerun"
    shutil.copytree(small_pipeline_run.warehouse.parent, root)
    (root / "incoming").mkdir(exist_ok=True)
    before = query(root / "warehouse.duckdb", "SELECT count(*) FROM raw_submission_files")[0][0]
    resent = small_pipeline_run.demo_files[0]
    original = query(
        root / "warehouse.duckdb",
        "SELECT archive_path FROM raw_submission_files WHERE file_name = ?",
        [resent.name],
    )[0][0]
    from pathlib import Path

    (root / "incoming" / resent.name).write_bytes(Path(original).read_bytes())
    # The copied warehouse records archive paths of the original folder; keep that archive.
    result = materialize_new_files(root)
    assert result.success
    after = query(root / "warehouse.duckdb", "SELECT count(*) FROM raw_submission_files")[0][0]
    assert after == before
    scores_before = query(
        small_pipeline_run.published, "SELECT sum(global_index) FROM territory_scores"
    )
    scores_after = query(
        root / "published" / "observatoire.duckdb", "SELECT sum(global_index) FROM territory_scores"
    )
    assert scores_before == scores_after


def test_published_copy_is_readable_while_the_warehouse_is_held_for_writing(
    pipeline_run: PipelineRun, tmp_path
):
    import shutil

    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copy(pipeline_run.warehouse, warehouse)
    with duckdb.connect(str(warehouse)) as writer:
        writer.execute("SELECT 1")
        published = query(pipeline_run.published, "SELECT count(*) FROM territory_scores")
        assert published[0][0] > 0
        published_at = query(pipeline_run.published, "SELECT published_at, run_id FROM publication")
        assert published_at[0][1] == pipeline_run.result.run_id


def test_a_new_submission_supersedes_the_previous_one_and_both_stay_archived(
    small_pipeline_run: PipelineRun, tmp_path
):
    import shutil

    root = tmp_path / "supersede"
    shutil.copytree(small_pipeline_run.warehouse.parent, root)
    worst = lowest_answers_file(
        root / "warehouse.duckdb",
        "a.territory = 'DEP-13' AND a.millesime = 2026 AND a.file_name = 'DEP-13_2026.csv'",
        "corrigé",
    )
    (root / "incoming").mkdir(exist_ok=True)
    (root / "incoming" / "DEP-13_2026_corrige.csv").write_bytes(worst)
    assert materialize_new_files(root).success

    published = root / "published" / "observatoire.duckdb"
    (index,) = query(
        published,
        "SELECT global_index FROM territory_scores WHERE territory = 'DEP-13' AND millesime = 2026",
    )[0]
    assert index < 5  # every answer at its lowest (one "lower is better" question aside)
    versions = query(
        root / "warehouse.duckdb",
        "SELECT file_name FROM raw_submission_files WHERE file_name LIKE 'DEP-13_2026%' ORDER BY 1",
    )
    assert ("DEP-13_2026.csv",) in versions and ("DEP-13_2026_corrige.csv",) in versions
    statuses = dict(query(published, "SELECT file_name, status FROM submission_files"))
    assert statuses["DEP-13_2026.csv"] == "remplacée"
    assert statuses["DEP-13_2026_brouillon.csv"] == "corrigée"
    assert statuses["DEP-13_2026_corrige.csv"] == "acceptée"
    assert statuses["DEP-13_2025.csv"] == "acceptée"
    others = query(
        published,
        "SELECT count(*) FROM territory_scores WHERE territory != 'DEP-13' AND global_index = 0",
    )
    assert others[0][0] == 0


def test_every_blocking_check_passes_on_the_demo(pipeline_run: PipelineRun):
    evaluations = pipeline_run.result.get_asset_check_evaluations()
    names = {e.check_name for e in evaluations}
    assert {
        "validated_answers_match_their_schema",
        "one_score_per_territory_millesime_question",
        "territory_scores_are_complete_and_bounded",
        "national_index_has_no_unexplained_fall",
    } <= names
    assert all(e.passed for e in evaluations), [e.check_name for e in evaluations if not e.passed]


def test_a_failing_blocking_check_leaves_the_published_copy_untouched(
    small_pipeline_run: PipelineRun, tmp_path
):
    """A sharp, unexplained fall of the national index stops the publication."""
    import shutil

    root = tmp_path / "fall"
    shutil.copytree(small_pipeline_run.warehouse.parent, root)
    published = root / "published" / "observatoire.duckdb"
    before = published.read_bytes()
    (root / "incoming").mkdir(exist_ok=True)
    worst = lowest_answers_file(root / "warehouse.duckdb", "a.millesime = 2026")
    (root / "incoming" / "tout_a_zero_2026.csv").write_bytes(worst)

    result = materialize_new_files(root, raise_on_error=False)
    failed = [e.check_name for e in result.get_asset_check_evaluations() if not e.passed]
    assert failed == ["national_index_has_no_unexplained_fall"]
    materialized = {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}
    assert "out_published_snapshot" not in materialized
    assert published.read_bytes() == before, "the dashboard keeps the last good copy"


def test_superseded_and_corrected_files_get_their_status(pipeline_run: PipelineRun):
    """The demo's DEP-13 2026 drafts come after its accepted file: still in quarantine."""
    statuses = dict(query(pipeline_run.published, "SELECT file_name, status FROM submission_files"))
    assert statuses["DEP-13_2026_brouillon.csv"] == "rejetée"
    assert set(statuses.values()) <= {"acceptée", "remplacée", "rejetée", "corrigée"}


def test_a_run_of_one_millesime_rescores_it_and_leaves_the_others_untouched(
    small_pipeline_run: PipelineRun, tmp_path
):
    """The survey assets are partitioned by millésime: the sensor's run for a 2026 file
    rescores 2026 only; the rows of 2025 stay exactly as they were."""
    import shutil

    import dagster as dg
    from dagster_duckdb import DuckDBResource

    from assets.resources import ContributionStore, PublicationTarget, SubmissionStorage
    from pipelines.definitions import all_assets, all_checks

    root = tmp_path / "partition"
    shutil.copytree(small_pipeline_run.warehouse.parent, root)
    warehouse = root / "warehouse.duckdb"
    tables = ["territory_scores", "axis_scores", "question_scores", "territory_ranks"]
    earlier = {
        t: query(warehouse, f"SELECT * FROM {t} WHERE millesime = 2025 ORDER BY ALL")
        for t in tables
    }
    (root / "incoming").mkdir(exist_ok=True)
    worst = lowest_answers_file(
        warehouse,
        "a.territory = 'DEP-13' AND a.millesime = 2026 AND a.file_name = 'DEP-13_2026.csv'",
    )
    (root / "incoming" / "DEP-13_2026_v2.csv").write_bytes(worst)

    result = dg.materialize(
        [*all_assets, *all_checks],
        selection=dg.AssetSelection.groups("submissions", "scoring", "publication"),
        partition_key="2026",
        resources={
            "warehouse": DuckDBResource(database=str(warehouse)),
            "storage": SubmissionStorage(
                incoming_dir=str(root / "incoming"), archive_dir=str(root / "archive")
            ),
            "publication": PublicationTarget(
                published_path=str(root / "published" / "observatoire.duckdb")
            ),
            "contributions": ContributionStore(path=str(root / "contributions.sqlite")),
        },
        instance=dg.DagsterInstance.ephemeral(),
    )
    assert result.success
    partitions = {
        event.asset_key.to_user_string(): event.partition
        for event in result.get_asset_materialization_events()
    }
    assert partitions["int_question_scores"] == "2026"
    assert partitions["out_territory_ranks"] == "2026"
    assert partitions["out_published_snapshot"] is None  # the whole warehouse is published

    for table in tables:
        after = query(warehouse, f"SELECT * FROM {table} WHERE millesime = 2025 ORDER BY ALL")
        assert after == earlier[table], f"{table}: 2025 must not change"
    published = root / "published" / "observatoire.duckdb"
    (index,) = query(
        published,
        "SELECT global_index FROM territory_scores WHERE territory = 'DEP-13' AND millesime = 2026",
    )[0]
    assert index < 5
    counts = dict(query(published, "SELECT millesime, count(*) FROM territory_scores GROUP BY 1"))
    assert set(counts) == set(TEST_MILLESIMES)
