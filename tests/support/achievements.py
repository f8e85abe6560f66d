"""Published réalisations written straight into a copy of a published file, for the tests of
the pages that read them: known rows whatever the demo holds (the tables of the contract
are created when the copy has none)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

#: The published tables of the group ``achievements`` that the pages read, as created by the
#: pipeline (columns and types of its contract).
TABLES = {
    "achievements": """
        achievement_id VARCHAR, territory VARCHAR, identifier VARCHAR, title VARCHAR,
        axes VARCHAR, questions VARCHAR, context VARCHAR, description VARCHAR,
        partners_public VARCHAR, partners_academic VARCHAR, partners_private VARCHAR,
        partners_associative VARCHAR, budget_euros DOUBLE, funding VARCHAR,
        start_date VARCHAR, end_date VARCHAR, year BIGINT, results VARCHAR, lessons VARCHAR,
        transferability VARCHAR, target_kinds VARCHAR, adaptation_cost_euros DOUBLE,
        links VARCHAR, contact_role VARCHAR, licence VARCHAR, version BIGINT,
        submitted_at TIMESTAMP, published_at TIMESTAMP, supports BIGINT, adaptations BIGINT,
        comments BIGINT""",
    "achievement_axes": "achievement_id VARCHAR, axis VARCHAR",
    "achievement_recommendations": """
        millesime BIGINT, territory VARCHAR, axis VARCHAR, rank BIGINT,
        achievement_id VARCHAR, author VARCHAR, author_score DOUBLE, author_progress DOUBLE,
        same_kind BOOLEAN, similar_population BOOLEAN, same_region BOOLEAN""",
}


def sheet(territory: str, identifier: str, title: str, axes: Iterable[str], **fields: Any):
    """A row of ``achievements`` with plausible defaults (French text, accents, line breaks)."""
    axes = list(axes)
    row: dict[str, Any] = {
        "achievement_id": f"{territory}/{identifier}",
        "territory": territory,
        "identifier": identifier,
        "title": title,
        "axes": "|".join(axes),
        "questions": "",
        "context": "Un territoire où l'accès aux démarches en ligne était inégal.",
        "description": "Ouverture d'un lieu d'accompagnement.\nPermanences hebdomadaires.",
        "partners_public": "Département ; CAF",
        "partners_academic": "",
        "partners_private": "",
        "partners_associative": "Association d'éducation populaire",
        "budget_euros": 120000.0,
        "funding": "Région : 40 % ; FEDER : 30 % ; Ville : 30 %",
        "start_date": "2024-03",
        "end_date": "2025-06",
        "year": 2025,
        "results": "1 200 personnes accompagnées la première année.",
        "lessons": "Prévoir des créneaux le samedi.",
        "transferability": "Adaptable à toute intercommunalité disposant d'un local.",
        "target_kinds": "CA|CC",
        "adaptation_cost_euros": 40000.0,
        "links": "https://www.data.gouv.fr/",
        "contact_role": "Direction du numérique",
        "licence": "Licence Ouverte 2.0",
        "version": 1,
        "submitted_at": datetime(2026, 1, 5, 9, 30),
        "published_at": datetime(2026, 1, 12, 14, 0),
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
) -> None:
    """Add published ``sheets`` (rows of ``achievements``, see :func:`sheet`) and their axes,
    and ``recommendations`` (rows of ``achievement_recommendations``) to ``database``; the
    recommendations given replace those of their readers (territory and millésime)."""
    frames = {
        "achievements": pd.DataFrame(list(sheets)),
        "achievement_recommendations": pd.DataFrame(list(recommendations)),
    }
    frames["achievement_axes"] = pd.DataFrame(
        [
            {"achievement_id": row["achievement_id"], "axis": axis}
            for row in frames["achievements"].to_dict("records")
            for axis in str(row["axes"]).split("|")
        ]
    )
    with duckdb.connect(str(database)) as connection:
        for table, columns in TABLES.items():
            connection.execute(f"create table if not exists {table} ({columns})")
            if table == "achievement_recommendations" and not frames[table].empty:
                readers = frames[table][["millesime", "territory"]].drop_duplicates()
                connection.register("readers", readers)
                connection.execute(
                    f"delete from {table} where (millesime, territory) in "
                    "(select (millesime, territory) from readers)"
                )
                connection.unregister("readers")
            frame = frames[table]
            if not frame.empty:
                connection.register("incoming", frame)
                connection.execute(f"insert into {table} by name select * from incoming")
                connection.unregister("incoming")
