"""Refreshes and a sensor's run killed for real (SIGKILL) in a real Dagster instance with
the project's ``dagster.yaml``: the runs they leave "started", holding the warehouse's only slot, block
nothing. The next refresh, the next sensor run and the daemon's sensor free them, and
``observatoire status`` says so."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
import time
from collections.abc import Callable
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from assets.partitions import range_tags
from assets.resources import SubmissionStorage
from pipelines.cli import main
from pipelines.definitions import defs
from pipelines.demo import write_demo_submissions
from pipelines.run_recovery import (
    NO_AUTOMATIC_RETRY_TAG,
    PID_TAG,
    RECOVERED_TAG,
    find_dead_runs,
    host_tags,
)
from pipelines.sensors import dead_runs_sensor, incoming_files_sensor
from tests.helpers import REPO_ROOT, PipelineRun

POOL = "duckdb_warehouse"


@pytest.fixture
def observatory(small_pipeline_run: PipelineRun, questionnaire, tmp_path, monkeypatch) -> Path:
    """A copy of the small run's folders, new files (another millésime) in its inbox, and
    a Dagster instance of its own configured by the project's ``dagster.yaml``."""
    root = tmp_path / "observatoire"
    shutil.copytree(small_pipeline_run.warehouse.parent, root)
    (root / "incoming").mkdir(exist_ok=True)
    home = root / "dagster"
    home.mkdir()
    shutil.copyfile(REPO_ROOT / "pipelines" / "dagster.yaml", home / "dagster.yaml")
    settings = {
        "OBSERVATOIRE_WAREHOUSE": root / "warehouse.duckdb",
        "OBSERVATOIRE_PUBLISHED": root / "published" / "observatoire.duckdb",
        "OBSERVATOIRE_INCOMING": root / "incoming",
        "OBSERVATOIRE_ARCHIVE": root / "archive",
        "OBSERVATOIRE_ALERTS": root / "alerts.jsonl",
        "DAGSTER_HOME": home,
    }
    for name, value in settings.items():
        monkeypatch.setenv(name, str(value))
    monkeypatch.delenv("OBSERVATOIRE_ALERT_WEBHOOK", raising=False)
    write_demo_submissions(
        small_pipeline_run.territories, questionnaire, root / "incoming", millesimes=(2024,)
    )
    return root


def started_steps(instance: dg.DagsterInstance, run_id: str) -> set[str]:
    records = instance.get_records_for_run(run_id, of_type=dg.DagsterEventType.STEP_START)
    return {record.event_log_entry.step_key for record in records.records}


def _in_group(log: Path, command: Callable[[], int]) -> None:
    """``command`` in a new process group, its output in ``log``."""
    os.setpgrp()
    with log.open("w") as output, redirect_stdout(output), redirect_stderr(output):
        code = command()
        output.flush()
    os._exit(code)


def refresh() -> int:
    """``observatoire refresh``."""
    return main(["refresh"])


def sensor_run() -> int:
    """A run of new files as the daemon's run worker executes it: tagged by the sensor
    (host, millésimes), no process tag; the worker's engine events give its process id."""
    tags = {**range_tags(["2024", "2025", "2026"]), **host_tags()}
    return 0 if launch_tags("ingestion_des_depots", tags).success else 1


def killed_at(
    step: str,
    instance: dg.DagsterInstance,
    log: Path,
    command: Callable[[], int] = refresh,
    before_kill: Callable[[dg.DagsterRun], None] = lambda run: None,
) -> dg.DagsterRun:
    """Run ``command`` in a process group of its own, SIGKILL the group as soon as its run
    has started ``step``; return the run it left."""
    # A fork of this process, which has imported everything already (a new interpreter
    # spends seconds importing Dagster and pandas before the run starts), then runs the
    # command's code; its own process group, killed whole.
    earlier = {run.run_id for run in instance.get_runs()}
    process = multiprocessing.get_context("fork").Process(target=_in_group, args=(log, command))
    process.start()
    try:
        deadline = time.monotonic() + 300
        while True:
            assert process.is_alive(), f"the run ended before {step}: {log.read_text()}"
            assert time.monotonic() < deadline, f"no {step} in 5 minutes: {log.read_text()}"
            runs = [run for run in instance.get_runs() if run.run_id not in earlier]
            if runs and step in started_steps(instance, runs[0].run_id):
                break
            time.sleep(0.05)  # polling the instance, not waiting for a guessed duration
        before_kill(runs[0])
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.join()
    run = instance.get_run_by_id(runs[0].run_id)
    # What the issue saw: the killed run stays started and may keep the pool's slot.
    assert run.status == dg.DagsterRunStatus.STARTED
    return run


def launch_tags(job_name: str, tags: dict[str, str]) -> dg.ExecuteInProcessResult:
    quiet = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}
    with dg.DagsterInstance.get() as instance:
        return defs.resolve_job_def(job_name).execute_in_process(
            instance=instance, tags=tags, run_config=quiet, raise_on_error=False
        )


def launch(request: dg.RunRequest) -> dg.ExecuteInProcessResult:
    """Run what a sensor requested, as the daemon's run worker would (in this process)."""
    return launch_tags(request.job_name or "ingestion_des_depots", request.tags)


def holders(instance: dg.DagsterInstance) -> set[str]:
    """Runs holding a slot of the warehouse's pool."""
    info = instance.event_log_storage.get_concurrency_info(POOL)
    return {slot.run_id for slot in info.claimed_slots}


def published_is_whole(published: Path) -> bool:
    with duckdb.connect(str(published), read_only=True) as con:
        return con.execute("SELECT count(*) FROM territory_scores").fetchone()[0] > 0


def test_killed_refreshes_block_neither_the_next_refresh_nor_the_sensor(
    observatory: Path, tmp_path, run_cli
):
    published = observatory / "published" / "observatoire.duckdb"
    with dg.DagsterInstance.get() as instance:
        # 1. A sensor's run (tagged with its host only), killed while validating the files.
        published_before = published.read_bytes()
        validating = killed_at("validated_submissions", instance, tmp_path / "1.log", sensor_run)
        assert PID_TAG not in validating.tags
        assert validating.run_id in holders(instance), "the dead run keeps the only slot"
        assert published.read_bytes() == published_before

        # 2. The next refresh frees it and gets as far as scoring, where it is killed too.
        #    While it runs, its run is alive: nothing touches it.
        def alive(run: dg.DagsterRun) -> None:
            assert run.run_id not in {dead.run_id for dead in find_dead_runs(instance)}

        scoring = killed_at("survey_scores", instance, tmp_path / "2.log", before_kill=alive)
        assert "Exécution interrompue " + validating.run_id[:8] in (tmp_path / "2.log").read_text()
        assert instance.get_run_by_id(validating.run_id).status == dg.DagsterRunStatus.FAILURE
        assert validating.run_id not in holders(instance)
        assert scoring.run_id in holders(instance)
        assert published.read_bytes() == published_before

        # 3. The daemon's sensors, with no command run: the dead-run sensor frees the slot
        #    and runs the dead run's work again (the files it archived were not scored);
        #    the inbox sensor's run (a file arrived) completes.
        tick = dead_runs_sensor.evaluate_tick(dg.build_sensor_context(instance=instance))
        assert holders(instance) == set()
        (rerun,) = tick.run_requests
        assert (
            rerun.job_name == scoring.job_name
            and rerun.tags["observatoire/reprise_de"] == scoring.run_id
        )
        assert launch(rerun).success
        arrived = observatory / "incoming" / "DEP-2A_2026.csv"
        arrived.write_bytes(b"code_territoire;millesime;code_question;reponse\n"
                            b"DEP-2A;2026;LAB_01;oui\n")  # fmt: skip
        storage = SubmissionStorage(
            incoming_dir=str(observatory / "incoming"), archive_dir=str(observatory / "archive")
        )
        context = dg.build_sensor_context(instance=instance, resources={"storage": storage})
        (request,) = incoming_files_sensor.evaluate_tick(context).run_requests
        assert launch(request).success
        assert published.read_bytes() != published_before

        # 4. Killed while publishing: the published copy is the last good one or the new
        #    one, whole either way; the next refresh (this process) completes.
        publishing = killed_at("out_published_snapshot", instance, tmp_path / "3.log")
        assert published_is_whole(published)
        refreshed = run_cli("refresh")
        assert refreshed.returncode == 0, refreshed.stdout + refreshed.stderr
        assert "Exécution interrompue " + publishing.run_id[:8] in refreshed.stderr
        assert holders(instance) == set()
        assert not list((observatory / "incoming").iterdir()), "every file was ingested"

        dead = [validating, scoring, publishing]
        for run in dead:
            recorded = instance.get_run_by_id(run.run_id)
            assert recorded.status == dg.DagsterRunStatus.FAILURE and RECOVERED_TAG in recorded.tags
            # Only dead_runs_sensor runs it again: not also Dagster's automatic retries.
            assert recorded.tags[NO_AUTOMATIC_RETRY_TAG] == "0"
            failure = instance.get_records_for_run(
                run.run_id, of_type=dg.DagsterEventType.RUN_FAILURE
            ).records
            assert "processus" in failure[0].event_log_entry.dagster_event.message

    # 5. The status shows each dead run and what was done about it.
    status = run_cli("status")
    for run in dead:
        line = next(ln for ln in status.stdout.splitlines() if run.run_id[:8] in ln)
        assert line.startswith("Exécution interrompue ") and "disparu" in line
        assert "marquée en échec, créneau libéré le " in line
    assert status.stdout.startswith("Dernière publication : version 20"), status.stdout
    assert status.returncode == 0, status.stdout
