"""Which runs belong to a dead process: the pure decision, and process start times read
from the real process table (runs killed for real: tests/integration/test_dead_runs.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from domain.processes import RunProcess, process_start_time, runs_of_dead_processes

HERE = "hote-a"
RUN_START = 1_000_000.0


def decide(*runs: RunProcess, processes: dict[int, float]) -> list[str]:
    """The ids of ``runs`` judged dead on host HERE, with ``processes`` (pid → start time)
    as the process table."""
    dead = runs_of_dead_processes(runs, HERE, start_time_of=processes.get)
    return [run.run_id for run in dead]


def test_a_run_whose_process_is_gone_is_dead():
    assert decide(RunProcess("r", HERE, 42, RUN_START), processes={}) == ["r"]


def test_a_run_whose_process_runs_is_alive():
    alive = RunProcess("r", HERE, 42, RUN_START)
    assert decide(alive, processes={42: RUN_START - 30}) == []
    # Start times come from a boot time counted in whole seconds: a process may seem to
    # start a little after its run.
    assert decide(alive, processes={42: RUN_START + 1}) == []


def test_a_process_id_reused_by_a_later_process_is_not_the_run_s():
    # After a restart (or a long time), the run's pid belongs to an unrelated process.
    assert decide(RunProcess("r", HERE, 42, RUN_START), processes={42: RUN_START + 600}) == ["r"]


def test_runs_of_another_host_or_without_a_process_are_never_judged():
    elsewhere = RunProcess("ailleurs", "hote-b", 42, RUN_START)
    unknown_pid = RunProcess("sans-pid", HERE, None, RUN_START)
    unknown_host = RunProcess("sans-hote", None, 42, RUN_START)
    assert decide(elsewhere, unknown_pid, unknown_host, processes={}) == []


def test_only_the_dead_among_several():
    runs = [RunProcess(f"r{pid}", HERE, pid, RUN_START) for pid in (1, 2, 3)]
    assert decide(*runs, processes={2: RUN_START - 5}) == ["r1", "r3"]


def test_process_start_time_is_when_the_process_started_and_none_once_it_ended():
    before = time.time()
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    started = process_start_time(child.pid)
    if os.path.isfile("/proc/stat"):  # elsewhere: known to exist, not since when
        # Boot time is counted in whole seconds, clock ticks in hundredths.
        assert before - 2 <= started <= time.time() + 2
    assert process_start_time(os.getpid()) <= started
    child.kill()
    child.wait()
    assert process_start_time(child.pid) is None
    assert process_start_time(0) is None and process_start_time(-1) is None


@pytest.mark.skipif(not os.path.isfile("/proc/stat"), reason="zombies are read from /proc")
def test_a_killed_process_not_yet_reaped_counts_as_gone():
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    assert process_start_time(child.pid) is not None
    child.kill()
    # Wait for its end without reaping it: it stays a zombie until child.wait().
    os.waitid(os.P_PID, child.pid, os.WEXITED | os.WNOWAIT)
    assert process_start_time(child.pid) is None
    child.wait()


# --- The Dagster wrapper, on a real (in-memory) instance -----------------------------------


def dead_pid() -> int:
    """The id of a process that ran and is gone."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def started_run(instance, job_name: str, **tags: str):
    import dagster as dg

    run = dg.DagsterRun(job_name=job_name, status=dg.DagsterRunStatus.STARTED, tags=tags)
    return instance.add_run(run)


def test_the_dead_run_sensor_fails_dead_runs_and_runs_their_work_again_once():
    import dagster as dg

    from domain.processes import this_host
    from pipelines.run_recovery import HOST_TAG, PID_TAG, RECOVERED_TAG
    from pipelines.sensors import RERUN_OF_TAG, dead_runs_sensor

    here, gone = this_host(), str(dead_pid())
    range_ = {"dagster/asset_partition_range_start": "2025",
              "dagster/asset_partition_range_end": "2026"}  # fmt: skip
    with dg.DagsterInstance.ephemeral() as instance:
        dead = started_run(
            instance, "actualisation_complete", **{HOST_TAG: here, PID_TAG: gone}, **range_
        )
        dead_again = started_run(
            instance, "ingestion_des_depots", **{HOST_TAG: here, PID_TAG: gone, RERUN_OF_TAG: "x"}
        )
        live = started_run(
            instance, "ingestion_des_depots", **{HOST_TAG: here, PID_TAG: str(os.getpid())}
        )
        elsewhere = started_run(
            instance, "ingestion_des_depots", **{HOST_TAG: "autre-hote", PID_TAG: gone}
        )
        untagged = started_run(instance, "ingestion_des_depots")

        tick = dead_runs_sensor.evaluate_tick(dg.build_sensor_context(instance=instance))

        def status(run):
            return instance.get_run_by_id(run.run_id).status

        assert status(dead) == status(dead_again) == dg.DagsterRunStatus.FAILURE
        assert RECOVERED_TAG in instance.get_run_by_id(dead.run_id).tags
        for untouched in (live, elsewhere, untagged):
            assert status(untouched) == dg.DagsterRunStatus.STARTED
        (rerun,) = tick.run_requests  # the re-run that died is not run a third time
        assert rerun.job_name == "actualisation_complete"
        assert rerun.tags[RERUN_OF_TAG] == dead.run_id
        assert {name: rerun.tags[name] for name in range_} == range_
        again = dead_runs_sensor.evaluate_tick(dg.build_sensor_context(instance=instance))
        assert not again.run_requests and "Aucune" in again.skip_message
