"""Blank survey templates for one territory: only the questions asked of it, with help."""

from __future__ import annotations

import csv
import io

import openpyxl
import pandas as pd
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.datavalidation import DataValidation

from domain.questionnaire import Questionnaire
from domain.submissions.answers import ANSWER_FORMS
from domain.submissions.reading import TEMPLATE_HELP_COLUMNS
from schemas.submission import SUBMISSION_COLUMNS

TEMPLATE_COLUMNS = [*SUBMISSION_COLUMNS, *TEMPLATE_HELP_COLUMNS]


def allowed_values(question: pd.Series) -> str:
    """What the respondent may write for this question, in French (the help column)."""
    kind = question["answer_type"]
    if kind == "oui_non":
        return "oui | non (ou vrai | faux, 1 | 0)"
    if kind == "echelle":
        levels = " ; ".join(
            f"{level} = {label}" for level, label in sorted(question["scale_labels"].items())
        )
        return f"le numéro ou l'intitulé du niveau : {levels}"
    if kind == "pourcentage":
        return (
            "pourcentage de 0 à 100 : 45, 45,5 ou 45 % ; de 0 à 1, avec le signe % (0,5 %), "
            "car 0,5 seul pourrait être une part (50 %)"
        )
    if kind == "nombre":
        return (
            f"nombre entier, 0 ou plus ({question['unit']}) : 1200 ou 1 200, sans point ni virgule"
        )
    if kind == "choix_multiple":
        codes = " | ".join(code for code, _ in question["options"])
        return f"un ou plusieurs codes (ou intitulés) séparés par « | » : {codes} ; ou « aucun »"
    raise ValueError(kind)


def answer_forms_rows() -> list[list[str]]:
    """The accepted forms of every answer type, one row each, for the template's
    instructions and the user documentation (the parser reads the same data)."""
    return [
        [
            f"{form.label} ({kind})",
            form.accepted,
            " ; ".join(f"« {example} »" for example in form.examples),
            " ; ".join(f"« {answer} » : {why}" for answer, why in form.refused),
        ]
        for kind, form in ANSWER_FORMS.items()
    ]


ANSWER_FORMS_HEADER = ["Type de réponse", "Ce qui est accepté", "Exemples acceptés", "Refusés"]


def answer_forms_markdown() -> str:
    """The accepted forms as a Markdown table (``docs/formats-de-reponse.md`` holds it)."""
    lines = ["| " + " | ".join(ANSWER_FORMS_HEADER) + " |", "|---|---|---|---|"]
    for row in answer_forms_rows():
        cells = [cell.replace("|", "\\|") for cell in row]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def template_rows(
    questionnaire: Questionnaire, territory: str, kind: str, millesime: int
) -> list[list[str]]:
    """One row per question asked of territories of ``kind``, answer left blank."""
    return [
        [territory, str(millesime), q["code"], "", "", q["label"], allowed_values(q)]
        for q in questionnaire.questions_for_kind(kind).to_dict("records")
    ]


def template_csv(rows: list[list[str]]) -> bytes:
    """The template as Excel opens it directly: UTF-8 with BOM, ``;``, CRLF."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(TEMPLATE_COLUMNS)
    writer.writerows(rows)
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def template_xlsx(rows: list[list[str]], questionnaire: Questionnaire) -> bytes:
    """The template as a workbook: frozen header, drop-down lists for oui/non and 0–4 scales."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Réponses"
    sheet.append(TEMPLATE_COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    types = questionnaire.questions.set_index("code")["answer_type"]
    yes_no = DataValidation(type="list", formula1='"oui,non"', allow_blank=True)
    scale = DataValidation(type="list", formula1='"0,1,2,3,4"', allow_blank=True)
    sheet.add_data_validation(yes_no)
    sheet.add_data_validation(scale)
    for number, row in enumerate(rows, start=2):
        sheet.append([row[0], int(row[1]), *row[2:]])
        kind = types[row[2]]
        if kind == "oui_non":
            yes_no.add(f"D{number}")
        elif kind == "echelle":
            scale.add(f"D{number}")
    sheet.freeze_panes = "A2"
    for column, width in zip("ABCDEFG", (18, 10, 14, 28, 30, 70, 60), strict=True):
        sheet.column_dimensions[column].width = width
    _instructions_sheet(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _instructions_sheet(workbook: openpyxl.Workbook) -> None:
    """A second sheet saying what each answer type accepts (the first sheet is read)."""
    sheet = workbook.create_sheet("Instructions")
    sheet.append(["Une ligne par question : écrivez la réponse dans la colonne « reponse »."])
    sheet.append(["Une réponse ambiguë est refusée avec la correction à faire, jamais devinée."])
    sheet.append([])
    sheet.append(ANSWER_FORMS_HEADER)
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    for row in answer_forms_rows():
        sheet.append(row)
    for column, width in zip("ABCD", (30, 70, 45, 80), strict=True):
        sheet.column_dimensions[column].width = width
        for cell in sheet[column][4:]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
