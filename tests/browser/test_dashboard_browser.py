"""The dashboard in a real browser: Debian's chromium driven by Playwright.

One server (``python -m dashboards``, reading the published file of a real pipeline run)
and one browser for the whole session; a fresh browser context per test. Every test checks
that the page logged no error and asked nothing of any host but 127.0.0.1.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from dashboards import ids
from tests.browser.helpers import (
    WatchedPage,
    _map_point,
    _query,
    _wait_for_graph,
    _wait_for_map_features,
)

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class Sample:
    """Territories and millésimes of the published file the tests navigate to."""

    millesimes: list[int]
    departement: str
    departement_name: str
    departement_lon: float
    departement_lat: float
    other: str
    other_name: str


@pytest.fixture(scope="module")
def sample(published_database: Path) -> Sample:
    """A metropolitan département scored in the latest millésime, and another territory."""
    with duckdb.connect(str(published_database), read_only=True) as connection:
        millesimes = [
            row[0]
            for row in connection.execute(
                "select distinct millesime from territory_scores order by 1"
            ).fetchall()
        ]
        departements = connection.execute(
            """
            select t.code, t.name, t.longitude, t.latitude
            from territories t
            join territory_scores s on s.territory = t.code and s.millesime = ?
            where t.kind = 'DEP' and s.global_index is not null
              and t.longitude between -4.5 and 7.5 and t.latitude between 42.5 and 50.5
              and (select count(distinct millesime) from territory_scores
                   where territory = t.code) = ?
            order by t.code = 'DEP-13' desc, t.code
            limit 1
            """,
            [millesimes[-1], len(millesimes)],
        ).fetchall()
        other = connection.execute(
            """
            select t.code, t.name
            from territories t
            join territory_scores s on s.territory = t.code and s.millesime = ?
            where t.kind <> 'DEP' and s.global_index is not null
            order by t.kind = 'ME' desc, t.code
            limit 1
            """,
            [millesimes[-1]],
        ).fetchone()
    assert departements and other, "Le fichier publié n'a pas de territoire évalué."
    code, name, lon, lat = departements[0]
    return Sample(millesimes, code, name, lon, lat, other[0], other[1])


# --- Vue nationale --------------------------------------------------------------------


def test_vue_nationale_shows_kpis_map_and_distribution(watched: WatchedPage, sample: Sample):
    page = watched.page
    watched.goto("/")

    kpis = page.locator(f"#{ids.NATIONAL_KPIS} .kpi")
    kpis.first.wait_for()
    assert kpis.count() == 5
    values = page.locator(f"#{ids.NATIONAL_KPIS} .kpi-value").all_inner_texts()
    assert all(re.search(r"\d", value) for value in values), values
    millesime = page.locator(f"#{ids.NATIONAL_MILLESIME}")
    assert millesime.get_by_label(str(sample.millesimes[-1])).is_checked()

    # The map: the GeoJSON is drawn in SVG, one path per département.
    _wait_for_graph(page, ids.NATIONAL_MAP)
    _wait_for_map_features(page)
    # The table twin is built when opened.
    assert page.locator(f"#{ids.NATIONAL_MAP_TABLE} tbody tr").count() == 0
    page.locator(f"#{ids.NATIONAL_MAP_TABLE_SUMMARY}").click()
    page.locator(f"#{ids.NATIONAL_MAP_TABLE} tbody tr").nth(89).wait_for()

    # The distribution: one SVG bar per kind and level.
    _wait_for_graph(page, ids.NATIONAL_DISTRIBUTION)
    assert page.locator(f"#{ids.NATIONAL_DISTRIBUTION} .barlayer .point path").count() > 5
    assert page.locator(f"#{ids.NATIONAL_DISTRIBUTION_TABLE} tbody tr").count() >= 2

    # The footer names the publication's date and version.
    page.locator(f"#{ids.FOOTER_SOURCE}").get_by_text(
        re.compile(r"Publication du .+ \(heure de Paris\), version \d{8}-\d{6}\.")
    ).wait_for()
    assert page.evaluate("document.documentElement.lang") == "fr"
    watched.assert_clean()


def test_vue_nationale_follows_the_chosen_millesime(watched: WatchedPage, sample: Sample):
    if len(sample.millesimes) < 2:
        pytest.skip("Un seul millésime publié : rien à changer.")
    page = watched.page
    watched.goto("/")
    page.locator(f"#{ids.NATIONAL_KPIS} .kpi").first.wait_for()
    before = page.locator(f"#{ids.NATIONAL_KPIS}").inner_text()

    earliest = sample.millesimes[0]
    page.locator(f"#{ids.NATIONAL_MILLESIME}").get_by_label(str(earliest)).check()
    page.wait_for_url(re.compile(rf"millesime={earliest}"))
    page.wait_for_function(
        "([id, before]) => document.getElementById(id).innerText !== before",
        arg=[ids.NATIONAL_KPIS, before],
    )
    assert f"millésime {earliest}" in page.locator(f"#{ids.NATIONAL_KPIS}").inner_text()

    page.locator(f"#{ids.NATIONAL_MAP_LEVEL}").get_by_label("Régions").check()
    page.wait_for_url(re.compile(r"echelon=REG"))
    page.wait_for_function(
        """(id) => document.querySelector(`#${id} .js-plotly-plot`).data
            .filter((trace) => trace.type === 'choropleth')
            .every((trace) => trace.locations.every((code) => code.startsWith('REG-')))""",
        arg=ids.NATIONAL_MAP,
    )
    watched.assert_clean()


def test_clicking_a_departement_opens_its_fiche(watched: WatchedPage, sample: Sample):
    page = watched.page
    watched.goto("/?couches=contours")  # outlines only: no marker above the département
    _wait_for_graph(page, ids.NATIONAL_MAP)
    _wait_for_map_features(page)
    page.locator(f"#{ids.NATIONAL_MAP}").scroll_into_view_if_needed()
    x, y = _map_point(page, sample.departement_lon, sample.departement_lat)
    page.mouse.move(x, y)
    hover = page.locator(f"#{ids.NATIONAL_MAP} .hoverlayer")
    page.wait_for_function(
        "([id, name]) => document.querySelector(`#${id} .hoverlayer`).textContent.includes(name)",
        arg=[ids.NATIONAL_MAP, sample.departement_name],
    )
    assert "Indice global" in hover.text_content()
    page.mouse.click(x, y)

    page.wait_for_url(re.compile(r"/territoire\?"))
    assert _query(page.url) == {
        "code": sample.departement,
        "millesime": str(sample.millesimes[-1]),
    }
    assert page.locator(f"#{ids.TERRITORY_NAME}").inner_text() == sample.departement_name
    watched.assert_clean()


# --- Fiche territoire -----------------------------------------------------------------


def test_fiche_shows_the_territory(watched: WatchedPage, sample: Sample):
    page = watched.page
    watched.goto(f"/territoire?code={sample.departement}")

    assert page.locator(f"#{ids.TERRITORY_NAME}").inner_text() == sample.departement_name
    facts = page.locator(".fiche-facts").inner_text()
    assert "Département" in facts
    assert re.search(r"\d[\u202f\u00a0 ]\d{3} habitants", facts), facts
    kpi = page.locator(".fiche-identity .kpi-value").first.inner_text()
    assert re.fullmatch(r"\d{1,3},\d", kpi), kpi

    _wait_for_graph(page, ids.TERRITORY_RADAR)
    traces = page.evaluate(
        "(id) => document.querySelector(`#${id} .js-plotly-plot`).data"
        ".map((trace) => [trace.type, trace.r.length])",
        ids.TERRITORY_RADAR,
    )
    assert traces == [["scatterpolar", 11], ["scatterpolar", 11]]
    assert page.locator(f"#{ids.TERRITORY_RADAR} .scatterlayer .trace").count() == 2
    _wait_for_graph(page, ids.TERRITORY_EVOLUTION)
    assert page.locator(f"#{ids.TERRITORY_AXES_TABLE} tbody tr").count() == 10
    assert page.locator(f"#{ids.TERRITORY_ANSWERS} details").count() == 10
    watched.assert_clean()


def test_choosing_another_territory_updates_the_fiche_and_the_url(
    watched: WatchedPage, sample: Sample
):
    page = watched.page
    watched.goto(f"/territoire?code={sample.departement}")
    assert page.locator(f"#{ids.TERRITORY_NAME}").inner_text() == sample.departement_name

    page.locator(f"#{ids.TERRITORY_CHOOSER}").click()
    page.locator(".dash-dropdown-search").fill(sample.other_name)
    page.get_by_role("option", name=re.compile(rf"^{re.escape(sample.other_name)} \(")).click()

    page.wait_for_url(re.compile(rf"code={re.escape(sample.other)}"))
    page.wait_for_function(
        "([id, name]) => document.getElementById(id)?.innerText === name",
        arg=[ids.TERRITORY_NAME, sample.other_name],
    )
    assert _query(page.url)["millesime"] == str(sample.millesimes[-1])
    _wait_for_graph(page, ids.TERRITORY_RADAR)
    watched.assert_clean()


def test_a_shared_link_reopens_the_same_view(watched: WatchedPage, sample: Sample):
    millesime = 2025 if 2025 in sample.millesimes else sample.millesimes[0]
    page = watched.page
    watched.goto(f"/territoire?code={sample.departement}&millesime={millesime}")

    assert page.locator(f"#{ids.TERRITORY_NAME}").inner_text() == sample.departement_name
    assert page.locator(f"#{ids.TERRITORY_MILLESIME}").get_by_label(str(millesime)).is_checked()
    assert sample.departement_name in page.locator(f"#{ids.TERRITORY_CHOOSER}").inner_text()
    assert f"Indice global {millesime}" in page.locator(".fiche-identity").inner_text()

    # Changing the millésime keeps the territory and rewrites the URL.
    latest = sample.millesimes[-1]
    if latest != millesime:
        page.locator(f"#{ids.TERRITORY_MILLESIME}").get_by_label(str(latest)).check()
        page.wait_for_url(re.compile(rf"millesime={latest}"))
        assert _query(page.url)["code"] == sample.departement
        page.wait_for_function(
            "(text) => document.querySelector('.fiche-identity').innerText.includes(text)",
            arg=f"Indice global {latest}",
        )
    watched.assert_clean()


def test_fiche_shows_rank_uncertainty_strengths_and_peers(watched: WatchedPage, sample: Sample):
    latest = sample.millesimes[-1]
    page = watched.page
    watched.goto(f"/territoire?code={sample.departement}&millesime={latest}")

    rank = page.locator(f"#{ids.TERRITORY_RANK}")
    rank.wait_for()
    text = rank.inner_text()
    assert re.search(r"\d+(er|e) sur \d+ départements", text), text
    assert re.search(r"entre le \d+(er|e) et le \d+e rang dans 90\u00a0% des simulations", text)
    assert "rang médian" in text
    _wait_for_graph(page, ids.TERRITORY_RANK_CHART)
    names = page.evaluate(
        "(id) => document.querySelector(`#${id} .js-plotly-plot`).data.map((t) => t.name)",
        ids.TERRITORY_RANK_CHART,
    )
    assert names == ["90 % des simulations", "Rang médian simulé", "Rang publié"]

    positions = page.locator(
        f"#{ids.TERRITORY_STRENGTHS} tbody tr, #{ids.TERRITORY_WEAKNESSES} tbody tr"
    )
    assert positions.count() >= 1
    version = page.locator(f"#{ids.TERRITORY_METHOD_VERSION}").inner_text()
    assert f"millésime {latest} : v1" in version

    # The first peer to learn from opens its own fiche, for the same millésime.
    link = page.locator(f"#{ids.TERRITORY_PEERS} a").first
    peer_name = link.inner_text()
    href = link.get_attribute("href")
    peer_code = _query(href)["code"]
    link.click()
    page.wait_for_url(re.compile(rf"code={re.escape(peer_code)}"))
    page.wait_for_function(
        "([id, name]) => document.getElementById(id)?.innerText === name",
        arg=[ids.TERRITORY_NAME, peer_name],
    )
    assert _query(page.url) == {"code": peer_code, "millesime": str(latest)}
    page.locator(f"#{ids.TERRITORY_RANK}").wait_for()
    watched.assert_clean()


def test_answers_show_what_pulls_each_axis_down(watched: WatchedPage, sample: Sample):
    page = watched.page
    watched.goto(f"/territoire?code={sample.departement}")
    first_axis = page.locator(f"#{ids.TERRITORY_ANSWERS} details").first
    first_axis.locator("summary").click()
    table = first_axis.locator("table")
    headers = table.locator("thead th").all_inner_texts()
    assert headers[-3:] == ["Poids dans l'axe", "Apport au score", "Points perdus"]
    lost = [
        float(value.replace("\u202f", "").replace(",", ".").replace("–", "-1"))
        for value in table.locator("tbody tr td:last-child").all_inner_texts()
    ]
    assert lost == sorted(lost, reverse=True)  # worst first
    assert "tire l'axe vers le bas" in first_axis.inner_text() or "ne fait perdre" in (
        first_axis.inner_text()
    )
    watched.assert_clean()


def test_print_button_opens_the_print_dialog(watched: WatchedPage, sample: Sample):
    page = watched.page
    watched.goto(f"/territoire?code={sample.departement}")
    _wait_for_graph(page, ids.TERRITORY_RADAR)
    # The dialog itself belongs to the browser: count the calls instead of opening it.
    page.evaluate(
        "() => { window.printCalls = 0; window.print = () => { window.printCalls += 1; }; }"
    )
    page.get_by_role("button", name="Imprimer / enregistrer en PDF").click()
    page.wait_for_function("() => window.printCalls === 1")

    # Before printing, the charts are redrawn at their print size, and back afterwards.
    screen_height = page.evaluate(
        "(id) => document.querySelector(`#${id} .js-plotly-plot`)._fullLayout.height",
        ids.TERRITORY_RADAR,
    )
    import dashboards.app  # noqa: F401  (builds the app, which registers the pages)
    from dashboards.pages.fiche_territoire import PRINT_HEIGHTS

    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    page.wait_for_function(
        "([id, height]) => document.querySelector(`#${id} .js-plotly-plot`)"
        "._fullLayout.height === height",
        arg=[ids.TERRITORY_RADAR, PRINT_HEIGHTS[ids.TERRITORY_RADAR]],
    )
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    page.wait_for_function(
        "([id, height]) => document.querySelector(`#${id} .js-plotly-plot`)"
        "._fullLayout.height === height",
        arg=[ids.TERRITORY_RADAR, screen_height],
    )

    # The print style sheet leaves the navigation and the controls out.
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator(f"#{ids.TERRITORY_CHOOSER}").is_visible()
    assert page.locator(f"#{ids.TERRITORY_RANK}").is_visible()
    watched.assert_clean()


def _first_recommendation(database: Path) -> dict:
    """A reader weak on an axis and the first sheet recommended to it (latest millésime),
    with the author's own published sheets."""
    with duckdb.connect(str(database), read_only=True) as connection:
        row = connection.execute(
            """
            select r.millesime, r.territory, r.axis, r.achievement_id, a.title, r.author,
                   r.same_kind or r.similar_population or r.same_region as close
            from achievement_recommendations r
            join achievements a on a.achievement_id = r.achievement_id
            where r.rank = 1 and r.millesime = (select max(millesime) from territory_scores)
            order by close desc, r.territory, r.axis limit 1
            """
        ).fetchone()
        assert row is not None, "the demo publishes recommended sheets"
        own = connection.execute(
            "select count(*) from achievements where territory = ?", [row[5]]
        ).fetchone()[0]
    keys = ("millesime", "reader", "axis", "achievement_id", "title", "author", "close")
    return {**dict(zip(keys, row, strict=True)), "own": own}


def test_fiche_shows_what_peers_did_and_the_territory_s_own_sheets(
    watched: WatchedPage, published_database: Path
):
    case = _first_recommendation(published_database)
    page = watched.page
    watched.goto(f"/territoire?code={case['reader']}&millesime={case['millesime']}")
    section = page.locator(f"#{ids.TERRITORY_PEER_ACHIEVEMENTS}")
    section.wait_for()
    assert "Classées d'abord par proximité avec votre territoire" in section.inner_text()
    link = section.get_by_role("link", name=case["title"], exact=True).first
    assert link.get_attribute("href") == f"/realisations/{case['achievement_id']}"
    if case["close"]:
        assert section.locator(".badge").count() >= 1

    # The author's fiche lists its own sheets, each linked to its page.
    watched.goto(f"/territoire?code={case['author']}&millesime={case['millesime']}")
    own = page.locator(f"#{ids.TERRITORY_ACHIEVEMENTS}")
    own.wait_for()
    assert own.locator(".achievement-item").count() == case["own"]
    assert own.locator(f"a[href='/realisations/{case['achievement_id']}']").count() == 1
    watched.assert_clean()
