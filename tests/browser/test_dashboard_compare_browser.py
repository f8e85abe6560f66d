"""Comparer in a real browser, on the published file of a real pipeline run."""

from __future__ import annotations

import re

import duckdb
import pytest

from dashboards import ids
from tests.browser.helpers import _wait_for_graph

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def scored(published_database):
    """Seven territories scored in the latest millésime, with their DATA score and name."""
    with duckdb.connect(str(published_database), read_only=True) as connection:
        (latest,) = connection.execute("select max(millesime) from territory_scores").fetchone()
        rows = connection.execute(
            """select t.code, t.name, a.score from axis_scores a
               join territories t on t.code = a.territory
               where a.millesime = ? and a.axis = 'DATA' and a.score is not null
               order by t.kind = 'ME' desc, t.code limit 7""",
            [latest],
        ).fetchall()
    return latest, rows


def test_a_link_opens_the_comparison_and_choices_update_it(watched, scored):
    page = watched.page
    latest, rows = scored
    codes = [row[0] for row in rows[:3]]
    watched.goto(f"/comparer?territoires={','.join(codes)}&millesime={latest}")
    _wait_for_graph(page, ids.COMPARE_CHART)
    traces = page.evaluate(
        f"document.querySelector('#{ids.COMPARE_CHART} .js-plotly-plot').data.map(t => t.name)"
    )
    assert traces == [row[1] for row in rows[:3]]
    table = page.locator(f"#{ids.COMPARE_TABLE}")
    headers = table.locator("thead th").all_inner_texts()
    assert headers[1:] == [row[1] for row in rows[:3]]
    data_row = table.locator("tbody tr", has=page.locator("td", has_text=re.compile("^Données")))
    expected = f"{rows[0][2]:.1f}".replace(".", ",")
    assert expected in data_row.locator("td").nth(1).inner_text()

    # A fourth territory, chosen in the dropdown.
    page.locator(f"#{ids.COMPARE_CHOOSER}").click()
    page.locator(".dash-dropdown-search").fill(rows[3][1])
    page.locator(".dash-dropdown-option", has_text=rows[3][1]).first.click()
    page.keyboard.press("Escape")
    page.wait_for_url(re.compile(re.escape(rows[3][0])))
    page.wait_for_function(
        "(id) => document.querySelector(`#${id} .js-plotly-plot`).data.length === 4",
        arg=ids.COMPARE_CHART,
    )
    assert table.locator("thead th").count() == 5
    shared = page.url
    watched.assert_clean()

    other = page.context.new_page()
    other.goto(shared)
    _wait_for_graph(other, ids.COMPARE_CHART)
    assert other.locator(f"#{ids.COMPARE_TABLE} thead th").all_inner_texts() == (
        table.locator("thead th").all_inner_texts()
    )
    other.close()


def test_more_than_six_territories_are_refused_with_a_message(watched, scored):
    latest, rows = scored
    codes = ",".join(row[0] for row in rows[:7])
    watched.goto(f"/comparer?territoires={codes}&millesime={latest}")
    status = watched.page.locator(f"#{ids.COMPARE_STATUS}")
    status.get_by_text("on en compare 6 au plus").wait_for()
    assert watched.page.locator(f"#{ids.COMPARE_CHART}").count() == 0
    watched.assert_clean()
