"""The data-quality page in a real browser, on the published file of a real pipeline run."""

from __future__ import annotations

import pytest

from dashboards import ids

pytestmark = pytest.mark.browser


def text_of(watched, component_id: str) -> str:
    return watched.page.locator(f"#{component_id}").inner_text()


def test_rejected_files_are_listed_with_their_reports(watched):
    watched.goto("/qualite?millesime=2026")
    rejected = watched.page.locator(f"#{ids.QUALITY_REJECTED}")
    rejected.locator("text=DEP-99_2026.csv").first.wait_for()
    listing = rejected.inner_text()
    for name in ("DEP-99_2026.csv", "DEP-13_2026_brouillon.csv", "DEP-13_2026_entete.csv"):
        assert name in listing
    rejected.locator("summary:has-text('DEP-99_2026.csv')").click()
    # Counts by rule at once; the lines of the report from the grid, page by page.
    opened = rejected.locator("details.file-report[open]")
    assert "Territoire inconnu" in opened.locator("table").first.inner_text()
    opened.locator(".ag-row >> text=n'existe pas dans le référentiel").first.wait_for()
    kpis = text_of(watched, ids.QUALITY_KPIS)
    assert "Fichiers reçus" in kpis and any(ch.isdigit() for ch in kpis)
    watched.assert_clean()


def test_millesime_choice_updates_the_figures_and_the_link(watched):
    watched.goto("/qualite?millesime=2026")
    page = watched.page
    page.locator(f"#{ids.QUALITY_KPIS}").wait_for()
    before = text_of(watched, ids.QUALITY_KPIS)
    page.locator(f"#{ids.QUALITY_MILLESIME} label:has-text('2025')").click()
    page.wait_for_function(
        "([id, old]) => document.getElementById(id).innerText !== old",
        arg=[ids.QUALITY_KPIS, before],
    )
    assert "millesime=2025" in page.url
    assert "DEP-99_2026.csv" not in text_of(watched, ids.QUALITY_REJECTED)
    watched.assert_clean()


def test_history_of_a_territory_and_shared_link(watched):
    watched.goto("/qualite?millesime=2025&code=DEP-13")
    page = watched.page
    history = page.locator(f"#{ids.QUALITY_HISTORY}")
    history.locator("text=DEP-13_2026_brouillon.csv").first.wait_for()
    listing = history.inner_text()
    assert "DEP-13_2025.csv" in listing and "DEP-13_2026.csv" in listing
    assert "Rejetée" in listing and "Acceptée" in listing
    checked = page.locator(f"#{ids.QUALITY_MILLESIME} input:checked").get_attribute("value")
    assert checked == "2025"
    watched.assert_clean()


def test_every_rejected_demo_file_is_listed(watched):
    watched.goto("/qualite?millesime=2026")
    files = watched.page.locator(f"#{ids.QUALITY_REJECTED} details.file-report summary")
    files.first.wait_for()
    names = {text.split()[0] for text in files.all_inner_texts()}
    assert names == {
        "DEP-99_2026.csv",
        "DEP-13_2026_brouillon.csv",
        "DEP-13_2026_doublons.csv",
        "DEP-13_2026_entete.csv",
    }
    watched.assert_clean()


def test_choosing_a_territory_shows_its_versions_and_writes_the_link(watched):
    watched.goto("/qualite")
    page = watched.page
    history = page.locator(f"#{ids.QUALITY_HISTORY}")
    history.get_by_text("Choisissez un territoire").wait_for()

    page.locator(f"#{ids.QUALITY_TERRITORY}").click()
    page.locator(".dash-dropdown-search").fill("Bouches-du")
    page.get_by_role("option", name="Bouches-du-Rhône (Département)").click()

    history.locator("table").wait_for()
    rows = history.locator("tbody tr")
    assert rows.count() >= 4
    assert "Fichiers reçus pour Bouches-du-Rhône (DEP-13)" in history.inner_text()
    page.wait_for_url(lambda url: "code=DEP-13" in url)
    watched.assert_clean()


def test_the_kind_filter_narrows_the_territories_without_answer(watched):
    watched.goto("/qualite?millesime=2026")
    page = watched.page
    missing = page.locator(f"#{ids.QUALITY_MISSING}")
    missing.locator("table").wait_for()
    everyone = missing.locator("tbody tr").count()

    page.locator(f"#{ids.QUALITY_KIND_FILTER}").click()
    page.get_by_role("option", name="Communauté d'agglomération").click()
    page.wait_for_url(lambda url: "categorie=CA" in url)
    page.wait_for_function(
        "([id, count]) => document.querySelectorAll(`#${id} tbody tr`).length < count",
        arg=[ids.QUALITY_MISSING, everyone],
    )
    kinds = set(missing.locator("tbody tr td:nth-child(2)").all_inner_texts())
    assert kinds == {"Communauté d'agglomération"}
    watched.assert_clean()
