"""End to end: a file dropped in the inbox reaches the dashboard with no other action.

The real Dagster daemon (sensor → ingestion run → blocking checks → publication) and the
real dashboard run as separate processes on a copy of a pipeline run; Chromium then shows
the new answers in the territory's profile.
"""

from __future__ import annotations

import shutil
import time

import pytest

from dashboards import ids
from pipelines.demo import to_csv_bytes
from tests.browser.helpers import TIMEOUT_MS, WatchedPage
from tests.helpers import (
    REPO_ROOT,
    best_answers,
    observatory_settings,
    publication_run,
    running_daemon,
    serve_dashboard,
)

pytestmark = pytest.mark.browser

DAGSTER_YAML = REPO_ROOT / "pipelines" / "dagster.yaml"


def test_a_file_dropped_in_the_inbox_appears_in_the_dashboard(
    small_pipeline_run, questionnaire, browser, tmp_path
):
    root = tmp_path / "observatoire"
    shutil.copytree(small_pipeline_run.warehouse.parent, root)
    home = tmp_path / "dagster_home"
    home.mkdir()
    # The project's instance (its run queue is looked at every second).
    shutil.copy(DAGSTER_YAML, home / "dagster.yaml")
    published = root / "published" / "observatoire.duckdb"
    settings = {
        "DAGSTER_HOME": str(home),
        **observatory_settings(root),
        "OBSERVATOIRE_CACHE_DIR": str(root / "cache"),
    }
    before = publication_run(published)
    # Dropped before the daemon starts: its sensor's first evaluation sees it (the next one
    # would come 5 s later).
    (root / "incoming").mkdir(exist_ok=True)
    (root / "incoming" / "DEP-13_2026_v2.csv").write_bytes(
        to_csv_bytes(best_answers(questionnaire, "DEP-13", "DEP"))
    )
    with (
        running_daemon(settings, tmp_path / "daemon.log") as daemon,
        serve_dashboard(settings, tmp_path) as base_url,
    ):
        deadline = time.monotonic() + 300
        while publication_run(published) == before:
            if daemon.poll() is not None or time.monotonic() > deadline:
                pytest.fail((tmp_path / "daemon.log").read_text(errors="replace")[-4000:])
            time.sleep(0.5)
        assert not list((root / "incoming").iterdir()), "the file was ingested and archived"

        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="fr-FR")
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        watched = WatchedPage(page=page, base_url=base_url)
        page.on("console", lambda m: watched.errors.append(m.text) if m.type == "error" else None)
        page.on("request", lambda request: watched.requests.append(request.url))
        watched.goto("/territoire?code=DEP-13&millesime=2026")
        page.wait_for_selector(f"#{ids.TERRITORY_BODY} >> text=Exemplaire")
        assert "100,0" in page.locator(f"#{ids.TERRITORY_BODY}").inner_text()
        watched.assert_clean()
        context.close()
