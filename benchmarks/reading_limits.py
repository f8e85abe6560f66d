"""Time and memory of the reading boundary on nasty files and on the largest tables it admits.

Each file is validated (``validate_submission``, what the command line, the upload page and
the pipeline do) in a fresh process, which reports the time taken and its peak resident
memory. The first line is the floor: a normal questionnaire file, measured in the same run.
Not a test: figures, no thresholds.

    .venv/bin/python benchmarks/reading_limits.py
"""

from __future__ import annotations

import resource
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))


def cases() -> dict[str, object]:
    """Name → builder of the bytes (called in the measuring process)."""
    from domain.submissions.dialects import MAX_CELLS, MAX_COLUMNS
    from tests.support import nasty_files

    return {
        "plancher : questionnaire normal (40 lignes)": lambda: nasty_files.long_csv(40),
        **{name: build for name, build in nasty_files.ALL.items()},
        "10 000 colonnes, 10 Mo (issue 11)": lambda: nasty_files.wide_csv(10_000, 500),
        f"admis : {MAX_COLUMNS - 2} questions × {MAX_CELLS // MAX_COLUMNS} lignes": (
            lambda: nasty_files.wide_csv(MAX_COLUMNS - 2, MAX_CELLS // MAX_COLUMNS - 1)
        ),
        f"admis : {(MAX_CELLS - 5) // 4} lignes du modèle": (
            lambda: nasty_files.long_csv((MAX_CELLS - 5) // 4)
        ),
    }


def measure(name: str) -> tuple[int, float, int, str]:
    """Build the file, validate it; bytes, seconds, peak RSS (MB) and the outcome."""
    import pandas as pd

    from domain.questionnaire import load_questionnaires
    from domain.submissions.validation import validate_submission

    questionnaires = load_questionnaires()
    territories = pd.DataFrame({"code": ["DEP-13"], "kind": ["DEP"]})
    content = cases()[name]()
    started = time.perf_counter()
    result = validate_submission(content, territories, questionnaires)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    if not result.readable:
        outcome = "illisible : " + result.issues[0].message[:60]
    else:
        outcome = f"lu, {len(result.issues)} ligne(s) de compte rendu"
    return len(content), seconds, peak, outcome


def main() -> int:
    print(f"{'fichier':<42} {'octets':>11} {'temps':>8} {'pic RSS':>8}  issue")
    for name in cases():
        with ProcessPoolExecutor(max_workers=1) as pool:
            size, seconds, peak, outcome = pool.submit(measure, name).result()
        print(f"{name:<42} {size:>11,} {seconds:>7.2f}s {peak:>6} Mo  {outcome}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
