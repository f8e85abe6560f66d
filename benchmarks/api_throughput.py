"""Throughput and latency of the open-data API under concurrent clients, beside a floor.

Starts the dashboard as in production (gunicorn, ``gunicorn.conf.py``, a fresh shared cache,
the rate limit lifted so that it measures the API, not the limit), then lets ``--clients``
threads, each with its own HTTP session (keep-alive, ``Accept-Encoding: gzip`` as most
clients send), request for ``--seconds`` seconds each:

- ``/api/v1/indices`` pages of 100 rows of the latest millésime (pages 1 to 5 in turn,
  sorted by ``-indice_global``), the JSON answer a reuser's script fetches;
- the same pages asked again with ``If-None-Match`` (the ``304`` a revalidating client gets,
  decided before any data is read);
- the floor, measured in the same run on the same server: the style sheet
  (``/assets/style.css``), a static file Flask sends from disk.

Prints, for each, the requests per second and the p50 and p95 latency, and the ratio of the
API's figures to the floor's. Not a test: figures.

    make data   # once: the demo publication in var/published
    .venv/bin/python benchmarks/api_throughput.py [--clients 8] [--seconds 10] [--workers 2]
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import duckdb
import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dashboard_latency import DEFAULT_PUBLISHED, dashboard  # noqa: E402

PAGES = 5
PAGE_SIZE = 100


@dataclass(frozen=True)
class Measure:
    """What one scenario achieved."""

    name: str
    requests: int
    seconds: float
    latencies: list[float]
    statuses: dict[int, int]

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


Request = Callable[[requests.Session, int], requests.Response]


def run(name: str, request: Request, clients: int, seconds: float) -> Measure:
    """``clients`` threads sending ``request`` back to back for ``seconds``."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(number: int) -> None:
        session = requests.Session()
        count = number
        while time.monotonic() < deadline:
            start = time.perf_counter()
            response = request(session, count)
            _ = response.content
            elapsed = time.perf_counter() - start
            count += 1
            with lock:
                latencies.append(elapsed)
                statuses[response.status_code] = statuses.get(response.status_code, 0) + 1

    start = time.monotonic()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(client, range(clients)))
    return Measure(name, len(latencies), time.monotonic() - start, latencies, statuses)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--published", type=Path, default=DEFAULT_PUBLISHED)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=2)
    arguments = parser.parse_args()
    if not arguments.published.exists():
        raise SystemExit(f"Aucune publication à {arguments.published} : lancez `make data`.")
    with duckdb.connect(str(arguments.published), read_only=True) as connection:
        latest = connection.execute("select max(millesime) from territory_scores").fetchone()[0]

    settings = {"OBSERVATOIRE_API_RATE_LIMIT": "100000000 per minute"}
    with dashboard(arguments.published, arguments.workers, settings) as base_url:
        indices = f"{base_url}/api/v1/indices"

        def params(count: int) -> dict[str, str]:
            page = count % PAGES + 1
            return {
                "millesime": str(latest),
                "par_page": str(PAGE_SIZE),
                "page": str(page),
                "tri": "-indice_global",
            }

        etags = {}
        for count in range(PAGES):  # warm the shared cache; keep each page's ETag
            response = requests.get(indices, params=params(count), timeout=60)
            response.raise_for_status()
            etags[count % PAGES] = response.headers["ETag"]
        requests.get(f"{base_url}/assets/style.css", timeout=60).raise_for_status()

        def api(session: requests.Session, count: int) -> requests.Response:
            return session.get(indices, params=params(count), timeout=60)

        def revalidated(session: requests.Session, count: int) -> requests.Response:
            tag = etags[count % PAGES]
            return session.get(
                indices, params=params(count), headers={"If-None-Match": tag}, timeout=60
            )

        def floor(session: requests.Session, count: int) -> requests.Response:
            return session.get(f"{base_url}/assets/style.css", timeout=60)

        clients, seconds = arguments.clients, arguments.seconds
        measures = [
            run("plancher : /assets/style.css", floor, clients, seconds),
            run(f"/api/v1/indices (pages de {PAGE_SIZE})", api, clients, seconds),
            run("/api/v1/indices avec If-None-Match (304)", revalidated, clients, seconds),
        ]

    print(
        f"{clients} clients, {seconds:g} s par scénario, {arguments.workers} processus gunicorn, "
        f"millésime {latest}"
    )
    print(f"{'scénario':45} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8}  statuts")
    for measure in measures:
        print(
            f"{measure.name:45} {measure.per_second:8.1f} {measure.percentile(0.5) * 1e3:8.1f} "
            f"{measure.percentile(0.95) * 1e3:8.1f}  {measure.statuses}"
        )
    floor_measure = measures[0]
    for measure in measures[1:]:
        throughput = measure.per_second / floor_measure.per_second
        p95 = measure.percentile(0.95) / floor_measure.percentile(0.95)
        print(f"{measure.name} / plancher : débit × {throughput:.2f}, p95 × {p95:.2f}")


if __name__ == "__main__":
    main()
