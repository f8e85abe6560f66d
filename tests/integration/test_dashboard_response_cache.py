"""Callback responses served from the cache until the next publication (in-process server)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import dashboards.app  # noqa: F401  (builds the app, which registers the pages)
from dashboards.app import app
from dashboards.pages import classements
from dashboards.response_cache import cacheable
from tests.helpers import rankings_rows_body

pytestmark = pytest.mark.integration


def _rows_request(millesime: int, start: int) -> dict:
    return rankings_rows_body({"startRow": start, "endRow": start + 10, "sortModel": []}, millesime)


def test_a_callback_runs_once_per_request_and_publication(published_copy: Path, monkeypatch):
    calls: list[int] = []
    real_rows_for = classements.rows_for

    def counting_rows_for(request, millesime, filters):
        calls.append(request["startRow"])
        return real_rows_for(request, millesime, filters)

    monkeypatch.setattr(classements, "rows_for", counting_rows_for)
    client = app.server.test_client()
    first = client.post("/_dash-update-component", json=_rows_request(2026, 0))
    again = client.post("/_dash-update-component", json=_rows_request(2026, 0))
    assert first.status_code == again.status_code == 200
    assert first.get_data() == again.get_data()
    assert calls == [0]  # the second answer came from the cache
    client.post("/_dash-update-component", json=_rows_request(2026, 10))
    assert calls == [0, 10]  # another page is another request

    # A new publication (the file replaced): the same request is answered anew.
    replaced = published_copy.with_suffix(".new")
    replaced.write_bytes(published_copy.read_bytes())
    os.replace(replaced, published_copy)
    client.post("/_dash-update-component", json=_rows_request(2026, 0))
    assert calls == [0, 10, 0]


def test_the_upload_page_is_never_served_from_the_cache():
    assert cacheable(_rows_request(2026, 0))
    upload = {
        "output": "depot-resultat.children",
        "outputs": {"id": "depot-resultat", "property": "children"},
        "inputs": [{"id": "depot-envoyer", "property": "n_clicks", "value": 1}],
    }
    assert not cacheable(upload)
    assert not cacheable({"outputs": [{"id": {"type": "depot-x", "index": 1}, "property": "p"}]})
    assert not cacheable("not a dict")
