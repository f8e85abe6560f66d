"""Files that territories make by mistake and files an attacker makes, as bytes.

Each builder returns the bytes of one file that the reading boundary
(``domain.submissions.dialects.read_table``) must refuse with a French message, never a
traceback, in bounded time and memory. The tests of the command line, the upload page and
the pipeline use them, and the fuzzer takes them as its seed corpus (:data:`ALL`).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

import openpyxl

LONG_HEADER = "code_territoire;millesime;code_question;reponse;commentaire"


def valid_xlsx(rows: list[list[object]] | None = None) -> bytes:
    """A small well-formed workbook in the long layout (the base the xlsx attacks alter)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(LONG_HEADER.split(";"))
    for row in rows or [["DEP-13", 2026, "LAB_01", "oui", "texte"]]:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def replace_parts(content: bytes, parts: dict[str, bytes]) -> bytes:
    """``content`` (a zip) with the named parts replaced or added."""
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename not in parts:
                target.writestr(info, source.read(info.filename))
        for name, data in parts.items():
            target.writestr(name, data)
    return buffer.getvalue()


def _inline_sheet(prolog: str, cell_text: str) -> bytes:
    """A worksheet part whose A1 holds ``cell_text`` as an inline string, after ``prolog``."""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f"{prolog}"
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        "<sheetData>"
        '<row r="1"><c r="A1" t="inlineStr"><is><t>code_territoire</t></is></c>'
        '<c r="B1" t="inlineStr"><is><t>millesime</t></is></c></row>'
        f'<row r="2"><c r="A2" t="inlineStr"><is><t>{cell_text}</t></is></c>'
        '<c r="B2"><v>2026</v></c></row>'
        "</sheetData></worksheet>"
    ).encode()


def xxe_xlsx() -> bytes:
    """An xlsx whose sheet declares an external entity reading ``/etc/passwd`` (XXE)."""
    prolog = '<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    return replace_parts(valid_xlsx(), {"xl/worksheets/sheet1.xml": _inline_sheet(prolog, "&xxe;")})


def entity_bomb_xlsx(levels: int = 10) -> bytes:
    """An xlsx whose sheet holds a "billion laughs" entity bomb (10^``levels`` expansions)."""
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, levels)
    ]
    prolog = "<!DOCTYPE worksheet [" + "".join(entities) + "]>\n"
    sheet = _inline_sheet(prolog, f"&lol{levels - 1};")
    return replace_parts(valid_xlsx(), {"xl/worksheets/sheet1.xml": sheet})


def corrupt_xlsx() -> bytes:
    """An xlsx whose compressed worksheet data is scrambled (``zlib.error`` when inflated)."""
    content = bytearray(valid_xlsx())
    source = zipfile.ZipFile(io.BytesIO(bytes(content)))
    info = source.getinfo("xl/worksheets/sheet1.xml")
    # The data follow the local header: 30 bytes, the name and the extra field.
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for offset in range(start + 2, start + info.compress_size - 2):
        content[offset] ^= 0x5A
    return bytes(content)


def truncated_xlsx() -> bytes:
    """The first half of a valid xlsx (a download cut short: no central directory)."""
    content = valid_xlsx()
    return content[: len(content) // 2]


def zip_bomb_xlsx(uncompressed_bytes: int = 200_000_000) -> bytes:
    """An xlsx whose worksheet inflates to ``uncompressed_bytes`` of blanks (about 1 MB zipped
    per GB): its declared size gives it away before anything is inflated."""
    content = valid_xlsx()
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename == "xl/worksheets/sheet1.xml":
                continue
            target.writestr(info, source.read(info.filename))
        block = b" " * (1 << 20)
        with target.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(_inline_sheet("", "DEP-13")[: -len(b"</sheetData></worksheet>")])
            for _ in range(uncompressed_bytes // len(block)):
                sheet.write(block)
            sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


def many_entries_xlsx(entries: int = 20_000) -> bytes:
    """An xlsx padded with ``entries`` empty parts (a zip of many entries)."""
    content = valid_xlsx()
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as target:
        for info in source.infolist():
            target.writestr(info, source.read(info.filename))
        for i in range(entries):
            target.writestr(f"xl/media/p{i}.bin", b"")
    return buffer.getvalue()


def huge_header_csv(header_bytes: int = 20_000_000) -> bytes:
    """A CSV whose header line is ``header_bytes`` long, in one unbroken field."""
    return b"code_territoire;" + b"x" * header_bytes + b"\nDEP-13;2026\n"


def oversized_field_csv(field_chars: int = 200_000) -> bytes:
    """A long-template CSV whose comment field, properly quoted, is ``field_chars`` long."""
    return f'{LONG_HEADER}\nDEP-13;2026;LAB_01;oui;"{"x" * field_chars}"\n'.encode()


def unclosed_quote_csv(tail_chars: int = 200_000) -> bytes:
    """A CSV whose quote never closes: the rest of the file is one field."""
    return f'{LONG_HEADER}\n"DEP-13;2026;LAB_01;oui;{"x" * tail_chars}\n'.encode()


def wide_csv(columns: int = 100_000, rows: int = 2, question_codes: bool = True) -> bytes:
    """A wide export with ``columns`` question columns (codes ``QA_00``… when
    ``question_codes``, else ``colonne_N``) and ``rows`` territories."""
    if question_codes:
        names = [
            f"Q{chr(65 + i // 100 % 26)}{chr(65 + i // 2600 % 26)}_{i % 100:02d}"
            for i in range(columns)
        ]
    else:
        names = [f"colonne_{i}" for i in range(columns)]
    header = ";".join(["code_territoire", "millesime", *names])
    body = ";".join(["DEP-13", "2026", *(["1"] * columns)])
    return ("\n".join([header, *([body] * rows)]) + "\n").encode()


def long_csv(rows: int = 150_000) -> bytes:
    """A long-template CSV of ``rows`` answer lines (far more than any questionnaire)."""
    line = "DEP-13;2026;LAB_01;oui;\n"
    return (LONG_HEADER + "\n" + line * rows).encode()


def truncated_utf16_csv() -> bytes:
    """A UTF-16 "texte Unicode" export cut in the middle of a character."""
    text = "code_territoire\tmillesime\tcode_question\treponse\r\nDEP-13\t2026\tLAB_01\toui\r\n"
    content = text.encode("utf-16")
    return content[:-1]


def binary_garbage() -> bytes:
    """Bytes that are no table (an image, an executable)."""
    return bytes(range(256)) * 4


#: Every builder, by name, with its default size (the fuzzer's seed corpus).
ALL: dict[str, Callable[[], bytes]] = {
    "xxe-xlsx": xxe_xlsx,
    "entity-bomb-xlsx": entity_bomb_xlsx,
    "corrupt-xlsx": corrupt_xlsx,
    "truncated-xlsx": truncated_xlsx,
    "zip-bomb-xlsx": zip_bomb_xlsx,
    "many-entries-xlsx": many_entries_xlsx,
    "huge-header-csv": huge_header_csv,
    "oversized-field-csv": oversized_field_csv,
    "unclosed-quote-csv": unclosed_quote_csv,
    "wide-csv": wide_csv,
    "long-csv": long_csv,
    "truncated-utf16-csv": truncated_utf16_csv,
    "binary-garbage": binary_garbage,
}
