"""Fixtures of the browser tests: one Debian chromium for the session, a fresh context (a
watched page) per test, on the session's dashboard server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.helpers import CHROMIUM, CHROMIUM_ARGS, WatchedPage, watched_page


@pytest.fixture(scope="session")
def chromium() -> Path:
    """Debian's chromium; the tests are skipped without it (and fail on CI)."""
    if not CHROMIUM.exists():
        reason = (
            f"Chromium de Debian absent ({CHROMIUM}) : tests du navigateur ignorés "
            "/ Debian's chromium is not installed (apt-get install chromium)."
        )
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return CHROMIUM


@pytest.fixture(scope="session")
def browser(chromium):
    """One headless chromium for the session."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def watched(browser, dashboard_url) -> Iterator[WatchedPage]:
    """A fresh page that records console errors, page errors and requests."""
    with watched_page(browser, dashboard_url) as page:
        yield page
