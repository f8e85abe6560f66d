"""Upload rules as plain functions (no browser)."""

from __future__ import annotations


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
