"""Reading the files territories really send, whatever produced them.

Excel and LibreOffice exports, survey-tool exports and hand-made files differ in encoding
(UTF-8 with or without BOM, Windows-1252, UTF-16 "texte Unicode"), separator (``;``, ``,``,
tab), layout (the long template, one row per answer; or the wide export, one row per
territory and one column per question) and container (CSV or ``.xlsx``). This module finds
out which, without asking, and returns the cells numbered as the user sees them in their
spreadsheet: line numbers from 1 with the header, columns as letters (A, B, …).

It is the one reading boundary of every way a file enters (command line, upload page,
inbox): any failure to read — encoding, XML, zip, oversized field, a table too large — is an
:class:`UnreadableFile` with a French message, checked before the work it would cost
(declared sizes of a workbook's parts before inflating them, columns and cells before
building one record per cell). XML is parsed by openpyxl with ``defusedxml``, which refuses
entity declarations (XXE, "billion laughs").
"""

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field

from defusedxml import DefusedXmlException

QUESTION_CODE = re.compile(r"^[A-Z]{2,6}_\d{2}$")
SEPARATORS = (";", "\t", ",")
SEPARATOR_NAMES = {";": "point-virgule", "\t": "tabulation", ",": "virgule"}
XLSX_MAGIC = b"PK\x03\x04"
#: Fields longer than this are refused (a CSV field this long is a broken quote).
MAX_FIELD_LENGTH = 100_000
#: Largest file read at all, in bytes (the upload page has its own, smaller, limit).
MAX_FILE_BYTES = 50_000_000
#: Most columns in a table (a questionnaire has a few dozen questions).
MAX_COLUMNS = 1_000
#: Most non-empty lines after the header.
MAX_ROWS = 100_000
#: Most cells in a table, up to the last filled one of each row: what bounds validation's
#: time and memory (about 30 µs and a few hundred bytes per answer;
#: ``benchmarks/reading_limits.py``).
MAX_CELLS = 200_000
#: Most cells a workbook's rows may hold, empty ones included (openpyxl fills the gaps).
MAX_SCANNED_XLSX_CELLS = 5_000_000
#: Most parts in a workbook, and their total size once inflated, as the zip declares them
#: (:mod:`zipfile` never inflates a part beyond its declared size).
MAX_XLSX_PARTS = 1_000
MAX_XLSX_INFLATED_BYTES = 100_000_000


class UnreadableFile(Exception):
    """The file is not a table at all; the message says why, in French."""


def _megabytes(size: int) -> str:
    return f"{size / 1e6:.1f}".replace(".", ",") + " Mo"


def _too_large(what: str) -> UnreadableFile:
    return UnreadableFile(
        f"Tableau trop grand : {what}. Un questionnaire compte quelques dizaines de lignes par "
        "territoire : vérifiez qu'il s'agit du bon fichier, ou découpez-le en plusieurs dépôts."
    )


class _Budget:
    """Counts the columns, rows and cells read so far; refuses past the limits."""

    def __init__(self) -> None:
        self.rows = self.cells = 0

    def add(self, cells: list[str]) -> None:
        if len(cells) > MAX_COLUMNS:
            raise _too_large(f"une ligne compte {len(cells)} colonnes, pour {MAX_COLUMNS} au plus")
        self.rows += 1
        self.cells += len(cells)
        if self.rows > MAX_ROWS + 1:
            raise _too_large(f"plus de {MAX_ROWS} lignes")
        if self.cells > MAX_CELLS:
            raise _too_large(f"plus de {MAX_CELLS} cellules")


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


DAMAGED_UTF16 = (
    "Fichier « texte Unicode » (UTF-16) tronqué ou abîmé : exportez-le de nouveau, de "
    "préférence en « CSV UTF-8 »."
)


def bomless_utf16(content: bytes) -> str | None:
    """``"utf-16-le"`` or ``"utf-16-be"`` when the bytes look like UTF-16 text written without
    a BOM (some tools' "Unicode" exports): in a CSV, nearly every character is below U+0100,
    so every other byte is zero, and the others nearly never are."""
    sample = content[:4096]
    if len(sample) < 8:
        return None
    even, odd = sample[0::2], sample[1::2]
    for codec, high, low in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if high.count(0) >= 0.9 * len(high) and low.count(0) <= 0.05 * len(low):
            return codec
    return None


def decode_text(content: bytes) -> tuple[str, str]:
    """Decode bytes as UTF-8 (with or without BOM), UTF-16 (with BOM, or without when
    :func:`bomless_utf16` recognises it), or Windows-1252."""
    if content.startswith(b"\xef\xbb\xbf"):
        try:
            return content[3:].decode("utf-8"), "UTF-8 avec BOM"
        except UnicodeDecodeError:
            content = content[3:]  # a BOM over other bytes: read what follows as below
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return content.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            raise UnreadableFile(DAMAGED_UTF16) from None
    codec = bomless_utf16(content)
    if codec is not None:
        try:
            return content.decode(codec), "UTF-16 sans BOM"
        except UnicodeDecodeError:
            raise UnreadableFile(DAMAGED_UTF16) from None
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
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")) or bomless_utf16(sample):
        return False
    if b"\x00" in sample:
        return True
    control = sum(1 for b in sample if b < 32 and b not in (9, 10, 13))
    return bool(sample) and control / len(sample) > 0.05


def _choose_separator(first_line: str) -> str:
    """The separator that splits the header into known columns, else the most frequent one."""
    for separator in SEPARATORS:
        try:
            cells = next(csv.reader([first_line], delimiter=separator), [])
        except csv.Error:
            continue
        if "code_territoire" in [normalise_header(c) for c in cells]:
            return separator
    return max(SEPARATORS, key=first_line.count)


def _trim(cells: list[str]) -> list[str]:
    end = len(cells)
    while end and not str(cells[end - 1]).strip():
        end -= 1
    return [str(c).strip() for c in cells[:end]]


FIRST_LINE = re.compile(r"[^\r\n]*\S[^\r\n]*")


def read_csv_table(content: bytes) -> Table:
    """Read a CSV file of any supported encoding and separator."""
    if _looks_binary(content):
        raise UnreadableFile(
            "Ce fichier n'est pas un tableau (CSV ou Excel .xlsx). Exportez votre tableau au "
            "format CSV ou enregistrez-le en .xlsx."
        )
    text, encoding = decode_text(content)
    first = FIRST_LINE.search(text)
    first = first.group() if first else ""
    if len(first) > MAX_FIELD_LENGTH:
        columns = max(first.count(separator) for separator in SEPARATORS) + 1
        if columns > MAX_COLUMNS:
            raise _too_large(
                f"la première ligne compte {columns} colonnes, pour {MAX_COLUMNS} au plus"
            )
        raise UnreadableFile(
            f"La première ligne compte {len(first)} caractères : ce n'est pas un en-tête de "
            "colonnes (la ligne 1 doit être : code_territoire;millesime;code_question;"
            "reponse;commentaire). Exportez de nouveau le tableau au format CSV."
        )
    csv.field_size_limit(MAX_FIELD_LENGTH)
    separator = _choose_separator(first)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    records: list[tuple[int, list[str]]] = []
    budget = _Budget()
    line = 1
    try:
        for cells in reader:
            if any(c.strip() for c in cells):
                cells = _trim(cells)
                budget.add(cells)
                records.append((line, cells))
            line = reader.line_num + 1
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            raise UnreadableFile(
                f"Ligne {line} illisible : une cellule dépasse {MAX_FIELD_LENGTH} caractères. "
                "Un guillemet n'est sans doute pas refermé (tout le reste du fichier devient "
                "une seule cellule) : vérifiez les guillemets de cette ligne."
            ) from None
        raise UnreadableFile(
            f"Ligne {line} illisible : un guillemet n'est sans doute pas refermé. "
            "Vérifiez les guillemets de cette ligne."
        ) from None
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


def _caused_by(error: BaseException, kind: type[BaseException]) -> bool:
    """Whether ``error`` or an exception it was raised from is a ``kind``."""
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, kind):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


def _unreadable_workbook(error: Exception) -> UnreadableFile:
    if _caused_by(error, DefusedXmlException):
        return UnreadableFile(
            "Classeur Excel refusé : il déclare des entités XML (DTD), ce que ne fait aucun "
            "classeur enregistré par Excel ou LibreOffice. Réenregistrez-le en .xlsx depuis "
            "votre tableur, ou exportez-le en CSV."
        )
    return UnreadableFile(
        f"Classeur Excel illisible ({type(error).__name__}) : il est abîmé ou incomplet. "
        "Réenregistrez-le en .xlsx depuis votre tableur, ou exportez-le en CSV."
    )


def check_workbook_container(content: bytes) -> None:
    """Refuse a workbook whose zip is unreadable, has too many parts or would inflate beyond
    :data:`MAX_XLSX_INFLATED_BYTES`, from its directory alone (nothing is inflated)."""
    try:
        parts = zipfile.ZipFile(io.BytesIO(content)).infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
        raise _unreadable_workbook(error) from None
    inflated = sum(part.file_size for part in parts)
    if len(parts) > MAX_XLSX_PARTS or inflated > MAX_XLSX_INFLATED_BYTES:
        raise UnreadableFile(
            f"Classeur Excel refusé : une fois décompressé, il occuperait "
            f"{_megabytes(inflated)} en {len(parts)} parties (au plus "
            f"{_megabytes(MAX_XLSX_INFLATED_BYTES)} en {MAX_XLSX_PARTS} parties). "
            "Un questionnaire tient en quelques kilo-octets : vérifiez qu'il s'agit du bon "
            "fichier, ou exportez-le en CSV."
        )


def _sheet_rows(sheet, budget: _Budget, scanned: list[int]) -> list[tuple[int, list[str]]]:
    """The non-empty rows of a read-only sheet, numbered; within the budget."""
    sheet.reset_dimensions()  # a declared A1:XFD1048576 must not pad every row
    rows = []
    for number, cells in enumerate(sheet.iter_rows(), start=1):
        scanned[0] += len(cells) + 1
        if scanned[0] > MAX_SCANNED_XLSX_CELLS:
            raise _too_large(f"plus de {MAX_SCANNED_XLSX_CELLS} cellules, vides comprises")
        values = _trim([_cell_text(c.value, getattr(c, "number_format", None)) for c in cells])
        if values:
            budget.add(values)
            rows.append((number, values))
    return rows


def read_xlsx_table(content: bytes) -> Table:
    """Read the first sheet holding a ``code_territoire`` header of an Excel workbook."""
    # Imported when a workbook arrives, not by every process that loads the pipeline.
    import openpyxl

    check_workbook_container(content)
    budget, scanned = _Budget(), [0]
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            sheets = [_sheet_rows(sheet, budget, scanned) for sheet in workbook.worksheets]
        finally:
            workbook.close()
    except UnreadableFile:
        raise
    except Exception as error:  # noqa: BLE001 - whatever openpyxl raises, the file is at fault
        raise _unreadable_workbook(error) from None
    for rows in sheets:
        if rows and "code_territoire" in [normalise_header(c) for c in rows[0][1]]:
            break
    else:
        rows = next((r for r in sheets if r), [])
    return _table(rows, "Le classeur ne contient aucune ligne.", "xlsx")


def too_large_message(size: int) -> str:
    """Why a file of ``size`` bytes, over :data:`MAX_FILE_BYTES`, is not read (French)."""
    return (
        f"Fichier trop volumineux ({_megabytes(size)}) : la limite est de "
        f"{_megabytes(MAX_FILE_BYTES)}. Un questionnaire tient en quelques kilo-octets : "
        "vérifiez qu'il s'agit du bon fichier."
    )


def read_table(content: bytes) -> Table:
    """Read a received file as a table, detecting its container, encoding and separator.

    Any failure to read is an :class:`UnreadableFile` with a French message.
    """
    if len(content) > MAX_FILE_BYTES:
        raise UnreadableFile(too_large_message(len(content)))
    if content.startswith(XLSX_MAGIC):
        return read_xlsx_table(content)
    return read_csv_table(content)
