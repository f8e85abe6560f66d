"""Reading the files territories really send, whatever produced them.

Excel and LibreOffice exports, survey-tool exports and hand-made files differ in encoding
(UTF-8 with or without BOM, Windows-1252, UTF-16 "texte Unicode"), separator (``;``, ``,``,
tab), layout (the long template, one row per answer; or the wide export, one row per
territory and one column per question) and container (CSV or ``.xlsx``). This module finds
out which, without asking, and returns the cells numbered as the user sees them in their
spreadsheet: line numbers from 1 with the header, columns as letters (A, B, …).
"""

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field

import openpyxl

QUESTION_CODE = re.compile(r"^[A-Z]{2,6}_\d{2}$")
SEPARATORS = (";", "\t", ",")
SEPARATOR_NAMES = {";": "point-virgule", "\t": "tabulation", ",": "virgule"}
XLSX_MAGIC = b"PK\x03\x04"
#: Fields longer than this are refused (a CSV field this long is a broken quote).
MAX_FIELD_LENGTH = 100_000


class UnreadableFile(Exception):
    """The file is not a table at all; the message says why, in French."""


@dataclass(frozen=True)
class Table:
    """The cells of a received file, numbered as in the user's spreadsheet."""

    header: list[str]
    rows: list[tuple[int, list[str]]]
    file_format: str
    encoding: str | None = None
    separator: str | None = None
    header_line: int = 1

    def describe(self) -> str:
        """A French description of the dialect, for reports."""
        if self.file_format == "xlsx":
            return "classeur Excel (.xlsx)"
        return f"CSV {self.encoding}, séparateur {SEPARATOR_NAMES.get(self.separator, '?')}"


@dataclass
class AnswerRows:
    """Answer rows in the long layout, each with the spreadsheet column of each field."""

    records: list[dict] = field(default_factory=list)
    layout: str = "long"


def column_letter(index: int) -> str:
    """Spreadsheet letter of a 0-based column index: 0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def normalise_header(name: str) -> str:
    """``"Code Territoire "`` → ``code_territoire``; ``"Millésime"`` → ``millesime``."""
    text = unicodedata.normalize("NFKD", str(name).replace("\ufeff", "")).encode("ascii", "ignore")
    text = re.sub(r"[\s\-'.]+", "_", text.decode().strip().lower())
    return text.strip("_")


def decode_text(content: bytes) -> tuple[str, str]:
    """Decode bytes as UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1252."""
    if content.startswith(b"\xef\xbb\xbf"):
        try:
            return content[3:].decode("utf-8"), "UTF-8 avec BOM"
        except UnicodeDecodeError:
            content = content[3:]  # a BOM over other bytes: read what follows as below
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return content.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            raise UnreadableFile(
                "Fichier « texte Unicode » (UTF-16) tronqué ou abîmé : exportez-le de nouveau, "
                "de préférence en « CSV UTF-8 »."
            ) from None
    try:
        return content.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        return content.decode("latin-1"), "ISO-8859-1"


def _looks_binary(content: bytes) -> bool:
    sample = content[:4096]
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    if b"\x00" in sample:
        return True
    control = sum(1 for b in sample if b < 32 and b not in (9, 10, 13))
    return bool(sample) and control / len(sample) > 0.05


def _choose_separator(first_line: str) -> str:
    """The separator that splits the header into known columns, else the most frequent one."""
    for separator in SEPARATORS:
        cells = [normalise_header(c) for c in next(csv.reader([first_line], delimiter=separator))]
        if "code_territoire" in cells:
            return separator
    return max(SEPARATORS, key=first_line.count)


def _trim(cells: list[str]) -> list[str]:
    end = len(cells)
    while end and not str(cells[end - 1]).strip():
        end -= 1
    return [str(c).strip() for c in cells[:end]]


def read_csv_table(content: bytes) -> Table:
    """Read a CSV file of any supported encoding and separator."""
    if _looks_binary(content):
        raise UnreadableFile(
            "Ce fichier n'est pas un tableau (CSV ou Excel .xlsx). Exportez votre tableau au "
            "format CSV ou enregistrez-le en .xlsx."
        )
    text, encoding = decode_text(content)
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    separator = _choose_separator(first)
    csv.field_size_limit(MAX_FIELD_LENGTH)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    records: list[tuple[int, list[str]]] = []
    line = 1
    try:
        for cells in reader:
            records.append((line, cells))
            line = reader.line_num + 1
    except csv.Error as error:
        raise UnreadableFile(
            f"Ligne {line} illisible ({error}) : un guillemet n'est sans doute pas refermé. "
            "Vérifiez les guillemets de cette ligne."
        ) from None
    records = [(n, _trim(cells)) for n, cells in records if any(c.strip() for c in cells)]
    return _table(records, "Le fichier est vide.", "csv", encoding=encoding, separator=separator)


def _table(
    records: list[tuple[int, list[str]]], empty_message: str, file_format: str, **dialect: str
) -> Table:
    """The table of numbered non-empty records: the first is the header."""
    if not records:
        raise UnreadableFile(empty_message)
    header_line, header = records[0]
    return Table(
        header=[normalise_header(c) for c in header],
        rows=records[1:],
        file_format=file_format,
        header_line=header_line,
        **dialect,
    )


def _cell_text(value: object, number_format: str | None = None) -> str:
    if value is None:
        return ""
    if (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and "%" in (number_format or "")
    ):
        # Excel stores "45 %" as 0.45 in a percentage-formatted cell: read it as shown.
        return f"{_cell_text(round(value * 100, 6))} %"
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def read_xlsx_table(content: bytes) -> Table:
    """Read the first sheet holding a ``code_territoire`` header of an Excel workbook."""
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise UnreadableFile(
            f"Classeur Excel illisible ({type(error).__name__}) : réenregistrez-le en .xlsx "
            "ou exportez-le en CSV."
        ) from None
    try:
        sheets = []
        for sheet in workbook.worksheets:
            rows = [
                (
                    number,
                    _trim([_cell_text(c.value, getattr(c, "number_format", None)) for c in cells]),
                )
                for number, cells in enumerate(sheet.iter_rows(), start=1)
            ]
            sheets.append([(n, cells) for n, cells in rows if cells])
    finally:
        workbook.close()
    for rows in sheets:
        if rows and "code_territoire" in [normalise_header(c) for c in rows[0][1]]:
            break
    else:
        rows = next((r for r in sheets if r), [])
    return _table(rows, "Le classeur ne contient aucune ligne.", "xlsx")


def read_table(content: bytes) -> Table:
    """Read a received file as a table, detecting its container, encoding and separator."""
    if content.startswith(XLSX_MAGIC):
        return read_xlsx_table(content)
    return read_csv_table(content)
