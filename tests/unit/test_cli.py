"""What the observatoire command line writes and keeps: templates and upload tokens (the
commands themselves: tests/integration)."""

from __future__ import annotations

import csv
import io

import openpyxl
import pandas as pd

from domain.settings import PROJECT_ROOT
from domain.submissions.answers import ANSWER_FORMS
from domain.submissions.template import (
    ANSWER_FORMS_HEADER,
    answer_forms_markdown,
    template_csv,
    template_rows,
    template_xlsx,
)
from domain.submissions.tokens import (
    analyst_of_token,
    create_analyst_token,
    create_token,
    new_token,
    revoke_analyst_tokens,
    revoke_tokens,
    territory_of_token,
)
from domain.submissions.validation import validate_submission

TERRITORIES = pd.DataFrame({"code": ["EPCI-200054807"], "kind": ["ME"]})


def test_template_lists_only_the_questions_asked_and_reads_back(questionnaire):
    rows = template_rows(questionnaire, "EPCI-200054807", "ME", 2026)
    assert [r[2] for r in rows] == list(questionnaire.questions_for_kind("ME")["code"])
    content = template_csv(rows)
    assert content.startswith("\ufeff".encode())
    blank = validate_submission(content, TERRITORIES, questionnaire)
    # A blank template is readable, its help columns raise no warning, and it asks for answers.
    assert blank.readable and not any("inconnue" in i.message for i in blank.issues)
    assert not blank.accepted


def test_filled_xlsx_template_is_accepted(questionnaire):
    rows = template_rows(questionnaire, "EPCI-200054807", "ME", 2026)
    workbook = openpyxl.load_workbook(__import__("io").BytesIO(template_xlsx(rows, questionnaire)))
    sheet = workbook["Réponses"]
    assert sheet.data_validations.dataValidation, "drop-down lists for oui/non and scales"
    types = questionnaire.questions.set_index("code")
    filler = {
        "oui_non": "oui",
        "echelle": 3,
        "pourcentage": 50,
        "nombre": 12,
        "choix_multiple": "aucun",
    }
    for row in sheet.iter_rows(min_row=2):
        row[3].value = filler[types.loc[row[2].value, "answer_type"]]
    buffer = __import__("io").BytesIO()
    workbook.save(buffer)
    result = validate_submission(buffer.getvalue(), TERRITORIES, questionnaire)
    assert result.accepted, [i.message for i in result.issues]
    assert len(result.answers) == len(rows)


def test_tokens_are_stored_hashed_and_can_be_revoked(tmp_path):
    store = tmp_path / "tokens.sqlite"
    issued = create_token(store, "DEP-13")
    other = create_token(store, "REG-93")
    assert territory_of_token(store, issued.token) == "DEP-13"
    assert territory_of_token(store, other.token) == "REG-93"
    assert territory_of_token(store, "not-a-token") is None
    assert issued.token.encode() not in store.read_bytes()
    assert revoke_tokens(store, "DEP-13") == 1
    assert territory_of_token(store, issued.token) is None
    assert territory_of_token(store, other.token) == "REG-93"


def test_no_token_begins_with_a_dash():
    # One random URL-safe token in 64 begins with "-", which argparse reads as an option
    # after --jeton: among 3000 tokens, such a one comes with probability 1 - 3e-21.
    tokens = {new_token() for _ in range(3000)}
    assert len(tokens) == 3000
    assert not [token for token in tokens if token.startswith("-")]
    assert {len(token) for token in tokens} == {32}


def test_analyst_tokens_are_kept_apart_from_upload_tokens(tmp_path):
    store = tmp_path / "tokens.sqlite"
    upload = create_token(store, "DEP-13")
    analyst = create_analyst_token(store, "  Service   études ")
    assert analyst.analyst == "Service études"
    assert analyst_of_token(store, analyst.token) == "Service études"
    assert territory_of_token(store, analyst.token) is None
    assert analyst_of_token(store, upload.token) is None
    assert analyst.token.encode() not in store.read_bytes()
    assert revoke_analyst_tokens(store, "Service études") == 1
    assert analyst_of_token(store, analyst.token) is None
    assert territory_of_token(store, upload.token) == "DEP-13"


def test_the_template_states_the_accepted_forms_of_each_answer_type(questionnaire):
    rows = template_rows(questionnaire, "EPCI-200054807", "ME", 2026)
    types = questionnaire.questions.set_index("code")["answer_type"]
    help_of = {types[r[2]]: r[6] for r in rows}
    assert "1 200" in help_of["nombre"] and "sans point ni virgule" in help_of["nombre"]
    assert "0,5 %" in help_of["pourcentage"]
    workbook = openpyxl.load_workbook(io.BytesIO(template_xlsx(rows, questionnaire)))
    assert workbook.sheetnames == ["Réponses", "Instructions"]
    listed = [row for row in workbook["Instructions"].iter_rows(values_only=True)]
    assert listed[3] == tuple(ANSWER_FORMS_HEADER)
    assert [row[0] for row in listed[4:]] == [
        f"{form.label} ({kind})" for kind, form in ANSWER_FORMS.items()
    ]


def test_the_user_documentation_lists_the_forms_the_parser_accepts():
    """docs/formats-de-reponse.md holds the table the template shows; the README links it."""
    doc = (PROJECT_ROOT / "docs" / "formats-de-reponse.md").read_text(encoding="utf-8")
    start = doc.index("-->\n", doc.index("<!-- formats:debut")) + len("-->\n")
    assert doc[start : doc.index("<!-- formats:fin -->")].strip() == answer_forms_markdown().strip()
    assert "docs/formats-de-reponse.md" in (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")


def test_the_template_csv_quotes_line_breaks():
    row = ["DEP-13", "2026", "LAB_01", "", "ligne 1\rligne 2", "a\nb", "x"]
    text = template_csv([row]).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))[1] == row
