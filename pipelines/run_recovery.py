"""Runs whose process died: marked failed, their slots of the warehouse's pool freed.

A run killed without a chance to record its end (SIGKILL, out-of-memory kill, machine
restart) stays "started" in the Dagster instance and keeps its slot of the pool
``duckdb_warehouse`` (one slot): every later run would wait for it forever. Dagster sees
the death of a run worker only while the code server that started it lives (it then marks
the run failed, and run monitoring frees its slots); the local run launcher has no health
check for run monitoring, and nothing in Dagster watches a run of ``observatoire refresh``
(executed in the command's own process) or the runs of a machine that restarted. So every
run records its host and its process: the command line tags its runs with both; the sensor
and the schedule tag theirs with the host, and the run worker records its process id in its
first engine event. Before it
starts a run, ``observatoire refresh`` frees what dead runs hold, and so does a sensor
evaluated by the daemon every minute; ``observatoire status`` shows what was done.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, replace

import dagster as dg

from domain.processes import RunProcess, runs_of_dead_processes, this_host

HOST_TAG = "observatoire/host"
PID_TAG = "observatoire/pid"
#: Set on a run found dead: when it was marked failed and its slots freed (POSIX time).
RECOVERED_TAG = "observatoire/recovered_at"
#: Dagster's per-run limit of automatic retries, set to 0 on a run found dead.
NO_AUTOMATIC_RETRY_TAG = "dagster/max_retries"

#: Runs that may still hold a slot of a pool, or wait for one.
UNFINISHED = [
    dg.DagsterRunStatus.NOT_STARTED,
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
    dg.DagsterRunStatus.CANCELING,
]


def process_tags() -> dict[str, str]:
    """Tags of a run executed in this process (``observatoire refresh``)."""
    return {HOST_TAG: this_host(), PID_TAG: str(os.getpid())}


def host_tags() -> dict[str, str]:
    """Tags of a run requested from this host (sensor, schedule): the local run launcher
    starts its worker here, and the worker records its process id in its engine events."""
    return {HOST_TAG: this_host()}


@dataclass(frozen=True)
class DeadRun:
    """A run whose process is gone, and what was done about it (``recovered_at`` None when
    nothing was done yet)."""

    run_id: str
    job_name: str
    host: str
    pid: int
    started_at: float
    recovered_at: float | None


def _recorded_pid(instance: dg.DagsterInstance, run: dg.DagsterRun) -> int | None:
    """The process id a run recorded: its tag, else its latest engine event that names one
    ("Started process for run (pid: …)", "Executing steps in process (pid: …)")."""
    if run.tags.get(PID_TAG, "").isdigit():
        return int(run.tags[PID_TAG])
    records = instance.get_records_for_run(
        run.run_id, of_type=dg.DagsterEventType.ENGINE_EVENT, ascending=False, limit=50
    ).records
    for record in records:
        event = record.event_log_entry.dagster_event
        metadata = getattr(event.event_specific_data, "metadata", None) or {}
        pid = metadata.get("pid")
        if pid is not None and str(pid.value).isdigit():
            return int(pid.value)
    return None


def _unfinished_runs(instance: dg.DagsterInstance) -> dict[str, tuple[dg.DagsterRun, RunProcess]]:
    runs = {}
    for record in instance.get_run_records(filters=dg.RunsFilter(statuses=UNFINISHED)):
        run = record.dagster_run
        started = record.start_time or record.create_timestamp.timestamp()
        process = RunProcess(
            run.run_id, run.tags.get(HOST_TAG), _recorded_pid(instance, run), started
        )
        runs[run.run_id] = (run, process)
    return runs


def find_dead_runs(instance: dg.DagsterInstance) -> list[DeadRun]:
    """Unfinished runs of this host whose process is gone (nothing is changed)."""
    runs = _unfinished_runs(instance)
    dead = runs_of_dead_processes([process for _, process in runs.values()], this_host())
    return [
        DeadRun(p.run_id, runs[p.run_id][0].job_name, p.host, p.pid, p.started_at, None)
        for p in dead
    ]


def recover_dead_runs(instance: dg.DagsterInstance) -> list[DeadRun]:
    """Mark every dead run of this host failed and free the pool slots it holds; return
    them. A run of a live process, or of another host, is left alone."""
    recovered = []
    for dead in find_dead_runs(instance):
        run = instance.get_run_by_id(dead.run_id)
        if run is None or run.status not in UNFINISHED:
            continue  # ended meanwhile, or another process recovered it
        # dead_runs_sensor runs the job again itself (once): Dagster's automatic retries
        # (run_retries, on in the production instance) must not launch a second one.
        instance.add_run_tags(run.run_id, {NO_AUTOMATIC_RETRY_TAG: "0"})
        instance.report_run_failed(
            instance.get_run_by_id(run.run_id) or run,
            f"Exécution interrompue : son processus (pid {dead.pid} sur {dead.host}) a disparu "
            "(arrêt forcé, manque de mémoire ou redémarrage). Marquée en échec, créneaux du "
            "pool libérés.",
        )
        # What Dagster's run monitoring does for finished runs (free_slots_after_run_end_seconds),
        # done at once: the next run should not wait minutes for a slot nobody uses.
        instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
        now = time.time()
        instance.add_run_tags(run.run_id, {RECOVERED_TAG: f"{now:.0f}"})
        recovered.append(replace(dead, recovered_at=now))
    return recovered


def recovered_runs(instance: dg.DagsterInstance, limit: int = 3) -> list[DeadRun]:
    """The latest runs found dead and recovered, most recent first."""
    found = []
    for record in instance.get_run_records(
        filters=dg.RunsFilter(statuses=[dg.DagsterRunStatus.FAILURE]), limit=50
    ):
        run = record.dagster_run
        if RECOVERED_TAG not in run.tags:
            continue
        pid = _recorded_pid(instance, run)
        started = record.start_time or record.create_timestamp.timestamp()
        found.append(
            DeadRun(
                run.run_id,
                run.job_name,
                run.tags.get(HOST_TAG, "?"),
                pid or 0,
                started,
                float(run.tags[RECOVERED_TAG]),
            )  # fmt: skip
        )
    return found[:limit]
