"""The data package and the DCAT-AP catalogue written from the download definitions (pure
functions; the served files are validated in ``tests/integration/test_data_package.py``)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import rdflib
from frictionless import Package, Schema

from dashboards import catalogue, data_package, downloads

PUBLICATION = {
    "published_at": datetime(2026, 11, 30, 10, 56, 29, 123456),
    "run_id": "r",
    "version": "20261130-105629",
}
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
DCTERMS = rdflib.Namespace("http://purl.org/dc/terms/")


def test_every_kind_of_the_dictionary_has_a_table_schema_type():
    kinds = {field.kind for dataset in downloads.DATASETS.values() for field in dataset.fields}
    assert kinds <= set(data_package.FIELD_TYPES)


@pytest.mark.parametrize("name", list(downloads.DATASETS))
def test_each_table_schema_is_valid_and_its_keys_name_its_columns(name):
    dataset = downloads.DATASETS[name]
    descriptor = data_package.table_schema(dataset)
    report = Schema.validate_descriptor(descriptor)
    assert report.valid, report.flatten(["type", "note"])
    columns = [field.name for field in dataset.fields]
    assert set(dataset.primary_key) <= set(columns) and dataset.primary_key
    for key in dataset.foreign_keys:
        assert set(key.fields) <= set(columns)
        assert set(key.reference) <= {f.name for f in downloads.DATASETS[key.dataset].fields}


def test_the_package_has_one_resource_per_served_csv_and_is_a_valid_descriptor():
    package = data_package.data_package([2024, 2025], PUBLICATION, "http://h/telechargements")
    per_millesime = [d for d in downloads.DATASETS.values() if d.per_millesime]
    whole = [d for d in downloads.DATASETS.values() if not d.per_millesime]
    # Each file twice: the standard CSV and the CSV for spreadsheets.
    assert len(package["resources"]) == 2 * (3 * len(per_millesime) + len(whole))
    assert {r["path"] for r in package["resources"]} >= {
        "indices-2024.csv",
        "indices-2024.excel.csv",
        "indices-tous.csv",
        "territoires-tous.csv",
        "realisations-tous.csv",
    }
    assert "realisations-2024.csv" not in {r["path"] for r in package["resources"]}
    assert package["version"] == "20261130-105629"
    assert package["created"] == "2026-11-30T10:56:29Z"
    report = Package.validate_descriptor(package)
    assert report.valid, report.flatten(["type", "note"])


def test_the_dictionary_states_the_constraints_in_french():
    dictionary = downloads.dictionary_frame(downloads.DATASETS["indices"]).set_index("colonne")
    assert dictionary.loc["indice_global", "contraintes"] == "de 0 à 100"
    assert dictionary.loc["code_territoire", "contraintes"] == "clé primaire ; obligatoire"
    assert dictionary.loc["categorie", "contraintes"].startswith("obligatoire ; valeurs : REG, DEP")


def test_the_catalogue_is_json_ld_with_every_dataset_and_distribution():
    document = catalogue.catalogue("http://example.test:8050/", [2024, 2025], PUBLICATION)
    graph = rdflib.Graph().parse(data=document, format="json-ld")
    datasets = set(graph.subjects(rdflib.RDF.type, DCAT.Dataset))
    assert len(datasets) == len(downloads.DATASETS)
    assert len(set(graph.subjects(rdflib.RDF.type, DCAT.Distribution))) == len(
        downloads.DATASETS
    ) * len(downloads.FORMATS)
    for dataset in datasets:
        assert graph.value(dataset, DCTERMS.license) == rdflib.URIRef(downloads.LICENCE_URL)
    indices = rdflib.URIRef(catalogue.dataset_iri("http://example.test:8050", "indices"))
    temporal = graph.value(indices, DCTERMS.temporal)
    assert [str(graph.value(temporal, DCAT[end])) for end in ("startDate", "endDate")] == [
        "2024",
        "2025",
    ]


def test_a_dataset_is_dated_by_the_last_publication_and_claims_no_first_issue():
    document = catalogue.catalogue("http://example.test:8050", [2024, 2025], PUBLICATION)
    graph = rdflib.Graph().parse(data=document, format="json-ld")
    indices = rdflib.URIRef(catalogue.dataset_iri("http://example.test:8050", "indices"))
    assert graph.value(indices, DCTERMS.modified).toPython() == datetime(
        2026, 11, 30, 10, 56, 29, tzinfo=UTC
    )
    assert graph.value(indices, DCTERMS.issued) is None
