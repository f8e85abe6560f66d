"""Time to rank peers' achievement sheets on every weak axis, at the widest scope.

Builds a synthetic scope (``--territories`` communes in 13 régions, ten axes, three
millésimes, scores at random, strengths and weaknesses against each kind's median as the
pipeline computes them) and ``--sheets`` published sheets (plus a sixth as many awaiting
review), then prints:
- the time of :func:`domain.achievements.recommendations.achievement_recommendations`
  (median of ``--repeat``) and the rows it returns;
- the floor, measured in the same run: the one join it cannot avoid, every weak
  (territory, axis, millésime) with every published sheet on that axis, without ranking.
Not a test: figures, no thresholds.

    .venv/bin/python benchmarks/achievement_recommendations.py [--territories 35000] [--sheets 60]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from domain.achievements.recommendations import (  # noqa: E402
    achievement_recommendations,
    sheet_axes,
)
from domain.results import axis_positions  # noqa: E402
from schemas.vocabulary import SHEET_PROPOSED, SHEET_PUBLISHED, WEAKNESS  # noqa: E402

AXES = ["LAB", "EADM", "SERV", "DATA", "INFRA", "SMART", "INCL", "ENTR", "FILI", "GOUV"]
MILLESIMES = [2024, 2025, 2026]


def _median_seconds(action: Callable[[], Any], repeat: int) -> float:
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def synthetic_inputs(territories: int, sheets: int, seed: int = 13):
    """Territories, axis positions of every millésime and current sheets, at random."""
    rng = np.random.default_rng(seed)
    reference = pd.DataFrame(
        {
            "code": [f"COM-{n:05d}" for n in range(territories)],
            "kind": "COM",
            "population": rng.integers(50, 200_000, territories),
            "region": [f"REG-{n % 13 + 1:02d}" for n in range(territories)],
        }
    )
    scores = pd.DataFrame(
        [(code, m, a) for m in MILLESIMES for code in reference["code"] for a in AXES],
        columns=["territory", "millesime", "axis"],
    )
    scores["score"] = rng.uniform(0, 100, len(scores))
    scores["coverage"] = 1.0
    positions = axis_positions(scores, reference.set_index("code")["kind"])
    authors = rng.choice(reference["code"], sheets + sheets // 6)
    current = pd.DataFrame(
        {
            "achievement_id": [f"{a}/fiche-{n}" for n, a in enumerate(authors)],
            "territory": authors,
            "status": [SHEET_PUBLISHED] * sheets + [SHEET_PROPOSED] * (sheets // 6),
            "axes": [
                "|".join(rng.choice(AXES, rng.integers(1, 4), replace=False)) for _ in authors
            ],
            "year": rng.choice(MILLESIMES[:2], len(authors)),
        }
    )
    return reference, positions, current


def main() -> None:
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--territories", type=int, default=35_000)
    parser.add_argument("--sheets", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=3)
    arguments = parser.parse_args()
    reference, positions, current = synthetic_inputs(arguments.territories, arguments.sheets)
    weak = positions.loc[positions["position"] == WEAKNESS]
    print(
        f"{len(reference)} territoires, {len(positions)} positions d'axe "
        f"({len(weak)} faiblesses), {arguments.sheets} fiches publiées"
    )
    found = achievement_recommendations(current, reference, positions)
    ranking = _median_seconds(
        lambda: achievement_recommendations(current, reference, positions), arguments.repeat
    )
    published = current.loc[current["status"] == SHEET_PUBLISHED]

    def floor() -> int:
        return len(weak.merge(sheet_axes(published), on="axis"))

    pairs = floor()
    join = _median_seconds(floor, arguments.repeat)
    print(
        f"  recommandations : {len(found)} lignes en {ranking:.2f} s (médiane de {arguments.repeat})"
    )
    print(f"  plancher, la jointure faiblesses × fiches de l'axe ({pairs} paires) : {join:.2f} s")


if __name__ == "__main__":
    main()
