"""Axes in a real browser, on the published file of a real pipeline run."""

from __future__ import annotations

import re

import duckdb
import pytest

from dashboards import ids
from tests.browser.helpers import _wait_for_graph

pytestmark = pytest.mark.browser


def _leader(database, axis: str, millesime: int) -> tuple[str, int]:
    """Name of the best territory on ``axis`` and the number of kinds with a score."""
    with duckdb.connect(str(database), read_only=True) as connection:
        name = connection.execute(
            """select t.name from axis_scores s join territories t on t.code = s.territory
               where s.axis = ? and s.millesime = ? and s.score is not null
               order by s.score desc, t.name limit 1""",
            [axis, millesime],
        ).fetchone()[0]
        kinds = connection.execute(
            """select count(distinct t.kind) from axis_scores s
               join territories t on t.code = s.territory
               where s.axis = ? and s.millesime = ? and s.score is not null""",
            [axis, millesime],
        ).fetchone()[0]
    return name, kinds


def _achievements_of(database, axis: str) -> int:
    """How many published sheets serve ``axis``."""
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.execute(
            "select count(*) from achievement_axes where axis = ?", [axis]
        ).fetchone()[0]


def _count_text(count: int) -> str:
    return "Aucune réalisation" if count == 0 else f"{count} réalisation"


def test_the_axis_page_shows_distribution_leaders_and_questions(watched, published_database):
    page = watched.page
    with duckdb.connect(str(published_database), read_only=True) as connection:
        (first,) = connection.execute("select min(millesime) from territory_scores").fetchone()
    watched.goto(f"/axes?axe=SERV&millesime={first}")
    _wait_for_graph(page, ids.AXES_DISTRIBUTION)
    name, kinds = _leader(published_database, "SERV", first)
    boxes = page.evaluate(
        f"document.querySelector('#{ids.AXES_DISTRIBUTION} .js-plotly-plot').data.length"
    )
    assert boxes == kinds
    leaders = page.locator(f"#{ids.AXES_LEADERS} tbody tr")
    assert leaders.first.locator("td").nth(1).inner_text() == name
    questions = page.locator(f"#{ids.AXES_QUESTIONS_TABLE} tbody tr")
    assert questions.first.locator("td").first.inner_text().startswith("SERV_")
    sheets = page.locator(f"#{ids.AXES_ACHIEVEMENTS}")
    serv_sheets = _achievements_of(published_database, "SERV")
    assert _count_text(serv_sheets) in sheets.inner_text()
    assert sheets.locator(".achievement-item").count() == serv_sheets

    # Another axis, chosen with the control: leaders, questions and address follow.
    page.locator(f"#{ids.AXES_CHOOSER}").click()
    page.locator(".dash-dropdown-option", has_text="Inclusion").click()
    page.wait_for_url(re.compile(r"axe=INCL"))
    incl_leader, _ = _leader(published_database, "INCL", first)
    page.wait_for_function(
        "(id) => document.querySelector(`#${id} tbody tr td`).innerText.startsWith('INCL_')",
        arg=ids.AXES_QUESTIONS_TABLE,
    )
    assert leaders.first.locator("td").nth(1).inner_text() == incl_leader
    assert f"millesime={first}" in page.url
    incl_sheets = _achievements_of(published_database, "INCL")
    assert _count_text(incl_sheets) in sheets.inner_text(), "the sheets follow the axis"
    assert sheets.locator(".achievement-item").count() == incl_sheets
    if incl_sheets:
        assert sheets.locator("a").first.get_attribute("href").startswith("/realisations/")
    watched.assert_clean()

    other = page.context.new_page()
    other.goto(page.url)
    other.locator(f"#{ids.AXES_LEADERS} tbody tr").first.wait_for()
    assert other.locator(f"#{ids.AXES_LEADERS} tbody tr td").nth(1).inner_text() == incl_leader
    assert "Inclusion" in other.locator(f"#{ids.AXES_CHOOSER}").inner_text()
    other.close()
