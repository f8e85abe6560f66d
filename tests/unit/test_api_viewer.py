"""The API's human views: Swagger UI vendored and served offline, the French template of
``/api/v1/docs``, and the page « API et données ouvertes » read from the OpenAPI document."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dashboards.api import API_PREFIX, openapi_document
from dashboards.api.viewer import FILES, SWAGGER_UI_URL, SWAGGER_UI_VERSION, bundle_version
from dashboards.app import app

REPOSITORY = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def page():
    """The page module as Dash Pages loaded it."""
    import sys

    return sys.modules["dashboards.pages.api"]


@pytest.fixture(scope="module")
def document():
    return openapi_document(app.server)


def test_the_vendored_swagger_ui_is_the_version_the_script_and_the_viewer_name():
    script = (REPOSITORY / "tools/swagger_ui/vendor.sh").read_text()
    assert re.search(r'^VERSION="(.+)"$', script, re.MULTILINE).group(1) == SWAGGER_UI_VERSION
    assert bundle_version() == SWAGGER_UI_VERSION
    assert SWAGGER_UI_VERSION in SWAGGER_UI_URL


def test_swagger_ui_files_are_kept_a_year_revalidated_and_compressed():
    client = app.server.test_client()
    for name, media_type in FILES.items():
        response = client.get(SWAGGER_UI_URL + name, headers={"Accept-Encoding": "gzip"})
        assert response.status_code == 200
        assert response.mimetype == media_type
        assert response.headers["Content-Encoding"] == "gzip"
        assert "immutable" in response.headers["Cache-Control"]
        assert "max-age=31536000" in response.headers["Cache-Control"]
        again = client.get(
            SWAGGER_UI_URL + name,
            headers={"Accept-Encoding": "gzip", "If-None-Match": response.headers["ETag"]},
        )
        assert again.status_code == 304 and again.data == b""
    # Another version or a file that is not served: not found.
    assert client.get(f"{API_PREFIX}/docs/static/1.0.0/swagger-ui.css").status_code == 404
    assert client.get(SWAGGER_UI_URL + "LICENSE").status_code == 404


def test_the_documentation_page_is_french_and_loads_nothing_from_another_host():
    response = app.server.test_client().get(f"{API_PREFIX}/docs")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<html lang="fr">' in html
    assert "documentation interactive" in html
    assert "validatorUrl: null" in html
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(url.startswith("/") for url in sources), sources
    assert f'src="{SWAGGER_UI_URL}swagger-ui-bundle.js"' in html


def test_a_parameter_type_is_said_in_french_with_its_limits(page):
    assert page.type_label({"type": "integer", "minimum": 1, "maximum": 1000, "default": 100}) == (
        "entier (de 1 à 1\u202f000 ; par défaut 100)"
    )
    assert page.type_label({"type": "string", "enum": ["json", "csv"]}) == (
        "texte (parmi json, csv)"
    )
    assert page.type_label({"type": "array", "items": {"type": "integer"}}) == (
        "liste de valeurs (entier) séparées par des virgules"
    )


def test_path_parameters_of_the_path_item_are_completed_by_the_operation(page):
    document = {"components": {"parameters": {"P": {"in": "query", "name": "q"}}}}
    path_item = {"parameters": [{"in": "path", "name": "code", "schema": {"type": "string"}}]}
    operation = {
        "parameters": [
            {"in": "path", "name": "code", "description": "Code", "example": "DEP-13"},
            {"$ref": "#/components/parameters/P"},
        ]
    }
    code, query = page.operation_parameters(document, path_item, operation)
    (bare,) = page.operation_parameters(document, path_item, {}, {"code": "DEP-69"})
    assert (bare.name, bare.example) == ("code", "DEP-69")  # the document's other example
    assert page.operation_parameters(document, path_item, {})[0].example is None
    assert (code.name, code.type, code.description, code.example, code.required) == (
        "code",
        "texte",
        "Code",
        "DEP-13",
        True,
    )
    assert (query.name, query.location, query.required) == ("q", "query", False)


def test_the_page_lists_every_get_of_the_document_with_a_working_example(page, document):
    tags = page.tags(document)
    shown = sorted(operation.path for tag in tags for operation in tag.operations)
    documented = sorted(path for path, item in document["paths"].items() if "get" in item)
    assert shown == documented
    # Every path with parameters has a documented example of each (else no example link).
    for tag in tags:
        for operation in tag.operations:
            href = page.example_href(operation)
            assert href is not None, operation.path
            assert "{" not in href


def test_the_page_renders_from_the_running_api(page):
    import json

    import plotly.utils

    with app.server.test_request_context("/api"):
        layout = page.layout()
    text = json.dumps(layout, cls=plotly.utils.PlotlyJSONEncoder, ensure_ascii=False)
    for address in ("/api/v1/docs", "/api/v1/openapi.json", "/donnees/datapackage.json"):
        assert address in text
    assert "requêtes par" in text  # the rate limit, in French
