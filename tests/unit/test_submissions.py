"""Reading and validating submission files: each rejection reason, with its report row."""

from __future__ import annotations

import hashlib

import pandas as pd
import pytest

from domain.submissions.answers import normalise_answer, parse_french_number
from domain.submissions.archive import archive_file
from domain.submissions.reading import read_submission_rows
from domain.submissions.validation import validate_submission
from pipelines.demo import demo_rows, to_csv_bytes
from schemas.submission import SUBMISSION_COLUMNS
from schemas.vocabulary import ERROR, WARNING

TERRITORIES = pd.DataFrame({"code": ["DEP-13", "REG-93"], "kind": ["DEP", "REG"]})


@pytest.fixture(scope="module")
def dep13_rows(questionnaire):
    territory = pd.Series({"code": "DEP-13", "kind": "DEP", "population": 2_000_000})
    return demo_rows(territory, 2026, 0.6, questionnaire, seed=1)


def errors_of(result):
    return [(i.line, i.column, i.question) for i in result.issues if i.severity == ERROR]


def test_a_complete_file_is_accepted(dep13_rows, questionnaire):
    result = validate_submission(to_csv_bytes(dep13_rows), TERRITORIES, questionnaire)
    assert result.accepted
    assert len(result.answers) == len(dep13_rows)
    assert set(result.answers["territory"]) == {"DEP-13"}


def test_bom_blank_lines_and_trailing_empty_columns_are_tolerated(dep13_rows, questionnaire):
    text = to_csv_bytes(dep13_rows).decode("utf-8")
    lines = text.split("\r\n")
    lines.insert(3, ";;;;")
    lines.insert(5, "")
    lines[1] = lines[1] + ";;"
    content = "\ufeff".encode() + "\r\n".join(lines).encode("utf-8")
    result = validate_submission(content, TERRITORIES, questionnaire)
    assert result.accepted, result.issues
    assert result.answers["line"].iloc[0] == 2


def replace_answer(rows, question, answer):
    return [[*r[:3], answer, r[4]] if r[2] == question else r for r in rows]


@pytest.mark.parametrize(
    ("answer_type", "answer", "expected_in_message"),
    [
        ("oui_non", "peut-être", "« oui » ou « non »"),
        ("echelle", "7", "de 0 à 4"),
        ("pourcentage", "150", "entre 0 et 100"),
        ("nombre", "-3", "positif"),
        ("choix_multiple", "fax", "Choix inconnu(s) : fax"),
    ],
)
def test_a_wrong_value_rejects_the_file_with_its_line(
    dep13_rows, questionnaire, answer_type, answer, expected_in_message
):
    asked = {r[2] for r in dep13_rows}
    questions = questionnaire.questions
    question = questions.loc[
        (questions["answer_type"] == answer_type) & questions["code"].isin(asked), "code"
    ].iloc[0]
    rows = replace_answer(dep13_rows, question, answer)
    line = 2 + [r[2] for r in rows].index(question)
    result = validate_submission(to_csv_bytes(rows), TERRITORIES, questionnaire)
    assert not result.accepted
    assert errors_of(result) == [(line, "D (reponse)", question)]
    message = next(i.message for i in result.issues if i.severity == ERROR)
    assert answer in message and expected_in_message in message


def test_unknown_territory(dep13_rows, questionnaire):
    rows = [["DEP-99", *r[1:]] for r in dep13_rows]
    result = validate_submission(to_csv_bytes(rows), TERRITORIES, questionnaire)
    assert errors_of(result) == [(2, "A (code_territoire)", "LAB_01")]


def test_malformed_territory_code_is_caught_by_the_schema(dep13_rows, questionnaire):
    rows = [["13", *dep13_rows[0][1:]], *dep13_rows[1:]]
    result = validate_submission(to_csv_bytes(rows), TERRITORIES, questionnaire)
    issue = next(i for i in result.issues if i.severity == ERROR and i.line == 2)
    assert issue.column == "A (code_territoire)" and "DEP-13" in issue.message


def test_millesime_not_open(dep13_rows, questionnaire):
    rows = [[r[0], "2019", *r[2:]] for r in dep13_rows]
    result = validate_submission(to_csv_bytes(rows), TERRITORIES, questionnaire)
    assert errors_of(result)[0] == (2, "B (millesime)", "LAB_01")
    assert "2019 n'est pas ouvert" in result.issues[0].message


def test_unknown_question_and_duplicate(dep13_rows, questionnaire):
    rows = [*dep13_rows, ["DEP-13", "2026", "LAB_09", "oui", ""], dep13_rows[0]]
    result = validate_submission(to_csv_bytes(rows), TERRITORIES, questionnaire)
    n = len(dep13_rows)
    assert errors_of(result) == [
        (n + 2, "C (code_question)", "LAB_09"),
        (n + 3, "C (code_question)", "LAB_01"),
    ]
    assert any("déjà une réponse ligne 2" in i.message for i in result.issues)


def test_question_not_asked_of_this_kind(dep13_rows, questionnaire):
    regional_only = questionnaire.questions.loc[
        questionnaire.questions["asked_of"].map(lambda k: "DEP" not in k), "code"
    ].iloc[0]
    rows = [*dep13_rows, ["DEP-13", "2026", regional_only, "oui", ""]]
    result = validate_submission(to_csv_bytes(rows), TERRITORIES, questionnaire)
    assert errors_of(result) == [(len(rows) + 1, "C (code_question)", regional_only)]
    assert "n'est pas posée" in next(i.message for i in result.issues if i.severity == ERROR)


def test_missing_required_answer_is_an_error_and_missing_optional_a_warning(
    dep13_rows, questionnaire
):
    required = set(questionnaire.questions.loc[questionnaire.questions["required"], "code"])
    optional_row = next(r for r in dep13_rows if r[2] not in required)
    required_row = next(r for r in dep13_rows if r[2] in required)
    rows = [r for r in dep13_rows if r not in (optional_row, required_row)]
    result = validate_submission(to_csv_bytes(rows), TERRITORIES, questionnaire)
    assert sorted((i.question, i.severity) for i in result.issues) == sorted(
        [(required_row[2], ERROR), (optional_row[2], WARNING)]
    )
    assert not result.accepted


def test_the_comment_column_is_optional(dep13_rows, questionnaire):
    content = to_csv_bytes([r[:4] for r in dep13_rows], SUBMISSION_COLUMNS[:4])
    assert validate_submission(content, TERRITORIES, questionnaire).accepted


def test_unrecognised_header(dep13_rows, questionnaire):
    content = to_csv_bytes(dep13_rows, ["territoire", "annee", "question", "valeur", "commentaire"])
    reading = read_submission_rows(content)
    assert reading.rows is None and reading.readable
    assert reading.issues[0].line == 1 and "En-tête non reconnu" in reading.issues[0].message


def test_a_line_with_too_many_values(dep13_rows, questionnaire):
    content = to_csv_bytes(dep13_rows).replace(
        b"DEP-13;2026;LAB_03;", b"DEP-13;2026;LAB_03;x;y;z;", 1
    )
    result = validate_submission(content, TERRITORIES, questionnaire)
    assert (4, None, None) in errors_of(result)


def test_empty_file():
    reading = read_submission_rows(b"")
    assert reading.rows is None and not reading.readable
    assert reading.issues[0].message == "Le fichier est vide."


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("45", 45.0),
        ("45,5", 45.5),
        ("45.5", 45.5),
        ("45 %", 45.0),
        ("1 200", 1200.0),
        ("abc", None),
        ("", None),
    ],
)
def test_parse_french_number(raw, expected):
    assert parse_french_number(raw) == expected


def test_normalise_answer_accepts_labels_and_case(questionnaire):
    questions = questionnaire.questions.set_index("code")
    assert normalise_answer(questions.loc["LAB_01"], "OUI") == (1.0, None)
    assert normalise_answer(questions.loc["LAB_01"], "Non") == (0.0, None)
    scale = questions.loc["LAB_02"]
    assert normalise_answer(scale, scale["scale_labels"][3].upper()) == (3.0, None)
    multi = questions.loc["SERV_04"]
    first_code, first_label = multi["options"][0]
    assert normalise_answer(multi, f"{first_code} | {multi['options'][1][1]}") == (2.0, None)
    assert normalise_answer(multi, "aucun") == (0.0, None)


def test_archive_keeps_bytes_under_their_hash_once(tmp_path):
    source = tmp_path / "envoi.csv"
    source.write_bytes(b"a;b\r\n")
    first = archive_file(source, tmp_path / "archive")
    second = archive_file(source, tmp_path / "archive")
    assert first.sha256 == hashlib.sha256(b"a;b\r\n").hexdigest()
    assert first.archive_path == second.archive_path
    stored = [p for p in (tmp_path / "archive").rglob("*") if p.is_file()]
    assert stored == [tmp_path / "archive" / first.sha256[:2] / f"{first.sha256}.csv"]
    assert stored[0].read_bytes() == b"a;b\r\n"


def test_archived_name_never_comes_from_the_user(tmp_path):
    source = tmp_path / "..%2F..%2Fetc%2Fpasswd.exe"
    source.write_bytes(b"x")
    archived = archive_file(source, tmp_path / "archive")
    assert archived.archive_path.endswith(f"{archived.sha256}.bin")
    assert archived.file_name == source.name


def test_file_statuses_supersede_and_quarantine():
    from datetime import datetime

    from domain.submissions.statuses import file_statuses

    def file(day, name, status, declared):
        return {
            "received_at": datetime(2026, 1, day),
            "file_name": name,
            "status": status,
            "declared": declared,
        }

    dep13 = [("DEP-13", 2026)]
    files = pd.DataFrame(
        [
            file(1, "a.csv", "acceptée", dep13),
            file(2, "b.csv", "rejetée", dep13),
            file(3, "c.csv", "acceptée", dep13),
            file(4, "d.csv", "rejetée", dep13),
            file(4, "illisible.bin", "rejetée", []),
            file(5, "large.csv", "acceptée", [("DEP-01", 2026), ("DEP-02", 2026)]),
            file(6, "dep01.csv", "acceptée", [("DEP-01", 2026)]),
        ]
    )
    assert file_statuses(files).tolist() == [
        "remplacée",  # a later accepted file replaces it
        "corrigée",  # rejected, then corrected by c.csv
        "acceptée",
        "rejetée",  # still in quarantine: nothing accepted after it
        "rejetée",
        "acceptée",  # still the current file for DEP-02
        "acceptée",
    ]


def test_a_rejected_file_still_says_which_territory_and_millesime_it_was_for(
    dep13_rows, questionnaire
):
    rows = [["DEP-99", *r[1:]] for r in dep13_rows]
    result = validate_submission(to_csv_bytes(rows), TERRITORIES, questionnaire)
    assert not result.accepted and result.declared == ()
    assert result.written_territories == ("DEP-99",)
    assert result.written_millesimes == (2026,)


def test_the_pipeline_reports_unreadable_files_and_incidents_apart(
    tmp_path, monkeypatch, questionnaire
):
    """An unreadable file gets the reading boundary's French reason; an internal error, a
    reference that its trace (the exception's notes) carries too."""
    from domain.questionnaire import as_questionnaires
    from domain.submissions import validation
    from domain.submissions.archive import archive_bytes
    from tests.support import nasty_files

    territories = pd.DataFrame({"code": ["DEP-13"], "kind": ["DEP"]})
    questionnaires = as_questionnaires(questionnaire)
    bomb = archive_bytes(nasty_files.entity_bomb_xlsx(), "bombe.xlsx", tmp_path)
    done = validation.validate_received_files([bomb], territories, questionnaires)
    assert done.unreadable == []
    assert done.issues["message"].str.contains("entités XML").tolist() == [True]

    def explode(*args, **kwargs):
        raise RuntimeError("panne interne")

    monkeypatch.setattr(validation, "validate_submission", explode)
    done = validation.validate_received_files([bomb], territories, questionnaires)
    ((name, error),) = done.unreadable
    (message,) = done.issues["message"]
    reference = message.split("référence ")[1][:8]
    assert name == "bombe.xlsx" and "Erreur interne" in message
    assert any(reference in note for note in error.__notes__)
