"""Réalisations without a browser: the data door and both pages, on a copy of the published
file of a real pipeline run to which a few known sheets are added
(:mod:`tests.support.published_sheets`)."""

from __future__ import annotations

import dash
import duckdb
import pytest

import dashboards.app  # noqa: F401  (builds the app, which registers the pages)
from dashboards import data, ids
from dashboards.data.achievements import (
    AchievementQuery,
    achievement,
    achievement_comments,
    achievement_feedback,
    achievement_fundings,
    achievement_years,
    author_scores,
    search_achievements,
)
from dashboards.formatting import format_integer
from dashboards.pages import realisation, realisations
from tests.helpers import _component, _texts
from tests.support.published_sheets import add_sample_achievements

GUICHET = "DEP-13/guichet-numerique-des-colleges"
OPEN_DATA = "REG-93/open-data-regional"
TIERS_LIEUX = "DEP-05/tiers-lieux-numeriques"


@pytest.fixture
def sample(published_copy):
    """The published copy with the three known sheets added."""
    add_sample_achievements(published_copy)
    return published_copy


def _found(query: AchievementQuery) -> set[str]:
    return set(search_achievements(query)["achievement_id"])


def test_search_finds_words_in_any_text_accents_and_case_aside(sample):
    assert GUICHET in _found(AchievementQuery(text="ARDOISE colleges"))
    assert _found(AchievementQuery(text="ardoise")) == {GUICHET}
    assert GUICHET not in _found(AchievementQuery(text="ardoise introuvablemot")), (
        "every word must appear"
    )
    # The partners and the author's name are searched too.
    assert GUICHET in _found(AchievementQuery(text="université aix-marseille"))
    assert TIERS_LIEUX in _found(AchievementQuery(text="hautes-alpes tiers-lieux"))


def test_filters_select_by_axis_kind_region_band_and_year(sample):
    samples = {GUICHET, OPEN_DATA, TIERS_LIEUX}
    assert _found(AchievementQuery(axis="INCL")) & samples == {GUICHET, TIERS_LIEUX}
    assert _found(AchievementQuery(kind="REG")) & samples == {OPEN_DATA}
    assert _found(AchievementQuery(region="REG-93")) & samples == samples
    # Hautes-Alpes: 100,000 to 250,000 inhabitants; Bouches-du-Rhône: over a million.
    assert _found(AchievementQuery(band=2)) & samples == {TIERS_LIEUX}
    assert _found(AchievementQuery(band=5, axis="SERV")) & samples == {GUICHET}
    assert _found(AchievementQuery(year=2024, text="plateforme régionale")) == {OPEN_DATA}
    assert {2024, 2025, 2026} <= set(achievement_years())


def test_a_sheet_its_funding_feedback_and_comments(sample):
    sheet = achievement(GUICHET)
    assert sheet["territory_name"] == "Bouches-du-Rhône" and sheet["kind"] == "DEP"
    assert sheet["region_name"] == "Provence-Alpes-Côte d'Azur"
    assert achievement("DEP-13/inconnue") is None
    fundings = achievement_fundings(GUICHET)
    assert fundings["funder"].tolist() == ["Département", "FEDER"]
    feedback = achievement_feedback(GUICHET)
    assert sorted(feedback.loc[feedback["kind"] == "soutien", "territory_name"]) == [
        "Hautes-Alpes",
        "Provence-Alpes-Côte d'Azur",
    ]
    assert achievement_comments(GUICHET)["territory_name"].tolist() == ["Hautes-Alpes"]


def test_the_authors_scores_are_those_of_the_year_or_the_nearest_millesime(sample):
    with duckdb.connect(str(sample), read_only=True) as connection:
        scored = [
            row[0]
            for row in connection.execute(
                "select millesime from territory_scores where territory = 'DEP-13' "
                "order by millesime"
            ).fetchall()
        ]
        (serv,) = connection.execute(
            "select score from axis_scores where territory = 'DEP-13' and axis = 'SERV' "
            "and millesime = ?",
            [scored[-1]],
        ).fetchone()
    exact = author_scores("DEP-13", ["SERV", "INCL"], scored[0])
    assert exact.exact and exact.axes["axis"].tolist() == ["SERV", "INCL"]
    later = author_scores("DEP-13", ["SERV"], scored[-1] + 3)
    assert later.millesime == scored[-1] and not later.exact
    assert later.axes["score"].iloc[0] == pytest.approx(serv)
    assert later.axes["peer_median"].notna().all()
    older = author_scores("DEP-13", ["SERV"], scored[0] - 1)
    assert older.millesime == scored[0] and older.later, "older than every millésime"
    assert author_scores("INCONNU", ["SERV"], scored[0]).millesime is None


def test_the_list_page_follows_the_address_and_the_controls(sample):
    total = len(search_achievements())
    page = realisations.layout(q="Ardoise", axe="SERV", tranche="5")
    assert _texts(_component(page, ids.ACHIEVEMENTS_COUNT)) == (
        f"1 réalisation sur {total} correspond."
    )
    results = _texts(_component(page, ids.ACHIEVEMENTS_RESULTS))
    assert "Guichet numérique des collèges" in results
    assert "2 soutiens · 1 adaptation · 1 commentaire" in results
    assert _component(page, ids.ACHIEVEMENTS_SEARCH).value == "Ardoise"
    assert _component(page, ids.ACHIEVEMENTS_AXIS_CHART) is not None

    controls = {"q": "tiers-lieux", "axe": "INCL", "tranche": "2", "region": "REG-93"}
    count, _kpis, cards, _stats, status, address, limit, complete = realisations.achievements_view(
        controls, realisations.PAGE, ""
    )
    assert status is None and limit == realisations.PAGE and complete
    assert address == "?q=tiers-lieux&axe=INCL&region=REG-93&tranche=2"
    assert "Réseau de tiers-lieux numériques" in _texts(cards)
    assert count.endswith("correspond.") or count.endswith("correspondent.")

    # Every sheet: the first page of cards, then one more page.
    first = realisations.achievements_view({}, realisations.PAGE, "")
    assert first[5] is dash.no_update, "the address has nothing to add"
    assert len(first[2][0].children) == min(total, realisations.PAGE)
    assert first[7] == (total <= realisations.PAGE)
    more = realisations.achievements_view({}, 2 * realisations.PAGE, "")
    assert len(more[2][0].children) == min(total, 2 * realisations.PAGE)

    unfiltered = realisations.layout(axe="INCONNU")
    assert _texts(_component(unfiltered, ids.ACHIEVEMENTS_COUNT)) == (
        f"{total} réalisations publiées."
    )


def test_the_sheet_page_shows_the_whole_sheet_and_its_territorys_context(sample):
    page = realisation.layout(territoire="DEP-13", identifiant="guichet-numerique-des-colleges")
    text = _texts(page)
    for expected in (
        "Guichet numérique des collèges",
        "Contexte et objectifs",
        "Ardoise",
        "Partenaires académiques",
        "Université d'Aix-Marseille",
        "de mars 2024 à 30 juin 2025",
        "Licence Ouverte 2.0",
        "Direction de l'éducation et des collèges",
        "https://www.data.gouv.fr/fr/datasets/exemple-guichet/",
        "Territoires visés : départements, métropoles.",
        "Nous avons repris l'idée",
    ):
        assert expected in text, expected
    assert len(_component(page, ids.ACHIEVEMENT_FUNDING).children[2].children.children[2]
               .children) == 2  # fmt: skip
    author = _texts(_component(page, ids.ACHIEVEMENT_AUTHOR))
    assert f"{format_integer(achievement(GUICHET)['population'])} habitants" in author
    assert "Scores du millésime 2025, l'année que décrit la fiche." in author
    scores = _component(page, ids.ACHIEVEMENT_AUTHOR_SCORES)
    assert [row.children[0].children for row in scores.children[2].children] == [
        "Services en ligne aux usagers",
        "Inclusion et médiation numériques",
    ]
    feedback = _texts(_component(page, ids.ACHIEVEMENT_FEEDBACK))
    assert "La soutiennent" in feedback and "Hautes-Alpes" in feedback
    assert realisation.page_title("DEP-13", "guichet-numerique-des-colleges").startswith(
        "Guichet numérique des collèges — Réalisations"
    )


def test_an_unknown_sheet_gets_a_french_message(sample):
    page = realisation.layout(territoire="DEP-13", identifiant="n-existe-pas")
    assert "Réalisation introuvable" in _texts(page)
    assert _component(page, ids.ACHIEVEMENT_PRINT).hidden
    assert realisation.page_title("DEP-13", "n-existe-pas").startswith("Réalisation introuvable")
    assert "Réalisation introuvable" in _texts(realisation.layout())


def test_without_a_publication_both_pages_say_so(nothing_published):
    assert data.MISSING_MESSAGE in _texts(realisations.layout())
    assert data.MISSING_MESSAGE in _texts(realisation.layout(territoire="A", identifiant="b"))
