"""The national map in a real browser: markers, axis choice sent as a patch, shared links,
and the map drawn in a browser without WebGL, overseas départements in view."""

from __future__ import annotations

import json
import re

import duckdb
import pytest

from dashboards import ids
from dashboards.figures import MAP_TRACES
from dashboards.figures.insets import INSETS
from dashboards.figures.style import NO_ANSWER_COLOUR
from tests.browser.helpers import (
    CHROMIUM,
    CHROMIUM_ARGS,
    _map_point,
    _query,
    _wait_for_graph,
    _wait_for_map_features,
    watched_page,
)

pytestmark = pytest.mark.browser

MAP_DATA = "(id) => document.querySelector(`#${id} .js-plotly-plot`).data"
OUTLINES = MAP_TRACES.index("outlines_scored")
MARKERS = MAP_TRACES.index("markers_scored")


def _traces(page):
    return page.evaluate(
        f"""() => ({MAP_DATA})('{ids.NATIONAL_MAP}').map((t) => ({{
            type: t.type, n: (t.locations || t.lat || []).length,
            z: t.z || null, color: (t.marker && t.marker.color) || null,
            geojson: t.geojson || null, visible: t.visible }}))"""
    )


def test_markers_axis_patch_and_shared_link(watched, published_database):
    page = watched.page
    with duckdb.connect(str(published_database), read_only=True) as connection:
        (latest,) = connection.execute("select max(millesime) from territory_scores").fetchone()
        scored_intercos = connection.execute(
            """select count(*) from territory_scores s join territories t on t.code = s.territory
               where s.millesime = ? and t.kind in ('ME', 'CU', 'CA')
                 and s.global_index is not null""",
            [latest],
        ).fetchone()[0]
        data_scores = dict(
            connection.execute(
                """select s.territory, s.score from axis_scores s
                   join territories t on t.code = s.territory
                   where s.millesime = ? and s.axis = 'DATA' and t.kind = 'DEP'
                     and s.score is not null""",
                [latest],
            ).fetchall()
        )
    watched.goto("/")
    _wait_for_graph(page, ids.NATIONAL_MAP)
    _wait_for_map_features(page)
    traces = _traces(page)
    assert [t["type"] for t in traces] == ["scattergeo"] * 2 + ["choropleth"] * 2 + [
        "scattergeo"
    ] * 3
    assert traces[MARKERS]["n"] == scored_intercos, "one marker per scored intercommunality"
    index_z = traces[OUTLINES]["z"]

    # Colouring by the DATA axis: the server answers with a patch, not a new figure.
    with page.expect_response(
        lambda response: (
            "_dash-update-component" in response.url
            and f"{ids.NATIONAL_MAP}.figure" in (response.request.post_data or "")
        )
    ) as answer:
        page.locator(f"#{ids.NATIONAL_MAP_MEASURE}").click()
        page.locator(".dash-dropdown-option", has_text="Données d'intérêt général").click()
    body = json.loads(answer.value.text())
    figure_update = body["response"][ids.NATIONAL_MAP]["figure"]
    assert figure_update.get("__dash_patch_update") == "__dash_patch_update"
    assert "layout" not in json.dumps(figure_update["operations"])
    page.wait_for_url(re.compile(r"axe=DATA"))
    page.wait_for_function(
        f"([id, z]) => JSON.stringify(({MAP_DATA})(id)[{OUTLINES}].z) !== JSON.stringify(z)",
        arg=[ids.NATIONAL_MAP, index_z],
    )
    traces = _traces(page)
    assert sorted(traces[OUTLINES]["z"]) == pytest.approx(sorted(data_scores.values()))
    # The table twin, opened with the keyboard, shows the same measure.
    page.locator(f"#{ids.NATIONAL_MAP_TABLE_SUMMARY}").focus()
    page.keyboard.press("Enter")
    page.locator(f"#{ids.NATIONAL_MAP_TABLE} thead").wait_for()
    table = page.locator(f"#{ids.NATIONAL_MAP_TABLE} thead").text_content()
    assert "Données d'intérêt général" in table
    watched.assert_clean()

    # A shared link with the régions and an axis reopens that view.
    other = page.context.new_page()
    other.goto(page.url.split("?")[0] + f"?millesime={latest}&echelon=REG&axe=DATA")
    _wait_for_graph(other, ids.NATIONAL_MAP)
    reopened = _traces(other)
    assert "/carte/REG.geojson" in reopened[OUTLINES]["geojson"]
    assert "Données" in other.locator(f"#{ids.NATIONAL_MAP_MEASURE}").inner_text()
    assert other.locator(f"#{ids.NATIONAL_MAP_LEVEL}").get_by_label("Régions").is_checked()
    other.close()


def test_hiding_layers_patches_visibility_and_clicking_a_marker_opens_its_fiche(
    watched, published_database
):
    page = watched.page
    with duckdb.connect(str(published_database), read_only=True) as connection:
        code, name, lon, lat = connection.execute(
            """select t.code, t.name, t.longitude, t.latitude from territories t
               join territory_scores s on s.territory = t.code
               where t.kind = 'ME' and s.global_index is not null
               order by t.population desc limit 1"""
        ).fetchone()
    watched.goto("/?couches=intercommunalites")
    _wait_for_graph(page, ids.NATIONAL_MAP)
    traces = _traces(page)
    assert traces[OUTLINES]["visible"] is False and traces[MARKERS]["visible"] is True

    page.locator(f"#{ids.NATIONAL_MAP_LAYERS}").get_by_label("Départements ou régions").check()
    page.wait_for_url(re.compile(r"^[^?]*/(\?millesime=\d+)?$"))
    page.wait_for_function(
        f"(id) => ({MAP_DATA})(id)[{OUTLINES}].visible === true", arg=ids.NATIONAL_MAP
    )
    # Outlines hidden at first load their GeoJSON when shown, then the map is drawn again:
    # hover and click once it is.
    _wait_for_map_features(page)

    page.locator(f"#{ids.NATIONAL_MAP}").scroll_into_view_if_needed()
    x, y = _map_point(page, lon, lat)
    page.mouse.move(x, y)
    page.wait_for_function(
        "([id, name]) => document.querySelector(`#${id} .hoverlayer`).textContent.includes(name)",
        arg=[ids.NATIONAL_MAP, name],
    )
    page.mouse.click(x, y)
    page.wait_for_url(re.compile(r"/territoire\?"))
    assert _query(page.url)["code"] == code
    watched.assert_clean()


@pytest.fixture(scope="module")
def browser_without_webgl(browser):
    """A second chromium of the session's Playwright, with WebGL and every 3D API off, as
    on the virtual desktops that have none."""
    launched = browser.browser_type.launch(
        executable_path=str(CHROMIUM),
        args=[*CHROMIUM_ARGS, "--disable-webgl", "--disable-3d-apis"],
    )
    yield launched
    launched.close()


def test_without_webgl_the_map_shows_the_departements_coloured_and_overseas_in_view(
    browser_without_webgl, dashboard_url, published_database
):
    with duckdb.connect(str(published_database), read_only=True) as connection:
        (latest,) = connection.execute("select max(millesime) from territory_scores").fetchone()
        (scored,) = connection.execute(
            """select count(*) from territory_scores s join territories t on t.code = s.territory
               where s.millesime = ? and t.kind = 'DEP' and s.global_index is not null""",
            [latest],
        ).fetchone()
    assert scored >= 50, "the demo scores most départements"
    grey = "rgb({}, {}, {})".format(*(int(NO_ANSWER_COLOUR[i : i + 2], 16) for i in (1, 3, 5)))
    with watched_page(browser_without_webgl, dashboard_url) as watched:
        page = watched.page
        watched.goto("/")
        assert page.evaluate("() => !document.createElement('canvas').getContext('webgl')")
        _wait_for_graph(page, ids.NATIONAL_MAP)
        _wait_for_map_features(page, minimum=90)
        page.locator(f"#{ids.NATIONAL_MAP}").scroll_into_view_if_needed()
        drawn = page.evaluate(
            """(id) => {
                const plot = document.querySelector(`#${id} .js-plotly-plot`);
                const frame = plot.getBoundingClientRect();
                return [...plot.querySelectorAll('.choroplethlayer path')].map((path) => {
                    const box = path.getBoundingClientRect();
                    return {code: path.__data__.loc, fill: getComputedStyle(path).fill,
                            left: box.left - frame.left, top: box.top - frame.top,
                            right: box.right - frame.left, bottom: box.bottom - frame.top,
                            frameWidth: frame.width, frameHeight: frame.height};
                });
            }""",
            ids.NATIONAL_MAP,
        )
        watched.assert_clean()  # no request outside 127.0.0.1: no CDN topojson
    coloured = [path for path in drawn if path["fill"] not in ("", "none", grey)]
    assert len(coloured) == scored, "each scored département is filled with its level"
    by_code = {path["code"]: path for path in drawn}
    metropolitan_left = min(
        path["left"] for code, path in by_code.items() if not code.startswith("DEP-97")
    )
    for inset in INSETS:
        path = by_code[inset.departement]
        width, height = path["right"] - path["left"], path["bottom"] - path["top"]
        assert width > 3 and height > 3, f"{inset.label} is drawn large enough to be seen"
        assert path["left"] >= 0 and path["right"] <= path["frameWidth"], inset.label
        assert path["top"] >= 0 and path["bottom"] <= path["frameHeight"], inset.label
        assert path["right"] < metropolitan_left, f"{inset.label} is beside the metropole"
