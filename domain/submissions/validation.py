"""Validation: a received file checked against the template, the reference and the
questionnaire version of its millésime, into answers (accepted file) or a report of French
messages saying what is wrong, where, and how to fix it (rejected file)."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pandera.errors

from domain.questionnaire import Questionnaire, Questionnaires, as_questionnaires
from domain.submissions.answers import normalise_answer, visible
from domain.submissions.archive import ArchivedFile
from domain.submissions.dialects import MAX_FILE_BYTES, too_large_message
from domain.submissions.incidents import incident_message, record_incident
from domain.submissions.reading import read_submission_rows
from domain.submissions.report import (
    FILE_RULE,
    INTERNAL_ERROR_RULE,
    REPORT_LINE_LIMIT,
    BoundedReport,
    ValidationIssue,
    bounded_report,
    issues_frame,
    rule_counts_frame,
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

    def __post_init__(self) -> None:
        self.questions_of = {
            q.version: q.questions.set_index("code") for q in self.questionnaires.versions
        }

    def question(self, millesime: int, code: str) -> pd.Series:
        """The question ``code`` of the questionnaire version of ``millesime``."""
        return self.questions_of[self.questionnaires.for_millesime(millesime).version].loc[code]

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
        questions = self.questions_of[version.version]
        if (
            self.wide
            and not row.reponse
            and (code not in questions.index or kind not in questions.loc[code, "asked_of"])
        ):
            # A blank cell is no answer: under a question not asked of this territory (another
            # kind's, another version's), there is nothing to say.
            return Problem("code_question", code, "")
        if code not in questions.index:
            return Problem(
                "code_question", code,
                f"La question « {code} » n'existe pas dans le questionnaire {version.version} "
                f"(millésime {int(row.millesime)}). Reprenez les codes du modèle"
                + (" ou videz cette cellule." if self.wide else "."),
                rule="question_inconnue",
            )  # fmt: skip
        if kind not in questions.loc[code, "asked_of"]:
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
    issues = list(reading.issues)
    if reading.rows is None:
        return ValidationResult(
            pd.DataFrame(columns=ANSWER_COLUMNS), issues, reading.readable, reading.dialect
        )
    rows, structure = _structure_issues(reading.rows, reading.field_columns)
    issues += structure
    questionnaires = as_questionnaires(questionnaire)
    wide = reading.layout == "wide"
    rules = RowRules(territories.set_index("code")["kind"], questionnaires, wide=wide)

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
            question = rules.question(millesime, row.code_question)
            value, invalid = normalise_answer(question, row.reponse)
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
        set(declared), answered_or_invalid, rules.kind_of, questionnaires, wide
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
) -> Iterable[ValidationIssue]:
    """Required questions without an answer are errors; optional ones, warnings.

    ``reported`` holds the (territory, millésime, question) answered or already reported
    as invalid, which are not reported again.
    """
    add = "Remplissez sa colonne" if wide else "Ajoutez une ligne avec sa réponse"
    for territory, millesime in sorted(submissions):
        asked = questionnaires.for_millesime(millesime).questions_for_kind(kind_of[territory])
        for question in asked.itertuples():
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


SUBMISSION_FILE_COLUMNS = [
    "sha256", "file_name", "received_at", "territory", "millesime", "declared", "status",
    "errors", "warnings",
]  # fmt: skip


def _safely_validated(
    archived: ArchivedFile, territories: pd.DataFrame, questionnaires: Questionnaires
) -> tuple[ValidationResult, Exception | None]:
    """Validate one archived file; an internal error (never the file's: the reading boundary
    reports those) becomes an incident whose reference the file's report gives."""
    if archived.size_bytes > MAX_FILE_BYTES:  # not even read: kept in the archive only
        issue = ValidationIssue(
            None, None, None, None, ERROR, too_large_message(archived.size_bytes), FILE_RULE
        )
        return ValidationResult(pd.DataFrame(), [issue], readable=False), None
    try:
        content = Path(archived.archive_path).read_bytes()
        return validate_submission(content, territories, questionnaires), None
    except Exception as error:  # noqa: BLE001 - one file's incident must not stop the others
        reference = record_incident(error, f"validation de {archived.file_name!r}", log=False)
        issue = ValidationIssue(
            None, None, None, None, ERROR, incident_message(reference), INTERNAL_ERROR_RULE
        )
        return ValidationResult(pd.DataFrame(), [issue], readable=False), error


def _file_status(archived: ArchivedFile, result: ValidationResult, report: BoundedReport) -> dict:
    millesimes = result.written_millesimes
    return {
        "sha256": archived.sha256,
        "file_name": archived.file_name,
        "received_at": archived.received_at,
        "territory": ",".join(result.written_territories) or None,
        "millesime": millesimes[0] if len(millesimes) == 1 else None,
        "declared": list(result.declared),
        "status": ACCEPTED if result.accepted else REJECTED,
        "errors": report.errors,
        "warnings": report.warnings,
    }


def validate_received_files(
    files: Iterable[ArchivedFile],
    territories: pd.DataFrame,
    questionnaires: Questionnaires,
    report_line_limit: int = REPORT_LINE_LIMIT,
) -> ReceivedFilesValidation:
    """Validate every archived file, oldest first, each against the questionnaire version of
    its millésime; statuses take later files into account (superseded, corrected).

    Each file's report keeps its first ``report_line_limit`` lines and its counts by rule,
    so that no file, however many errors it holds, makes the reports grow without bound.
    """
    answers, reports, counts, statuses, unreadable = [], [], [], [], []
    for archived in files:
        result, error = _safely_validated(archived, territories, questionnaires)
        if error is not None:
            unreadable.append((archived.file_name, error))
        report = bounded_report(result.issues, report_line_limit)
        reports.append(issues_frame(report.lines, archived.sha256, archived.file_name))
        counts.append(rule_counts_frame(report, archived.sha256, archived.file_name))
        statuses.append(_file_status(archived, result, report))
        if result.accepted:
            answers.append(
                result.answers.assign(
                    sha256=archived.sha256,
                    file_name=archived.file_name,
                    received_at=archived.received_at,
                )
            )
    columns = list(ValidatedAnswerSchema.to_schema().columns)
    validated = ValidatedAnswerSchema.validate(
        pd.concat(answers, ignore_index=True)[columns] if answers else pd.DataFrame(columns=columns)
    )
    issues = pd.concat(reports, ignore_index=True) if reports else issues_frame([], "", "")
    rule_counts = ValidationRuleCountSchema.validate(
        pd.concat(counts, ignore_index=True)
        if counts
        else rule_counts_frame(bounded_report([]), "", "")
    )
    submission_files = pd.DataFrame(statuses, columns=SUBMISSION_FILE_COLUMNS).astype(
        {"millesime": "Int64"}
    )
    submission_files["status"] = file_statuses(submission_files)
    return ReceivedFilesValidation(
        validated, issues, submission_files.drop(columns="declared"), unreadable, rule_counts
    )
