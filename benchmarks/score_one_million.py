"""Benchmark: score one million answers with the composite-indicator engine.

35,000 synthetic units × 30 indicators (three axes of ten questions, of every answer type)
→ 1,050,000 values. Prints the time and the peak memory of the computation.

    .venv/bin/python benchmarks/score_one_million.py [--units 35000]
"""

from __future__ import annotations

import argparse
import resource
import time
import tracemalloc

import numpy as np
import pandas as pd

from domain.composite import compute, methodology_from_dict

KINDS = ("oui_non", "echelle", "pourcentage", "nombre", "choix")


def benchmark_methodology(n_axes: int = 3, per_axis: int = 10) -> dict:
    indicators, nodes = {}, {}
    for a in range(n_axes):
        children = []
        for q in range(per_axis):
            code = f"A{a}_Q{q:02d}"
            kind = KINDS[q % len(KINDS)]
            spec = {
                "oui_non": {"mapping": {"oui": 1, "non": 0}, "normalisation": "identity"},
                "echelle": {"normalisation": {"method": "scale", "max": 4}},
                "pourcentage": {"normalisation": {"method": "scale", "max": 100}},
                "nombre": {
                    "denominator": "population",
                    "per": 10000,
                    "normalisation": {"min": 0, "max": 2},
                },
                "choix": {"normalisation": {"method": "scale", "max": 5}},
            }[kind]
            indicators[code] = spec
            children.append(code)
        nodes[f"A{a}"] = {"children": children, "min_coverage": 0.5}
    nodes["index"] = {"children": list(nodes), "aggregation": "geometric", "min_coverage": 0.8}
    return {"root": "index", "scale": 100, "nodes": nodes, "indicators": indicators}


def synthetic_values(n_units: int, document: dict, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    units = np.array([f"U{i:06d}" for i in range(n_units)])
    frames = []
    for code, spec in document["indicators"].items():
        if "mapping" in spec:
            value = np.where(rng.random(n_units) < 0.6, "oui", "non").astype(object)
        else:
            value = rng.random(n_units) * 100
        value = pd.Series(value).where(rng.random(n_units) > 0.05)  # 5 % unanswered
        frames.append(pd.DataFrame({"unit": units, "indicator": code, "value": value}))
    frames.append(
        pd.DataFrame(
            {
                "unit": units,
                "indicator": "population",
                "value": rng.integers(5_000, 2_000_000, n_units),
            }
        )
    )
    return pd.concat(frames, ignore_index=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=35_000)
    args = parser.parse_args()
    document = benchmark_methodology()
    methodology = methodology_from_dict(document)
    values = synthetic_values(args.units, document)
    answers = int((values["indicator"] != "population").sum())
    tracemalloc.start()
    started = time.perf_counter()
    scores = compute(values, methodology)
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    max_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    scored = scores.loc[scores["node"] == "index", "score"].notna().sum()
    print(f"réponses : {answers:,}".replace(",", " "))
    print(f"unités : {args.units:,} (indice calculé pour {scored:,})".replace(",", " "))
    print(f"lignes de résultat : {len(scores):,}".replace(",", " "))
    print(f"temps de calcul : {elapsed:.2f} s")
    print(f"pic mémoire du calcul (tracemalloc) : {peak / 1e6:.0f} Mo")
    print(f"mémoire résidente maximale du processus : {max_rss_mb:.0f} Mo")


if __name__ == "__main__":
    main()
