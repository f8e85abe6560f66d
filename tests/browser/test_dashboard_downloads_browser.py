"""Téléchargements in a real browser: files downloaded by clicking, the address keeps the
millésime."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from dashboards import ids
from domain.publication import read_publication

pytestmark = pytest.mark.browser


def _rows(database, sql, parameters=()):
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.execute(sql, list(parameters)).fetchone()[0]


def test_clicking_a_link_downloads_the_file_the_page_describes(watched, published_database):
    page = watched.page
    millesimes = [
        row[0]
        for row in duckdb.connect(str(published_database), read_only=True)
        .execute("select distinct millesime from territory_scores order by 1")
        .fetchall()
    ]
    first = millesimes[0]
    watched.goto(f"/telechargements?millesime={first}")
    card = page.locator("#jeu-indices")
    expected = _rows(
        published_database, "select count(*) from territory_scores where millesime = ?", [first]
    )
    assert f"{expected} lignes" in card.locator(".dataset-size").inner_text().replace("\u202f", "")

    with page.expect_download() as download_info:
        card.get_by_role("link", name=re.compile(r"^CSV pour Excel")).click()
    download = download_info.value
    version = read_publication(published_database).version
    assert download.suggested_filename == f"observatoire-indices-{first}-v{version}.excel.csv"
    note = page.locator(f"#{ids.DOWNLOADS_VERSION}").inner_text()
    assert f"version {version}." in note
    assert f"observatoire-indices-{first}-v{version}.csv" in note
    content = Path(download.path()).read_bytes()
    assert content.startswith(b"\xef\xbb\xbf")
    assert content.split(b"\r\n")[0].decode("utf-8-sig").startswith("millesime;code_territoire;")

    with page.expect_download() as download_info:
        card.get_by_role("link", name=re.compile(r"^CSV standard")).click()
    standard = pd.read_csv(io.BytesIO(Path(download_info.value.path()).read_bytes()))
    assert len(standard) == expected
    assert set(standard["millesime"]) == {first}

    # The dictionary is on the page too.
    card.locator("details summary").click()
    assert card.locator("table tbody tr").count() == len(standard.columns)

    # The published réalisations, whole whatever the millésime, here in JSON.
    sheets = page.locator("#jeu-realisations")
    with page.expect_download() as download_info:
        sheets.get_by_role("link", name=re.compile(r"^JSON")).click()
    assert (
        download_info.value.suggested_filename == f"observatoire-realisations-tous-v{version}.json"
    )
    records = json.loads(Path(download_info.value.path()).read_bytes())
    assert len(records) == _rows(published_database, "select count(*) from achievements")
    watched.assert_clean()


def test_the_millesime_choice_updates_the_links_and_the_address(watched, published_database):
    page = watched.page
    watched.goto("/telechargements")
    page.locator(f"#{ids.DOWNLOADS_MILLESIME}").get_by_text("Tous les millésimes").click()
    page.wait_for_url(re.compile(r"millesime=tous"))
    link = page.locator("#jeu-axes").get_by_role("link", name=re.compile(r"^Parquet"))
    assert link.get_attribute("href") == "/donnees/axes-tous.parquet"
    total = _rows(published_database, "select count(*) from axis_positions")
    assert f"{total:,} lignes".replace(",", "\u202f") in page.locator("#jeu-axes").inner_text()

    other = page.context.new_page()
    other.goto(page.url)
    other.locator("#jeu-axes").wait_for()
    shared = other.locator("#jeu-axes").get_by_role("link", name=re.compile(r"^Parquet"))
    assert shared.get_attribute("href") == "/donnees/axes-tous.parquet"
    other.close()
    watched.assert_clean()


def test_the_page_links_the_api_and_the_metadata_of_the_files(watched):
    page = watched.page
    watched.goto("/telechargements")
    section = page.locator("#acces-machine")
    section.wait_for()
    hrefs = [link.get_attribute("href") for link in section.get_by_role("link").all()]
    assert hrefs == [
        "/api",
        "/api/v1/openapi.json",
        "/api/v1/docs",
        "/api/v1/editions",
        "/donnees/datapackage.json",
        "/donnees/catalogue.jsonld",
    ]
    editions = page.request.get(f"{watched.base_url}/api/v1/editions")
    assert editions.ok and isinstance(editions.json()["donnees"], list)
    for name in ("datapackage.json", "catalogue.jsonld"):
        response = page.request.get(f"{watched.base_url}/donnees/{name}")
        assert response.ok, name
        assert response.json()["@context" if name.endswith("jsonld") else "resources"]
    # The dictionary shows each column's constraints.
    card = page.locator("#jeu-indices")
    card.locator("details summary").click()
    assert "de 0 à 100" in card.locator("table").inner_text()
    watched.assert_clean()
