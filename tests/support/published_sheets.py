"""Known published sheets added to a copy of the published file, for the tests of the
Réalisations pages that need exact contents (a search that finds one sheet, a funding table).

The rows follow the columns of the published tables (issue 13's contract); the tables are
created when the copy has none yet.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb

_TABLES = {
    "achievements": """
        achievement_id VARCHAR, territory VARCHAR, identifier VARCHAR, title VARCHAR,
        axes VARCHAR, questions VARCHAR, context VARCHAR, description VARCHAR,
        partners_public VARCHAR, partners_academic VARCHAR, partners_private VARCHAR,
        partners_associative VARCHAR, budget_euros DOUBLE, funding VARCHAR,
        start_date VARCHAR, end_date VARCHAR, year BIGINT, results VARCHAR, lessons VARCHAR,
        transferability VARCHAR, target_kinds VARCHAR, adaptation_cost_euros DOUBLE,
        links VARCHAR, contact_role VARCHAR, licence VARCHAR, version BIGINT,
        submitted_at TIMESTAMP, published_at TIMESTAMP, supports BIGINT, adaptations BIGINT,
        comments BIGINT
    """,
    "achievement_axes": "achievement_id VARCHAR, axis VARCHAR",
    "achievement_fundings": """
        achievement_id VARCHAR, funder VARCHAR, share_percent DOUBLE, amount_euros DOUBLE
    """,
    "achievement_feedback": """
        achievement_id VARCHAR, territory VARCHAR, kind VARCHAR, recorded_at TIMESTAMP
    """,
    "achievement_comments": """
        comment_id VARCHAR, achievement_id VARCHAR, territory VARCHAR, text VARCHAR,
        recorded_at TIMESTAMP, published_at TIMESTAMP
    """,
}


def _sheet(territory: str, identifier: str, title: str, axes: str, year: int, **fields):
    row = {
        "achievement_id": f"{territory}/{identifier}",
        "territory": territory,
        "identifier": identifier,
        "title": title,
        "axes": axes,
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


#: The sheets added: one with everything filled (DEP-13), two others to filter apart.
SHEETS = [
    _sheet(
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
    _sheet(
        "REG-93",
        "open-data-regional",
        "Plateforme régionale de données ouvertes",
        "DATA",
        2024,
        supports=1,
    ),
    _sheet(
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
    """Add :data:`SHEETS` (and their fundings, feedback, comments) to the published file at
    ``published``, creating the tables it lacks; return the ids of the sheets added."""
    with duckdb.connect(str(published)) as connection:
        for table, columns in _TABLES.items():
            connection.execute(f"create table if not exists {table} ({columns})")
        names = list(SHEETS[0])
        marks = ", ".join("?" for _ in names)
        connection.executemany(
            f"insert into achievements ({', '.join(names)}) values ({marks})",
            [[sheet[name] for name in names] for sheet in SHEETS],
        )
        connection.executemany(
            "insert into achievement_axes (achievement_id, axis) values (?, ?)",
            [
                (sheet["achievement_id"], axis)
                for sheet in SHEETS
                for axis in sheet["axes"].split("|")
            ],
        )
        connection.executemany(
            "insert into achievement_fundings (achievement_id, funder, share_percent, "
            "amount_euros) values (?, ?, ?, ?)",
            FUNDINGS,
        )
        connection.executemany(
            "insert into achievement_feedback (achievement_id, territory, kind, recorded_at) "
            "values (?, ?, ?, ?)",
            FEEDBACK,
        )
        connection.executemany(
            "insert into achievement_comments (comment_id, achievement_id, territory, text, "
            "recorded_at, published_at) values (?, ?, ?, ?, ?, ?)",
            COMMENTS,
        )
    return [sheet["achievement_id"] for sheet in SHEETS]
