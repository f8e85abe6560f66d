"""Open-data files: the writers, formula neutralisation, the data dictionary, the route."""

from __future__ import annotations

import csv
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


@pytest.mark.parametrize("write", [downloads.to_csv, downloads.to_csv_excel], ids=["csv", "excel"])
def test_line_breaks_inside_a_text_are_quoted_and_read_back(write):
    frame = pd.DataFrame(
        {"commentaire": ["ligne 1\rligne 2", "a\nb", "c\r\nd", "simple"], "score": [1.5, 2, 3, 4]}
    )
    content = write(frame)
    text = content.decode("utf-8-sig")
    separator = ";" if write is downloads.to_csv_excel else ","
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=separator))
    assert [row[0] for row in rows] == ["commentaire", *frame["commentaire"]]
    assert len(rows) == len(frame) + 1


def test_the_data_dictionary_names_every_kind_of_territory():
    from schemas.vocabulary import TERRITORY_KINDS

    described = set(downloads.KIND.description.split(":", 1)[1].replace(" ou ", ", ").split(", "))
    assert {kind.strip() for kind in described} == set(TERRITORY_KINDS)
