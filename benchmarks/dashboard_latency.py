"""Latency of the dashboard's callbacks under concurrent clients, on the published demo data.

Starts the dashboard as in production (gunicorn, several workers, a fresh shared
FileSystemCache), then lets ``--clients`` threads, each with its own HTTP session, post the
same requests a browser posts to ``/_dash-update-component``: the Dash Pages router rendering
each page (with the query string a shared link carries) and the interaction callbacks of each
page (a millésime, an axis, territories chosen…). Requests are built from the app's own
``/_dash-dependencies``, so they are the callbacks the pages really declare.

Prints, per scenario and overall, the number of requests, p50, p95 and max latency, first for
a cold cache (each scenario's first request, and those sent before its first answer arrived,
which waited for it), then warm; then the floor, measured in the same
run: a trivial Dash callback (``benchmarks/trivial_dash_app.py``) served the same way
(gunicorn, same workers) and posted by as many clients, as many times; and the ratio of the
dashboard's warm p95 to the floor's (target of issue 12: at most 3). Not a test: figures.

    make data   # once: the demo publication in var/published
    .venv/bin/python benchmarks/dashboard_latency.py [--clients 20] [--rounds 10] [--workers 2]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import requests

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PUBLISHED = REPO_ROOT / "var" / "published" / "observatoire.duckdb"


#: Target of issue 12: the dashboard's p95 at most this many times the trivial floor's.
FLOOR_RATIO_TARGET = 3.0


@dataclass(frozen=True)
class Scenario:
    """One callback request: ``inputs`` maps ``"id.property"`` to the value the browser sends;
    ``trigger`` is the input that changed."""

    name: str
    inputs: dict[str, Any]
    trigger: str


def page(name: str, path: str, search: str = "") -> Scenario:
    """The Dash Pages router rendering ``path`` + ``search`` (what opening a link costs)."""
    return Scenario(
        name,
        {"_pages_location.pathname": path, "_pages_location.search": search},
        "_pages_location.pathname",
    )


def _grid_page(name: str, millesime: int, request: dict[str, Any]) -> Scenario:
    """A page of the rankings grid (AG Grid's ``getRowsRequest``), every filter of the page
    left empty."""
    return Scenario(
        name,
        {
            "classements-grille.getRowsRequest": {"filterModel": {}, **request},
            "classements-millesime.value": millesime,
            "classements-categories.value": [],
            "classements-region.value": None,
            "classements-tranche.value": None,
        },
        "classements-grille.getRowsRequest",
    )


def sample_codes(published: Path) -> dict[str, Any]:
    """Territories and millésimes of the published file the scenarios ask for."""
    with duckdb.connect(str(published), read_only=True) as connection:
        millesimes = [
            row[0]
            for row in connection.execute(
                "select distinct millesime from territory_scores order by 1"
            ).fetchall()
        ]
        metropoles = [
            row[0]
            for row in connection.execute(
                "select code from territories where kind = 'ME' order by population desc limit 4"
            ).fetchall()
        ]
        departement = connection.execute(
            "select code from territories where kind = 'DEP' order by population desc limit 1"
        ).fetchone()[0]
    return {
        "latest": millesimes[-1],
        "previous": millesimes[-2] if len(millesimes) > 1 else millesimes[-1],
        "metropoles": metropoles,
        "departement": departement,
    }


def scenarios(codes: dict[str, Any]) -> list[Scenario]:
    """What analysts do: open each page from a link, then change what it shows."""
    latest, previous = codes["latest"], codes["previous"]
    first, *others = codes["metropoles"]
    compared = ",".join(codes["metropoles"][:3])
    return [
        page("Vue nationale (ouverture)", "/", f"?millesime={latest}"),
        page("Classements (ouverture)", "/classements", f"?millesime={latest}"),
        page("Fiche territoire (ouverture)", "/territoire", f"?code={first}"),
        page("Comparer (ouverture)", "/comparer", f"?territoires={compared}"),
        page("Axes (ouverture)", "/axes", f"?axe=DATA&millesime={latest}"),
        page("Qualité (ouverture)", "/qualite", f"?millesime={latest}"),
        page("Méthodologie (ouverture)", "/methodologie"),
        page("Téléchargements (ouverture)", "/telechargements"),
        Scenario(
            "Vue nationale : autre millésime",
            {
                "vue-nationale-millesime.value": previous,
                "vue-nationale-echelon-carte.value": "DEP",
                "vue-nationale-mesure-carte.value": "indice",
                "vue-nationale-couches-carte.value": ["contours", "intercommunalites"],
            },
            "vue-nationale-millesime.value",
        ),
        Scenario(
            "Vue nationale : carte par axe (patch)",
            {
                "vue-nationale-millesime.value": latest,
                "vue-nationale-echelon-carte.value": "DEP",
                "vue-nationale-mesure-carte.value": "DATA",
                "vue-nationale-couches-carte.value": ["contours", "intercommunalites"],
            },
            "vue-nationale-mesure-carte.value",
        ),
        Scenario(
            "Classements : filtre",
            {
                "classements-millesime.value": latest,
                "classements-categories.value": ["ME", "CA"],
                "classements-region.value": None,
                "classements-tranche.value": None,
                "classements-url.search": "",
            },
            "classements-categories.value",
        ),
        _grid_page(
            "Classements : page de la grille (tri)",
            latest,
            {"startRow": 100, "endRow": 150, "sortModel": [{"colId": "population", "sort": "asc"}]},
        ),
        _grid_page(
            "Classements : recherche d'un nom",
            latest,
            {
                "startRow": 0,
                "endRow": 50,
                "sortModel": [{"colId": "global_index", "sort": "desc"}],
                "filterModel": {
                    "territoire": {"filterType": "text", "type": "contains", "filter": "sa"}
                },
            },
        ),
        Scenario(
            "Comparer : autre sélection",
            {"comparer-territoires.value": codes["metropoles"], "comparer-millesime.value": latest},
            "comparer-territoires.value",
        ),
        Scenario(
            "Axes : autre axe",
            {"axes-axe.value": "INCL", "axes-millesime.value": previous},
            "axes-axe.value",
        ),
        Scenario(
            "Fiche : autre territoire",
            {"fiche-territoire.value": codes["departement"], "fiche-millesime.value": latest},
            "fiche-territoire.value",
        ),
        Scenario(
            "Fiche : autre millésime",
            {"fiche-territoire.value": first, "fiche-millesime.value": previous},
            "fiche-millesime.value",
        ),
    ]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def dashboard(
    published: Path,
    workers: int,
    settings: dict[str, str] | None = None,
    timeout: int = 30,
    app: str = "dashboards.app:server",
) -> Iterator[str]:
    """gunicorn serving ``published`` with an empty cache, as in production
    (``gunicorn.conf.py``, ``timeout`` seconds per request, ``settings`` added to the
    environment); yields the base URL. ``app`` is the WSGI application (the floor's is
    ``benchmarks/trivial_dash_app.py``)."""
    port = _free_port()
    cache = Path(tempfile.mkdtemp(prefix="observatoire-bench-cache-"))
    environment = {
        **os.environ,
        "OBSERVATOIRE_PUBLISHED": str(published),
        "OBSERVATOIRE_CACHE_DIR": str(cache),
        **(settings or {}),
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [str(gunicorn), "-c", "gunicorn.conf.py", "--workers", str(workers)]
        + ["--timeout", str(timeout), "--bind", f"127.0.0.1:{port}"]
        + ["--log-level", "warning", "--pythonpath", "benchmarks", app],
        cwd=REPO_ROOT,
        env=environment,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                if requests.get(base_url + "/_dash-dependencies", timeout=30).ok:
                    break
            except requests.RequestException:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("Le tableau de bord n'a pas démarré.")
            time.sleep(0.3)
        yield base_url
    finally:
        process.terminate()
        process.wait(timeout=30)
        shutil.rmtree(cache, ignore_errors=True)


def _key(item: dict[str, Any]) -> str:
    return f"{item['id']}.{item['property']}"


def _outputs(output: str) -> list[dict[str, str]]:
    """Split a dependency's ``output`` string (``..a.b...c.d..`` when several) into items."""
    parts = output.strip(".").split("...") if output.startswith("..") else [output]
    items = []
    for part in parts:
        # A duplicate output carries an ``@hash`` suffix in the property; Dash wants it back.
        component, prop = part.rsplit(".", 1)
        items.append({"id": component, "property": prop})
    return items


def payload(dependency: dict[str, Any], scenario: Scenario) -> dict[str, Any]:
    """The JSON the Dash renderer posts for ``dependency`` with the scenario's values."""
    outputs = _outputs(dependency["output"])
    return {
        "output": dependency["output"],
        "outputs": outputs if dependency["output"].startswith("..") else outputs[0],
        "inputs": [
            {**item, "value": scenario.inputs.get(_key(item))} for item in dependency["inputs"]
        ],
        "state": [
            {**item, "value": scenario.inputs.get(_key(item))} for item in dependency["state"]
        ],
        "changedPropIds": [scenario.trigger],
    }


def requests_for(dependencies: list[dict[str, Any]], scenario: Scenario) -> list[dict[str, Any]]:
    """Every server callback the scenario's trigger fires (a change may fire several)."""
    fired = [
        dependency
        for dependency in dependencies
        if dependency.get("clientside_function") is None
        and any(_key(item) == scenario.trigger for item in dependency["inputs"])
        and all(not isinstance(item["id"], dict) for item in dependency["inputs"])
    ]
    return [payload(dependency, scenario) for dependency in fired]


def percentile(values: list[float], share: float) -> float:
    """The ``share`` quantile (0–1) of ``values``, by linear interpolation."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    position = share * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def run(
    base_url: str, plan: list[tuple[Scenario, list[dict[str, Any]]]], clients: int, rounds: int
):
    """Post every scenario's requests from ``clients`` threads; return latencies (ms)."""
    cold: dict[str, list[float]] = defaultdict(list)
    warm: dict[str, list[float]] = defaultdict(list)
    failures: list[str] = []
    first_answer: dict[str, float] = {}
    lock = threading.Lock()

    def client(number: int) -> None:
        session = requests.Session()
        order = random.Random(number)
        for _ in range(rounds):
            shuffled = plan[:]
            order.shuffle(shuffled)
            for scenario, bodies in shuffled:
                for body in bodies:
                    start = time.perf_counter()
                    response = session.post(
                        base_url + "/_dash-update-component", json=body, timeout=120
                    )
                    elapsed = (time.perf_counter() - start) * 1000
                    with lock:
                        if response.status_code not in (200, 204):
                            failures.append(f"{scenario.name} : HTTP {response.status_code}")
                        elif "notice-error" in response.text or "404 - " in response.text:
                            failures.append(f"{scenario.name} : la page affiche une erreur")
                        # Warm: sent after the scenario's first answer arrived (a request
                        # sent while it was computed waited for it: counted cold).
                        answered = first_answer.get(scenario.name)
                        if answered is None:
                            first_answer[scenario.name] = time.perf_counter()
                        warm_request = answered is not None and start >= answered
                        (warm if warm_request else cold)[scenario.name].append(elapsed)

    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(client, range(clients)))
    return cold, warm, failures


def figures_header(first: str, width: int = 40) -> str:
    """The header of a table of latencies (see ``figures_line``)."""
    return f"{first:<{width}} {'requêtes':>9} {'p50 ms':>9} {'p95 ms':>9} {'max ms':>9}"


def figures_line(title: str, values: list[float], width: int = 40) -> str:
    """One row of a table of latencies: count, p50, p95 and max (ms)."""
    return (
        f"{title:<{width}} {len(values):>9} {statistics.median(values):>9.0f} "
        f"{percentile(values, 0.95):>9.0f} {max(values):>9.0f}"
    )


def report(title: str, latencies: dict[str, list[float]], order: list[str]) -> None:
    """Print one table of figures."""
    print(f"\n{title}")
    print(figures_header("scénario"))
    every: list[float] = []
    for name in order:
        values = latencies.get(name)
        if not values:
            continue
        every += values
        print(figures_line(name, values))
    if every:
        print(figures_line("ensemble", every))


def measure_floor(
    published: Path, workers: int, plan: list[tuple[Scenario, list[dict[str, Any]]]], arguments
) -> list[float]:
    """Latencies (ms) of a trivial Dash callback served the same way, under the same load:
    as many clients, each posting as many requests as in the dashboard's run."""
    per_client = arguments.rounds * sum(len(bodies) for _, bodies in plan)
    with dashboard(published, workers, app="trivial_dash_app:server") as base_url:
        dependencies = requests.get(base_url + "/_dash-dependencies", timeout=30).json()
        trivial = Scenario("trivial", {"entree.value": "x"}, "entree.value")
        bodies = requests_for(dependencies, trivial)
        rounds = max(per_client // max(len(bodies), 1), 1)
        cold, warm, failures = run(base_url, [(trivial, bodies)], arguments.clients, rounds)
    if failures:
        raise SystemExit(f"Le plancher a échoué : {sorted(set(failures))}")
    return cold["trivial"] + warm["trivial"]


def main(argv: list[str] | None = None) -> int:
    """Parse the options, start the dashboard, drive it and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--published", type=Path, default=DEFAULT_PUBLISHED)
    parser.add_argument("--clients", type=int, default=20, help="clients simultanés (20)")
    parser.add_argument("--rounds", type=int, default=10, help="passages par client (10)")
    parser.add_argument("--workers", type=int, default=2, help="processus gunicorn (2)")
    arguments = parser.parse_args(argv)
    if not arguments.published.exists():
        print(f"Pas de copie publiée à {arguments.published} : lancez d'abord `make data`.")
        return 1

    codes = sample_codes(arguments.published)
    with dashboard(arguments.published, arguments.workers) as base_url:
        dependencies = requests.get(base_url + "/_dash-dependencies", timeout=30).json()
        plan = [(scenario, requests_for(dependencies, scenario)) for scenario in scenarios(codes)]
        missing = [scenario.name for scenario, bodies in plan if not bodies]
        if missing:
            print(f"Aucun callback pour : {', '.join(missing)}")
        plan = [(scenario, bodies) for scenario, bodies in plan if bodies]
        started = time.perf_counter()
        cold, warm, failures = run(base_url, plan, arguments.clients, arguments.rounds)
        duration = time.perf_counter() - started

    floor = measure_floor(arguments.published, arguments.workers, plan, arguments)
    total = sum(len(v) for v in cold.values()) + sum(len(v) for v in warm.values())
    print(
        f"Tableau de bord : gunicorn, {arguments.workers} processus ; "
        f"{arguments.clients} clients simultanés × {arguments.rounds} passages ; "
        f"{total} requêtes en {duration:.1f} s ({total / duration:.1f} requêtes/s)."
    )
    names = [scenario.name for scenario, _ in plan]
    report("Cache vide (requêtes envoyées avant la première réponse du scénario) :", cold, names)
    report("Cache chaud :", warm, names)
    print("\nPlancher (même service, même charge) :")
    print(figures_header("scénario"))
    print(figures_line("callback Dash trivial", floor))
    every_warm = [value for values in warm.values() for value in values]
    ratio = percentile(every_warm, 0.95) / percentile(floor, 0.95)
    print(
        f"\np95 du tableau de bord (cache chaud) / p95 du plancher : {ratio:.1f} × "
        f"(cible : au plus {FLOOR_RATIO_TARGET:.0f} ×, "
        f"{'atteinte' if ratio <= FLOOR_RATIO_TARGET else 'manquée'})."
    )
    if failures:
        print(f"\n{len(failures)} échec(s) : {sorted(set(failures))}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
