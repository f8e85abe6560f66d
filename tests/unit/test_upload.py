"""Upload rules as plain functions (no browser)."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.helpers import _texts
from tests.support import nasty_files


def outcome_view(outcome):
    """What the upload page shows of an outcome (its banner and report)."""
    from dashboards.app import app  # noqa: F401 - pages register themselves with the app
    from dashboards.pages import depot

    return depot.outcome_view(outcome)


def test_upload_refusals_without_a_browser(tmp_path, monkeypatch, questionnaire):
    """Token, size and territory rules of the upload, as plain functions."""
    import base64

    import pandas as pd

    from domain.submissions.service import receive_upload
    from domain.submissions.tokens import create_token
    from pipelines.demo import demo_rows, to_csv_bytes

    monkeypatch.setenv("OBSERVATOIRE_TOKENS", str(tmp_path / "t.sqlite"))
    monkeypatch.setenv("OBSERVATOIRE_INCOMING", str(tmp_path / "in"))
    monkeypatch.setenv("OBSERVATOIRE_ARCHIVE", str(tmp_path / "ar"))
    monkeypatch.setenv("OBSERVATOIRE_MAX_UPLOAD_BYTES", "5000")
    token = create_token(tmp_path / "t.sqlite", "DEP-13").token
    territories = pd.DataFrame({"code": ["DEP-13", "REG-93"], "kind": ["DEP", "REG"]})
    rows = demo_rows(
        pd.Series({"code": "DEP-13", "kind": "DEP", "population": 2_000_000}),
        2026,
        0.5,
        questionnaire,
        1,
    )

    def data_url(content: bytes) -> str:
        return "data:text/csv;base64," + base64.b64encode(content).decode()

    too_big = receive_upload(token, "a.csv", data_url(b"x" * 6000), territories, questionnaire)
    assert too_big.status == "refusée" and "trop volumineux" in too_big.message
    assert (
        receive_upload("nope", "a.csv", data_url(b"x"), territories, questionnaire).status
        == "refusée"
    )
    accepted = receive_upload(
        token, "a.csv", data_url(to_csv_bytes(rows)), territories, questionnaire
    )
    assert accepted.status == "acceptée", accepted.message
    assert len(list((tmp_path / "in").iterdir())) == 2


def _upload_setup(tmp_path, monkeypatch):
    import pandas as pd

    from domain.submissions.tokens import create_token

    for name, folder in (("TOKENS", "t.sqlite"), ("INCOMING", "in"), ("ARCHIVE", "ar")):
        monkeypatch.setenv(f"OBSERVATOIRE_{name}", str(tmp_path / folder))
    monkeypatch.delenv("OBSERVATOIRE_MAX_UPLOAD_BYTES", raising=False)
    token = create_token(tmp_path / "t.sqlite", "DEP-13").token
    return token, pd.DataFrame({"code": ["DEP-13"], "kind": ["DEP"]})


def _data_url(content: bytes) -> str:
    import base64

    return "data:application/octet-stream;base64," + base64.b64encode(content).decode()


@pytest.mark.parametrize(
    "build",
    [
        nasty_files.xxe_xlsx,
        nasty_files.entity_bomb_xlsx,
        nasty_files.corrupt_xlsx,
        nasty_files.zip_bomb_xlsx,
        nasty_files.huge_header_csv,
        nasty_files.wide_csv,
        nasty_files.truncated_utf16_csv,
    ],
    ids=lambda build: build.__name__,
)
def test_unreadable_uploads_get_a_french_reason_and_are_archived(
    build, tmp_path, monkeypatch, questionnaire
):
    """The upload page's service reads through the same boundary as the command line: a
    French reason, no exception; the bytes are archived as received, not deposited."""
    from domain.submissions.dialects import UnreadableFile, read_table
    from domain.submissions.service import receive_upload

    token, territories = _upload_setup(tmp_path, monkeypatch)
    monkeypatch.setenv("OBSERVATOIRE_MAX_UPLOAD_BYTES", str(25_000_000))
    content = build()
    outcome = receive_upload(token, "f.xlsx", _data_url(content), territories, questionnaire)
    with pytest.raises(UnreadableFile) as boundary:
        read_table(content)
    assert (outcome.status, outcome.message) == ("refusée", str(boundary.value))
    assert outcome.message[0].isupper() and "Traceback" not in outcome.message
    shown = outcome_view(outcome)
    assert shown[0].role == "alert" and outcome.message in _texts(shown)
    archived = [p for p in (tmp_path / "ar").rglob("*") if p.is_file()]
    assert [p.read_bytes() == content for p in archived] == [True]
    assert not (tmp_path / "in").exists(), "nothing deposited for the pipeline"


def test_identical_bytes_sent_again_say_when_they_were_first_received(
    tmp_path, monkeypatch, questionnaire
):
    import os

    from domain.submissions.service import receive_upload
    from pipelines.demo import demo_rows, to_csv_bytes

    token, territories = _upload_setup(tmp_path, monkeypatch)
    territory = pd.Series({"code": "DEP-13", "kind": "DEP", "population": 2_000_000})
    content = to_csv_bytes(demo_rows(territory, 2026, 0.5, questionnaire, 1))
    first = receive_upload(token, "a.csv", _data_url(content), territories, questionnaire)
    assert first.status == "acceptée" and first.already_received is None
    assert first.message.startswith("Fichier accepté")
    (archived,) = (tmp_path / "ar").rglob("*.csv")
    os.utime(archived, (1_767_225_600, 1_767_225_600))  # 01/01/2026 00:00 UTC
    again = receive_upload(token, "b.csv", _data_url(content), territories, questionnaire)
    assert again.status == "acceptée" and again.already_received is not None
    assert again.message.startswith("Fichier déjà reçu le 01/01/2026 à 01:00")
    shown = _texts(outcome_view(again))
    assert "Fichier déjà reçu le 01/01/2026" in shown and "Fichier accepté" not in shown
