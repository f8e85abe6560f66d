"""Validation, templates and the upload page use the questionnaire version of the file's
millésime, the same function the pipeline uses (a synthetic v2 opens 2027)."""

from __future__ import annotations

import base64

import pandas as pd
import pytest

from domain.submissions.service import receive_upload
from domain.submissions.tokens import create_token
from pipelines.cli import main
from pipelines.demo import demo_rows, to_csv_bytes
from tests.support.questionnaires import write_v2

BOUCHES = pd.Series({"code": "DEP-13", "kind": "DEP", "population": 2_000_000})


@pytest.fixture()
def two_versions(tmp_path, monkeypatch):
    """v1 (2024–2026) and v2 (2027: LAB_01 becomes LAB_11, DATA_06 added), as the setting."""
    from domain.questionnaire import load_questionnaires

    folder = tmp_path / "questionnaires"
    folder.mkdir()
    write_v2(folder)
    monkeypatch.setenv("OBSERVATOIRE_QUESTIONNAIRES", str(folder))
    return load_questionnaires()


def test_validate_checks_each_file_against_its_millesime_version(two_versions, tmp_path, capsys):
    rows_2027 = demo_rows(BOUCHES, 2027, 0.6, two_versions.for_millesime(2027), seed=1)
    answers_2027 = tmp_path / "DEP-13_2027.csv"
    answers_2027.write_bytes(to_csv_bytes(rows_2027))
    # The same answers declared for 2026: LAB_11 and DATA_06 do not exist in v1.
    misdated = tmp_path / "DEP-13_2026.csv"
    misdated.write_bytes(to_csv_bytes([[r[0], "2026", *r[2:]] for r in rows_2027]))

    assert main(["validate", str(answers_2027)]) == 0
    assert "accepté" in capsys.readouterr().out
    assert main(["validate", str(misdated)]) == 1
    report = capsys.readouterr().out
    assert "LAB_11" in report and "questionnaire v1" in report


def test_template_of_a_millesime_lists_its_version_questions(two_versions, tmp_path, capsys):
    for millesime, expected, absent in ((2027, "LAB_11", "LAB_01"), (2026, "LAB_01", "LAB_11")):
        output = tmp_path / f"modele_{millesime}.csv"
        code = main(["template", "--territoire", "DEP-13", "--millesime", str(millesime),
                     "-o", str(output)])  # fmt: skip
        assert code == 0, capsys.readouterr().err
        codes = [line.split(";")[2] for line in output.read_text("utf-8-sig").splitlines()[1:]]
        assert expected in codes and absent not in codes
        assert ("DATA_06" in codes) == (millesime == 2027)
    assert main(["template", "--territoire", "DEP-13", "--millesime", "2028"]) == 2
    assert "2024, 2025, 2026, 2027" in capsys.readouterr().err


def test_the_upload_service_validates_with_the_file_millesime_version(
    two_versions, tmp_path, monkeypatch
):
    monkeypatch.setenv("OBSERVATOIRE_TOKENS", str(tmp_path / "tokens.sqlite"))
    monkeypatch.setenv("OBSERVATOIRE_INCOMING", str(tmp_path / "incoming"))
    monkeypatch.setenv("OBSERVATOIRE_ARCHIVE", str(tmp_path / "archive"))
    token = create_token(tmp_path / "tokens.sqlite", "DEP-13").token
    territories = pd.DataFrame({"code": ["DEP-13"], "kind": ["DEP"]})
    rows_2027 = demo_rows(BOUCHES, 2027, 0.6, two_versions.for_millesime(2027), seed=1)

    def upload(rows):
        content = "data:text/csv;base64," + base64.b64encode(to_csv_bytes(rows)).decode()
        return receive_upload(token, "reponses.csv", content, territories)

    accepted = upload(rows_2027)
    assert accepted.status == "acceptée", accepted.message
    rejected = upload([[r[0], "2026", *r[2:]] for r in rows_2027])
    assert rejected.status == "rejetée"
    assert any("LAB_11" in issue.message and "v1" in issue.message for issue in rejected.issues)
