"""The production instance on a real PostgreSQL server: ``pipelines/dagster.production.yaml``
itself (``DAGSTER_HOME/dagster.yaml`` is a link to it, the connection from ``DAGSTER_PG_*``)
runs the full job on the small demo, then the real daemon's inbox sensor sees a new file and
its queued run publishes it. Runs, events, asset checks and the sensor's tick are read back
from PostgreSQL's own tables, not through Dagster."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import dagster as dg
import psycopg2
import pytest
from dagster_postgres import PostgresEventLogStorage, PostgresRunStorage, PostgresScheduleStorage

from assets.partitions import all_millesimes_tags
from pipelines.definitions import defs
from pipelines.demo import to_csv_bytes, write_demo_submissions
from tests.helpers import (
    REPO_ROOT,
    TEST_MILLESIMES,
    best_answers,
    observatory_settings,
    publication_run,
    running_daemon,
    small_reference,
)
from tests.support.postgres import PostgresServer, postgres_server

PRODUCTION_YAML = REPO_ROOT / "pipelines" / "dagster.production.yaml"
FULL_JOB = "actualisation_complete"
INGESTION_JOB = "ingestion_des_depots"


@pytest.fixture(scope="module")
def postgres() -> Iterator[PostgresServer]:
    """A PostgreSQL server of the test's own (skipped without Debian's ``postgresql``)."""
    with postgres_server() as server:
        yield server


def query(server: PostgresServer, sql: str, *parameters) -> list[tuple]:
    """Rows of ``sql`` read straight from PostgreSQL."""
    with psycopg2.connect(server.dsn()) as con, con.cursor() as cursor:
        cursor.execute(sql, parameters)
        rows = cursor.fetchall()
    con.close()
    return rows


def test_the_production_instance_keeps_runs_events_and_ticks_in_postgresql(
    postgres: PostgresServer, territories, questionnaire, tmp_path, monkeypatch
):
    root = tmp_path / "observatoire"
    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").symlink_to(PRODUCTION_YAML)
    published = root / "published" / "observatoire.duckdb"
    settings = {
        "DAGSTER_HOME": str(home),
        **observatory_settings(root),
        **postgres.environment(),
    }
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("OBSERVATOIRE_ALERT_WEBHOOK", raising=False)
    write_demo_submissions(
        small_reference(territories), questionnaire, root / "incoming", millesimes=TEST_MILLESIMES
    )

    # 1. The full job, in this process, on the instance the production file describes.
    job = defs.resolve_job_def(FULL_JOB)
    with dg.DagsterInstance.get() as instance:
        assert isinstance(instance.run_storage, PostgresRunStorage)
        assert isinstance(instance.event_log_storage, PostgresEventLogStorage)
        assert isinstance(instance.schedule_storage, PostgresScheduleStorage)
        quiet = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}
        full = job.execute_in_process(
            instance=instance, tags=all_millesimes_tags(), run_config=quiet, raise_on_error=False
        )
    assert full.success
    assert publication_run(published) == full.run_id

    # 2. A file lands in the inbox; the real daemon evaluates the inbox sensor (its first
    #    tick, at start), queues the ingestion run, launches it and the run publishes.
    (root / "incoming").mkdir(exist_ok=True)
    (root / "incoming" / "DEP-13_2026_v2.csv").write_bytes(
        to_csv_bytes(best_answers(questionnaire, "DEP-13", "DEP"))
    )
    log_path = tmp_path / "daemon.log"
    with running_daemon(settings, log_path) as daemon:
        deadline = time.monotonic() + 300
        while True:
            done = query(
                postgres,
                "SELECT run_id, status FROM runs WHERE pipeline_name = %s"
                " AND status IN ('SUCCESS', 'FAILURE', 'CANCELED')",
                INGESTION_JOB,
            )
            if done:
                break
            if daemon.poll() is not None or time.monotonic() > deadline:
                pytest.fail(log_path.read_text(errors="replace")[-4000:])
            time.sleep(0.5)  # polling PostgreSQL, not waiting for a guessed duration

    # 3. Everything read back from PostgreSQL's tables.
    (ingestion_run, status), *others = done
    assert not others and status == "SUCCESS", log_path.read_text(errors="replace")[-4000:]
    runs = dict(query(postgres, "SELECT run_id, status FROM runs"))
    assert runs == {full.run_id: "SUCCESS", ingestion_run: "SUCCESS"}
    assert publication_run(published) == ingestion_run
    assert not list((root / "incoming").iterdir()), "the file was archived"

    materialized = {
        key
        for (key,) in query(
            postgres,
            "SELECT DISTINCT asset_key FROM event_logs"
            " WHERE run_id = %s AND dagster_event_type = 'ASSET_MATERIALIZATION'",
            full.run_id,
        )
    }
    every_asset = {key.to_string() for key in job.asset_layer.executable_asset_keys}
    assert materialized == every_asset
    assert dg.AssetKey("out_published_snapshot").to_string() in materialized
    checks = query(
        postgres,
        "SELECT check_name, execution_status FROM asset_check_executions WHERE run_id = %s",
        full.run_id,
    )
    assert checks and {status for _, status in checks} == {"SUCCEEDED"}
    assert {name for name, _ in checks} >= {
        "territory_scores_are_complete_and_bounded",
        "publication_fits_its_size_limit",
    }

    ticks = [
        json.loads(body)
        for (body,) in query(postgres, "SELECT tick_body FROM job_ticks WHERE status = 'SUCCESS'")
    ]
    inbox_ticks = [
        tick for tick in ticks if tick["job_name"] == "incoming_files_sensor" and tick["run_ids"]
    ]
    assert [tick["run_ids"] for tick in inbox_ticks] == [[ingestion_run]]
    # The sensor's cursor (one run per file, whichever process evaluates it) is kept there too.
    sensors = query(
        postgres, "SELECT instigator_body FROM instigators WHERE instigator_type = 'SENSOR'"
    )
    (inbox_state,) = [body for (body,) in sensors if '"incoming_files_sensor"' in body]
    assert "DEP-13_2026_v2.csv" in inbox_state
