"""Réalisations linked to the scores, without a browser: "Ce que vos pairs ont fait" and the
territory's own sheets on the fiche, the sheets of an axis, the open dataset of the sheets."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import dashboards.app  # noqa: F401  (builds the app, which registers the pages)
from dashboards import downloads, ids
from dashboards.app import app
from dashboards.pages.axes import achievements_section
from dashboards.pages.fiche_territoire import (
    RANKING_EXPLANATION,
    closeness_badges,
    own_achievements_section,
    peer_achievements_section,
    progress_text,
)
from tests.helpers import _texts

POSITIONS = pd.DataFrame(
    {
        "axis": ["LAB", "DATA", "INCL"],
        "label": ["Laboratoire", "Données", "Inclusion"],
        "position": ["force", "faiblesse", "faiblesse"],
    }
)


def _recommendation(rank: int, title: str, **fields) -> dict:
    row = {
        "axis": "DATA",
        "axis_label": "Données",
        "rank": rank,
        "achievement_id": f"CA-{rank}/fiche-{rank}",
        "title": title,
        "year": 2025,
        "author": f"CA-{rank}",
        "author_name": f"Agglomération {rank}",
        "author_kind": "CA",
        "author_kind_label": "Communauté d'agglomération",
        "author_population": 123456,
        "author_region_name": "Occitanie",
        "author_score": 81.4,
        "author_progress": 6.5,
        "same_kind": True,
        "similar_population": False,
        "same_region": True,
        "supports": 2,
        "adaptations": 1,
    }
    row.update(fields)
    return row


RECOMMENDED = pd.DataFrame(
    [
        # Out of order on purpose: the rank decides, not the row order.
        _recommendation(2, "Second : portail de données", same_kind=False, author_progress=None),
        _recommendation(1, "Premier : open data « dès la conception »"),
    ]
)


def _links(component) -> list[tuple[str, str]]:
    """(text, href) of every link of a component tree, in order."""
    found = []
    if getattr(component, "href", None) is not None:
        found.append((_texts(component), component.href))
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list | tuple) else [children]:
        if child is not None and not isinstance(child, str | int | float):
            found += _links(child)
    return found


def test_peers_achievements_are_listed_per_weak_axis_by_rank_with_the_ranking_sentence():
    with app.server.test_request_context("/"):
        section = peer_achievements_section(RECOMMENDED, POSITIONS, 2026)
    text = _texts(section)
    assert section.id == ids.TERRITORY_PEER_ACHIEVEMENTS
    assert RANKING_EXPLANATION in text
    assert text.index("Premier") < text.index("Second"), "rank 1 first"
    assert "Laboratoire" not in text, "a strength gets no recommendation"
    # The weak axis without a sheet says so, soberly.
    after_inclusion = text[text.index("Inclusion") :]
    assert "Aucune réalisation publiée sur cet axe" in after_inclusion
    assert "Score de l'auteur sur l'axe en 2026 : 81,4 sur 100" in text
    assert "+6,5 points depuis 2025" in text and "progression depuis 2025 inconnue" in text
    assert "123\u202f456 habitants · Région Occitanie" in text
    links = _links(section)
    assert links[0] == ("Premier : open data « dès la conception »", "/realisations/CA-1/fiche-1")
    assert ("/territoire?code=CA-1&millesime=2026") in [href for _, href in links]


def test_badges_say_in_words_how_close_the_author_is():
    first, second = RECOMMENDED.sort_values("rank").itertuples(index=False)
    assert closeness_badges(first) == ["même type", "même région"]
    assert closeness_badges(second) == ["même région"]
    unknown = second._replace(same_region=None, similar_population=pd.NA)
    assert closeness_badges(unknown) == [], "an unknown closeness earns no badge"
    assert progress_text(-2.0, None) == "\u22122,0 points depuis la réalisation"
    assert progress_text(0.0, 2026, 2026) == "réalisation de 2026, sans recul encore"
    assert progress_text(3.0, 2025, 2026) == "+3,0 points depuis 2025"


def test_without_weak_axes_or_sheets_the_sections_say_so():
    strong = POSITIONS.assign(position="force")
    with app.server.test_request_context("/"):
        section = peer_achievements_section(RECOMMENDED.iloc[0:0], strong, 2026)
        own = own_achievements_section({"name": "Ain"}, pd.DataFrame())
    assert "Aucun point faible ce millésime" in _texts(section)
    assert own.id == ids.TERRITORY_ACHIEVEMENTS
    assert "Ain n'a pas encore de réalisation exemplaire publiée" in _texts(own)
    assert _links(own) == [("Déposer", "/depot")]


def test_the_territory_lists_its_own_sheets_with_their_axes_and_counts():
    own = pd.DataFrame(
        {
            "achievement_id": ["DEP-01/tiers-lieu", "DEP-01/open-data"],
            "title": ["Tiers-lieu numérique", "Données ouvertes"],
            "year": [2026, 2025],
            "axis_labels": ["Inclusion ; Laboratoire", "Données"],
            "supports": [3, 0],
            "adaptations": [1, 0],
            "comments": [0, 0],
        }
    )
    with app.server.test_request_context("/"):
        section = own_achievements_section({"name": "Ain"}, own)
    text = _texts(section)
    assert "2 réalisations exemplaires publiées." in text
    assert "Inclusion ; Laboratoire · 3 soutiens · 1 territoire l'adapte" in text
    assert [href for _, href in _links(section)] == [
        "/realisations/DEP-01/tiers-lieu",
        "/realisations/DEP-01/open-data",
    ]


def test_the_axis_page_lists_the_sheets_of_the_axis_with_their_count():
    sheets = pd.DataFrame(
        {
            "achievement_id": ["ME-1/plateforme"],
            "title": ["Plateforme de données"],
            "year": [2025],
            "author": ["ME-1"],
            "author_name": ["Métropole une"],
            "author_kind_label": ["Métropole"],
            "supports": [0],
            "adaptations": [0],
        }
    )
    with app.server.test_request_context("/"):
        section = achievements_section(sheets, "Données")
        empty = achievements_section(sheets.iloc[0:0], "Données")
    assert section.id == ids.AXES_ACHIEVEMENTS
    assert "1 réalisation exemplaire publiée sur l'axe « Données »" in _texts(section)
    assert _links(section) == [
        ("Plateforme de données", "/realisations/ME-1/plateforme"),
        ("Métropole une", "/territoire?code=ME-1"),
    ]
    assert "Aucune réalisation exemplaire publiée sur l'axe « Données »" in _texts(empty)


SHEETS = pd.DataFrame(
    {
        "titre": ["=1+1 : un titre qui ressemble à une formule", "Tiers-lieu à Évreux"],
        "realisation": ["Ligne 1\nLigne 2", "Première étape\r\nDeuxième étape"],
        "budget_euros": [120000.5, None],
        "deposee_le": pd.to_datetime(["2026-01-05 09:30", "2026-02-01 10:00"]),
    }
)


def test_json_keeps_accents_line_breaks_nulls_and_formulas_as_they_are():
    content = downloads.to_json(SHEETS)
    assert "Évreux".encode() in content, "UTF-8, not \\u escapes"
    back = json.loads(content)
    assert back[0]["titre"].startswith("=1+1"), "typed files keep values as they are"
    assert back[1]["realisation"] == "Première étape\r\nDeuxième étape"
    assert back[0]["budget_euros"] == 120000.5 and back[1]["budget_euros"] is None
    assert back[0]["deposee_le"].startswith("2026-01-05")


def test_the_sheets_dataset_is_served_whole_in_four_formats():
    dataset = downloads.DATASETS["realisations"]
    assert not dataset.per_millesime
    assert set(downloads.FORMATS) == {"excel.csv", "csv", "parquet", "json"}
    match = downloads.FILE_PATTERN.match("realisations-tous.json")
    assert match and match["dataset"] == "realisations" and match["format"] == "json"
    with pytest.raises(downloads.UnknownFile, match="ne dépend pas du millésime"):
        downloads.render("realisations-2026.csv", [2026])
    names = [field.name for field in dataset.fields]
    assert len(names) == len(set(names)) and all(f.description for f in dataset.fields)
