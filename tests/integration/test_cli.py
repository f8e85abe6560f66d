"""The observatoire command line on the real reference: templates, deposits, upload tokens,
refreshes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb

from domain.submissions.tokens import territory_of_token
from tests.helpers import materialize_everything


def run_cli(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "pipelines.cli", *args],
        capture_output=True, text=True, timeout=120, env={**os.environ, **(env or {})},
    )  # fmt: skip


def test_template_command_refuses_unknown_territory(tmp_path):
    result = run_cli(
        "template", "--territoire", "DEP-99", "--millesime", "2026", "-o", str(tmp_path / "m.csv")
    )
    assert result.returncode == 2 and "inconnu" in result.stderr
    assert "Traceback" not in result.stderr


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
