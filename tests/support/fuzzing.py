"""Structured fuzzing of submission files: hypothesis strategies that write the files
territories and attackers make, and the oracles every file is held to.

A generated file (:class:`FuzzCase`) carries what it means: the value intended for each
(territory, millésime, question) it answers, when its bytes still say it unambiguously, and
the reasons it must be rejected (an ambiguous or invalid answer, a duplicated row, a DTD in an
xlsx sheet…). :class:`Harness` runs each file through the real entry points (validation, the
``observatoire validate`` and ``submit`` commands in-process, the upload service) and records
what breaks the oracles:

- no crash: no entry point raises, the command line exits with 0, 1 or 2;
- archive identity: what ``submit`` and the upload archived is byte for byte what was sent;
- no silently changed value: an accepted file's answers are the values written, and a file
  holding an answer its question cannot take unambiguously is not accepted.

Per-file time and peak memory (``tracemalloc``, Python allocations of the validation) are
measured beside a floor: reading the same bytes with the standard library alone.

Used by ``tests/unit/test_submission_fuzzing.py`` (a few hundred files, derandomized) and by
``benchmarks/fuzz_submissions.py`` (ten thousand files and more).
"""

from __future__ import annotations

import base64
import contextlib
import csv
import functools
import hashlib
import io
import os
import random
import re
import shutil
import subprocess
import tempfile
import time
import traceback
import tracemalloc
import unicodedata
import zipfile
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from unittest import mock

import openpyxl
import pandas as pd
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st

from domain.questionnaire import Questionnaire, Questionnaires
from domain.submissions.template import TEMPLATE_COLUMNS, template_rows, template_xlsx
from domain.submissions.validation import validate_submission
from schemas.submission import SUBMISSION_COLUMNS

Key = tuple[str, int, str]

NBSP, NNBSP = "\u00a0", "\u202f"


# --- What a file means ------------------------------------------------------------------------


@dataclass(frozen=True)
class Form:
    """One answer as written: its text (or typed cell for xlsx), the value it means when it is
    unambiguous, and why it must be rejected otherwise."""

    text: str
    value: float | None
    #: Why an answer written this way must be rejected (``None``: it is valid).
    bad: str | None = None
    #: Class of the form, for the report (``nombre:espace-fine``).
    label: str = ""
    #: The cell as a spreadsheet user types it (xlsx only): a number, a bool, a text.
    cell: object = None
    number_format: str | None = None


@dataclass(frozen=True)
class Answer:
    territory: str
    kind: str
    millesime: int
    question: str
    form: Form

    @property
    def key(self) -> Key:
        return (self.territory, self.millesime, self.question)


@dataclass(frozen=True)
class FuzzCase:
    """A generated file and what it means."""

    content: bytes
    file_name: str
    family: str
    #: What was done to make the file (layout, dialect, encoding, mutations).
    labels: tuple[str, ...]
    #: Value intended for each key the file answers (``None``: left blank); ``None`` when the
    #: bytes were damaged and no longer say what was meant.
    intended: dict[Key, float | None] | None
    #: Reasons the file must be rejected (or refused as unreadable).
    must_reject: tuple[str, ...] = ()
    #: Classes of the answer forms written (for the report of changed values).
    forms: dict[Key, str] = field(default_factory=dict)
    #: Answers written in a form their question cannot take unambiguously, and why.
    bad: dict[Key, str] = field(default_factory=dict)

    def describe(self) -> str:
        return f"{self.family} [{', '.join(self.labels)}]"


# --- Answer forms per answer type --------------------------------------------------------------


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _group(number: int, separator: str) -> str:
    return f"{number:,}".replace(",", separator)


def valid_form(rng: random.Random, question: dict, exotic: bool = True) -> Form:
    """A valid answer to ``question``, in one of the forms its type accepts; with
    ``exotic=False``, only the plainest (scale labels as written, codes as written)."""
    kind = question["answer_type"]
    if kind == "oui_non":
        text, value = rng.choice(
                [("oui", 1), ("non", 0), ("Oui", 1), ("OUI", 1), ("Non", 0), ("NON", 0),
                 ("o", 1), ("n", 0), ("vrai", 1), ("faux", 0), ("Vrai", 1), ("1", 1),
                 ("0", 0), ("yes", 1), ("no", 0), (" oui ", 1)])  # fmt: skip
        cell = rng.choice([text, bool(value)])
        return Form(text, float(value), label="oui_non", cell=cell)
    if kind == "echelle":
        level = rng.randint(0, 4)
        label = question["scale_labels"][level]
        variants = ["chiffre", "intitule", "majuscules", "minuscules", "sans-accents", "nfd"]
        variant = rng.choice(variants if exotic else variants[:2])
        text = {
            "chiffre": str(level),
            "intitule": label,
            "majuscules": label.upper(),
            "minuscules": label.lower(),
            "sans-accents": strip_accents(label),
            "nfd": unicodedata.normalize("NFD", label),
        }[variant]
        cell = level if variant == "chiffre" and (rng.random() < 0.5) else text
        return Form(text, float(level), label=f"echelle:{variant}", cell=cell)
    if kind == "pourcentage":
        if rng.random() < 0.5:
            value = float(rng.randint(0, 100))
            digits = str(int(value))
        else:
            tenths = rng.randint(10, 999)  # 1,0 … 99,9: never a share below 1
            value = tenths / 10
            digits = f"{tenths // 10}{rng.choice([',', '.'])}{tenths % 10}"
        suffix = rng.choice(["", "", " %", "%", f"{NBSP}%", f"{NNBSP}%"])
        text = digits + suffix
        typed = rng.choice(["texte", "fraction", "nombre"])
        if typed == "fraction":
            return Form(text, value, label=f"pourcentage{'-%' if suffix else ''}",
                        cell=round(value / 100, 4), number_format="0.0%")  # fmt: skip
        cell = text if typed == "texte" else (int(value) if value.is_integer() else value)
        return Form(text, value, label=f"pourcentage{'-%' if suffix else ''}", cell=cell)
    if kind == "nombre":
        number = rng.randint(0, 999) if rng.random() < 0.5 else rng.randint(1000, 5_000_000)
        separator = rng.choice(["", " ", NBSP, NNBSP]) if number >= 1000 else ""
        text = _group(number, separator) if separator else str(number)
        names = {"": "chiffres", " ": "espace", NBSP: "espace-insecable", NNBSP: "espace-fine"}
        cell = rng.choice([text, number, float(number)])
        return Form(text, float(number), label=f"nombre:{names[separator]}", cell=cell)
    if kind == "choix_multiple":
        options = list(question["options"])
        if rng.randint(0, 5) == 0:
            text = rng.choice(["aucun", "Aucune", "néant", "rien"])
            return Form(text, 0.0, label="choix:aucun", cell=text)
        chosen = rng.sample(options, rng.randint(1, len(options)))
        parts = [
            rng.choice([code, label, code.upper(), label.lower()] if exotic else [code])
            for code, label in chosen
        ]
        separator = rng.choice(["|", " | ", ";", "; "])
        text = separator.join(parts)
        return Form(text, float(len(chosen)), label="choix", cell=text)
    raise ValueError(kind)


def bad_form(rng: random.Random, question: dict) -> Form:
    """An answer ``question`` cannot take, or can only take by guessing: it must be an error."""
    kind = question["answer_type"]
    control = rng.choice(["\r", "\n", "\x0b", "\x1f", "\t"])
    if kind == "oui_non":
        text, why = rng.choice(
                [("peut-être", "invalide"), ("oui/non", "invalide"), ("2", "invalide"),
                 (f"o{control}ui", "caractere-de-controle"), ("N/A", "invalide")])  # fmt: skip
    elif kind == "echelle":
        text, why = rng.choice(
                [("5", "hors-echelle"), ("-1", "hors-echelle"), ("2,5", "decimal"),
                 ("2.5", "decimal"), ("deux", "invalide"), (f"1{control}2", "caractere-de-controle")])  # fmt: skip
    elif kind == "pourcentage":
        hundredths = rng.randint(1, 99)
        share = f"0{rng.choice([',', '.'])}{hundredths:02d}"
        text, why = rng.choice(
                [(share, "part-ou-pourcentage"), ("145", "plus-de-100"), ("-5", "negatif"),
                 ("beaucoup", "invalide"), (f"4{control}5", "caractere-de-controle")])  # fmt: skip
        if why == "part-ou-pourcentage" and (rng.random() < 0.5):
            # A typed share in a cell without the percentage format: 0.45 or 45 %?
            return Form(text, None, f"pourcentage:{why}", f"pourcentage:{why}",
                        cell=float(text.replace(",", ".")))  # fmt: skip
    elif kind == "nombre":
        thousands = rng.randint(1, 999)
        rest = rng.randint(0, 999)
        text, why = rng.choice(
                [(f"{thousands}.{rest:03d}", "milliers-point"),
                 (f"{thousands},{rest:03d}", "milliers-virgule"),
                 (f"{thousands}.{rest:03d}.000", "milliers-point"),
                 (f"{thousands},5", "decimal"), (f"-{thousands}", "negatif"),
                 (f"{thousands}{control}{rest}", "caractere-de-controle"), ("douze", "invalide"),
                 ("1e3", "invalide")])  # fmt: skip
        if why == "decimal" and (rng.random() < 0.5):
            return Form(text, None, f"nombre:{why}", f"nombre:{why}",
                        cell=float(text.replace(",", ".")))  # fmt: skip
    else:
        text, why = rng.choice(
                [("autre", "choix-inconnu"), ("aucun|" + question["options"][0][0], "invalide"),
                 (f"{question['options'][0][0]}{control}x", "caractere-de-controle")])  # fmt: skip
    return Form(text, None, f"{kind}:{why}", f"{kind}:{why}", cell=text)


# --- A submission, then a file ---------------------------------------------------------------


@dataclass(frozen=True)
class Context:
    """What the generators draw from: the questionnaires and a small territory reference."""

    questionnaires: Questionnaires
    territories: pd.DataFrame

    @functools.cached_property
    def questions_by_kind(self) -> dict[tuple[str, str], list[dict]]:
        return {
            (q.version, kind): q.questions_for_kind(kind).to_dict("records")
            for q in self.questionnaires.versions
            for kind in q.territory_kinds
        }

    @functools.cached_property
    def codes_by_kind(self) -> dict[str, list[str]]:
        return self.territories.groupby("kind")["code"].apply(list).to_dict()


@dataclass
class Submission:
    """The answers of a file before it is written: one list of answers per territory."""

    millesime: int
    questionnaire: Questionnaire
    territories: list[tuple[str, str]]
    answers: list[Answer]
    must_reject: list[str] = field(default_factory=list)
    #: The generator's own random source (drawn by hypothesis), for the many small choices.
    rng: random.Random = field(default_factory=random.Random)


@st.composite
def submissions(
    draw, context: Context, max_territories: int = 1, same_kind: bool = True, defect: str = ""
):
    """The answers of one to ``max_territories`` territories for a millésime.

    ``defect`` says what may be wrong: ``"reponse"``, one or two answers their question cannot
    take unambiguously; ``""``, none, but then a quarter of the files use the rarer valid
    forms (scale labels without accents or decomposed, codes in capitals…).
    """
    rng = random.Random(draw(st.integers(0, 2**64 - 1)))
    millesime = draw(st.sampled_from(context.questionnaires.open_millesimes))
    questionnaire = context.questionnaires.for_millesime(millesime)
    kinds = sorted(context.codes_by_kind)
    first_kind = draw(st.sampled_from(kinds))
    count = draw(st.integers(1, max_territories))
    chosen = []
    for _ in range(count):
        kind = first_kind if same_kind else draw(st.sampled_from(kinds))
        code = draw(st.sampled_from(context.codes_by_kind[kind]))
        if code not in [c for c, _ in chosen]:
            chosen.append((code, kind))
    answers, must_reject = [], []
    exotic = not defect and rng.randint(0, 3) == 0  # most keep to the plainest forms
    for code, kind in chosen:
        for question in context.questions_by_kind[(questionnaire.version, kind)]:
            if not question["required"] and rng.randint(0, 9) == 0:
                form = Form("", None, label="vide", cell=None)
            else:
                form = valid_form(rng, question, exotic)
            answers.append(Answer(code, kind, millesime, question["code"], form))
    if defect == "reponse":
        by_code = {q["code"]: q for q in questionnaire.questions.to_dict("records")}
        numeric = [
            i for i, a in enumerate(answers)
            if by_code[a.question]["answer_type"] in ("nombre", "pourcentage")
        ]  # fmt: skip
        for _ in range(rng.choice([1, 1, 1, 2])):
            pool = numeric if numeric and (rng.random() < 0.5) else range(len(answers))
            at = rng.choice(list(pool))
            answer = answers[at]
            if answer.form.bad:
                continue
            form = bad_form(rng, by_code[answer.question])
            answers[at] = Answer(answer.territory, answer.kind, millesime, answer.question, form)
            must_reject.append(form.bad)
    return Submission(millesime, questionnaire, chosen, answers, must_reject, rng)


def _required_blank(submission: Submission) -> list[str]:
    required = set(submission.questionnaire.questions.loc[
        submission.questionnaire.questions["required"], "code"
    ])  # fmt: skip
    return [
        "obligatoire-vide"
        for a in submission.answers
        if a.question in required and a.form.value is None and a.form.bad is None
    ][:1]


def _comment(rng: random.Random) -> str:
    return rng.choice(
        ["", "", "", "Chiffre provisoire", "Voir délibération; n° 12, « 2025 »",
         'Texte "entre guillemets"', "ligne 1\nligne 2"]
    )  # fmt: skip


@st.composite
def csv_cases(draw, context: Context) -> FuzzCase:
    """A CSV file: long template, template with its help columns, or wide export; in any
    dialect and encoding; with the mutations of rows and columns files go through."""
    layout = draw(st.sampled_from(["long", "long", "modele", "large", "large-mixte"]))
    wide = layout.startswith("large")
    # At most one kind of defect per file, so that one does not hide another.
    defect = draw(st.sampled_from(["", "reponse", "structure"]))
    submission = draw(
        submissions(
            context, max_territories=3 if wide else 2, same_kind=layout != "large-mixte",
            defect=defect,
        )
    )  # fmt: skip
    labels = [layout]
    must_reject = list(submission.must_reject) + _required_blank(submission)
    answers = list(submission.answers)
    harmless = ["aucune", "aucune", "melange", "lignes-vides", "colonne-inconnue",
                "colonnes-vides-en-fin", "commentaire-long", "entete-humain"]  # fmt: skip
    defects = ["ligne-dupliquee", "ligne-supprimee", "cellule-en-trop", "colonne-manquante",
               "entete-seul", "champ-enorme", "entete-enorme"]  # fmt: skip
    mutation = draw(st.sampled_from(defects if defect == "structure" else harmless))
    labels.append(mutation)
    if wide:
        header, rows = _wide_table(submission, answers)
    else:
        header, rows = _long_table(submission, answers, with_help=layout == "modele")
    if mutation == "melange":
        rows = draw(st.permutations(rows))
    elif mutation == "ligne-dupliquee" and rows:
        at = draw(st.integers(0, len(rows) - 1))
        rows = [*rows[: at + 1], rows[at], *rows[at + 1 :]]
        must_reject.append("ligne-dupliquee")
    elif mutation == "lignes-vides":
        for _ in range(draw(st.integers(1, 3))):
            at = draw(st.integers(0, len(rows)))
            rows = [*rows[:at], [""] * draw(st.integers(0, len(header))), *rows[at:]]
    elif mutation == "ligne-supprimee" and rows and not wide:
        at = draw(st.integers(0, len(rows) - 1))
        removed = answers.pop(at)
        rows = rows[:at] + rows[at + 1 :]
        if _is_required(submission, removed.question):
            must_reject.append("obligatoire-manquante")
        if removed.form.bad and removed.form.bad in must_reject:
            must_reject.remove(removed.form.bad)
    elif mutation == "cellule-en-trop" and rows:
        at = draw(st.integers(0, len(rows) - 1))
        rows[at] = [*rows[at], *[""] * (len(header) - len(rows[at])), "en trop"]
        must_reject.append("cellule-en-trop")
    elif mutation == "colonne-inconnue":
        at = draw(st.integers(0, len(header)))
        header = [*header[:at], "Remarque interne", *header[at:]]
        rows = [[*row[:at], "x", *row[at:]] for row in rows]
    elif mutation == "colonne-manquante":
        name = draw(st.sampled_from(header))
        at = header.index(name)
        header = header[:at] + header[at + 1 :]
        rows = [row[:at] + row[at + 1 :] for row in rows]
        if name in ("code_territoire", "millesime", "code_question", "reponse"):
            must_reject.append("colonne-obligatoire-manquante")
        elif wide:
            dropped = {a.key for a in answers if a.question == name}
            answers = [a for a in answers if a.key not in dropped]
            if _is_required(submission, name):
                must_reject.append("obligatoire-manquante")
            must_reject = _bad_reasons_left(must_reject, submission.answers, answers)
    elif mutation == "entete-seul":
        rows, answers = [], []
        must_reject = ["aucune-reponse"]
    elif mutation == "colonnes-vides-en-fin":
        header = [*header, "", ""]
        rows = [[*row, "", ""] for row in rows]
    elif mutation == "commentaire-long" and not wide:
        at = draw(st.integers(0, len(rows) - 1)) if rows else None
        if at is not None:
            rows[at][4] = "é" * draw(st.integers(1_000, 20_000))
    elif mutation == "champ-enorme" and rows:
        at = draw(st.integers(0, len(rows) - 1))
        column = header.index("reponse") if "reponse" in header else len(header) - 1
        rows[at][column] = "9" * draw(st.integers(100_001, 400_000))
        must_reject.append("champ-enorme")
    elif mutation == "entete-enorme":
        header = [*header, "x" * draw(st.integers(131_073, 400_000))]
    elif mutation == "entete-humain" and not wide:
        human = {"code_territoire": "Code territoire", "millesime": "Millésime",
                 "code_question": "Code Question", "reponse": "Réponse",
                 "commentaire": "Commentaire "}  # fmt: skip
        header = [human.get(h, h) for h in header]
    if not answers and "aucune-reponse" not in must_reject:
        must_reject.append("aucune-reponse")
    separator = draw(st.sampled_from([";", ",", "\t"]))
    quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]))
    terminator = draw(st.sampled_from(["\r\n", "\n"]))
    labels.append({";": "point-virgule", ",": "virgule", "\t": "tabulation"}[separator])
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=separator, quoting=quoting, lineterminator=terminator)
    writer.writerow(header)
    writer.writerows(rows)
    encoding = draw(
        st.sampled_from(["utf-8", "utf-8", "utf-8-bom", "utf-8-bom", "windows-1252",
                         "windows-1252", "utf-16-le-bom", "utf-16-be-bom", "utf-16-le-sans-bom"])
    )  # fmt: skip
    content, encoding = encode(buffer.getvalue(), encoding)
    labels.append(encoding)
    intended = {a.key: a.form.value for a in answers}
    if draw(st.integers(0, 14)) == 0:
        content = content[: draw(st.integers(0, max(len(content) - 1, 0)))]
        labels.append("tronque")
        intended, must_reject = None, []
    forms = {a.key: a.form.label for a in answers}
    bad = {a.key: a.form.bad for a in answers if a.form.bad} if intended is not None else {}
    return FuzzCase(content, "reponses.csv", "csv", tuple(labels), intended,
                    tuple(dict.fromkeys(must_reject)), forms, bad)  # fmt: skip


def _is_required(submission: Submission, code: str) -> bool:
    questions = submission.questionnaire.questions.set_index("code")
    return code in questions.index and bool(questions.loc[code, "required"])


def _bad_reasons_left(reasons: list[str], before: list[Answer], after: list[Answer]) -> list[str]:
    """Drop the reasons of bad answers no longer in the file."""
    kept = Counter(a.form.bad for a in after if a.form.bad)
    removed = Counter(a.form.bad for a in before if a.form.bad) - kept
    left = list(reasons)
    for reason, n in removed.items():
        for _ in range(n):
            if reason in left:
                left.remove(reason)
    return left


def _long_table(submission: Submission, answers: list[Answer], with_help: bool):
    if with_help:
        by_territory = {}
        for code, kind in submission.territories:
            for row in template_rows(submission.questionnaire, code, kind, submission.millesime):
                by_territory[(code, row[2])] = row
        rows = []
        for a in answers:
            template = by_territory[(a.territory, a.question)]
            rows.append([*template[:3], a.form.text, _comment(submission.rng), *template[5:]])
        return list(TEMPLATE_COLUMNS), rows
    rows = [
        [a.territory, str(a.millesime), a.question, a.form.text, _comment(submission.rng)]
        for a in answers
    ]
    return list(SUBMISSION_COLUMNS), rows


def _wide_table(submission: Submission, answers: list[Answer]):
    codes = list(dict.fromkeys(a.question for a in answers))
    all_codes = list(
        submission.questionnaire.questions.loc[
            submission.questionnaire.questions["code"].isin(codes), "code"
        ]
    )
    by_key = {a.key: a for a in answers}
    rows = []
    for territory, _kind in submission.territories:
        cells = [territory, str(submission.millesime)]
        for code in all_codes:
            answer = by_key.get((territory, submission.millesime, code))
            cells.append(answer.form.text if answer else "")  # a blank: not asked of its kind
        rows.append(cells)
    return ["code_territoire", "millesime", *all_codes], rows


def encode(text: str, encoding: str) -> tuple[bytes, str]:
    """The text as bytes in ``encoding``; Windows-1252 falls back to UTF-8 when a character
    has no code in it (the label says which was used)."""
    if encoding == "utf-8":
        return text.encode("utf-8"), encoding
    if encoding == "utf-8-bom":
        return b"\xef\xbb\xbf" + text.encode("utf-8"), encoding
    if encoding == "windows-1252":
        try:
            return text.encode("cp1252"), encoding
        except UnicodeEncodeError:
            return text.encode("utf-8"), "utf-8 (au lieu de windows-1252)"
    if encoding == "utf-16-le-bom":
        return b"\xff\xfe" + text.encode("utf-16-le"), encoding
    if encoding == "utf-16-be-bom":
        return b"\xfe\xff" + text.encode("utf-16-be"), encoding
    if encoding == "utf-16-le-sans-bom":
        return text.encode("utf-16-le"), encoding
    raise ValueError(encoding)


# --- Workbooks and their zip internals --------------------------------------------------------


#: Characters openpyxl refuses in a cell (XML 1.0 forbids them): written as a line break.
ILLEGAL_IN_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def xlsx_safe(value: object) -> object:
    return ILLEGAL_IN_XLSX.sub("\n", value) if isinstance(value, str) else value


def workbook_bytes(
    header: list[str],
    rows: list[list[object]],
    formats: dict[tuple[int, int], str] | None = None,
    sheets_before: int = 0,
) -> bytes:
    """An openpyxl workbook (as Excel writes one): typed cells, percentage formats, and
    ``sheets_before`` other sheets before the answers."""
    workbook = openpyxl.Workbook()
    first = workbook.active
    for n in range(sheets_before):
        sheet = first if n == 0 else workbook.create_sheet()
        sheet.title = f"Notes {n + 1}"
        if n % 2 == 0:
            sheet.append(["Consignes", "Remplir la feuille Réponses"])
    sheet = first if sheets_before == 0 else workbook.create_sheet("Réponses")
    sheet.append(header)
    for row in rows:
        sheet.append([xlsx_safe(cell) for cell in row])
    for (r, c), number_format in (formats or {}).items():
        sheet.cell(row=r, column=c).number_format = number_format
    buffer = io.BytesIO()
    workbook.save(buffer)
    return reproducible(buffer.getvalue())


_STAMP = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def reproducible(content: bytes) -> bytes:
    """The workbook with fixed dates (entries and document properties), so that the same
    draw gives the same bytes in every run."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _STAMP.sub(rb"\g<1>2026-01-01T00:00:00Z\g<2>", data)
            entry = zipfile.ZipInfo(info.filename, date_time=(2026, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, data)
    return out.getvalue()


def _sheet_entries(content: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]


def rewrite_zip(content: bytes, change: Callable[[str, bytes], bytes]) -> bytes:
    """The workbook with each entry passed through ``change(name, data)``."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=(2026, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, change(info.filename, source.read(info.filename)))
    return out.getvalue()


def inject_doctype(content: bytes, entity_kind: str) -> bytes:
    """Every sheet's XML declares a DTD: an external entity (XXE) or a "billion laughs"."""
    if entity_kind == "xxe":
        dtd = b'<!DOCTYPE worksheet [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        use = b"&e;"
    else:
        levels = [b'<!ENTITY l0 "lol">']
        for n in range(1, 10):
            levels.append(f'<!ENTITY l{n} "{("&l" + str(n - 1) + ";") * 10}">'.encode())
        dtd = b"<!DOCTYPE worksheet [" + b"".join(levels) + b"]>"
        use = b"&l9;"

    def change(name: str, data: bytes) -> bytes:
        if not name.startswith("xl/worksheets/sheet"):
            return data
        declaration_end = data.index(b"?>") + 2 if data.startswith(b"<?xml") else 0
        data = data[:declaration_end] + dtd + data[declaration_end:]
        # The entity used in an inline string cell of the first row.
        return data.replace(
            b"<sheetData>",
            b'<sheetData><row r="1000"><c r="A1000" t="inlineStr"><is><t>' + use
            + b"</t></is></c></row>",
            1,
        ) if b'<row r="1000"' not in data else data  # fmt: skip

    return rewrite_zip(content, change)


@functools.cache
def small_workbook() -> bytes:
    """A complete, valid workbook of DEP-13 for 2026 (the demo's answers, as texts): what the
    hostile workbooks are made of, so that nothing but their hostility can reject them."""
    from domain.questionnaire import load_questionnaires
    from pipelines.demo import demo_rows

    dep13 = pd.Series({"code": "DEP-13", "kind": "DEP", "population": 2_000_000})
    rows = demo_rows(dep13, 2026, 0.6, load_questionnaires().for_millesime(2026), seed=7)
    return workbook_bytes(SUBMISSION_COLUMNS, [[t, int(m), q, a or None, c or None]
                                               for t, m, q, a, c in rows])  # fmt: skip


@functools.cache
def zip_bomb(decompressed_mb: int) -> bytes:
    """A valid-looking workbook whose answer sheet is padded with whitespace to
    ``decompressed_mb`` MB: a few hundred kilobytes that inflate a thousandfold."""
    content = small_workbook()
    padding = b" " * (decompressed_mb * 1_000_000)
    target = _sheet_entries(content)[-1]
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bomb,
    ):
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == target:
                data = data.replace(b"<sheetData>", b"<sheetData>" + padding, 1)
            entry = zipfile.ZipInfo(info.filename, date_time=(2026, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            bomb.writestr(entry, data)
    return out.getvalue()


def corrupt_entry(content: bytes, at: int) -> bytes:
    """The workbook with bytes flipped inside the compressed data of its answer sheet."""
    target = _sheet_entries(content)[-1].encode()
    # The entry's name in its local header, just before its data (openpyxl writes no extra).
    position = content.find(target, content.find(b"PK\x03\x04"))
    start = position + len(target) + 8
    end = min(len(content), start + 200)
    if start >= end:
        return content[: len(content) // 2]
    flip = start + at % (end - start)
    return content[:flip] + bytes([content[flip] ^ 0xFF]) + content[flip + 1 :]


def _typed_row(answer: Answer, comment: str) -> tuple[list[object], str | None]:
    cell = answer.form.cell if answer.form.cell is not None else ""
    return [answer.territory, answer.millesime, answer.question, cell, comment or None], (
        answer.form.number_format
    )


@st.composite
def xlsx_cases(draw, context: Context) -> FuzzCase:
    """An .xlsx workbook: typed cells as Excel stores them, percentage formats, the template
    of ``observatoire template``, several sheets; then what can be done to its zip."""
    defect = draw(st.sampled_from(["", "reponse", "classeur"]))
    submission = draw(submissions(context, max_territories=2, defect=defect))
    answers = list(submission.answers)
    must_reject = list(submission.must_reject) + _required_blank(submission)
    styles = ["cellules-typees", "modele-xlsx", "texte"]
    style = draw(st.sampled_from(styles + ["entete-seul"] if defect == "classeur" else styles))
    labels = [style]
    sheets_before = draw(st.sampled_from([0, 0, 1, 2])) if style != "modele-xlsx" else 0
    if sheets_before:
        labels.append(f"{sheets_before}-feuilles-avant")
    if style == "modele-xlsx":
        rows = []
        for code, kind in submission.territories:
            by_question = {a.question: a for a in answers if a.territory == code}
            for row in template_rows(submission.questionnaire, code, kind, submission.millesime):
                rows.append([*row[:3], xlsx_safe(by_question[row[2]].form.text), *row[4:]])
        content = reproducible(template_xlsx(rows, submission.questionnaire))
        # template_xlsx writes the texts as they are: the intent is the text's.
    elif style == "entete-seul":
        content = workbook_bytes(SUBMISSION_COLUMNS, [], sheets_before=sheets_before)
        answers, must_reject = [], ["aucune-reponse"]
    else:
        rows, formats = [], {}
        for number, answer in enumerate(answers, start=2):
            if style == "texte":
                rows.append([answer.territory, str(answer.millesime), answer.question,
                             answer.form.text, None])  # fmt: skip
                continue
            row, number_format = _typed_row(answer, "")
            rows.append(row)
            if number_format:
                formats[(number, 4)] = number_format
        content = workbook_bytes(SUBMISSION_COLUMNS, rows, formats, sheets_before)
    intended = {a.key: a.form.value for a in answers}
    if defect == "classeur" and style != "entete-seul":
        mutations = ["tronque", "entree-corrompue", "xxe", "milliards-de-rires", "bombe-zip"]
    else:
        mutations = ["aucune", "aucune", "reenregistre-openpyxl"]
    mutation = draw(st.sampled_from(mutations))
    labels.append(mutation)
    if mutation == "reenregistre-openpyxl":
        workbook = openpyxl.load_workbook(io.BytesIO(content))
        buffer = io.BytesIO()
        workbook.save(buffer)
        content = reproducible(buffer.getvalue())
    elif mutation == "tronque":
        content = content[: draw(st.integers(0, len(content) - 1))]
        intended, must_reject = None, []
    elif mutation == "entree-corrompue":
        content = corrupt_entry(content, draw(st.integers(0, 10_000)))
        intended, must_reject = None, []
    elif mutation in ("xxe", "milliards-de-rires"):
        # On one small workbook, always the same bytes: an expensive file is read once.
        content = inject_doctype(small_workbook(), "xxe" if mutation == "xxe" else "laughs")
        intended, must_reject = None, ["dtd-dans-le-xml"]
    elif mutation == "bombe-zip":
        content = zip_bomb(draw(st.sampled_from([120, 200])))
        intended, must_reject = None, ["bombe-zip"]
    if not answers and "aucune-reponse" not in must_reject and intended is not None:
        must_reject.append("aucune-reponse")
    forms = {a.key: a.form.label for a in answers}
    bad = {a.key: a.form.bad for a in answers if a.form.bad} if intended is not None else {}
    return FuzzCase(content, "reponses.xlsx", "xlsx", tuple(labels), intended,
                    tuple(dict.fromkeys(must_reject)), forms, bad)  # fmt: skip


@st.composite
def damaged_cases(draw) -> FuzzCase:
    """The damaged files of :mod:`tests.strategies` (truncated, garbage, spliced…)."""
    from tests.strategies import malformed_files

    content = draw(malformed_files())
    return FuzzCase(content, "abime.csv", "abime", ("octets-abimes",), None)


def fuzz_cases(context: Context) -> st.SearchStrategy[FuzzCase]:
    return st.one_of(csv_cases(context), csv_cases(context), xlsx_cases(context), damaged_cases())


# --- The seed corpus ------------------------------------------------------------------------


def seed_corpus(context: Context, workdir: Path, libreoffice: int = 3) -> list[FuzzCase]:
    """The tricky files the tests already make, plus openpyxl round trips and up to
    ``libreoffice`` LibreOffice conversions (when LibreOffice is installed)."""
    from pipelines.demo import broken_demo_files, demo_rows, to_csv_bytes
    from tests.strategies import VALID

    questionnaire = context.questionnaires.for_millesime(2026)
    reference = context.territories.set_index("code")
    dep13 = pd.Series({"code": "DEP-13", "kind": "DEP", "population": 2_000_000})
    rows = demo_rows(dep13, 2026, 0.6, questionnaire, seed=7)
    types = questionnaire.questions.set_index("code")
    intended = {}
    for territory, millesime, code, answer, _ in rows:
        form = _demo_value(types.loc[code], answer)
        intended[(territory, int(millesime), code)] = form
    cases = [
        FuzzCase(to_csv_bytes(rows), "demo.csv", "corpus", ("demo",), intended),
        FuzzCase(VALID, "valid.csv", "corpus", ("tests.strategies.VALID",), None),
        FuzzCase(
            "code_territoire\tmillesime\tcode_question\treponse\r\nDEP-13\t2026\tLAB_01\tOUI\r\n".encode(
                "utf-16"
            ),
            "unicode.txt",
            "corpus",
            ("utf-16-tab", "incomplet"),
            None,
        ),  # fmt: skip
        FuzzCase(to_csv_bytes([]), "vide.csv", "corpus", ("entete-seul",), {}, ("aucune-reponse",)),
    ]
    for name, content in broken_demo_files(
        reference.reset_index(), questionnaire, 2026
    ).items():  # fmt: skip
        cases.append(FuzzCase(content, name, "corpus", ("demo-abime",), None, ("demo-abime",)))
    # The template as `observatoire template` writes it, filled in, in CSV and xlsx.
    filled = [[*r[:3], a[3], *r[4:]] for r, a in zip(
        template_rows(questionnaire, "DEP-13", "DEP", 2026), rows, strict=True)]  # fmt: skip
    from domain.submissions.template import template_csv

    cases.append(FuzzCase(template_csv(filled), "modele.csv", "corpus", ("modele",), intended))
    xlsx = reproducible(template_xlsx(filled, questionnaire))
    cases.append(FuzzCase(xlsx, "modele.xlsx", "corpus", ("modele-xlsx",), intended))
    # An Excel-like workbook (typed numbers, percentage cells), and its openpyxl round trip.
    typed = excel_like_workbook(rows, questionnaire)
    cases.append(FuzzCase(typed, "excel.xlsx", "corpus", ("excel-types",), intended))
    workbook = openpyxl.load_workbook(io.BytesIO(typed))
    buffer = io.BytesIO()
    workbook.save(buffer)
    cases.append(
        FuzzCase(reproducible(buffer.getvalue()), "excel2.xlsx", "corpus",
                 ("openpyxl-aller-retour",), intended)
    )  # fmt: skip
    for kind in ("xxe", "laughs"):
        cases.append(
            FuzzCase(
                inject_doctype(typed, kind),
                f"{kind}.xlsx",
                "corpus",
                (kind,),
                intended,
                ("dtd-dans-le-xml",),
            )  # fmt: skip
        )
    cases.append(
        FuzzCase(
            b"code_territoire;" + b"x" * 20_000_000 + b"\r\n",
            "entete20mo.csv",
            "corpus",
            ("entete-20-mo",),
            None,
        )  # fmt: skip
    )
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if libreoffice and soffice:
        conversions = libreoffice_round_trips(
            soffice, typed, to_csv_bytes(rows), workdir, libreoffice
        )
        for label, content in conversions.items():
            suffix = ".xlsx" if content.startswith(b"PK") else ".csv"
            cases.append(FuzzCase(content, f"lo{suffix}", "corpus", (label,), intended))
    return cases


def _demo_value(question: pd.Series, answer: str) -> float | None:
    if answer == "":
        return None
    kind = question["answer_type"]
    if kind == "oui_non":
        return 1.0 if answer == "oui" else 0.0
    if kind == "choix_multiple":
        return 0.0 if answer == "aucun" else float(len(answer.split("|")))
    return float(answer.replace(",", "."))


def excel_like_workbook(rows: list[list[str]], questionnaire: Questionnaire) -> bytes:
    """A workbook as Excel saves it: numbers as numbers, percentages as formatted fractions."""
    questions = questionnaire.questions.set_index("code")
    typed, formats = [], {}
    for number, (territory, millesime, code, answer, comment) in enumerate(rows, start=2):
        kind = questions.loc[code, "answer_type"]
        cell: object = answer or None
        if answer and kind in ("echelle", "nombre"):
            cell = int(answer)
        elif answer and kind == "pourcentage":
            cell = round(float(answer.replace(",", ".")) / 100, 4)
            formats[(number, 4)] = "0.0%"
        typed.append([territory, int(millesime), code, cell, comment or "très provisoire"])
    return workbook_bytes(SUBMISSION_COLUMNS, typed, formats)


def libreoffice_round_trips(
    soffice: str, workbook: bytes, csv_bytes: bytes, workdir: Path, count: int = 3
) -> dict[str, bytes]:
    """The workbook saved by LibreOffice as CSV (Windows-1252 ``;``, UTF-8 ``,``) and the CSV
    saved as .xlsx; one LibreOffice start per conversion filter."""
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "classeur.xlsx").write_bytes(workbook)
    (workdir / "texte.csv").write_bytes(csv_bytes.decode().encode("cp1252"))
    profile = f"-env:UserInstallation=file://{workdir}/lo-profile"
    out: dict[str, bytes] = {}
    jobs = {
        "libreoffice-csv-1252-point-virgule": (
            ["--convert-to", "csv:Text - txt - csv (StarCalc):59,34,1,1"], "classeur.xlsx", ".csv"
        ),
        "libreoffice-csv-utf8-virgule": (
            ["--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1"], "classeur.xlsx", ".csv"
        ),
        "libreoffice-xlsx": (
            ["--infilter=Text - txt - csv (StarCalc):59,34,1,1", "--convert-to", "xlsx"],
            "texte.csv", ".xlsx",
        ),
    }  # fmt: skip
    for label, (options, source, suffix) in list(jobs.items())[:count]:
        target = workdir / label
        try:
            subprocess.run(
                [soffice, "--headless", profile, *options, "--outdir", str(target),
                 str(workdir / source)],
                check=True, capture_output=True, timeout=180,
            )  # fmt: skip
            out[label] = next(target.glob(f"*{suffix}")).read_bytes()
        except (subprocess.SubprocessError, StopIteration, OSError):
            continue
    return out


# --- The oracles -----------------------------------------------------------------------------

CRASH, ARCHIVE, CHANGED, ACCEPTED_BAD, REJECTED_VALID = (
    "plantage", "archive différente", "valeur changée", "accepté à tort", "valide rejeté",
)  # fmt: skip
#: Findings that break an oracle (``valide rejeté`` is reported, not a failure).
FAILURES = (CRASH, ARCHIVE, CHANGED, ACCEPTED_BAD)


@dataclass(frozen=True)
class Finding:
    oracle: str
    #: Class of the finding, for counting (``validate: ParseError``, ``nombre:milliers-point``).
    kind: str
    detail: str = ""


@dataclass(frozen=True)
class _Run:
    """What the entry points did with some bytes (whatever the bytes were meant to say)."""

    findings: list[Finding]
    result: object
    seconds: float
    #: Peak of Python allocations (tracemalloc) of ``observatoire validate`` on the file,
    #: and the time of every entry point; ``None`` when they did not run on this file.
    peak_bytes: int | None
    floor_seconds: float
    all_entry_points_seconds: float | None


@dataclass
class Outcome:
    case: FuzzCase
    findings: list[Finding]
    seconds: float
    peak_bytes: int | None
    floor_seconds: float
    all_entry_points_seconds: float | None
    accepted: bool | None


def _crash(entry: str, error: BaseException) -> Finding:
    last = traceback.extract_tb(error.__traceback__)[-1:]
    where = f" ({Path(last[0].filename).name}:{last[0].lineno})" if last else ""
    message = str(error).split(":")[0][:70]
    return Finding(
        CRASH,
        f"{entry}: {type(error).__name__} « {message} »{where}",
        "".join(traceback.format_exception(error))[-4000:],
    )


def _run_command(command: str, path: Path) -> tuple[list[Finding], int | None, str]:
    """``observatoire COMMAND FILE`` in this process: findings, exit code, what it printed."""
    from pipelines.cli import main

    output = io.StringIO()
    try:
        with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
            code = main([command, str(path)])
    except SystemExit as error:
        return [], error.code if isinstance(error.code, int) else 2, output.getvalue()
    except Exception as error:  # noqa: BLE001 - the oracle records any crash
        return [_crash(f"observatoire {command}", error)], None, output.getvalue()
    return [], code, output.getvalue()


def floor_read(content: bytes) -> None:
    """Reading the same bytes with the standard library alone: the zip entries inflated, or
    the text decoded and split by the csv module."""
    if content.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                for name in archive.namelist():
                    archive.read(name)
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, KeyError, ValueError):
            pass
        return
    text = content.decode("utf-8", errors="replace")
    limit = csv.field_size_limit()
    csv.field_size_limit(1 << 30)
    try:
        list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    except csv.Error:
        pass
    finally:
        csv.field_size_limit(limit)


def check_values(case: FuzzCase, answers: pd.DataFrame) -> list[Finding]:
    """An accepted file: each answer is the value written, and nothing the file holds had to
    be rejected (an answer its question cannot take unambiguously, a duplicated row…)."""
    answer_reasons = set(case.bad.values())
    findings = [
        Finding(ACCEPTED_BAD, reason, case.describe())
        for reason in case.must_reject
        if reason not in answer_reasons
    ]
    if case.intended is None:
        return findings
    seen = set()
    for row in answers.itertuples(index=False):
        key = (row.territory, int(row.millesime), row.question)
        seen.add(key)
        value = None if pd.isna(row.value) else float(row.value)
        if key in case.bad:
            findings.append(
                Finding(
                    ACCEPTED_BAD, case.bad[key], f"{key}: écrit {row.answer!r}, accepté {value}"
                )
            )
            continue
        if key not in case.intended:
            if value is None:  # a blank cell (a question not asked of this kind): no answer
                continue
            findings.append(Finding(CHANGED, "réponse non écrite", f"{key} = {value}"))
            continue
        wanted = case.intended[key]
        if (wanted is None) != (value is None) or (
            wanted is not None and abs(wanted - value) > 1e-9 * max(1.0, abs(wanted))
        ):
            findings.append(
                Finding(
                    CHANGED,
                    case.forms.get(key, "?"),
                    f"{key}: écrit {row.answer!r} pour {wanted}, accepté {value}",
                )
            )
    for key, reason in case.bad.items():
        if key not in seen:
            findings.append(Finding(ACCEPTED_BAD, f"{reason} (ignorée)", f"{key}"))
    for key, wanted in case.intended.items():
        if wanted is not None and key not in seen and key not in case.bad:
            findings.append(Finding(CHANGED, "réponse perdue", f"{key}: écrit {wanted}"))
    return findings


class Harness:
    """The real entry points, pointed at a scratch folder: validation, the command line
    (``validate`` and ``submit``, in-process) and the upload service.

    The command line and the upload service load the reference and the questionnaires
    themselves; while the harness is open they get ``context``'s (the small reference),
    so that a file costs its own reading, not the loading of France's reference.
    """

    def __init__(self, context: Context, workdir: Path, every: int = 1):
        self.context = context
        self.workdir = workdir
        #: The command line and the upload run on one file in ``every`` (and on every file
        #: whose validation raised, is over 200 kB or took over half a second).
        self.every = every
        self.checked = 0
        #: Files run through the command line and the upload service.
        self.full_runs = 0
        self._stack = contextlib.ExitStack()
        self.token: dict[str, str] = {}
        self._memo: dict[tuple, _Run] = {}
        #: Files whose bytes were already read (remembered because they were expensive).
        self.reused = 0

    def __enter__(self) -> Harness:
        from domain.submissions.tokens import create_token

        for name in ("incoming", "archive", "files"):
            (self.workdir / name).mkdir(parents=True, exist_ok=True)
        environment = {
            "OBSERVATOIRE_INCOMING": str(self.workdir / "incoming"),
            "OBSERVATOIRE_ARCHIVE": str(self.workdir / "archive"),
            "OBSERVATOIRE_TOKENS": str(self.workdir / "tokens.sqlite"),
        }
        self._stack.enter_context(mock.patch.dict(os.environ, environment))
        territories = self.context.territories
        questionnaires = self.context.questionnaires
        self._stack.enter_context(
            mock.patch("domain.reference.load_territory_reference", lambda: territories.copy())
        )
        self._stack.enter_context(
            mock.patch("domain.questionnaire.load_questionnaires", lambda *a: questionnaires)
        )
        store = self.workdir / "tokens.sqlite"
        for code in territories["code"]:
            self.token[code] = create_token(store, code).token
        return self

    def __exit__(self, *exc) -> None:
        self._stack.close()

    def _clear(self) -> None:
        for name in ("incoming", "archive"):
            shutil.rmtree(self.workdir / name, ignore_errors=True)
            (self.workdir / name).mkdir()

    def _archived(self, content: bytes, suffix: str) -> Path:
        from domain.submissions.archive import ARCHIVED_SUFFIXES

        sha = hashlib.sha256(content).hexdigest()
        suffix = suffix if suffix in ARCHIVED_SUFFIXES else ".bin"
        return self.workdir / "archive" / sha[:2] / f"{sha}{suffix}"

    def _archive_findings(self, entry: str, content: bytes, suffix: str) -> list[Finding]:
        path = self._archived(content, suffix)
        if not path.exists():
            return [Finding(ARCHIVE, f"{entry}: non archivé")]
        if path.read_bytes() != content:
            return [Finding(ARCHIVE, f"{entry}: octets différents")]
        return []

    def check(self, case: FuzzCase) -> Outcome:
        """Run ``case`` through every entry point and hold it to the oracles.

        Files that cost more than a second are remembered by their bytes: the same bytes
        drawn again (a zip bomb is always the same) are not read again.
        """
        key = (hashlib.sha256(case.content).digest(), case.file_name, self._territory_of(case))
        run = self._memo.get(key)
        self.checked += 1
        if run is None:
            run = self._run(case, self.checked % self.every == 1 % self.every)
            if run.seconds > 1.0:
                self._memo[key] = run
        else:
            self.reused += 1
        findings = list(run.findings)
        result = run.result
        if result is not None and result.accepted:
            findings += check_values(case, result.answers)
        elif result is not None and case.intended is not None and not case.must_reject:
            findings.append(Finding(REJECTED_VALID, _first_error(result), case.describe()))
        accepted = None if result is None else result.accepted
        return Outcome(
            case, findings, run.seconds, run.peak_bytes, run.floor_seconds,
            run.all_entry_points_seconds, accepted,
        )  # fmt: skip

    def _run(self, case: FuzzCase, full: bool) -> _Run:
        findings: list[Finding] = []
        territories = self.context.territories[["code", "kind"]]
        started = time.perf_counter()
        floor_read(case.content)
        floor_seconds = time.perf_counter() - started

        result = None
        started = time.perf_counter()
        try:
            result = validate_submission(case.content, territories, self.context.questionnaires)
        except Exception as error:  # noqa: BLE001 - the oracle records any crash
            findings.append(_crash("validation", error))
        seconds = time.perf_counter() - started
        full = full or result is None or len(case.content) > 200_000 or seconds > 0.5
        if not full:
            return _Run(findings, result, seconds, None, floor_seconds, None)
        self.full_runs += 1
        all_started = time.perf_counter()
        self._clear()
        path = self.workdir / "files" / case.file_name
        path.write_bytes(case.content)
        peak = None
        for command in ("validate", "submit"):
            if command == "validate":
                tracemalloc.start()
            finding, code, printed = _run_command(command, path)
            if command == "validate":
                peak = tracemalloc.get_traced_memory()[1]
                tracemalloc.stop()
            findings += finding
            if code is not None and code not in (0, 1, 2):
                findings.append(Finding(CRASH, f"observatoire {command}: code {code}"))
            elif code is not None and result is not None:
                expected = 0 if result.accepted else (1 if result.readable else 2)
                if code != expected:
                    findings.append(
                        Finding(CRASH, f"observatoire {command}: code {code} ≠ {expected}")
                    )
            if "Traceback" in printed:
                findings.append(Finding(CRASH, f"observatoire {command}: trace affichée"))
        findings += self._archive_findings("submit", case.content, path.suffix)
        findings += self._upload(case)
        all_seconds = time.perf_counter() - all_started + seconds
        return _Run(findings, result, seconds, peak, floor_seconds, all_seconds)

    def _upload(self, case: FuzzCase) -> list[Finding]:
        from domain.submissions.service import receive_upload
        from schemas.vocabulary import ACCEPTED, REFUSED, REJECTED

        self._clear()
        territory = self._territory_of(case)
        contents = "data:application/octet-stream;base64," + base64.b64encode(case.content).decode()
        try:
            outcome = receive_upload(
                self.token[territory], case.file_name, contents, self.context.territories,
                self.context.questionnaires,
            )  # fmt: skip
        except Exception as error:  # noqa: BLE001
            return [_crash("dépôt en ligne", error)]
        if outcome.status not in (ACCEPTED, REJECTED, REFUSED):
            return [Finding(CRASH, f"dépôt en ligne: statut {outcome.status}")]
        if outcome.status in (ACCEPTED, REJECTED):
            return self._archive_findings(
                "dépôt en ligne", case.content, Path(case.file_name).suffix
            )
        return []

    def _territory_of(self, case: FuzzCase) -> str:
        if case.intended:
            return next(iter(case.intended))[0]
        return "DEP-13"


def _first_error(result) -> str:
    error = next((i for i in result.issues if i.severity == "erreur"), None)
    if error is None:
        return "?"
    return error.message[:60]


# --- Running many files ------------------------------------------------------------------------


@dataclass(repr=False)
class FuzzReport:
    """What the fuzzer found: counts per oracle and class, examples, worst costs."""

    files: int = 0
    families: Counter = field(default_factory=Counter)
    accepted: int = 0
    findings: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    examples: dict[tuple[str, str], list[Outcome]] = field(
        default_factory=lambda: defaultdict(list)
    )
    slowest: Outcome | None = None
    slowest_all: Outcome | None = None
    hungriest: Outcome | None = None
    total_seconds: float = 0.0
    total_floor_seconds: float = 0.0
    worst_floor: Outcome | None = None
    #: Files with at least one finding of each oracle.
    files_by_oracle: Counter = field(default_factory=Counter)
    digests: set = field(default_factory=set)

    def add(self, outcome: Outcome, keep: int = 3) -> None:
        self.files += 1
        self.families[outcome.case.family] += 1
        self.accepted += bool(outcome.accepted)
        self.total_seconds += outcome.seconds
        self.total_floor_seconds += outcome.floor_seconds
        self.digests.add(hashlib.sha256(outcome.case.content).digest())
        for oracle in {finding.oracle for finding in outcome.findings}:
            self.files_by_oracle[oracle] += 1
        for finding in dict.fromkeys(outcome.findings):
            self.findings[finding.oracle][finding.kind] += 1
            examples = self.examples[(finding.oracle, finding.kind)]
            if len(examples) < keep:
                examples.append(outcome)
        if self.slowest is None or outcome.seconds > self.slowest.seconds:
            self.slowest = outcome
        if outcome.all_entry_points_seconds is not None and (
            self.slowest_all is None
            or outcome.all_entry_points_seconds > self.slowest_all.all_entry_points_seconds
        ):
            self.slowest_all = outcome
        if outcome.peak_bytes is not None and (
            self.hungriest is None or outcome.peak_bytes > self.hungriest.peak_bytes
        ):
            self.hungriest = outcome
        if self.worst_floor is None or outcome.floor_seconds > self.worst_floor.floor_seconds:
            self.worst_floor = outcome

    def __repr__(self) -> str:
        return f"FuzzReport({self.files} fichiers)"

    def count(self, oracle: str) -> int:
        """Findings of ``oracle`` (a file may have several)."""
        return sum(self.findings[oracle].values())

    def files_with(self, oracle: str) -> int:
        """Files with at least one finding of ``oracle``."""
        return self.files_by_oracle[oracle]

    @property
    def distinct(self) -> int:
        return len(self.digests)

    def failures(self) -> dict[str, Counter]:
        return {oracle: self.findings[oracle] for oracle in FAILURES if self.findings[oracle]}

    def summary(self) -> str:
        lines = []
        for oracle in (*FAILURES, REJECTED_VALID):
            counter = self.findings[oracle]
            lines.append(f"{oracle} : {self.files_with(oracle)} fichier(s), par classe :")
            for kind, n in counter.most_common(30):
                example = self.examples[(oracle, kind)][0]
                detail = next((f.detail for f in example.findings if f.kind == kind), "")
                lines.append(f"    {n:6d}  {kind}  — ex. {example.case.describe()}"
                             + (f" : {detail.splitlines()[-1][:160]}" if detail else ""))  # fmt: skip
        return "\n".join(lines)

    def save_examples(self, folder: Path) -> list[Path]:
        """Write a few files of each failure class, with what they mean, for replay."""
        import json

        written = []
        for (oracle, kind), outcomes in self.examples.items():
            if oracle not in FAILURES:
                continue
            for n, outcome in enumerate(outcomes):
                name = strip_accents(f"{oracle}-{kind}")
                slug = "".join(c if c.isascii() and c.isalnum() else "-" for c in name)[:80]
                path = folder / f"{slug}-{n}{Path(outcome.case.file_name).suffix}"
                folder.mkdir(parents=True, exist_ok=True)
                path.write_bytes(outcome.case.content)
                meta = {
                    "oracle": oracle,
                    "class": kind,
                    "case": outcome.case.describe(),
                    "must_reject": list(outcome.case.must_reject),
                    "family": outcome.case.family,
                    "labels": list(outcome.case.labels),
                    "intended": None if outcome.case.intended is None else {
                        "|".join(map(str, k)): v for k, v in outcome.case.intended.items()
                    },
                    "bad": {"|".join(map(str, k)): v for k, v in outcome.case.bad.items()},
                    "forms": {"|".join(map(str, k)): v for k, v in outcome.case.forms.items()},
                    "findings": [f.__dict__ for f in outcome.findings],
                }  # fmt: skip
                path.with_name(path.name + ".json").write_text(
                    json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8"
                )
                written.append(path)
        return written


def saved_case(path: Path) -> FuzzCase:
    """A file saved by :meth:`FuzzReport.save_examples`, with what it means, to replay."""
    import json

    meta = json.loads(path.with_name(path.name + ".json").read_text(encoding="utf-8"))

    def keys(mapping: dict | None) -> dict | None:
        if mapping is None:
            return None
        return {(t, int(m), q): v for (t, m, q), v in
                ((k.split("|"), v) for k, v in mapping.items())}  # fmt: skip

    return FuzzCase(
        path.read_bytes(), "reponses" + path.suffix, meta.get("family", "rejeu"),
        tuple(meta.get("labels", ())), keys(meta["intended"]), tuple(meta["must_reject"]),
        keys(meta.get("forms", {})), keys(meta.get("bad", {})),
    )  # fmt: skip


def fuzz(
    harness: Harness,
    examples: int,
    *,
    seed: int | None = None,
    derandomize: bool = False,
    corpus: list[FuzzCase] = (),
    progress: Callable[[FuzzReport], None] | None = None,
) -> FuzzReport:
    """Run the oracles on the seed corpus, then on ``examples`` generated files."""
    report = FuzzReport()
    for case in corpus:
        report.add(harness.check(case))

    @settings(
        max_examples=examples,
        database=None,
        deadline=None,
        derandomize=derandomize,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(fuzz_cases(harness.context))
    def one(case: FuzzCase) -> None:
        report.add(harness.check(case))
        if progress is not None:
            progress(report)

    if seed is not None and not derandomize:
        one = hypothesis_seed(seed)(one)
    one()
    return report


@contextlib.contextmanager
def scratch_harness(context: Context, **options) -> Iterator[Harness]:
    # On a RAM file system when there is one: the archive's fsync then costs nothing.
    shm = Path("/dev/shm")
    where = str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None
    folder = Path(tempfile.mkdtemp(prefix="fuzz-submissions-", dir=where))
    try:
        with Harness(context, folder, **options) as harness:
            yield harness
    finally:
        shutil.rmtree(folder, ignore_errors=True)
