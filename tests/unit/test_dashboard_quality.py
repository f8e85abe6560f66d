"""The data-quality and upload pages without a browser: pure pieces, queries, callbacks."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from dashboards import data, figures
from dashboards.components import count_issues, report_rows
from dashboards.formatting import format_size
from domain.submissions.tokens import create_token
from pipelines.demo import demo_rows, to_csv_bytes
from tests.test_dashboard_data import _texts, nothing_published, published_copy  # noqa: F401

# --- Pure pieces ----------------------------------------------------------------------


def test_sizes_are_written_in_french_units():
    assert format_size(None) == "–"
    assert format_size(1) == "1\u00a0octet"
    assert format_size(999) == "999\u00a0octets"
    assert format_size(1536) == "1,5\u00a0ko"
    assert format_size(999_999) == "1,0\u00a0Mo"
    assert format_size(10 * 1024 * 1024) == "10,5\u00a0Mo"


def test_report_rows_put_errors_first_and_fill_empty_cells():
    issues = [
        {"line": None, "column": None, "question": "GOUV_05", "value": None,
         "severity": "avertissement", "message": "Question facultative sans réponse."},
        {"line": 9, "column": "D (reponse)", "question": "EADM_03", "value": "beaucoup",
         "severity": "erreur", "message": "Réponse « beaucoup » invalide."},
        {"line": 2.0, "column": "D (reponse)", "question": "LAB_01", "value": "",
         "severity": "erreur", "message": "Réponse manquante."},
        {"line": pd.NA, "column": "", "question": None, "value": float("nan"),
         "severity": "erreur", "message": "En-tête non reconnu."},
    ]  # fmt: skip
    rows = report_rows(issues)
    assert [row["line"] for row in rows] == ["2", "9", "—", "—"]
    assert [row["severity"] for row in rows] == ["Erreur", "Erreur", "Erreur", "Avertissement"]
    assert rows[0]["value"] == "—"
    assert rows[2] == {
        "line": "—",
        "column": "—",
        "question": "—",
        "value": "—",
        "severity": "Erreur",
        "message": "En-tête non reconnu.",
    }


def test_issue_counts_read_as_french():
    assert count_issues(0, 0) == "aucune erreur"
    assert count_issues(1, 0) == "1 erreur"
    assert count_issues(3, 1) == "3 erreurs, 1 avertissement"
    assert count_issues(0, 2) == "2 avertissements"


def test_response_by_kind_counts_answered_territories_in_reference_order():
    status = pd.DataFrame(
        {
            "code": ["REG-93", "REG-11", "DEP-13", "DEP-2A", "DEP-75"],
            "kind": ["REG", "REG", "DEP", "DEP", "DEP"],
            "kind_label": ["Région"] * 2 + ["Département"] * 3,
            "name": ["PACA", "Île-de-France", "Bouches-du-Rhône", "Corse-du-Sud", "Paris"],
            "answered": [True, False, True, True, False],
        }
    )
    by_kind = figures.response_by_kind(status)
    assert by_kind["kind"].tolist() == ["REG", "DEP"]
    assert by_kind["expected"].tolist() == [2, 3]
    assert by_kind["answered"].tolist() == [1, 2]
    assert by_kind["missing"].tolist() == [1, 1]
    assert by_kind["rate"].tolist() == pytest.approx([0.5, 2 / 3])
    assert figures.response_by_kind(status.iloc[0:0]).empty

    figure = figures.response_chart(by_kind)
    assert [trace.name for trace in figure.data] == ["Ont répondu", "Pas encore de réponse"]
    assert list(figure.data[0].x) == [1, 2] and list(figure.data[1].x) == [1, 1]
    assert list(figure.data[0].y) == ["Régions", "Départements"]
    assert figure.data[0].customdata[1][3] == "67\u00a0%"
    assert figure.layout.separators == ", "


def test_statuses_and_territories_of_a_file_read_as_french():
    from dashboards.app import app  # noqa: F401 - pages register themselves with the app
    from dashboards.pages import qualite

    assert qualite.status_label("rejetée") == "Rejetée (en quarantaine)"
    assert qualite.status_label("remplacée") == "Remplacée par une version plus récente"
    assert qualite.status_label(None) == "–"
    assert qualite.territory_label(None) == "territoire illisible"
    assert qualite.territory_label("DEP-13,REG-93") == "DEP-13, REG-93"
    assert qualite.millesime_label(pd.NA) == "millésime illisible ou multiple"
    assert qualite.keep_url(2025, "DEP-13", qualite.ALL_KINDS) == "?millesime=2025&code=DEP-13"
    assert qualite.keep_url(2026, None, "CA") == "?millesime=2026&categorie=CA"


# --- Queries on a real publication ----------------------------------------------------


def _published(path: Path, sql: str, parameters=()) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as connection:
        return connection.execute(sql, list(parameters)).fetchall()


def test_quality_summary_counts_files_and_territories(published_copy):  # noqa: F811
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


def test_problem_files_and_their_reports(published_copy):  # noqa: F811
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
    report = data.validation_report(sha256)
    assert list(report.columns) == ["line", "column", "question", "value", "severity", "message"]
    assert "DEP-99" in report["message"].iloc[0]
    assert data.validation_report("inconnu").empty


def test_territory_submissions_list_every_version_with_its_submitter(published_copy):  # noqa: F811
    versions = data.territory_submissions("DEP-13")
    names = set(versions["file_name"])
    assert {"DEP-13_2025.csv", "DEP-13_2026.csv", "DEP-13_2026_brouillon.csv"} <= names
    assert "DEP-99_2026.csv" not in names
    assert versions["received_at"].is_monotonic_decreasing
    assert versions["submitter"].notna().all() and (versions["size_bytes"] > 0).all()
    # "DEP-1" is a prefix of DEP-13, not one of its files' territories.
    assert data.territory_submissions("DEP-1").empty


# --- Pages -----------------------------------------------------------------------------


def test_quality_page_renders_the_publication(published_copy):  # noqa: F811
    from dashboards.app import app
    from dashboards.pages import qualite

    with app.server.test_request_context("/qualite"):
        text = _texts(qualite.layout(millesime="2026", code="DEP-13"))
        unknown = _texts(qualite.layout(code="DEP-00"))
    assert "DEP-99_2026.csv" in text
    assert "n'existe pas dans le référentiel" in text
    assert "Fichiers reçus pour Bouches-du-Rhône (DEP-13)" in text
    assert "Rejetée (en quarantaine)" in text
    assert "Territoire inconnu : « DEP-00 »" in unknown


def test_pages_say_so_when_nothing_is_published(nothing_published):  # noqa: F811
    from dashboards.app import app
    from dashboards.pages import depot, qualite

    with app.server.test_request_context("/"):
        assert data.MISSING_MESSAGE in _texts(qualite.layout())
        # The form needs no publication to show; a deposit says why it cannot be checked.
        assert "Jeton de dépôt" in _texts(depot.layout())
        refused = _texts(depot.deposit("jeton", "f.csv", "data:text/csv;base64,"))
    assert "momentanément indisponible" in refused


@pytest.fixture
def deposit_folders(published_copy, tmp_path, monkeypatch) -> dict[str, Path]:  # noqa: F811
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


def test_an_unexpected_error_becomes_a_french_sentence(deposit_folders, monkeypatch):
    from dashboards.pages import depot

    def explode(*args, **kwargs):
        raise RuntimeError("trace interne")

    monkeypatch.setattr(depot, "receive_upload", explode)
    shown = _texts(depot.deposit("jeton", "f.csv", "data:text/csv;base64,"))
    assert shown.strip() == depot.UNEXPECTED_ERROR
    assert "trace interne" not in shown


@pytest.fixture
def small_publication(tmp_path, monkeypatch) -> Path:
    """A hand-written publication with every file status and a file for two territories."""
    path = tmp_path / "observatoire.duckdb"
    with duckdb.connect(str(path)) as connection:
        connection.execute(
            """
            create table territories as
            select * from (values
                ('REG-93', 'REG', 'Région', 'Provence-Alpes-Côte d''Azur'),
                ('DEP-13', 'DEP', 'Département', 'Bouches-du-Rhône'),
                ('DEP-06', 'DEP', 'Département', 'Alpes-Maritimes'),
                ('DEP-83', 'DEP', 'Département', 'Var')
            ) t(code, kind, kind_label, name);
            alter table territories add column population bigint;
            alter table territories add column region varchar;
            alter table territories add column departement varchar;
            alter table territories add column epci varchar;
            alter table territories add column insee_code varchar;
            alter table territories add column longitude double;
            alter table territories add column latitude double;
            create table territory_scores as
            select * from (values ('DEP-13', 2026), ('DEP-06', 2025), ('DEP-06', 2026))
                t(territory, millesime);
            create table submission_files as
            select sha256, file_name, received_at::timestamp as received_at, territory,
                   millesime::integer as millesime, status, errors, warnings
            from (values
                ('a', 'cd13_v1.csv', '2026-03-01 09:00', 'DEP-13', 2026, 'remplacée', 0, 0),
                ('b', 'cd13_v2.csv', '2026-03-02 09:00', 'DEP-13', 2026, 'rejetée', 2, 0),
                ('c', 'cd13_v3.csv', '2026-03-03 09:00', 'DEP-13', 2026, 'acceptée', 0, 1),
                ('d', 'region.csv', '2026-03-04 09:00', 'REG-93', 2026, 'corrigée', 1, 0),
                ('e', 'export.xlsx', '2026-03-05 09:00', 'DEP-06,DEP-13', null,
                 'acceptée', 0, 0),
                ('f', 'photo.csv', '2026-03-06 09:00', null, null, 'rejetée', 1, 0)
            ) f(sha256, file_name, received_at, territory, millesime, status, errors,
                warnings);
            create table raw_submission_files as
            select sha256, file_name, received_at, 1500 as size_bytes, '' as archive_path,
                   'jeton DEP-13' as submitter
            from submission_files;
            create table validation_issues as
            select * from (values
                ('b', 'cd13_v2.csv', 4, 'D (reponse)', 'LAB_01', 'peut-être', 'erreur',
                 'Réponse « peut-être » invalide.'),
                ('f', 'photo.csv', null, null, null, null, 'erreur',
                 'Ce fichier n''est pas un tableau.')
            ) v(sha256, file_name, line, "column", question, value, severity, message);
            """
        )
    monkeypatch.setenv(data.PUBLISHED_ENV, str(path))
    monkeypatch.setenv(data.CACHE_DIR_ENV, str(tmp_path / "cache"))
    return path


def test_statuses_count_as_the_quality_page_says(small_publication):
    summary = data.quality_summary(2026)
    assert (summary.files_received, summary.files_accepted) == (4, 2)
    assert summary.files_superseded == 1
    assert (summary.files_rejected, summary.files_rejected_undated) == (2, 1)
    assert summary.files_corrected == 1
    # DEP-13 by its own files; DEP-06 by the file of several millésimes, as it was scored;
    # REG-93's only file was rejected, DEP-83 sent nothing.
    status = data.response_status(2026).set_index("code")["answered"].to_dict()
    assert status == {"REG-93": False, "DEP-13": True, "DEP-06": True, "DEP-83": False}
    assert data.response_status(2024).set_index("code")["answered"].sum() == 0
    assert summary.response_rate == pytest.approx(0.5)

    versions = data.territory_submissions("DEP-13")
    assert versions["file_name"].tolist() == [
        "export.xlsx",
        "cd13_v3.csv",
        "cd13_v2.csv",
        "cd13_v1.csv",
    ]
    assert data.territory_submissions("DEP-06")["file_name"].tolist() == ["export.xlsx"]
    problems = data.problem_files(2026)
    assert problems[["file_name", "status"]].values.tolist() == [
        ["photo.csv", "rejetée"],
        ["region.csv", "corrigée"],
        ["cd13_v2.csv", "rejetée"],
    ]


def test_quality_page_separates_quarantine_from_corrected_files(small_publication):
    from dashboards.app import app
    from dashboards.pages import qualite

    with app.server.test_request_context("/qualite"):
        rejected = qualite.rejected_section(2026)
        history = _texts(qualite.history_body("DEP-13"))
    quarantine = _texts(rejected[:-1])
    corrected = _texts(rejected[-1])
    assert "cd13_v2.csv" in quarantine and "photo.csv" in quarantine
    assert "Réponse « peut-être » invalide." in quarantine
    assert "territoire illisible" in quarantine
    assert "region.csv" not in quarantine
    assert "region.csv" in corrected
    assert "Remplacée par une version plus récente" in history
    assert "millésime illisible ou multiple" in history
    assert "jeton DEP-13" in history and "1,5\u00a0ko" in history
