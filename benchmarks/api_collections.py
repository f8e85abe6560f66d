"""Latency of each collection of the open-data API, first request and repeated, beside a floor.

Starts the dashboard as in production (gunicorn, ``gunicorn.conf.py``, an empty shared cache,
the rate limit lifted), then, one client at a time, asks each address below once (the first
request after a publication: the rows are read and kept in the shared cache) and
``--repeats`` more times (what every later reuser gets), JSON, ``Accept-Encoding: gzip``.
The floor, measured in the same run on the same server, is the style sheet
(``/assets/style.css``), a static file Flask sends from disk. Prints, for each address, the
first request's time, the median and the p95 of the repeats, and the answer's size. Not a
test: figures.

    make data   # once: the demo publication in var/published
    .venv/bin/python benchmarks/api_collections.py [--repeats 20] [--workers 2]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import duckdb
import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dashboard_latency import DEFAULT_PUBLISHED, dashboard  # noqa: E402


def addresses(published: Path) -> list[str]:
    """The addresses measured, with codes and millésimes taken from ``published``."""
    with duckdb.connect(str(published), read_only=True) as connection:
        latest = connection.execute("select max(millesime) from territory_scores").fetchone()[0]
        department = connection.execute(
            "select min(code) from territories where kind = 'DEP'"
        ).fetchone()[0]
        version = connection.execute(
            "select version from methodology_versions where millesime = ?", [latest]
        ).fetchone()[0]
        sheet = connection.execute("select min(achievement_id) from achievements").fetchone()[0]
    paths = [
        "/territoires?par_page=1000",
        f"/territoires/{department}",
        f"/territoires/{department}/reponses",
        "/millesimes",
        "/methodologies",
        f"/methodologies/{version}",
        f"/indices?millesime={latest}&tri=-indice_global",
        "/indices?par_page=1000",
        f"/axes?millesime={latest}&axe=DATA",
        "/axes?par_page=1000",
        "/realisations",
    ]
    if sheet:
        paths.append(f"/realisations/{sheet}")
    return ["/api/v1" + path for path in paths]


def timed(session: requests.Session, url: str) -> tuple[float, int, int]:
    """Seconds, status and body size of one GET."""
    start = time.perf_counter()
    response = session.get(url, timeout=120)
    return time.perf_counter() - start, response.status_code, len(response.content)


def main() -> None:
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--published", type=Path, default=DEFAULT_PUBLISHED)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=20)
    arguments = parser.parse_args()
    settings = {"OBSERVATOIRE_API_RATE_LIMIT": "100000000 per minute"}
    with dashboard(arguments.published, arguments.workers, settings) as base_url:
        session = requests.Session()
        session.headers["Accept-Encoding"] = "gzip"
        rows = []
        for path in [*addresses(arguments.published), "/assets/style.css"]:
            first, status, size = timed(session, base_url + path)
            repeats = sorted(timed(session, base_url + path)[0] for _ in range(arguments.repeats))
            median = repeats[len(repeats) // 2]
            p95 = repeats[min(len(repeats) - 1, int(0.95 * len(repeats)))]
            rows.append((path, status, first, median, p95, size))
    floor = rows[-1][3]
    print(
        f"{'adresse':62} statut  1re (ms)  médiane (ms)  p95 (ms)  taille décompressée (Kio)  × plancher"
    )
    for path, status, first, median, p95, size in rows:
        print(
            f"{path:62} {status:6}  {first * 1000:8.1f}  {median * 1000:12.1f}  "
            f"{p95 * 1000:8.1f}  {size / 1024:25.1f}  {median / floor:10.1f}"
        )
    print(f"Plancher (fichier statique /assets/style.css) : médiane {floor * 1000:.1f} ms.")


if __name__ == "__main__":
    main()
