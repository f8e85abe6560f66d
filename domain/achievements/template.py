"""Blank achievement sheets to fill in: CSV, xlsx or Markdown, every field with its label
and its help ("comment le remplir"), the territory's code already written.

The CSV and the workbook are the two-column layout :func:`domain.achievements.sheet.read_sheet`
reads (``champ;valeur``; the label and help columns after them are not read); the Markdown
template holds the help in comments. A blank template read back reports only the empty
required fields.
"""

from __future__ import annotations

import csv
import io

import openpyxl
import yaml
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.datavalidation import DataValidation

from schemas.achievement_sheet import SheetField, load_sheet_schema

TEMPLATE_FORMATS = ("csv", "xlsx", "md")
TEMPLATE_HEADER = ["champ", "valeur", "intitulé", "comment le remplir"]
INSTRUCTIONS = (
    "Une ligne par champ : écrivez la valeur dans la colonne « valeur » (B), sans toucher à "
    "la colonne « champ » (A).",
    "Les listes (axes, partenaires, liens…) : séparez les éléments par « | ». Les textes "
    "longs peuvent tenir sur plusieurs lignes (Alt+Entrée dans Excel, Ctrl+Entrée dans "
    "LibreOffice).",
    "Vérifiez la fiche avant de la déposer : observatoire realisations validate FICHIER.",
    "La fiche est publiée après relecture par un analyste de l'observatoire. N'y écrivez "
    "aucune donnée personnelle : une fonction ou un service, pas le nom d'une personne.",
)


def _help(spec: SheetField) -> str:
    return f"{'Obligatoire. ' if spec.required else ''}{spec.help}"


def _prefilled(spec: SheetField, territory: str | None) -> str:
    if spec.name == "code_territoire":
        return territory or ""
    return spec.default or ""


def template_rows(territory: str | None = None) -> list[list[str]]:
    """One row per field: name, value (the territory's code, the default licence, else
    blank), label and help."""
    return [
        [spec.name, _prefilled(spec, territory), spec.label, _help(spec)]
        for spec in load_sheet_schema().fields
    ]


def sheet_template_csv(territory: str | None = None) -> bytes:
    """The CSV template as Excel opens it directly: UTF-8 with BOM, ``;``, CRLF."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(TEMPLATE_HEADER)
    writer.writerows(template_rows(territory))
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def sheet_template_xlsx(territory: str | None = None) -> bytes:
    """The workbook template: the sheet « Fiche » (read), then « Instructions »."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Fiche"
    sheet.append(TEMPLATE_HEADER)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    schema = load_sheet_schema()
    for number, row in enumerate(template_rows(territory), start=2):
        sheet.append(row)
        spec = schema.fields[number - 2]
        if spec.required:
            sheet.cell(number, 3).font = Font(bold=True)
        if spec.allowed:
            choices = DataValidation(
                type="list", formula1='"' + ",".join(spec.allowed) + '"', allow_blank=True
            )
            sheet.add_data_validation(choices)
            choices.add(f"B{number}")
    sheet.freeze_panes = "B2"
    for column, width in zip("ABCD", (26, 60, 30, 90), strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row[1:]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    instructions = workbook.create_sheet("Instructions")
    for line in INSTRUCTIONS:
        instructions.append([line])
    instructions.column_dimensions["A"].width = 120
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _comment(text: str, prefix: str) -> list[str]:
    # Not wrapped: a line cut inside « | » or « 36 000 € » would mislead.
    return [f"{prefix}{text}"]


def sheet_template_markdown(territory: str | None = None) -> bytes:
    """The Markdown template: the short fields in the front matter, each preceded by its
    help as a YAML comment; a ``## <label>`` section per long text, its help in an HTML
    comment (neither is read)."""
    schema = load_sheet_schema()
    lines = ["---"]
    for spec in schema.fields:
        if spec.type == "texte_long":
            continue
        lines += _comment(f"{spec.label} — {_help(spec)}", "# ")
        value = _prefilled(spec, territory)
        lines.append(
            yaml.safe_dump({spec.name: value}, allow_unicode=True, width=10_000).rstrip("\n")
            if value
            else f"{spec.name}:"
        )
    lines.append("---")
    lines += ["", f"# {schema.title}"]
    for spec in schema.fields:
        if spec.type != "texte_long":
            continue
        lines += ["", f"## {spec.label}", "", "<!--", *_comment(_help(spec), ""), "-->", ""]
    return ("\n".join(lines) + "\n").encode("utf-8")


def sheet_template(file_format: str, territory: str | None = None) -> bytes:
    """The blank sheet in ``file_format`` (one of :data:`TEMPLATE_FORMATS`)."""
    writers = {
        "csv": sheet_template_csv,
        "xlsx": sheet_template_xlsx,
        "md": sheet_template_markdown,
    }
    if file_format not in writers:
        raise ValueError(f"format de modèle inconnu : {file_format}")
    return writers[file_format](territory)
