"""The issue's scenario in Chromium: a territory proposes an achievement through the form of
the upload page, an analyst publishes it, peers find it and support it.

A copy of the small pipeline run is served by ``python -m dashboards``, with tokens created
here: the author's territory, a peer weak on the sheet's axis (which the ranking must show
it to), and an analyst. Between the steps, the achievements group and the publication are
published in process by the job the contributions sensor starts. A token of one territory
never writes a sheet, a support or a comment as another one.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from dashboards import ids
from dashboards.contribution_forms import component_id, dom_id
from domain.achievements.ledger import current_comments, ledger_frames
from domain.submissions.tokens import create_analyst_token, create_token
from schemas.vocabulary import WEAKNESS
from tests.browser.helpers import WatchedPage, watched_page
from tests.helpers import publish_achievements, serve_dashboard

pytestmark = pytest.mark.browser

WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
IDENTIFIER = "atelier-donnees-ouvertes"
TITLE = "Ateliers de données ouvertes avec les agents et les habitants"
ANALYST = "Service des études de l'observatoire"


@dataclass
class Site:
    """A served copy of a pipeline run, the territories of the scenario and their tokens.

    The reader (a peer weak on the sheet's axis that the ranking shows it to) is known once
    the sheet is published: the demo's sheets compete for the same three places.
    """

    url: str
    root: Path
    axis: str
    author: str
    author_token: str
    other: str
    analyst_token: str
    reader: str | None = None
    reader_token: str | None = None

    @property
    def achievement_id(self) -> str:
        return f"{self.author}/{IDENTIFIER}"

    @property
    def store(self) -> Path:
        return self.root / "contributions.sqlite"

    @property
    def tokens(self) -> Path:
        return self.root / "tokens.sqlite"

    @property
    def published(self) -> Path:
        return self.root / "published" / "observatoire.duckdb"

    def versions(self):
        return ledger_frames(self.store).versions

    def feedback(self):
        frames = ledger_frames(self.store).feedback
        return frames.loc[frames["achievement_id"] == self.achievement_id]

    def comments(self):
        comments = current_comments(ledger_frames(self.store))
        return comments.loc[comments["achievement_id"] == self.achievement_id]


def author_and_other(published: Path) -> tuple[str, str, str]:
    """An axis, an author territory scoring at least its kind's median on it and above a
    territory of its kind weak on it (the ranking's rule), at the latest millésime: the
    axis with the fewest published sheets, the author the best of its kind there."""
    with duckdb.connect(str(published), read_only=True) as con:
        row = con.execute(
            """
            with latest as (select * from axis_positions
                            where millesime = (select max(millesime) from axis_positions)),
            sheets as (select axis, count(*) as sheets from achievement_axes group by axis)
            select a.axis, a.territory, r.territory
            from latest a join latest r
              on a.axis = r.axis and a.peer_group = r.peer_group and a.territory <> r.territory
            left join sheets s on s.axis = a.axis
            where r.position = ? and a.gap >= 0 and a.score > r.score
            order by coalesce(s.sheets, 0), a.score desc, a.axis, a.territory, r.territory
            limit 1
            """,
            [WEAKNESS],
        ).fetchone()
    assert row, "no territory weak on an axis in the small run"
    return row


def weak_reader(published: Path, achievement_id: str) -> str:
    """A territory weak on the sheet's axis at the latest millésime that the published
    ranking shows the sheet to."""
    with duckdb.connect(str(published), read_only=True) as con:
        row = con.execute(
            """
            select r.territory from achievement_recommendations r
            join axis_positions p using (territory, millesime, axis)
            where r.achievement_id = ? and p.position = ?
              and r.millesime = (select max(millesime) from axis_positions)
            order by r.rank, r.territory
            limit 1
            """,
            [achievement_id, WEAKNESS],
        ).fetchone()
    assert row, f"{achievement_id} is recommended to no weak peer"
    return row[0]


@pytest.fixture(scope="module")
def site(chromium, small_pipeline_run, tmp_path_factory) -> Iterator[Site]:
    root = tmp_path_factory.mktemp("achievements") / "observatoire"
    shutil.copytree(small_pipeline_run.warehouse.parent, root)
    axis, author, other = author_and_other(root / "published" / "observatoire.duckdb")
    tokens = root / "tokens.sqlite"
    environment = {
        "OBSERVATOIRE_PUBLISHED": str(root / "published" / "observatoire.duckdb"),
        "OBSERVATOIRE_INCOMING": str(root / "incoming"),
        "OBSERVATOIRE_ARCHIVE": str(root / "archive"),
        "OBSERVATOIRE_TOKENS": str(tokens),
        "OBSERVATOIRE_CONTRIBUTIONS": str(root / "contributions.sqlite"),
        "OBSERVATOIRE_CACHE_DIR": str(root / "cache"),
    }
    with serve_dashboard(environment, root) as url:
        yield Site(
            url=url,
            root=root,
            axis=axis,
            author=author,
            author_token=create_token(tokens, author).token,
            other=other,
            analyst_token=create_analyst_token(tokens, ANALYST).token,
        )


@pytest.fixture
def watched(browser, site) -> Iterator[WatchedPage]:
    with watched_page(browser, site.url) as page:
        yield page


@pytest.fixture(scope="module")
def axe():
    module = pytest.importorskip("axe_playwright_python.sync_playwright")
    return module.Axe()


def publish(site: Site) -> None:
    """Run the job the contributions sensor starts (achievements' tables, publication)."""
    assert publish_achievements(site.root).success


def settled(page) -> None:
    """Wait until Dash has rendered the page and no callback is pending."""
    page.wait_for_load_state("networkidle")
    page.locator("#_pages_content > *").first.wait_for()
    page.wait_for_function("() => !document.querySelector('[data-dash-is-loading=true]')")


def field(page, name: str):
    """The input of the sheet's field ``name`` on the upload page."""
    identifier = dom_id(component_id(ids.SHEET_FIELD, name, key="champ"))
    return page.locator(f"[id='{identifier}']")


def feedback(page, kind: str, achievement_id: str):
    identifier = dom_id(component_id(kind, achievement_id))
    return page.locator(f"[id='{identifier}']")


def assert_accessible(page, axe) -> None:
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_AA}})
    assert results.violations_count == 0, results.generate_report()


def propose_through_the_form(watched: WatchedPage, token: str, territory: str, axis: str) -> str:
    """Fill the sheet's form of the upload page and propose it; the outcome's text."""
    page = watched.page
    watched.goto("/depot")
    settled(page)
    page.fill(f"#{ids.SHEET_TOKEN}", token)
    texts = {
        "code_territoire": territory,
        "identifiant": IDENTIFIER,
        "titre": TITLE,
        "contexte": "Peu de données publiées et des services qui ne se parlaient pas.",
        "realisation": "Six ateliers d'une demi-journée, puis un catalogue de données "
        "ouvertes tenu par un agent référent.",
        "partenaires_publics": "Université voisine | Archives départementales",
        "budget_euros": "45 000",
        "financements": "Région : 40 % | Territoire : 60 %",
        "date_debut": "03/2025",
        "date_fin": "2025-12",
        "resultats": "38 jeux de données publiés, 120 agents formés.",
        "retours_experience": "Commencer par les données que les habitants demandent.",
        "transferabilite": "Un agent à mi-temps pendant un an ; convient dès 50 000 habitants.",
        "contact_fonction": "Direction du numérique",
    }
    for name, text in texts.items():
        field(page, name).fill(text)
    field(page, "axes").locator("label", has=page.locator(f"input[value='{axis}']")).click()
    page.click(f"#{ids.SHEET_FORM_SUBMIT}")
    result = page.locator(f"#{ids.SHEET_FORM_RESULT}")
    result.locator("[role=alert], [role=status]").first.wait_for()
    return result.inner_text()


def test_a_sheet_goes_from_the_form_to_the_peers_who_need_it(watched, site, axe):
    page = watched.page
    # Territory A proposes a sheet for territory B: refused, nothing written.
    before = len(site.versions())
    refused = propose_through_the_form(watched, site.author_token, site.other, site.axis)
    assert site.other in refused and "refus" in refused.lower(), refused
    assert len(site.versions()) == before

    # Territory A proposes its own: received, awaiting review, not public.
    text = propose_through_the_form(watched, site.author_token, site.author, site.axis)
    assert "en attente de relecture" in text and "pas encore publique" in text, text
    page.click(f"#{ids.SHEET_MINE}")
    own = page.locator(f"#{ids.SHEET_MINE_RESULT} table")
    own.wait_for()
    assert IDENTIFIER in own.inner_text() and "proposée" in own.inner_text()
    assert_accessible(page, axe)
    watched.assert_clean()

    publish(site)
    watched.goto("/realisations")
    settled(page)
    results = page.locator(f"#{ids.ACHIEVEMENTS_RESULTS}")
    results.wait_for(state="attached")
    assert TITLE not in results.inner_text()
    watched.goto(f"/realisations/{site.achievement_id}")
    settled(page)
    assert TITLE not in page.locator("#_pages_content").inner_text()

    # An analyst publishes it on the review page.
    watched.goto("/realisations/revue")
    settled(page)
    page.fill(f"#{ids.REVIEW_TOKEN}", site.analyst_token)
    page.click(f"#{ids.REVIEW_SHOW}")
    card = page.locator(".review-item", has_text=site.achievement_id)
    card.wait_for()
    assert TITLE in card.inner_text() and "Direction du numérique" in card.inner_text()
    assert_accessible(page, axe)
    card.get_by_role("button", name="Publier").click()
    decision = card.locator("[role=status]")
    decision.wait_for()
    assert f"au nom de {ANALYST}" in decision.inner_text(), decision.inner_text()
    assert card.get_by_role("button", name="Retirer").is_disabled()
    watched.assert_clean()

    publish(site)
    site.reader = weak_reader(site.published, site.achievement_id)
    site.reader_token = create_token(site.tokens, site.reader).token
    # On the Réalisations page, on its sheet page, on the author's fiche...
    for path, container in (
        ("/realisations", ids.ACHIEVEMENTS_RESULTS),
        (f"/realisations/{site.achievement_id}", ids.ACHIEVEMENT_SHEET),
        (f"/territoire?code={site.author}", ids.TERRITORY_ACHIEVEMENTS),
        # ... and among « ce que vos pairs ont fait » on the fiche of the weak peer.
        (f"/territoire?code={site.reader}", ids.TERRITORY_PEER_ACHIEVEMENTS),
    ):
        watched.goto(path)
        page.locator(f"#{container}").get_by_text(TITLE).first.wait_for()
    watched.assert_clean()


def test_a_peer_supports_it_and_the_count_changes(watched, site, axe):
    page = watched.page
    watched.goto(f"/realisations/{site.achievement_id}")
    settled(page)
    page.locator(f"#{ids.ACHIEVEMENT_FEEDBACK}").get_by_text("0 soutien").first.wait_for()
    support = feedback(page, ids.FEEDBACK_SUPPORT, site.achievement_id)
    support.wait_for()
    result = feedback(page, ids.FEEDBACK_RESULT, site.achievement_id)

    # The author cannot support its own sheet.
    feedback(page, ids.FEEDBACK_TOKEN, site.achievement_id).fill(site.author_token)
    support.click()
    result.locator("[role=alert]").wait_for()
    assert site.feedback().empty

    # The weak peer supports it: recorded for its own territory, counted after publication.
    feedback(page, ids.FEEDBACK_TOKEN, site.achievement_id).fill(site.reader_token)
    support.click()
    result.locator("[role=status]").wait_for()
    assert "prochaine publication" in result.inner_text()
    recorded = site.feedback()
    assert recorded[["territory", "kind"]].values.tolist() == [[site.reader, "soutien"]]
    support.click()
    page.wait_for_function(
        "(id) => document.getElementById(id).innerText.includes('déjà')",
        arg=dom_id(component_id(ids.FEEDBACK_RESULT, site.achievement_id)),
    )
    assert len(site.feedback()) == 1
    assert_accessible(page, axe)

    with duckdb.connect(str(site.published), read_only=True) as con:
        before = con.execute(
            "select supports from achievements where achievement_id = ?", [site.achievement_id]
        ).fetchone()[0]
    publish(site)
    with duckdb.connect(str(site.published), read_only=True) as con:
        after = con.execute(
            "select supports from achievements where achievement_id = ?", [site.achievement_id]
        ).fetchone()[0]
    assert (before, after) == (0, 1)
    watched.goto(f"/realisations/{site.achievement_id}")
    page.locator(f"#{ids.ACHIEVEMENT_FEEDBACK}").get_by_text("1 soutien").first.wait_for()
    watched.assert_clean()


def test_a_comment_is_recorded_for_the_token_territory_only(watched, site):
    """Whatever page it is sent from, a comment is the token's territory's, and waits for
    an analyst's review before it is shown."""
    page = watched.page
    watched.goto(f"/realisations/{site.achievement_id}")
    settled(page)
    feedback(page, ids.FEEDBACK_TOKEN, site.achievement_id).fill(site.reader_token)
    comment = feedback(page, ids.FEEDBACK_COMMENT, site.achievement_id)
    comment.fill("Nous lançons les mêmes ateliers en 2026.")
    feedback(page, ids.FEEDBACK_SEND_COMMENT, site.achievement_id).click()
    result = feedback(page, ids.FEEDBACK_RESULT, site.achievement_id)
    result.locator("[role=status]").wait_for()
    assert "après relecture" in result.inner_text()
    assert comment.input_value() == ""
    comments = site.comments()
    assert comments[["territory", "status"]].values.tolist() == [[site.reader, "proposé"]]
    watched.assert_clean()


def test_a_sheet_file_with_errors_gets_its_report_and_is_kept(watched, site, axe, tmp_path):
    page = watched.page
    sent = tmp_path / "Fiche réalisation.csv"
    sent.write_bytes(
        f"champ;valeur\ncode_territoire;{site.author}\ntitre;Ateliers\naxes;NUMERIQUE\n".encode(
            "cp1252"
        )
    )
    watched.goto("/depot")
    settled(page)
    page.fill(f"#{ids.SHEET_TOKEN}", site.author_token)
    page.get_by_text("Ou déposer une fiche remplie").click()  # opens its part of the form
    page.set_input_files(f"#{ids.SHEET_UPLOAD} input[type=file]", str(sent))
    page.wait_for_selector(f"#{ids.SHEET_FILE_NAME}:has-text('{sent.name}')")
    page.click(f"#{ids.SHEET_FILE_SUBMIT}")
    result = page.locator(f"#{ids.SHEET_FORM_RESULT}")
    result.locator("[role=alert]").first.wait_for()
    report = result.inner_text()
    assert "Fiche à corriger" in report and "NUMERIQUE" in report, report
    assert "contexte" in report and "transferabilite" in report
    archived = [path for path in (site.root / "archive").rglob("*.csv")]
    assert sent.read_bytes() in [path.read_bytes() for path in archived]
    assert_accessible(page, axe)
    watched.assert_clean()
