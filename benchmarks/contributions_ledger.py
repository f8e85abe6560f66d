"""Writes per second of the contributions store, from one and from several processes at once.

Each writer process records supports and comments through :mod:`domain.achievements.ledger`
(one ``BEGIN IMMEDIATE`` transaction each, ``synchronous=FULL``), as gunicorn's threads and
the command line do. The floor, measured in the same run on the same disk: one process
inserting the same number of rows into a bare SQLite table in WAL mode, one committed
transaction per row with ``synchronous=FULL`` (the cost of the commit itself). Then what a
pipeline run reads: ``ledger_version`` and ``ledger_frames``. Not a test: figures, no
thresholds.

    .venv/bin/python benchmarks/contributions_ledger.py [--writes 200] [--processes 2]
"""

from __future__ import annotations

import argparse
import multiprocessing
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))


def sheet(identifier: str) -> dict:
    return {"code_territoire": "DEP-13", "identifiant": identifier, "titre": "Fiche de mesure"}


def write(store: str, territory: str, writes: int, start, times) -> None:
    """One writer: half supports (on distinct sheets), half comments, begun with the others
    (``start``, a barrier, once imports are done); puts its first and last wall times."""
    from domain.achievements.ledger import record_comment, record_feedback

    start.wait()
    began = time.time()
    for n in range(writes // 2):
        record_feedback(Path(store), f"DEP-13/fiche-{n % 50}", f"{territory}-{n}", "soutien")
        record_comment(Path(store), "DEP-13/fiche-0", territory, f"Commentaire {n}")
    times.put((began, time.time()))


def floor(folder: Path, rows: int) -> float:
    """Seconds to commit ``rows`` one-row transactions into a bare WAL table."""
    con = sqlite3.connect(folder / "floor.sqlite", isolation_level=None)
    con.execute("PRAGMA journal_mode = WAL")
    con.execute("PRAGMA synchronous = FULL")
    con.execute("CREATE TABLE t (a TEXT, b TEXT, c TEXT, d TEXT)")
    started = time.perf_counter()
    for n in range(rows):
        con.execute("BEGIN IMMEDIATE")
        con.execute("INSERT INTO t VALUES (?, ?, ?, ?)", [str(n), "DEP-06", "soutien", "now"])
        con.execute("COMMIT")
    seconds = time.perf_counter() - started
    con.close()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writes", type=int, default=200, help="écritures par processus")
    parser.add_argument("--processes", type=int, default=2)
    args = parser.parse_args()

    from domain.achievements.ledger import ledger_frames, ledger_version, record_sheet_version

    with tempfile.TemporaryDirectory(prefix="ledger-bench-") as folder:
        root = Path(folder)
        total = args.writes * args.processes
        floor_seconds = floor(root, total)
        print(
            f"plancher : {total} transactions d'une ligne, SQLite nu (WAL, synchronous=FULL) : "
            f"{floor_seconds:.2f} s, {total / floor_seconds:,.0f} écritures/s"
        )
        for processes in sorted({1, args.processes}):
            store = root / f"contributions-{processes}.sqlite"
            for n in range(50):
                record_sheet_version(store, sheet(f"fiche-{n}"), f"{n:064d}", "f.md", "d", "a")
            context = multiprocessing.get_context("spawn")
            start, times = context.Barrier(processes), context.Queue()
            writers = [
                context.Process(
                    target=write, args=(str(store), f"T{p}", total // processes, start, times)
                )
                for p in range(processes)
            ]
            for writer in writers:
                writer.start()
            spans = [times.get() for _ in writers]
            for writer in writers:
                writer.join()
            seconds = max(end for _, end in spans) - min(began for began, _ in spans)
            frames = ledger_frames(store)
            written = len(frames.feedback) + len(frames.comments)
            print(
                f"registre : {processes} processus × {total // processes} écritures : "
                f"{seconds:.2f} s, "
                f"{written / seconds:,.0f} écritures/s, {written}/{total} enregistrées"
            )
        started = time.perf_counter()
        for _ in range(100):
            ledger_version(store)
        print(f"ledger_version : {(time.perf_counter() - started) * 10:.2f} ms par appel")
        started = time.perf_counter()
        frames = ledger_frames(store)
        print(
            f"ledger_frames : {(time.perf_counter() - started) * 1000:.0f} ms pour "
            f"{sum(len(getattr(frames, f)) for f in frames.__dataclass_fields__)} lignes"
        )


if __name__ == "__main__":
    main()
