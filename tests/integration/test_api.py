"""The open-data API through the real server (gunicorn as ``make run`` starts it): its OpenAPI
contract, its French errors, conditional requests, formats, compression, pages and rate limit.

The contract test requests every GET path the OpenAPI description documents, its path
parameters filled with values the API itself lists, and validates each ``200`` JSON body
against the documented schema: a view added without its schema, or answering other fields
than it documents, fails here.
"""

from __future__ import annotations

import csv
import gzip
import io
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest
import requests
from openapi_schema_validator import OAS30Validator
from openapi_schema_validator import validate as validate_body
from openapi_spec_validator import validate as validate_spec

from dashboards.api import API_PREFIX
from dashboards.api.responses import PAGE_SIZE_MAX
from tests.helpers import serve_dashboard
from tests.support.api import api_get

#: Field of a collection's rows that holds the value of a path parameter (by its name).
ROW_FIELD_OF_PARAMETER = {"code": "code_territoire", "territoire": "code_territoire"}


@pytest.fixture(scope="module")
def openapi(api_url: str) -> dict:
    """The OpenAPI description the server publishes."""
    response = api_get(api_url, f"{API_PREFIX}/openapi.json")
    assert response.status_code == 200
    return response.json()


def french_error(response: requests.Response, status: int, code: str) -> dict:
    """The JSON error of ``response``, checked: status, media type, code, a French message."""
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["statut"] == status
    assert body["erreur"] == code
    assert "Traceback" not in body["message"]
    return body


def path_values(api_url: str, path: str) -> dict[str, str]:
    """Values of the path parameters of ``path``, from the first row the API lists in the
    collection above it (``/territoires/{code}`` ← ``/territoires``)."""
    parameters = [part[1:-1] for part in path.split("/") if part.startswith("{")]
    if not parameters:
        return {}
    parent = path[: path.index("/{")]
    listing = api_get(api_url, parent)
    assert listing.status_code == 200, f"{parent} : {listing.text}"
    rows = listing.json()["donnees"]
    assert rows, f"{parent} ne liste rien : impossible d'appeler {path}"
    return {name: str(rows[0][ROW_FIELD_OF_PARAMETER.get(name, name)]) for name in parameters}


def test_openapi_description_is_valid_and_every_get_path_answers_its_documented_schema(
    api_url: str, openapi: dict
) -> None:
    validate_spec(openapi)
    assert openapi["openapi"] == "3.0.3"
    assert "Licence Ouverte" in openapi["info"]["license"]["name"]
    paths = {path: item["get"] for path, item in openapi["paths"].items() if "get" in item}
    assert {f"{API_PREFIX}/", f"{API_PREFIX}/publication"} <= set(paths)
    for path, operation in paths.items():
        url = path.format(**path_values(api_url, path))
        response = api_get(api_url, url)
        assert response.status_code == 200, f"{url} : {response.text}"
        assert response.headers["ETag"] and response.headers["X-Publication-Version"]
        assert response.headers["Cache-Control"] == "public, max-age=300"
        documented = operation["responses"]["200"]["content"]["application/json"]["schema"]
        schema = {**documented, "components": openapi["components"]}
        validate_body(response.json(), schema, cls=OAS30Validator)
        # Every view documents its parameter errors, and every error has the same shape.
        assert "400" in operation["responses"], path
        if "{" in path:
            assert "404" in operation["responses"], path


def test_every_operation_serves_csv_exactly_when_it_documents_it(
    api_url: str, openapi: dict
) -> None:
    """CSV documented → served (by ``?format=csv`` and by ``Accept``); not documented →
    ``406`` to both, in French."""
    served_csv = 0
    for path, item in openapi["paths"].items():
        operation = item["get"]
        url = path.format(**path_values(api_url, path))
        asked = [
            api_get(api_url, url, {"format": "csv"}),
            api_get(api_url, url, headers={"Accept": "text/csv"}),
        ]
        if "text/csv" in operation["responses"]["200"]["content"]:
            served_csv += 1
            for response in asked:
                assert response.status_code == 200, f"{url} : {response.text}"
                assert response.headers["Content-Type"] == "text/csv; charset=utf-8", url
                assert next(csv.reader(io.StringIO(response.text)), None), url
        else:
            assert "406" in operation["responses"], path
            for response in asked:
                body = french_error(response, 406, "format_non_disponible")
                assert "JSON" in body["message"] or "json" in body["message"], url
            # JSON is still served to whoever accepts it too.
            both = api_get(api_url, url, headers={"Accept": "text/csv, application/json;q=0.5"})
            assert both.status_code == 200 and both.json()["donnees"] is not None, url
    assert served_csv >= 8


def test_index_links_every_collection_and_the_publication_names_its_version(
    api_url: str, openapi: dict
) -> None:
    index = api_get(api_url, f"{API_PREFIX}/").json()["donnees"]
    listed = {link["adresse"] for link in index["collections"]}
    collections = {
        path for path in openapi["paths"] if "{" not in path and path != f"{API_PREFIX}/"
    }
    assert listed == collections
    assert index["openapi"] == f"{API_PREFIX}/openapi.json"

    response = api_get(api_url, f"{API_PREFIX}/publication")
    publication = response.json()["donnees"]
    assert publication["version"] == response.headers["X-Publication-Version"]
    assert [row["millesime"] for row in publication["millesimes"]] == sorted(
        row["millesime"] for row in publication["millesimes"]
    )
    assert all(row["version_methodologie"] for row in publication["millesimes"])
    published = parsedate_to_datetime(response.headers["Last-Modified"])
    assert published.strftime("%Y-%m-%dT%H:%M:%SZ") == publication["publiee_le"]


def test_bad_parameters_and_addresses_are_french_json_errors(api_url: str) -> None:
    unknown = french_error(
        api_get(api_url, f"{API_PREFIX}/indices", {"millesim": "2025"}), 400, "parametre_invalide"
    )
    assert "« millesim »" in unknown["message"]
    assert "millesime" in unknown["message"]  # the accepted parameters are listed
    assert unknown["details"] == {"millesim": [unknown["message"]]}

    not_a_number = french_error(
        api_get(api_url, f"{API_PREFIX}/indices", {"page": "deux"}), 400, "parametre_invalide"
    )
    assert "« page »" in not_a_number["message"] and "entier" in not_a_number["message"]

    too_big = french_error(
        api_get(api_url, f"{API_PREFIX}/indices", {"par_page": "5000"}), 400, "parametre_invalide"
    )
    assert str(PAGE_SIZE_MAX) in too_big["message"] and "5000" in too_big["message"]

    sort = french_error(
        api_get(api_url, f"{API_PREFIX}/indices", {"tri": "-inconnu"}), 400, "parametre_invalide"
    )
    assert "« inconnu »" in sort["message"] and "indice_global" in sort["message"]

    missing = french_error(api_get(api_url, f"{API_PREFIX}/nulle-part"), 404, "introuvable")
    assert "/api/v1/nulle-part" in missing["message"]

    posted = requests.post(f"{api_url}{API_PREFIX}/indices", timeout=60)
    french_error(posted, 405, "methode_non_autorisee")
    assert "GET" in posted.headers["Allow"]

    refused = api_get(api_url, f"{API_PREFIX}/indices", headers={"Accept": "application/xml"})
    french_error(refused, 406, "format_non_disponible")


def test_a_repeated_conditional_request_is_answered_304_without_a_body(api_url: str) -> None:
    path, params = f"{API_PREFIX}/indices", {"par_page": "5", "tri": "code_territoire"}
    first = api_get(api_url, path, params)
    assert first.status_code == 200
    etag, last_modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert not etag.startswith("W/")  # strong

    again = api_get(api_url, path, params, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["ETag"] == etag

    since = api_get(api_url, path, params, headers={"If-Modified-Since": last_modified})
    assert since.status_code == 304 and since.content == b""
    # Matched by date alone, the 304 cannot tell which tag the client stored (plain or
    # "…:gzip"): it names none, so the stored one is kept (RFC 9111 § 4.3.4).
    assert "ETag" not in since.headers

    # Another request, another answer: the same tag does not match it.
    other = api_get(api_url, path, {**params, "page": "2"}, headers={"If-None-Match": etag})
    assert other.status_code == 200 and other.headers["ETag"] != etag

    # The tag of a compressed answer ("…:gzip", from Flask-Compress) is recognised too.
    zipped = api_get(api_url, path, {"par_page": "200"}, headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    revalidated = api_get(
        api_url,
        path,
        {"par_page": "200"},
        headers={"Accept-Encoding": "gzip", "If-None-Match": zipped.headers["ETag"]},
    )
    assert revalidated.status_code == 304


def test_csv_or_json_by_accept_header_or_format_parameter(api_url: str) -> None:
    path, params = f"{API_PREFIX}/indices", {"par_page": "7", "tri": "code_territoire"}
    as_json = api_get(api_url, path, params)
    assert as_json.headers["Content-Type"] == "application/json"
    codes = [row["code_territoire"] for row in as_json.json()["donnees"]]
    assert len(codes) == 7

    for response in (
        api_get(api_url, path, params, headers={"Accept": "text/csv"}),
        api_get(api_url, path, {**params, "format": "csv"}),
    ):
        assert response.status_code == 200
        assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
        version = response.headers["X-Publication-Version"]
        assert response.headers["Content-Disposition"] == (
            f'inline; filename="indices-{version}.csv"'
        )
        rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
        assert [row["code_territoire"] for row in rows] == codes
        assert response.headers["X-Total-Count"] == as_json.headers["X-Total-Count"]
        assert response.headers["ETag"] != as_json.headers["ETag"]
        assert "accept" in [v.strip().lower() for v in response.headers["Vary"].split(",")]
    assert "accept" in [v.strip().lower() for v in as_json.headers["Vary"].split(",")]

    # ?format= wins over Accept.
    named = api_get(api_url, path, {**params, "format": "json"}, headers={"Accept": "text/csv"})
    assert named.headers["Content-Type"] == "application/json"
    assert named.json() == as_json.json()


def test_large_answers_are_gzipped_and_decompress_to_the_same_json(api_url: str) -> None:
    path, params = f"{API_PREFIX}/indices", {"par_page": str(PAGE_SIZE_MAX)}
    plain = api_get(api_url, path, params, headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers
    raw = requests.get(
        f"{api_url}{path}",
        params=params,
        headers={"Accept-Encoding": "gzip"},
        stream=True,
        timeout=60,
    )
    assert raw.headers["Content-Encoding"] == "gzip"
    compressed = raw.raw.read(decode_content=False)
    assert len(compressed) < len(plain.content) / 3
    assert gzip.decompress(compressed) == plain.content


def test_pages_carry_total_and_links_and_sorting_puts_empty_values_last(api_url: str) -> None:
    path = f"{API_PREFIX}/indices"
    first = api_get(api_url, path, {"par_page": "50", "tri": "-indice_global,code_territoire"})
    total = int(first.headers["X-Total-Count"])
    body = first.json()
    assert body["pagination"] == {
        "page": 1,
        "par_page": 50,
        "total": total,
        "pages": -(-total // 50),
    }
    links = first.links
    assert set(links) == {"first", "next", "last"}
    second = requests.get(links["next"]["url"], timeout=60)
    assert second.json()["pagination"]["page"] == 2
    assert "prev" in second.links

    last = requests.get(links["last"]["url"], timeout=60).json()
    values = [
        row["indice_global"]
        for page in (body, second.json(), last)
        for row in page["donnees"]
        if row["indice_global"] is not None
    ]
    assert values[:50] == sorted(values[:50], reverse=True)
    every = api_get(api_url, path, {"par_page": str(PAGE_SIZE_MAX), "tri": "-indice_global"})
    if int(every.headers["X-Total-Count"]) <= PAGE_SIZE_MAX:
        indices = [row["indice_global"] for row in every.json()["donnees"]]
        known = [value for value in indices if value is not None]
        assert indices == known + [None] * (len(indices) - len(known))

    past = french_error(api_get(api_url, path, {"page": "100000"}), 400, "parametre_invalide")
    assert "dernière page" in past["message"]


def test_the_rate_limit_refuses_the_fourth_call_in_french_and_spares_the_dashboard(
    published_database: Path, tmp_path: Path
) -> None:
    # One process: with the default in-memory storage each gunicorn process counts apart.
    environment = {
        "OBSERVATOIRE_PUBLISHED": str(published_database),
        "OBSERVATOIRE_CACHE_DIR": str(tmp_path / "cache"),
        "OBSERVATOIRE_API_RATE_LIMIT": "3 per minute",
    }
    with serve_dashboard(environment, tmp_path, gunicorn_workers=1) as base_url:
        answers = [api_get(base_url, f"{API_PREFIX}/publication") for _ in range(4)]
        assert [answer.status_code for answer in answers[:3]] == [200, 200, 200]
        assert answers[0].headers["X-RateLimit-Limit"] == "3"
        assert not any("Retry-After" in answer.headers for answer in answers[:3])
        refused = french_error(answers[3], 429, "trop_de_requetes")
        assert "3 requêtes par minute" in refused["message"]
        assert 0 < int(answers[3].headers["Retry-After"]) <= 60
        # Another address of the API draws on the same count.
        french_error(api_get(base_url, f"{API_PREFIX}/"), 429, "trop_de_requetes")
        # The dashboard and the downloads are not limited.
        assert requests.get(f"{base_url}/", timeout=60).status_code == 200
        assert requests.get(f"{base_url}/classements", timeout=60).status_code == 200
        download = requests.get(f"{base_url}/donnees/dictionnaire-indices.csv", timeout=60)
        assert download.status_code == 200


def test_a_change_of_the_api_s_description_changes_the_etag(published_copy) -> None:
    """Same publication, same request: a deploy that changes the OpenAPI description (here
    one more schema) gives the answers another ETag."""
    import flask

    from dashboards.api import register_api

    def etag(change: bool) -> str:
        app = flask.Flask(__name__)
        api = register_api(app)
        if change:
            api.spec.components.schema("Nouveau", {"type": "object"})
        answer = app.test_client().get("/api/v1/millesimes")
        assert answer.status_code == 200, answer.get_data(as_text=True)
        return answer.headers["ETag"]

    assert etag(False) == etag(False)
    assert etag(True) != etag(False)
