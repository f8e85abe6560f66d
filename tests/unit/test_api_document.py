"""The OpenAPI document as a reuser reads it: built without warnings, every path parameter
described with an example, CSV documented where (and only where) it is served, each
collection's ``tri`` documented with the fields it sorts by."""

from __future__ import annotations

import warnings

import flask
import pytest

from dashboards.api import openapi_document, register_api


@pytest.fixture(scope="module")
def document() -> dict:
    return openapi_document(built_app())


def built_app() -> flask.Flask:
    app = flask.Flask(__name__)
    register_api(app)
    return app


def operations(document: dict):
    """``(path, path item, GET operation)`` of every documented address."""
    for path, item in document["paths"].items():
        yield path, item, item["get"]


def parameters(item: dict, operation: dict) -> dict[tuple[str, str], dict]:
    """The parameters of an operation (its path's and its own), by (location, name)."""
    found = [*item.get("parameters", []), *operation.get("parameters", [])]
    return {(p["in"], p["name"]): p for p in found if "name" in p}


def test_building_the_document_emits_no_warning() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        openapi_document(built_app())
    # apispec warns (UserWarning) when two schemas resolve to the same name.
    assert [str(w.message) for w in caught if issubclass(w.category, UserWarning)] == []


def test_every_path_parameter_is_described_with_an_example(document: dict) -> None:
    for path, item, operation in operations(document):
        names = {part[1:-1] for part in path.split("/") if part.startswith("{")}
        documented = {
            name: parameter
            for (location, name), parameter in parameters(item, operation).items()
            if location == "path"
        }
        assert set(documented) == names, path
        for name, parameter in documented.items():
            assert parameter.get("description"), f"{path} {{{name}}} sans description"
            assert parameter.get("example") is not None, f"{path} {{{name}}} sans exemple"


def test_csv_is_documented_exactly_where_format_offers_it(document: dict) -> None:
    with_csv = set()
    for path, item, operation in operations(document):
        content = operation["responses"]["200"]["content"]
        assert "application/json" in content, path
        offered = parameters(item, operation)[("query", "format")]["schema"]["enum"]
        assert ("text/csv" in content) == ("csv" in offered), path
        assert "406" in operation["responses"], path
        if "text/csv" in content:
            with_csv.add(path)
    # The collections of flat rows serve CSV; the single objects never do.
    assert "/api/v1/indices" in with_csv and "/api/v1/territoires" in with_csv
    assert not {path for path in with_csv if path.endswith("}")}
    assert {"/api/v1/", "/api/v1/publication", "/api/v1/methodologies"}.isdisjoint(with_csv)


def row_fields(document: dict, operation: dict) -> set[str]:
    """The fields of a collection's rows, from its documented 200 schema."""
    schemas = document["components"]["schemas"]

    def resolve(schema: dict) -> dict:
        return schemas[schema["$ref"].rsplit("/", 1)[1]] if "$ref" in schema else schema

    envelope = resolve(operation["responses"]["200"]["content"]["application/json"]["schema"])
    return set(resolve(envelope["properties"]["donnees"]["items"])["properties"])


def test_each_collection_documents_its_sortable_fields_and_a_tri_of_its_own(
    document: dict,
) -> None:
    examples = {}
    for path, item, operation in operations(document):
        found = parameters(item, operation)
        if ("query", "page") not in found:
            assert ("query", "tri") not in found, path
            continue
        tri = found[("query", "tri")]
        sortable = tri["schema"]["x-champs-triables"]
        assert set(sortable) <= row_fields(document, operation), path
        assert all(name in tri["description"] for name in sortable), path
        example = tri["schema"]["example"]
        assert {name.lstrip("-") for name in example.split(",")} <= set(sortable), path
        examples[path] = example
    assert examples["/api/v1/territoires"] != examples["/api/v1/indices"]
    assert len(examples) >= 8


@pytest.mark.parametrize(
    ("component", "dataset"),
    [
        ("Indice", "indices"),
        ("ScoreAxe", "axes"),
        ("Territoire", "territoires"),
        ("Reponse", "reponses"),
        ("Realisation", "realisations"),
    ],
)
def test_a_row_missing_a_column_of_the_dictionary_fails_its_schema(
    document: dict, component: str, dataset: str
) -> None:
    from openapi_schema_validator import OAS30Validator

    from dashboards.downloads import DATASETS

    names = [field.name for field in DATASETS[dataset].fields]
    schema = document["components"]["schemas"][component]
    assert sorted(schema["required"]) == sorted(names)
    validator = OAS30Validator(schema)
    row = dict.fromkeys(names)  # every column, each value missing (null): valid
    assert validator.is_valid(row)
    for name in names:
        assert not validator.is_valid({key: value for key, value in row.items() if key != name})
