"""``/territoires``: the territories of the publication, their kind, population and parents.

Each row is a row of the ``territoires`` open dataset (the download file
``territoires-tous.csv``); one territory adds its parents (région, département, EPCI) by
code, name and kind.
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields

from dashboards.api import API_PREFIX, readers
from dashboards.api.dataset_schemas import row_schema
from dashboards.api.filters import contains_words, keep_in_regions, keep_values, parents
from dashboards.api.parameters import Blueprint, QueryArgs
from dashboards.api.responses import (
    collection_schema,
    not_found,
    object_response,
    object_schema,
    records,
)
from dashboards.api.scores import kind_field, region_field
from dashboards.api.views import collection_view, object_view, page_response, path_parameter
from dashboards.downloads import DATASETS

blueprint = Blueprint(
    "Territoires",
    __name__,
    url_prefix=API_PREFIX,
    description="Territoires de l'observatoire : code, catégorie, nom, population et "
    "territoires parents (région, département, EPCI) — les lignes du fichier territoires.",
)


class TerritoriesArgs(QueryArgs):
    """Filters of ``/territoires``."""

    categorie = kind_field()
    region = region_field()
    q = fields.String(
        metadata={
            "description": "Mots contenus dans le nom du territoire, sans tenir compte des "
            "accents ni des majuscules.",
            "example": "bouches",
        }
    )


class ParentSchema(Schema):
    """A territory another one belongs to."""

    code_territoire = fields.String(metadata={"description": "Code du territoire parent"})
    nom = fields.String(metadata={"description": "Nom du territoire parent"})
    categorie = fields.String(metadata={"description": "Catégorie du territoire parent"})


TerritoryRow = row_schema("Territoire", "territoires")
TerritoryDetail = row_schema(
    "TerritoireDetail",
    "territoires",
    {
        "parents": fields.List(
            fields.Nested(ParentSchema),
            metadata={
                "description": "Territoires auxquels il appartient, du plus grand au plus petit "
                "(région, département, EPCI), parmi ceux de l'observatoire"
            },
        )
    },
)
TerritoriesPage = collection_schema(TerritoryRow)
TerritoryAnswer = object_schema(TerritoryDetail)


def select_territories(arguments: dict[str, Any]):
    """The rows of the ``territoires`` dataset the filters of ``arguments`` select."""
    readers.check_kinds(arguments.get("categorie"))
    readers.check_regions(arguments.get("region"))
    frame = readers.dataset_rows("territoires")
    frame = keep_values(frame, "categorie", arguments.get("categorie"))
    frame = keep_in_regions(frame, arguments.get("region"), readers.region_of())
    return contains_words(frame, "nom", arguments.get("q"))


@collection_view(
    blueprint,
    "/territoires",
    arguments=TerritoriesArgs,
    schema=TerritoriesPage,
    description="Une page du fichier territoires : une ligne par territoire",
    sortable=[field.name for field in DATASETS["territoires"].fields],
    sort_example="-population,nom",
)
def territories(**arguments: Any):
    """Territoires

    Les territoires de l'observatoire (régions, départements, intercommunalités,
    communes) : code, nom, catégorie, population et codes des territoires parents.
    """
    return page_response(select_territories(arguments), arguments, name="territoires")


#: The ``{code}`` of a territory's address, documented.
CODE_PARAMETER = path_parameter(
    "code",
    "Code du territoire, préfixé par sa catégorie (liste : /api/v1/territoires).",
    "DEP-13",
)


@object_view(
    blueprint,
    "/territoires/<string:code>",
    arguments=QueryArgs,
    schema=TerritoryAnswer,
    description="Le territoire et ses parents",
    parameters=[CODE_PARAMETER],
)
def territory(code: str, **arguments: Any):
    """Un territoire et ses parents

    Le territoire de code {code} (DEP-13, REG-93…) : ses champs du fichier territoires et
    les territoires auxquels il appartient.
    """
    del arguments
    frame = readers.dataset_rows("territoires")
    rows = frame[frame["code_territoire"] == code]
    if rows.empty:
        raise not_found(
            f"Territoire inconnu : « {code} ». Les codes sont ceux de /api/v1/territoires "
            "(par exemple DEP-13 ou REG-93)."
        )
    row = records(rows)[0]
    return object_response({**row, "parents": parents(row, frame)}, name="territoire")
