"""Validation: a received file checked against the template, the reference and the
questionnaire version of its millésime, into answers (accepted file) or a report of French
messages saying what is wrong, where, and how to fix it (rejected file)."""

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.errors

from domain.fingerprints import reference_version
from domain.questionnaire import Questionnaire, Questionnaires, as_questionnaires
from domain.submissions import kept_validations as kept
from domain.submissions.answers import normalise_answer, visible
from domain.submissions.archive import ArchivedFile
from domain.submissions.dialects import MAX_FILE_BYTES, too_large_message
from domain.submissions.incidents import incident_message, record_incident
from domain.submissions.kept_validations import KeptValidations, questionnaire_key, rules_version
from domain.submissions.reading import SubmissionReading, read_submission_rows
from domain.submissions.report import (
    FILE_RULE,
    INTERNAL_ERROR_RULE,
    ISSUE_COLUMNS,
    REPORT_LINE_LIMIT,
    RULE_COUNT_COLUMNS,
    ValidationIssue,
    bounded_report,
)
from domain.submissions.statuses import file_statuses
from schemas.submission import (
    MAX_COMMENT_LENGTH,
    SubmissionRowSchema,
    ValidatedAnswerSchema,
    ValidationRuleCountSchema,
)
from schemas.vocabulary import ACCEPTED, ERROR, KIND_LABELS, REJECTED, WARNING


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


def _structure_failures(rows: pd.DataFrame) -> pd.DataFrame | None:
    """The cells of ``rows`` that break the pandera model of a row (``None``: none do).

    One call checks the rows of any number of files at once: each check is a column
    operation, so the rows of every new file are checked together (see
    :func:`validate_submissions`).
    """
    schema = SubmissionRowSchema.to_schema()
    try:
        schema.validate(rows[list(schema.columns)], lazy=True)
        return None
    except pandera.errors.SchemaErrors as errors:
        return errors.failure_cases


def _structure_issues(
    rows: pd.DataFrame, field_columns: dict[str, str], failures: pd.DataFrame | None = None
) -> tuple[pd.DataFrame, list[ValidationIssue]]:
    """Check the rows against the pandera model; return the rows that pass and the issues.

    ``failures`` are the failure cases already found for these rows (with others'), or
    ``None`` to check them here.
    """
    if failures is None:
        failures = _structure_failures(rows)
        if failures is None:
            return rows, []
    schema = SubmissionRowSchema.to_schema()
    issues = []
    bad_index = set()
    for failure in failures.itertuples():
        index, column = failure.index, failure.column
        if index is None or pd.isna(index) or index not in rows.index:
            raise ValueError(f"unexpected schema failure on {column}: {failure.check}")
        row = rows.loc[index]
        bad_index.add(index)
        value = visible(str(failure.failure_case))
        shown = "vide" if value == "" else f"« {value} »"
        expected = schema.columns[column].description or "une valeur conforme au modèle"
        where = row["reponse_column"] if column == "reponse" else field_columns.get(column, column)
        issues.append(
            ValidationIssue(
                int(row["line"]), where,
                row["code_question"] if column != "code_question" else None,
                value, ERROR,
                f"Valeur {shown} invalide dans la colonne « {column} » : attendu {expected}.",
                "valeur_mal_formee",
            )
        )  # fmt: skip
    return rows.drop(index=list(bad_index)), issues


@dataclass(frozen=True)
class Problem:
    """What is wrong with one row: the field at fault, its value and a French message."""

    field: str
    value: str
    message: str
    severity: str = ERROR
    #: Identifier of the rule broken (see :data:`domain.submissions.report.RULE_LABELS`).
    rule: str = FILE_RULE


class QuestionBook:
    """The questions of every questionnaire version, looked up by (version, code) in
    dictionaries, and each distinct answer typed to a question normalised once: shared by
    all the files validated together, whose answers repeat the same few values."""

    def __init__(self, questionnaires: Questionnaires) -> None:
        self.questionnaires = questionnaires
        self.questions_of = {
            q.version: q.questions.set_index("code") for q in questionnaires.versions
        }
        self._rows: dict[tuple[str, str], pd.Series] = {}
        self._asked_of = {
            (version, code): set(asked)
            for version, questions in self.questions_of.items()
            for code, asked in questions["asked_of"].items()
        }
        self._normalised: dict[tuple[str, str, str], tuple[float | None, str | None]] = {}
        self._asked: dict[tuple[str, str], list] = {}

    def asked_of(self, version: str, code: str) -> set[str] | None:
        """The kinds of territory question ``code`` of ``version`` is asked of (``None``: no
        such question)."""
        return self._asked_of.get((version, code))

    def question(self, version: str, code: str) -> pd.Series:
        """The question ``code`` of ``version``."""
        key = (version, code)
        if key not in self._rows:
            self._rows[key] = self.questions_of[version].loc[code]
        return self._rows[key]

    def asked(self, questionnaire: Questionnaire, kind: str) -> list:
        """The questions of ``questionnaire`` asked of territories of ``kind`` (``code``,
        ``label``, ``required``), in the questionnaire's order."""
        key = (questionnaire.version, kind)
        if key not in self._asked:
            questions = questionnaire.questions_for_kind(kind)
            self._asked[key] = list(questions[["code", "label", "required"]].itertuples())
        return self._asked[key]

    def normalised(self, version: str, code: str, raw: str) -> tuple[float | None, str | None]:
        """:func:`normalise_answer` of ``raw`` for question ``code`` of ``version``."""
        key = (version, code, raw)
        if key not in self._normalised:
            self._normalised[key] = normalise_answer(self.question(version, code), raw)
        return self._normalised[key]


@dataclass
class RowRules:
    """The checks of one row against the reference and the questionnaire version of its
    millésime, remembering what earlier rows of the file declared."""

    kind_of: pd.Series
    questionnaires: Questionnaires
    #: The wide layout (one row per territory, one column per question): a blank cell is no
    #: answer, and the fix of a wrong cell is never to delete its line (the territory's).
    wide: bool = False
    #: (territory, millésime, question) → line of its first answer in the file.
    first_line: dict[tuple[str, int, str], int] = field(default_factory=dict)
    unknown_territories: set[str] = field(default_factory=set)

    #: The questions looked up (shared by the files validated together).
    book: QuestionBook | None = None

    def __post_init__(self) -> None:
        if self.book is None:
            self.book = QuestionBook(self.questionnaires)
        self.version_of = {
            millesime: self.questionnaires.for_millesime(millesime).version
            for millesime in self.questionnaires.open_millesimes
        }

    def normalised(self, millesime: int, code: str, raw: str) -> tuple[float | None, str | None]:
        """The answer ``raw`` to question ``code`` of the version of ``millesime``, normalised."""
        return self.book.normalised(self.version_of[millesime], code, raw)

    def territory_problem(self, territory: str) -> Problem | None:
        if territory in self.kind_of.index:
            return None
        if territory in self.unknown_territories:  # said once for all its lines
            return Problem("code_territoire", territory, "", rule="territoire_inconnu")
        self.unknown_territories.add(territory)
        return Problem(
            "code_territoire", territory,
            f"Le territoire « {territory} » n'existe pas dans le référentiel (toutes ses "
            "lignes sont concernées). Reprenez le code du modèle : observatoire template "
            "--territoire CODE.",
            rule="territoire_inconnu",
        )  # fmt: skip

    def millesime_problem(self, row) -> Problem | None:
        opened = self.questionnaires.open_millesimes
        if int(row.millesime) in opened:
            return None
        return Problem(
            "millesime", row.millesime,
            f"Le millésime {int(row.millesime)} n'est pas ouvert. Millésimes ouverts : "
            + ", ".join(map(str, opened)) + ".",
            rule="millesime_non_ouvert",
        )  # fmt: skip

    def question_problem(self, row, version: Questionnaire) -> Problem | None:
        code, kind = row.code_question, self.kind_of[row.code_territoire]
        asked_of = self.book.asked_of(version.version, code)
        if self.wide and not row.reponse and (asked_of is None or kind not in asked_of):
            # A blank cell is no answer: under a question not asked of this territory (another
            # kind's, another version's), there is nothing to say.
            return Problem("code_question", code, "")
        if asked_of is None:
            return Problem(
                "code_question", code,
                f"La question « {code} » n'existe pas dans le questionnaire {version.version} "
                f"(millésime {int(row.millesime)}). Reprenez les codes du modèle"
                + (" ou videz cette cellule." if self.wide else "."),
                rule="question_inconnue",
            )  # fmt: skip
        if kind not in asked_of:
            fix = "videz cette cellule" if self.wide else "supprimez cette ligne"
            return Problem(
                "code_question", code,
                f"La question « {code} » n'est pas posée aux territoires de type "
                f"« {KIND_LABELS[kind]} » : {fix}.",
                rule="question_non_posee",
            )  # fmt: skip
        return None

    def duplicate_problem(self, row) -> Problem | None:
        key = (row.code_territoire, int(row.millesime), row.code_question)
        if key not in self.first_line:
            self.first_line[key] = row.line
            return None
        keep = (
            "gardez une seule ligne par territoire et une seule colonne par question"
            if self.wide
            else "gardez une seule ligne par question"
        )
        return Problem(
            "code_question", row.code_question,
            f"La question « {row.code_question} » a déjà une réponse ligne "
            f"{self.first_line[key]} : {keep}.",
            rule="reponse_en_double",
        )  # fmt: skip

    def row_problem(self, row) -> Problem | None:
        """The first rule the row breaks (a row breaks at most one), or ``None``."""
        problem = self.territory_problem(row.code_territoire) or self.millesime_problem(row)
        if problem:
            return problem
        version = self.questionnaires.for_millesime(int(row.millesime))
        return self.question_problem(row, version) or self.duplicate_problem(row)


def comment_problem(comment: str) -> Problem | None:
    if len(comment) <= MAX_COMMENT_LENGTH:
        return None
    return Problem(
        "commentaire", comment[:50] + "…",
        f"Commentaire de {len(comment)} caractères : seuls les {MAX_COMMENT_LENGTH} premiers "
        "sont conservés.",
        WARNING,
        "commentaire_trop_long",
    )  # fmt: skip


ANSWER_COLUMNS = ["line", "territory", "millesime", "question", "answer", "value", "comment"]


def validate_submission(
    content: bytes,
    territories: pd.DataFrame,
    questionnaire: Questionnaire | Questionnaires,
) -> ValidationResult:
    """Validate a submission file against the template, the reference and the questionnaire
    version of each row's millésime.

    ``territories`` has columns ``code`` and ``kind``. Errors reject the whole file;
    warnings (an optional question left blank, a very long comment) let it through.
    """
    reading = read_submission_rows(content)
    if reading.rows is None:
        return _unread(reading)
    rows, structure = _structure_issues(reading.rows, reading.field_columns)
    kind_of = territories.set_index("code")["kind"]
    return _validated(reading, rows, structure, kind_of, as_questionnaires(questionnaire))


def _unread(reading: SubmissionReading) -> ValidationResult:
    """The result of a file whose rows could not be read (its report says why)."""
    return ValidationResult(
        pd.DataFrame(columns=ANSWER_COLUMNS), list(reading.issues), reading.readable,
        reading.dialect,
    )  # fmt: skip


def validate_submissions(
    contents: Sequence[bytes],
    territories: pd.DataFrame,
    questionnaires: Questionnaires,
) -> list[ValidationResult | Exception]:
    """Validate many files as :func:`validate_submission` validates each, with the same
    reports: each file is read, then the rows of all of them are checked against the row
    model in one frame (column operations), then each file's rows against the reference and
    the questionnaire. An internal error is returned in place of that file's result, the
    others are validated all the same."""
    kind_of = territories.set_index("code")["kind"]
    book = QuestionBook(questionnaires)
    readings: list[SubmissionReading | Exception] = []
    for content in contents:
        try:
            readings.append(read_submission_rows(content))
        except Exception as error:  # noqa: BLE001 - one file's incident must not stop the others
            readings.append(error)
    failures = _batch_structure_failures(readings)
    try:
        clean = _clean_files(readings, failures, kind_of, questionnaires, book)
    except Exception:  # noqa: BLE001 - every file then goes through the rules row by row
        clean = {}
    results: list[ValidationResult | Exception] = []
    for position, reading in enumerate(readings):
        if isinstance(reading, Exception) or reading.rows is None:
            results.append(reading if isinstance(reading, Exception) else _unread(reading))
            continue
        if position in clean:
            results.append(clean[position])
            continue
        try:
            mine = None if failures is None else failures.get(position)
            if failures is not None and mine is None:  # none of its rows failed
                checked = (reading.rows, [])
            else:
                checked = _structure_issues(reading.rows, reading.field_columns, mine)
            results.append(_validated(reading, *checked, kind_of, questionnaires, book))
        except Exception as error:  # noqa: BLE001
            results.append(error)
    return results


def _clean_files(
    readings: Sequence[SubmissionReading | Exception],
    failures: dict[int, pd.DataFrame] | None,
    kind_of: pd.Series,
    questionnaires: Questionnaires,
    book: QuestionBook,
) -> dict[int, ValidationResult]:
    """The results of the files none of whose rows breaks a rule, by position of the file.

    The rules are checked as column operations over the rows of every file at once: known
    territory, open millésime, question asked of the territory's kind, no duplicate answer,
    comment within its length, valid answer. A file of the long layout whose rows pass them
    all has no row issue: its answers are its rows, its report only says what is missing.
    The other files (any row at fault, a row-model failure, the wide layout, a failure to
    check) are left out, for :func:`_validated` to report row by row with its messages.
    """
    if failures is None:
        return {}
    frames = {
        position: reading.rows
        for position, reading in enumerate(readings)
        if not isinstance(reading, Exception)
        and reading.rows is not None
        and reading.layout == "long"
        and position not in failures
        and len(reading.rows)
    }
    if not frames:
        return {}
    rows = pd.concat(frames.values(), ignore_index=True)
    file_of = np.repeat(list(frames), [len(frame) for frame in frames.values()])
    version_of = {
        millesime: questionnaires.for_millesime(millesime).version
        for millesime in questionnaires.open_millesimes
    }
    millesime_of = {text: int(text) for text in rows["millesime"].unique()}
    millesimes = rows["millesime"].map(millesime_of).to_numpy()
    kinds = rows["code_territoire"].map(kind_of)
    versions = [version_of.get(m) for m in millesimes]
    codes, answers = rows["code_question"].tolist(), rows["reponse"].tolist()
    asked = [
        kind in (book.asked_of(version, code) or ())
        for version, code, kind in zip(versions, codes, kinds.tolist(), strict=True)
    ]
    normalised = [
        book.normalised(version, code, raw) if ok and raw else (None, None)
        for version, code, raw, ok in zip(versions, codes, answers, asked, strict=True)
    ]
    keys = pd.DataFrame(
        {"file": file_of, "t": rows["code_territoire"], "m": millesimes, "q": codes}
    )
    good = (
        kinds.notna().to_numpy()
        & np.array(asked, dtype=bool)
        & ~keys.duplicated().to_numpy()
        & (rows["commentaire"].str.len() <= MAX_COMMENT_LENGTH).to_numpy()
        & np.array([invalid is None for _, invalid in normalised], dtype=bool)
    )
    clean_files = pd.Series(good).groupby(file_of).all()
    values = [value for value, _ in normalised]
    has_value = np.array([value is not None for value in values], dtype=bool)
    comments = [comment[:MAX_COMMENT_LENGTH] or None for comment in rows["commentaire"]]
    # Sliced file by file as arrays: a frame per file is built once, with the dtypes of
    # :func:`_validated`'s (``value`` is float when the file has a value, else object).
    columns = {
        "line": rows["line"].to_numpy(),
        "territory": rows["code_territoire"].to_numpy(dtype=object),
        "millesime": millesimes.astype("int64"),
        "question": np.array(codes, dtype=object),
        "answer": np.array([raw or None for raw in answers], dtype=object),
        "value": np.array(values, dtype=object),
        "comment": np.array(comments, dtype=object),
    }
    float_values = np.array([np.nan if v is None else v for v in values], dtype="float64")
    territories, millesime_list = columns["territory"].tolist(), columns["millesime"].tolist()
    starts = np.concatenate([[0], np.cumsum([len(frame) for frame in frames.values()])])
    results = {}
    for position, start, stop in zip(frames, starts[:-1], starts[1:], strict=True):
        if not clean_files[position]:
            continue
        reading = readings[position]
        mine = {name: column[start:stop] for name, column in columns.items()}
        if has_value[start:stop].any():
            mine["value"] = float_values[start:stop]
        span = range(start, stop)
        declared = tuple(sorted({(territories[i], millesime_list[i]) for i in span}))
        answered = {(territories[i], millesime_list[i], codes[i]) for i in span if answers[i]}
        issues = list(reading.issues)
        if not answered:
            issues.append(_no_answer_issue(False, False))
        issues += _missing_answer_issues(
            set(declared), answered, kind_of, questionnaires, False, book
        )
        results[position] = ValidationResult(
            pd.DataFrame(mine, columns=ANSWER_COLUMNS), issues, True, reading.dialect,
            declared, tuple(sorted({territories[i] for i in span})),
            tuple(sorted({millesime_list[i] for i in span})),
        )  # fmt: skip
    return results


def _batch_structure_failures(
    readings: Sequence[SubmissionReading | Exception],
) -> dict[int, pd.DataFrame] | None:
    """The row-model failures of every file's rows, checked in one frame, by position of the
    file; ``None`` when they cannot be checked together (each file is then checked alone)."""
    frames = {
        position: reading.rows
        for position, reading in enumerate(readings)
        if not isinstance(reading, Exception) and reading.rows is not None
    }
    if not frames:
        return {}
    together = pd.concat(frames.values(), ignore_index=True)
    file_of = np.repeat(list(frames), [len(rows) for rows in frames.values()])
    row_of = np.concatenate([rows.index.to_numpy() for rows in frames.values()])
    try:
        failures = _structure_failures(together)
    except Exception:  # noqa: BLE001 - checked file by file instead, each error its own
        return None
    if failures is None:
        return {}
    if failures["index"].isna().any():  # a failure of no row (a column's type): file by file
        return None
    at = failures["index"].astype("int64").to_numpy()
    failures = failures.assign(index=row_of[at])
    return {int(file): group for file, group in failures.groupby(file_of[at], sort=False)}


def _validated(
    reading: SubmissionReading,
    rows: pd.DataFrame,
    structure: list[ValidationIssue],
    kind_of: pd.Series,
    questionnaires: Questionnaires,
    book: QuestionBook | None = None,
) -> ValidationResult:
    """The rules of the reference and the questionnaire applied to the rows of a file that
    passed the row model (``structure``: the issues of those that did not)."""
    issues = list(reading.issues) + structure
    wide = reading.layout == "wide"
    rules = RowRules(kind_of, questionnaires, wide=wide, book=book)

    def report(row, problem: Problem) -> None:
        if not problem.message:
            return
        # In the wide layout, a question's cell is in the question's own column.
        in_answer_cell = problem.field == "reponse" or (wide and problem.field == "code_question")
        where = row.reponse_column if in_answer_cell else reading.field_columns[problem.field]
        issues.append(
            ValidationIssue(
                row.line, where, row.code_question, problem.value, problem.severity,
                problem.message, problem.rule,
            )
        )  # fmt: skip

    answers = []
    answered_or_invalid: set[tuple[str, int, str]] = set()
    for row in rows.itertuples(index=False):
        problem = rules.row_problem(row)
        if problem:
            report(row, problem)
            continue
        warning = comment_problem(row.commentaire)
        if warning:
            report(row, warning)
        millesime = int(row.millesime)
        value = None
        if row.reponse:
            answered_or_invalid.add((row.code_territoire, millesime, row.code_question))
            value, invalid = rules.normalised(millesime, row.code_question, row.reponse)
            if invalid:
                shown = visible(row.reponse)
                message = f"Réponse « {shown} » invalide. {invalid}"
                report(row, Problem("reponse", shown, message, rule="reponse_invalide"))
                continue
        answers.append(
            [row.line, row.code_territoire, millesime, row.code_question, row.reponse or None,
             value, row.commentaire[:MAX_COMMENT_LENGTH] or None]
        )  # fmt: skip
    declared = tuple(sorted({(t, m) for t, m, _ in rules.first_line}))
    if not (reading.rows["reponse"] != "").any():
        issues.append(_no_answer_issue(reading.rows.empty, wide))
    issues += _missing_answer_issues(
        set(declared), answered_or_invalid, rules.kind_of, questionnaires, wide, rules.book
    )
    return ValidationResult(
        pd.DataFrame(answers, columns=ANSWER_COLUMNS),
        issues,
        True,
        reading.dialect,
        declared,
        tuple(sorted(set(rows["code_territoire"]))),
        tuple(sorted({int(m) for m in rows["millesime"]})),
    )


def _no_answer_issue(header_only: bool, wide: bool) -> ValidationIssue:
    """A file without a single answer is rejected: it would count for nothing."""
    found = "seul l'en-tête est présent" if header_only else "toutes les réponses sont vides"
    fill = (
        "une ligne par territoire, sa réponse dans la colonne de chaque question"
        if wide
        else "une ligne par question, sa réponse dans la colonne « reponse »"
    )
    return ValidationIssue(
        None, None, None, None, ERROR,
        f"Le fichier ne contient aucune réponse ({found}). Remplissez le modèle ({fill}) "
        "puis renvoyez-le.",
        "aucune_reponse",
    )  # fmt: skip


def _missing_answer_issues(
    submissions: set[tuple[str, int]],
    reported: set[tuple[str, int, str]],
    kind_of: pd.Series,
    questionnaires: Questionnaires,
    wide: bool = False,
    book: QuestionBook | None = None,
) -> Iterable[ValidationIssue]:
    """Required questions without an answer are errors; optional ones, warnings.

    ``reported`` holds the (territory, millésime, question) answered or already reported
    as invalid, which are not reported again.
    """
    add = "Remplissez sa colonne" if wide else "Ajoutez une ligne avec sa réponse"
    book = book or QuestionBook(questionnaires)
    for territory, millesime in sorted(submissions):
        asked = book.asked(questionnaires.for_millesime(millesime), kind_of[territory])
        for question in asked:
            if (territory, millesime, question.code) in reported:
                continue
            if question.required:
                yield ValidationIssue(
                    None, None, question.code, None, ERROR,
                    f"Question obligatoire sans réponse pour {territory} ({millesime}) : "
                    f"« {question.label} ». {add}{f' {question.code}' if wide else ''}.",
                    "obligatoire_sans_reponse",
                )  # fmt: skip
            else:
                yield ValidationIssue(
                    None, None, question.code, None, WARNING,
                    f"Question facultative sans réponse pour {territory} ({millesime}) : elle "
                    "compte comme non renseignée dans le taux de couverture.",
                    "facultative_sans_reponse",
                )  # fmt: skip


@dataclass(frozen=True)
class ReceivedFilesValidation:
    """Every received file validated: the answers of accepted files, the first lines of each
    file's report and its counts by rule, the status of each file, and the files that could
    not be read at all."""

    answers: pd.DataFrame
    #: The first ``REPORT_LINE_LIMIT`` lines of each file's report (see :func:`bounded_report`).
    issues: pd.DataFrame
    submission_files: pd.DataFrame
    #: (file name, exception) of each file whose validation raised (an internal error, for
    #: the caller to log: the exception's notes give the incident's reference).
    unreadable: list[tuple[str, Exception]]
    #: Issues of each file by rule and severity, all of them counted.
    rule_counts: pd.DataFrame
    #: The validations to keep: one entry per file, reused by the next call while its keys
    #: hold (a file whose validation raised is not kept: it is tried again).
    known: KeptValidations = field(default_factory=KeptValidations.empty)
    #: Files read and validated by this call, and files whose kept validation was reused.
    files_validated: int = 0
    files_reused: int = 0
    #: The entries of ``known`` made by this call (those of the files validated).
    new: KeptValidations = field(default_factory=KeptValidations.empty)


SUBMISSION_FILE_COLUMNS = [
    "sha256", "file_name", "received_at", "territory", "millesime", "declared", "status",
    "errors", "warnings",
]  # fmt: skip


def _too_large(archived: ArchivedFile) -> ValidationResult:
    """A file over the size limit is not even read: kept in the archive only."""
    issue = ValidationIssue(
        None, None, None, None, ERROR, too_large_message(archived.size_bytes), FILE_RULE
    )
    return ValidationResult(pd.DataFrame(), [issue], readable=False)


def _incident(archived: ArchivedFile, error: Exception) -> ValidationResult:
    """An internal error (never the file's: the reading boundary reports those) becomes an
    incident whose reference the file's report gives."""
    reference = record_incident(error, f"validation de {archived.file_name!r}", log=False)
    issue = ValidationIssue(
        None, None, None, None, ERROR, incident_message(reference), INTERNAL_ERROR_RULE
    )
    return ValidationResult(pd.DataFrame(), [issue], readable=False)


def _validated_files(
    files: Sequence[ArchivedFile], territories: pd.DataFrame, questionnaires: Questionnaires
) -> list[tuple[ValidationResult, Exception | None]]:
    """Validate archived files together (:func:`validate_submissions`); a file's internal
    error is its own incident, the others are validated all the same."""
    results: dict[int, ValidationResult | Exception] = {}
    readable = []
    for position, archived in enumerate(files):
        if archived.size_bytes > MAX_FILE_BYTES:
            results[position] = _too_large(archived)
            continue
        try:
            readable.append((position, Path(archived.archive_path).read_bytes()))
        except Exception as error:  # noqa: BLE001 - one file's incident must not stop the others
            results[position] = error
    found = validate_submissions([content for _, content in readable], territories, questionnaires)
    results.update(zip([position for position, _ in readable], found, strict=True))
    outcome = []
    for position, archived in enumerate(files):
        result = results[position]
        if isinstance(result, Exception):
            outcome.append((_incident(archived, result), result))
        else:
            outcome.append((result, None))
    return outcome


def _entries(
    files: Sequence[ArchivedFile],
    validated: Sequence[tuple[ValidationResult, Exception | None]],
    questionnaires: Questionnaires,
    reference: str,
    rules: str,
    report_line_limit: int,
) -> KeptValidations:
    """The validations of ``files`` as entries to keep, keyed by what they were made with."""
    records, answers, issues, counts = [], [], [], []
    versions = kept.questionnaire_versions(questionnaires)
    for archived, (result, _) in zip(files, validated, strict=True):
        report = bounded_report(result.issues, report_line_limit)
        sha = archived.sha256
        records.append(
            [sha, questionnaire_key(questionnaires, result.written_millesimes, versions), reference,
             rules, result.accepted, report.errors, report.warnings,
             ",".join(result.written_territories) or None,
             json.dumps(list(result.written_millesimes)),
             json.dumps([list(pair) for pair in result.declared])]
        )  # fmt: skip
        if result.accepted and len(result.answers):
            answers.append((sha, result.answers))
        issues += [
            [sha, position, issue.line, issue.column, issue.question, issue.value,
             issue.severity, issue.message, issue.rule]
            for position, issue in enumerate(report.lines)
        ]  # fmt: skip
        counts += [
            [sha, position, count.rule, count.label, count.severity, count.issues]
            for position, count in enumerate(report.counts)
        ]  # fmt: skip
    return KeptValidations(
        files=pd.DataFrame(records, columns=kept.FILE_COLUMNS),
        answers=_kept_answers(answers),
        issues=pd.DataFrame(issues, columns=kept.ISSUE_COLUMNS),
        rule_counts=pd.DataFrame(counts, columns=kept.RULE_COUNT_COLUMNS),
    )


def _kept_answers(answers: Sequence[tuple[str, pd.DataFrame]]) -> pd.DataFrame:
    """The answers of each file (its SHA-256, its answers) in one frame, each row with its
    file's hash and its position in the file: one concatenation, not a frame per file."""
    if not answers:
        return pd.DataFrame(columns=kept.ANSWER_COLUMNS)
    lengths = [len(frame) for _, frame in answers]
    together = pd.concat([frame for _, frame in answers], ignore_index=True)
    together["sha256"] = np.repeat(np.array([sha for sha, _ in answers], dtype=object), lengths)
    together["position"] = np.concatenate([np.arange(n, dtype="int64") for n in lengths])
    return together[kept.ANSWER_COLUMNS]


def validate_received_files(
    files: Iterable[ArchivedFile],
    territories: pd.DataFrame,
    questionnaires: Questionnaires,
    report_line_limit: int = REPORT_LINE_LIMIT,
    known: KeptValidations | None = None,
) -> ReceivedFilesValidation:
    """Validate every archived file, oldest first, each against the questionnaire version of
    its millésime; statuses take later files into account (superseded, corrected).

    Each file's report keeps its first ``report_line_limit`` lines and its counts by rule,
    so that no file, however many errors it holds, makes the reports grow without bound.

    A file whose validation is ``known`` (kept by an earlier call) with the same reference,
    the same rules and the same questionnaire versions of its millésimes is not read again:
    its kept answers and report are used. The others are read and validated together.
    """
    files = list(files)
    questionnaires = as_questionnaires(questionnaires)
    reference = reference_version(territories)
    rules = rules_version(report_line_limit)
    known = known if known is not None else KeptValidations.empty()
    reusable = kept.reusable_files(known, questionnaires, reference, rules)
    fresh = [archived for archived in files if archived.sha256 not in reusable]
    validated = _validated_files(fresh, territories, questionnaires)
    made = _entries(fresh, validated, questionnaires, reference, rules, report_line_limit)
    failed = [
        (a, error) for a, (_, error) in zip(fresh, validated, strict=True) if error is not None
    ]
    current = known.only({archived.sha256 for archived in files} & reusable).plus(made)
    keep = current.without(*(archived.sha256 for archived, _ in failed))
    return _assembled(
        files,
        current,
        keep,
        made.without(*(archived.sha256 for archived, _ in failed)),
        [(archived.file_name, error) for archived, error in failed],
        len(files) - len(fresh),
    )


def _assembled(
    files: Sequence[ArchivedFile],
    current: KeptValidations,
    keep: KeptValidations,
    new: KeptValidations,
    unreadable: list[tuple[str, Exception]],
    reused: int,
) -> ReceivedFilesValidation:
    """The tables of every file from the validation of each, in the order of the archive
    (oldest first) and, within a file, in the order of its report."""
    order = pd.DataFrame(
        {
            "sha256": [archived.sha256 for archived in files],
            "file_name": [archived.file_name for archived in files],
            "received_at": pd.to_datetime([archived.received_at for archived in files]),
            "file_order": range(len(files)),
        }
    )

    def in_order(frame: pd.DataFrame, by_position: bool = True) -> pd.DataFrame:
        placed = frame.merge(order, on="sha256", how="inner", validate="many_to_one")
        keys = ["file_order", "position"] if by_position else ["file_order"]
        return placed.sort_values(keys, kind="stable").reset_index(drop=True)

    file_rows = in_order(current.files, by_position=False)
    accepted = set(file_rows.loc[file_rows["accepted"].astype(bool), "sha256"])
    answers = in_order(current.answers.loc[current.answers["sha256"].isin(accepted)])
    columns = list(ValidatedAnswerSchema.to_schema().columns)
    validated = ValidatedAnswerSchema.validate(
        answers[columns] if len(answers) else pd.DataFrame(columns=columns)
    )
    issues = in_order(current.issues)
    issues = issues[["sha256", "file_name", *ISSUE_COLUMNS]].astype(
        {"line": "Int64", "value": object}
    )
    issues["value"] = issues["value"].where(issues["value"].notna(), None)
    counts = in_order(current.rule_counts)
    rule_counts = ValidationRuleCountSchema.validate(
        counts[["sha256", "file_name", *RULE_COUNT_COLUMNS]].astype({"issues": "int64"})
    )
    written = file_rows["millesimes"].map(json.loads)
    submission_files = pd.DataFrame(
        {
            "sha256": file_rows["sha256"],
            "file_name": file_rows["file_name"],
            "received_at": file_rows["received_at"],
            "territory": file_rows["territories"].where(file_rows["territories"].notna(), None),
            "millesime": written.map(lambda found: found[0] if len(found) == 1 else None),
            "declared": file_rows["declared"].map(
                lambda text: [tuple(p) for p in json.loads(text)]
            ),
            "status": file_rows["accepted"].map(lambda ok: ACCEPTED if ok else REJECTED),
            "errors": file_rows["errors"].astype("int64"),
            "warnings": file_rows["warnings"].astype("int64"),
        },
        columns=SUBMISSION_FILE_COLUMNS,
    ).astype({"millesime": "Int64"})
    submission_files["status"] = file_statuses(submission_files)
    return ReceivedFilesValidation(
        validated,
        issues,
        submission_files.drop(columns="declared"),
        unreadable,
        rule_counts,
        keep,
        len(files) - reused,
        reused,
        new,
    )
