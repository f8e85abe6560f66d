"""The observatoire command line on the real reference: templates, deposits, upload tokens,
refreshes. Commands run in this process through ``main`` (``run_cli``), but for one run of
the installed console script."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from domain.submissions.tokens import territory_of_token
from pipelines.demo import demo_rows, to_csv_bytes
from tests.helpers import materialize_new_files

#: The console script that ``pip install`` puts beside the interpreter.
OBSERVATOIRE = Path(sys.executable).with_name("observatoire")


# The reference is built (and cached) in this process first: the script reads it back.
@pytest.mark.usefixtures("territories")
def test_template_command_refuses_unknown_territory(tmp_path):
    """The installed ``observatoire`` script, in a process of its own: the only command test
    that starts one (its exit code and its message on stderr, as a shell sees them)."""
    result = subprocess.run(
        [str(OBSERVATOIRE), "template", "--territoire", "DEP-99", "--millesime", "2026",
         "-o", str(tmp_path / "m.csv")],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 2 and "inconnu" in result.stderr
    assert "Traceback" not in result.stderr


def test_tokens_command(tmp_path, run_cli):
    env = {"OBSERVATOIRE_TOKENS": str(tmp_path / "t.sqlite")}
    created = run_cli("tokens", "create", "--territoire", "DEP-13", env=env)
    assert created.returncode == 0, created.stderr
    token = created.stdout.strip().splitlines()[-1]
    assert territory_of_token(tmp_path / "t.sqlite", token) == "DEP-13"
    revoked = run_cli("tokens", "revoke", "--territoire", "DEP-13", env=env)
    assert "1 jeton(s) révoqué(s)" in revoked.stdout
    assert territory_of_token(tmp_path / "t.sqlite", token) is None


def test_submit_archives_then_the_pipeline_records_name_and_submitter(
    small_pipeline_run, tmp_path, run_cli
):
    root = tmp_path / "submit"
    shutil.copytree(small_pipeline_run.warehouse.parent, root)
    original = next(
        p for p in small_pipeline_run.demo_files if p.name == "DEP-13_2026_brouillon.csv"
    )
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
    assert materialize_new_files(root).success
    with duckdb.connect(str(root / "warehouse.duckdb"), read_only=True) as con:
        recorded = con.execute(
            "SELECT file_name, submitter FROM raw_submission_files WHERE submitter = 'Mme Dupont'"
        ).fetchall()
    assert recorded == [(sent.name, "Mme Dupont")]


def test_refresh_refuses_a_millesime_no_questionnaire_opens(tmp_path, run_cli):
    environment = {"OBSERVATOIRE_WAREHOUSE": str(tmp_path / "entrepot.duckdb")}
    result = run_cli("refresh", "--millesime", "2026", "--millesime", "1999", env=environment)
    assert result.returncode == 2
    assert "Millésime(s) inconnu(s) : 1999" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "entrepot.duckdb").exists(), "nothing ran"


@pytest.fixture(scope="module")
def rows(questionnaire):
    territory = pd.Series({"code": "DEP-13", "kind": "DEP", "population": 2_000_000})
    return demo_rows(territory, 2026, 0.6, questionnaire, seed=7)


def test_validate_command_exit_codes(tmp_path, rows, run_cli):
    good = tmp_path / "bon.csv"
    good.write_bytes(to_csv_bytes(rows))
    bad = tmp_path / "mauvais.csv"
    bad.write_bytes(to_csv_bytes([[*rows[0][:3], "peut-être", ""], *rows[1:]]))
    garbage = tmp_path / "image.png"
    garbage.write_bytes(bytes(range(256)))

    def validate(*paths):
        return run_cli("validate", *map(str, paths))

    ok = validate(good)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "accepté" in ok.stdout
    rejected = validate(good, bad)
    assert rejected.returncode == 1
    assert "ligne 2, colonne D (reponse)" in rejected.stdout and "peut-être" in rejected.stdout
    unreadable = validate(good, bad, garbage)
    assert unreadable.returncode == 2
    assert "Traceback" not in unreadable.stdout + unreadable.stderr
