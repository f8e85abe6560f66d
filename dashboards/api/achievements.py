"""``/realisations``: the réalisations exemplaires published after review.

Each row is a row of the ``realisations`` open dataset (``realisations-tous.csv``); the
search ``q`` is the Réalisations page's (every word, accents and case aside, in the title,
the texts, the partners, the fundings and the author's name). One sheet adds its fundings,
funder by funder.
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields

from dashboards.api import API_PREFIX, readers
from dashboards.api.dataset_schemas import row_schema
from dashboards.api.filters import keep_listed, keep_values
from dashboards.api.parameters import Blueprint, QueryArgs
from dashboards.api.responses import (
    collection_schema,
    not_found,
    object_response,
    object_schema,
    records,
)
from dashboards.api.scores import axis_field, kind_field, territory_field
from dashboards.api.views import collection_view, object_view, page_response, path_parameter
from dashboards.data.achievements import AchievementQuery, achievement_fundings, search_achievements
from dashboards.downloads import DATASETS

blueprint = Blueprint(
    "Réalisations",
    __name__,
    url_prefix=API_PREFIX,
    description="Réalisations exemplaires publiées après relecture : ce qu'un territoire a "
    "réalisé, avec qui, pour quel coût et ce qu'il faut pour l'adapter ailleurs — les lignes "
    "du fichier realisations.",
)


class AchievementsArgs(QueryArgs):
    """Filters of ``/realisations``."""

    territoire = territory_field()
    categorie = kind_field()
    axe = axis_field("Axes servis par la fiche (l'un au moins), codes séparés par des virgules")
    q = fields.String(
        metadata={
            "description": "Mots cherchés (tous) dans le titre, les textes, les partenaires, "
            "les financeurs et le nom du territoire, sans tenir compte des accents ni des "
            "majuscules.",
            "example": "tiers-lieu",
        }
    )


class FinanceurSchema(Schema):
    """One funder of a sheet."""

    financeur = fields.String(metadata={"description": "Financeur"})
    part_pourcent = fields.Float(allow_none=True, metadata={"description": "Part du budget (%)"})
    montant_euros = fields.Float(allow_none=True, metadata={"description": "Montant (euros)"})


AchievementRow = row_schema("Realisation", "realisations")
AchievementSheet = row_schema(
    "FicheRealisation",
    "realisations",
    {
        "financeurs": fields.List(
            fields.Nested(FinanceurSchema),
            metadata={"description": "Financeurs de la réalisation, la plus grande part d'abord"},
        )
    },
)
AchievementsPage = collection_schema(AchievementRow)
SheetAnswer = object_schema(AchievementSheet)

#: The ``{territoire}`` and ``{identifiant}`` of a sheet's address, documented.
SHEET_PARAMETERS = [
    path_parameter("territoire", "Code du territoire auteur de la fiche.", "DEP-69"),
    path_parameter(
        "identifiant",
        "Identifiant de la fiche propre au territoire (liste : /api/v1/realisations).",
        "fonds-experimentation",
    ),
]


@collection_view(
    blueprint,
    "/realisations",
    arguments=AchievementsArgs,
    schema=AchievementsPage,
    description="Une page du fichier realisations : une ligne par fiche publiée",
    sortable=[field.name for field in DATASETS["realisations"].fields],
    sort_example="-date_debut,titre",
)
def achievements(**arguments: Any):
    """Réalisations exemplaires

    Les fiches publiées après relecture, par territoire, catégorie, axe servi ou mots
    cherchés.
    """
    readers.check_territories(arguments.get("territoire"))
    readers.check_kinds(arguments.get("categorie"))
    readers.check_axes(arguments.get("axe"))
    frame = readers.dataset_rows("realisations")
    frame = keep_values(frame, "code_territoire", arguments.get("territoire"))
    frame = keep_values(frame, "categorie", arguments.get("categorie"))
    frame = keep_listed(frame, "axes", arguments.get("axe"))
    if (arguments.get("q") or "").strip():
        # Uncached: one shared-cache entry per distinct text would let outside clients
        # flood the cache the dashboard's expensive entries share.
        found = search_achievements(AchievementQuery(text=arguments["q"]), cache=False)
        frame = keep_values(frame, "code_realisation", list(found["achievement_id"]) or [None])
    return page_response(frame, arguments, name="realisations")


@object_view(
    blueprint,
    "/realisations/<string:territoire>/<string:identifiant>",
    arguments=QueryArgs,
    schema=SheetAnswer,
    description="La fiche et ses financeurs",
    parameters=SHEET_PARAMETERS,
)
def sheet(territoire: str, identifiant: str, **arguments: Any):
    """Une réalisation exemplaire

    La fiche {identifiant} du territoire {territoire}, avec ses financeurs.
    """
    del arguments
    code = f"{territoire}/{identifiant}"
    frame = readers.dataset_rows("realisations")
    rows = frame[frame["code_realisation"] == code]
    if rows.empty:
        raise not_found(
            f"Réalisation inconnue : « {code} ». Les fiches publiées sont listées par "
            "/api/v1/realisations (champ code_realisation)."
        )
    fundings = achievement_fundings(code).rename(
        columns={
            "funder": "financeur",
            "share_percent": "part_pourcent",
            "amount_euros": "montant_euros",
        }
    )
    return object_response(
        {**records(rows)[0], "financeurs": records(fundings)}, name="realisation"
    )
