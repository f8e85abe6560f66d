"""Submissions: survey files sent by territories, archived byte for byte, then validated.

Every file is archived under its SHA-256 before anything reads it, so nothing received is
ever lost; validation then turns each file into answers (accepted file) or into a report of
French messages saying what is wrong, where, and how to fix it (rejected file). A rejected
file never stops the others.
"""

import hashlib
import json
import os
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import pandas as pd
import pandera.errors
from dagster_duckdb import DuckDBResource

from assets.dialects import QUESTION_CODE, Table, UnreadableFile, column_letter, read_table
from assets.questionnaire import (
    Questionnaire,
    Questionnaires,
    as_questionnaires,
    load_questionnaires,
)
from assets.storage import replace_table
from pipelines.resources import SubmissionStorage
from schemas.submission import (
    MAX_COMMENT_LENGTH,
    SUBMISSION_COLUMNS,
    SubmissionRowSchema,
    ValidatedAnswerSchema,
)

ERROR = "erreur"
WARNING = "avertissement"
ACCEPTED = "acceptée"
REJECTED = "rejetée"

#: Suffixes kept on archived files; anything else is archived as ``.bin``.
ARCHIVED_SUFFIXES = {".csv", ".txt", ".tsv", ".xlsx"}


@dataclass(frozen=True)
class ValidationIssue:
    """One row of a validation report, as the user sees their spreadsheet."""

    line: int | None
    column: str | None
    question: str | None
    value: str | None
    severity: str
    message: str


@dataclass(frozen=True)
class ArchivedFile:
    """A received file, stored under its SHA-256."""

    sha256: str
    file_name: str
    received_at: datetime
    size_bytes: int
    archive_path: str
    submitter: str


@dataclass(frozen=True)
class ValidationResult:
    """Outcome of validating one file: its answers when accepted, its report either way."""

    answers: pd.DataFrame
    issues: list[ValidationIssue]
    readable: bool = True
    dialect: str | None = None
    #: (territory, millésime) pairs the file declares, whether or not it is accepted.
    declared: tuple[tuple[str, int], ...] = ()
    #: Territory codes and millésimes written in the file, known to the reference or not.
    written_territories: tuple[str, ...] = ()
    written_millesimes: tuple[int, ...] = ()

    @property
    def accepted(self) -> bool:
        return not any(issue.severity == ERROR for issue in self.issues)


# --------------------------------------------------------------------------- archive


def archive_bytes(
    content: bytes,
    file_name: str,
    archive_dir: Path,
    submitter: str = "dépôt",
    received_at: datetime | None = None,
) -> ArchivedFile:
    """Store ``content`` in the archive under its SHA-256, atomically; identical bytes are kept once.

    The archived name never comes from the user: it is the hash and a known suffix.
    """
    sha256 = hashlib.sha256(content).hexdigest()
    suffix = Path(file_name).suffix.lower()
    target = (
        archive_dir / sha256[:2] / f"{sha256}{suffix if suffix in ARCHIVED_SUFFIXES else '.bin'}"
    )
    if not target.exists():
        _write_atomically(target, content)
    return ArchivedFile(
        sha256=sha256,
        file_name=file_name,
        received_at=received_at or datetime.now(UTC).replace(tzinfo=None),
        size_bytes=len(content),
        archive_path=str(target),
        submitter=submitter,
    )


def archive_file(source: Path, archive_dir: Path, submitter: str = "dépôt") -> ArchivedFile:
    """Archive the file at ``source`` (see :func:`archive_bytes`)."""
    return archive_bytes(source.read_bytes(), source.name, archive_dir, submitter)


def _write_atomically(target: Path, content: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    with open(partial, "wb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, target)


SIDECAR_SUFFIX = ".meta.json"


def deposit_submission(
    content: bytes, file_name: str, submitter: str, incoming_dir: Path, archive_dir: Path
) -> ArchivedFile:
    """Archive a received file, then place it in the inbox for the pipeline with its metadata.

    The inbox copy is named after the arrival time and the hash, never after user input; the
    original name, the submitter and the arrival time travel in a JSON sidecar.
    """
    archived = archive_bytes(content, file_name, archive_dir, submitter)
    stamp = archived.received_at.strftime("%Y%m%dT%H%M%S%f")
    stored = incoming_dir / f"{stamp}-{archived.sha256[:16]}{Path(archived.archive_path).suffix}"
    metadata = {
        "file_name": file_name,
        "submitter": submitter,
        "received_at": archived.received_at.isoformat(),
    }
    _write_atomically(
        stored.with_name(stored.name + SIDECAR_SUFFIX),
        json.dumps(metadata, ensure_ascii=False).encode(),
    )
    _write_atomically(stored, content)
    return archived


def waiting_files(incoming: Path) -> list[Path]:
    """Files waiting in the inbox, oldest first (sidecars and partial writes excluded)."""
    if not incoming.exists():
        return []
    files = [
        p
        for p in incoming.iterdir()
        if p.is_file() and not p.name.startswith(".") and not p.name.endswith(SIDECAR_SUFFIX)
    ]
    return sorted(files, key=lambda p: (p.stat().st_mtime, p.name))


def read_sidecar(path: Path) -> dict:
    """Metadata deposited beside an inbox file, or an empty dict (files copied by hand)."""
    sidecar = path.with_name(path.name + SIDECAR_SUFFIX)
    try:
        metadata = json.loads(sidecar.read_text(encoding="utf-8"))
        return {
            "file_name": str(metadata["file_name"]),
            "submitter": str(metadata["submitter"]),
            "received_at": datetime.fromisoformat(metadata["received_at"]),
        }
    except (OSError, ValueError, KeyError, TypeError):
        return {}


# --------------------------------------------------------------------------- reading

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
            f"Colonne « {name} » inconnue : elle est ignorée.",
        )
        for i, name in enumerate(header)
        if name not in SUBMISSION_COLUMNS and name not in TEMPLATE_HELP_COLUMNS
    ]  # fmt: skip
    field_columns = {name: _display(header, name) for name in SUBMISSION_COLUMNS if name in header}
    field_columns.setdefault("commentaire", "commentaire")
    records = []
    for line, cells in table.rows:
        if len(cells) > len(header):
            issues.append(_too_many_cells(line, cells, header))
            continue
        row = dict(zip(header, cells + [""] * (len(header) - len(cells)), strict=True))
        records.append(
            {
                "line": line,
                **{name: row.get(name, "") for name in SUBMISSION_COLUMNS},
                "reponse_column": field_columns["reponse"],
            }
        )
    rows = pd.DataFrame(records, columns=ROW_COLUMNS).astype({"line": "int64"})
    return SubmissionReading(rows, issues, True, table.describe(), field_columns)


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
    return SubmissionReading(rows, issues, True, table.describe(), field_columns)


def _too_many_cells(line: int, cells: list[str], header: list[str]) -> ValidationIssue:
    return ValidationIssue(
        line, None, None, ";".join(cells)[:200], ERROR,
        f"La ligne compte {len(cells)} valeurs pour {len(header)} colonnes : un séparateur "
        "de trop, peut-être dans un commentaire ? Mettez le texte entre guillemets ou "
        "retirez le séparateur.",
    )  # fmt: skip


# --------------------------------------------------------------------------- answers

_YES = {"oui", "o", "yes", "y", "vrai", "true", "1", "x"}
_NO = {"non", "n", "no", "faux", "false", "0"}
_NONE_CHOSEN = {"aucun", "aucune", "néant", "neant", "rien"}
_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")


def parse_french_number(raw: str) -> float | None:
    """Parse ``45``, ``45,5``, ``45.5``, ``1 200`` or ``45 %``; ``None`` when it is no number."""
    cleaned = re.sub(r"[\s\u00a0\u202f]", "", raw).removesuffix("%")
    if not _NUMBER.match(cleaned):
        return None
    return float(cleaned.replace(",", "."))


def normalise_answer(question: pd.Series, raw: str) -> tuple[float | None, str | None]:
    """Turn a typed answer into the question's numeric value, or explain in French what is wrong.

    Returns ``(value, None)`` when the answer is valid and ``(None, message)`` otherwise.
    """
    kind = question["answer_type"]
    text = raw.strip()
    if kind == "oui_non":
        lowered = text.lower()
        if lowered in _YES:
            return 1.0, None
        if lowered in _NO:
            return 0.0, None
        return None, "Réponse attendue : « oui » ou « non »."
    if kind == "echelle":
        labels = {label.lower(): level for level, label in question["scale_labels"].items()}
        number = parse_french_number(text)
        if number is not None and number in {0, 1, 2, 3, 4}:
            return float(number), None
        if text.lower() in labels:
            return float(labels[text.lower()]), None
        return None, "Réponse attendue : un niveau de 0 à 4 (ou son intitulé)."
    if kind == "pourcentage":
        number = parse_french_number(text)
        if number is None or not 0 <= number <= 100:
            return None, "Réponse attendue : un pourcentage entre 0 et 100, par exemple 45 ou 45,5."
        return number, None
    if kind == "nombre":
        number = parse_french_number(text)
        if number is None or number < 0:
            return None, "Réponse attendue : un nombre positif ou nul, par exemple 12."
        return number, None
    if kind == "choix_multiple":
        by_name = {}
        for code, label in question["options"]:
            by_name[code.lower()] = code
            by_name[label.lower()] = code
        chosen = [part.strip().lower() for part in re.split(r"[|;]", text) if part.strip()]
        if chosen and all(part in _NONE_CHOSEN for part in chosen):
            return 0.0, None
        unknown = [part for part in chosen if part not in by_name]
        if unknown:
            allowed = ", ".join(code for code, _ in question["options"])
            return None, (
                f"Choix inconnu(s) : {', '.join(unknown)}. Choix possibles, séparés par « | » : "
                f"{allowed} (ou « aucun »)."
            )
        return float(len({by_name[part] for part in chosen})), None
    raise ValueError(f"unknown answer type {kind!r}")


# --------------------------------------------------------------------------- validation


def _structure_issues(
    rows: pd.DataFrame, field_columns: dict[str, str]
) -> tuple[pd.DataFrame, list[ValidationIssue]]:
    """Check the rows against the pandera model; return the rows that pass and the issues."""
    schema = SubmissionRowSchema.to_schema()
    try:
        schema.validate(rows[list(schema.columns)], lazy=True)
        return rows, []
    except pandera.errors.SchemaErrors as errors:
        failures = errors.failure_cases
    issues = []
    bad_index = set()
    for failure in failures.itertuples():
        index, column = failure.index, failure.column
        if index is None or pd.isna(index) or index not in rows.index:
            raise ValueError(f"unexpected schema failure on {column}: {failure.check}")
        row = rows.loc[index]
        bad_index.add(index)
        value = str(failure.failure_case)
        shown = "vide" if value == "" else f"« {value} »"
        expected = schema.columns[column].description or "une valeur conforme au modèle"
        where = row["reponse_column"] if column == "reponse" else field_columns.get(column, column)
        issues.append(
            ValidationIssue(
                int(row["line"]), where,
                row["code_question"] if column != "code_question" else None,
                value, ERROR,
                f"Valeur {shown} invalide dans la colonne « {column} » : attendu {expected}.",
            )
        )  # fmt: skip
    return rows.drop(index=list(bad_index)), issues


def validate_submission(
    content: bytes,
    territories: pd.DataFrame,
    questionnaire: Questionnaire | Questionnaires,
) -> ValidationResult:
    """Validate a submission file against the template, the reference and the questionnaire.

    ``territories`` has columns ``code`` and ``kind``. Errors reject the whole file;
    warnings (an optional question left blank, a very long comment) let it through.
    """
    reading = read_submission_rows(content)
    issues = list(reading.issues)
    empty = pd.DataFrame(
        columns=["line", "territory", "millesime", "question", "answer", "value", "comment"]
    )
    if reading.rows is None:
        return ValidationResult(empty, issues, reading.readable, reading.dialect)
    rows, structure = _structure_issues(reading.rows, reading.field_columns)
    issues += structure

    kind_of = territories.set_index("code")["kind"]
    questionnaires = as_questionnaires(questionnaire)
    questions_of = {q.version: q.questions.set_index("code") for q in questionnaires.versions}
    open_millesimes = set(questionnaires.open_millesimes)
    answers = []
    first_line: dict[tuple[str, int, str], int] = {}
    unknown_territories: set[str] = set()
    answered_or_invalid: set[tuple[str, int, str]] = set()
    for row in rows.itertuples(index=False):
        territory, question_code = row.code_territoire, row.code_question
        millesime = int(row.millesime)

        def issue(message: str, field: str, value: str, severity: str = ERROR) -> None:
            where = row.reponse_column if field == "reponse" else reading.field_columns[field]  # noqa: B023
            issues.append(ValidationIssue(row.line, where, question_code, value, severity, message))  # noqa: B023

        if territory not in kind_of.index:
            if territory not in unknown_territories:
                issue(
                    f"Le territoire « {territory} » n'existe pas dans le référentiel (toutes ses "
                    "lignes sont concernées). Reprenez le code du modèle : observatoire template "
                    "--territoire CODE.",
                    "code_territoire", territory,
                )  # fmt: skip
            unknown_territories.add(territory)
            continue
        if millesime not in open_millesimes:
            issue(
                f"Le millésime {millesime} n'est pas ouvert. Millésimes ouverts : "
                + ", ".join(map(str, sorted(open_millesimes))) + ".",
                "millesime", row.millesime,
            )  # fmt: skip
            continue
        version = questionnaires.for_millesime(millesime)
        questions = questions_of[version.version]
        if question_code not in questions.index:
            issue(
                f"La question « {question_code} » n'existe pas dans le questionnaire "
                f"{version.version} (millésime {millesime}). Reprenez les codes du modèle.",
                "code_question", question_code,
            )  # fmt: skip
            continue
        question = questions.loc[question_code]
        if kind_of[territory] not in question["asked_of"]:
            issue(
                f"La question « {question_code} » n'est pas posée aux territoires de type "
                f"« {version.territory_kinds[kind_of[territory]]} » : supprimez cette ligne.",
                "code_question", question_code,
            )  # fmt: skip
            continue
        key = (territory, millesime, question_code)
        if key in first_line:
            issue(
                f"La question « {question_code} » a déjà une réponse ligne {first_line[key]} : "
                "gardez une seule ligne par question.",
                "code_question", question_code,
            )  # fmt: skip
            continue
        first_line[key] = row.line
        if len(row.commentaire) > MAX_COMMENT_LENGTH:
            issue(
                f"Commentaire de {len(row.commentaire)} caractères : seuls les "
                f"{MAX_COMMENT_LENGTH} premiers sont conservés.",
                "commentaire", row.commentaire[:50] + "…", WARNING,
            )  # fmt: skip
        value = None
        if row.reponse:
            answered_or_invalid.add(key)
            value, problem = normalise_answer(question, row.reponse)
            if problem:
                issue(f"Réponse « {row.reponse} » invalide. {problem}", "reponse", row.reponse)
                continue
        answers.append(
            {
                "line": row.line,
                "territory": territory,
                "millesime": millesime,
                "question": question_code,
                "answer": row.reponse or None,
                "value": value,
                "comment": row.commentaire[:MAX_COMMENT_LENGTH] or None,
            }
        )
    frame = pd.DataFrame(answers, columns=empty.columns)
    submissions = {(territory, millesime) for territory, millesime, _ in first_line}
    issues += _missing_answer_issues(submissions, answered_or_invalid, kind_of, questionnaires)
    declared = tuple(sorted({(t, m) for t, m, _ in first_line}))
    written_territories = tuple(sorted(set(rows["code_territoire"])))
    written_millesimes = tuple(sorted({int(m) for m in rows["millesime"]}))
    return ValidationResult(
        frame, issues, True, reading.dialect, declared, written_territories, written_millesimes
    )


def _missing_answer_issues(
    submissions: set[tuple[str, int]],
    reported: set[tuple[str, int, str]],
    kind_of: pd.Series,
    questionnaires: Questionnaires,
) -> Iterable[ValidationIssue]:
    """Required questions without an answer are errors; optional ones, warnings.

    ``reported`` holds the (territory, millésime, question) answered or already reported
    as invalid, which are not reported again.
    """
    for territory, millesime in sorted(submissions):
        asked = questionnaires.for_millesime(millesime).questions_for_kind(kind_of[territory])
        for question in asked.itertuples():
            if (territory, millesime, question.code) in reported:
                continue
            if question.required:
                yield ValidationIssue(
                    None, None, question.code, None, ERROR,
                    f"Question obligatoire sans réponse pour {territory} ({millesime}) : "
                    f"« {question.label} ». Ajoutez une ligne avec sa réponse.",
                )  # fmt: skip
            else:
                yield ValidationIssue(
                    None, None, question.code, None, WARNING,
                    f"Question facultative sans réponse pour {territory} ({millesime}) : elle "
                    "compte comme non renseignée dans le taux de couverture.",
                )  # fmt: skip


SUPERSEDED = "remplacée"
CORRECTED = "corrigée"


def file_statuses(files: pd.DataFrame) -> pd.Series:
    """Status of each file once later files are taken into account.

    An accepted file stays ``acceptée`` while it is the latest accepted one for at least one
    (territory, millésime) it holds, and becomes ``remplacée`` otherwise. A rejected file
    stays in quarantine (``rejetée``) until a later accepted file covers everything it
    declared (``corrigée``). ``files`` has columns ``received_at``, ``file_name``,
    ``status`` (acceptée or rejetée) and ``declared`` (list of (territory, millésime)).
    """
    order = files[["received_at", "file_name"]].apply(tuple, axis=1).rank(method="dense")
    pairs = files.assign(order=order)[["order", "status", "declared"]].explode("declared")
    pairs = pairs.dropna(subset=["declared"])
    pairs["pair"] = pairs["declared"].map(tuple)
    latest = pairs.loc[pairs["status"] == ACCEPTED].groupby("pair")["order"].max()
    latest_order = pairs["pair"].map(latest)
    current_any = (latest_order == pairs["order"]).groupby(level=0).any()
    covered_all = (latest_order > pairs["order"]).groupby(level=0).all()
    current_any = current_any.reindex(files.index, fill_value=False)
    covered_all = covered_all.reindex(files.index, fill_value=False)
    status = files["status"].copy()
    status[(files["status"] == ACCEPTED) & ~current_any] = SUPERSEDED
    status[(files["status"] == REJECTED) & covered_all] = CORRECTED
    return status


def issues_frame(issues: list[ValidationIssue], sha256: str, file_name: str) -> pd.DataFrame:
    """A validation report as a table, tagged with its file."""
    frame = pd.DataFrame(
        [asdict(issue) for issue in issues],
        columns=["line", "column", "question", "value", "severity", "message"],
    )
    frame.insert(0, "file_name", file_name)
    frame.insert(0, "sha256", sha256)
    return frame.astype({"line": "Int64"})


# --------------------------------------------------------------------------- assets

RAW_FILES_DDL = """
    CREATE TABLE IF NOT EXISTS raw_submission_files (
        sha256 VARCHAR PRIMARY KEY,
        file_name VARCHAR NOT NULL,
        received_at TIMESTAMP NOT NULL,
        size_bytes BIGINT NOT NULL,
        archive_path VARCHAR NOT NULL,
        submitter VARCHAR NOT NULL
    )
"""


@dg.asset(group_name="submissions", kinds={"duckdb"}, pool="duckdb_warehouse")
def raw_submission_files(
    context: dg.AssetExecutionContext, warehouse: DuckDBResource, storage: SubmissionStorage
) -> dg.MaterializeResult:
    """Every file received, archived byte for byte under its SHA-256 before it is read."""
    incoming = Path(storage.incoming_dir)
    archive = Path(storage.archive_dir)
    incoming.mkdir(parents=True, exist_ok=True)
    new, known = 0, 0
    with warehouse.get_connection() as con:
        con.execute(RAW_FILES_DDL)
        for path in waiting_files(incoming):
            metadata = read_sidecar(path)
            archived = archive_bytes(
                path.read_bytes(),
                metadata.get("file_name", path.name),
                archive,
                metadata.get("submitter", "dossier d'arrivée"),
                metadata.get("received_at"),
            )
            inserted = con.execute(
                "INSERT INTO raw_submission_files VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT DO NOTHING RETURNING sha256",
                [
                    archived.sha256, archived.file_name, archived.received_at,
                    archived.size_bytes, archived.archive_path, archived.submitter,
                ],
            ).fetchall()  # fmt: skip
            # Only once the archive and its record are durable does the file leave the inbox.
            path.unlink()
            path.with_name(path.name + SIDECAR_SUFFIX).unlink(missing_ok=True)
            if inserted:
                new += 1
            else:
                known += 1
                context.log.info(f"{path.name}: déjà reçu (mêmes octets), ignoré")
        total = con.execute("SELECT count(*) FROM raw_submission_files").fetchone()[0]
    return dg.MaterializeResult(
        metadata={"new_files": new, "identical_files_ignored": known, "archived_files": total}
    )


@dg.asset(
    group_name="submissions",
    kinds={"duckdb"},
    pool="duckdb_warehouse",
    deps=[raw_submission_files, "core_territories", "core_questionnaire"],
)
def core_validated_answers(
    context: dg.AssetExecutionContext, warehouse: DuckDBResource
) -> dg.MaterializeResult:
    """Answers of accepted files, validated with pandera against the reference and questionnaire.

    Also writes each file's status (``submission_files``) and its report (``validation_issues``).
    """
    questionnaire = load_questionnaires()
    with warehouse.get_connection() as con:
        files = con.execute(
            "SELECT * FROM raw_submission_files ORDER BY received_at, file_name"
        ).df()
        territories = con.execute("SELECT code, kind FROM territories").df()
    answers, reports, statuses = [], [], []
    for archived in (ArchivedFile(**record) for record in files.to_dict("records")):
        try:
            result = validate_submission(
                Path(archived.archive_path).read_bytes(), territories, questionnaire
            )
        except Exception as error:  # noqa: BLE001 - one unreadable file must not stop the others
            context.log.exception(f"{archived.file_name}: validation impossible")
            result = ValidationResult(
                pd.DataFrame(),
                [ValidationIssue(None, None, None, None, ERROR,
                                 f"Fichier illisible ({type(error).__name__}) : renvoyez-le au "
                                 "format du modèle (CSV UTF-8 séparé par des « ; »).")],
            )  # fmt: skip
        report = issues_frame(result.issues, archived.sha256, archived.file_name)
        reports.append(report)
        statuses.append(
            {
                "sha256": archived.sha256,
                "file_name": archived.file_name,
                "received_at": archived.received_at,
                "territory": ",".join(result.written_territories) or None,
                "millesime": result.written_millesimes[0]
                if len(result.written_millesimes) == 1
                else None,
                "declared": list(result.declared),
                "status": ACCEPTED if result.accepted else REJECTED,
                "errors": int((report["severity"] == ERROR).sum()),
                "warnings": int((report["severity"] == WARNING).sum()),
            }
        )
        if result.accepted:
            answers.append(
                result.answers.assign(
                    sha256=archived.sha256,
                    file_name=archived.file_name,
                    received_at=archived.received_at,
                )
            )
        else:
            context.log.warning(
                f"{archived.file_name}: rejeté ({statuses[-1]['errors']} erreur(s))"
            )
    columns = list(ValidatedAnswerSchema.to_schema().columns)
    validated = ValidatedAnswerSchema.validate(
        pd.concat(answers, ignore_index=True)[columns] if answers else pd.DataFrame(columns=columns)
    )
    issues = pd.concat(reports, ignore_index=True) if reports else issues_frame([], "", "")
    submission_files = pd.DataFrame(
        statuses,
        columns=[
            "sha256",
            "file_name",
            "received_at",
            "territory",
            "millesime",
            "declared",
            "status",
            "errors",
            "warnings",
        ],
    ).astype({"millesime": "Int64"})
    submission_files["status"] = file_statuses(submission_files)
    submission_files = submission_files.drop(columns="declared")
    with warehouse.get_connection() as con:
        replace_table(con, "validated_answers", validated)
        replace_table(con, "validation_issues", issues)
        replace_table(con, "submission_files", submission_files)
    rejected = submission_files.loc[submission_files["status"] == REJECTED, "file_name"].tolist()
    return dg.MaterializeResult(
        metadata={
            "files": len(submission_files),
            "accepted_files": len(submission_files) - len(rejected),
            "rejected_files": len(rejected),
            "rejected": ", ".join(rejected[:20]),
            "answers": len(validated),
        }
    )
