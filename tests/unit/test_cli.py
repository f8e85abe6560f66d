"""The observatoire command line: templates, deposits and upload tokens."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd

from domain.submissions.template import template_csv, template_rows, template_xlsx
from domain.submissions.tokens import create_token, revoke_tokens, territory_of_token
from domain.submissions.validation import validate_submission
from tests.conftest import materialize_everything

TERRITORIES = pd.DataFrame({"code": ["EPCI-200054807"], "kind": ["ME"]})


def run_cli(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "pipelines.cli", *args],
        capture_output=True, text=True, timeout=120, env={**os.environ, **(env or {})},
    )  # fmt: skip


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


def test_template_command_refuses_unknown_territory(tmp_path):
    result = run_cli(
        "template", "--territoire", "DEP-99", "--millesime", "2026", "-o", str(tmp_path / "m.csv")
    )
    assert result.returncode == 2 and "inconnu" in result.stderr
    assert "Traceback" not in result.stderr


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


def test_tokens_command(tmp_path):
    env = {"OBSERVATOIRE_TOKENS": str(tmp_path / "t.sqlite")}
    created = run_cli("tokens", "create", "--territoire", "DEP-13", env=env)
    assert created.returncode == 0, created.stderr
    token = created.stdout.strip().splitlines()[-1]
    assert territory_of_token(tmp_path / "t.sqlite", token) == "DEP-13"
    revoked = run_cli("tokens", "revoke", "--territoire", "DEP-13", env=env)
    assert "1 jeton(s) révoqué(s)" in revoked.stdout
    assert territory_of_token(tmp_path / "t.sqlite", token) is None


def test_submit_archives_then_the_pipeline_records_name_and_submitter(pipeline_run, tmp_path):
    root = tmp_path / "submit"
    shutil.copytree(pipeline_run.warehouse.parent, root)
    original = next(p for p in pipeline_run.demo_files if p.name == "DEP-13_2026_brouillon.csv")
    archived_copy = (
        duckdb.connect(str(root / "warehouse.duckdb"), read_only=True)
        .execute(
            "SELECT archive_path FROM raw_submission_files WHERE file_name = ?", [original.name]
        )
        .fetchone()[0]
    )
    sent = tmp_path / "Réponses Bouches-du-Rhône (v2).csv"
    sent.write_bytes(Path(archived_copy).read_bytes().replace(b"peut-\xc3\xaatre", b"oui"))
    env = {
        "OBSERVATOIRE_INCOMING": str(root / "incoming"),
        "OBSERVATOIRE_ARCHIVE": str(root / "archive"),
    }
    result = run_cli("submit", str(sent), "--deposant", "Mme Dupont", env=env)
    assert "déposé" in result.stdout, result.stdout + result.stderr
    inbox = sorted(p.name for p in (root / "incoming").iterdir())
    assert len(inbox) == 2 and inbox[1].endswith(".meta.json")
    assert "Bouches" not in inbox[0], "the stored name never comes from user input"
    assert materialize_everything(root).success
    with duckdb.connect(str(root / "warehouse.duckdb"), read_only=True) as con:
        recorded = con.execute(
            "SELECT file_name, submitter FROM raw_submission_files WHERE submitter = 'Mme Dupont'"
        ).fetchall()
    assert recorded == [(sent.name, "Mme Dupont")]


def test_refresh_refuses_a_millesime_no_questionnaire_opens(tmp_path):
    environment = {"OBSERVATOIRE_WAREHOUSE": str(tmp_path / "entrepot.duckdb")}
    result = run_cli("refresh", "--millesime", "2026", "--millesime", "1999", env=environment)
    assert result.returncode == 2
    assert "Millésime(s) inconnu(s) : 1999" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "entrepot.duckdb").exists(), "nothing ran"
