"""Réalisations: statistics of a selection, filters of the address, pieces of a sheet's page."""

from __future__ import annotations

import pandas as pd

import dashboards.app  # noqa: F401  (builds the app, which registers the pages)
from dashboards.components import achievement_card, achievement_href, counted, excerpt
from dashboards.data.achievements import (
    AchievementQuery,
    AuthorScores,
    achievement_statistics,
    split_codes,
)
from dashboards.figures import achievements_by_axis_chart
from dashboards.formatting import format_euros, format_partial_date
from dashboards.pages.realisation import (
    funding_section,
    link_items,
    paragraphs,
    period_text,
    scores_sentence,
    split_items,
)
from dashboards.pages.realisations import PAGE, Filters, count_text, parse_filters, result_cards
from tests.helpers import _texts

AXES = pd.DataFrame(
    {"code": ["LAB", "DATA", "INCL"], "label": ["Laboratoire", "Données", "Inclusion"]}
)


def _sheets(rows: list[tuple[str, str, str, int, int, int, int]]) -> pd.DataFrame:
    return pd.DataFrame(
        rows,
        columns=["achievement_id", "territory", "axes", "year", "supports", "adaptations",
                 "comments"],
    )  # fmt: skip


def test_statistics_count_each_sheet_on_each_of_its_axes_and_by_year():
    sheets = _sheets(
        [
            ("DEP-1/a", "DEP-1", "LAB|DATA", 2025, 2, 1, 0),
            ("DEP-1/b", "DEP-1", "DATA", 2024, 0, 0, 3),
            ("ME-1/c", "ME-1", "DATA", 2025, 1, 0, 1),
        ]
    )
    statistics = achievement_statistics(sheets, AXES)
    assert (statistics.sheets, statistics.territories) == (3, 2)
    assert (statistics.supports, statistics.adaptations, statistics.comments) == (3, 1, 4)
    by_axis = statistics.by_axis.set_index("axis")
    assert by_axis.index.tolist() == ["LAB", "DATA", "INCL"], "every axis, in display order"
    assert by_axis.loc["DATA", ["sheets", "supports", "comments"]].tolist() == [3, 3, 4]
    assert by_axis.loc["LAB", ["sheets", "adaptations"]].tolist() == [1, 1]
    assert by_axis.loc["INCL", "sheets"] == 0 and by_axis.loc["INCL", "label"] == "Inclusion"
    assert statistics.by_year["year"].tolist() == [2024, 2025]
    assert statistics.by_year["sheets"].tolist() == [1, 2]
    assert statistics.by_year["supports"].tolist() == [0, 3]

    empty = achievement_statistics(sheets.iloc[0:0], AXES)
    assert (empty.sheets, empty.territories, empty.supports) == (0, 0, 0)
    assert empty.by_axis["sheets"].tolist() == [0, 0, 0] and empty.by_year.empty


def test_the_chart_has_one_bar_per_axis_and_whole_ticks():
    by_axis = achievement_statistics(_sheets([("A/a", "A", "DATA", 2025, 1, 0, 0)]), AXES).by_axis
    figure = achievements_by_axis_chart(by_axis)
    bars = figure.data[0]
    assert list(bars.x) == [0, 1, 0]
    assert figure.layout.xaxis.dtick == 1


def test_a_query_turns_a_population_band_into_its_bounds_and_the_text_into_words():
    parameters = AchievementQuery(text="  tiers-lieux   École ", band=2).parameters()
    assert parameters["words"] == ["tiers-lieux", "École"]
    assert (parameters["band_min"], parameters["band_max"]) == (100_000, 250_000)
    last = AchievementQuery(band=5).parameters()
    assert last["band_min"] == 1_000_000 and last["band_max"] > 1e9
    nothing = AchievementQuery().parameters()
    assert nothing["words"] == [] and nothing["band_min"] is None and nothing["axis"] is None


def test_the_address_filters_keep_only_known_values_and_round_trip():
    known = {"axes": {"LAB", "DATA"}, "regions": {"REG-93"}, "years": {2024, 2025}}
    filters = parse_filters(
        {"q": " open   data ", "axe": "DATA", "type": "DEP", "region": "REG-93",
         "tranche": "3", "annee": "2025"},
        known["axes"], known["regions"], known["years"],
    )  # fmt: skip
    assert filters == Filters("open data", "DATA", "DEP", "REG-93", "3", 2025)
    assert filters.active
    assert filters.search() == "?q=open+data&axe=DATA&type=DEP&region=REG-93&tranche=3&annee=2025"
    assert filters.query().band == 3 and filters.query().text == "open data"

    unknown = parse_filters(
        {"axe": "NOPE", "type": "XX", "region": "REG-00", "tranche": "9", "annee": "deux"},
        known["axes"], known["regions"], known["years"],
    )  # fmt: skip
    assert unknown == Filters() and not unknown.active and unknown.search() == ""


def test_count_sentences_are_french():
    assert count_text(3, 3, False) == "3 réalisations publiées."
    assert count_text(1, 1, False) == "1 réalisation publiée."
    assert count_text(1, 60, True) == "1 réalisation sur 60 correspond."
    assert count_text(2, 60, True) == "2 réalisations sur 60 correspondent."
    assert count_text(0, 60, True).startswith("Aucune réalisation ne correspond")
    assert counted(0, "soutien") == "0 soutien" and counted(2, "soutien") == "2 soutiens"


def test_a_card_links_to_its_sheet_and_says_author_axes_and_counts():
    sheet = {
        "achievement_id": "DEP-13/guichet",
        "territory": "DEP-13",
        "territory_name": "Bouches-du-Rhône",
        "kind_label": "Département",
        "title": "Guichet numérique",
        "axes": "DATA|INCL",
        "year": 2025,
        "description": "Un guichet. " * 40,
        "supports": 2,
        "adaptations": 1,
        "comments": 0,
    }
    card = achievement_card(sheet, {"DATA": "Données", "INCL": "Inclusion"})
    text = _texts(card)
    for expected in ("Guichet numérique", "Bouches-du-Rhône (Département) · 2025", "Données",
                     "Inclusion", "2 soutiens · 1 adaptation · 0 commentaire"):  # fmt: skip
        assert expected in text
    link = card.children[0].children
    assert link.href == achievement_href("DEP-13/guichet") == "/realisations/DEP-13/guichet"
    assert len(excerpt(sheet["description"])) <= 221 and excerpt("court") == "court"

    many = pd.DataFrame([{**sheet, "achievement_id": f"DEP-13/s{n}"} for n in range(PAGE + 5)])
    cards, note = result_cards(many, {}, PAGE)
    assert len(cards.children) == PAGE
    assert _texts(note).startswith(f"{PAGE} réalisations affichées sur {PAGE + 5}")
    (everything,) = result_cards(many, {}, 2 * PAGE)
    assert len(everything.children) == PAGE + 5


def test_pieces_of_a_sheet_page():
    texts = paragraphs("Premier paragraphe.\nLigne suivante.\n\nSecond paragraphe.")
    assert len(texts) == 2 and len(texts[0].children) == 3, "a line break is kept"
    assert split_items("Rectorat ; Caisse d'allocations familiales ;") == [
        "Rectorat",
        "Caisse d'allocations familiales",
    ]
    assert split_codes("DEP|ME") == ["DEP", "ME"] and split_codes(None) == []
    items = link_items("https://example.org/a\njavascript:alert(1)\n\n")
    assert items[0].children.href == "https://example.org/a"
    assert items[1].children == "javascript:alert(1)", "only http(s) addresses become links"
    assert period_text("2024-03", "2025-06-30") == "de mars 2024 à 30 juin 2025"
    assert period_text("2024", None) == "depuis 2024"
    assert format_partial_date("2024-13") == "2024-13" and format_euros(1500) == "1\u202f500\u00a0€"


def test_the_funding_table_leaves_out_a_column_nobody_filled_in():
    shares = pd.DataFrame(
        {"funder": ["Région", "FEDER"], "share_percent": [60.0, 40.0], "amount_euros": [None] * 2}
    )
    text = _texts(funding_section({"budget_euros": 1000.0}, shares))
    assert "Financeurs et part du budget" in text and "Montant" not in text
    assert "Région 60\u00a0%" in text
    full = shares.assign(amount_euros=[600.0, 400.0])
    assert "Montant" in _texts(funding_section({"budget_euros": 1000.0}, full))
    assert "Aucun financement détaillé." in _texts(funding_section({}, shares.iloc[0:0]))


def test_the_scores_sentence_says_which_millesime_is_shown():
    empty = pd.DataFrame()
    assert "millésime 2025, l'année que décrit la fiche" in scores_sentence(
        AuthorScores(2025, 2025, empty)
    )
    earlier = scores_sentence(AuthorScores(2027, 2026, empty))
    assert "(2027)" in earlier and "millésime 2026, le plus proche avant" in earlier
    later = scores_sentence(AuthorScores(2023, 2025, empty))
    assert "(2023) ni avant" in later and "millésime 2025, le premier publié après" in later
    assert scores_sentence(AuthorScores(2020, None, empty)).startswith("Aucun score")


def test_a_sheet_page_marks_realisations_in_the_navigation():
    from dashboards.app import NAVIGATION, active_links

    position = [path for _, _, path in NAVIGATION].index("/realisations")
    for path in ("/realisations", "/realisations/DEP-13/guichet"):
        classes = active_links(path)
        assert classes[position] == "nav-link active"
        assert classes.count("nav-link active") == 1
    assert active_links("/")[0] == "nav-link active", "the national view is not a prefix"
    assert active_links("/territoire").count("nav-link active") == 1
