"""Editions of a real publication: what the pipeline archives after publishing, and the
figures of an edition read by the dashboard's data door beside the current ones."""

from __future__ import annotations

import shutil
from datetime import datetime

import pytest

from domain.publication import archived_millesimes, edition_path, read_publication
from tests.helpers import TEST_MILLESIMES
from tests.support.editions import publish_correction, scored_territory

OLDEST, LATEST = TEST_MILLESIMES
CORRECTED_AT = datetime(2030, 1, 2, 3, 4, 5)


def test_the_first_publication_is_the_edition_of_every_millesime_it_holds(small_pipeline_run):
    published = small_pipeline_run.published
    (materialization,) = small_pipeline_run.result.asset_materializations_for_node(
        "out_published_snapshot"
    )
    metadata = materialization.metadata
    assert metadata["editions_archived"].value == list(TEST_MILLESIMES)
    assert metadata["version"].value == read_publication(published).version
    assert archived_millesimes(published) == list(TEST_MILLESIMES)
    for millesime in TEST_MILLESIMES:
        assert edition_path(published, millesime).read_bytes() == published.read_bytes()


@pytest.fixture
def corrected(small_pipeline_run, tmp_path, monkeypatch):
    """A copy of the small run's publication and its editions, then a correction of the
    oldest millésime published: ``(published, territory, index before, first version)``."""
    folder = tmp_path / "published"
    shutil.copytree(small_pipeline_run.published.parent, folder)
    published = folder / small_pipeline_run.published.name
    monkeypatch.setenv("OBSERVATOIRE_PUBLISHED", str(published))
    monkeypatch.setenv("OBSERVATOIRE_CACHE_DIR", str(tmp_path / "cache"))
    first = read_publication(published).version
    territory, before = scored_territory(published, OLDEST)
    assert publish_correction(published, OLDEST, territory, 7.5, CORRECTED_AT) == [LATEST]
    return published, territory, before, first


def test_an_edition_keeps_the_figures_a_correction_changed(corrected):
    from dashboards import data

    published, territory, before, first = corrected
    source = data.edition_source(OLDEST)
    assert source == edition_path(published, OLDEST)
    # Read the edition first, then the current copy: the cache tells them apart.
    edition = data.export_indices(OLDEST, source=source).set_index("code_territoire")
    current = data.export_indices(OLDEST).set_index("code_territoire")
    assert edition.loc[territory, "indice_global"] == pytest.approx(before)
    assert current.loc[territory, "indice_global"] == pytest.approx(before + 7.5)
    others = current.index != territory
    assert (edition.loc[others, "indice_global"] == current.loc[others, "indice_global"]).all()
    assert list(edition.columns) == list(current.columns)
    axes = data.export_axes(OLDEST, source=source)
    assert set(axes["millesime"]) == {OLDEST} and not axes.empty

    assert data.publication()["version"] == "20300102-030405"
    listed = data.editions()
    assert list(listed["millesime"]) == list(TEST_MILLESIMES)
    assert list(listed["version"]) == [first, "20300102-030405"]
    assert listed["version_methodologie"].notna().all()
    info = data.edition_publication(OLDEST)
    assert info["version"] == first and info["millesime"] == OLDEST
    assert info["publiee_le"] == read_publication(source).published_at
    assert data.edition_publication(1999) is None and data.edition_source(1999) is None


def test_a_new_edition_file_is_read_at_once(corrected):
    """An edition rewritten (the latest millésime, at each publication) is read anew: the key
    of its cached entries carries its mtime and size."""
    from dashboards import data

    published, territory, _, _ = corrected
    source = data.edition_source(LATEST)
    assert data.publication_of(source)["version"] == "20300102-030405"
    publish_correction(published, OLDEST, territory, 1.0, datetime(2030, 2, 1))
    assert data.publication_of(source)["version"] == "20300201-000000"
    assert (
        data.edition_publication(OLDEST)["version"]
        == read_publication(edition_path(published, OLDEST)).version
    )
