"""Which runs belong to a process that is gone: pure decisions over what runs recorded.

A run that is killed (SIGKILL, out-of-memory kill, machine restart) cannot record its end:
its status stays "started" and it keeps its slot of the warehouse's pool, which blocks
every later run. A run records where it runs (host name and process id, in its tags or
its engine events); a run whose process no longer exists on this host, or whose process
id now belongs to a process started after the run (an id reused, after a restart for
instance), is dead. A run of another host, or without those records, is never judged
here.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

#: Seconds by which a run's process may seem to start after the run: the boot time that
#: process start times are computed from is a whole number of seconds.
START_TOLERANCE_SECONDS = 2.0


@dataclass(frozen=True)
class RunProcess:
    """Where an unfinished run runs: ``host`` and ``pid`` of its process (None when the run
    did not record them), ``started_at`` the POSIX time it began (or was created)."""

    run_id: str
    host: str | None
    pid: int | None
    started_at: float


def this_host() -> str:
    """The name runs record as their host."""
    return socket.gethostname()


def process_start_time(pid: int, proc: Path = Path("/proc")) -> float | None:
    """POSIX time process ``pid`` started; None when no such process is running (a zombie,
    killed but not yet reaped, counts as gone). Without ``/proc`` (not Linux), a running
    process gets ``-inf``: it exists, since when is unknown."""
    if pid <= 0:
        return None
    if not (proc / "stat").is_file():
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except PermissionError:
            pass  # it exists, owned by another user
        return float("-inf")
    try:
        stat = (proc / str(pid) / "stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    # "pid (command) state ppid … starttime …": the command may hold spaces and brackets.
    fields = stat[stat.rindex(")") + 2 :].split()
    if fields[0] in ("Z", "X"):
        return None
    ticks_after_boot = int(fields[19])
    boot = next(
        int(line.split()[1])
        for line in (proc / "stat").read_text().splitlines()
        if line.startswith("btime ")
    )
    return boot + ticks_after_boot / os.sysconf("SC_CLK_TCK")


def runs_of_dead_processes(
    runs: Iterable[RunProcess],
    host: str,
    start_time_of: Callable[[int], float | None] = process_start_time,
) -> list[RunProcess]:
    """The runs of ``runs`` whose process is gone: recorded on ``host``, and their process
    id either runs nothing or runs a process started after the run began."""
    dead = []
    for run in runs:
        if run.host != host or run.pid is None:
            continue
        started = start_time_of(run.pid)
        if started is None or started > run.started_at + START_TOLERANCE_SECONDS:
            dead.append(run)
    return dead
