"""The national map in a real browser: markers, axis choice sent as a patch, shared links."""

from __future__ import annotations

import json
import re

import duckdb
import pytest

from dashboards import ids
from tests.browser.helpers import (
    _map_point,
    _query,
    _wait_for_graph,
    _wait_for_map_features,
)

pytestmark = pytest.mark.browser

MAP_DATA = "(id) => document.querySelector(`#${id} .js-plotly-plot`).data"


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
    assert [t["type"] for t in traces] == ["choroplethmap"] * 2 + ["scattermap"] * 3
    assert traces[3]["n"] == scored_intercos, "one marker per scored intercommunality"
    index_z = traces[1]["z"]

    # Colouring by the DATA axis: the server answers with a patch, not a new figure.
    with page.expect_response(
        lambda response: (
            "_dash-update-component" in response.url
            and ids.NATIONAL_MAP in (response.request.post_data or "")
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
        f"([id, z]) => JSON.stringify(({MAP_DATA})(id)[1].z) !== JSON.stringify(z)",
        arg=[ids.NATIONAL_MAP, index_z],
    )
    traces = _traces(page)
    assert sorted(traces[1]["z"]) == pytest.approx(sorted(data_scores.values()))
    table = page.locator(f"#{ids.NATIONAL_MAP_TABLE} thead").text_content()
    assert "Données d'intérêt général" in table
    watched.assert_clean()

    # A shared link with the régions and an axis reopens that view.
    other = page.context.new_page()
    other.goto(page.url.split("?")[0] + f"?millesime={latest}&echelon=REG&axe=DATA")
    _wait_for_graph(other, ids.NATIONAL_MAP)
    reopened = _traces(other)
    assert "/carte/REG.geojson" in reopened[0]["geojson"]
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
    assert traces[1]["visible"] is False and traces[3]["visible"] is True

    page.locator(f"#{ids.NATIONAL_MAP_LAYERS}").get_by_label("Départements ou régions").check()
    page.wait_for_url(re.compile(r"^[^?]*/(\?millesime=\d+)?$"))
    page.wait_for_function(f"(id) => ({MAP_DATA})(id)[1].visible === true", arg=ids.NATIONAL_MAP)

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
