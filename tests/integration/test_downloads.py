"""Open-data files of a real publication: the data dictionary, the route."""

from __future__ import annotations

import io

import duckdb
import pandas as pd
import pytest

from dashboards import downloads
from domain.publication import read_publication


@pytest.fixture
def published(published_database, tmp_path, monkeypatch):
    monkeypatch.setenv("OBSERVATOIRE_PUBLISHED", str(published_database))
    monkeypatch.setenv("OBSERVATOIRE_CACHE_DIR", str(tmp_path / "cache"))
    return published_database


@pytest.mark.parametrize("name", list(downloads.DATASETS))
def test_every_exported_column_is_described_and_every_described_column_exported(published, name):
    dataset = downloads.DATASETS[name]
    frame = dataset.read(None)
    described = [field.name for field in dataset.fields]
    assert sorted(frame.columns) == sorted(described)
    assert all(field.description for field in dataset.fields)
    assert len(set(described)) == len(described)


def test_the_route_serves_files_with_their_name_and_a_french_404(published):
    from dashboards.app import app

    client = app.server.test_client()
    with duckdb.connect(str(published), read_only=True) as connection:
        (latest, rows) = connection.execute(
            "select millesime, count(*) from territory_scores group by 1 order by 1 desc limit 1"
        ).fetchone()
    response = client.get(f"/donnees/indices-{latest}.excel.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    # The name says which publication the file comes from.
    version = read_publication(published).version
    assert (
        response.headers["Content-Disposition"]
        == f'attachment; filename="observatoire-indices-{latest}-v{version}.excel.csv"'
    )
    frame = pd.read_csv(io.BytesIO(response.data), sep=";", decimal=",", encoding="utf-8-sig")
    assert len(frame) == rows
    again = client.get(
        f"/donnees/indices-{latest}.excel.csv",
        headers={"If-None-Match": response.headers["ETag"].strip('"')},
    )
    assert again.status_code == 304, "unchanged until the next publication"
    missing = client.get("/donnees/indices-1999.csv")
    assert missing.status_code == 404
    assert "n'est pas publié" in missing.get_data(as_text=True)
