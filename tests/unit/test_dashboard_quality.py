"""The data-quality and upload pages without a browser: pure pieces, and queries on a
hand-written publication or none (those on a real one are in tests/integration)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from dashboards import data, figures
from dashboards.components import count_issues, report_rows
from dashboards.formatting import format_size
from tests.helpers import _texts

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


# --- Pages -----------------------------------------------------------------------------


def test_pages_say_so_when_nothing_is_published(nothing_published):
    from dashboards.app import app
    from dashboards.pages import depot, qualite

    with app.server.test_request_context("/"):
        assert data.MISSING_MESSAGE in _texts(qualite.layout())
        # The form needs no publication to show; a deposit says why it cannot be checked.
        assert "Jeton de dépôt" in _texts(depot.layout())
        refused = _texts(depot.deposit("jeton", "f.csv", "data:text/csv;base64,"))
    assert "momentanément indisponible" in refused


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
            create table validation_rule_counts as
            select * from (values
                ('b', 'cd13_v2.csv', 'reponse_invalide', 'Réponse invalide', 'erreur', 2),
                ('f', 'photo.csv', 'fichier', 'Fichier illisible ou mal structuré',
                 'erreur', 1)
            ) c(sha256, file_name, rule, label, severity, issues);
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
    # Counts by rule in the layout; the lines come page by page from the grid's callback.
    assert "Réponse invalide" in quarantine and "Réponse « peut-être » invalide." not in quarantine
    # cd13_v2 counts 2 errors, one published in detail: the other is said to be counted only.
    assert "et 1 autre erreur" in quarantine
    page = qualite.report_response("b", {"startRow": 0, "endRow": 50})
    assert page["rowCount"] == 1
    assert page["rowData"][0]["message"] == "Réponse « peut-être » invalide."
    assert "territoire illisible" in quarantine
    assert "region.csv" not in quarantine
    assert "region.csv" in corrected
    assert "Remplacée par une version plus récente" in history
    assert "millésime illisible ou multiple" in history
    assert "jeton DEP-13" in history and "1,5\u00a0ko" in history


def test_the_territories_without_answer_are_listed_up_to_a_bound_and_counted():
    import dashboards.app  # noqa: F401  (builds the app, which registers the pages)
    from dashboards.pages.qualite import MISSING_SHOWN, missing_table

    status = pd.DataFrame(
        {
            "code": [f"COM-{n:05d}" for n in range(MISSING_SHOWN + 40)],
            "name": [f"Commune {n}" for n in range(MISSING_SHOWN + 40)],
            "kind": "COM",
            "kind_label": "Commune",
            "answered": False,
        }
    )
    shown = repr(missing_table(status, 2026, None))
    assert shown.count("/territoire?code=COM-") == MISSING_SHOWN
    assert f"{MISSING_SHOWN + 40} territoires sans fichier accepté" in shown.replace("\u202f", "")
    assert "… et 40 autres" in shown
