"""The dashboard's data door (``dashboards.data``) and the pages without a browser, on the
published file of a real pipeline run."""

from __future__ import annotations

import json
import os
import re
import shutil

import duckdb
import pytest

from dashboards import data
from schemas.vocabulary import TERRITORY_KINDS
from tests.helpers import _component, _texts


def test_reads_the_published_file(published_copy):
    millesimes = data.millesimes()
    assert millesimes == sorted(millesimes) and millesimes
    latest = millesimes[-1]

    summary = data.national_summary(latest)
    assert summary.territories_scored > 0
    assert 0 <= summary.median_index <= 100
    assert 0 <= summary.share_advanced <= 1
    assert summary.files_received >= summary.files_rejected >= 0

    territories = data.territories()
    scores = data.scores(latest)
    assert len(scores) == len(territories)
    assert list(dict.fromkeys(territories["kind"])) == [
        kind for kind in TERRITORY_KINDS if kind in set(territories["kind"])
    ]

    departements = data.map_geojson("DEP")
    assert departements["type"] == "FeatureCollection"
    codes = {feature["id"] for feature in departements["features"]}
    assert codes <= set(territories.loc[territories["kind"] == "DEP", "code"])
    assert len(codes) >= 96
    assert {f["geometry"]["type"] for f in departements["features"]} <= {
        "Polygon",
        "MultiPolygon",
    }

    scored = scores.loc[scores["global_index"].notna(), "code"].iloc[0]
    profile = data.axis_profile(scored, latest)
    assert len(profile) == 10
    assert profile["position"].tolist() == sorted(profile["position"])
    assert profile["peer_median"].notna().any()
    assert not data.answer_contributions(scored, latest).empty
    assert latest in data.territory_history(scored)["millesime"].tolist()
    assert data.territory("inconnu") is None


def test_the_geojson_draws_the_overseas_departements_in_their_insets(published_copy):
    from dashboards.figures.insets import INSET_OF, inset_boxes

    def points(geometry):
        rings = geometry["coordinates"]
        if geometry["type"] == "MultiPolygon":
            rings = [ring for polygon in rings for ring in polygon]
        return [point for ring in rings for point in ring]

    with duckdb.connect(str(published_copy), read_only=True) as connection:
        raw = dict(connection.execute("select code, geojson from map_geometries").fetchall())
    for level in data.MAP_LEVELS:
        features = {f["id"]: f["geometry"] for f in data.map_geojson(level)["features"]}
        overseas = {code for code in features if code in INSET_OF}
        assert len(overseas) == 5, f"{level}: the five overseas territories are drawn"
        for code in overseas:
            lon_min, lat_min, lon_max, lat_max = inset_boxes()[INSET_OF[code].departement]
            assert all(
                lon_min <= lon <= lon_max and lat_min <= lat <= lat_max
                for lon, lat in points(features[code])
            ), f"{code} lies inside its inset"
        metropolitan = next(code for code in features if code not in INSET_OF)
        assert features[metropolitan] == json.loads(raw[metropolitan])


def test_no_connection_stays_open(published_copy):
    data.millesimes()
    data.map_geojson("REG")
    # DuckDB refuses a read-write connection while this process holds a read-only one.
    with duckdb.connect(str(published_copy)) as connection:
        connection.execute("select count(*) from territories").fetchone()


def test_a_new_publication_is_read_at_once(published_copy, tmp_path):
    assert data.publication()["run_id"] != "nouvelle-publication"
    data.millesimes()  # fills the cache

    # What the pipeline does: write a new file beside it, then os.replace it.
    staged = tmp_path / "staged.duckdb"
    shutil.copyfile(published_copy, staged)
    with duckdb.connect(str(staged)) as connection:
        connection.execute("update publication set run_id = 'nouvelle-publication'")
    stat = published_copy.stat()
    os.utime(staged, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    os.replace(staged, published_copy)

    assert data.publication()["run_id"] == "nouvelle-publication"


def test_cached_results_are_reused(published_copy, monkeypatch):
    first = data.territories()
    monkeypatch.setattr(data.connection, "query", lambda *args, **kwargs: pytest.fail("not cached"))
    assert data.territories().equals(first)


def test_geojson_route_serves_the_project_geometries(published_copy):
    from dashboards.app import app

    client = app.server.test_client()
    response = client.get("/carte/REG.geojson?v=1")
    assert response.status_code == 200
    collection = response.get_json()
    assert collection["type"] == "FeatureCollection"
    assert all(feature["id"].startswith("REG-") for feature in collection["features"])
    assert client.get("/carte/COM.geojson").status_code == 404


# --- Résultats : rangs, forces et faiblesses, contributions, ruptures de série -----------


def test_reads_ranks_positions_peers_and_contributions(published_copy):
    latest = data.millesimes()[-1]
    scores = data.scores(latest)
    departement = scores.loc[
        (scores["kind"] == "DEP") & scores["global_index"].notna(), "code"
    ].iloc[0]

    rank = data.territory_rank(departement, latest)
    assert rank["peer_group"] == "DEP"
    assert 1 <= rank["rank"] <= rank["peers"]
    assert 0 <= rank["percentile"] <= 100
    assert rank["rank_p05"] <= rank["rank_median"] <= rank["rank_p95"]
    assert data.territory_rank("inconnu", latest) is None

    positions = data.axis_positions(departement, latest)
    assert len(positions) == 10
    assert set(positions["position"].dropna()) <= {"force", "faiblesse"}

    # Every weak axis of a territory has its (at most) three best peers.
    with duckdb.connect(str(published_copy), read_only=True) as connection:
        territory, millesime = connection.execute(
            "select territory, millesime from peers_to_learn_from limit 1"
        ).fetchone()
    peers = data.peers_to_learn_from(territory, millesime)
    weak_axes = data.axis_positions(territory, millesime).query("position == 'faiblesse'")["axis"]
    assert set(peers["axis"]) == set(weak_axes)
    assert peers["peer_name"].notna().all() and territory not in set(peers["peer"])
    assert (peers.groupby("axis")["peer_rank"].max() <= 3).all()

    answers = data.answer_contributions(departement, latest)
    assert not answers.empty
    profile = data.axis_profile(departement, latest).set_index("axis")["score"]
    sums = answers.groupby("axis")["contribution"].sum()
    for axis, total in sums.items():
        if profile[axis] == profile[axis]:  # scored axes: contributions add up to the score
            assert total == pytest.approx(profile[axis])
    answered = answers[answers["score"].notna()]
    assert (answered["points_lost"] >= -1e-9).all()
    assert answers.loc[answers["answer"].isna(), "contribution"].isna().all()

    index_parts = data.index_contributions(departement, latest)
    history = data.territory_history(departement).set_index("millesime")
    assert index_parts["contribution"].sum() == pytest.approx(history.loc[latest, "global_index"])

    assert data.methodology_version(latest) == "v1"
    assert data.methodology_version(1900) is None
    assert data.series_breaks().empty

    sensitivity = data.rank_sensitivity()
    assert sensitivity["factor"].tolist() == list(data.SENSITIVITY_FACTORS)
    assert set(sensitivity["millesime"]) == {latest}
    assert ((sensitivity["first_order"] >= 0) & (sensitivity["total"] <= 1)).all()


@pytest.fixture
def with_a_series_break(published_copy):
    """The published copy with a break in the DATA axis series at the latest millésime."""
    with duckdb.connect(str(published_copy)) as connection:
        latest = connection.execute("select max(millesime) from territory_scores").fetchone()[0]
        connection.execute(
            """
            create or replace table series_breaks as
            select ?::bigint as millesime, 'v2' as version, 'v1' as previous_version,
                   axis, axis <> 'DATA' as comparable, changes
            from (values ('DATA', 'question DATA_06 ajoutée'), ('LAB', null)) t(axis, changes)
            """,
            [latest],
        )
    return latest


def test_series_breaks_are_read_and_shown_on_the_fiche(published_copy, with_a_series_break):
    from dashboards.app import app
    from dashboards.pages import fiche_territoire

    breaks = data.series_breaks()
    assert breaks[["millesime", "axis", "changes"]].values.tolist() == [
        [with_a_series_break, "DATA", "question DATA_06 ajoutée"]
    ]
    assert breaks["axis_label"].iloc[0] == "Données d'intérêt général et open data"

    with app.server.test_request_context("/"):
        fiche = fiche_territoire.layout(code="DEP-13", millesime=str(with_a_series_break))
    text = _texts(fiche)
    assert "Rupture de série : Données d'intérêt général et open data" in text
    assert "question DATA_06 ajoutée" in text


def test_the_fiche_shows_rank_strengths_weaknesses_and_peers(published_copy):
    from dashboards import ids
    from dashboards.app import app
    from dashboards.pages import fiche_territoire

    latest = data.millesimes()[-1]
    with app.server.test_request_context("/"):
        fiche = fiche_territoire.layout(code="DEP-13", millesime=str(latest))
    text = _texts(fiche)
    assert re.search(r"\d+(er|e) sur \d+ départements", text)
    assert "rang dans 90\u00a0% des simulations" in text
    assert "Points forts" in text and "Points faibles" in text
    assert f"Version de la méthodologie du millésime {latest}" in text
    assert "Ce qui tire l'axe vers le bas" in text or "ne fait perdre" in text

    links = _links(fiche)
    peers = data.peers_to_learn_from("DEP-13", latest)
    for peer in peers["peer"]:
        assert f"/territoire?code={peer}&millesime={latest}" in links
    assert "/methodologie?version=v1" in links
    assert ids.TERRITORY_PRINT in _ids(fiche)


def _links(component) -> list[str]:
    if isinstance(component, list | tuple):
        return [href for child in component for href in _links(child)]
    found = [component.href] if getattr(component, "href", None) else []
    children = getattr(component, "children", None)
    return found + (_links(children) if children is not None else [])


def _ids(component) -> list[str]:
    if isinstance(component, list | tuple):
        return [found for child in component for found in _ids(child)]
    own = [component.id] if getattr(component, "id", None) else []
    children = getattr(component, "children", None)
    return own + (_ids(children) if children is not None else [])


def test_the_rankings_kind_filter_offers_only_the_kinds_of_the_scope(published_copy):
    import dashboards.app  # noqa: F401  (builds the app, which registers the pages)
    from dashboards import ids
    from dashboards.pages import classements

    with duckdb.connect(str(published_copy), read_only=True) as connection:
        rows = connection.execute("select distinct kind from territories").fetchall()
    held = {kind for (kind,) in rows}
    dropdown = _component(classements.layout(), ids.RANKINGS_KINDS)
    offered = [option["value"] for option in dropdown.options]
    # Every kind the scope holds, largest first; none it leaves out (the default scope has
    # no communauté de communes).
    assert offered == [kind for kind in TERRITORY_KINDS if kind in held]
    assert "CC" not in offered
    assert len(offered) >= 5
