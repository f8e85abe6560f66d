"""The data package and the DCAT-AP catalogue as the real server serves them (gunicorn, as
``make run`` starts it), and the files they describe validated by ``frictionless`` (library
and command line) against them."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib
import requests
from frictionless import Package

from dashboards import catalogue, data_package, downloads

PACKAGE_PATH = data_package.DATA_PACKAGE_PATH
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
DCTERMS = rdflib.Namespace("http://purl.org/dc/terms/")


@pytest.fixture(scope="module")
def package_descriptor(api_url) -> dict:
    response = requests.get(api_url + PACKAGE_PATH, timeout=30)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    return response.json()


@pytest.fixture(scope="module")
def downloaded_package(api_url, package_descriptor, tmp_path_factory) -> Path:
    """The descriptor and every file it names, fetched from the server into a folder."""
    folder = tmp_path_factory.mktemp("datapackage")
    (folder / "datapackage.json").write_text(json.dumps(package_descriptor), encoding="utf-8")
    for resource in package_descriptor["resources"]:
        response = requests.get(f"{api_url}/donnees/{resource['path']}", timeout=60)
        assert response.status_code == 200, resource["path"]
        assert response.headers["Content-Type"].startswith(resource["mediatype"])
        (folder / resource["path"]).write_bytes(response.content)
    return folder


def test_the_package_names_every_served_csv_file_and_the_publication(api_url, package_descriptor):
    millesimes = sorted(
        {
            int(resource["name"].rsplit("-", 1)[1])
            for resource in package_descriptor["resources"]
            if resource["name"].rsplit("-", 1)[1].isdigit()
        }
    )
    assert millesimes, "the test publication has scored millésimes"
    expected = [
        downloads.file_name(dataset.name, millesime, file_format)
        for file_format in ("csv", "excel.csv")
        for dataset in downloads.DATASETS.values()
        for millesime in ([*millesimes, None] if dataset.per_millesime else [None])
    ]
    assert [resource["path"] for resource in package_descriptor["resources"]] == expected
    assert package_descriptor["licenses"][0]["name"] == "etalab-2.0"
    publication = requests.get(api_url + "/api/v1/publication", timeout=30).json()["donnees"]
    assert package_descriptor["version"] == publication["version"], "as the API names it"
    assert package_descriptor["created"] == publication["publiee_le"]
    indices = next(r for r in package_descriptor["resources"] if r["name"] == "indices-tous")
    fields = {field["name"]: field for field in indices["schema"]["fields"]}
    assert [field["name"] for field in indices["schema"]["fields"]] == [
        field.name for field in downloads.DATASETS["indices"].fields
    ], "one source: the download dictionary"
    assert fields["indice_global"]["constraints"] == {"minimum": 0, "maximum": 100}
    assert fields["population"]["unit"] == "habitants"
    assert indices["schema"]["primaryKey"] == ["millesime", "code_territoire"]
    assert indices["schema"]["foreignKeys"] == [
        {
            "fields": ["code_territoire"],
            "reference": {"resource": "territoires-tous", "fields": ["code_territoire"]},
        }
    ]


def test_frictionless_validates_every_served_file_from_the_package_address(
    api_url, package_descriptor
):
    """``frictionless`` given the descriptor's address fetches every file next to it and
    checks it against its schema, foreign keys to ``territoires`` included."""
    report = Package(api_url + PACKAGE_PATH).validate()
    problems = report.flatten(["taskName", "rowNumber", "fieldName", "type", "note"])
    assert report.valid, problems[:20]
    assert [task.name for task in report.tasks] == [
        resource["name"] for resource in package_descriptor["resources"]
    ]
    rows = {task.name: task.stats["rows"] for task in report.tasks}
    assert all(rows[name] > 0 for name in rows), rows
    standard = [name for name in rows if not name.endswith("-excel")]
    assert rows["indices-tous"] == sum(
        rows[name] for name in standard if name.startswith("indices-") and name != "indices-tous"
    )
    # The spreadsheets' CSV (;, decimal comma, BOM) holds the same rows, validated as well.
    assert {name: rows[f"{name}-excel"] for name in standard} == {
        name: rows[name] for name in standard
    }
    excel = next(r for r in package_descriptor["resources"] if r["name"] == "indices-tous-excel")
    assert excel["dialect"]["delimiter"] == ";" and excel["encoding"] == "utf-8-sig"
    score = next(f for f in excel["schema"]["fields"] if f["name"] == "indice_global")
    assert score["decimalChar"] == ","


def test_the_frictionless_command_validates_the_downloaded_package(downloaded_package):
    command = Path(sys.executable).with_name("frictionless")
    result = subprocess.run(
        [str(command), "validate", "datapackage.json", "--json"],
        cwd=downloaded_package,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    report = json.loads(result.stdout)
    assert report["valid"] is True
    assert len(report["tasks"]) == len(
        json.loads((downloaded_package / "datapackage.json").read_text())["resources"]
    )


def _rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def _write(path: Path, rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


@pytest.mark.parametrize(
    ("breakage", "column", "value", "error"),
    [
        ("a score of 130", "indice_global", "130", "constraint-error"),
        ("a word in a number column", "axe_lab", "beaucoup", "type-error"),
        ("a missing required value", "nom", "", "constraint-error"),
        ("a level outside the enumeration", "niveau", "7", "constraint-error"),
        ("an unknown territory", "code_territoire", "DEP-99", "foreign-key"),
        ("a duplicated primary key", None, None, "primary-key"),
    ],
)
def test_a_broken_file_fails_validation_with_the_expected_error(
    downloaded_package, package_descriptor, tmp_path, breakage, column, value, error
):
    """A served file, broken once, against the schema the package gives it."""
    resources = {resource["name"]: resource for resource in package_descriptor["resources"]}
    rows = _rows(downloaded_package / "indices-tous.csv")[:6]
    header = rows[0]
    if column is None:
        rows.append(list(rows[3]))
        broken_row = len(rows)
    else:
        rows[2][header.index(column)] = value
        broken_row = 3
    _write(tmp_path / "indices-tous.csv", rows)
    (tmp_path / "territoires-tous.csv").write_bytes(
        (downloaded_package / "territoires-tous.csv").read_bytes()
    )
    intact = Package(
        {"resources": [resources["indices-tous"], resources["territoires-tous"]]},
        basepath=str(downloaded_package),
    )
    assert intact.validate().valid, "the first rows of the served file are valid"
    broken = Package(
        {"resources": [resources["indices-tous"], resources["territoires-tous"]]},
        basepath=str(tmp_path),
    )
    report = broken.validate()
    assert not report.valid, breakage
    found = report.flatten(["rowNumber", "fieldName", "type"])
    assert [broken_row, column if error in ("constraint-error", "type-error") else None, error] in (
        found
    ), found


def test_the_package_and_catalogue_are_not_taken_for_data_files(api_url):
    for path in (PACKAGE_PATH, catalogue.CATALOGUE_PATH):
        response = requests.get(api_url + path, timeout=30)
        assert response.status_code == 200, path
        again = requests.get(
            api_url + path, headers={"If-None-Match": response.headers["ETag"]}, timeout=30
        )
        assert again.status_code == 304, "unchanged until the next publication"


def test_the_dcat_catalogue_lists_every_dataset_its_files_and_the_api(api_url):
    response = requests.get(api_url + catalogue.CATALOGUE_PATH, timeout=30)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/ld+json")
    document = response.json()
    assert isinstance(document["@context"], dict), "inline context: nothing to fetch"
    graph = rdflib.Graph().parse(data=response.text, format="json-ld")
    datasets = set(graph.subjects(rdflib.RDF.type, DCAT.Dataset))
    distributions = set(graph.subjects(rdflib.RDF.type, DCAT.Distribution))
    assert len(datasets) == len(downloads.DATASETS)
    assert len(distributions) == len(downloads.DATASETS) * len(downloads.FORMATS)
    licence = rdflib.URIRef(downloads.LICENCE_URL)
    for dataset in datasets:
        assert graph.value(dataset, DCTERMS.license) == licence
        title = graph.value(dataset, DCTERMS.title)
        assert title.language == "fr"
        assert len(list(graph.objects(dataset, DCAT.distribution))) == len(downloads.FORMATS)
    indices = rdflib.URIRef(catalogue.dataset_iri(api_url, "indices"))
    temporal = graph.value(indices, DCTERMS.temporal)
    assert int(str(graph.value(temporal, DCAT.startDate))) <= int(
        str(graph.value(temporal, DCAT.endDate))
    )
    for distribution in distributions:
        assert graph.value(distribution, DCTERMS.license) == licence
        address = str(graph.value(distribution, DCAT.downloadURL))
        assert address.startswith(api_url + "/donnees/"), "absolute, from the request host"
        served = requests.get(address, timeout=60)
        assert served.status_code == 200, address
        media_type = str(graph.value(distribution, DCAT.mediaType)).rsplit("media-types/", 1)[1]
        assert served.headers["Content-Type"].startswith(media_type)
    (service,) = graph.subjects(rdflib.RDF.type, DCAT.DataService)
    assert str(graph.value(service, DCAT.endpointURL)) == api_url + "/api/v1"
    description = requests.get(str(graph.value(service, DCAT.endpointDescription)), timeout=30)
    assert description.status_code == 200
    assert description.json()["openapi"].startswith("3.")
    assert set(graph.objects(service, DCAT.servesDataset)) == datasets


def test_without_a_publication_the_metadata_are_a_french_503(nothing_published):
    from dashboards.app import app

    client = app.server.test_client()
    for path in (PACKAGE_PATH, catalogue.CATALOGUE_PATH):
        response = client.get(path)
        assert response.status_code == 503, path
        assert "Aucune donnée publiée" in response.get_data(as_text=True)
