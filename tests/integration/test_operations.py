"""Operations on real runs: a failed run raises an alert, a run that dies in the middle
loses nothing."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import duckdb
from dagster_duckdb import DuckDBResource

from assets.resources import ContributionStore, PublicationTarget, SubmissionStorage
from domain.publication import read_publication
from pipelines.alerts import read_alerts
from pipelines.definitions import defs
from pipelines.jobs import ingestion_job
from pipelines.sensors import alert_on_run_failure
from tests.helpers import PipelineRun


def test_a_failed_run_raises_an_alert(tmp_path, monkeypatch):
    monkeypatch.setenv("OBSERVATOIRE_ALERTS", str(tmp_path / "alerts.jsonl"))
    monkeypatch.delenv("OBSERVATOIRE_ALERT_WEBHOOK", raising=False)
    # A file where the incoming folder should be: the run's first step fails at once. (A
    # warehouse that cannot be opened fails too, but after DuckDBResource's ten retries with
    # backoff, about 100 s.)
    not_a_folder = tmp_path / "pas_un_dossier"
    not_a_folder.write_text("")
    instance = dg.DagsterInstance.ephemeral()
    job = dg.Definitions(
        assets=defs.assets,
        jobs=[ingestion_job],
        resources={
            "warehouse": DuckDBResource(database=str(tmp_path / "entrepot.duckdb")),
            "storage": SubmissionStorage(
                incoming_dir=str(not_a_folder), archive_dir=str(tmp_path / "ar")
            ),
            "publication": PublicationTarget(published_path=str(tmp_path / "pub.duckdb")),
            "contributions": ContributionStore(path=str(tmp_path / "contributions.sqlite")),
        },
    ).resolve_job_def("ingestion_des_depots")
    result = job.execute_in_process(instance=instance, raise_on_error=False, partition_key="2026")
    assert not result.success
    context = dg.build_run_status_sensor_context(
        sensor_name="alert_on_run_failure",
        dagster_instance=instance,
        dagster_run=result.dagster_run,
        dagster_event=result.get_run_failure_event(),
    ).for_run_failure()
    alert_on_run_failure(context)
    alerts = read_alerts(tmp_path / "alerts.jsonl")
    assert len(alerts) == 1
    assert alerts[0].run_id == result.run_id and "ingestion_des_depots" in alerts[0].source


def test_a_run_killed_in_the_middle_loses_nothing_and_the_next_run_completes(
    small_pipeline_run: PipelineRun, questionnaire, tmp_path, monkeypatch, capsys
):
    from pipelines.cli import main
    from pipelines.demo import write_demo_submissions

    root = tmp_path / "killed"
    shutil.copytree(small_pipeline_run.warehouse.parent, root)
    published = root / "published" / "observatoire.duckdb"
    before = published.read_bytes()
    archive_before = {p: p.read_bytes() for p in (root / "archive").rglob("*") if p.is_file()}
    (root / "incoming").mkdir(exist_ok=True)
    settings = {
        "OBSERVATOIRE_WAREHOUSE": str(root / "warehouse.duckdb"),
        "OBSERVATOIRE_PUBLISHED": str(published),
        "OBSERVATOIRE_INCOMING": str(root / "incoming"),
        "OBSERVATOIRE_ARCHIVE": str(root / "archive"),
        "OBSERVATOIRE_CONTRIBUTIONS": str(root / "contributions.sqlite"),
    }
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    # New files (another millésime) to ingest, so that the killed run has work in flight.
    write_demo_submissions(
        small_pipeline_run.territories, questionnaire, root / "incoming", millesimes=(2024,)
    )
    sent = {p.name: p.read_bytes() for p in (root / "incoming").iterdir()}
    refresh = subprocess.Popen(
        [sys.executable, "-m", "pipelines.cli", "refresh"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    # Killed in the middle: the reference is built, files are being archived and validated.
    deadline = time.monotonic() + 300
    while not any(p.is_file() and p not in archive_before for p in (root / "archive").rglob("*")):
        assert refresh.poll() is None, "the run ended before it archived the new files"
        assert time.monotonic() < deadline, "the run archived nothing in 5 minutes"
        time.sleep(0.05)
    os.killpg(refresh.pid, signal.SIGKILL)
    refresh.wait()
    assert published.read_bytes() == before, "the dashboard still has the last good copy"
    for path, content in archive_before.items():
        assert path.read_bytes() == content, "archived files are never altered"
    with duckdb.connect(str(published), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM territory_scores").fetchone()[0] > 0

    # The next run: the same command, in this process.
    capsys.readouterr()
    assert main(["refresh"]) == 0, capsys.readouterr()
    with duckdb.connect(str(published), read_only=True) as con:
        sheets, authors = con.execute(
            "SELECT count(*), count(DISTINCT territory) FROM achievements"
        ).fetchone()
    assert sheets > 0, "the demo's published sheets of the store are published again"
    out = capsys.readouterr().out
    assert f"Réalisations publiées : {sheets} (de {authors} territoire(s))" in out
    # The summary names the version published and the editions kept.
    assert f"Copie publiée : {published} (version {read_publication(published).version})" in out
    assert "Éditions par millésime : " in out
    with duckdb.connect(str(root / "warehouse.duckdb"), read_only=True) as con:
        archived = dict(
            con.execute("SELECT file_name, archive_path FROM raw_submission_files").fetchall()
        )
    for name, content in sent.items():
        assert name in archived, f"{name} was received, so it is archived"
        assert Path(archived[name]).read_bytes() == content
    assert not list((root / "incoming").iterdir())
    assert published.read_bytes() != before
