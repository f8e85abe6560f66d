"""Classements in a real browser, on the published file of a real pipeline run."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from dashboards import ids

pytestmark = pytest.mark.browser


def _fetch(database: Path, sql: str, parameters=()) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.execute(sql, list(parameters)).fetchall()


def _first_rows(page, count: int = 3) -> list[str]:
    """Names in the first rows of the grid, in display order."""
    names = []
    for index in range(count):
        cell = page.locator(
            f"#{ids.RANKINGS_GRID} .ag-pinned-left-cols-container .ag-row[row-index='{index}']"
        )
        names.append(cell.inner_text().strip())
    return names


def _wait_for_rows(page) -> None:
    """Wait until the grid shows the rows the server sent (a grid paged by the server first
    shows empty rows while it asks for them)."""
    page.locator(f"#{ids.RANKINGS_GRID} .ag-pinned-left-cols-container a").first.wait_for()


def _wait_for_first_row(page, name: str) -> None:
    """Wait until the first row of the grid is territory ``name`` (after a new page of rows)."""
    page.wait_for_function(
        """([id, name]) => {
            const row = document.querySelector(
                `#${id} .ag-pinned-left-cols-container .ag-row[row-index='0']`);
            return row !== null && row.innerText.trim() === name;
        }""",
        arg=[ids.RANKINGS_GRID, name],
    )


def test_grid_lists_the_scored_territories_best_first(watched, published_database):
    page = watched.page
    (latest,) = _fetch(published_database, "select max(millesime) from territory_scores")[0]
    scored = _fetch(
        published_database,
        """select t.name, s.global_index from territory_scores s
           join territories t on t.code = s.territory
           where s.millesime = ? order by s.global_index desc nulls last, t.name""",
        [latest],
    )
    watched.goto(f"/classements?millesime={latest}")
    _wait_for_rows(page)
    assert page.locator(f"#{ids.RANKINGS_COUNT}").inner_text() == (
        f"{len(scored)} territoires classés."
    )
    assert _first_rows(page, 2) == [scored[0][0], scored[1][0]]
    # The global index in French, with a decimal comma.
    best = f"{scored[0][1]:.1f}".replace(".", ",")
    first_row = page.locator(f"#{ids.RANKINGS_GRID} .ag-center-cols-container .ag-row").first
    assert best in first_row.inner_text()
    # Each name links to the territory's fiche.
    link = page.locator(f"#{ids.RANKINGS_GRID} .ag-pinned-left-cols-container a").first
    assert re.search(
        r"/territoire\?code=[^&]+&millesime=" + str(latest), link.get_attribute("href")
    )
    watched.assert_clean()


def test_sorting_and_filtering_update_the_grid_and_the_address(watched, published_database):
    page = watched.page
    (latest,) = _fetch(published_database, "select max(millesime) from territory_scores")[0]
    watched.goto(f"/classements?millesime={latest}")
    _wait_for_rows(page)

    # Sorting by population (ascending on the first click).
    page.locator(
        f"#{ids.RANKINGS_GRID} .ag-header-cell[role='columnheader'][col-id='population']"
    ).click()
    page.wait_for_url(re.compile(r"tri=population-asc"))
    smallest = _fetch(
        published_database,
        """select t.name from territory_scores s join territories t on t.code = s.territory
           where s.millesime = ? order by t.population nulls first limit 1""",
        [latest],
    )[0][0]
    _wait_for_first_row(page, smallest)
    assert _first_rows(page, 1) == [smallest]

    # Keeping only the métropoles.
    page.locator(f"#{ids.RANKINGS_KINDS}").click()
    page.locator(".dash-dropdown-option", has_text="Métropoles").click()
    page.keyboard.press("Escape")
    page.wait_for_url(re.compile(r"type=ME"))
    metropoles = _fetch(
        published_database,
        """select t.name from territory_scores s join territories t on t.code = s.territory
           where s.millesime = ? and t.kind = 'ME' order by t.population nulls first""",
        [latest],
    )
    count = page.locator(f"#{ids.RANKINGS_COUNT}")
    page.wait_for_function(
        "([id, n]) => document.getElementById(id).innerText.startsWith(n + ' territoires')",
        arg=[ids.RANKINGS_COUNT, len(metropoles)],
    )
    assert "affichés sur" in count.inner_text()
    _wait_for_first_row(page, metropoles[0][0])
    assert _first_rows(page, 2) == [metropoles[0][0], metropoles[1][0]]
    shared = page.url
    watched.assert_clean()

    # The shared address reopens the same view: same filter, same sort, same rows.
    other = page.context.new_page()
    other.goto(shared)
    _wait_for_first_row(other, metropoles[0][0])
    assert other.locator(f"#{ids.RANKINGS_COUNT}").inner_text() == count.inner_text()
    assert _first_rows(other, 2) == [metropoles[0][0], metropoles[1][0]]
    sorted_header = other.locator(
        f"#{ids.RANKINGS_GRID} .ag-header-cell[role='columnheader'][col-id='population']"
    )
    assert sorted_header.get_attribute("aria-sort") == "ascending"
    other.close()
