"""The observatoire command line on the real reference: templates, deposits, upload tokens,
refreshes. Commands run in this process through ``main`` (``run_cli``), but for one run of
the installed console script."""

from __future__ import annotations

import os
import re
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
from tests.support import nasty_files

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


#: Files a territory makes by mistake or an attacker makes: each is unreadable (exit 2).
NASTY = {
    "xxe-xlsx": (nasty_files.xxe_xlsx, "entités XML"),
    "entity-bomb-xlsx": (nasty_files.entity_bomb_xlsx, "entités XML"),
    "corrupt-xlsx": (nasty_files.corrupt_xlsx, "Classeur Excel illisible"),
    "truncated-xlsx": (nasty_files.truncated_xlsx, "Classeur Excel illisible"),
    "zip-bomb-xlsx": (nasty_files.zip_bomb_xlsx, "une fois décompressé"),
    "huge-header-csv": (nasty_files.huge_header_csv, "La première ligne compte"),
    "wide-csv": (nasty_files.wide_csv, "100002 colonnes"),
    "long-csv": (nasty_files.long_csv, "Tableau trop grand"),
    "truncated-utf16-csv": (nasty_files.truncated_utf16_csv, "UTF-16"),
}


@pytest.fixture(scope="module")
def nasty_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("nasty")
    for name, (build, _) in NASTY.items():
        suffix = ".xlsx" if name.endswith("xlsx") else ".csv"
        (folder / f"{name}{suffix}").write_bytes(build())
    return folder


@pytest.mark.parametrize("name", NASTY)
def test_validate_and_submit_say_unreadable_in_french_and_submit_archives_first(
    name, nasty_dir, tmp_path, run_cli
):
    """Exit 2 with a French reason and no traceback, from ``validate`` and ``submit``; the
    file is archived byte for byte before being read."""
    sent = next(nasty_dir.glob(f"{name}.*"))
    expected = NASTY[name][1]
    checked = run_cli("validate", str(sent))
    assert checked.returncode == 2, checked.stdout + checked.stderr
    assert f"{sent} : illisible" in checked.stdout and expected in checked.stdout
    env = {
        "OBSERVATOIRE_INCOMING": str(tmp_path / "incoming"),
        "OBSERVATOIRE_ARCHIVE": str(tmp_path / "archive"),
    }
    submitted = run_cli("submit", str(sent), env=env)
    assert submitted.returncode == 2, submitted.stdout + submitted.stderr
    assert expected in submitted.stdout and "déposé" in submitted.stdout
    for output in (checked, submitted):
        assert "Traceback" not in output.stdout + output.stderr
    archived = [p for p in (tmp_path / "archive").rglob("*") if p.is_file()]
    assert [p.read_bytes() == sent.read_bytes() for p in archived] == [True]


def test_submit_says_when_identical_bytes_were_first_received(tmp_path, rows, run_cli):
    sent = tmp_path / "reponses.csv"
    sent.write_bytes(to_csv_bytes(rows))
    env = {
        "OBSERVATOIRE_INCOMING": str(tmp_path / "incoming"),
        "OBSERVATOIRE_ARCHIVE": str(tmp_path / "archive"),
    }
    first = run_cli("submit", str(sent), env=env)
    assert first.returncode == 0 and "déposé" in first.stdout and "déjà reçu" not in first.stdout
    (archived,) = (tmp_path / "archive").rglob("*.csv")
    os.utime(archived, (1_780_000_000, 1_780_000_000))  # 28/05/2026 20:26 UTC
    again = run_cli("submit", str(sent.rename(tmp_path / "encore.csv")), env=env)
    assert again.returncode == 0
    assert "déjà reçu le 28/05/2026 à 22:26 (heure de Paris)" in again.stdout
    assert "déposé" not in again.stdout


def test_an_internal_error_is_a_reference_not_a_traceback(tmp_path, rows, run_cli, monkeypatch):
    import domain.submissions.validation as validation

    def explode(*args, **kwargs):
        raise RuntimeError("panne interne")

    monkeypatch.setattr(validation, "validate_submission", explode)
    good = tmp_path / "bon.csv"
    good.write_bytes(to_csv_bytes(rows))
    log = tmp_path / "incidents.log"
    result = run_cli("validate", str(good), env={"OBSERVATOIRE_INCIDENTS": str(log)})
    assert result.returncode == 3
    reference = re.search(r"référence ([0-9a-f]{8})", result.stderr).group(1)
    assert "Traceback" not in result.stdout + result.stderr
    logged = log.read_text()
    assert logged.count(f"Incident {reference}") == 2  # the line and the trace's note
    assert "RuntimeError: panne interne" in logged
