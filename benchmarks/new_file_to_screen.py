"""One new file: the ingestion run it starts, and the time from the inbox to the published copy.

Starts from the state of a refreshed observatory (``--etat``: a folder holding
``warehouse.duckdb``, ``published/`` and ``archive/``, such as ``var/`` after ``make data``
or the folder ``benchmarks/pipeline_scale.py --garder`` keeps; without it, the demo is
written and refreshed first, which takes minutes). The new file is an accepted file of the
latest millésime, sent again with a comment changed: new bytes, the same territory.

1. In this process, on a copy of the state: the inbox sensor evaluated for the file, then the
   ingestion job run in-process with the sensor's tags, as the daemon's run worker runs it.
   Prints its time, the time of each step, and the floor: validating that one file alone.
2. Under a real daemon, on another copy: ``dagster dev`` (as ``make run`` starts it, in its
   own process group, stopped by killing the group), the file written into the inbox right
   after a tick of the sensor (the longest wait), then the published copy polled until it
   lists the file. Prints the time from the file landing to the run being requested,
   started, finished and the file published. The dashboard reads the published copy at each
   request (its cache keys carry the copy's version): published is on screen.

Not a test: figures, no thresholds.

    .venv/bin/python benchmarks/new_file_to_screen.py [--etat var] [--sans-demon]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pipeline_scale import BIN, ROOT, measured, sandbox_environment  # noqa: E402

TARGET_RUN_SECONDS = 10
TARGET_SCREEN_SECONDS = 20
DAEMON_TIMEOUT = 600


def prepared_state(given: Path | None, scratch: Path) -> Path:
    """A refreshed observatory's state: ``given``, or the demo written and refreshed."""
    if given:
        return given
    state = scratch / "etat"
    env = sandbox_environment(state)
    print("Aucun --etat : démonstration écrite et actualisée (quelques minutes)…", flush=True)
    measured([str(BIN / "observatoire"), "demo"], env)
    measured([str(BIN / "observatoire"), "refresh"], env)
    return state


def copy_state(state: Path, target: Path) -> dict[str, str]:
    """Copy what a run reads and writes (warehouse, publication, archive, contributions
    store) into ``target``; its environment (every path under ``target``, a Dagster
    instance of its own)."""
    target.mkdir(parents=True)
    for name in ("warehouse.duckdb", "published", "archive", "contributions.sqlite"):
        source = state / name
        if source.is_dir():
            shutil.copytree(source, target / name)
        elif source.exists():
            shutil.copy2(source, target / name)
    (target / "incoming").mkdir(parents=True, exist_ok=True)
    return sandbox_environment(target)


def new_file(state: Path) -> tuple[str, bytes]:
    """An accepted file of the latest millésime with its first comment changed: new bytes."""
    from schemas.vocabulary import ACCEPTED

    with duckdb.connect(str(state / "published" / "observatoire.duckdb"), read_only=True) as con:
        file_name, sha256 = con.execute(
            """SELECT file_name, sha256 FROM submission_files
               WHERE status = ? AND file_name LIKE '%.csv'
               ORDER BY millesime DESC, file_name LIMIT 1""",
            [ACCEPTED],
        ).fetchone()
    (original,) = [p for p in (state / "archive").rglob(f"{sha256}*") if p.is_file()]
    lines = original.read_bytes().split(b"\n")
    end = b"\r" if lines[1].endswith(b"\r") else b""
    lines[1] = lines[1].removesuffix(end) + f" (renvoi {time.time_ns()})".encode() + end
    return file_name, b"\n".join(lines)


def published_shas(published: Path) -> set[str]:
    """SHA-256 of the files the published copy lists (empty while it cannot be read)."""
    try:
        with duckdb.connect(str(published), read_only=True) as con:
            return {row[0] for row in con.execute("SELECT sha256 FROM submission_files").fetchall()}
    except duckdb.Error:
        return set()


def in_process(state: Path, scratch: Path) -> float:
    """The sensor and the ingestion run in this process, on a copy of ``state``."""
    root = scratch / "en-processus"
    env = copy_state(state, root)
    os.environ.update({k: v for k, v in env.items() if k.startswith("OBSERVATOIRE_")})
    os.environ.pop("DAGSTER_HOME", None)
    import dagster as dg

    from assets.resources import SubmissionStorage
    from domain.questionnaire import load_questionnaires
    from domain.submissions.validation import validate_submission
    from pipelines.definitions import defs
    from pipelines.sensors import incoming_files_sensor

    name, content = new_file(state)
    (root / "incoming" / name).write_bytes(content)
    instance = dg.DagsterInstance.ephemeral()
    storage = SubmissionStorage(
        incoming_dir=str(root / "incoming"), archive_dir=str(root / "archive")
    )
    start = time.perf_counter()
    context = dg.build_sensor_context(instance=instance, resources={"storage": storage})
    (request,) = incoming_files_sensor.evaluate_tick(context).run_requests
    sensed = time.perf_counter() - start
    job = defs.resolve_job_def("ingestion_des_depots")
    quiet = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}
    start, cpu = time.perf_counter(), time.process_time()
    result = job.execute_in_process(instance=instance, run_config=quiet, tags=request.tags)
    run_seconds, run_cpu = time.perf_counter() - start, time.process_time() - cpu
    assert result.success, "l'exécution d'ingestion a échoué"

    with duckdb.connect(str(root / "warehouse.duckdb"), read_only=True) as con:
        territories = con.execute("SELECT code, kind FROM territories").df()
    questionnaires = load_questionnaires()
    start = time.perf_counter()
    validated = validate_submission(content, territories, questionnaires)
    floor = time.perf_counter() - start
    assert validated.accepted

    print(f"Fichier : {name} (millésime(s) {request.tags.get('observatoire/millesimes')})")
    print(f"Capteur (lecture du fichier, demande d'exécution) : {sensed:.2f} s")
    print(
        f"Exécution d'ingestion en processus : {run_seconds:.1f} s (CPU {run_cpu:.1f} s), "
        f"objectif < {TARGET_RUN_SECONDS} s : {'atteint' if run_seconds < 10 else 'non'}"
    )
    for step, seconds in step_durations(instance, result.run_id):
        print(f"    {step:<40} {seconds:6.2f} s")
    print(
        f"Plancher : valider ce seul fichier {floor * 1000:.0f} ms "
        f"(exécution = {run_seconds / floor:.0f}× le plancher)"
    )
    return run_seconds


def step_durations(instance, run_id: str) -> list[tuple[str, float]]:
    """Seconds of each step of a run, from its start and success events, longest first."""
    starts, durations = {}, {}
    for record in instance.all_logs(run_id):
        event = record.dagster_event
        if event is None or not event.step_key:
            continue
        if event.event_type_value == "STEP_START":
            starts[event.step_key] = record.timestamp
        elif event.event_type_value in ("STEP_SUCCESS", "STEP_FAILURE"):
            durations[event.step_key] = record.timestamp - starts.get(
                event.step_key, record.timestamp
            )
    return sorted(durations.items(), key=lambda item: -item[1])


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def under_daemon(state: Path, scratch: Path) -> float | None:
    """``dagster dev`` on a copy of ``state``: the time from a file landing in the inbox to
    the published copy listing it, with the run's milestones."""
    root = scratch / "demon"
    env = copy_state(state, root)
    log = root / "dagster-dev.log"
    published = root / "published" / "observatoire.duckdb"
    command = [str(BIN / "dagster"), "dev", "-m", "pipelines.definitions"]
    command += ["-h", "127.0.0.1", "-p", str(_free_port())]
    with open(log, "w") as output:
        daemon = subprocess.Popen(
            command,
            env=env,
            cwd=ROOT,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        ticks = _wait_for(lambda: _sensor_ticks(log) >= 1, DAEMON_TIMEOUT)
        if ticks is None:
            print(f"Le démon n'a pas évalué le capteur en {DAEMON_TIMEOUT} s (voir {log}).")
            return None
        # Right after a tick: the file waits the whole interval before the next one.
        seen = _sensor_ticks(log)
        _wait_for(lambda: _sensor_ticks(log) > seen, DAEMON_TIMEOUT)
        name, content = new_file(state)
        sha256 = hashlib.sha256(content).hexdigest()
        partial = root / "incoming" / f".{name}.partial"
        partial.write_bytes(content)
        landed = time.time()
        os.replace(partial, root / "incoming" / name)
        shown = _wait_for(lambda: sha256 in published_shas(published), DAEMON_TIMEOUT, 0.2)
        if shown is None:
            print(f"Fichier non publié en {DAEMON_TIMEOUT} s (voir {log}).")
            return None
        on_screen = time.time() - landed
        print(
            f"Fichier : {name}, déposé dans le dossier d'arrivée juste après un passage du capteur"
        )
        for label, at in _run_milestones(Path(env["DAGSTER_HOME"])):
            print(f"    {label:<40} +{at - landed:6.1f} s")
        print(
            f"Du dépôt à la copie publiée (donc à l'écran) : {on_screen:.1f} s, "
            f"objectif ≤ {TARGET_SCREEN_SECONDS} s : "
            f"{'atteint' if on_screen <= TARGET_SCREEN_SECONDS else 'non'}"
        )
        return on_screen
    finally:
        os.killpg(daemon.pid, signal.SIGINT)
        try:
            daemon.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(daemon.pid, signal.SIGKILL)
            daemon.wait()


def _sensor_ticks(log: Path) -> int:
    """Evaluations of the inbox sensor the daemon has logged so far."""
    text = log.read_text(errors="replace") if log.exists() else ""
    return text.count("Checking for new runs for sensor: incoming_files_sensor")


def _wait_for(condition, timeout: float, every: float = 0.5) -> float | None:
    """Poll ``condition`` until true; the time it became true, or ``None`` after ``timeout``."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if condition():
            return time.time()
        time.sleep(every)
    return None


def _run_milestones(home: Path) -> list[tuple[str, float]]:
    """When the ingestion run was created, started and ended (the daemon's instance)."""
    import dagster as dg

    previous = os.environ.get("DAGSTER_HOME")
    os.environ["DAGSTER_HOME"] = str(home)
    try:
        with dg.DagsterInstance.get() as instance:
            (record,) = instance.get_run_records(
                dg.RunsFilter(job_name="ingestion_des_depots"), limit=1
            )
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--etat", type=Path, help="état d'un observatoire actualisé (var/…)")
    parser.add_argument("--sans-demon", action="store_true", help="l'exécution en processus seule")
    args = parser.parse_args(argv)
    scratch = Path(tempfile.mkdtemp(prefix="observatoire-new-file-"))
    try:
        state = prepared_state(args.etat, scratch)
        in_process(state, scratch)
        if not args.sans_demon:
            under_daemon(state, scratch)
        print(f"(charge de la machine : {os.getloadavg()[0]:.1f} sur {os.cpu_count()} cœurs)")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
