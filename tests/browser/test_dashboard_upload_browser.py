"""The upload page in a real browser: tokens, own territory only, reports, and the refresh.

A copy of a real pipeline run is served by ``python -m dashboards``; files are uploaded
through the page's file input in Debian's chromium, then the assets a run of new files
rebuilds are materialized again and the territory's profile shows the new answers.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from dashboards import ids
from domain.submissions.tokens import create_token, revoke_tokens
from pipelines.demo import demo_rows, to_csv_bytes
from tests.browser.helpers import WatchedPage, watched_page
from tests.helpers import best_answers, materialize_new_files, serve_dashboard

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class UploadSite:
    """A served copy of a pipeline run, with the tokens issued for it."""

    url: str
    root: Path
    token: str
    revoked_token: str

    @property
    def incoming(self) -> Path:
        return self.root / "incoming"

    def inbox(self) -> list[str]:
        return sorted(p.name for p in self.incoming.iterdir()) if self.incoming.exists() else []


@pytest.fixture(scope="module")
def site(chromium, small_pipeline_run, tmp_path_factory) -> Iterator[UploadSite]:
    root = tmp_path_factory.mktemp("upload") / "observatoire"
    shutil.copytree(small_pipeline_run.warehouse.parent, root)
    store = root / "tokens.sqlite"
    token = create_token(store, "DEP-13").token
    revoked = create_token(store, "REG-93").token
    revoke_tokens(store, "REG-93")
    environment = {
        "OBSERVATOIRE_PUBLISHED": str(root / "published" / "observatoire.duckdb"),
        "OBSERVATOIRE_INCOMING": str(root / "incoming"),
        "OBSERVATOIRE_ARCHIVE": str(root / "archive"),
        "OBSERVATOIRE_TOKENS": str(store),
        "OBSERVATOIRE_CACHE_DIR": str(root / "cache"),
    }
    with serve_dashboard(environment, root) as url:
        yield UploadSite(url, root, token, revoked)


@pytest.fixture
def watched(browser, site) -> Iterator[WatchedPage]:
    with watched_page(browser, site.url) as page:
        yield page


def upload(watched: WatchedPage, token: str, path: Path) -> str:
    page = watched.page
    watched.goto("/depot")
    page.fill(f"#{ids.DEPOSIT_TOKEN}", token)
    page.set_input_files(f"#{ids.DEPOSIT_UPLOAD} input[type=file]", str(path))
    page.wait_for_selector(f"#{ids.DEPOSIT_FILE_NAME}:has-text('{path.name}')")
    page.click(f"#{ids.DEPOSIT_SUBMIT}")
    result = page.locator(f"#{ids.DEPOSIT_RESULT}")
    result.locator(".notice, [role=alert], [role=status]").first.wait_for()
    return result.inner_text()


def test_a_good_file_is_accepted_and_reaches_the_profile_after_the_refresh(
    watched, site, questionnaire, tmp_path
):
    sent = tmp_path / "Réponses CD13 2026.csv"
    sent.write_bytes(to_csv_bytes(best_answers(questionnaire, "DEP-13", "DEP")))
    text = upload(watched, site.token, sent)
    assert "Fichier accepté" in text, text
    assert "Bouches-du-Rhône" in text
    inbox = site.inbox()
    assert len(inbox) == 2 and inbox[1].endswith(".meta.json"), inbox
    assert "CD13" not in inbox[0], "the stored name never comes from the upload"
    watched.assert_clean()

    assert materialize_new_files(site.root).success
    watched.goto("/territoire?code=DEP-13&millesime=2026")
    watched.page.wait_for_selector(f"#{ids.TERRITORY_BODY} >> text=Exemplaire")
    body = watched.page.locator(f"#{ids.TERRITORY_BODY}").inner_text()
    assert "100,0" in body

    # The data-quality page lists the new version first, deposited with the token.
    watched.goto("/qualite?millesime=2026&code=DEP-13")
    latest = watched.page.locator(f"#{ids.QUALITY_HISTORY} tbody tr").first
    latest.wait_for()
    assert sent.name in latest.inner_text() and "jeton DEP-13" in latest.inner_text()
    assert "Acceptée" in latest.inner_text()
    watched.assert_clean()


def test_a_bad_file_shows_its_report(watched, site, questionnaire, tmp_path):
    territory = pd.Series({"code": "DEP-13", "kind": "DEP", "population": 2_000_000})
    rows = demo_rows(territory, 2026, 0.5, questionnaire, seed=5)
    rows[0] = [*rows[0][:3], "peut-être", ""]
    sent = tmp_path / "brouillon.csv"
    sent.write_bytes(to_csv_bytes(rows))
    text = upload(watched, site.token, sent)
    assert "Fichier rejeté" in text
    tables = watched.page.locator(f"#{ids.DEPOSIT_RESULT} table")
    assert "Réponse invalide" in tables.first.inner_text()  # the counts by rule
    report = tables.last.inner_text()  # the lines
    assert "peut-être" in report and "D (reponse)" in report
    assert "« oui » ou « non »" in report
    watched.assert_clean()


@pytest.mark.parametrize("which", ["wrong", "revoked"])
def test_wrong_or_revoked_tokens_are_refused_and_nothing_is_kept(
    watched, site, questionnaire, tmp_path, which
):
    sent = tmp_path / "bon.csv"
    sent.write_bytes(to_csv_bytes(best_answers(questionnaire, "REG-93", "REG")))
    before = site.inbox()
    token = "pas-un-jeton-valide" if which == "wrong" else site.revoked_token
    text = upload(watched, token, sent)
    assert "Jeton de dépôt inconnu ou révoqué" in text
    assert site.inbox() == before
    watched.assert_clean()


def test_a_file_for_another_territory_is_refused(watched, site, questionnaire, tmp_path):
    sent = tmp_path / "region.csv"
    sent.write_bytes(to_csv_bytes(best_answers(questionnaire, "REG-93", "REG")))
    before = site.inbox()
    text = upload(watched, site.token, sent)
    assert "REG-93" in text and "que pour DEP-13" in text
    assert site.inbox() == before
    watched.assert_clean()


def test_a_file_that_is_no_table_is_refused(watched, site, tmp_path):
    sent = tmp_path / "photo.csv"
    sent.write_bytes(bytes(range(256)) * 8)
    text = upload(watched, site.token, sent)
    assert "n'est pas un tableau" in text
    watched.assert_clean()
