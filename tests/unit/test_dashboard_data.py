"""The dashboard's data door (``dashboards.data``) and the pages without a browser, when
nothing or something unreadable is published."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboards import data
from tests.helpers import _texts


def test_default_path_is_relative_to_the_working_directory(monkeypatch):
    monkeypatch.delenv(data.PUBLISHED_ENV, raising=False)
    monkeypatch.delenv(data.CACHE_DIR_ENV, raising=False)
    assert data.published_path() == Path("var/published/observatoire.duckdb")
    assert data.cache_dir() == Path("var/cache/dash")


def test_a_missing_publication_raises_a_french_message(nothing_published):
    with pytest.raises(data.PublicationMissing) as error:
        data.millesimes()
    assert str(error.value) == (
        "Aucune donnée publiée pour l'instant : lancez `make run` ou `observatoire refresh`."
    )
    with pytest.raises(data.PublicationError):
        data.map_geojson("DEP")


def test_an_unreadable_publication_raises_a_french_message(tmp_path, monkeypatch):
    broken = tmp_path / "observatoire.duckdb"
    broken.write_bytes(b"ceci n'est pas une base DuckDB")
    monkeypatch.setenv(data.PUBLISHED_ENV, str(broken))
    monkeypatch.setenv(data.CACHE_DIR_ENV, str(tmp_path / "cache"))
    with pytest.raises(data.PublicationUnreadable, match="ne peut pas être lu"):
        data.millesimes()


def test_pages_say_so_when_nothing_is_published(nothing_published):
    from dashboards.app import app, footer_text
    from dashboards.pages import fiche_territoire, vue_nationale

    with app.server.test_request_context("/"):
        national = _texts(vue_nationale.layout())
        fiche = _texts(fiche_territoire.layout(code="DEP-13", millesime="2025"))
    assert data.MISSING_MESSAGE in national
    assert data.MISSING_MESSAGE in fiche
    assert "Aucune donnée publiée" in _texts(footer_text())

    response = app.server.test_client().get("/carte/DEP.geojson")
    assert response.status_code == 503
    assert "Aucune donnée publiée" in response.get_data(as_text=True)
