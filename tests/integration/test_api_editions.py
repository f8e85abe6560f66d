"""``/api/v1/editions…`` through the real server (gunicorn with 2 processes, as ``make run``
starts it), serving a copy of a real publication and its editions after a correction: an
edition keeps the figures the correction changed, its answers name the edition, its ETag does
not move when a new publication leaves it as it was, and a millésime without an edition is a
French 404.

The tests of this module share one server; the last one publishes again."""

from __future__ import annotations

import io
import os
import shutil
from datetime import datetime

import duckdb
import pandas as pd
import pytest

from domain.publication import edition_path, read_publication
from tests.helpers import TEST_MILLESIMES, serve_dashboard
from tests.support.api import api_get
from tests.support.editions import publish_correction, scored_territory

OLDEST, LATEST = TEST_MILLESIMES
API = "/api/v1"
DELTA = 7.5


@pytest.fixture(scope="module")
def served(small_pipeline_run, tmp_path_factory):
    """A gunicorn serving a copy of the small run's publication and editions, after a
    correction of the oldest millésime: ``(base URL, published file, territory, index
    before the correction)``."""
    workdir = tmp_path_factory.mktemp("api_editions")
    folder = workdir / "published"
    shutil.copytree(small_pipeline_run.published.parent, folder)
    published = folder / small_pipeline_run.published.name
    territory, before = scored_territory(published, OLDEST)
    publish_correction(published, OLDEST, territory, DELTA, datetime(2030, 1, 2, 3, 4, 5))
    environment = {
        "OBSERVATOIRE_PUBLISHED": str(published),
        "OBSERVATOIRE_CACHE_DIR": str(workdir / "cache"),
        "OBSERVATOIRE_API_RATE_LIMIT": "100000 per minute",
    }
    with serve_dashboard(environment, workdir, gunicorn_workers=2) as base_url:
        yield base_url, published, territory, before


def french_404(response) -> None:
    assert response.status_code == 404, response.text
    assert response.headers["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["statut"] == 404 and body["erreur"] == "introuvable"
    assert "Aucune édition archivée pour le millésime" in body["message"]


def test_editions_are_listed_with_their_version_and_methodology(served):
    base_url, published, _, _ = served
    listing = api_get(base_url, f"{API}/editions")
    assert listing.status_code == 200, listing.text
    rows = listing.json()["donnees"]
    assert [row["millesime"] for row in rows] == list(TEST_MILLESIMES)
    for row in rows:
        kept = read_publication(edition_path(published, row["millesime"]))
        assert row["version"] == kept.version
        assert row["publiee_le"] == kept.published_at.strftime("%Y-%m-%dT%H:%M:%SZ")
        assert row["version_methodologie"]
        assert row["indices"] == f"{API}/editions/{row['millesime']}/indices"
    # The latest millésime's edition is the correction itself; the oldest's, the first run.
    assert rows[-1]["version"] == "20300102-030405" != rows[0]["version"]

    one = api_get(base_url, f"{API}/editions/{OLDEST}")
    assert one.status_code == 200, one.text
    body = one.json()
    assert body["donnees"]["version"] == rows[0]["version"]
    assert body["edition"] == {key: rows[0][key] for key in body["edition"]}
    assert set(body["edition"]) == {"millesime", "version", "publiee_le", "version_methodologie"}
    # The answer comes from the edition: its publication, not the current one.
    assert body["publication"]["version"] == rows[0]["version"]
    assert one.headers["X-Publication-Version"] == rows[0]["version"]


def test_an_edition_keeps_the_figures_a_later_correction_changed(served):
    base_url, published, territory, before = served
    params = {"territoire": territory}
    edition = api_get(base_url, f"{API}/editions/{OLDEST}/indices", params)
    current = api_get(base_url, f"{API}/indices", {**params, "millesime": OLDEST})
    assert edition.status_code == 200 and current.status_code == 200, edition.text
    (kept,) = edition.json()["donnees"]
    (now,) = current.json()["donnees"]
    assert kept["indice_global"] == pytest.approx(before)
    assert now["indice_global"] == pytest.approx(before + DELTA)
    # The same row as the current one, typed the same, but the figure corrected since.
    assert kept.pop("indice_global") != now.pop("indice_global")
    assert kept == now and kept["millesime"] == OLDEST
    body = edition.json()
    assert body["edition"]["millesime"] == OLDEST
    assert body["edition"]["version"] == read_publication(edition_path(published, OLDEST)).version
    assert current.json()["publication"]["version"] == "20300102-030405"

    # The edition's other rows are those of its file, filtered as /indices filters.
    with duckdb.connect(str(edition_path(published, OLDEST)), read_only=True) as con:
        scored = con.execute(
            "SELECT count(*) FROM territory_scores s JOIN territories t ON t.code = s.territory "
            "WHERE s.millesime = ? AND t.kind = 'DEP'",
            [OLDEST],
        ).fetchone()[0]
    departements = api_get(
        base_url, f"{API}/editions/{OLDEST}/indices", {"categorie": "DEP", "tri": "-indice_global"}
    ).json()
    assert departements["pagination"]["total"] == scored > 0
    values = [row["indice_global"] for row in departements["donnees"]]
    assert values == sorted(values, key=lambda v: (v is None, -(v or 0)))

    axes = api_get(base_url, f"{API}/editions/{OLDEST}/axes", {**params, "axe": "DATA"})
    assert axes.status_code == 200, axes.text
    (axis,) = axes.json()["donnees"]
    assert axis["code_axe"] == "DATA" and axis["code_territoire"] == territory

    table = api_get(base_url, f"{API}/editions/{OLDEST}/indices", {**params, "format": "csv"})
    assert table.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert body["edition"]["version"] in table.headers["Content-Disposition"]
    frame = pd.read_csv(io.StringIO(table.text))
    assert frame.loc[0, "indice_global"] == pytest.approx(before)


def test_a_millesime_without_an_edition_and_bad_parameters_are_french_errors(served):
    base_url, _, _, _ = served
    french_404(api_get(base_url, f"{API}/editions/1999"))
    french_404(api_get(base_url, f"{API}/editions/1999/indices"))
    french_404(api_get(base_url, f"{API}/editions/1999/axes"))
    wrong = api_get(base_url, f"{API}/editions/{OLDEST}/indices", {"millesime": OLDEST})
    assert wrong.status_code == 400 and "millesime" in wrong.json()["message"]
    unknown = api_get(base_url, f"{API}/editions/{OLDEST}/indices", {"territoire": "DEP-00"})
    assert unknown.status_code == 400 and "DEP-00" in unknown.json()["message"]
    axis = api_get(base_url, f"{API}/editions/{OLDEST}/axes", {"axe": "XYZ"})
    assert axis.status_code == 400 and "XYZ" in axis.json()["message"]


def test_answers_listing_the_editions_change_etag_when_an_edition_is_written(served):
    """The pipeline writes the editions after it replaces the published copy: an answer
    listing them, read in between, must not be kept under the ETag of the final state."""
    base_url, published, _, _ = served
    paths = [f"{API}/", f"{API}/publication", f"{API}/editions", "/donnees/catalogue.jsonld"]
    before = {path: api_get(base_url, path) for path in paths}
    assert all(answer.status_code == 200 for answer in before.values())
    edition = edition_path(published, OLDEST)
    stat = edition.stat()
    # An edition rewritten (as archive_editions does) with the publication version unchanged.
    os.utime(edition, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    try:
        for path, answer in before.items():
            etag = answer.headers["ETag"]
            after = api_get(base_url, path, headers={"If-None-Match": etag})
            assert after.status_code == 200, path
            assert after.headers["ETag"] != etag, path
    finally:
        os.utime(edition, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def test_an_edition_s_etag_stays_when_a_new_publication_leaves_it_as_it_was(served):
    base_url, published, territory, _ = served
    oldest = f"{API}/editions/{OLDEST}/indices"
    latest = f"{API}/editions/{LATEST}/indices"
    first = {path: api_get(base_url, path) for path in (oldest, latest, f"{API}/indices")}
    etags = {path: answer.headers["ETag"] for path, answer in first.items()}

    assert publish_correction(published, OLDEST, territory, 1.0, datetime(2030, 2, 1)) == [LATEST]

    again = {path: api_get(base_url, path) for path in first}
    assert again[oldest].headers["ETag"] == etags[oldest]
    assert again[oldest].json() == first[oldest].json()
    # The latest millésime's edition follows the new publication, as the current figures do.
    assert again[latest].headers["ETag"] != etags[latest]
    assert again[f"{API}/indices"].headers["ETag"] != etags[f"{API}/indices"]
    assert again[latest].json()["edition"]["version"] == "20300201-000000"

    unchanged = api_get(base_url, oldest, headers={"If-None-Match": etags[oldest]})
    assert unchanged.status_code == 304 and not unchanged.content
