"""Published réalisations written straight into a copy of a published file, for the tests of
the pages that read them (Réalisations, a sheet's page, the fiche's sections, the Axes page,
Téléchargements): known rows whatever the demo holds.

The rows follow the published tables of the pipeline; a table the copy lacks is created with
the columns and SQL types the pipeline writes (:data:`domain.achievements.tables.TABLE_COLUMNS`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from domain.achievements.tables import TABLE_COLUMNS

#: The published tables of the achievements that the pages read.
PAGE_TABLES = (
    "achievements",
    "achievement_axes",
    "achievement_fundings",
    "achievement_feedback",
    "achievement_comments",
    "achievement_recommendations",
)


def sheet(
    territory: str,
    identifier: str,
    title: str,
    axes: Iterable[str] | str,
    year: int = 2025,
    **fields: Any,
) -> dict[str, Any]:
    """A row of ``achievements``: the texts every sheet must have, the optional fields
    empty, dated in ``year``; ``axes`` as codes or as the table writes them (``"DATA|GOUV"``);
    ``fields`` replace any column."""
    codes = axes.split("|") if isinstance(axes, str) else list(axes)
    row: dict[str, Any] = {
        "achievement_id": f"{territory}/{identifier}",
        "territory": territory,
        "identifier": identifier,
        "title": title,
        "axes": "|".join(codes),
        "questions": None,
        "context": "Un territoire qui voulait mieux servir ses habitants.",
        "description": "Une équipe projet, un calendrier, des ateliers.",
        "partners_public": None,
        "partners_academic": None,
        "partners_private": None,
        "partners_associative": None,
        "budget_euros": None,
        "funding": None,
        "start_date": f"{year}-01",
        "end_date": None,
        "year": year,
        "results": "Des usagers satisfaits.",
        "lessons": "Commencer petit.",
        "transferability": "Adaptable partout avec une personne dédiée.",
        "target_kinds": "DEP|CA",
        "adaptation_cost_euros": None,
        "links": None,
        "contact_role": "Direction du numérique",
        "licence": "Licence Ouverte 2.0",
        "version": 1,
        "submitted_at": datetime(year, 2, 1, 9, 0),
        "published_at": datetime(year, 3, 1, 10, 0),
        "supports": 0,
        "adaptations": 0,
        "comments": 0,
    }
    row.update(fields)
    return row


def add_published_sheets(
    database: Path,
    sheets: Iterable[Mapping[str, Any]],
    recommendations: Iterable[Mapping[str, Any]] = (),
    fundings: Iterable[tuple] = (),
    feedback: Iterable[tuple] = (),
    comments: Iterable[tuple] = (),
) -> list[str]:
    """Add published ``sheets`` (rows of ``achievements``, see :func:`sheet`) and their
    axes to ``database``, with ``recommendations`` (rows of ``achievement_recommendations``,
    which replace those of their readers: territory and millésime), and ``fundings``,
    ``feedback``, ``comments`` (tuples in the columns of their tables); return the ids of
    the sheets added."""
    sheets = list(sheets)
    frames = {
        "achievements": pd.DataFrame(sheets),
        "achievement_recommendations": pd.DataFrame(list(recommendations)),
    }
    frames["achievement_axes"] = pd.DataFrame(
        [
            {"achievement_id": row["achievement_id"], "axis": axis}
            for row in frames["achievements"].to_dict("records")
            for axis in str(row["axes"]).split("|")
            if axis
        ]
    )
    for table, rows in (
        ("achievement_fundings", fundings),
        ("achievement_feedback", feedback),
        ("achievement_comments", comments),
    ):
        frames[table] = pd.DataFrame(list(rows), columns=list(TABLE_COLUMNS[table]))
    with duckdb.connect(str(database)) as connection:
        for table in PAGE_TABLES:
            columns = ", ".join(f"{name} {kind}" for name, kind in TABLE_COLUMNS[table].items())
            connection.execute(f"create table if not exists {table} ({columns})")
            frame = frames[table]
            if frame.empty:
                continue
            if table == "achievement_recommendations":
                connection.register("readers", frame[["millesime", "territory"]].drop_duplicates())
                connection.execute(
                    f"delete from {table} where (millesime, territory) in "
                    "(select (millesime, territory) from readers)"
                )
                connection.unregister("readers")
            connection.register("incoming", frame)
            connection.execute(f"insert into {table} by name select * from incoming")
            connection.unregister("incoming")
    return [row["achievement_id"] for row in sheets]


#: A known sample: one sheet with everything filled (DEP-13), two others to filter apart.
SHEETS = [
    sheet(
        "DEP-13",
        "guichet-numerique-des-colleges",
        "Guichet numérique des collèges",
        "SERV|INCL",
        2025,
        questions="SERV_01",
        context="Les familles attendaient des semaines une réponse sur la restauration "
        "scolaire : le projet « Ardoise » devait raccourcir ce délai.",
        description="Un guichet en ligne unique pour les démarches des collèges.\n"
        "Deuxième ligne du texte.",
        partners_public="Rectorat ; Caisse d'allocations familiales",
        partners_academic="Université d'Aix-Marseille",
        partners_private="Éditeur de logiciels libres",
        partners_associative="Fédération des parents d'élèves",
        budget_euros=250_000.0,
        funding="Département : 60 % ; FEDER : 40 %",
        start_date="2024-03",
        end_date="2025-06-30",
        results="Délai de réponse passé de 21 à 3 jours ; 12 000 démarches la première année.",
        lessons="Associer les secrétariats dès le début.",
        transferability="Tout département disposant d'un portail usagers.",
        target_kinds="DEP|ME",
        adaptation_cost_euros=80_000.0,
        links="https://www.data.gouv.fr/fr/datasets/exemple-guichet/\nhttps://example.org/bilan.pdf",
        contact_role="Direction de l'éducation et des collèges",
        version=2,
        supports=2,
        adaptations=1,
        comments=1,
    ),
    sheet(
        "REG-93",
        "open-data-regional",
        "Plateforme régionale de données ouvertes",
        "DATA",
        2024,
        supports=1,
    ),
    sheet(
        "DEP-05",
        "tiers-lieux-numeriques",
        "Réseau de tiers-lieux numériques",
        "INCL|LAB",
        2026,
        description="Six tiers-lieux ouverts dans les vallées, avec des médiateurs.",
    ),
]

FUNDINGS = [
    ("DEP-13/guichet-numerique-des-colleges", "Département", 60.0, 150_000.0),
    ("DEP-13/guichet-numerique-des-colleges", "FEDER", 40.0, 100_000.0),
]
FEEDBACK = [
    ("DEP-13/guichet-numerique-des-colleges", "DEP-05", "soutien", datetime(2025, 9, 1)),
    ("DEP-13/guichet-numerique-des-colleges", "REG-93", "soutien", datetime(2025, 9, 2)),
    ("DEP-13/guichet-numerique-des-colleges", "DEP-05", "adaptation", datetime(2025, 9, 3)),
    ("REG-93/open-data-regional", "DEP-13", "soutien", datetime(2024, 6, 1)),
]
COMMENTS = [
    (
        "c-0001",
        "DEP-13/guichet-numerique-des-colleges",
        "DEP-05",
        "Nous avons repris l'idée pour nos collèges de montagne.",
        datetime(2025, 9, 4),
        datetime(2025, 9, 5),
    ),
]


def add_sample_achievements(published: Path) -> list[str]:
    """Add the sample (:data:`SHEETS`, their fundings, feedback and comments) to the
    published file at ``published``; return the ids of the sheets added."""
    return add_published_sheets(
        published, SHEETS, fundings=FUNDINGS, feedback=FEEDBACK, comments=COMMENTS
    )
