"""Operations: the inbox sensor and alerts (runs that fail or die: tests/integration)."""

from __future__ import annotations

import json
import os
import shutil
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import dagster as dg

import pipelines
from assets.resources import SubmissionStorage
from domain.questionnaire import load_questionnaires
from pipelines.alerts import deliver_alert, new_alert, read_alerts
from pipelines.definitions import defs
from pipelines.sensors import contributions_sensor, incoming_files_sensor


def evaluate(sensor, incoming: Path, cursor: str | None):
    context = dg.build_sensor_context(
        cursor=cursor,
        resources={
            "storage": SubmissionStorage(
                incoming_dir=str(incoming), archive_dir=str(incoming.parent / "a")
            )
        },
    )
    return sensor.evaluate_tick(context), context.cursor


def test_inbox_sensor_requests_one_run_per_new_file_exactly_once(tmp_path):
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    result, cursor = evaluate(incoming_files_sensor, incoming, None)
    assert not result.run_requests and "Aucun nouveau fichier" in result.skip_message

    (incoming / "DEP-13_2026.csv").write_text(
        "code_territoire;millesime;code_question;reponse\nDEP-13;2026;LAB_01;oui\n"
    )
    (incoming / "DEP-13_2026.csv.meta.json").write_text("{}")  # sidecars are not files to ingest
    (incoming / ".en_cours.partial").write_text("x")  # nor are partial writes
    result, cursor = evaluate(incoming_files_sensor, incoming, cursor)
    assert len(result.run_requests) == 1
    assert result.run_requests[0].tags["observatoire/nouveaux_fichiers"] == "1"
    # The run rescores the millésime the file declares, and only it.
    assert result.run_requests[0].tags["observatoire/millesimes"] == "2026"
    assert result.run_requests[0].tags["dagster/asset_partition_range_start"] == "2026"
    assert result.run_requests[0].tags["dagster/asset_partition_range_end"] == "2026"

    again, cursor = evaluate(incoming_files_sensor, incoming, cursor)
    assert not again.run_requests, "the same file never triggers a second run"

    (incoming / "REG-93_2025.csv").write_text(
        "code_territoire;millesime;code_question;reponse\nREG-93;2025;LAB_01;oui\n"
    )
    (incoming / "illisible.csv").write_bytes(b"\x00\x01")
    # Files that arrive later: a later modification time (rather than waiting for the clock).
    later = (incoming / "DEP-13_2026.csv").stat().st_mtime_ns + 1_000_000_000
    for name in ("REG-93_2025.csv", "illisible.csv"):
        os.utime(incoming / name, ns=(later, later))
    later, cursor = evaluate(incoming_files_sensor, incoming, cursor)
    assert len(later.run_requests) == 1
    assert later.run_requests[0].run_key != result.run_requests[0].run_key
    # An unreadable file does not say its millésime: the run covers the declared one only.
    assert later.run_requests[0].tags["observatoire/millesimes"] == "2025"


def test_a_file_nobody_can_read_still_gets_a_run_on_the_latest_millesime(tmp_path):
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    (incoming / "illisible.csv").write_bytes(b"\x00\x01")
    result, _ = evaluate(incoming_files_sensor, incoming, None)
    latest = str(max(load_questionnaires().open_millesimes))
    assert result.run_requests[0].tags["observatoire/millesimes"] == latest


def test_definitions_have_the_sensors_and_jobs():
    assert {s.name for s in defs.sensors} == {
        "incoming_files_sensor",
        "contributions_sensor",
        "alert_on_run_failure",
        "dead_runs_sensor",
    }
    assert {j.name for j in defs.jobs} >= {
        "actualisation_complete",
        "ingestion_des_depots",
        "publication_des_realisations",
    }


def test_a_file_waits_seconds_not_a_minute_for_its_run(tmp_path):
    """The inbox is looked at by every loop of the daemon's sensors (every 5 s at best), and
    the instance ``make`` installs takes a queued run within a second."""
    from dagster._daemon.sensor import MIN_INTERVAL_LOOP_TIME

    assert incoming_files_sensor.minimum_interval_seconds <= MIN_INTERVAL_LOOP_TIME
    assert contributions_sensor.minimum_interval_seconds <= MIN_INTERVAL_LOOP_TIME
    shutil.copy(Path(pipelines.__file__).parent / "dagster.yaml", tmp_path / "dagster.yaml")
    with dg.DagsterInstance.from_config(str(tmp_path)) as instance:
        assert instance.run_coordinator.dequeue_interval_seconds == 1
        assert instance.get_settings("sensors") == {"use_threads": True, "num_workers": 3}
        # The pool of the warehouse's single writer is still configured with it.
        assert instance.get_concurrency_config().pool_config.default_pool_limit == 1


class Receiver(BaseHTTPRequestHandler):
    received: list[dict] = []

    def do_POST(self):  # noqa: N802 - http.server's API
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Receiver.received.append(json.loads(body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_alert_is_recorded_and_posted_to_the_webhook(tmp_path, monkeypatch):
    server = HTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        monkeypatch.setenv("OBSERVATOIRE_ALERTS", str(tmp_path / "alerts.jsonl"))
        monkeypatch.setenv(
            "OBSERVATOIRE_ALERT_WEBHOOK", f"http://127.0.0.1:{server.server_port}/hook"
        )
        done = deliver_alert(new_alert("job test", "Entrepôt illisible", "run-1"))
    finally:
        server.shutdown()
    assert done[1] == "webhook : HTTP 204"
    assert Receiver.received[-1]["message"] == "Entrepôt illisible"
    assert "Entrepôt illisible" in Receiver.received[-1]["text"]
    assert [a.message for a in read_alerts(tmp_path / "alerts.jsonl")] == ["Entrepôt illisible"]


def test_an_unreachable_webhook_is_itself_recorded(tmp_path, monkeypatch):
    monkeypatch.setenv("OBSERVATOIRE_ALERTS", str(tmp_path / "alerts.jsonl"))
    monkeypatch.setenv("OBSERVATOIRE_ALERT_WEBHOOK", "http://127.0.0.1:9/nobody")
    done = deliver_alert(new_alert("job test", "panne"))
    assert done[1] == "webhook : échec"
    messages = [a.message for a in read_alerts(tmp_path / "alerts.jsonl")]
    assert messages[0] == "panne" and "Webhook injoignable" in messages[1]


def test_contributions_sensor_compares_the_store_with_what_it_saw_and_what_was_published():
    from pipelines.sensors import contributions_changed

    def state(version: int, *files: str) -> dict:
        return {"ledger_version": version, "files": list(files)}

    def cursor(version: int, *files: str) -> str:
        return json.dumps(state(version, *files))

    # A new instance: nothing to compare with, the store is taken as published.
    assert not contributions_changed(state(7), None, None)
    assert contributions_changed(state(7, "fiche.md:120"), None, None)
    # Above the cursor, or above what the last run published.
    assert contributions_changed(state(8), cursor(7), None)
    assert not contributions_changed(state(7), cursor(7), None)
    assert contributions_changed(state(8), None, 7)
    assert not contributions_changed(state(9), cursor(5), 9), "the run published its own writes"
    assert contributions_changed(state(7, "b.md:3"), cursor(7, "a.md:1"), 7)
    assert not contributions_changed(state(7, "a.md:1"), cursor(7, "a.md:1"), 7)
