"""Accessibility of every page in a real browser: axe-core's WCAG 2.1 A/AA rules, keyboard.

axe-core (the engine behind most accessibility audits, shipped inside the
``axe-playwright-python`` package, served from the test process: no network) runs on each
page once its data and charts are drawn. The RGAA is built on WCAG 2.1 AA: a violation of
those rules fails the test with axe's own report.
"""

from __future__ import annotations

import pytest

from dashboards import ids
from dashboards.app import NAVIGATION

pytestmark = pytest.mark.browser

WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
#: Every page of the navigation, plus views that only a link or an interaction opens.
PAGES = [path for _, _, path in NAVIGATION] + [
    "/territoire?code=DEP-13",
    "/?echelon=REG",
]


def _sheet_path(database) -> str:
    """The page of the most supported published sheet (the demo's sheets are data)."""
    import duckdb

    from dashboards.components import achievement_href

    with duckdb.connect(str(database), read_only=True) as connection:
        (achievement_id,) = connection.execute(
            "select achievement_id from achievements order by supports desc, achievement_id limit 1"
        ).fetchone()
    return achievement_href(achievement_id)


@pytest.fixture(scope="module")
def axe():
    module = pytest.importorskip("axe_playwright_python.sync_playwright")
    return module.Axe()


def _settled(page) -> None:
    """Wait until Dash has rendered the page and no callback is pending."""
    page.wait_for_load_state("networkidle")
    page.locator("#_pages_content > *").first.wait_for()
    page.wait_for_function("() => !document.querySelector('[data-dash-is-loading=true]')")
    # Every chart drawn (Plotly is loaded on demand, then draws), rather than a fixed delay.
    page.wait_for_function(
        """() => !document.querySelector('.dash-graph--pending')
            && [...document.querySelectorAll('.dash-graph')].every((graph) => {
                const plot = graph.querySelector('.js-plotly-plot');
                return plot && plot._fullLayout;
            })"""
    )


@pytest.mark.parametrize("path", PAGES)
def test_page_meets_wcag_21_aa_rules(watched, axe, path):
    watched.goto(path)
    _settled(watched.page)
    results = axe.run(watched.page, options={"runOnly": {"type": "tag", "values": WCAG_AA}})
    assert results.violations_count == 0, results.generate_report()
    watched.assert_clean()


def test_a_sheet_page_meets_wcag_21_aa_rules(watched, axe, published_database):
    watched.goto(_sheet_path(published_database))
    _settled(watched.page)
    results = axe.run(watched.page, options={"runOnly": {"type": "tag", "values": WCAG_AA}})
    assert results.violations_count == 0, results.generate_report()
    watched.assert_clean()


def test_keyboard_reaches_the_content_and_every_navigation_link(watched):
    page = watched.page
    watched.goto("/")
    _settled(page)

    # The first Tab stop is the skip link; following it puts the focus on the content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Aller au contenu"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "contenu"

    # Tabbing from the top goes through every navigation link, in order.
    page.evaluate("document.activeElement.blur()")
    page.focus("a.brand")
    reached = []
    for _ in range(len(NAVIGATION)):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.id"))
    assert reached == [nav_id for nav_id, _, _ in NAVIGATION]

    # Enter on a link opens its page.
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{NAVIGATION[-1][2]}")
    page.wait_for_function(
        "(id) => document.getElementById(id).classList.contains('active')", arg=ids.NAV_DEPOSIT
    )
    watched.assert_clean()


def test_a_fiche_with_recommended_sheets_meets_wcag_21_aa_rules(watched, axe, published_database):
    """The fiche of a territory to which sheets are recommended (badges, lists, links)."""
    from tests.browser.test_dashboard_browser import _first_recommendation

    case = _first_recommendation(published_database)
    watched.goto(f"/territoire?code={case['reader']}&millesime={case['millesime']}")
    _settled(watched.page)
    watched.page.locator(f"#{ids.TERRITORY_PEER_ACHIEVEMENTS} .achievement-item").first.wait_for()
    results = axe.run(watched.page, options={"runOnly": {"type": "tag", "values": WCAG_AA}})
    assert results.violations_count == 0, results.generate_report()
    watched.assert_clean()
