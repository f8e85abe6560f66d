"""What the observatoire command line writes and keeps: templates and upload tokens (the
commands themselves: tests/integration)."""

from __future__ import annotations

import openpyxl
import pandas as pd

from domain.submissions.template import template_csv, template_rows, template_xlsx
from domain.submissions.tokens import create_token, revoke_tokens, territory_of_token
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
