"""A file with 100,000 errors cannot take the dashboard down (issue 11).

Deposited with a territory's deposit in the inbox and refreshed by the real pipeline, it is
kept in quarantine with a bounded report: the published copy barely grows, every page still
answers in Chromium without a console error, and the Qualité page shows the file's counts
by rule and the first lines of its report, loaded page by page.
"""

from __future__ import annotations

import shutil

import duckdb
import pytest

from dashboards import ids
from dashboards.app import NAVIGATION
from domain.questionnaire import load_questionnaires
from domain.submissions.inbox import deposit_submission
from domain.submissions.report import REPORT_LINE_LIMIT
from tests.browser.helpers import watched_page
from tests.helpers import materialize_new_files, serve_dashboard

pytestmark = pytest.mark.browser

ERRORS = 100_000
FILE_NAME = "DEP-13_2026_cent_mille_erreurs.csv"


def hundred_thousand_errors() -> tuple[bytes, int]:
    """One département's wide export holding at least ``ERRORS`` errors within the reading
    limits (cells, rows): its row repeated, each answer invalid for its question; every
    repeat is an error too. Returns the file and its number of errors."""
    codes = load_questionnaires().for_millesime(2026).questions_for_kind("DEP")["code"].tolist()
    rows = -(-ERRORS // len(codes))
    lines = [";".join(["code_territoire", "millesime", *codes])]
    lines += [";".join(["DEP-13", "2026", *["peut-être"] * len(codes)])] * rows
    return ("\n".join(lines) + "\n").encode(), rows * len(codes)


def test_a_file_with_100000_errors_leaves_every_page_working(small_pipeline_run, browser, tmp_path):
    root = tmp_path / "observatoire"
    shutil.copytree(small_pipeline_run.warehouse.parent, root)
    published = root / "published" / "observatoire.duckdb"
    size_before = published.stat().st_size
    content, expected_errors = hundred_thousand_errors()
    deposit_submission(
        content, FILE_NAME, "jeton DEP-13",
        root / "incoming", root / "archive",
    )  # fmt: skip

    assert materialize_new_files(root).success

    growth = published.stat().st_size - size_before
    assert growth < 1_000_000, f"la copie publiée a grossi de {growth} octets"
    with duckdb.connect(str(published), read_only=True) as con:
        sha256, status, errors = con.execute(
            "SELECT sha256, status, errors FROM submission_files WHERE file_name = ?",
            [FILE_NAME],
        ).fetchone()
        lines = con.execute(
            "SELECT count(*) FROM validation_issues WHERE sha256 = ?", [sha256]
        ).fetchone()[0]
        counted = dict(
            con.execute(
                "SELECT label, issues FROM validation_rule_counts WHERE sha256 = ?", [sha256]
            ).fetchall()
        )
    assert status == "rejetée" and errors >= ERRORS
    assert lines == REPORT_LINE_LIMIT
    assert counted["Réponse en double"] + counted["Réponse invalide"] == expected_errors

    settings = {
        "OBSERVATOIRE_PUBLISHED": str(published),
        "OBSERVATOIRE_CACHE_DIR": str(root / "cache"),
        "OBSERVATOIRE_WARM_CACHE": "1",  # as in production: warmed once per publication
    }
    with (
        serve_dashboard(settings, tmp_path) as base_url,
        watched_page(browser, base_url) as watched,
    ):
        for _, _, path in NAVIGATION:
            watched.goto(path)
            watched.page.locator("#_pages_content h1").first.wait_for()
            watched.page.wait_for_load_state("networkidle")
        watched.goto("/qualite?millesime=2026&code=DEP-13")
        rejected = watched.page.locator(f"#{ids.QUALITY_REJECTED}")
        rejected.locator(f"summary:has-text('{FILE_NAME}')").click()
        report = rejected.locator("details.file-report[open]")
        # Counts by rule, in French with thousands separated.
        counts = report.locator("table").first.inner_text()
        assert "Réponse en double" in counts and "Réponse invalide" in counts
        duplicates = f"{counted['Réponse en double']:,}".replace(",", "\u202f")
        assert duplicates in counts.replace("\u00a0", "\u202f")
        # The first lines of the report, fetched by the grid page by page.
        report.locator(".ag-row >> text=Réponse « peut-être » invalide").first.wait_for()
        first = report.locator(".ag-row[row-index='0'] [col-id='line']").inner_text()
        assert first == "2"
        assert "autres erreurs" in report.locator(".report-omitted").inner_text()
        history = watched.page.locator(f"#{ids.QUALITY_HISTORY}").inner_text()
        assert FILE_NAME in history
        watched.assert_clean()
