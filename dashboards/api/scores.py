"""``/indices`` and ``/axes``: the scores as the download files hold them, filtered and paged.

Each row of ``/indices`` is a row of ``indices-<millésime>.csv`` (global index, maturity
level, rank among the territories of the same kind with its rank interval ``rang_p05`` …
``rang_p95``, coverage, the ten axis scores); each row of ``/axes`` is a row of
``axes-<millésime>.csv`` (score of one axis beside the median of the territory's kind).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from marshmallow import fields

from dashboards import data
from dashboards.api import API_PREFIX, readers
from dashboards.api.dataset_schemas import row_schema
from dashboards.api.filters import (
    keep_in_regions,
    keep_values,
    require_accepted,
    require_territories,
)
from dashboards.api.parameters import (
    Blueprint,
    CommaList,
    FormatArgs,
    PagingArgs,
    QueryArgs,
    SortArgs,
)
from dashboards.api.responses import (
    COLLECTION_HEADERS,
    collection_response,
    collection_schema,
    conditional,
)
from dashboards.downloads import DATASETS

blueprint = Blueprint(
    "Scores",
    __name__,
    url_prefix=API_PREFIX,
    description="Indices globaux de maturité numérique (niveau, rang et intervalle de rang, "
    "couverture) et scores par axe, par territoire et millésime : les lignes des fichiers "
    "indices-<millésime> et axes-<millésime> de la page Téléchargements.",
)


def millesime_field() -> fields.Field:
    """The ``millesime`` filter: published millésimes, comma-separated."""
    return CommaList(
        fields.Integer(),
        metadata={
            "description": "Millésimes (années d'enquête) séparés par des virgules; "
            "tous les millésimes publiés si absent (liste : /api/v1/millesimes).",
            "example": [2025],
        },
    )


def territory_field() -> fields.Field:
    """The ``territoire`` filter: territory codes, comma-separated."""
    return CommaList(
        fields.String(),
        metadata={
            "description": "Codes de territoires séparés par des virgules (liste : "
            "/api/v1/territoires).",
            "example": ["DEP-13", "DEP-69"],
        },
    )


def kind_field() -> fields.Field:
    """The ``categorie`` filter: kinds of territory, comma-separated."""
    return CommaList(
        fields.String(),
        metadata={
            "description": "Catégories de territoires séparées par des virgules : REG, DEP, "
            "ME, CU, CA, CC ou COM.",
            "example": ["ME", "CA"],
        },
    )


def region_field() -> fields.Field:
    """The ``region`` filter: codes of régions, comma-separated."""
    return CommaList(
        fields.String(),
        metadata={
            "description": "Codes de régions séparés par des virgules : les territoires de "
            "ces régions, régions comprises.",
            "example": ["REG-93"],
        },
    )


def axis_field(description: str = "Codes d'axes séparés par des virgules") -> fields.Field:
    """The ``axe`` filter: axis codes, comma-separated."""
    return CommaList(
        fields.String(),
        metadata={
            "description": f"{description} : LAB, EADM, SERV, DATA, INFRA, SMART, INCL, "
            "ENTR, FILI ou GOUV.",
            "example": ["DATA", "GOUV"],
        },
    )


class ScoreFilters(QueryArgs):
    """Filters shared by ``/indices`` and ``/axes``."""

    millesime = millesime_field()
    territoire = territory_field()
    categorie = kind_field()
    region = region_field()


class IndicesArgs(ScoreFilters, PagingArgs, SortArgs, FormatArgs):
    """Parameters of ``/indices``."""

    niveau = CommaList(
        fields.Integer(),
        metadata={
            "description": "Niveaux de maturité (1 Découverte … 5 Exemplaire) séparés par des "
            "virgules.",
            "example": [4, 5],
        },
    )


class AxesArgs(ScoreFilters, PagingArgs, SortArgs, FormatArgs):
    """Parameters of ``/axes``."""

    axe = axis_field()


IndexRow = row_schema("Indice", "indices")
AxisRow = row_schema("ScoreAxe", "axes")
IndicesPage = collection_schema(IndexRow)
AxesPage = collection_schema(AxisRow)


def scored_rows(name: str, arguments: dict[str, Any]) -> pd.DataFrame:
    """The rows of the dataset ``name`` the shared filters select (each value checked)."""
    millesimes = arguments.get("millesime")
    readers.check_millesimes(millesimes)
    require_territories(
        arguments.get("territoire"), readers.territory_codes(), parameter="territoire"
    )
    readers.check_kinds(arguments.get("categorie"))
    readers.check_regions(arguments.get("region"))
    frame = readers.dataset_rows(name, millesimes)
    frame = keep_values(frame, "code_territoire", arguments.get("territoire"))
    frame = keep_values(frame, "categorie", arguments.get("categorie"))
    return keep_in_regions(frame, arguments.get("region"), readers.region_of())


def _page(frame: pd.DataFrame, name: str, arguments: dict[str, Any]):
    return collection_response(
        frame,
        name=name,
        page=arguments["page"],
        per_page=arguments["par_page"],
        sort=arguments.get("tri"),
        sortable=[field.name for field in DATASETS[name].fields],
    )


@blueprint.route("/indices")
@blueprint.arguments(IndicesArgs, location="query", as_kwargs=True)
@blueprint.response(
    200,
    IndicesPage,
    headers=COLLECTION_HEADERS,
    description="Une page du fichier indices : une ligne par territoire et millésime",
)
@blueprint.alt_response(400, response="BAD_REQUEST")
@conditional
def indices(**arguments: Any):
    """Indices globaux par territoire et millésime

    Indice global de maturité numérique (0 à 100), niveau de maturité, rang parmi les
    territoires de la même catégorie avec son intervalle d'incertitude (rang_p05 …
    rang_p95), couverture et scores des dix axes : les lignes du fichier indices.
    """
    levels = arguments.get("niveau")
    require_accepted(
        levels,
        [int(level) for level in data.maturity_levels()["level"]],
        parameter="niveau",
        unknown=("niveau inconnu", "niveaux inconnus"),
    )
    frame = keep_values(scored_rows("indices", arguments), "niveau", levels)
    return _page(frame, "indices", arguments)


@blueprint.route("/axes")
@blueprint.arguments(AxesArgs, location="query", as_kwargs=True)
@blueprint.response(
    200,
    AxesPage,
    headers=COLLECTION_HEADERS,
    description="Une page du fichier axes : une ligne par territoire, millésime et axe",
)
@blueprint.alt_response(400, response="BAD_REQUEST")
@conditional
def axes(**arguments: Any):
    """Scores par axe

    Score de chaque axe de maturité par territoire et millésime, médiane des territoires de
    la même catégorie, écart à cette médiane et lecture (force, faiblesse) : les lignes du
    fichier axes.
    """
    readers.check_axes(arguments.get("axe"))
    frame = keep_values(scored_rows("axes", arguments), "code_axe", arguments.get("axe"))
    return _page(frame, "axes", arguments)
