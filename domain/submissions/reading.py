"""Reading a received file into answer rows numbered as in the user's spreadsheet.

Accepts the long template (one row per answer) and the wide export of survey tools (one row
per territory, one column per question code), in any dialect of :mod:`.dialects`.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from domain.submissions.dialects import (
    QUESTION_CODE,
    Table,
    UnreadableFile,
    column_letter,
    read_table,
)
from domain.submissions.report import ValidationIssue
from schemas.submission import SUBMISSION_COLUMNS
from schemas.vocabulary import ERROR, WARNING

#: Help columns of the blank template (label, allowed values), ignored silently.
TEMPLATE_HELP_COLUMNS = ("intitule_question", "valeurs_possibles")
#: Columns every long-layout file must have (``commentaire`` is optional).
REQUIRED_LONG_COLUMNS = SUBMISSION_COLUMNS[:4]
ROW_COLUMNS = ["line", *SUBMISSION_COLUMNS, "reponse_column"]


@dataclass(frozen=True)
class SubmissionReading:
    """A file read into answer rows (long layout), or the reason it could not be."""

    rows: pd.DataFrame | None
    issues: list[ValidationIssue]
    readable: bool
    dialect: str | None = None
    field_columns: dict[str, str] | None = None
    #: "long" (one row per answer, the template) or "wide" (one row per territory).
    layout: str = "long"


def _display(header: list[str], name: str) -> str:
    return f"{column_letter(header.index(name))} ({name})"


def _header_error(table: Table, message: str) -> SubmissionReading:
    issue = ValidationIssue(
        table.header_line, None, None, ";".join(table.header)[:200], ERROR, message
    )
    return SubmissionReading(None, [issue], readable=True, dialect=table.describe())


def read_submission_rows(content: bytes) -> SubmissionReading:
    """Read a received file into answer rows numbered as in the user's spreadsheet.

    Accepts the long template (one row per answer) and the wide export of survey tools (one
    row per territory, one column per question code), in any supported dialect.
    """
    try:
        table = read_table(content)
    except UnreadableFile as error:
        return SubmissionReading(
            None, [ValidationIssue(None, None, None, None, ERROR, str(error))], False
        )
    header = table.header
    question_columns = [i for i, name in enumerate(header) if QUESTION_CODE.match(name.upper())]
    if all(c in header for c in REQUIRED_LONG_COLUMNS):
        return _read_long(table)
    if "code_territoire" in header and "millesime" in header and question_columns:
        return _read_wide(table, question_columns)
    return _header_error(
        table,
        "En-tête non reconnu. La première ligne doit être : "
        + ";".join(SUBMISSION_COLUMNS)
        + " (modèle : observatoire template), ou, pour un export d'outil d'enquête, "
        "code_territoire;millesime puis une colonne par code de question (LAB_01…).",
    )


def _read_long(table: Table) -> SubmissionReading:
    header = table.header
    issues = [
        ValidationIssue(
            table.header_line, f"{column_letter(i)} ({name})", None, None, WARNING,
            f"Colonne « {name} » inconnue : elle est ignorée.", "colonne_ignoree",
        )
        for i, name in enumerate(header)
        if name not in SUBMISSION_COLUMNS and name not in TEMPLATE_HELP_COLUMNS
    ]  # fmt: skip
    field_columns = {name: _display(header, name) for name in SUBMISSION_COLUMNS if name in header}
    field_columns.setdefault("commentaire", "commentaire")
    # Of columns with the same name, the last one is read; the frame is built column by
    # column, not a record per row.
    at = {name: len(header) - 1 - header[::-1].index(name) for name in set(header)}
    lines, kept = [], []
    for line, cells in table.rows:
        if len(cells) > len(header):
            issues.append(_too_many_cells(line, cells, header))
            continue
        lines.append(line)
        kept.append(cells)
    columns = {
        name: [cells[at[name]] if at[name] < len(cells) else "" for cells in kept]
        if name in at
        else [""] * len(kept)
        for name in SUBMISSION_COLUMNS
    }
    rows = _rows_frame(lines, columns, [field_columns["reponse"]] * len(kept))
    return SubmissionReading(rows, issues, True, table.describe(), field_columns)


def _rows_frame(lines: list[int], columns: dict[str, list[str]], where: list[str]) -> pd.DataFrame:
    """The frame of read rows (:data:`ROW_COLUMNS`) from its columns."""
    return pd.DataFrame(
        {
            "line": np.asarray(lines, dtype="int64"),
            **{name: pd.Series(values, dtype=object) for name, values in columns.items()},
            "reponse_column": pd.Series(where, dtype=object),
        },
        columns=ROW_COLUMNS,
    )


def _read_wide(table: Table, question_columns: list[int]) -> SubmissionReading:
    header = table.header
    ignored = [
        i for i, name in enumerate(header)
        if i not in question_columns and name not in ("code_territoire", "millesime")
    ]  # fmt: skip
    issues = [
        ValidationIssue(
            table.header_line, f"{column_letter(i)} ({header[i]})", None, None, WARNING,
            f"Colonne « {header[i]} » : ce n'est pas un code de question, elle est ignorée.",
            "colonne_ignoree",
        )
        for i in ignored
    ]  # fmt: skip
    territory_at, millesime_at = header.index("code_territoire"), header.index("millesime")
    field_columns = {
        "code_territoire": _display(header, "code_territoire"),
        "millesime": _display(header, "millesime"),
        "code_question": f"ligne {table.header_line}",
        "commentaire": "commentaire",
    }
    records = []
    for line, cells in table.rows:
        if len(cells) > len(header):
            issues.append(_too_many_cells(line, cells, header))
            continue
        cells = cells + [""] * (len(header) - len(cells))
        for i in question_columns:
            records.append(
                {
                    "line": line,
                    "code_territoire": cells[territory_at],
                    "millesime": cells[millesime_at],
                    "code_question": header[i].upper(),
                    "reponse": cells[i],
                    "commentaire": "",
                    "reponse_column": f"{column_letter(i)} ({header[i].upper()})",
                }
            )
    rows = pd.DataFrame(records, columns=ROW_COLUMNS).astype({"line": "int64"})
    return SubmissionReading(rows, issues, True, table.describe(), field_columns, "wide")


def _too_many_cells(line: int, cells: list[str], header: list[str]) -> ValidationIssue:
    return ValidationIssue(
        line, None, None, ";".join(cells)[:200], ERROR,
        f"La ligne compte {len(cells)} valeurs pour {len(header)} colonnes : un séparateur "
        "de trop, peut-être dans un commentaire ? Mettez le texte entre guillemets ou "
        "retirez le séparateur.",
    )  # fmt: skip
