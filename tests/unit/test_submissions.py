"""Reading and validating submission files: each rejection reason, with its report row."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.submissions.answers import (
    ANSWER_FORMS,
    GROUP_SPACES,
    normalise_answer,
    parse_french_number,
)
from domain.submissions.archive import archive_file
from domain.submissions.dialects import column_letter
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
        ("1\u00a0200", 1200.0),
        ("1\u202f200 000", 1200000.0),
        ("12 34", None),
        ("1 2", None),
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


def question_of_type(questionnaire, answer_type: str) -> pd.Series:
    """A question of that type; for a scale, one with the default labels; for a multiple
    choice, SERV_04, whose codes the documented examples use."""
    questions = questionnaire.questions.set_index("code")
    if answer_type == "choix_multiple":
        return questions.loc["SERV_04"]
    kind = questions.loc[questions["answer_type"] == answer_type]
    if answer_type == "echelle":
        kind = kind.loc[kind["scale_labels"].map(lambda s: s == questionnaire.scale_labels)]
    return kind.iloc[0]


DOCUMENTED = [
    (kind, example, True) for kind, form in ANSWER_FORMS.items() for example in form.examples
] + [(kind, example, False) for kind, form in ANSWER_FORMS.items() for example, _ in form.refused]


@pytest.mark.parametrize(("answer_type", "answer", "accepted"), DOCUMENTED)
def test_the_documented_forms_are_the_parsers(questionnaire, answer_type, answer, accepted):
    """The examples the template and docs/formats-de-reponse.md show are accepted or refused."""
    value, message = normalise_answer(question_of_type(questionnaire, answer_type), answer)
    assert (value is not None) == accepted, message
    assert (message is None) == accepted


@pytest.mark.parametrize(
    ("answer_type", "answer", "expected"),
    [
        ("oui_non", " Oui ", 1.0),
        ("oui_non", "NON", 0.0),
        ("oui_non", "Vrai", 1.0),
        ("echelle", "RIEN N’EST ENGAGÉ", 0.0),
        ("echelle", "  deployé,   généralisé et EVALUE ", 4.0),
        ("echelle", "4 - Déployé, généralisé et évalué", 4.0),
        ("pourcentage", "45%", 45.0),
        ("pourcentage", "45\u202f%", 45.0),
        ("pourcentage", "0,5 %", 0.5),
        ("pourcentage", "0", 0.0),
        ("pourcentage", "1", 1.0),
        ("pourcentage", "12.345", 12.345),  # 12 345 % cannot be: a decimal point
        ("nombre", "1 200", 1200.0),
        ("nombre", "1\u00a0200", 1200.0),
        ("nombre", "1\u202f200\u202f000", 1200000.0),
        ("choix_multiple", "PAIEMENT EN LIGNE (PayFiP ou équivalent) ; prise_rdv", 2.0),
        ("choix_multiple", "paiement | paiement", 1.0),
        ("choix_multiple", "Néant", 0.0),
    ],
)
def test_accents_case_spaces_and_group_spaces_are_read(
    questionnaire, answer_type, answer, expected
):
    assert normalise_answer(question_of_type(questionnaire, answer_type), answer) == (
        expected,
        None,
    )


@pytest.mark.parametrize(
    ("answer_type", "answer", "fix"),
    [
        ("nombre", "1.200", "s'agit-il de 1 200 ? Écrivez 1200"),
        ("nombre", "2,500", "s'agit-il de 2 500 ou de 2,5 ?"),
        ("nombre", "12.345.678", "Écrivez 12345678"),
        ("nombre", "12,5", "est entier"),
        ("nombre", "12,0", "écrivez 12"),
        ("nombre", "12 34", "nombre entier"),
        ("pourcentage", "0,45", "s'agit-il de 45 % ? Écrivez 45 ; pour 0,45 %, écrivez « 0,45 % »"),
        ("pourcentage", "0.333", "s'agit-il de 33,3 % ?"),
        ("pourcentage", "1,0", "s'agit-il de 100 % ?"),
        ("pourcentage", "100,5", "ne dépasse pas 100"),
        ("pourcentage", "1 000", "ne dépasse pas 100"),
        ("pourcentage", "-1", "n'est pas négatif"),
        ("echelle", "2,5", "Un niveau est entier"),
        ("echelle", "1 = Déployé en partie", "deux niveaux différents"),
        ("echelle", "Déployé", "de 0 à 4"),
        ("choix_multiple", "aucun|paiement", "« aucun » ne se combine pas"),
        ("choix_multiple", "prise_rdv, paiement", "Séparez les choix par « | »"),
        ("oui_non", "1\r2", "retour chariot (\\r)"),
        ("nombre", "1\r2", "sur une seule ligne"),
        ("nombre", "1\n2", "saut de ligne"),
        ("nombre", "12\u200b", "caractère invisible"),
    ],
)
def test_ambiguous_or_impossible_answers_are_errors_naming_the_fix(
    questionnaire, answer_type, answer, fix
):
    value, message = normalise_answer(question_of_type(questionnaire, answer_type), answer)
    assert value is None
    assert fix in message


def test_a_count_written_with_a_thousands_dot_rejects_the_file_with_the_fix(
    dep13_rows, questionnaire
):
    count = question_of_type(questionnaire, "nombre")
    assert count.name in {r[2] for r in dep13_rows}
    rows = replace_answer(dep13_rows, count.name, "1.200")
    line = 2 + [r[2] for r in rows].index(count.name)
    result = validate_submission(to_csv_bytes(rows), TERRITORIES, questionnaire)
    assert errors_of(result) == [(line, "D (reponse)", count.name)]
    (error,) = [i for i in result.issues if i.severity == ERROR]
    assert "1.200" in error.message and "s'agit-il de 1 200 ? Écrivez 1200" in error.message


def test_a_carriage_return_inside_an_answer_is_an_error_shown_visibly(dep13_rows, questionnaire):
    count = question_of_type(questionnaire, "nombre").name
    rows = replace_answer(dep13_rows, count, "1\r2")  # written quoted by the CSV writer
    result = validate_submission(to_csv_bytes(rows), TERRITORIES, questionnaire)
    assert not result.accepted
    (error,) = [i for i in result.issues if i.severity == ERROR]
    assert error.question == count and error.value == "1\\r2"
    assert "\r" not in error.message and "retour chariot" in error.message


def test_a_comment_may_hold_line_breaks(dep13_rows, questionnaire):
    rows = [[*dep13_rows[0][:4], "Voté le 3 mars\r\nmis en œuvre en juin"], *dep13_rows[1:]]
    result = validate_submission(to_csv_bytes(rows), TERRITORIES, questionnaire)
    assert result.accepted
    assert result.answers["comment"].iloc[0] == "Voté le 3 mars\r\nmis en œuvre en juin"


@pytest.mark.parametrize(
    "content",
    [
        ";".join(SUBMISSION_COLUMNS).encode() + b"\r\n",
        ";".join(SUBMISSION_COLUMNS).encode() + b"\r\n;;;;\r\n\r\n",
        b"code_territoire;millesime;LAB_01;LAB_02\r\n",
    ],
    ids=["header-only", "header-and-blank-lines", "wide-header-only"],
)
def test_a_file_without_any_answer_is_rejected(content, questionnaire):
    result = validate_submission(content, TERRITORIES, questionnaire)
    assert result.readable and not result.accepted
    assert any("aucune réponse" in i.message for i in result.issues if i.severity == ERROR)


def test_an_xlsx_whose_sheet_has_only_the_header_is_rejected(questionnaire):
    workbook = openpyxl.Workbook()
    workbook.active.append(SUBMISSION_COLUMNS)
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = validate_submission(buffer.getvalue(), TERRITORIES, questionnaire)
    assert not result.accepted
    assert any("aucune réponse (seul l'en-tête" in i.message for i in result.issues)


def test_a_template_sent_back_blank_is_rejected_for_having_no_answer(dep13_rows, questionnaire):
    rows = [[*r[:3], "", ""] for r in dep13_rows]
    result = validate_submission(to_csv_bytes(rows), TERRITORIES, questionnaire)
    assert any("toutes les réponses sont vides" in i.message for i in result.issues)


@pytest.fixture(scope="module")
def mixed_kinds_export(dep13_rows, questionnaire):
    """A survey tool's wide export of a département and a région: one column per question
    asked of either kind, blank where the question is not asked of the row's kind."""
    region = pd.Series({"code": "REG-93", "kind": "REG", "population": 5_000_000})
    reg93_rows = demo_rows(region, 2026, 0.4, questionnaire, seed=2)
    answers = {
        "DEP-13": {r[2]: r[3] for r in dep13_rows},
        "REG-93": {r[2]: r[3] for r in reg93_rows},
    }
    codes = [
        c
        for c in questionnaire.questions["code"]
        if c in answers["DEP-13"] or c in answers["REG-93"]
    ]
    header = ["code_territoire", "millesime", *codes]
    body = [[t, "2026", *[answers[t].get(c, "") for c in codes]] for t in answers]
    return header, body, answers


def test_a_wide_export_mixing_kinds_with_blank_unasked_cells_is_accepted(
    mixed_kinds_export, questionnaire
):
    header, body, answers = mixed_kinds_export
    only_dep = set(answers["DEP-13"]) - set(answers["REG-93"])
    only_reg = set(answers["REG-93"]) - set(answers["DEP-13"])
    assert only_dep and only_reg, "the two kinds are asked different questions"
    result = validate_submission(to_csv_bytes(body, header), TERRITORIES, questionnaire)
    assert result.accepted, [i.message for i in result.issues if i.severity == ERROR]
    for territory, answered in answers.items():
        alone = [[territory, "2026", code, answer, ""] for code, answer in answered.items()]
        expected = validate_submission(to_csv_bytes(alone), TERRITORIES, questionnaire)
        assert expected.accepted
        got = result.answers.loc[result.answers["territory"] == territory]
        pd.testing.assert_series_equal(
            got.set_index("question")["value"].sort_index(),
            expected.answers.set_index("question")["value"].sort_index(),
        )
    assert len(result.answers) == sum(len(answered) for answered in answers.values())


def test_an_answer_to_a_question_not_asked_of_a_kind_points_at_its_cell(
    mixed_kinds_export, questionnaire
):
    header, body, answers = mixed_kinds_export
    regional = next(c for c in header[2:] if c not in answers["DEP-13"])
    column = header.index(regional)
    body = [list(row) for row in body]
    body[0][column] = (
        "oui"
        if questionnaire.questions.set_index("code").loc[regional, "answer_type"] == "oui_non"
        else "1"
    )
    result = validate_submission(to_csv_bytes(body, header), TERRITORIES, questionnaire)
    assert errors_of(result) == [(2, f"{column_letter(column)} ({regional})", regional)]
    (error,) = [i for i in result.issues if i.severity == ERROR]
    assert "videz cette cellule" in error.message and "supprimez" not in error.message


@settings(max_examples=200, deadline=None)
@given(
    number=st.integers(0, 10**12),
    spaces=st.lists(st.sampled_from(GROUP_SPACES), min_size=1, max_size=5),
)
def test_any_count_written_with_group_spaces_reads_back_to_itself(questionnaire, number, spaces):
    digits = str(number)
    groups = [digits[max(0, end - 3) : end] for end in range(len(digits), 0, -3)][::-1]
    written = "".join(g + spaces[i % len(spaces)] for i, g in enumerate(groups[:-1])) + groups[-1]
    count = question_of_type(questionnaire, "nombre")
    assert normalise_answer(count, written) == (float(number), None)


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet="0123456789 .,+-%\u00a0\u202fe\r", max_size=12))
def test_an_accepted_count_is_a_whole_number_and_an_accepted_percentage_within_0_100(
    questionnaire, text
):
    count, value_written = question_of_type(questionnaire, "nombre"), text
    value, message = normalise_answer(count, value_written)
    assert (value is None) != (message is None)
    if value is not None:
        assert value >= 0 and value.is_integer()
        assert value == int("".join(c for c in text if c.isdigit()))
    percent, message = normalise_answer(question_of_type(questionnaire, "pourcentage"), text)
    if percent is not None:
        assert 0 <= percent <= 100
        assert not (0 < percent <= 1 and "%" not in text and ("," in text or "." in text))


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


def test_a_file_over_the_size_limit_in_the_inbox_is_archived_whole_and_not_read(
    tmp_path, monkeypatch, questionnaire
):
    """A file copied by hand into the inbox, over the reading limit: archived byte for byte
    (streamed), then reported as too large from its size, without being read."""
    from domain.questionnaire import as_questionnaires
    from domain.submissions import validation

    monkeypatch.setattr(validation, "MAX_FILE_BYTES", 1_000)  # the limit, made small
    content = b"code_territoire;millesime;code_question;reponse\r\n" + b"x" * 3_000_000
    source = tmp_path / "enorme.csv"
    source.write_bytes(content)
    archived = archive_file(source, tmp_path / "archive", "dossier", "enorme.csv")
    assert Path(archived.archive_path).read_bytes() == content
    assert archived.size_bytes == len(content)
    assert archived.sha256 == hashlib.sha256(content).hexdigest()
    done = validation.validate_received_files(
        [archived], TERRITORIES, as_questionnaires(questionnaire)
    )
    (message,) = done.issues["message"]
    assert "Fichier trop volumineux (3,0 Mo)" in message and done.unreadable == []
    assert done.submission_files["status"].tolist() == ["rejetée"]


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


def test_xlsx_cells_are_read_as_shown_percentages_with_their_sign(dep13_rows, questionnaire):
    """A percentage-formatted cell showing 0,5 % is 0.5; a plain cell holding 0,45 for a
    percentage is ambiguous; a count cell holding 1.2 is no count."""
    percent = question_of_type(questionnaire, "pourcentage").name
    count = question_of_type(questionnaire, "nombre").name
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(SUBMISSION_COLUMNS)
    for territory, millesime, code, answer, comment in dep13_rows:
        sheet.append([territory, int(millesime), code, answer, comment])
        if code == percent:
            sheet.cell(sheet.max_row, 4, 0.005).number_format = "0.0%"

    def validated(cells: dict[str, float]):
        for row in sheet.iter_rows(min_row=2):
            if row[2].value in cells:
                row[3].value = cells[row[2].value]
        buffer = io.BytesIO()
        workbook.save(buffer)
        return validate_submission(buffer.getvalue(), TERRITORIES, questionnaire)

    shown = validated({})
    assert shown.accepted, [i.message for i in shown.issues if i.severity == ERROR]
    assert shown.answers.set_index("question").loc[percent, "value"] == 0.5
    sheet.cell(1 + 1 + [r[2] for r in dep13_rows].index(percent), 4).number_format = "General"
    wrong = validated({percent: 0.45, count: 1.2})
    messages = {i.question: i.message for i in wrong.issues if i.severity == ERROR}
    assert set(messages) == {percent, count}
    assert "s'agit-il de 45 % ?" in messages[percent]
    assert "est entier" in messages[count]


def test_a_required_answer_missing_from_a_wide_export_asks_to_fill_its_column(
    mixed_kinds_export, questionnaire
):
    header, body, answers = mixed_kinds_export
    required = set(questionnaire.questions.loc[questionnaire.questions["required"], "code"])
    code = next(c for c in header[2:] if c in required and c in answers["DEP-13"])
    body = [list(row) for row in body]
    body[0][header.index(code)] = ""
    result = validate_submission(to_csv_bytes(body, header), TERRITORIES, questionnaire)
    (error,) = [i for i in result.issues if i.severity == ERROR]
    assert error.question == code and "DEP-13" in error.message
    assert f"Remplissez sa colonne {code}" in error.message and "Ajoutez" not in error.message


@settings(max_examples=200, deadline=None)
@given(
    answer_type=st.sampled_from(sorted(ANSWER_FORMS)),
    text=st.one_of(
        st.text(max_size=40),
        st.from_regex(r"[0-9]{14,40}([.,][0-9]{1,40})?", fullmatch=True),
        st.from_regex(r"[0-9]{1,3}([ .,][0-9]{3}){4,12}", fullmatch=True),
        st.integers(4_301, 20_000).map(lambda n: "7" * n),  # beyond int()'s digit limit
    ),
)
def test_any_text_gets_a_value_or_a_reason_never_an_exception(questionnaire, answer_type, text):
    value, message = normalise_answer(question_of_type(questionnaire, answer_type), text)
    assert (value is None) != (message is None)
    assert value is None or 0 <= value < 1e15


def test_a_wide_column_of_a_question_the_version_lacks_is_an_error_only_where_answered(
    mixed_kinds_export, questionnaire
):
    header, body, _ = mixed_kinds_export
    header = [*header, "LAB_99"]
    blank = [[*row, ""] for row in body]
    assert validate_submission(to_csv_bytes(blank, header), TERRITORIES, questionnaire).accepted
    answered = [[*body[0], "oui"], [*body[1], ""]]
    result = validate_submission(to_csv_bytes(answered, header), TERRITORIES, questionnaire)
    assert errors_of(result) == [(2, f"{column_letter(len(header) - 1)} (LAB_99)", "LAB_99")]
    (error,) = [i for i in result.issues if i.severity == ERROR]
    assert "n'existe pas" in error.message and "videz cette cellule" in error.message


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

    monkeypatch.setattr(validation, "read_submission_rows", explode)
    done = validation.validate_received_files([bomb], territories, questionnaires)
    ((name, error),) = done.unreadable
    (message,) = done.issues["message"]
    reference = message.split("référence ")[1][:8]
    assert name == "bombe.xlsx" and "Erreur interne" in message
    assert any(reference in note for note in error.__notes__)
    # Counted apart from the files at fault: the file is not "illisible".
    assert done.rule_counts["rule"].tolist() == ["erreur_interne"]


def test_files_validated_together_get_each_the_report_it_gets_alone(
    mixed_kinds_export, dep13_rows, questionnaire
):
    """The rows of many files are checked in one frame (:func:`validate_submissions`):
    each file's answers, report, layout and declarations are those it gets validated alone,
    whatever the other files hold (long, wide, spreadsheet, malformed, unreadable)."""
    from domain.questionnaire import as_questionnaires
    from domain.submissions.validation import validate_submissions
    from tests.support import nasty_files

    header, body, _ = mixed_kinds_export
    bad_cells = [list(row) for row in body]
    bad_cells[0][2], bad_cells[1][3] = "peut-être", "12,5 %"
    long_rows = dep13_rows
    malformed = [list(row) for row in long_rows]
    malformed[0][1], malformed[1][0], malformed[2][3] = "26", "DEP-99", "beaucoup"
    contents = [
        to_csv_bytes(long_rows),
        to_csv_bytes(body, header),
        to_csv_bytes(malformed),
        nasty_files.corrupt_xlsx(),
        to_csv_bytes(bad_cells, header),
        nasty_files.valid_xlsx([SUBMISSION_COLUMNS, *long_rows]),
        to_csv_bytes(
            [["DEP-13", "2031", "lab1", "oui", ""], *[[r[0], "2031", *r[2:]] for r in long_rows]]
        ),
        nasty_files.binary_garbage(),
        # Checked as column operations (no row at fault, a blank answer) or row by row (a
        # duplicate answer): the same reports either way.
        to_csv_bytes([[*long_rows[0][:3], "", ""], *long_rows[1:]]),
        to_csv_bytes([*long_rows, long_rows[0]]),
    ]
    together = validate_submissions(contents, TERRITORIES, as_questionnaires(questionnaire))
    accepted = [result.accepted for result in together]
    assert accepted[:3] == [True, True, False] and not any(accepted[6:8])
    assert not accepted[-1]
    for content, result in zip(contents, together, strict=True):
        alone = validate_submission(content, TERRITORIES, questionnaire)
        assert (result.accepted, result.issues) == (alone.accepted, alone.issues)
        pd.testing.assert_frame_equal(result.answers, alone.answers)
        assert (result.readable, result.dialect, result.declared) == (
            alone.readable, alone.dialect, alone.declared,
        )  # fmt: skip
        assert result.written_territories == alone.written_territories
        assert result.written_millesimes == alone.written_millesimes
    malformed_issues = {issue.rule for issue in together[2].issues}
    assert {"valeur_mal_formee", "territoire_inconnu", "reponse_invalide"} <= malformed_issues
    (lab1,) = [issue for issue in together[6].issues if issue.rule == "valeur_mal_formee"]
    assert (lab1.line, lab1.value) == (2, "lab1")
