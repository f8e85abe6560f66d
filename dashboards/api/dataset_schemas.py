"""Response schemas of the API, generated from the data dictionary of the open datasets.

One source: each field of a row is a field of :data:`dashboards.downloads.DATASETS`, with
its French description and unit, so the OpenAPI description, the download files and the
data dictionary of the Téléchargements page cannot disagree. The schemas only document
(the views write their answers with :func:`dashboards.api.responses.collection_response`);
the contract test validates every answer against them.
"""

from __future__ import annotations

from collections.abc import Mapping

import marshmallow as ma
from marshmallow import fields

from dashboards.downloads import DATASETS, Field

#: The marshmallow field of each kind of the data dictionary.
KIND_FIELDS: dict[str, type[fields.Field]] = {
    "entier": fields.Integer,
    "décimal": fields.Float,
    "texte": fields.String,
    "date et heure": fields.DateTime,
}


def described(field: Field) -> str:
    """The French description of a column, with its unit (« Indice global … (0 à 100) »)."""
    return f"{field.description} ({field.unit})" if field.unit else field.description


def schema_field(field: Field) -> fields.Field:
    """The marshmallow field documenting ``field``: its type, its description; required
    (every row holds every column of the dictionary, so a column missing from an answer
    fails the contract test) and nullable (a missing value is ``null``)."""
    return KIND_FIELDS[field.kind](
        required=True, allow_none=True, metadata={"description": described(field)}
    )


def row_schema(
    name: str, dataset: str, extra: Mapping[str, fields.Field] | None = None
) -> type[ma.Schema]:
    """A schema named ``name`` for one row of ``dataset`` (its fields in the dictionary's
    order), with the ``extra`` fields after them."""
    return fields_schema(name, DATASETS[dataset].fields, extra)


def fields_schema(
    name: str, columns: tuple[Field, ...], extra: Mapping[str, fields.Field] | None = None
) -> type[ma.Schema]:
    """A schema named ``name`` with one documented field per column of ``columns`` (columns
    described as the data dictionary describes a dataset's), then the ``extra`` fields."""
    members = {column.name: schema_field(column) for column in columns}
    return ma.Schema.from_dict({**members, **(extra or {})}, name=name)
