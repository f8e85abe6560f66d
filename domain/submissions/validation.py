"""Validation: a received file checked against the template, the reference and the
questionnaire version of its millésime, into answers (accepted file) or a report of French
messages saying what is wrong, where, and how to fix it (rejected file)."""

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pandera.errors

from domain.questionnaire import Questionnaire, Questionnaires, as_questionnaires
from domain.submissions.answers import normalise_answer
from domain.submissions.archive import ArchivedFile
from domain.submissions.reading import read_submission_rows
from domain.submissions.report import ValidationIssue, issues_frame
from domain.submissions.statuses import file_statuses
from schemas.submission import MAX_COMMENT_LENGTH, SubmissionRowSchema, ValidatedAnswerSchema
from schemas.vocabulary import ACCEPTED, ERROR, REJECTED, WARNING


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


@dataclass(frozen=True)
class ReceivedFilesValidation:
    """Every received file validated: the answers of accepted files, every report line, the
    status of each file, and the files that could not be read at all."""

    answers: pd.DataFrame
    issues: pd.DataFrame
    submission_files: pd.DataFrame
    #: (file name, exception) of each file whose reading raised.
    unreadable: list[tuple[str, Exception]]


SUBMISSION_FILE_COLUMNS = [
    "sha256", "file_name", "received_at", "territory", "millesime", "declared", "status",
    "errors", "warnings",
]  # fmt: skip


def _safely_validated(
    archived: ArchivedFile, territories: pd.DataFrame, questionnaires: Questionnaires
) -> tuple[ValidationResult, Exception | None]:
    try:
        content = Path(archived.archive_path).read_bytes()
        return validate_submission(content, territories, questionnaires), None
    except Exception as error:  # noqa: BLE001 - one unreadable file must not stop the others
        issue = ValidationIssue(
            None, None, None, None, ERROR,
            f"Fichier illisible ({type(error).__name__}) : renvoyez-le au format du modèle "
            "(CSV UTF-8 séparé par des « ; »).",
        )  # fmt: skip
        return ValidationResult(pd.DataFrame(), [issue], readable=False), error


def _file_status(archived: ArchivedFile, result: ValidationResult, report: pd.DataFrame) -> dict:
    millesimes = result.written_millesimes
    return {
        "sha256": archived.sha256,
        "file_name": archived.file_name,
        "received_at": archived.received_at,
        "territory": ",".join(result.written_territories) or None,
        "millesime": millesimes[0] if len(millesimes) == 1 else None,
        "declared": list(result.declared),
        "status": ACCEPTED if result.accepted else REJECTED,
        "errors": int((report["severity"] == ERROR).sum()),
        "warnings": int((report["severity"] == WARNING).sum()),
    }


def validate_received_files(
    files: Iterable[ArchivedFile], territories: pd.DataFrame, questionnaires: Questionnaires
) -> ReceivedFilesValidation:
    """Validate every archived file, oldest first, each against the questionnaire version of
    its millésime; statuses take later files into account (superseded, corrected)."""
    answers, reports, statuses, unreadable = [], [], [], []
    for archived in files:
        result, error = _safely_validated(archived, territories, questionnaires)
        if error is not None:
            unreadable.append((archived.file_name, error))
        report = issues_frame(result.issues, archived.sha256, archived.file_name)
        reports.append(report)
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
    submission_files = pd.DataFrame(statuses, columns=SUBMISSION_FILE_COLUMNS).astype(
        {"millesime": "Int64"}
    )
    submission_files["status"] = file_statuses(submission_files)
    return ReceivedFilesValidation(
        validated, issues, submission_files.drop(columns="declared"), unreadable
    )
