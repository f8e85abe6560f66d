"""One support of a published sheet: the publication run it starts, and the time to screen.

Starts from the state of a refreshed observatory (``--etat``: a folder holding
``warehouse.duckdb``, ``published/``, ``archive/`` and ``contributions.sqlite``, such as
``var/`` after ``make data``; without it, the demo is written and refreshed first, which
takes minutes). On a copy of it, in this process: a territory supports a published sheet it
did not support yet (written in the contributions store as the sheet page does), the
contributions sensor is evaluated, then the job ``publication_des_realisations`` is run
in-process with the sensor's tags, as the daemon's run worker runs it, and the published
count is read back. Prints the sensor's time, the run's and each step's, and the floor
measured in the same run: copying the published tables into a new file (what any
publication does, whatever changed). The dashboard reads the published copy at each request
(its cache keys carry the copy's version): published is on screen.

Then, unless ``--sans-demon``, under a real daemon on another copy (``dagster dev``, as
``make run`` starts it, in its own process group, stopped by killing the group): the support
written right after a tick of the contributions sensor (the longest wait), then the
published copy polled until its count rises. Prints the time from the support to the run
being requested, started, finished and the count published.

Not a test: figures, no thresholds.

    .venv/bin/python benchmarks/contribution_to_screen.py [--etat var] [--sans-demon]
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))
from new_file_to_screen import (  # noqa: E402
    BIN,
    DAEMON_TIMEOUT,
    ROOT,
    _free_port,
    _wait_for,
    copy_state,
    prepared_state,
    step_durations,
)

JOB = "publication_des_realisations"


def unsupported_pair(published: Path) -> tuple[str, str]:
    """(sheet, territory): a published sheet and a territory that neither wrote nor
    supports it."""
    with duckdb.connect(str(published), read_only=True) as con:
        return con.execute(
            """SELECT a.achievement_id, t.code FROM achievements a CROSS JOIN territories t
               WHERE t.code <> a.territory AND NOT EXISTS (
                   SELECT 1 FROM achievement_feedback f
                   WHERE f.achievement_id = a.achievement_id AND f.territory = t.code)
               ORDER BY a.achievement_id, t.code LIMIT 1"""
        ).fetchone()


def supports(published: Path, sheet: str) -> int | None:
    """The published count of supports of ``sheet`` (``None`` while the copy is replaced)."""
    try:
        with duckdb.connect(str(published), read_only=True) as con:
            return con.execute(
                "SELECT supports FROM achievements WHERE achievement_id = ?", [sheet]
            ).fetchone()[0]
    except duckdb.Error:
        return None


def _sensor_ticks(log: Path) -> int:
    """Evaluations of the contributions sensor the daemon has logged so far."""
    text = log.read_text(errors="replace") if log.exists() else ""
    return text.count("Checking for new runs for sensor: contributions_sensor")


def _milestones(home: Path) -> list[tuple[str, float]]:
    """When the publication run was created, started and ended (the daemon's instance)."""
    import dagster as dg

    previous = os.environ.get("DAGSTER_HOME")
    os.environ["DAGSTER_HOME"] = str(home)
    try:
        with dg.DagsterInstance.get() as instance:
            (record,) = instance.get_run_records(dg.RunsFilter(job_name=JOB), limit=1)
            return [
                ("exécution demandée par le capteur", record.create_timestamp.timestamp()),
                ("exécution démarrée", record.start_time or float("nan")),
                ("exécution terminée", record.end_time or float("nan")),
            ]
    finally:
        if previous is None:
            os.environ.pop("DAGSTER_HOME", None)
        else:
            os.environ["DAGSTER_HOME"] = previous


def under_daemon(state: Path, scratch: Path) -> None:
    """``dagster dev`` on a copy of ``state``: the time from a support written in the store
    to the published copy counting it, with the run's milestones."""
    from domain.achievements.ledger import record_feedback
    from schemas.vocabulary import SUPPORT

    root = scratch / "demon"
    env = copy_state(state, root)
    log = root / "dagster-dev.log"
    published = root / "published" / "observatoire.duckdb"
    sheet, territory = unsupported_pair(published)
    before = supports(published, sheet)
    command = [str(BIN / "dagster"), "dev", "-m", "pipelines.definitions"]
    command += ["-h", "127.0.0.1", "-p", str(_free_port())]
    with open(log, "w") as output:
        daemon = subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    try:
        if _wait_for(lambda: _sensor_ticks(log) >= 1, DAEMON_TIMEOUT) is None:
            print(f"Le démon n'a pas évalué le capteur en {DAEMON_TIMEOUT} s (voir {log}).")
            return
        seen = _sensor_ticks(log)  # right after a tick: the longest wait for the next one
        _wait_for(lambda: _sensor_ticks(log) > seen, DAEMON_TIMEOUT, 0.1)
        written = time.time()
        assert record_feedback(root / "contributions.sqlite", sheet, territory, SUPPORT)
        counted = _wait_for(lambda: supports(published, sheet) == before + 1, DAEMON_TIMEOUT, 0.2)
        if counted is None:
            print(f"Soutien non publié en {DAEMON_TIMEOUT} s (voir {log}).")
            return
        print(f"Sous le démon : soutien de {territory} à {sheet}, écrit juste après un passage")
        for label, at in _milestones(Path(env["DAGSTER_HOME"])):
            print(f"    {label:<40} +{at - written:6.1f} s")
        print(f"Du soutien au compte publié (donc à l'écran) : {counted - written:.1f} s")
    finally:
        os.killpg(daemon.pid, signal.SIGINT)
        try:
            daemon.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(daemon.pid, signal.SIGKILL)
            daemon.wait()


def main() -> None:
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--etat", type=Path, help="état d'un observatoire actualisé")
    parser.add_argument("--sans-demon", action="store_true", help="l'exécution en processus seule")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="contribution-") as scratch_name:
        scratch = Path(scratch_name)
        state = prepared_state(arguments.etat, scratch)
        root = scratch / "en-processus"
        env = copy_state(state, root)
        os.environ.update({k: v for k, v in env.items() if k.startswith("OBSERVATOIRE_")})
        os.environ.pop("DAGSTER_HOME", None)
        import dagster as dg

        from assets.publication import PUBLISHED_TABLES
        from assets.resources import ContributionStore, SubmissionStorage
        from domain.achievements.ledger import record_feedback
        from domain.publication import write_snapshot
        from pipelines.definitions import defs
        from pipelines.sensors import contributions_sensor
        from schemas.vocabulary import SUPPORT

        published = root / "published" / "observatoire.duckdb"
        store = root / "contributions.sqlite"
        sheet, territory = unsupported_pair(published)
        before = supports(published, sheet)
        instance = dg.DagsterInstance.ephemeral()
        resources = {
            "storage": SubmissionStorage(
                incoming_dir=str(root / "incoming"), archive_dir=str(root / "archive")
            ),
            "contributions": ContributionStore(path=str(store)),
        }

        def tick(cursor):
            context = dg.build_sensor_context(cursor=cursor, resources=resources, instance=instance)
            return contributions_sensor.evaluate_tick(context)

        first = tick(None)  # a new instance: the store is taken as published
        start = time.perf_counter()
        assert record_feedback(store, sheet, territory, SUPPORT)
        (request,) = tick(first.cursor).run_requests
        sensed = time.perf_counter() - start
        job = defs.resolve_job_def("publication_des_realisations")
        quiet = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}
        start, cpu = time.perf_counter(), time.process_time()
        result = job.execute_in_process(instance=instance, run_config=quiet, tags=request.tags)
        run_seconds, run_cpu = time.perf_counter() - start, time.process_time() - cpu
        assert result.success, "la publication des réalisations a échoué"
        after = supports(published, sheet)
        assert after == before + 1, (before, after)

        copy = scratch / "plancher.duckdb"
        with duckdb.connect(str(root / "warehouse.duckdb")) as con:  # the run is over
            start = time.perf_counter()
            write_snapshot(con, PUBLISHED_TABLES.values(), copy, "plancher")
            floor = time.perf_counter() - start
        print(f"Soutien de {territory} à {sheet} : {before} → {after} soutien(s) publiés")
        print(f"Écriture dans le registre et capteur (demande d'exécution) : {sensed:.2f} s")
        print(f"Exécution publication_des_realisations : {run_seconds:.1f} s (CPU {run_cpu:.1f} s)")
        for step, seconds in step_durations(instance, result.run_id):
            print(f"    {step:<40} {seconds:6.2f} s")
        print(
            f"Plancher : copier les {len(PUBLISHED_TABLES)} tables publiées, {floor:.2f} s "
            f"({copy.stat().st_size / 1e6:.1f} Mo ; exécution = {run_seconds / floor:.1f}× le "
            "plancher)"
        )
        if not arguments.sans_demon:
            under_daemon(state, scratch)
        print(f"(charge de la machine : {os.getloadavg()[0]:.1f} sur {os.cpu_count()} cœurs)")


if __name__ == "__main__":
    main()
