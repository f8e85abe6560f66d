"""``/indices`` and ``/axes``: the scores as the download files hold them, filtered and paged.

Each row of ``/indices`` is a row of ``indices-<millésime>.csv`` (global index, maturity
level, rank among the territories of the same kind with its rank interval ``rang_p05`` …
``rang_p95``, coverage, the ten axis scores); each row of ``/axes`` is a row of
``axes-<millésime>.csv`` (score of one axis beside the median of the territory's kind).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
from marshmallow import fields

from dashboards import data
from dashboards.api import API_PREFIX, readers
from dashboards.api.dataset_schemas import row_schema
from dashboards.api.filters import (
    AXIS,
    LEVEL,
    REGION,
    TERRITORY,
    keep_in_regions,
    keep_values,
    require_accepted,
)
from dashboards.api.parameters import Blueprint, CommaList, QueryArgs
from dashboards.api.responses import collection_schema
from dashboards.api.views import collection_view, page_response
from dashboards.downloads import DATASETS

blueprint = Blueprint(
    "Scores",
    __name__,
    url_prefix=API_PREFIX,
    description="Indices globaux de maturité numérique (niveau, rang et intervalle de rang, "
    "couverture) et scores par axe, par territoire et millésime : les lignes des fichiers "
    "indices-<millésime> et axes-<millésime> de la page Téléchargements.",
)


def list_filter(inner: fields.Field, description: str, example: list[Any]) -> fields.Field:
    """A filter of comma-separated values (:class:`~.parameters.CommaList`), documented."""
    return CommaList(inner, metadata={"description": description, "example": example})


def millesime_field() -> fields.Field:
    """The ``millesime`` filter: published millésimes, comma-separated."""
    return list_filter(
        fields.Integer(),
        "Millésimes (années d'enquête) séparés par des virgules; tous les millésimes publiés "
        "si absent (liste : /api/v1/millesimes).",
        [2025],
    )


def territory_field() -> fields.Field:
    """The ``territoire`` filter: territory codes, comma-separated."""
    return list_filter(
        fields.String(),
        "Codes de territoires séparés par des virgules (liste : /api/v1/territoires).",
        ["DEP-13", "DEP-69"],
    )


def kind_field() -> fields.Field:
    """The ``categorie`` filter: kinds of territory, comma-separated."""
    return list_filter(
        fields.String(),
        "Catégories de territoires séparées par des virgules : REG, DEP, ME, CU, CA, CC ou COM.",
        ["ME", "CA"],
    )


def region_field() -> fields.Field:
    """The ``region`` filter: codes of régions, comma-separated."""
    return list_filter(
        fields.String(),
        "Codes de régions séparés par des virgules : les territoires de ces régions, "
        "régions comprises.",
        ["REG-93"],
    )


def axis_field(description: str = "Codes d'axes séparés par des virgules") -> fields.Field:
    """The ``axe`` filter: axis codes, comma-separated."""
    return list_filter(
        fields.String(),
        f"{description} : LAB, EADM, SERV, DATA, INFRA, SMART, INCL, ENTR, FILI ou GOUV.",
        ["DATA", "GOUV"],
    )


class ScoreFilters(QueryArgs):
    """Filters shared by ``/indices`` and ``/axes``."""

    millesime = millesime_field()
    territoire = territory_field()
    categorie = kind_field()
    region = region_field()


class IndicesArgs(ScoreFilters):
    """Filters of ``/indices``."""

    niveau = list_filter(
        fields.Integer(),
        "Niveaux de maturité (1 Découverte … 5 Exemplaire) séparés par des virgules.",
        [4, 5],
    )


class AxesArgs(ScoreFilters):
    """Filters of ``/axes``."""

    axe = axis_field()


IndexRow = row_schema("Indice", "indices")
AxisRow = row_schema("ScoreAxe", "axes")
IndicesPage = collection_schema(IndexRow)
AxesPage = collection_schema(AxisRow)


#: The filter of each dataset of its own: its parameter, its column, its wording.
OWN_FILTERS = {"indices": ("niveau", "niveau", LEVEL), "axes": ("axe", "code_axe", AXIS)}


def own_values(name: str, source: Path | None) -> list[Any]:
    """The values the own filter of dataset ``name`` accepts in the publication ``source``:
    the maturity levels for ``indices``, the axes' codes for ``axes``."""
    if name == "indices":
        return [int(level) for level in data.maturity_levels(source)["level"]]
    return list(data.axes(source)["code"])


def scored_rows(
    name: str,
    arguments: dict[str, Any],
    *,
    source: Path | None = None,
    read: Callable[[], pd.DataFrame] | None = None,
) -> pd.DataFrame:
    """The rows of the dataset ``name`` (``indices`` or ``axes``) its filters select:
    ``millesime`` (the current publication only), ``territoire``, ``categorie``, ``region``,
    then ``niveau`` or ``axe``. Each value is checked against the publication ``source``
    (the current one when None; else an archived edition's file, whose rows ``read``
    gives) before any row is read."""
    territories = data.territories(source)
    if source is None:
        readers.check_millesimes(arguments.get("millesime"))
    require_accepted(
        arguments.get("territoire"), territories["code"], parameter="territoire", unknown=TERRITORY
    )
    readers.check_kinds(arguments.get("categorie"))
    regions = sorted(territories.loc[territories["kind"] == "REG", "code"])
    require_accepted(arguments.get("region"), regions, parameter="region", unknown=REGION)
    parameter, column, wording = OWN_FILTERS[name]
    own = arguments.get(parameter)
    require_accepted(own, own_values(name, source), parameter=parameter, unknown=wording)
    frame = readers.dataset_rows(name, arguments.get("millesime")) if read is None else read()
    frame = keep_values(frame, "code_territoire", arguments.get("territoire"))
    frame = keep_values(frame, "categorie", arguments.get("categorie"))
    frame = keep_in_regions(frame, arguments.get("region"), readers.region_of(territories))
    return keep_values(frame, column, own)


#: Fields ``tri`` may sort each dataset's rows by: every column of its download file.
SORTABLE = {name: [field.name for field in DATASETS[name].fields] for name in ("indices", "axes")}
#: The documented ``tri`` of each dataset.
SORT_EXAMPLES = {"indices": "-indice_global,code_territoire", "axes": "code_axe,-score"}


@collection_view(
    blueprint,
    "/indices",
    arguments=IndicesArgs,
    schema=IndicesPage,
    description="Une page du fichier indices : une ligne par territoire et millésime",
    sortable=SORTABLE["indices"],
    sort_example=SORT_EXAMPLES["indices"],
)
def indices(**arguments: Any):
    """Indices globaux par territoire et millésime

    Indice global de maturité numérique (0 à 100), niveau de maturité, rang parmi les
    territoires de la même catégorie avec son intervalle d'incertitude (rang_p05 …
    rang_p95), couverture et scores des dix axes : les lignes du fichier indices.
    """
    return page_response(scored_rows("indices", arguments), arguments, name="indices")


@collection_view(
    blueprint,
    "/axes",
    arguments=AxesArgs,
    schema=AxesPage,
    description="Une page du fichier axes : une ligne par territoire, millésime et axe",
    sortable=SORTABLE["axes"],
    sort_example=SORT_EXAMPLES["axes"],
)
def axes(**arguments: Any):
    """Scores par axe

    Score de chaque axe de maturité par territoire et millésime, médiane des territoires de
    la même catégorie, écart à cette médiane et lecture (force, faiblesse) : les lignes du
    fichier axes.
    """
    return page_response(scored_rows("axes", arguments), arguments, name="axes")
