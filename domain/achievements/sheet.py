"""Reading and checking an achievement sheet, from a file or from the form.

A sheet arrives as a two-column table (``champ;valeur``, one row per field: CSV or TXT in
any of the house's dialects, or ``.xlsx``), as Markdown (a YAML front matter for the short
fields, a ``## <intitulé>`` section for each long text) or as the strings of the upload
page's form. Whatever the way, the same rules apply, those of each field's type in the
schema (:mod:`schemas.achievement_sheet`), and every mistake is a French
:class:`~domain.submissions.report.ValidationIssue` naming the field (its label and name)
and saying how to fix it. Field names are recognised case-insensitively, with or without
accents, and so are their French labels.

:func:`render_sheet_markdown` writes the canonical file of a sheet (what a sheet entered
through the form is archived as): ``read_sheet`` of it gives the same sheet back.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath

import yaml

from domain.achievements.values import (
    DUPLICATE_FIELD,
    INCONSISTENT,
    MALFORMED,
    MISSING_FIELD,
    OUT_OF_BOUNDS,
    PERSONAL_DATA,
    SLUG,
    SLUG_LENGTH,
    UNKNOWN_FIELD,
    UNKNOWN_QUESTION,
    UNKNOWN_TERRITORY,
    UNKNOWN_VALUE,
    ValueProblem,
    clean_text,
    format_funding,
    format_number,
    integer_text,
    looks_like_contact,
    parse_amount,
    parse_date,
    parse_funding,
    parse_link,
    parse_year,
    plural,
    slug,
)
from domain.submissions.dialects import (
    MAX_FILE_BYTES,
    Table,
    UnreadableFile,
    decode_text,
    read_table,
    too_large_message,
)
from domain.submissions.report import FILE_RULE, ValidationIssue
from schemas.achievement_sheet import SheetField, SheetSchema, load_sheet_schema
from schemas.vocabulary import ERROR, TERRITORY_KINDS, WARNING
from schemas.yaml_files import FileUnreadable, parse_yaml

__all__ = [
    "SheetReading",
    "achievement_id",
    "read_sheet",
    "render_sheet_markdown",
    "sheet_from_form",
    "slug",
]

#: Header cells of the two-column layout (normalised): field name, value, label.
NAME_HEADERS = ("champ", "nom_du_champ", "nom", "field")
VALUE_HEADERS = ("valeur", "value", "reponse")
LABEL_HEADERS = ("intitule", "libelle", "label")
MARKDOWN_SUFFIXES = (".md", ".markdown")
#: What separates the items of a list, by type (``|`` and line breaks everywhere).
ITEM_SEPARATORS = {
    "codes": re.compile(r"[|,;\s]+"),
    "liens": re.compile(r"[|\s]+"),
    "liste": re.compile(r"[|\n]+"),
    "financements": re.compile(r"[|\n]+"),
}
HEADING = re.compile(r"^##\s+(.+?)\s*#*\s*$")


@dataclass(frozen=True)
class SheetReading:
    """A sheet as read: its fields, or ``None`` when any error stops it, and the report."""

    sheet: dict[str, object] | None
    issues: list[ValidationIssue]
    #: False when the file is not a sheet at all (not a table, no ``champ;valeur`` header,
    #: no front matter): the command line exits with 2, as for an unreadable survey file.
    readable: bool = True

    @property
    def accepted(self) -> bool:
        """Whether the sheet has no error (warnings do not stop it)."""
        return self.sheet is not None


def achievement_id(sheet: Mapping[str, object]) -> str:
    """The identifier of a sheet across its versions: ``DEP-13/guichet-numerique``."""
    return f"{sheet['code_territoire']}/{sheet['identifiant']}"


# --------------------------------------------------------------------------- field names


def _key(text: object) -> str:
    """A field name or label as compared: no case, no accents, words joined by ``_``."""
    ascii_text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")


def _aliases(schema: SheetSchema) -> dict[str, str]:
    """Every accepted spelling of a field (its name, its label) → its name."""
    aliases = {}
    for spec in schema.fields:
        aliases[_key(spec.label)] = spec.name
        aliases[_key(spec.name)] = spec.name
    return aliases


def _named(spec: SheetField) -> str:
    return f"« {spec.label} » ({spec.name})"


def _likeness(written: str, alias: str) -> float:
    """How close a written name is to a field's name or label, or to its beginning
    (``budjet`` is close to ``budget_euros``)."""
    ratio = difflib.SequenceMatcher(None, written, alias).ratio()
    if len(written) >= 4 and len(alias) > len(written):
        ratio = max(ratio, difflib.SequenceMatcher(None, written, alias[: len(written)]).ratio())
    return ratio


def _closest(name: str, schema: SheetSchema, cutoff: float = 0.6) -> SheetField | None:
    aliases, written = _aliases(schema), _key(name)
    if not written:
        return None
    best = max(aliases, key=lambda alias: _likeness(written, alias))
    return schema.field(aliases[best]) if _likeness(written, best) >= cutoff else None


def _unknown_field_message(name: str, schema: SheetSchema) -> str:
    close = _closest(name, schema)
    hint = (
        f" Vouliez-vous dire « {close.name} » ({close.label}) ?"
        if close
        else " Les champs sont ceux du modèle (observatoire template --realisation)."
    )
    return f"Champ « {name} » inconnu : corrigez son nom ou supprimez-le.{hint}"


# --------------------------------------------------------------------------- values


@dataclass(frozen=True)
class _Raw:
    """A field's value as written (text, or the items of a YAML list) and where."""

    value: str | list[str]
    line: int | None = None


def _as_text(raw: _Raw) -> str:
    value = "\n".join(raw.value) if isinstance(raw.value, list) else raw.value
    return clean_text(value)


def _items(raw: _Raw, spec: SheetField) -> list[str]:
    parts = raw.value if isinstance(raw.value, list) else [raw.value]
    items: list[str] = []
    for part in parts:
        for item in ITEM_SEPARATORS[spec.type].split(clean_text(part)):
            item = item.strip()
            if item and item not in items:
                items.append(item)
    return items


def _choice(text: str, spec: SheetField) -> str:
    for allowed in spec.allowed:
        if _key(allowed) == _key(text):
            return allowed
    raise ValueProblem(
        f"« {text} » n'est pas une valeur permise : écrivez l'une de celles-ci : "
        + ", ".join(spec.allowed),
        UNKNOWN_VALUE,
    )


def _heading_field(heading: str, schema: SheetSchema) -> tuple[SheetField | None, bool]:
    """The field a Markdown section heading names, and whether it is only close to one."""
    name = _aliases(schema).get(_key(heading))
    if name is not None:
        return schema.field(name), False
    close = _closest(heading, schema, cutoff=0.8)
    return close, close is not None


@dataclass
class _Context:
    """What the rules of a sheet read: its references and the issues found so far."""

    schema: SheetSchema
    territories: Mapping[str, str]
    axes: Sequence[str]
    questions: Collection[str]
    issues: list[ValidationIssue] = field(default_factory=list)

    def add(
        self,
        spec: SheetField | None,
        raw: _Raw | None,
        message: str,
        rule: str,
        severity: str = ERROR,
    ) -> None:
        value = None
        if raw is not None:
            value = " | ".join(raw.value) if isinstance(raw.value, list) else raw.value
            value = value if len(value) <= 80 else value[:79] + "…"
        self.issues.append(
            ValidationIssue(
                line=raw.line if raw else None,
                column=spec.name if spec else None,
                question=None,
                value=value,
                severity=severity,
                message=message,
                rule=rule,
            )
        )

    def allowed_codes(self, spec: SheetField) -> Collection[str]:
        if spec.values == "axes":
            return self.axes
        if spec.values == "questions":
            return self.questions
        return TERRITORY_KINDS


def _codes(items: list[str], spec: SheetField, context: _Context) -> list[str]:
    allowed = context.allowed_codes(spec)
    codes = []
    for item in items:
        code = item.upper()
        if code not in allowed:
            if spec.values == "questions":
                raise ValueProblem(
                    f"question « {item} » inconnue du questionnaire : écrivez des codes de "
                    "question comme SERV_01 (ceux du modèle de réponse), ou laissez vide",
                    UNKNOWN_QUESTION,
                )
            listed = ", ".join(allowed)
            what = "axe" if spec.values == "axes" else "type de territoire"
            raise ValueProblem(
                f"{what} « {item} » inconnu : écrivez des codes parmi {listed}", UNKNOWN_VALUE
            )
        if code not in codes:
            codes.append(code)
    return codes


def _check_value(spec: SheetField, raw: _Raw, context: _Context) -> object:
    """The value of one non-empty field, or :class:`ValueProblem`."""
    if spec.is_list:
        items = _items(raw, spec)
        if spec.max_length:
            for item in items:
                if len(item) > spec.max_length:
                    raise ValueProblem(
                        f"l'élément « {item[:40]}… » compte {len(item)} caractères, pour "
                        f"{spec.max_length} au plus : raccourcissez-le",
                        OUT_OF_BOUNDS,
                    )
        if spec.max_items is not None and len(items) > spec.max_items:
            raise ValueProblem(
                f"{plural(len(items), 'élément')} pour {spec.max_items} au plus : gardez les "
                "plus importants",
                OUT_OF_BOUNDS,
            )
        if spec.min_items and len(items) < spec.min_items:
            raise ValueProblem(
                f"au moins {plural(spec.min_items, 'élément')} attendu"
                f"{'s' if spec.min_items > 1 else ''}",
                OUT_OF_BOUNDS,
            )
        if spec.type == "codes":
            return _codes(items, spec, context)
        if spec.type == "liens":
            return [parse_link(item) for item in items]
        if spec.type == "financements":
            return [parse_funding(item) for item in items]
        return items
    text = _as_text(raw)
    if spec.max_length and len(text) > spec.max_length:
        raise ValueProblem(
            f"{integer_text(len(text))} caractères pour {integer_text(spec.max_length)} au "
            "plus : raccourcissez le texte",
            OUT_OF_BOUNDS,
        )
    if spec.type == "territoire":
        code = text.upper()
        if code not in context.territories:
            raise ValueProblem(
                f"code « {text} » inconnu de l'observatoire : écrivez le code de votre territoire "
                "tel que sa fiche le donne (REG-93, DEP-13, EPCI-200054807, COM-75056)",
                UNKNOWN_TERRITORY,
            )
        return code
    if spec.type == "identifiant":
        if SLUG.match(text) and len(text) >= SLUG_LENGTH[0]:
            return text
        proposal = slug(text)
        example = f", par exemple « {proposal} »" if len(proposal) >= SLUG_LENGTH[0] else ""
        raise ValueProblem(
            f"« {text} » n'est pas un identifiant : de {SLUG_LENGTH[0]} à {SLUG_LENGTH[1]} "
            f"minuscules sans accents, chiffres et tirets{example}"
        )
    if spec.type == "fonction":
        if looks_like_contact(text):
            raise ValueProblem(
                "ni adresse électronique ni numéro de téléphone ici : écrivez seulement la "
                "fonction ou le service à contacter, par exemple « Direction du numérique »",
                PERSONAL_DATA,
            )
        return text
    if spec.type == "texte_long":
        if "<!--" in text:
            raise ValueProblem(
                "« <!-- » ouvre un commentaire, que la lecture d'une fiche Markdown ignore : "
                "retirez-le du texte"
            )
        for line in text.split("\n"):
            heading = HEADING.match(line)
            if heading and _heading_field(heading.group(1), context.schema)[0] is not None:
                raise ValueProblem(
                    f"la ligne « {line} » serait lue comme le titre d'une section de la fiche : "
                    "retirez les « ## » du début de la ligne"
                )
        return text
    if spec.type == "montant":
        return parse_amount(text, spec.maximum)
    if spec.type == "date":
        return parse_date(text, spec.minimum, spec.maximum)
    if spec.type == "annee":
        return parse_year(text, spec.minimum, spec.maximum)
    if spec.type == "choix":
        return _choice(text, spec)
    return text


def _is_empty(raw: _Raw | None) -> bool:
    if raw is None:
        return True
    values = raw.value if isinstance(raw.value, list) else [raw.value]
    return not any(str(value).strip() for value in values)


def _empty_value(spec: SheetField) -> object:
    if spec.is_list:
        return []
    return spec.default


def _check_sheet(raw_fields: dict[str, _Raw], context: _Context) -> dict[str, object] | None:
    """Every field's value, in the schema's order, or ``None`` when any error was found."""
    sheet: dict[str, object] = {}
    failed: set[str] = set()
    for spec in context.schema.fields:
        raw = raw_fields.get(spec.name)
        if _is_empty(raw):
            if spec.required:
                context.add(
                    spec,
                    raw,
                    f"Champ {_named(spec)} obligatoire : il est "
                    f"{'absent' if raw is None else 'vide'}. {spec.help}",
                    MISSING_FIELD,
                )
                failed.add(spec.name)
            sheet[spec.name] = _empty_value(spec)
            continue
        try:
            sheet[spec.name] = _check_value(spec, raw, context)
        except ValueProblem as problem:
            context.add(spec, raw, f"Champ {_named(spec)} : {problem.message}.", problem.rule)
            failed.add(spec.name)
            sheet[spec.name] = _empty_value(spec)
    _check_across(sheet, raw_fields, failed, context)
    if any(issue.severity == ERROR for issue in context.issues):
        return None
    return sheet


def _check_across(
    sheet: dict[str, object], raw_fields: dict[str, _Raw], failed: set[str], context: _Context
) -> None:
    """Rules across fields: dates in order, the year described, shares and amounts."""
    schema = context.schema

    def add(name: str, message: str, rule: str = INCONSISTENT, severity: str = ERROR) -> None:
        spec = schema.field(name)
        context.add(
            spec, raw_fields.get(name), f"Champ {_named(spec)} : {message}.", rule, severity
        )

    start, end = sheet.get("date_debut"), sheet.get("date_fin")
    if isinstance(start, str) and isinstance(end, str):
        common = min(len(start), len(end))
        if end[:common] < start[:common]:
            add("date_fin", f"la fin ({end}) précède le début ({start}) : corrigez l'une des deux")
    if sheet.get("annee") is None and "annee" not in failed and isinstance(end or start, str):
        spec = schema.field("annee")
        try:
            sheet["annee"] = parse_year(str(end or start)[:4], spec.minimum, spec.maximum)
        except ValueProblem:
            add(
                "annee",
                f"vide, elle serait l'année de la {'fin' if end else 'début'} "
                f"({str(end or start)[:4]}), hors de {int(spec.minimum or 0)} à "
                f"{int(spec.maximum or 9999)} : écrivez l'année que la fiche décrit",
                OUT_OF_BOUNDS,
            )
    fundings = sheet.get("financements") or []
    shares = [f["part"] for f in fundings if f.get("part") is not None]
    if sum(shares) > 100 + 1e-9:
        total = format_number(round(sum(shares), 6))
        add("financements", f"les parts font {total} % au total, 100 % au plus : corrigez-les")
    amounts = [f["montant_euros"] for f in fundings if f.get("montant_euros") is not None]
    budget = sheet.get("budget_euros")
    if isinstance(budget, float) and amounts and sum(amounts) > budget + 1e-6:
        add(
            "financements",
            f"les montants font {format_number(sum(amounts))} €, plus que le budget total "
            f"({format_number(budget)} €) : vérifiez l'un ou l'autre",
            severity=WARNING,
        )
    axes = set(sheet.get("axes") or [])
    for question in sheet.get("questions") or []:
        axis = str(question).split("_")[0]
        if axes and axis not in axes:
            add(
                "questions",
                f"la question {question} relève de l'axe {axis}, absent des axes de la fiche : "
                "ajoutez l'axe ou retirez la question",
                severity=WARNING,
            )


# --------------------------------------------------------------------------- readers


def _unreadable(message: str) -> SheetReading:
    issue = ValidationIssue(None, None, None, None, ERROR, message, FILE_RULE)
    return SheetReading(None, [issue], readable=False)


def _collect(
    entries: list[tuple[str, _Raw]], context: _Context, ignore_empty_unknown: bool = False
) -> dict[str, _Raw]:
    """Match each written name to a field; unknown and repeated names are errors."""
    aliases = _aliases(context.schema)
    raw_fields: dict[str, _Raw] = {}
    for name, raw in entries:
        field_name = aliases.get(_key(name))
        if field_name is None:
            if not (ignore_empty_unknown and _is_empty(raw)):
                context.add(None, raw, _unknown_field_message(name, context.schema), UNKNOWN_FIELD)
            continue
        if field_name in raw_fields:
            spec = context.schema.field(field_name)
            first = raw_fields[field_name].line
            where = f" (déjà ligne {first})" if first else ""
            context.add(
                spec,
                raw,
                f"Champ {_named(spec)} écrit deux fois{where} : gardez une seule valeur.",
                DUPLICATE_FIELD,
            )
            continue
        raw_fields[field_name] = raw
    return raw_fields


def _table_entries(table: Table, context: _Context) -> list[tuple[str, _Raw]] | SheetReading:
    header = table.header
    if len(header) < 2 or header[0] not in NAME_HEADERS or header[1] not in VALUE_HEADERS:
        return _unreadable(
            f"Ce tableau n'est pas une fiche réalisation : sa ligne {table.header_line} doit être "
            "l'en-tête « champ;valeur » du modèle (observatoire template --realisation), puis "
            "une ligne par champ, son nom en colonne A et sa valeur en colonne B."
        )
    aliases = _aliases(context.schema)
    has_labels = len(header) > 2 and header[2] in LABEL_HEADERS
    entries = []
    for line, cells in table.rows:
        name = cells[0] if cells else ""
        value = cells[1] if len(cells) > 1 else ""
        known = aliases.get(_key(name))
        # A value cut in two by an unquoted separator spills into the next columns: past the
        # header, or into the label column where the field's label should be.
        cut = len(cells) > len(header) or (
            has_labels
            and known is not None
            and len(cells) > 2
            and bool(cells[2].strip())
            and _key(cells[2]) != _key(context.schema.field(known).label)
        )
        if cut:
            spec = context.schema.field(known) if known else None
            what = f"Champ {_named(spec)}" if spec else f"Ligne {line}"
            context.add(
                spec,
                _Raw(value, line),
                f"{what} : la valeur déborde sur les colonnes suivantes (« {cells[-1][:30]} »). "
                "Si un séparateur (« ; » ou « , ») l'a coupée, entourez-la de guillemets "
                '("…") ou enregistrez le fichier depuis votre tableur ; sinon, videz ces '
                "cellules.",
                MALFORMED,
            )
        entries.append((name if name.strip() else "", _Raw(value, line)))
    return entries


def _yaml_value(value: object) -> str | list[str] | None:
    """A front matter value as text (or the items of a list); ``None`` for a mapping."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, dt.date):
        return value.isoformat()[:10]
    if isinstance(value, float):
        return format_number(value)
    if isinstance(value, list):
        items = [_yaml_value(item) for item in value]
        if any(not isinstance(item, str) for item in items):
            return None
        return items
    if isinstance(value, dict):
        return None
    return str(value)


def _markdown_entries(text: str, context: _Context) -> list[tuple[str, _Raw]] | SheetReading:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not lines or lines[0].strip() != "---":
        return _unreadable(
            "Ce fichier Markdown n'est pas une fiche réalisation : il doit commencer par une "
            "ligne « --- », les champs courts (« code_territoire: DEP-13 »…), une autre ligne "
            "« --- », puis une section « ## Intitulé » par texte long, comme le modèle "
            "(observatoire template --realisation --format md)."
        )
    closing = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if closing is None:
        return _unreadable(
            "L'en-tête de la fiche (entre deux lignes « --- ») n'est pas refermé : ajoutez une "
            "ligne « --- » après le dernier champ court."
        )
    # One blank line first, so that YAML's line numbers are the file's.
    front = "\n" + "\n".join(lines[1:closing])
    control = next(
        (
            i
            for i, c in enumerate(front)
            if unicodedata.category(c) in ("Cc", "Cs") and c not in "\n\t"
        ),
        None,
    )
    if control is not None:
        return _unreadable(
            f"L'en-tête de la fiche contient un caractère de contrôle invisible "
            f"(U+{ord(front[control]):04X}) ligne {front.count(chr(10), 0, control) + 1} : "
            "retapez cette ligne."
        )
    try:
        document = parse_yaml(front, source="L'en-tête de la fiche")
    except FileUnreadable as error:
        return _unreadable(
            f"{error}. Entourez de guillemets une valeur qui contient « : » ou commence par "
            'un signe (« titre: "Données : un portail" »).'
        )
    data = document.data
    if data is not None and not isinstance(data, dict):
        return _unreadable(
            "L'en-tête de la fiche doit lister des champs « nom: valeur », un par ligne."
        )
    entries: list[tuple[str, _Raw]] = []
    for name, value in (data or {}).items():
        line = document.lines.get((str(name),))
        written = _yaml_value(value)
        if written is None:
            known = _aliases(context.schema).get(_key(name))
            context.add(
                context.schema.field(known) if known else None,
                _Raw("", line),
                f"Champ « {name} » : valeur illisible (un tableau de clés) : écrivez du texte, "
                "ou des éléments séparés par « | ».",
                MALFORMED,
            )
            continue
        entries.append((str(name), _Raw(written, line)))
    for path, line in document.duplicates:
        context.add(
            None,
            _Raw("", line),
            f"Champ « {path[-1]} » écrit deux fois dans l'en-tête : gardez une seule valeur.",
            DUPLICATE_FIELD,
        )
    body = "\n".join(lines[closing + 1 :])
    body = re.sub(r"<!--.*?-->", lambda m: "\n" * m.group().count("\n"), body, flags=re.DOTALL)
    current: tuple[str, int] | None = None
    collected: list[str] = []

    def close_section() -> None:
        if current is not None and current[0]:
            entries.append((current[0], _Raw("\n".join(collected), current[1])))

    first_line = closing + 2
    for number, line in enumerate(body.split("\n"), start=first_line):
        heading = HEADING.match(line)
        if heading:
            spec, only_close = _heading_field(heading.group(1), context.schema)
            if spec is not None and not only_close:
                close_section()
                current, collected = (spec.name, number), []
                continue
            if spec is not None or current is None:
                hint = (
                    f" Vouliez-vous dire « ## {spec.label} » ?"
                    if spec
                    else " Les sections sont les intitulés des textes longs du modèle."
                )
                context.add(
                    None,
                    _Raw(line, number),
                    f"Section « {heading.group(1)} » inconnue : corrigez son titre.{hint}",
                    UNKNOWN_FIELD,
                )
                close_section()
                current, collected = ("", number), []
                continue
        if current is None:
            if line.strip() and not line.startswith("# "):
                context.add(
                    None,
                    _Raw(line, number),
                    "Texte hors de toute section, ignoré : placez-le sous la section « ## … » "
                    "du champ qu'il décrit.",
                    UNKNOWN_FIELD,
                    severity=WARNING,
                )
            continue
        collected.append(line)
    close_section()
    return entries


def _reading(entries: list[tuple[str, _Raw]], context: _Context) -> SheetReading:
    nameless = [raw for name, raw in entries if not name.strip()]
    for raw in nameless:
        if not _is_empty(raw):
            context.add(
                None,
                raw,
                "Valeur sans nom de champ : écrivez en colonne A le nom du champ qu'elle remplit.",
                UNKNOWN_FIELD,
            )
    named = [(name, raw) for name, raw in entries if name.strip()]
    if not named:
        return _unreadable(
            "La fiche ne contient aucun champ : remplissez le modèle "
            "(observatoire template --realisation)."
        )
    sheet = _check_sheet(_collect(named, context), context)
    return SheetReading(sheet, context.issues)


def _context(
    territories: Mapping[str, str], axes: Collection[str], questions: Collection[str]
) -> _Context:
    return _Context(load_sheet_schema(), territories, list(axes), set(questions))


def read_sheet(
    content: bytes,
    file_name: str,
    territories: Mapping[str, str],
    axes: Collection[str],
    questions: Collection[str],
) -> SheetReading:
    """Read and check a sheet file: CSV/TXT or ``.xlsx`` in two columns ``champ;valeur``, or
    Markdown with a YAML front matter (``territories``: code → kind; ``axes`` and
    ``questions``: the codes of the questionnaire)."""
    context = _context(territories, axes, questions)
    if len(content) > MAX_FILE_BYTES:
        return _unreadable(too_large_message(len(content)))
    suffix = PurePath(file_name).suffix.lower()
    looks_markdown = content.lstrip(b"\xef\xbb\xbf").startswith(b"---")
    if suffix in MARKDOWN_SUFFIXES or (looks_markdown and suffix != ".xlsx"):
        text, _ = decode_text(content)
        if "\x00" in text:
            return _unreadable("Ce fichier n'est pas un texte Markdown : enregistrez-le en UTF-8.")
        entries = _markdown_entries(text, context)
    else:
        try:
            entries = _table_entries(read_table(content), context)
        except UnreadableFile as error:
            return _unreadable(str(error))
    if isinstance(entries, SheetReading):
        return entries
    return _reading(entries, context)


def sheet_from_form(
    fields: Mapping[str, str],
    territories: Mapping[str, str],
    axes: Collection[str],
    questions: Collection[str],
) -> SheetReading:
    """Check the strings of the upload page's form, with the same rules as a file; an empty
    ``identifiant`` is made from the title."""
    context = _context(territories, axes, questions)
    entries = [
        (name, _Raw(str(value if value is not None else ""))) for name, value in fields.items()
    ]
    raw_fields = _collect(entries, context, ignore_empty_unknown=True)
    if _is_empty(raw_fields.get("identifiant")) and not _is_empty(raw_fields.get("titre")):
        raw_fields["identifiant"] = _Raw(slug(_as_text_or_empty(raw_fields["titre"])))
    sheet = _check_sheet(raw_fields, context)
    return SheetReading(sheet, context.issues)


def _as_text_or_empty(raw: _Raw) -> str:
    try:
        return _as_text(raw)
    except ValueProblem:
        return ""


# --------------------------------------------------------------------------- writing


def _front_value(spec: SheetField, value: object) -> object:
    if value is None:
        return None
    if spec.type == "financements":
        return [format_funding(item) for item in value]  # type: ignore[union-attr]
    if spec.type == "codes":
        return " | ".join(value) if value else None  # type: ignore[arg-type]
    if spec.is_list:
        return list(value) or None  # type: ignore[call-overload]
    if spec.type == "montant":
        return format_number(float(value))  # type: ignore[arg-type]
    return value


def render_sheet_markdown(sheet: Mapping[str, object]) -> str:
    """The canonical file of a sheet: short fields in a YAML front matter, each long text in
    a ``## <label>`` section; :func:`read_sheet` of it gives ``sheet`` back."""
    schema = load_sheet_schema()
    lines = ["---"]
    for spec in schema.fields:
        if spec.type == "texte_long":
            continue
        value = _front_value(spec, sheet.get(spec.name))
        dumped = yaml.safe_dump(
            {spec.name: value}, allow_unicode=True, sort_keys=False, width=10_000
        )
        lines.append(
            dumped.rstrip("\n").replace(": null", ":", 1) if value is None else dumped.rstrip("\n")
        )
    lines.append("---")
    for spec in schema.fields:
        if spec.type != "texte_long":
            continue
        lines += ["", f"## {spec.label}", "", str(sheet.get(spec.name) or "")]
    return "\n".join(lines) + "\n"
