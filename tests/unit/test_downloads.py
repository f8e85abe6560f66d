"""Open-data files: the writers, formula neutralisation, the data dictionary, the route."""

from __future__ import annotations

import io

import duckdb
import pandas as pd
import pytest

from dashboards import downloads

FRAME = pd.DataFrame(
    {
        "nom": ['=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)", "\tTab", "Lyon", None],
        "ecart": [-2.5, -10.0, 0.0, 3.25, 1.0, -0.5, None],
        "rang": [1, 2, 3, 4, 5, 6, 7],
    }
)


def test_text_that_a_spreadsheet_would_run_is_neutralised_and_numbers_are_not():
    safe = downloads.neutralise_formulas(FRAME)
    assert list(safe["nom"][:5]) == [
        '\'=HYPERLINK("http://x")',
        "'+1",
        "'-2+3",
        "'@SUM(A1)",
        "'\tTab",
    ]
    assert safe["nom"][5] == "Lyon" and safe["nom"][6] is None
    assert safe["ecart"].equals(FRAME["ecart"]), "negative numbers stay numbers"
    assert FRAME["nom"][0].startswith("="), "the caller's frame is not modified"


def test_the_excel_csv_has_a_bom_semicolons_decimal_commas_and_crlf():
    content = downloads.to_csv_excel(FRAME)
    assert content.startswith(b"\xef\xbb\xbf")
    text = content.decode("utf-8-sig")
    lines = text.split("\r\n")
    assert lines[0] == "nom;ecart;rang"
    assert lines[1] == '"\'=HYPERLINK(""http://x"")";-2,5;1'
    assert lines[2] == "'+1;-10,0;2"
    back = pd.read_csv(io.BytesIO(content), sep=";", decimal=",", encoding="utf-8-sig")
    assert back["ecart"].tolist()[:6] == FRAME["ecart"].tolist()[:6]


def test_the_standard_csv_reads_back_to_the_same_values():
    content = downloads.to_csv(FRAME)
    assert not content.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(content), keep_default_na=False, na_values=[""])
    assert back["rang"].tolist() == FRAME["rang"].tolist()
    assert back["ecart"].tolist()[:6] == FRAME["ecart"].tolist()[:6]
    assert back["nom"][3] == "'@SUM(A1)"


def test_parquet_keeps_typed_values_as_they_are(tmp_path):
    path = tmp_path / "x.parquet"
    path.write_bytes(downloads.to_parquet(FRAME))
    with duckdb.connect() as connection:
        back = connection.execute(f"select * from '{path}'").df()
    assert back["nom"][0] == FRAME["nom"][0], "no apostrophe in typed files"
    assert back["ecart"][:6].tolist() == FRAME["ecart"][:6].tolist()
    assert str(back["rang"].dtype).startswith("int")


def test_file_names_are_parsed_back():
    assert downloads.file_name("indices", 2025, "excel.csv") == "indices-2025.excel.csv"
    assert downloads.file_name("axes", None, "parquet") == "axes-tous.parquet"
    match = downloads.FILE_PATTERN.match("reponses-tous.excel.csv")
    assert match and match["dataset"] == "reponses" and match["format"] == "excel.csv"
    with pytest.raises(downloads.UnknownFile, match="Fichier inconnu"):
        downloads.render("inconnu-2025.csv", [2025])
    with pytest.raises(downloads.UnknownFile, match="1999 n'est pas publié"):
        downloads.render("indices-1999.csv", [2025])


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
    assert (
        response.headers["Content-Disposition"]
        == f'attachment; filename="observatoire-indices-{latest}.excel.csv"'
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
