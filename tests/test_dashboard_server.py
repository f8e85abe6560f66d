"""The dashboard server as visitors reach it: several first requests at once."""

from __future__ import annotations

import json
import re
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from dashboards import ids
from tests.test_dashboard_browser import serve_dashboard

CONFIG = re.compile(r'<script id="_dash-config" type="application/json">(.*?)</script>', re.S)


def _validated_ids(base_url: str, path: str) -> set[str]:
    """Ids of the validation layout in the page's Dash configuration (empty if it has none)."""
    with urllib.request.urlopen(base_url + path, timeout=120) as response:
        page = response.read().decode("utf-8")
    config = json.loads(CONFIG.search(page).group(1))
    return set(re.findall(r'"id": ?"([^"]+)"', json.dumps(config.get("validation_layout"))))


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
            found = list(pool.map(lambda path: _validated_ids(base_url, path), paths))
    for path, validated in zip(paths, found, strict=True):
        assert {ids.RANKINGS_STATUS, ids.QUALITY_MISSING, ids.TERRITORY_URL} <= validated, path
