"""What the dashboard's server sends over the wire: compressed, cached by the browser or
revalidated, and the rankings grid's pages read from DuckDB (filtered, sorted and cut there).

Requests go to the session's dashboard server with ``urllib`` (which does not decode): the
bytes checked are the bytes a browser receives.
"""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
import urllib.error
import urllib.request
from pathlib import Path

import brotli
import duckdb
import pytest
from plotly.offline import get_plotlyjs_version

import dashboards.app  # noqa: F401  (builds the app, which registers the pages)
from dashboards import ids
from dashboards.pages.classements import PAGE_SIZE
from dashboards.plotly_bundle import PLOTLY_ROUTE, TRACES
from tests.helpers import rankings_rows_body

pytestmark = pytest.mark.integration


def _get(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    """Status, headers (lower-case names) and raw body of a GET."""
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return (
                response.status,
                {k.lower(): v for k, v in response.headers.items()},
                (response.read()),
            )
    except urllib.error.HTTPError as error:  # 304 Not Modified
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


def _decoded(headers: dict[str, str], body: bytes) -> bytes:
    encoding = headers.get("content-encoding", "identity")
    if encoding == "br":
        return brotli.decompress(body)
    if encoding == "gzip":
        return gzip.decompress(body)
    assert encoding == "identity", encoding
    return body


def _fingerprinted_bundle(base_url: str) -> str:
    """The address of Dash's renderer bundle, as the page links it (with its version)."""
    _, headers, body = _get(base_url + "/", **{"Accept-Encoding": "br"})
    page = _decoded(headers, body).decode()
    return re.search(r'src="(/_dash-component-suites/dash/dash-renderer/[^"]+)"', page).group(1)


def test_pages_and_bundles_are_compressed_as_the_browser_accepts(dashboard_url):
    for path in ("/classements", _fingerprinted_bundle(dashboard_url), "/_dash-dependencies"):
        _, plain_headers, plain = _get(dashboard_url + path, **{"Accept-Encoding": "identity"})
        assert "content-encoding" not in plain_headers, path
        for encoding in ("br", "gzip"):
            status, headers, body = _get(dashboard_url + path, **{"Accept-Encoding": encoding})
            assert status == 200 and headers["content-encoding"] == encoding, path
            assert "Accept-Encoding" in headers["vary"]
            if path != "/classements":  # the page carries a fresh token at each request
                assert _decoded(headers, body) == plain, path
            assert len(body) < len(plain) / 2, (path, encoding, len(body), len(plain))


def test_fingerprinted_bundles_are_kept_a_year_and_the_rest_revalidated(dashboard_url):
    _, headers, _ = _get(dashboard_url + _fingerprinted_bundle(dashboard_url))
    assert "max-age=31536000" in headers["cache-control"]
    # The style sheet, the app's dependencies: kept, asked again, 304 while unchanged.
    for path in ("/assets/style.css", "/_dash-dependencies", "/_dash-layout"):
        status, headers, body = _get(dashboard_url + path, **{"Accept-Encoding": "br"})
        assert status == 200 and headers.get("etag"), path
        assert "no-cache" in headers["cache-control"] or "max-age" not in headers.get(
            "cache-control", ""
        )
        again, _, rest = _get(
            dashboard_url + path, **{"Accept-Encoding": "br", "If-None-Match": headers["etag"]}
        )
        assert (again, rest) == (304, b""), path


def test_plotly_is_the_partial_bundle_of_the_same_version_revalidated(dashboard_url):
    status, headers, body = _get(dashboard_url + PLOTLY_ROUTE, **{"Accept-Encoding": "br"})
    assert status == 200 and headers["content-encoding"] == "br"
    script = _decoded(headers, body)
    assert script.startswith(f"/* plotly.js v{get_plotlyjs_version()} ".encode())
    assert len(body) < 600_000  # the full plotly.js is 1.3 MB in brotli
    again, _, rest = _get(
        dashboard_url + PLOTLY_ROUTE, **{"Accept-Encoding": "br", "If-None-Match": headers["etag"]}
    )
    assert (again, rest) == (304, b"")


def test_every_trace_the_pages_draw_is_in_the_bundle(published_database, monkeypatch):
    """Every figure of every page's default layout uses a trace type of the bundle."""
    import dash
    from dash import dcc

    import dashboards.app as app_module

    monkeypatch.setenv("OBSERVATOIRE_PUBLISHED", str(published_database))
    used: set[str] = set()
    with app_module.app.server.test_request_context("/"):
        for page in dash.page_registry.values():
            layout = page["layout"]() if callable(page["layout"]) else page["layout"]
            for component in [layout, *layout._traverse()]:
                if isinstance(component, dcc.Graph) and component.figure:
                    figure = component.figure
                    traces = figure["data"] if isinstance(figure, dict) else figure.data
                    used |= {
                        (t["type"] if isinstance(t, dict) else t.type) or "scatter" for t in traces
                    }
    assert used, "aucune figure rendue"
    assert used <= TRACES, used - TRACES


def _post_rows(base_url: str, request: dict, millesime: int, kinds: list[str]) -> dict:
    """The rankings grid's callback for one ``getRowsRequest``, as the browser posts it."""
    body = rankings_rows_body(request, millesime, kinds)
    posted = urllib.request.Request(
        base_url + "/_dash-update-component",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Accept-Encoding": "br"},
    )
    with urllib.request.urlopen(posted, timeout=120) as response:
        headers = {k.lower(): v for k, v in response.headers.items()}
        answer = json.loads(_decoded(headers, response.read()))
    return answer["response"][ids.RANKINGS_GRID]["getRowsResponse"]


def _fold(text: str) -> str:
    return "".join(
        c for c in unicodedata.normalize("NFD", text.lower()) if not unicodedata.combining(c)
    )


def test_rankings_pages_are_filtered_sorted_and_cut_by_the_server(
    dashboard_url, published_database: Path
):
    with duckdb.connect(str(published_database), read_only=True) as connection:
        (latest,) = connection.execute("select max(millesime) from territory_scores").fetchone()
        scored = connection.execute(
            """select t.code, t.name, t.kind, t.population from territory_scores s
               join territories t on t.code = s.territory where s.millesime = ?""",
            [latest],
        ).fetchall()
    departements = sorted(
        (row for row in scored if row[2] == "DEP"),
        key=lambda row: (row[3] is not None, row[3] or 0, row[1].lower(), row[0]),
    )
    # The second page of 10 départements, smallest population first.
    page = _post_rows(
        dashboard_url,
        {"startRow": 10, "endRow": 20, "sortModel": [{"colId": "population", "sort": "asc"}]},
        latest,
        ["DEP"],
    )
    assert page["rowCount"] == len(departements)
    assert [row["code"] for row in page["rowData"]] == [row[0] for row in departements[10:20]]

    # A name sought, accents and case aside, across every kind; never more than a page.
    sought = "saint"
    matching = {row[0] for row in scored if sought in _fold(row[1])}
    assert matching, "la démo n'a aucun territoire dont le nom contient « saint »"
    filtered = _post_rows(
        dashboard_url,
        {
            "startRow": 0,
            "endRow": 10_000,
            "sortModel": [],
            "filterModel": {"territoire": {"filterType": "text", "type": "contains",
                                           "filter": "SAÏNT"}},
        },
        latest,
        [],
    )  # fmt: skip
    assert filtered["rowCount"] == len(matching)
    assert {row["code"] for row in filtered["rowData"]} <= matching
    assert len(filtered["rowData"]) == min(len(matching), 500)
    # The whole list is never sent: a grid page is PAGE_SIZE rows.
    first = _post_rows(dashboard_url, {"startRow": 0, "endRow": PAGE_SIZE}, latest, [])
    assert len(first["rowData"]) == PAGE_SIZE < first["rowCount"] == len(scored)
