"""Work done once: a run without a new file validates and scores nothing again; a run with
one new file validates that file only and rescores its millésime only; and what is published
is what a full recompute publishes (counted from the assets' metadata, not timed)."""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg
import duckdb

from pipelines.demo import write_demo_submissions
from tests.helpers import PipelineRun, materialize_new_files


def _metadata(result: dg.ExecuteInProcessResult, key: str) -> dict:
    """The metadata of the materialization of asset ``key`` in ``result`` (a partitioned
    asset has one per millésime of the run, with the same metadata)."""
    events = [
        event
        for event in result.get_asset_materialization_events()
        if event.asset_key.to_user_string() == key
    ]
    found = [
        {name: value.value for name, value in event.materialization.metadata.items()}
        for event in events
    ]
    assert found and all(metadata == found[0] for metadata in found)
    return found[0]


def _published_tables(published: Path) -> list[str]:
    with duckdb.connect(str(published), read_only=True) as con:
        names = con.execute("SHOW TABLES").fetchall()
    # ``publication`` holds the time and run of the copy: it differs from run to run.
    return [name for (name,) in names if name != "publication"]


def _differences(left: Path, right: Path, tables: list[str]) -> dict[str, int]:
    """Rows of each table found in one database and not the other (as multisets)."""
    with duckdb.connect() as con:
        con.execute(f"ATTACH '{left}' AS l (READ_ONLY)")
        con.execute(f"ATTACH '{right}' AS r (READ_ONLY)")
        return {
            table: con.execute(
                f"SELECT (SELECT count(*) FROM (FROM l.{table} EXCEPT ALL FROM r.{table})) + "
                f"(SELECT count(*) FROM (FROM r.{table} EXCEPT ALL FROM l.{table}))"
            ).fetchone()[0]
            for table in tables
        }


def test_each_file_is_validated_once_and_only_changed_millesimes_are_rescored(
    small_pipeline_run: PipelineRun, questionnaire, tmp_path
):
    root = tmp_path / "observatoire"
    shutil.copytree(small_pipeline_run.warehouse.parent, root)
    first = _metadata(small_pipeline_run.result, "core_validated_answers")
    archived = first["files_validated"]
    assert archived == len(small_pipeline_run.demo_files) and first["files_reused"] == 0

    # A second run with no new file: nothing read, validated, scored or ranked again.
    again = materialize_new_files(root)
    validation = _metadata(again, "core_validated_answers")
    assert (validation["files_validated"], validation["files_reused"]) == (0, archived)
    scores = _metadata(again, "int_question_scores")
    assert scores["rescored"] is False and scores["reused_millesimes"] == "2024, 2025, 2026"
    assert _metadata(again, "out_territory_ranks")["recomputed"] is False
    published = root / "published" / "observatoire.duckdb"
    tables = _published_tables(published)
    assert {"territory_scores", "territory_ranks", "validation_issues"} <= set(tables)
    assert set(_differences(small_pipeline_run.published, published, tables).values()) == {0}

    # One new file (another answer set of one territory for 2025): that file only is read,
    # 2025 only is rescored.
    territory = small_pipeline_run.territories.query("code == 'DEP-2A'")
    (written,) = write_demo_submissions(
        territory, questionnaire, tmp_path / "new", seed=7, millesimes=(2025,)
    )
    new_file = written.rename(root / "incoming" / "DEP-2A_2025_corrige.csv")
    one = materialize_new_files(root)
    validation = _metadata(one, "core_validated_answers")
    assert (validation["files_validated"], validation["files_reused"]) == (1, archived)
    scores = _metadata(one, "int_question_scores")
    assert (scores["millesimes"], scores["reused_millesimes"]) == ("2025", "2024, 2026")
    ranks = _metadata(one, "out_territory_ranks")
    assert (ranks["millesimes"], ranks["reused_millesimes"]) == ("2025", "2024, 2026")
    with duckdb.connect(str(published), read_only=True) as con:
        statuses = dict(con.execute("SELECT file_name, status FROM submission_files").fetchall())
    assert statuses[new_file.name] == "acceptée"
    assert statuses["DEP-2A_2025.csv"] == "remplacée"

    # The same warehouse with nothing kept: every file validated, every millésime scored
    # again. What it publishes is what the incremental runs published, row for row.
    full = tmp_path / "recomputed"
    shutil.copytree(root, full)
    with duckdb.connect(str(full / "warehouse.duckdb")) as con:
        con.execute("DROP SCHEMA kept CASCADE")
    recomputed = materialize_new_files(full)
    validation = _metadata(recomputed, "core_validated_answers")
    assert (validation["files_validated"], validation["files_reused"]) == (archived + 1, 0)
    assert _metadata(recomputed, "int_question_scores")["millesimes"] == "2024, 2025, 2026"
    differences = _differences(published, full / "published" / "observatoire.duckdb", tables)
    assert set(differences.values()) == {0}, differences
    unpublished = _differences(
        root / "warehouse.duckdb", full / "warehouse.duckdb", ["validated_answers"]
    )
    assert unpublished == {"validated_answers": 0}
