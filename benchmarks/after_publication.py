"""The first requests after a new publication, when every cache entry is missing.

Starts the dashboard as in production (gunicorn, several workers, 30 s timeout, a shared
FileSystemCache), lets it warm, then publishes a new copy of the snapshot several times
(``os.replace`` of an identical copy: every cache key changes) and, right after each one,
sends a burst of concurrent page openings (the Dash Pages router rendering every page, with
the query string a shared link carries). Prints the latencies of those bursts and of the
same burst on a warm cache (the floor, measured in the same run), and the failed requests
(HTTP 500 or more than the 30 s gunicorn timeout).

Run twice to compare: with the cache warmed once per publication (the default) and without
(``--no-warm``: ``OBSERVATOIRE_WARM_CACHE=0``). Not a test: figures, no thresholds.

    make data   # once: the demo publication in var/published
    .venv/bin/python benchmarks/after_publication.py [--workers 4] [--clients 12] [--publications 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dashboard_latency import (  # noqa: E402
    DEFAULT_PUBLISHED,
    dashboard,
    figures_header,
    figures_line,
    page,
    requests_for,
    sample_codes,
    scenarios,
)

GUNICORN_TIMEOUT = 30


def burst(base_url: str, bodies: list[dict], clients: int) -> tuple[list[float], list[str]]:
    """Every page opening from each of ``clients`` threads at once; latencies (ms), failures."""

    def client(number: int) -> tuple[list[float], list[str]]:
        session = requests.Session()
        times, failures = [], []
        for body in bodies[number % len(bodies) :] + bodies[: number % len(bodies)]:
            start = time.perf_counter()
            try:
                response = session.post(
                    base_url + "/_dash-update-component", json=body, timeout=GUNICORN_TIMEOUT + 5
                )
                if response.status_code != 200:
                    failures.append(f"HTTP {response.status_code}")
            except requests.RequestException as error:
                failures.append(type(error).__name__)
            times.append((time.perf_counter() - start) * 1000)
        return times, failures

    with ThreadPoolExecutor(clients) as pool:
        results = list(pool.map(client, range(clients)))
    return [t for times, _ in results for t in times], [f for _, fs in results for f in fs]


def publish_again(published: Path) -> None:
    """Replace the snapshot by an identical copy, as a publication does (new mtime)."""
    partial = published.with_name(f".{published.name}.bench.partial")
    shutil.copyfile(published, partial)
    os.replace(partial, published)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--published", type=Path, default=DEFAULT_PUBLISHED)
    parser.add_argument("--workers", type=int, default=4, help="processus gunicorn (4)")
    parser.add_argument("--clients", type=int, default=12, help="clients simultanés (12)")
    parser.add_argument("--publications", type=int, default=3, help="publications (3)")
    parser.add_argument("--no-warm", action="store_true", help="sans préchauffage du cache")
    arguments = parser.parse_args(argv)
    if not arguments.published.exists():
        print(f"Pas de copie publiée à {arguments.published} : lancez d'abord `make data`.")
        return 1

    scratch = Path(tempfile.mkdtemp(prefix="observatoire-bench-publication-"))
    published = scratch / "observatoire.duckdb"
    shutil.copyfile(arguments.published, published)
    codes = sample_codes(published)
    pages = [s for s in scenarios(codes) if s.trigger == "_pages_location.pathname"]
    pages.append(page("Qualité (ouverture)", "/qualite"))
    try:
        warm_cache = {"OBSERVATOIRE_WARM_CACHE": "0" if arguments.no_warm else "1"}
        with dashboard(published, arguments.workers, warm_cache, GUNICORN_TIMEOUT) as base_url:
            dependencies = requests.get(base_url + "/_dash-dependencies", timeout=30).json()
            bodies = [body for page in pages for body in requests_for(dependencies, page)]
            burst(base_url, bodies, arguments.clients)  # every worker set up, cache filled
            warm, _ = burst(base_url, bodies, arguments.clients)
            cold, failures = [], []
            for _ in range(arguments.publications):
                publish_again(published)
                times, failed = burst(base_url, bodies, arguments.clients)
                cold += times
                failures += failed
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    print(
        f"gunicorn {arguments.workers} processus (délai {GUNICORN_TIMEOUT} s), "
        f"{arguments.clients} clients × {len(bodies)} ouvertures de page ; préchauffage "
        f"{'désactivé' if arguments.no_warm else 'activé'} ; {os.cpu_count()} cœurs."
    )
    print(figures_header("", 44))
    print(figures_line("cache chaud (plancher)", warm, 44))
    print(figures_line(f"juste après {arguments.publications} publications", cold, 44))
    print(f"échecs (HTTP ≠ 200 ou délai dépassé) : {len(failures)} {sorted(set(failures))}")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
