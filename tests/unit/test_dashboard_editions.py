"""The dashboard's side of versions and editions, without a pipeline: readers of another
published file cached apart from the current one, versioned download names."""

from __future__ import annotations

import os

import duckdb
import pytest

from dashboards import data
from dashboards.data.connection import read
from dashboards.downloads import download_name


def write_copy(path, version: str, value: int) -> None:
    partial = path.with_name(f".{path.name}.partial")
    partial.unlink(missing_ok=True)
    with duckdb.connect(str(partial)) as con:
        con.execute(f"CREATE TABLE figures AS SELECT {value} AS value")
        con.execute(
            "CREATE TABLE publication AS SELECT TIMESTAMP '2026-11-30 10:56:29' AS "
            "published_at, 'run' AS run_id, ? AS version",
            [version],
        )
    os.replace(partial, path)


@pytest.fixture
def two_copies(tmp_path, monkeypatch):
    current = tmp_path / "observatoire.duckdb"
    edition = tmp_path / "millesimes" / "2025.duckdb"
    edition.parent.mkdir()
    write_copy(current, "20261130-105629", 1)
    write_copy(edition, "20250601-120000", 2)
    monkeypatch.setenv(data.PUBLISHED_ENV, str(current))
    monkeypatch.setenv(data.CACHE_DIR_ENV, str(tmp_path / "cache"))
    return current, edition


def test_a_source_is_cached_apart_from_the_current_publication(two_copies):
    current, edition = two_copies
    sql = "select value from figures"
    assert read("figures", sql, source=edition).iloc[0, 0] == 2
    assert read("figures", sql).iloc[0, 0] == 1
    assert read("figures", sql, source=current).iloc[0, 0] == 1
    # A new file at the same path is a new entry (its mtime and size are in the key).
    write_copy(edition, "20250701-120000", 3)
    assert read("figures", sql, source=edition).iloc[0, 0] == 3
    assert data.publication_of(edition)["version"] == "20250701-120000"
    assert data.publication()["version"] == "20261130-105629"


def test_a_missing_source_says_so_in_french(two_copies, tmp_path):
    with pytest.raises(data.PublicationMissing, match="n'existe pas"):
        read("figures", "select 1", source=tmp_path / "millesimes" / "1999.duckdb")


def test_a_copy_published_before_versions_gets_the_version_of_its_date(tmp_path, monkeypatch):
    old = tmp_path / "observatoire.duckdb"
    with duckdb.connect(str(old)) as con:
        con.execute(
            "CREATE TABLE publication AS SELECT TIMESTAMP '2026-01-05 08:09:10.5' AS "
            "published_at, 'old-run' AS run_id"
        )
    monkeypatch.setenv(data.PUBLISHED_ENV, str(old))
    monkeypatch.setenv(data.CACHE_DIR_ENV, str(tmp_path / "cache"))
    assert data.publication()["version"] == "20260105-080910"


def test_download_names_carry_the_version():
    assert (
        download_name("indices-2025.excel.csv", "20261130-105629")
        == "observatoire-indices-2025-v20261130-105629.excel.csv"
    )
    assert (
        download_name("dictionnaire-axes.csv", "20261130-105629")
        == "observatoire-dictionnaire-axes-v20261130-105629.csv"
    )
    assert (
        download_name("realisations-tous.parquet", None) == "observatoire-realisations-tous.parquet"
    )


def test_the_footer_and_the_downloads_page_name_the_version(two_copies):
    from dashboards import ids
    from dashboards.app import app, footer_text
    from dashboards.pages import telechargements
    from tests.helpers import _component, _texts

    assert (
        "Publication du 30 novembre 2026 à 11:56 (heure de Paris), version 20261130-105629."
        in _texts(footer_text())
    )
    with app.server.test_request_context("/"):
        note = telechargements.version_note(data.publication(), 2025)
    text = _texts(note)
    assert "ceux de la publication du 30 novembre 2026 à 11:56 (heure de Paris)" in text
    assert "observatoire-indices-2025-v20261130-105629.csv" in text
    assert _component(note, ids.DOWNLOADS_VERSION) is note
    (editions,) = [child for child in note.children if getattr(child, "href", None)]
    assert editions.href == "/api/v1/editions"
