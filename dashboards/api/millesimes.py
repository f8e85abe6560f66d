"""``/millesimes``: one row per millésime of the publication, with the methodology version
that scores it and how many territories and files it counts."""

from __future__ import annotations

from typing import Any

from dashboards import data
from dashboards.api import API_PREFIX
from dashboards.api.dataset_schemas import fields_schema
from dashboards.api.parameters import Blueprint, QueryArgs
from dashboards.api.responses import collection_schema
from dashboards.api.views import collection_view, page_response
from dashboards.downloads import MILLESIME, Field

blueprint = Blueprint(
    "Millésimes",
    __name__,
    url_prefix=API_PREFIX,
    description="Millésimes (années d'enquête) publiés : version de la méthodologie qui les "
    "note, territoires notés, fichiers reçus, acceptés et rejetés.",
)

#: Columns of a row of ``/millesimes``, described as the data dictionary describes a dataset.
MILLESIME_FIELDS: tuple[Field, ...] = (
    MILLESIME,
    Field(
        "version_methodologie",
        "texte",
        "Version de la méthodologie (questionnaire) qui note le millésime "
        "(détail : /api/v1/methodologies/{version})",
    ),
    Field("territoires", "entier", "Territoires ayant une ligne de scores"),
    Field("territoires_notes", "entier", "Territoires dotés d'un indice global"),
    Field(
        "indice_median", "décimal", "Médiane de l'indice global des territoires notés", "0 à 100"
    ),
    Field("fichiers_recus", "entier", "Fichiers de réponses reçus pour ce millésime"),
    Field(
        "fichiers_acceptes",
        "entier",
        "Fichiers acceptés, dont les réponses sont publiées (hors versions remplacées)",
    ),
    Field("fichiers_rejetes", "entier", "Fichiers rejetés à la validation"),
)

MillesimeRow = fields_schema("Millesime", MILLESIME_FIELDS)
MillesimesPage = collection_schema(MillesimeRow)


@collection_view(
    blueprint,
    "/millesimes",
    arguments=QueryArgs,
    schema=MillesimesPage,
    description="Les millésimes publiés, le plus ancien d'abord",
    sortable=[field.name for field in MILLESIME_FIELDS],
    sort_example="-millesime",
)
def millesimes(**arguments: Any):
    """Millésimes publiés

    Chaque millésime publié, le plus ancien d'abord : version de la méthodologie qui le
    note, nombre de territoires notés, médiane de l'indice global et fichiers reçus.
    """
    frame = data.millesime_summaries()[[field.name for field in MILLESIME_FIELDS]]
    return page_response(frame, arguments, name="millesimes")
