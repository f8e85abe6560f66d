"""The API's two human pages in Chromium: « API et données ouvertes » (``/api``, a Dash page
generated from the OpenAPI document) and the interactive documentation (``/api/v1/docs``,
Swagger UI served from the project's own files). Both render with no console error and no
request to another host than 127.0.0.1; the Dash page passes axe-core's WCAG 2.1 A/AA rules.
"""

from __future__ import annotations

import pytest

from dashboards.api import API_PREFIX
from dashboards.api.viewer import SWAGGER_UI_URL
from dashboards.components import API_PAGE_PATH
from tests.support.api import api_get

pytestmark = pytest.mark.browser

WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="module")
def documented_paths(dashboard_url) -> list[str]:
    """Every path with a GET in the OpenAPI document the server serves."""
    response = api_get(dashboard_url, f"{API_PREFIX}/openapi.json")
    response.raise_for_status()
    paths = [path for path, item in response.json()["paths"].items() if "get" in item]
    assert len(paths) >= 10  # the API's collections, objects and editions
    return paths


def _settled(page) -> None:
    """Wait until Dash has rendered the page and no callback is pending."""
    page.wait_for_load_state("networkidle")
    page.locator("#_pages_content > *").first.wait_for()
    page.wait_for_function("() => !document.querySelector('[data-dash-is-loading=true]')")


def test_the_api_page_describes_every_documented_endpoint(watched, documented_paths):
    page = watched.page
    watched.goto(API_PAGE_PATH)
    _settled(page)
    assert page.locator("h1").inner_text() == "API et données ouvertes"
    headings = page.locator(".api-operation h3 code").all_inner_texts()
    assert sorted(headings) == sorted(documented_paths)
    for target in (
        "/docs",
        "/openapi.json",
        "/donnees/datapackage.json",
        "/donnees/catalogue.jsonld",
    ):
        assert page.locator(f"a[href$='{target}']").count() >= 1, target
    # The footer of every page links here.
    assert page.locator("footer a[href$='/api']").is_visible()
    watched.assert_clean()


def test_every_endpoint_has_an_example_and_every_link_answers(
    watched, dashboard_url, documented_paths
):
    page = watched.page
    watched.goto(API_PAGE_PATH)
    _settled(page)
    examples = page.eval_on_selector_all(
        ".api-operation .note a", "links => links.map((link) => link.getAttribute('href'))"
    )
    assert len(examples) == len(documented_paths)
    # Every other link to the API and to the open-data files: docs, descriptions, editions,
    # the usage section's filtered example.
    others = page.eval_on_selector_all(
        "a[href^='/api/v1'], a[href^='/donnees']",
        "links => links.map((link) => link.getAttribute('href'))",
    )
    assert "/donnees/catalogue.jsonld" in others and f"{API_PREFIX}/editions" in others
    failed = {}
    for href in sorted(set(examples) | set(others)):
        response = api_get(dashboard_url, href)
        if response.status_code != 200:
            failed[href] = (response.status_code, response.text[:200])
    assert not failed, failed
    watched.assert_clean()


def test_the_interactive_documentation_shows_every_operation_offline(watched, documented_paths):
    page = watched.page
    watched.goto(f"{API_PREFIX}/docs")
    assert page.locator("html").get_attribute("lang") == "fr"
    operations = page.locator(".opblock.opblock-get")
    operations.first.wait_for()
    shown = page.locator(".opblock-get .opblock-summary-path").evaluate_all(
        "paths => paths.map((path) => path.dataset.path)"
    )
    assert sorted(shown) == sorted(documented_paths)
    # Swagger UI came from this server, at an address naming its version.
    assert any(url.endswith(SWAGGER_UI_URL + "swagger-ui-bundle.js") for url in watched.requests)

    # Calling an endpoint from the page works: "Try it out", "Execute", a 200 shown.
    publication = page.locator(
        ".opblock-get", has=page.locator(f"[data-path='{API_PREFIX}/publication']")
    )
    publication.locator(".opblock-summary-control").click()
    publication.get_by_role("button", name="Try it out").click()
    publication.get_by_role("button", name="Execute").click()
    status = publication.locator(".live-responses-table .response .response-col_status").first
    status.wait_for()
    assert status.inner_text().strip() == "200"
    watched.assert_clean()


@pytest.fixture(scope="module")
def axe():
    module = pytest.importorskip("axe_playwright_python.sync_playwright")
    return module.Axe()


def test_the_api_page_meets_wcag_21_aa_rules(watched, axe):
    watched.goto(API_PAGE_PATH)
    _settled(watched.page)
    results = axe.run(watched.page, options={"runOnly": {"type": "tag", "values": WCAG_AA}})
    assert results.violations_count == 0, results.generate_report()
    watched.assert_clean()
