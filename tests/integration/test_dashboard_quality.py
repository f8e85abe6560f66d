"""The data-quality and upload pages without a browser, on the published file of a real
pipeline run: queries and callbacks."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from dashboards import data
from domain.submissions.tokens import create_token
from pipelines.demo import demo_rows, to_csv_bytes
from tests.helpers import _texts


def _published(path: Path, sql: str, parameters=()) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as connection:
        return connection.execute(sql, list(parameters)).fetchall()


def test_quality_summary_counts_files_and_territories(published_copy):
    latest = data.millesimes()[-1]
    summary = data.quality_summary(latest)
    received, accepted = _published(
        published_copy,
        "select count(*), count(*) filter (where status in ('acceptée', 'remplacée')) "
        "from submission_files where millesime = ?",
        [latest],
    )[0]
    assert (summary.files_received, summary.files_accepted) == (received, accepted)
    undated = _published(
        published_copy,
        "select count(*) from submission_files where status = 'rejetée' and millesime is null",
    )[0][0]
    # The demo's four broken files are all 2026 files, or files whose millésime is unreadable.
    assert summary.files_rejected == 4
    assert summary.files_rejected_undated == undated
    expected = _published(published_copy, "select count(*) from territories")[0][0]
    scored = _published(
        published_copy,
        "select count(distinct territory) from territory_scores where millesime = ?",
        [latest],
    )[0][0]
    assert summary.territories_expected == expected
    assert summary.territories_answered == scored
    assert summary.response_rate == pytest.approx(scored / expected)

    status = data.response_status(latest)
    assert len(status) == expected
    assert status.loc[status["code"] == "DEP-13", "answered"].item()


def test_problem_files_and_their_reports(published_copy):
    files = data.problem_files(2026)
    assert set(files["file_name"]) >= {
        "DEP-99_2026.csv",
        "DEP-13_2026_brouillon.csv",
        "DEP-13_2026_doublons.csv",
        "DEP-13_2026_entete.csv",
    }
    assert set(files["status"]) <= {"rejetée", "corrigée"}
    assert files["received_at"].is_monotonic_decreasing
    # A millésime without broken files of its own still lists those of unknown millésime.
    earlier = data.problem_files(2025)
    assert set(earlier["file_name"]) == set(files.loc[files["millesime"].isna(), "file_name"])
    assert "DEP-13_2026_entete.csv" in set(earlier["file_name"])
    assert len(data.problem_files()) >= len(files)

    sha256 = files.loc[files["file_name"] == "DEP-99_2026.csv", "sha256"].item()
    report = data.validation_report_page(sha256, 0, 1000)
    assert list(report.columns) == ["line", "column", "question", "value", "severity", "message"]
    assert "DEP-99" in report["message"].iloc[0]
    assert data.validation_report_page("inconnu", 0, 1000).empty


def test_territory_submissions_list_every_version_with_its_submitter(published_copy):
    versions = data.territory_submissions("DEP-13")
    names = set(versions["file_name"])
    assert {"DEP-13_2025.csv", "DEP-13_2026.csv", "DEP-13_2026_brouillon.csv"} <= names
    assert "DEP-99_2026.csv" not in names
    assert versions["received_at"].is_monotonic_decreasing
    assert versions["submitter"].notna().all() and (versions["size_bytes"] > 0).all()
    # "DEP-1" is a prefix of DEP-13, not one of its files' territories.
    assert data.territory_submissions("DEP-1").empty


def test_quality_page_renders_the_publication(published_copy):
    from dashboards.app import app
    from dashboards.pages import qualite

    with app.server.test_request_context("/qualite"):
        text = _texts(qualite.layout(millesime="2026", code="DEP-13"))
        unknown = _texts(qualite.layout(code="DEP-00"))
    assert "DEP-99_2026.csv" in text
    # The counts by rule are in the layout; the report's lines come from the grid's callback.
    assert "Territoire inconnu" in text
    assert "n'existe pas dans le référentiel" not in text
    sha256 = data.problem_files(2026).set_index("file_name").loc["DEP-99_2026.csv", "sha256"]
    page = qualite.report_response(sha256, {"startRow": 0, "endRow": 50})
    assert "n'existe pas dans le référentiel" in page["rowData"][0]["message"]
    assert page["rowCount"] == len(data.validation_report_page(sha256, 0, 1000))
    assert "Fichiers reçus pour Bouches-du-Rhône (DEP-13)" in text
    assert "Rejetée (en quarantaine)" in text
    assert "Territoire inconnu : « DEP-00 »" in unknown


@pytest.fixture
def deposit_folders(published_copy, tmp_path, monkeypatch) -> dict[str, Path]:
    """Tokens, inbox and archive of the upload page, in a temporary folder."""
    folders = {
        "OBSERVATOIRE_TOKENS": tmp_path / "tokens.sqlite",
        "OBSERVATOIRE_INCOMING": tmp_path / "incoming",
        "OBSERVATOIRE_ARCHIVE": tmp_path / "archive",
    }
    for name, path in folders.items():
        monkeypatch.setenv(name, str(path))
    return folders


def _data_url(content: bytes) -> str:
    return "data:text/csv;base64," + base64.b64encode(content).decode()


def test_deposit_shows_the_outcome_and_the_territory(deposit_folders, questionnaire):
    from dashboards.pages import depot

    token = create_token(deposit_folders["OBSERVATOIRE_TOKENS"], "DEP-13").token
    territory = pd.Series({"code": "DEP-13", "kind": "DEP", "population": 2_000_000})
    rows = demo_rows(territory, 2026, 0.6, questionnaire, seed=1)

    accepted = depot.deposit(token, "../../etc/DEP-13.csv", _data_url(to_csv_bytes(rows)))
    assert accepted[0].role == "status"
    assert "Dépôt pour Bouches-du-Rhône (DEP-13)" in _texts(accepted)
    assert "Fichier accepté" in _texts(accepted)
    sidecars = list(deposit_folders["OBSERVATOIRE_INCOMING"].glob("*.meta.json"))
    assert len(sidecars) == 1
    assert json.loads(sidecars[0].read_text())["file_name"] == "DEP-13.csv"

    refused = depot.deposit("mauvais-jeton", "DEP-13.csv", _data_url(to_csv_bytes(rows)))
    assert refused[0].role == "alert"
    assert "Jeton de dépôt inconnu ou révoqué" in _texts(refused)
    assert "Dépôt pour" not in _texts(refused)


def test_an_unexpected_error_becomes_a_french_sentence(deposit_folders, monkeypatch, caplog):
    from dashboards.pages import depot

    def explode(*args, **kwargs):
        raise RuntimeError("trace interne")

    monkeypatch.setattr(depot, "receive_upload", explode)
    shown = _texts(depot.deposit("jeton", "f.csv", "data:text/csv;base64,"))
    reference = re.search(r"référence ([0-9a-f]{8})", shown).group(1)
    assert "Erreur interne" in shown and "trace interne" not in shown
    # Logged once, with its trace and the reference the visitor quotes.
    logged = [r for r in caplog.records if reference in r.getMessage()]
    assert len(logged) == 1 and logged[0].exc_info[1].args == ("trace interne",)
