"""Helpers of the browser tests that are not fixtures: a watched page, waits for the charts."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from dashboards import ids

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
#: Graphs draw asynchronously (Plotly is loaded on demand, then the map fetches its GeoJSON).
#: On the 2-core machine shared by several processes, 20 s left tests failing when busy.
TIMEOUT_MS = 30_000


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


@contextmanager
def watched_page(browser, base_url: str) -> Iterator[WatchedPage]:
    """A page in a fresh browser context that records console errors, page errors and
    requests; the context is closed afterwards."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="fr-FR")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    watched = WatchedPage(page=page, base_url=base_url)
    page.on(
        "console",
        lambda message: watched.errors.append(message.text) if message.type == "error" else None,
    )
    page.on("pageerror", lambda error: watched.errors.append(f"pageerror: {error}"))
    page.on("request", lambda request: watched.requests.append(request.url))
    try:
        yield watched
    finally:
        context.close()


def _query(url: str) -> dict[str, str]:
    return {key: values[-1] for key, values in parse_qs(urlsplit(url).query).items()}


def _wait_for_map_features(page, minimum: int = 50) -> None:
    """Wait until Plotly has drawn at least ``minimum`` outlines of the national map (SVG
    paths of its choropleth, which load their GeoJSON from the server)."""
    page.wait_for_function(
        """([id, minimum]) =>
            document.querySelectorAll(`#${id} .choroplethlayer path`).length > minimum""",
        arg=[ids.NATIONAL_MAP, minimum],
    )


def _map_point(page, lon: float, lat: float) -> tuple[float, float]:
    """Where the point (``lon``, ``lat``) of the national map is on the screen (an overseas
    point where its inset draws it)."""
    from dashboards.figures.insets import place_points

    (drawn_lon,), (drawn_lat,) = place_points([lon], [lat])
    return page.evaluate(
        """([id, lon, lat]) => {
            const plot = document.querySelector(`#${id} .js-plotly-plot`);
            const point = plot._fullLayout.geo._subplot.projection([lon, lat]);
            const box = plot.querySelector('.main-svg').getBoundingClientRect();
            return [box.left + point[0], box.top + point[1]];
        }""",
        [ids.NATIONAL_MAP, drawn_lon, drawn_lat],
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
