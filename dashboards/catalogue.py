"""The open datasets as a DCAT-AP catalogue in JSON-LD (``/donnees/catalogue.jsonld``).

A national open-data portal (data.gouv.fr harvests DCAT) reads from it the observatory's
datasets: title and description in French, keywords, theme, spatial and temporal
coverage, licence, publication dates, and one distribution per file format with its
download address, media type and format; the read API is described as a
``dcat:DataService`` whose endpoint description is the OpenAPI document.

The ``@context`` is written inline: a harvester never has to fetch anything else to read
it. Addresses are absolute, built from the address the catalogue was asked at. Datasets
and their columns come from :mod:`dashboards.downloads`, as for the data package.
"""

from __future__ import annotations

from typing import Any

import flask

from dashboards import data, data_package, downloads
from dashboards.api import API_PREFIX
from dashboards.formatting import iso_utc

CATALOGUE_PATH = "/donnees/catalogue.jsonld"
DOWNLOADS_PAGE = "/telechargements"

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
#: EU vocabularies (publications.europa.eu authority tables) DCAT-AP asks for.
EU = "http://publications.europa.eu/resource/authority"
LANGUAGE = f"{EU}/language/FRA"
SPATIAL = f"{EU}/country/FRA"
#: Data themes: government and public sector; regions and cities.
THEMES = (f"{EU}/data-theme/GOVE", f"{EU}/data-theme/REGI")
FILE_TYPES = {"excel.csv": "CSV", "csv": "CSV", "parquet": "PARQUET", "json": "JSON"}
IANA = "http://www.iana.org/assignments/media-types"


def french(text: str) -> dict[str, str]:
    """A literal in French."""
    return {"@value": text, "@language": "fr"}


def typed(value: str, datatype: str) -> dict[str, str]:
    """A typed literal (``xsd:dateTime``, ``xsd:gYear``)."""
    return {"@value": value, "@type": datatype}


def ref(address: str) -> dict[str, str]:
    """A link to another resource (an IRI)."""
    return {"@id": address}


def dataset_iri(base_url: str, name: str) -> str:
    """The identifier of the dataset ``name`` (an anchor of the catalogue)."""
    return f"{base_url}{CATALOGUE_PATH}#{name}"


def distribution(base_url: str, dataset: downloads.Dataset, suffix: str) -> dict[str, Any]:
    """The file of ``dataset`` holding every millésime, in the format ``suffix``."""
    file_format = downloads.FORMATS[suffix]
    name = downloads.file_name(dataset.name, None, suffix)
    entry: dict[str, Any] = {
        "@id": f"{base_url}{CATALOGUE_PATH}#{name}",
        "@type": "dcat:Distribution",
        "dct:title": french(f"{dataset.title} : {file_format.label}"),
        "dcat:accessURL": ref(f"{base_url}{DOWNLOADS_PAGE}"),
        "dcat:downloadURL": ref(f"{base_url}/donnees/{name}"),
        "dcat:mediaType": ref(f"{IANA}/{file_format.mimetype}"),
        "dct:format": ref(f"{EU}/file-type/{FILE_TYPES[suffix]}"),
        "dct:license": ref(downloads.LICENCE_URL),
    }
    if suffix == data_package.CSV_FORMAT:
        entry["dct:conformsTo"] = ref(f"{base_url}{data_package.DATA_PACKAGE_PATH}")
    return entry


def dataset_entry(
    base_url: str,
    dataset: downloads.Dataset,
    millesimes: list[int],
    published_at: str | None,
) -> dict[str, Any]:
    """A ``dcat:Dataset`` and its distributions (one per file format), modified at
    ``published_at``. No ``dct:issued``: the date a dataset was first published is not
    recorded (an edition is the *last* publication of its millésime), and a wrong one
    would mislead harvesters more than none."""
    entry: dict[str, Any] = {
        "@id": dataset_iri(base_url, dataset.name),
        "@type": "dcat:Dataset",
        "dct:identifier": dataset.name,
        "dct:title": french(dataset.title),
        "dct:description": french(dataset.description),
        "dcat:keyword": [french(keyword) for keyword in data_package.KEYWORDS],
        "dcat:theme": [ref(theme) for theme in THEMES],
        "dct:spatial": ref(SPATIAL),
        "dct:language": ref(LANGUAGE),
        "dct:license": ref(downloads.LICENCE_URL),
        "dct:publisher": ref(f"{base_url}/#editeur"),
        "dct:conformsTo": ref(f"{base_url}{data_package.DATA_PACKAGE_PATH}"),
        "dcat:landingPage": ref(f"{base_url}{DOWNLOADS_PAGE}#jeu-{dataset.name}"),
        "dcat:distribution": [
            distribution(base_url, dataset, suffix) for suffix in downloads.FORMATS
        ],
    }
    if dataset.per_millesime:
        # One survey a year: each millésime adds its files.
        entry["dct:accrualPeriodicity"] = ref(f"{EU}/frequency/ANNUAL")
    if dataset.per_millesime and millesimes:
        entry["dct:temporal"] = {
            "@type": "dct:PeriodOfTime",
            "dcat:startDate": typed(str(min(millesimes)), "xsd:gYear"),
            "dcat:endDate": typed(str(max(millesimes)), "xsd:gYear"),
        }
    if published_at:
        entry["dct:modified"] = typed(published_at, "xsd:dateTime")
    return entry


def catalogue(
    base_url: str, millesimes: list[int], publication: dict[str, Any] | None
) -> dict[str, Any]:
    """The DCAT-AP catalogue of the datasets and of the API, with absolute addresses under
    ``base_url`` (scheme and host, no trailing slash)."""
    base_url = base_url.rstrip("/")
    published_at = iso_utc(publication.get("published_at")) if publication else None
    publisher = {
        "@id": f"{base_url}/#editeur",
        "@type": "foaf:Agent",
        "foaf:name": french(data_package.PUBLISHER),
        "foaf:homepage": ref(f"{base_url}/"),
    }
    service = {
        "@id": f"{base_url}{API_PREFIX}/",
        "@type": "dcat:DataService",
        "dct:title": french("API de lecture de l'observatoire"),
        "dct:description": french(
            "API HTTP en lecture seule : territoires, millésimes, méthodologies, indices, "
            "scores par axe, réponses, réalisations exemplaires et éditions passées, en JSON "
            "ou en CSV."
        ),
        "dcat:endpointURL": ref(f"{base_url}{API_PREFIX}"),
        "dcat:endpointDescription": ref(f"{base_url}{API_PREFIX}/openapi.json"),
        "dcat:landingPage": ref(f"{base_url}/api"),
        "dct:license": ref(downloads.LICENCE_URL),
        "dct:publisher": ref(publisher["@id"]),
        "dcat:servesDataset": [ref(dataset_iri(base_url, name)) for name in downloads.DATASETS],
    }
    document: dict[str, Any] = {
        "@context": CONTEXT,
        "@id": f"{base_url}{CATALOGUE_PATH}",
        "@type": "dcat:Catalog",
        "dct:title": french(data_package.TITLE),
        "dct:description": french(data_package.DESCRIPTION),
        "dct:publisher": publisher,
        "foaf:homepage": ref(f"{base_url}/"),
        "dct:language": ref(LANGUAGE),
        "dct:license": ref(downloads.LICENCE_URL),
        "dct:spatial": ref(SPATIAL),
        "dcat:dataset": [
            dataset_entry(base_url, dataset, millesimes, published_at)
            for dataset in downloads.DATASETS.values()
        ],
        "dcat:service": [service],
    }
    if published_at:
        document["dct:modified"] = typed(published_at, "xsd:dateTime")
    return document


def current_catalogue(base_url: str) -> dict[str, Any]:
    """The catalogue of the current publication (raises
    :class:`dashboards.data.PublicationError` when nothing can be read)."""
    return catalogue(base_url, data.millesimes(), data.publication())


def catalogue_response() -> flask.Response:
    """``/donnees/catalogue.jsonld``: the catalogue, addresses under the request's host."""
    return data_package.metadata_response(
        lambda: current_catalogue(flask.request.host_url),
        "application/ld+json",
        "catalogue",
        on_editions=True,
    )
