"""Files as territories really make them: LibreOffice and Excel exports, survey-tool exports.

Files are made the way users make them where possible: a workbook written with openpyxl (as
Excel saves it, numbers as numbers and percentages as percentage-formatted cells), then
converted by LibreOffice headless with its CSV filter (Windows-1252, ``;``) or to .xlsx.
"""

from __future__ import annotations

import io
import re
import zipfile

import openpyxl
import pandas as pd
import pytest

from domain.submissions.dialects import (
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_ROWS,
    UnreadableFile,
    column_letter,
    normalise_header,
    read_table,
)
from domain.submissions.reading import read_submission_rows
from domain.submissions.validation import validate_submission
from pipelines.demo import demo_rows, to_csv_bytes
from schemas.submission import SUBMISSION_COLUMNS
from tests.support import nasty_files
from tests.support.libreoffice import libreoffice_convert, needs_libreoffice

TERRITORIES = pd.DataFrame({"code": ["DEP-13", "DEP-2A", "REG-93"], "kind": ["DEP", "DEP", "REG"]})


@pytest.fixture(scope="module")
def rows(questionnaire):
    territory = pd.Series({"code": "DEP-13", "kind": "DEP", "population": 2_000_000})
    return demo_rows(territory, 2026, 0.6, questionnaire, seed=7)


@pytest.fixture(scope="module")
def expected(rows, questionnaire):
    result = validate_submission(to_csv_bytes(rows), TERRITORIES, questionnaire)
    assert result.accepted
    return answers_of(result)


def answers_of(result) -> list[tuple]:
    frame = result.answers.sort_values("question")
    return [
        (t, m, q, None if pd.isna(v) else round(float(v), 6))
        for t, m, q, v in frame[["territory", "millesime", "question", "value"]].itertuples(
            index=False
        )
    ]


def typed_cell(question: pd.Series, answer: str):
    """The value as a user types it in a spreadsheet: numbers become numbers."""
    if answer == "":
        return None
    if question["answer_type"] in ("echelle", "nombre"):
        return int(answer)
    if question["answer_type"] == "pourcentage":
        return float(answer.replace(",", ".")) / 100  # stored as a fraction, shown as %
    return answer


def excel_workbook(rows, questionnaire) -> bytes:
    """A workbook as Excel saves it: typed numbers, percentage-formatted cells, accented comments."""
    questions = questionnaire.questions.set_index("code")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Réponses"
    sheet.append(SUBMISSION_COLUMNS)
    for territory, millesime, code, answer, comment in rows:
        question = questions.loc[code]
        sheet.append(
            [
                territory,
                int(millesime),
                code,
                typed_cell(question, answer),
                comment or "Données à confirmer, très provisoires",
            ]
        )
        if question["answer_type"] == "pourcentage" and answer:
            sheet.cell(row=sheet.max_row, column=4).number_format = "0.0%"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_excel_workbook_with_percentage_cells(rows, questionnaire, expected):
    result = validate_submission(excel_workbook(rows, questionnaire), TERRITORIES, questionnaire)
    assert result.accepted, result.issues
    assert result.dialect == "classeur Excel (.xlsx)"
    assert answers_of(result) == expected


@needs_libreoffice
def test_libreoffice_csv_windows_1252_semicolon(rows, questionnaire, expected, tmp_path):
    workbook = excel_workbook(rows, questionnaire)
    # CSV filter options: separator 59 (;), text delimiter 34 ("), charset 1 (Windows-1252).
    content = libreoffice_convert(
        tmp_path, workbook, ".xlsx", "csv:Text - txt - csv (StarCalc):59,34,1,1"
    )
    assert "très".encode("cp1252") in content and b";" in content
    result = validate_submission(content, TERRITORIES, questionnaire)
    assert result.accepted, result.issues
    assert result.dialect == "CSV Windows-1252, séparateur point-virgule"
    assert answers_of(result) == expected


@needs_libreoffice
def test_libreoffice_xlsx(rows, questionnaire, expected, tmp_path):
    csv_1252 = to_csv_bytes(rows).decode().encode("cp1252")
    content = libreoffice_convert(
        tmp_path, csv_1252, ".csv", "xlsx", infilter="Text - txt - csv (StarCalc):59,34,1,1"
    )
    assert content.startswith(b"PK")
    result = validate_submission(content, TERRITORIES, questionnaire)
    assert result.accepted, result.issues
    assert answers_of(result) == expected


@needs_libreoffice
def test_libreoffice_csv_utf8_comma(rows, questionnaire, expected, tmp_path):
    workbook = excel_workbook(rows, questionnaire)
    content = libreoffice_convert(
        tmp_path, workbook, ".xlsx", "csv:Text - txt - csv (StarCalc):44,34,76,1"
    )
    result = validate_submission(content, TERRITORIES, questionnaire)
    assert result.accepted, result.issues
    assert result.dialect == "CSV UTF-8, séparateur virgule"
    assert answers_of(result) == expected


def test_utf8_bom_comma_separator_with_quoted_multiple_choice(questionnaire):
    multi = questionnaire.questions.loc[
        questionnaire.questions["answer_type"] == "choix_multiple"
    ].iloc[0]
    (a, _), (b, label_b) = multi["options"][:2]
    content = (
        "\ufeffcode_territoire,millesime,code_question,reponse,commentaire\r\n"
        f'DEP-13,2026,{multi["code"]},"{a}; {label_b}","Mis à jour, en 2026"\r\n'
    ).encode()
    reading = read_submission_rows(content)
    assert reading.dialect == "CSV UTF-8 avec BOM, séparateur virgule"
    result = validate_submission(content, TERRITORIES, questionnaire)
    chosen = result.answers.set_index("question").loc[multi["code"]]
    assert chosen["value"] == 2
    assert chosen["comment"] == "Mis à jour, en 2026"


def test_utf16_tab_separated_unicode_text_export():
    content = "code_territoire\tmillesime\tcode_question\treponse\r\nDEP-13\t2026\tLAB_01\tOUI\r\n".encode(
        "utf-16"
    )
    table = read_table(content)
    assert (table.encoding, table.separator) == ("UTF-16", "\t")
    assert table.rows == [(2, ["DEP-13", "2026", "LAB_01", "OUI"])]


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_read_as_utf16(codec, questionnaire):
    """Some tools write "Unicode" text without a BOM: read as such, with the same answers as
    the UTF-8 file, not refused as binary."""
    territory = pd.Series({"code": "DEP-13", "kind": "DEP", "population": 2_000_000})
    text = to_csv_bytes(demo_rows(territory, 2026, 0.6, questionnaire, seed=1)).decode()
    utf8 = validate_submission(text.encode("utf-8"), TERRITORIES, questionnaire)
    result = validate_submission(text.encode(codec), TERRITORIES, questionnaire)
    assert result.dialect == "CSV UTF-16 sans BOM, séparateur point-virgule"
    assert result.accepted and utf8.accepted
    pd.testing.assert_frame_equal(result.answers, utf8.answers)
    truncated = validate_submission(text.encode(codec)[:-1], TERRITORIES, questionnaire)
    assert not truncated.readable and "tronqué" in truncated.issues[0].message


def test_windows_1252_with_decimal_commas_and_french_spellings(questionnaire):
    questions = questionnaire.questions
    yes_no = questions.loc[questions["answer_type"] == "oui_non", "code"].iloc[0]
    percent = questions.loc[questions["answer_type"] == "pourcentage", "code"].iloc[0]
    scale = questions.loc[questions["answer_type"] == "echelle"].iloc[0]
    content = (
        "Code territoire;Millésime;Code question;Réponse;Commentaire;;\r\n"
        f"DEP-13;2026;{yes_no};Vrai;Délibération de 2025;;\r\n"
        "\r\n"
        f"DEP-13;2026;{percent};45,5 %;;;\r\n"
        f"DEP-13;2026;{scale['code']};{scale['scale_labels'][2]};;;\r\n"
    ).encode("cp1252")
    result = validate_submission(content, TERRITORIES, questionnaire)
    values = result.answers.set_index("question")["value"].to_dict()
    assert values == {yes_no: 1.0, percent: 45.5, scale["code"]: 2.0}
    assert result.answers.set_index("question").loc[yes_no, "comment"] == "Délibération de 2025"
    assert result.answers["line"].tolist() == [2, 4, 5]


def test_wide_survey_export_with_several_territories(rows, questionnaire):
    codes = [r[2] for r in rows]
    header = ["Horodatage", "code_territoire", "millesime", *codes]
    body = [
        ["2026-03-01 10:00", "DEP-13", "2026", *[r[3] for r in rows]],
        ["2026-03-02 11:00", "DEP-2A", "2026", *[r[3] for r in rows]],
    ]
    content = to_csv_bytes(body, header)
    result = validate_submission(content, TERRITORIES, questionnaire)
    assert result.accepted, [i for i in result.issues if i.severity == "erreur"]
    assert set(result.answers["territory"]) == {"DEP-13", "DEP-2A"}
    assert len(result.answers) == 2 * len(rows)
    warning = next(i for i in result.issues if i.column == "A (horodatage)")
    assert "ignorée" in warning.message


def test_wide_export_error_points_at_the_cell(rows, questionnaire):
    codes = [r[2] for r in rows]
    answers = [r[3] for r in rows]
    answers[0] = "peut-être"
    content = to_csv_bytes([["DEP-13", "2026", *answers]], ["code_territoire", "millesime", *codes])
    result = validate_submission(content, TERRITORIES, questionnaire)
    errors = [(i.line, i.column, i.question) for i in result.issues if i.severity == "erreur"]
    assert errors == [(2, f"C ({codes[0]})", codes[0])]


@pytest.mark.parametrize("build", nasty_files.ALL.values(), ids=nasty_files.ALL.keys())
def test_files_that_are_no_table_are_unreadable_with_a_french_reason(build, questionnaire):
    """Every nasty file is refused by the reading boundary, which every entry uses (the
    pipeline through ``validate_submission``), with a French sentence."""
    content = build()
    with pytest.raises(UnreadableFile) as boundary:
        read_table(content)
    result = validate_submission(content, TERRITORIES, questionnaire)
    assert not result.accepted and not result.readable
    assert [issue.message for issue in result.issues] == [str(boundary.value)]
    assert str(boundary.value)[0].isupper() and "Traceback" not in str(boundary.value)


def test_workbooks_are_parsed_with_defusedxml():
    """openpyxl parses with defusedxml when it is installed (entity declarations refused)."""
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML


def test_a_workbook_declaring_the_whole_sheet_is_read_without_padding():
    """A sheet whose dimension claims A1:XFD1048576 is read from its cells only (padded to
    16,384 columns, its 400 rows would be 6.5 million cells)."""
    row = ["DEP-13", 2026, "LAB_01", "oui", "texte"]
    content = nasty_files.valid_xlsx([row] * 400)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
    claimed = re.sub(rb'<dimension ref="[^"]*" ?/>', b'<dimension ref="A1:XFD1048576"/>', sheet)
    assert claimed != sheet
    table = read_table(nasty_files.replace_parts(content, {"xl/worksheets/sheet1.xml": claimed}))
    assert len(table.header) == 5 and len(table.rows) == 400
    assert table.rows[-1] == (401, ["DEP-13", "2026", "LAB_01", "oui", "texte"])


def test_the_largest_tables_within_the_limits_are_read():
    table = read_table(nasty_files.wide_csv(columns=MAX_COLUMNS - 2, rows=1))
    assert len(table.header) == MAX_COLUMNS
    rows = (MAX_CELLS - 5) // 4  # a header of five cells, four filled in each row
    assert len(read_table(nasty_files.long_csv(rows=rows)).rows) == rows
    with pytest.raises(UnreadableFile, match="Tableau trop grand"):
        read_table(nasty_files.long_csv(rows=rows + 1))
    narrow = "code_territoire\n" + "DEP-13\n" * MAX_ROWS
    assert len(read_table(narrow.encode()).rows) == MAX_ROWS
    with pytest.raises(UnreadableFile, match=f"plus de {MAX_ROWS} lignes"):
        read_table((narrow + "DEP-13\n").encode())


def test_normalise_header_and_column_letters():
    assert normalise_header("\ufeffCode Territoire ") == "code_territoire"
    assert normalise_header("Millésime") == "millesime"
    assert [column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == [
        "A",
        "Z",
        "AA",
        "AB",
        "ZZ",
        "AAA",
    ]
