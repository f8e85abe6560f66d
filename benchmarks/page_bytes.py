"""Bytes each page of the dashboard transfers, on a first and on a second visit, in Chromium.

Starts the dashboard as in production (gunicorn, ``gunicorn.conf.py``, a fresh cache; or
measures a running one with ``--url``), then opens each page in Debian's Chromium driven by
Playwright: a first visit in a fresh browser context (empty HTTP cache), then a second visit
of the same address in the same context (the cache the first visit filled, as a browser
keeps it). Counts the bytes on the wire, as Chromium's DevTools protocol reports them
(``Network.loadingFinished.encodedDataLength``: headers and compressed bodies; a file
served from the browser's cache counts 0), and, beside them, the decoded bytes of the bodies
(what would travel uncompressed). Prints one line per page with the targets (a first visit
under 1.5 MB, a second under 200 kB). Not a test: figures, no assertion.

    make data   # once: the demo publication in var/published
    .venv/bin/python benchmarks/page_bytes.py [--published var/published/observatoire.duckdb]
    .venv/bin/python benchmarks/page_bytes.py --url http://127.0.0.1:8050   # a running server
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dashboard_latency import DEFAULT_PUBLISHED, dashboard  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
#: Targets of issue 12 (bytes on the wire).
FIRST_VISIT_TARGET = 1_500_000
SECOND_VISIT_TARGET = 200_000
#: Time a page may take to load and settle (callbacks, graphs), in ms.
TIMEOUT_MS = 90_000


@dataclass
class Transfer:
    """What one visit of a page transferred."""

    requests: int = 0
    wire_bytes: int = 0
    decoded_bytes: int = 0
    from_cache: int = 0
    encodings: set[str] = field(default_factory=set)


def pages(published: Path) -> list[tuple[str, str]]:
    """The pages to open (name, path with the query string of a shared link)."""
    with duckdb.connect(str(published), read_only=True) as connection:
        latest = connection.execute("select max(millesime) from territory_scores").fetchone()[0]
        code = connection.execute(
            "select code from territories where kind = 'ME' order by population desc limit 1"
        ).fetchone()[0]
        compared = [
            row[0]
            for row in connection.execute(
                "select code from territories where kind = 'ME' order by population desc limit 3"
            ).fetchall()
        ]
    return [
        ("Vue nationale", f"/?millesime={latest}"),
        ("Classements", f"/classements?millesime={latest}"),
        ("Fiche territoire", f"/territoire?code={code}"),
        ("Comparer", f"/comparer?territoires={','.join(compared)}"),
        ("Axes", f"/axes?axe=DATA&millesime={latest}"),
        ("Qualité", f"/qualite?millesime={latest}"),
        ("Méthodologie", "/methodologie"),
        ("Téléchargements", "/telechargements"),
        ("Déposer un fichier", "/depot"),
    ]


def visit(context, url: str) -> Transfer:
    """Open ``url`` in a new tab of ``context``, wait until the network is idle, and count
    what Chromium received."""
    page = context.new_page()
    transfer = Transfer()
    session = context.new_cdp_session(page)
    session.send("Network.enable")
    sizes: dict[str, int] = {}

    def received(event: dict) -> None:
        response = event["response"]
        headers = {key.lower(): value for key, value in response.get("headers", {}).items()}
        if headers.get("content-encoding"):
            transfer.encodings.add(headers["content-encoding"])
        if response.get("fromDiskCache") or response.get("fromMemoryCache"):
            transfer.from_cache += 1

    def data(event: dict) -> None:
        sizes[event["requestId"]] = sizes.get(event["requestId"], 0) + event["dataLength"]

    def finished(event: dict) -> None:
        transfer.requests += 1
        transfer.wire_bytes += int(event["encodedDataLength"])
        transfer.decoded_bytes += sizes.get(event["requestId"], 0)

    session.on("Network.responseReceived", received)
    session.on("Network.dataReceived", data)
    session.on("Network.requestServedFromCache", lambda _event: None)
    session.on("Network.loadingFinished", finished)
    page.goto(url, wait_until="networkidle", timeout=TIMEOUT_MS)
    # Dash renders, then fires the page's callbacks: idle again once they have answered.
    page.wait_for_selector("#contenu", timeout=TIMEOUT_MS)
    page.wait_for_load_state("networkidle", timeout=TIMEOUT_MS)
    page.close()
    return transfer


def kilobytes(value: int) -> str:
    """Bytes in kB, French decimal comma."""
    return f"{value / 1000:,.0f}".replace(",", "\u202f") + " ko"


def measure(base_url: str, targets: list[tuple[str, str]]) -> bool:
    """Visit every page twice and print the figures; True when every target is met."""
    from playwright.sync_api import sync_playwright

    met = True
    header = (
        f"{'page':<20} {'1re visite':>12} {'(décodé)':>12} {'requêtes':>9} "
        f"{'2e visite':>11} {'(décodé)':>11} {'requêtes':>9}  encodages"
    )
    print(header)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            for name, path in targets:
                context = browser.new_context(viewport={"width": 1400, "height": 1000})
                first = visit(context, base_url + path)
                second = visit(context, base_url + path)
                context.close()
                ok = (
                    first.wire_bytes < FIRST_VISIT_TARGET
                    and second.wire_bytes < SECOND_VISIT_TARGET
                )
                met &= ok
                print(
                    f"{name:<20} {kilobytes(first.wire_bytes):>12} "
                    f"{kilobytes(first.decoded_bytes):>12} {first.requests:>9} "
                    f"{kilobytes(second.wire_bytes):>11} {kilobytes(second.decoded_bytes):>11} "
                    f"{second.requests:>9}  {','.join(sorted(first.encodings)) or '—'}"
                    f"{'' if ok else '  ← au-dessus de la cible'}"
                )
        finally:
            browser.close()
    print(
        f"\nCibles : 1re visite < {kilobytes(FIRST_VISIT_TARGET)}, "
        f"2e visite < {kilobytes(SECOND_VISIT_TARGET)} (octets reçus : en-têtes et corps "
        "compressés ; un fichier pris dans le cache du navigateur compte 0). "
        + ("Toutes atteintes." if met else "Au moins une manquée.")
    )
    return met


def main(argv: list[str] | None = None) -> int:
    """Parse the options, start (or reach) the dashboard and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--published", type=Path, default=DEFAULT_PUBLISHED)
    parser.add_argument("--url", help="un tableau de bord déjà lancé (sinon gunicorn est lancé)")
    parser.add_argument("--workers", type=int, default=2, help="processus gunicorn (2)")
    arguments = parser.parse_args(argv)
    if not arguments.published.exists():
        print(f"Pas de copie publiée à {arguments.published} : lancez d'abord `make data`.")
        return 1
    if not CHROMIUM.exists():
        print(f"Chromium de Debian absent ({CHROMIUM}) : apt-get install chromium.")
        return 1
    targets = pages(arguments.published)
    if arguments.url:
        measure(arguments.url.rstrip("/"), targets)
        return 0
    with dashboard(arguments.published, arguments.workers, timeout=120) as base_url:
        measure(base_url, targets)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
