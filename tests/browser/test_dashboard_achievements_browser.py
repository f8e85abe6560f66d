"""Réalisations in a real browser, on the published file of a real pipeline run (the demo's
sheets): search and filters change the results, a card opens its sheet, the sheet shows its
author's context and prints without navigation or forms."""

from __future__ import annotations

import re
from urllib.parse import quote

import duckdb
import pytest

import dashboards.app  # noqa: F401  (builds the app, which registers the pages)
from dashboards import ids
from dashboards.components import achievement_href
from dashboards.pages.realisations import PAGE

pytestmark = pytest.mark.browser

COUNT = f"#{ids.ACHIEVEMENTS_COUNT}"
CARDS = f"#{ids.ACHIEVEMENTS_RESULTS} .achievement-card"


def _published(database) -> dict:
    """Figures of the published sheets the pages must show, and the most supported one."""
    with duckdb.connect(str(database), read_only=True) as connection:
        (total,) = connection.execute("select count(*) from achievements").fetchone()
        sheet = connection.execute(
            """select a.achievement_id, a.title, a.territory, t.name, a.year, a.supports,
                      split_part(a.axes, '|', 1) as axis, x.label
               from achievements a join territories t on t.code = a.territory
               join axes x on x.code = split_part(a.axes, '|', 1)
               order by a.supports desc, a.achievement_id limit 1"""
        ).fetchone()
        (on_axis,) = connection.execute(
            "select count(*) from achievement_axes where axis = ?", [sheet[6]]
        ).fetchone()
    keys = ("id", "title", "territory", "name", "year", "supports", "axis", "axis_label")
    return {"total": total, "on_axis": on_axis, **dict(zip(keys, sheet, strict=True))}


def test_search_and_filters_change_the_results(watched, published_database):
    published = _published(published_database)
    assert published["total"] > 1, "the demo publishes sheets"
    page = watched.page
    watched.goto("/realisations")
    page.wait_for_selector(CARDS)
    assert page.inner_text(COUNT) == f"{published['total']} réalisations publiées."
    assert page.locator(CARDS).count() == min(published["total"], PAGE)
    more = page.locator(f"#{ids.ACHIEVEMENTS_MORE}")
    if published["total"] > PAGE:
        more.click()
        page.wait_for_function(
            "([selector, count]) => document.querySelectorAll(selector).length === count",
            arg=[CARDS, min(published["total"], 2 * PAGE)],
        )
        assert more.is_visible() == (published["total"] > 2 * PAGE)

    # Words of a title find that sheet, among fewer; the address keeps them.
    page.fill(f"#{ids.ACHIEVEMENTS_SEARCH}", published["title"])
    page.wait_for_url(re.compile(r"[?&]q="))
    page.wait_for_function(
        "(selector) => document.querySelector(selector).innerText.includes(' sur ')", arg=COUNT
    )
    titles = page.locator(f"{CARDS} .achievement-card-title").all_inner_texts()
    assert published["title"] in titles
    assert len(titles) < published["total"]

    # An axis, chosen with its control, on top of no words: every card carries it.
    page.fill(f"#{ids.ACHIEVEMENTS_SEARCH}", "")
    page.wait_for_url(re.compile(r"/realisations$"))
    page.locator(f"#{ids.ACHIEVEMENTS_AXIS}").click()
    page.locator(".dash-dropdown-option", has_text=published["axis_label"]).click()
    page.wait_for_url(re.compile(rf"axe={published['axis']}"))
    expected = f"{published['on_axis']} réalisation"
    page.wait_for_function(
        "([selector, text]) => document.querySelector(selector).innerText.startsWith(text)",
        arg=[COUNT, expected],
    )
    cards = page.locator(CARDS)
    assert cards.count() == min(published["on_axis"], PAGE)
    for index in range(cards.count()):
        assert published["axis_label"] in cards.nth(index).locator(".tags").inner_text()

    # A shared address reopens the same selection.
    watched.goto(f"/realisations?axe={published['axis']}")
    page.wait_for_selector(CARDS)
    assert page.inner_text(COUNT).startswith(expected)
    watched.assert_clean()


def test_the_sheet_page_shows_its_context_and_prints_without_forms(watched, published_database):
    published = _published(published_database)
    page = watched.page
    watched.goto(f"/realisations?q={quote(published['title'])}")
    page.locator(f"{CARDS} a", has_text=published["title"]).first.click()
    page.wait_for_url(re.compile(re.escape(achievement_href(published["id"])) + "$"))
    page.wait_for_selector(f"#{ids.ACHIEVEMENT_AUTHOR}")
    assert page.inner_text("h1") == published["title"]
    assert page.title().startswith(published["title"])

    author = page.locator(f"#{ids.ACHIEVEMENT_AUTHOR}")
    assert published["name"] in author.inner_text()
    assert re.search(r"millésime \d{4}", author.inner_text())
    fiche = author.locator("a", has_text=f"Voir la fiche de {published['name']}")
    assert f"code={published['territory']}" in fiche.get_attribute("href")
    supports = page.locator(f"#{ids.ACHIEVEMENT_FEEDBACK} .achievement-counts").inner_text()
    assert supports.startswith(f"{published['supports']} soutien")
    assert page.locator(".active", has_text="Réalisations").count() == 1

    # Printed: no navigation, no print button, no form; the sheet and its context stay.
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator(f"#{ids.ACHIEVEMENT_PRINT}").is_visible()
    assert not page.locator(".feedback-panel").first.is_visible()
    assert author.is_visible() and page.locator("h1").is_visible()
    page.emulate_media(media="screen")

    # The fiche of its author opens from the sheet.
    fiche.click()
    page.wait_for_url(re.compile(r"/territoire\?"))
    page.wait_for_selector(f"#{ids.TERRITORY_NAME}")
    assert page.inner_text(f"#{ids.TERRITORY_NAME}") == published["name"]
    watched.assert_clean()


def test_an_unknown_sheet_says_so_in_french(watched):
    watched.goto("/realisations/DEP-13/cette-fiche-n-existe-pas")
    watched.page.wait_for_selector("h1")
    assert watched.page.inner_text("h1") == "Réalisation introuvable"
    assert watched.page.title().startswith("Réalisation introuvable")
    watched.assert_clean()
