"""The dashboard server as visitors reach it: several first requests at once, oversized and
slow uploads."""

from __future__ import annotations

import http.client
import json
import re
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from dashboards import ids
from tests.helpers import serve_dashboard

CONFIG = re.compile(r'<script id="_dash-config" type="application/json">(.*?)</script>', re.S)


def _validation_layout(base_url: str, path: str) -> dict | None:
    """The validation layout in the Dash configuration of the page at ``path``."""
    with urllib.request.urlopen(base_url + path, timeout=120) as response:
        page = response.read().decode("utf-8")
    return json.loads(CONFIG.search(page).group(1)).get("validation_layout")


def _ids(layout: dict | None) -> set[str]:
    return set(re.findall(r'"id": ?"([^"]+)"', json.dumps(layout)))


def test_concurrent_first_requests_all_get_the_validation_layout(
    published_database: Path, tmp_path: Path
):
    """A page served while Dash is still setting up must not lack the validation layout.

    Without it the browser rejects the callbacks of the other pages ("ID not found in
    layout"). The server is started without any request, then hit by eight at once.
    """
    environment = {
        "OBSERVATOIRE_PUBLISHED": str(published_database),
        "OBSERVATOIRE_CACHE_DIR": str(tmp_path / "cache"),
    }
    with serve_dashboard(environment, tmp_path, first_request=False) as base_url:
        paths = ["/qualite?millesime=2026", "/classements", "/", "/axes"] * 2
        with ThreadPoolExecutor(len(paths)) as pool:
            found = list(pool.map(lambda path: _validation_layout(base_url, path), paths))
    for path, layout in zip(paths, found, strict=True):
        assert {ids.RANKINGS_STATUS, ids.QUALITY_MISSING, ids.TERRITORY_URL} <= _ids(layout), path


def test_the_validation_layout_carries_ids_not_data(dashboard_url: str):
    """Each page's configuration names every page's components, without their data."""
    layout = _validation_layout(dashboard_url, "/classements")
    components = layout["props"]["children"]
    assert {ids.RANKINGS_GRID, ids.NATIONAL_MAP, ids.AXES_LEADERS} <= _ids(layout)
    assert all(set(component["props"]) == {"id"} for component in components)
    grid = next(c for c in components if c["props"]["id"] == ids.RANKINGS_GRID)
    assert (grid["namespace"], grid["type"]) == ("dash_ag_grid", "AgGrid")


def _announce_post(base_url: str, length: int) -> http.client.HTTPConnection:
    """A connection that announced a callback request of ``length`` bytes, body not sent."""
    connection = http.client.HTTPConnection(base_url.removeprefix("http://"), timeout=20)
    connection.putrequest("POST", "/_dash-update-component")
    connection.putheader("Content-Type", "application/json")
    connection.putheader("Content-Length", str(length))
    connection.endheaders()
    return connection


def test_big_bodies_are_refused_unread_and_slow_uploads_stall_no_page(tmp_path: Path):
    """gunicorn as in production, one process: a body announced over the limit is refused
    in French before any of it is sent; uploads trickling in hold a thread each, not the
    process, so pages are still served meanwhile."""
    environment = {
        "OBSERVATOIRE_PUBLISHED": str(tmp_path / "rien.duckdb"),
        "OBSERVATOIRE_CACHE_DIR": str(tmp_path / "cache"),
        "OBSERVATOIRE_MAX_UPLOAD_BYTES": "1000000",
    }
    with serve_dashboard(environment, tmp_path, gunicorn_workers=1) as base_url:
        huge = _announce_post(base_url, 280_000_000)
        answer = huge.getresponse()
        assert answer.status == 413
        assert (
            answer.read()
            .decode()
            .startswith(
                "Envoi refusé : il dépasse la taille maximale d'un dépôt (1\u00a0Mo par fichier)"
            )
        )
        huge.close()
        slow = []
        try:
            for _ in range(4):  # within the limit, but the body never comes
                connection = _announce_post(base_url, 900_000)
                connection.send(b'{"output": "')
                slow.append(connection)
            for path in ("/", "/depot"):
                with urllib.request.urlopen(base_url + path, timeout=10) as response:
                    assert response.status == 200 and b"_dash-config" in response.read()
        finally:
            for connection in slow:
                connection.close()


def test_the_upload_page_answers_a_nasty_file_with_a_french_report(dashboard_url: str):
    """The deposit callback of the real server, as the browser posts it, on an XXE
    workbook: the outcome is the reading boundary's French sentence, never a 500."""
    import base64
    import os

    from domain.submissions.tokens import create_token
    from tests.support import nasty_files

    # The server shares the session's settings (tokens, archive) with this process.
    token = create_token(Path(os.environ["OBSERVATOIRE_TOKENS"]), "DEP-13").token
    contents = (
        "data:application/octet-stream;base64," + base64.b64encode(nasty_files.xxe_xlsx()).decode()
    )
    body = {
        "output": f"{ids.DEPOSIT_RESULT}.children",
        "outputs": {"id": ids.DEPOSIT_RESULT, "property": "children"},
        "inputs": [{"id": ids.DEPOSIT_SUBMIT, "property": "n_clicks", "value": 1}],
        "state": [
            {"id": ids.DEPOSIT_TOKEN, "property": "value", "value": token},
            {"id": ids.DEPOSIT_UPLOAD, "property": "contents", "value": contents},
            {"id": ids.DEPOSIT_UPLOAD, "property": "filename", "value": "reponses.xlsx"},
        ],
        "changedPropIds": [f"{ids.DEPOSIT_SUBMIT}.n_clicks"],
    }
    request = urllib.request.Request(
        dashboard_url + "/_dash-update-component",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        assert response.status == 200
        shown = json.dumps(json.loads(response.read()), ensure_ascii=False)
    assert "Dépôt refusé" in shown and "il déclare des entités XML" in shown
    assert "Traceback" not in shown and "Internal Server Error" not in shown


def test_an_address_no_page_serves_answers_404_with_the_french_page(dashboard_url: str):
    """Known pages (also a sheet's address, a path template) answer 200; any other address
    answers 404, still with the dashboard's page, which shows « Page introuvable »."""
    for known in ("/", "/classements", "/telechargements/", "/realisations/DEP-13/une-fiche"):
        with urllib.request.urlopen(dashboard_url + known, timeout=30) as response:
            assert response.status == 200, known
    for unknown in ("/nope", "/realisations/DEP-13", "/classements/en-trop"):
        try:
            urllib.request.urlopen(dashboard_url + unknown, timeout=30)
        except urllib.error.HTTPError as error:
            assert error.code == 404, unknown
            page = error.read().decode()
            assert "_dash-config" in page and 'lang="fr"' in page  # the app, which says it
            assert "ETag" not in error.headers
        else:
            raise AssertionError(f"{unknown} answered 200")
