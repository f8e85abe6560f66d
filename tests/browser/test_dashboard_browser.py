"""The dashboard in a real browser: Debian's chromium driven by Playwright.

One server (``python -m dashboards``, reading the published file of a real pipeline run)
and one browser for the whole module; a fresh browser context per test. Every test checks
that the page logged no error and asked nothing of any host but 127.0.0.1.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import duckdb
import pytest

from dashboards import ids

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
REPO_ROOT = Path(__file__).resolve().parent.parent
#: Graphs draw asynchronously (Plotly is loaded on demand, then the map's WebGL canvas).
TIMEOUT_MS = 20_000


@dataclass
class WatchedPage:
    """A page with everything it logged as an error and every request it made."""

    page: object
    base_url: str
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def goto(self, path: str) -> None:
        self.page.goto(self.base_url + path)

    def assert_clean(self) -> None:
        """No console error, no uncaught exception, no request outside 127.0.0.1."""
        foreign = [url for url in self.requests if not _is_local(url)]
        assert not self.errors, f"Erreurs dans la console du navigateur : {self.errors}"
        assert not foreign, f"Requêtes vers un autre hôte que 127.0.0.1 : {foreign}"


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in {"data", "blob"} or parts.hostname == "127.0.0.1"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def chromium() -> Path:
    """Debian's chromium; the module is skipped without it (and fails on CI)."""
    if not CHROMIUM.exists():
        reason = (
            f"Chromium de Debian absent ({CHROMIUM}) : tests du navigateur ignorés "
            "/ Debian's chromium is not installed (apt-get install chromium)."
        )
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return CHROMIUM


@contextmanager
def serve_dashboard(
    environment: dict[str, str], workdir: Path, *, first_request: bool = True
) -> Iterator[str]:
    """Run ``python -m dashboards`` with ``environment`` added; yield its base URL.

    Ready when ``/`` answers 200, or, with ``first_request=False``, as soon as the port
    accepts connections (no request made: Dash has not set itself up yet).
    The server's output goes to ``workdir/server.log``, shown if it stops or never answers.
    """
    port = _free_port()
    env = {**os.environ, **environment}
    log_path = workdir / "server.log"
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "dashboards", "--port", str(port)],
            cwd=REPO_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                pytest.fail(f"Le tableau de bord s'est arrêté :\n{log_path.read_text()}")
            try:
                if not first_request:
                    socket.create_connection(("127.0.0.1", port), timeout=2).close()
                    break
                with urllib.request.urlopen(base_url + "/", timeout=2) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"Le tableau de bord ne répond pas :\n{log_path.read_text()}")
            time.sleep(0.2)
        yield base_url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture(scope="module")
def dashboard_url(chromium, published_database: Path, tmp_path_factory) -> Iterator[str]:
    """Base URL of ``python -m dashboards`` serving ``published_database``."""
    workdir = tmp_path_factory.mktemp("dashboard")
    environment = {
        "OBSERVATOIRE_PUBLISHED": str(published_database),
        "OBSERVATOIRE_CACHE_DIR": str(workdir / "cache"),
    }
    with serve_dashboard(environment, workdir) as base_url:
        yield base_url


@pytest.fixture(scope="module")
def browser(chromium):
    """One headless chromium for the module."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def watched(browser, dashboard_url) -> Iterator[WatchedPage]:
    """A fresh page that records console errors, page errors and requests."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="fr-FR")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    watched = WatchedPage(page=page, base_url=dashboard_url)
    page.on(
        "console",
        lambda message: watched.errors.append(message.text) if message.type == "error" else None,
    )
    page.on("pageerror", lambda error: watched.errors.append(f"pageerror: {error}"))
    page.on("request", lambda request: watched.requests.append(request.url))
    yield watched
    context.close()


@dataclass(frozen=True)
class Sample:
    """Territories and millésimes of the published file the tests navigate to."""

    millesimes: list[int]
    departement: str
    departement_name: str
    departement_lon: float
    departement_lat: float
    other: str
    other_name: str


@pytest.fixture(scope="module")
def sample(published_database: Path) -> Sample:
    """A metropolitan département scored in the latest millésime, and another territory."""
    with duckdb.connect(str(published_database), read_only=True) as connection:
        millesimes = [
            row[0]
            for row in connection.execute(
                "select distinct millesime from territory_scores order by 1"
            ).fetchall()
        ]
        departements = connection.execute(
            """
            select t.code, t.name, t.longitude, t.latitude
            from territories t
            join territory_scores s on s.territory = t.code and s.millesime = ?
            where t.kind = 'DEP' and s.global_index is not null
              and t.longitude between -4.5 and 7.5 and t.latitude between 42.5 and 50.5
              and (select count(distinct millesime) from territory_scores
                   where territory = t.code) = ?
            order by t.code = 'DEP-13' desc, t.code
            limit 1
            """,
            [millesimes[-1], len(millesimes)],
        ).fetchall()
        other = connection.execute(
            """
            select t.code, t.name
            from territories t
            join territory_scores s on s.territory = t.code and s.millesime = ?
            where t.kind <> 'DEP' and s.global_index is not null
            order by t.kind = 'ME' desc, t.code
            limit 1
            """,
            [millesimes[-1]],
        ).fetchone()
    assert departements and other, "Le fichier publié n'a pas de territoire évalué."
    code, name, lon, lat = departements[0]
    return Sample(millesimes, code, name, lon, lat, other[0], other[1])


def _query(url: str) -> dict[str, str]:
    return {key: values[-1] for key, values in parse_qs(urlsplit(url).query).items()}


def _wait_for_map_features(page, minimum: int = 50) -> None:
    """Wait until MapLibre has drawn at least ``minimum`` features of the national map."""
    page.wait_for_function(
        """([id, minimum]) => {
            const plot = document.querySelector(`#${id} .js-plotly-plot`);
            const map = plot && plot._fullLayout && plot._fullLayout.map._subplot.map;
            return map && map.loaded() && map.queryRenderedFeatures().length > minimum;
        }""",
        arg=[ids.NATIONAL_MAP, minimum],
    )


def _map_point(page, lon: float, lat: float) -> tuple[float, float]:
    """Where the point (``lon``, ``lat``) of the national map is on the screen."""
    return page.evaluate(
        """([id, lon, lat]) => {
            const plot = document.querySelector(`#${id} .js-plotly-plot`);
            const map = plot._fullLayout.map._subplot.map;
            const point = map.project([lon, lat]);
            const box = map.getContainer().getBoundingClientRect();
            return [box.left + point.x, box.top + point.y];
        }""",
        [ids.NATIONAL_MAP, lon, lat],
    )


def _wait_for_graph(page, graph_id: str) -> None:
    """Wait until Plotly has drawn the graph ``graph_id``."""
    page.wait_for_function(
        """(id) => {
            const plot = document.querySelector(`#${id} .js-plotly-plot`);
            return plot && plot._fullLayout && plot.data && plot.data.length > 0;
        }""",
        arg=graph_id,
    )


# --- Vue nationale --------------------------------------------------------------------


def test_vue_nationale_shows_kpis_map_and_distribution(watched: WatchedPage, sample: Sample):
    page = watched.page
    watched.goto("/")

    kpis = page.locator(f"#{ids.NATIONAL_KPIS} .kpi")
    kpis.first.wait_for()
    assert kpis.count() == 5
    values = page.locator(f"#{ids.NATIONAL_KPIS} .kpi-value").all_inner_texts()
    assert all(re.search(r"\d", value) for value in values), values
    millesime = page.locator(f"#{ids.NATIONAL_MILLESIME}")
    assert millesime.get_by_label(str(sample.millesimes[-1])).is_checked()

    # The map: the GeoJSON is drawn by MapLibre in a WebGL canvas, feature by feature.
    _wait_for_graph(page, ids.NATIONAL_MAP)
    page.locator(f"#{ids.NATIONAL_MAP} canvas.maplibregl-canvas").wait_for()
    _wait_for_map_features(page)
    assert page.locator(f"#{ids.NATIONAL_MAP_TABLE} tbody tr").count() >= 90

    # The distribution: one SVG bar per kind and level.
    _wait_for_graph(page, ids.NATIONAL_DISTRIBUTION)
    assert page.locator(f"#{ids.NATIONAL_DISTRIBUTION} .barlayer .point path").count() > 5
    assert page.locator(f"#{ids.NATIONAL_DISTRIBUTION_TABLE} tbody tr").count() >= 2

    assert page.locator(f"#{ids.FOOTER}").get_by_text("Publication du").is_visible()
    assert page.evaluate("document.documentElement.lang") == "fr"
    watched.assert_clean()


def test_vue_nationale_follows_the_chosen_millesime(watched: WatchedPage, sample: Sample):
    if len(sample.millesimes) < 2:
        pytest.skip("Un seul millésime publié : rien à changer.")
    page = watched.page
    watched.goto("/")
    page.locator(f"#{ids.NATIONAL_KPIS} .kpi").first.wait_for()
    before = page.locator(f"#{ids.NATIONAL_KPIS}").inner_text()

    earliest = sample.millesimes[0]
    page.locator(f"#{ids.NATIONAL_MILLESIME}").get_by_label(str(earliest)).check()
    page.wait_for_url(re.compile(rf"millesime={earliest}"))
    page.wait_for_function(
        "([id, before]) => document.getElementById(id).innerText !== before",
        arg=[ids.NATIONAL_KPIS, before],
    )
    assert f"millésime {earliest}" in page.locator(f"#{ids.NATIONAL_KPIS}").inner_text()

    page.locator(f"#{ids.NATIONAL_MAP_LEVEL}").get_by_label("Régions").check()
    page.wait_for_url(re.compile(r"echelon=REG"))
    page.wait_for_function(
        """(id) => document.querySelector(`#${id} .js-plotly-plot`).data
            .filter((trace) => trace.type === 'choroplethmap')
            .every((trace) => trace.locations.every((code) => code.startsWith('REG-')))""",
        arg=ids.NATIONAL_MAP,
    )
    watched.assert_clean()


def test_clicking_a_departement_opens_its_fiche(watched: WatchedPage, sample: Sample):
    page = watched.page
    watched.goto("/?couches=contours")  # outlines only: no marker above the département
    _wait_for_graph(page, ids.NATIONAL_MAP)
    _wait_for_map_features(page)
    page.locator(f"#{ids.NATIONAL_MAP}").scroll_into_view_if_needed()
    x, y = _map_point(page, sample.departement_lon, sample.departement_lat)
    page.mouse.move(x, y)
    hover = page.locator(f"#{ids.NATIONAL_MAP} .hoverlayer")
    page.wait_for_function(
        "([id, name]) => document.querySelector(`#${id} .hoverlayer`).textContent.includes(name)",
        arg=[ids.NATIONAL_MAP, sample.departement_name],
    )
    assert "Indice global" in hover.text_content()
    page.mouse.click(x, y)

    page.wait_for_url(re.compile(r"/territoire\?"))
    assert _query(page.url) == {
        "code": sample.departement,
        "millesime": str(sample.millesimes[-1]),
    }
    assert page.locator(f"#{ids.TERRITORY_NAME}").inner_text() == sample.departement_name
    watched.assert_clean()


# --- Fiche territoire -----------------------------------------------------------------


def test_fiche_shows_the_territory(watched: WatchedPage, sample: Sample):
    page = watched.page
    watched.goto(f"/territoire?code={sample.departement}")

    assert page.locator(f"#{ids.TERRITORY_NAME}").inner_text() == sample.departement_name
    facts = page.locator(".fiche-facts").inner_text()
    assert "Département" in facts
    assert re.search(r"\d[\u202f\u00a0 ]\d{3} habitants", facts), facts
    kpi = page.locator(".fiche-identity .kpi-value").first.inner_text()
    assert re.fullmatch(r"\d{1,3},\d", kpi), kpi

    _wait_for_graph(page, ids.TERRITORY_RADAR)
    traces = page.evaluate(
        "(id) => document.querySelector(`#${id} .js-plotly-plot`).data"
        ".map((trace) => [trace.type, trace.r.length])",
        ids.TERRITORY_RADAR,
    )
    assert traces == [["scatterpolar", 11], ["scatterpolar", 11]]
    assert page.locator(f"#{ids.TERRITORY_RADAR} .scatterlayer .trace").count() == 2
    _wait_for_graph(page, ids.TERRITORY_EVOLUTION)
    assert page.locator(f"#{ids.TERRITORY_AXES_TABLE} tbody tr").count() == 10
    assert page.locator(f"#{ids.TERRITORY_ANSWERS} details").count() == 10
    watched.assert_clean()


def test_choosing_another_territory_updates_the_fiche_and_the_url(
    watched: WatchedPage, sample: Sample
):
    page = watched.page
    watched.goto(f"/territoire?code={sample.departement}")
    assert page.locator(f"#{ids.TERRITORY_NAME}").inner_text() == sample.departement_name

    page.locator(f"#{ids.TERRITORY_CHOOSER}").click()
    page.locator(".dash-dropdown-search").fill(sample.other_name)
    page.get_by_role("option", name=re.compile(rf"^{re.escape(sample.other_name)} \(")).click()

    page.wait_for_url(re.compile(rf"code={re.escape(sample.other)}"))
    page.wait_for_function(
        "([id, name]) => document.getElementById(id)?.innerText === name",
        arg=[ids.TERRITORY_NAME, sample.other_name],
    )
    assert _query(page.url)["millesime"] == str(sample.millesimes[-1])
    _wait_for_graph(page, ids.TERRITORY_RADAR)
    watched.assert_clean()


def test_a_shared_link_reopens_the_same_view(watched: WatchedPage, sample: Sample):
    millesime = 2025 if 2025 in sample.millesimes else sample.millesimes[0]
    page = watched.page
    watched.goto(f"/territoire?code={sample.departement}&millesime={millesime}")

    assert page.locator(f"#{ids.TERRITORY_NAME}").inner_text() == sample.departement_name
    assert page.locator(f"#{ids.TERRITORY_MILLESIME}").get_by_label(str(millesime)).is_checked()
    assert sample.departement_name in page.locator(f"#{ids.TERRITORY_CHOOSER}").inner_text()
    assert f"Indice global {millesime}" in page.locator(".fiche-identity").inner_text()

    # Changing the millésime keeps the territory and rewrites the URL.
    latest = sample.millesimes[-1]
    if latest != millesime:
        page.locator(f"#{ids.TERRITORY_MILLESIME}").get_by_label(str(latest)).check()
        page.wait_for_url(re.compile(rf"millesime={latest}"))
        assert _query(page.url)["code"] == sample.departement
        page.wait_for_function(
            "(text) => document.querySelector('.fiche-identity').innerText.includes(text)",
            arg=f"Indice global {latest}",
        )
    watched.assert_clean()


def test_fiche_shows_rank_uncertainty_strengths_and_peers(watched: WatchedPage, sample: Sample):
    latest = sample.millesimes[-1]
    page = watched.page
    watched.goto(f"/territoire?code={sample.departement}&millesime={latest}")

    rank = page.locator(f"#{ids.TERRITORY_RANK}")
    rank.wait_for()
    text = rank.inner_text()
    assert re.search(r"\d+(er|e) sur \d+ départements", text), text
    assert re.search(r"entre le \d+(er|e) et le \d+e rang dans 90\u00a0% des simulations", text)
    assert "rang médian" in text
    _wait_for_graph(page, ids.TERRITORY_RANK_CHART)
    names = page.evaluate(
        "(id) => document.querySelector(`#${id} .js-plotly-plot`).data.map((t) => t.name)",
        ids.TERRITORY_RANK_CHART,
    )
    assert names == ["90 % des simulations", "Rang médian simulé", "Rang publié"]

    positions = page.locator(
        f"#{ids.TERRITORY_STRENGTHS} tbody tr, #{ids.TERRITORY_WEAKNESSES} tbody tr"
    )
    assert positions.count() >= 1
    version = page.locator(f"#{ids.TERRITORY_METHOD_VERSION}").inner_text()
    assert f"millésime {latest} : v1" in version

    # The first peer to learn from opens its own fiche, for the same millésime.
    link = page.locator(f"#{ids.TERRITORY_PEERS} a").first
    peer_name = link.inner_text()
    href = link.get_attribute("href")
    peer_code = _query(href)["code"]
    link.click()
    page.wait_for_url(re.compile(rf"code={re.escape(peer_code)}"))
    page.wait_for_function(
        "([id, name]) => document.getElementById(id)?.innerText === name",
        arg=[ids.TERRITORY_NAME, peer_name],
    )
    assert _query(page.url) == {"code": peer_code, "millesime": str(latest)}
    page.locator(f"#{ids.TERRITORY_RANK}").wait_for()
    watched.assert_clean()


def test_answers_show_what_pulls_each_axis_down(watched: WatchedPage, sample: Sample):
    page = watched.page
    watched.goto(f"/territoire?code={sample.departement}")
    first_axis = page.locator(f"#{ids.TERRITORY_ANSWERS} details").first
    first_axis.locator("summary").click()
    table = first_axis.locator("table")
    headers = table.locator("thead th").all_inner_texts()
    assert headers[-3:] == ["Poids dans l'axe", "Apport au score", "Points perdus"]
    lost = [
        float(value.replace("\u202f", "").replace(",", ".").replace("–", "-1"))
        for value in table.locator("tbody tr td:last-child").all_inner_texts()
    ]
    assert lost == sorted(lost, reverse=True)  # worst first
    assert "tire l'axe vers le bas" in first_axis.inner_text() or "ne fait perdre" in (
        first_axis.inner_text()
    )
    watched.assert_clean()


def test_print_button_opens_the_print_dialog(watched: WatchedPage, sample: Sample):
    page = watched.page
    watched.goto(f"/territoire?code={sample.departement}")
    _wait_for_graph(page, ids.TERRITORY_RADAR)
    # The dialog itself belongs to the browser: count the calls instead of opening it.
    page.evaluate(
        "() => { window.printCalls = 0; window.print = () => { window.printCalls += 1; }; }"
    )
    page.get_by_role("button", name="Imprimer / enregistrer en PDF").click()
    page.wait_for_function("() => window.printCalls === 1")

    # Before printing, the charts are redrawn at their print size, and back afterwards.
    screen_height = page.evaluate(
        "(id) => document.querySelector(`#${id} .js-plotly-plot`)._fullLayout.height",
        ids.TERRITORY_RADAR,
    )
    import dashboards.app  # noqa: F401  (builds the app, which registers the pages)
    from dashboards.pages.fiche_territoire import PRINT_HEIGHTS

    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    page.wait_for_function(
        "([id, height]) => document.querySelector(`#${id} .js-plotly-plot`)"
        "._fullLayout.height === height",
        arg=[ids.TERRITORY_RADAR, PRINT_HEIGHTS[ids.TERRITORY_RADAR]],
    )
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    page.wait_for_function(
        "([id, height]) => document.querySelector(`#${id} .js-plotly-plot`)"
        "._fullLayout.height === height",
        arg=[ids.TERRITORY_RADAR, screen_height],
    )

    # The print style sheet leaves the navigation and the controls out.
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator(f"#{ids.TERRITORY_CHOOSER}").is_visible()
    assert page.locator(f"#{ids.TERRITORY_RANK}").is_visible()
    watched.assert_clean()
