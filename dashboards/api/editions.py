"""``/editions``: each millésime's figures as they were published.

The edition of a millésime is the copy of the last publication in which it was the most
recent millésime scored (:func:`domain.publication.archive_editions`, kept by the pipeline
beside the published copy): a correction published later changes the current figures
(``/indices``, ``/axes``), never the edition's. ``/editions/{millesime}/indices`` and
``/axes`` answer with the rows, fields and parameters of ``/indices`` and ``/axes`` (minus
``millesime``, which the path names), read from the edition's file; their ``publication``
member, ETag and ``Last-Modified`` are the edition's, stable whatever is published after it,
and an ``edition`` member names the millésime, the version and the methodology version.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import marshmallow as ma
import pandas as pd

from dashboards import data
from dashboards.api import API_PREFIX, readers
from dashboards.api.parameters import Blueprint, QueryArgs
from dashboards.api.responses import (
    EditionSchema,
    collection_schema,
    iso_utc,
    not_found,
    object_response,
    object_schema,
)
from dashboards.api.scores import (
    SORT_EXAMPLES,
    SORTABLE,
    AxisRow,
    IndexRow,
    IndicesArgs,
    axis_field,
    kind_field,
    region_field,
    scored_rows,
    territory_field,
)
from dashboards.api.views import collection_view, object_view, page_response, path_parameter
from dashboards.data.connection import cached, is_na
from dashboards.downloads import DATASETS

#: Address of the list of editions.
EDITIONS_PATH = f"{API_PREFIX}/editions"

blueprint = Blueprint(
    "Éditions",
    __name__,
    url_prefix=API_PREFIX,
    description="Éditions archivées : les chiffres de chaque millésime tels qu'ils ont été "
    "publiés dans la dernière publication où il était le millésime le plus récent, avec sa "
    "version et la version de la méthodologie qui le note.",
)


class ArchivedEditionSchema(EditionSchema):
    """An archived edition of a millésime: the ``edition`` member of its answers, and the
    addresses of its figures."""

    indices = ma.fields.String(
        required=True, metadata={"description": "Adresse de ses indices tels que publiés alors"}
    )
    axes = ma.fields.String(
        required=True,
        metadata={"description": "Adresse de ses scores par axe tels que publiés alors"},
    )


class EditionScoreFilters(QueryArgs):
    """Filters of an edition's scores: those of ``/indices`` and ``/axes`` but
    ``millesime``, which the path names."""

    territoire = territory_field()
    categorie = kind_field()
    region = region_field()


class EditionIndicesArgs(EditionScoreFilters):
    """Filters of ``/editions/{millesime}/indices``."""

    # /indices' own filter (a copy, as marshmallow copies the fields of each schema).
    niveau = copy.deepcopy(IndicesArgs._declared_fields["niveau"])


class EditionAxesArgs(EditionScoreFilters):
    """Filters of ``/editions/{millesime}/axes``."""

    axe = axis_field()


EditionsPage = collection_schema(ArchivedEditionSchema)
EditionAnswer = object_schema(ArchivedEditionSchema, edition=True)
EditionIndicesPage = collection_schema(IndexRow, edition=True)
EditionAxesPage = collection_schema(AxisRow, edition=True)

#: The ``{millesime}`` of an edition's address, documented.
MILLESIME_PARAMETER = path_parameter(
    "millesime",
    "Millésime (année d'enquête) dont l'édition est archivée (liste : /api/v1/editions).",
    2025,
)

#: Fields of an edition's ``edition`` member.
EDITION_FIELDS = tuple(EditionSchema().fields)


def edition_row(info: dict[str, Any]) -> dict[str, Any]:
    """An edition as the API lists it (:class:`ArchivedEditionSchema`), from
    :func:`dashboards.data.edition_publication` or a row of :func:`dashboards.data.editions`."""
    millesime = int(info["millesime"])
    return {
        "millesime": millesime,
        "version": str(info["version"]),
        "publiee_le": iso_utc(info["publiee_le"]),
        "version_methodologie": None
        if is_na(info["version_methodologie"])
        else str(info["version_methodologie"]),
        "indices": f"{EDITIONS_PATH}/{millesime}/indices",
        "axes": f"{EDITIONS_PATH}/{millesime}/axes",
    }


def no_edition(millesime: int) -> Exception:
    """The French 404 of a millésime without an archived edition."""
    return not_found(
        f"Aucune édition archivée pour le millésime « {millesime} » : la liste des éditions "
        f"est donnée par {EDITIONS_PATH}."
    )


def archived(millesime: int) -> tuple[Path, dict[str, Any]]:
    """The file of ``millesime``'s edition and the edition as the API lists it; 404
    without one."""
    source = data.edition_source(millesime)
    info = None if source is None else data.edition_publication(millesime)
    if source is None or info is None:
        raise no_edition(millesime)
    return source, edition_row(info)


def edition_member(row: dict[str, Any]) -> dict[str, Any]:
    """The ``edition`` member of an answer read from an edition (:func:`edition_row`)."""
    return {key: row[key] for key in EDITION_FIELDS}


def edition_rows(
    name: str, millesime: int, source: Path, arguments: dict[str, Any]
) -> pd.DataFrame:
    """The rows of the dataset ``name`` (``indices`` or ``axes``) of ``millesime`` in its
    edition ``source``, selected by the filters of ``/indices`` and ``/axes``
    (:func:`~.scores.scored_rows`), each value checked against the edition itself."""

    def read() -> pd.DataFrame:
        return cached(
            "api:edition_rows",
            [name, millesime],
            lambda: _dataset_rows(name, millesime, source),
            lock_group="api",
            source=source,
        )

    return scored_rows(name, arguments, source=source, read=read)


def _dataset_rows(name: str, millesime: int, source: Path) -> pd.DataFrame:
    """The rows of the download file of ``name`` for ``millesime``, read from the edition
    ``source`` and typed as ``/indices`` and ``/axes`` type theirs."""
    dataset = DATASETS[name]
    read = data.export_indices if name == "indices" else data.export_axes
    return readers.typed(read(millesime, source=source)[[f.name for f in dataset.fields]], dataset)


def _page(frame: pd.DataFrame, name: str, arguments: dict[str, Any], edition: dict[str, Any]):
    return page_response(
        frame, arguments, name=f"edition-{edition['millesime']}-{name}", edition=edition
    )


@collection_view(
    blueprint,
    "/editions",
    arguments=QueryArgs,
    schema=EditionsPage,
    description="Une ligne par millésime ayant une édition archivée",
    sortable=list(ArchivedEditionSchema().fields),
    sort_example="-millesime",
    on_editions=True,
)
def editions(**arguments: Any):
    """Éditions archivées

    Les millésimes dont une édition est archivée, avec la version et la date de la
    publication gardée, la version de la méthodologie qui note le millésime et l'adresse de
    ses chiffres tels que publiés alors. L'édition d'un millésime est la dernière publication
    où il était le millésime le plus récent.
    """
    frame = pd.DataFrame(
        [edition_row(row) for row in data.editions().to_dict("records")],
        columns=list(ArchivedEditionSchema().fields),
    )
    return page_response(frame, arguments, name="editions")


@object_view(
    blueprint,
    "/editions/<int:millesime>",
    arguments=QueryArgs,
    schema=EditionAnswer,
    description="L'édition archivée du millésime",
    parameters=[MILLESIME_PARAMETER],
    edition="millesime",
)
def edition(millesime: int, **_arguments: Any):
    """Une édition archivée

    Version et date de la publication gardée pour ce millésime, version de la méthodologie
    qui le note, adresses de ses indices et de ses scores par axe tels que publiés alors.
    """
    _, row = archived(millesime)
    return object_response(row, name=f"edition-{millesime}", edition=edition_member(row))


@collection_view(
    blueprint,
    "/editions/<int:millesime>/indices",
    arguments=EditionIndicesArgs,
    schema=EditionIndicesPage,
    description="Une page du fichier indices du millésime, tel que publié dans son édition",
    sortable=SORTABLE["indices"],
    sort_example=SORT_EXAMPLES["indices"],
    parameters=[MILLESIME_PARAMETER],
    edition="millesime",
)
def edition_indices(millesime: int, **arguments: Any):
    """Indices d'une édition archivée

    Les lignes de /indices pour ce millésime (indice global, niveau, rang et intervalle de
    rang, couverture, scores des dix axes), telles que publiées dans son édition : une
    correction publiée depuis ne les change pas. Mêmes paramètres que /indices, sans
    millesime.
    """
    source, row = archived(millesime)
    frame = edition_rows("indices", millesime, source, arguments)
    return _page(frame, "indices", arguments, edition_member(row))


@collection_view(
    blueprint,
    "/editions/<int:millesime>/axes",
    arguments=EditionAxesArgs,
    schema=EditionAxesPage,
    description="Une page du fichier axes du millésime, tel que publié dans son édition",
    sortable=SORTABLE["axes"],
    sort_example=SORT_EXAMPLES["axes"],
    parameters=[MILLESIME_PARAMETER],
    edition="millesime",
)
def edition_axes(millesime: int, **arguments: Any):
    """Scores par axe d'une édition archivée

    Les lignes de /axes pour ce millésime (score de chaque axe, médiane de la catégorie,
    écart, lecture), telles que publiées dans son édition. Mêmes paramètres que /axes, sans
    millesime.
    """
    source, row = archived(millesime)
    frame = edition_rows("axes", millesime, source, arguments)
    return _page(frame, "axes", arguments, edition_member(row))
