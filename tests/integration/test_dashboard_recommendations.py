"""Réalisations linked to the scores, on a copy of a real publication to which known sheets
are added: the data door, the fiche and the Axes page, the open dataset opened in
LibreOffice."""

from __future__ import annotations

import io
from datetime import datetime

import duckdb
import openpyxl
import pandas as pd
import pytest

from dashboards import data, downloads, ids
from tests.helpers import _component, _texts
from tests.support.achievements import add_published_sheets, sheet
from tests.support.libreoffice import libreoffice_convert, needs_libreoffice

TRICKY_TITLE = "=1+1 : les données « dès la conception »"
MULTILINE = "Première étape : inventaire.\nDeuxième étape : ouverture des données, à Évreux."


@pytest.fixture
def with_sheets(published_copy):
    """The copy with two sheets of two authors scoring above a reader weak on an axis, both
    recommended to it (rank 1, rank 2), one of them with a text a spreadsheet could run."""
    with duckdb.connect(str(published_copy), read_only=True) as connection:
        millesime, reader, axis, label = connection.execute(
            """
            select p.millesime, p.territory, p.axis, a.label from axis_positions p
            join axes a on a.code = p.axis
            where p.position = 'faiblesse'
              and p.millesime = (select max(millesime) from axis_positions)
            order by p.territory, a.position limit 1
            """
        ).fetchone()
        authors = connection.execute(
            """
            select s.territory, t.name, s.score from axis_scores s
            join territories t on t.code = s.territory
            where s.millesime = ? and s.axis = ? and s.territory <> ?
              and s.score > (select score from axis_scores
                             where millesime = ? and axis = ? and territory = ?)
            order by s.score desc, s.territory limit 2
            """,
            [millesime, axis, reader, millesime, axis, reader],
        ).fetchall()
    assert len(authors) == 2
    sheets = [
        sheet(
            authors[0][0],
            "donnees-des-la-conception",
            TRICKY_TITLE,
            [axis],
            description=MULTILINE,
            supports=2,
            published_at=datetime(2026, 2, 3, 10, 0),
        ),
        sheet(authors[1][0], "second-exemple", "Un second exemple", [axis, "GOUV"], year=2024),
    ]
    recommendations = [
        {
            "millesime": millesime,
            "territory": reader,
            "axis": axis,
            "rank": rank,
            "achievement_id": row["achievement_id"],
            "author": author[0],
            "author_score": author[2],
            "author_progress": 4.0 if rank == 1 else None,
            "same_kind": rank == 1,
            "similar_population": False,
            "same_region": False,
        }
        for rank, (row, author) in enumerate(zip(sheets, authors, strict=True), start=1)
    ]
    add_published_sheets(published_copy, sheets, recommendations)
    return {
        "millesime": millesime,
        "reader": reader,
        "axis": axis,
        "label": label,
        "authors": authors,
        "sheets": sheets,
    }


def test_the_data_door_reads_recommendations_own_sheets_and_axis_sheets(with_sheets):
    case = with_sheets
    recommended = data.peer_achievements(case["reader"], case["millesime"])
    of_axis = recommended[recommended["axis"] == case["axis"]]
    assert of_axis["title"].tolist() == [TRICKY_TITLE, "Un second exemple"]
    first = of_axis.iloc[0]
    assert first["author_name"] == case["authors"][0][1]
    assert first["axis_label"] == case["label"]
    assert bool(first["same_kind"]) and first["author_progress"] == 4.0
    assert pd.isna(of_axis.iloc[1]["author_progress"])

    author = case["authors"][1][0]
    own = data.territory_achievements(author)
    mine = own[own["achievement_id"] == f"{author}/second-exemple"].iloc[0]
    assert case["label"] in mine["axis_labels"] and "Gouvernance" in mine["axis_labels"]

    of_axis = data.axis_achievements(case["axis"])
    assert {row["achievement_id"] for row in case["sheets"]} <= set(of_axis["achievement_id"])


def test_the_fiche_and_the_axes_page_link_the_sheets(with_sheets):
    from dashboards.app import app
    from dashboards.pages import axes, fiche_territoire

    case = with_sheets
    with app.server.test_request_context("/"):
        fiche = fiche_territoire.layout(code=case["reader"], millesime=str(case["millesime"]))
        author_fiche = fiche_territoire.layout(code=case["authors"][0][0])
        axis_page = axes.layout(axe=case["axis"])
    section = _texts(_component(fiche, ids.TERRITORY_PEER_ACHIEVEMENTS))
    assert TRICKY_TITLE in section and "même type" in section
    assert section.index(TRICKY_TITLE) < section.index("Un second exemple")
    assert TRICKY_TITLE in _texts(_component(author_fiche, ids.TERRITORY_ACHIEVEMENTS))
    listed = _texts(_component(axis_page, ids.AXES_ACHIEVEMENTS))
    assert TRICKY_TITLE in listed and "Un second exemple" in listed


def test_every_column_of_the_sheets_dataset_is_described(with_sheets):
    dataset = downloads.DATASETS["realisations"]
    frame = dataset.read(None)
    assert sorted(frame.columns) == sorted(field.name for field in dataset.fields)
    assert len(frame) >= len(with_sheets["sheets"])


@needs_libreoffice
def test_the_excel_csv_of_the_sheets_opens_in_libreoffice_as_written(with_sheets, tmp_path):
    content, _ = downloads.render("realisations-tous.excel.csv", data.millesimes())
    # As a French spreadsheet opens it: « ; », UTF-8 (76), from row 1, French locale (1036).
    workbook = openpyxl.load_workbook(
        io.BytesIO(
            libreoffice_convert(
                tmp_path, content, ".csv", "xlsx", "CSV:59,34,76,1,,1036", name="realisations"
            )
        )
    )
    rows = workbook.active.iter_rows()
    header = [cell.value for cell in next(rows)]
    by_id = {row[0].value: dict(zip(header, row, strict=True)) for row in rows}
    tricky = by_id[with_sheets["sheets"][0]["achievement_id"]]
    title = tricky["titre"]
    assert title.data_type == "s" and title.value == "'" + TRICKY_TITLE, (
        "a text starting with = stays text: no formula is evaluated"
    )
    assert tricky["realisation"].value == MULTILINE, "line breaks and accents intact"
    assert tricky["nom_territoire"].value == with_sheets["authors"][0][1]
    assert tricky["budget_euros"].value == 120000 and tricky["soutiens"].value == 2
