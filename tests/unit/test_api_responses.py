"""The pure helpers of the API's answers and parameters: records, sorting, pages, links,
filters, French validation messages, the rate limit's wording."""

from __future__ import annotations

import datetime as dt

import limits
import marshmallow as ma
import numpy as np
import pandas as pd
import pytest

from dashboards.api.limits import (
    RATE_LIMIT_ENV,
    TRUSTED_PROXIES_ENV,
    create_limiter,
    describe,
    limit_blueprint,
    rate_limit,
    trust_proxies,
)
from dashboards.api.parameters import (
    CommaList,
    FormatArgs,
    FrenchParser,
    PagingArgs,
    QueryArgs,
    SortArgs,
)
from dashboards.api.responses import (
    PAGE_SIZE_MAX,
    ApiError,
    link_header,
    page_of,
    pagination_links,
    publication_of,
    records,
    sort_frame,
)


def test_records_are_plain_json_values_in_column_order() -> None:
    frame = pd.DataFrame(
        {
            "code": ["DEP-13", "DEP-69"],
            "population": np.array([2_043_110, 1_883_437], dtype="int64"),
            "indice": [51.25, float("nan")],
            "niveau": pd.array([3, None], dtype="Int64"),
            "publiee_le": pd.to_datetime(["2026-11-30 10:56:29.123", None]),
            "axes": [np.array(["DATA", "GOUV"]), []],
        }
    )
    rows = records(frame)
    assert rows == [
        {
            "code": "DEP-13",
            "population": 2_043_110,
            "indice": 51.25,
            "niveau": 3,
            "publiee_le": "2026-11-30T10:56:29Z",
            "axes": ["DATA", "GOUV"],
        },
        {
            "code": "DEP-69",
            "population": 1_883_437,
            "indice": None,
            "niveau": None,
            "publiee_le": None,
            "axes": [],
        },
    ]
    assert list(rows[0]) == list(frame.columns)
    assert type(rows[0]["population"]) is int and type(rows[0]["niveau"]) is int


def test_a_timezone_aware_date_is_written_in_utc() -> None:
    paris = pd.DataFrame({"t": [pd.Timestamp("2026-06-01 12:00", tz="Europe/Paris")]})
    assert records(paris) == [{"t": "2026-06-01T10:00:00Z"}]


def test_sorting_puts_empty_values_last_both_ways_ignores_accents_and_is_stable() -> None:
    frame = pd.DataFrame(
        {
            "nom": ["Isère", "Île-de-France", "Ain", "Hérault", "Gard"],
            "indice": [40.0, None, 55.0, 40.0, None],
        }
    )
    sortable = ["nom", "indice"]
    assert list(sort_frame(frame, "nom", sortable)["nom"]) == [
        "Ain",
        "Gard",
        "Hérault",
        "Île-de-France",
        "Isère",
    ]
    descending = sort_frame(frame, "-indice", sortable)
    assert list(descending["nom"]) == ["Ain", "Isère", "Hérault", "Île-de-France", "Gard"]
    ascending = sort_frame(frame, "indice", sortable)
    assert list(ascending["nom"]) == ["Isère", "Hérault", "Ain", "Île-de-France", "Gard"]
    assert list(sort_frame(frame, "-indice,nom", sortable)["nom"][:3]) == [
        "Ain",
        "Hérault",
        "Isère",
    ]
    assert sort_frame(frame, None, sortable) is frame


def test_an_unknown_sort_field_is_a_400_listing_the_sortable_ones() -> None:
    frame = pd.DataFrame({"nom": ["Ain"], "indice": [1.0]})
    with pytest.raises(ApiError) as raised:
        sort_frame(frame, "-rang", ["nom", "indice"])
    assert raised.value.code == 400
    assert raised.value.error_code == "parametre_invalide"
    assert "« rang »" in raised.value.message and "nom, indice" in raised.value.message
    assert raised.value.details == {"tri": [raised.value.message]}


def test_pages_cut_the_rows_and_say_where_they_stand() -> None:
    frame = pd.DataFrame({"n": range(250)})
    rows, pagination = page_of(frame, 3, 100)
    assert list(rows["n"]) == list(range(200, 250))
    assert pagination == {"page": 3, "par_page": 100, "total": 250, "pages": 3}
    empty, nothing = page_of(frame.iloc[:0], 1, 100)
    assert empty.empty and nothing == {"page": 1, "par_page": 100, "total": 0, "pages": 0}
    with pytest.raises(ApiError, match="dernière page : 3"):
        page_of(frame, 4, 100)
    with pytest.raises(ApiError, match=str(PAGE_SIZE_MAX)):
        page_of(frame, 1, PAGE_SIZE_MAX + 1)


def test_links_keep_the_other_parameters_and_follow_rfc_8288() -> None:
    url = "http://127.0.0.1:8050/api/v1/indices"
    query = [("millesime", "2025"), ("page", "2"), ("tri", "-indice_global")]
    links = pagination_links(url, query, page=2, pages=3)
    assert links == {
        "first": f"{url}?millesime=2025&tri=-indice_global&page=1",
        "prev": f"{url}?millesime=2025&tri=-indice_global&page=1",
        "next": f"{url}?millesime=2025&tri=-indice_global&page=3",
        "last": f"{url}?millesime=2025&tri=-indice_global&page=3",
    }
    assert set(pagination_links(url, [], page=1, pages=1)) == {"first", "last"}
    assert pagination_links(url, [], page=1, pages=0) == {}
    header = link_header({"first": f"{url}?page=1", "next": f"{url}?page=2"})
    assert header == f'<{url}?page=1>; rel="first", <{url}?page=2>; rel="next"'


def test_a_publication_without_version_is_named_by_its_date() -> None:
    state = publication_of({"published_at": dt.datetime(2026, 11, 30, 10, 56, 29, 512000)})
    assert state["version"] == "20261130-105629"
    assert state["publiee_le"] == "2026-11-30T10:56:29Z"
    assert state["date"].tzinfo is dt.UTC
    named = publication_of({"published_at": dt.datetime(2026, 1, 2), "version": "v-x"})
    assert named["version"] == "v-x"
    with pytest.raises(ApiError) as raised:
        publication_of(None)
    assert raised.value.code == 503 and raised.value.error_code == "publication_indisponible"


class Args(QueryArgs, PagingArgs, SortArgs, FormatArgs):
    territoire = CommaList(ma.fields.String())
    niveau = CommaList(ma.fields.Integer())


def test_parameters_are_checked_in_french() -> None:
    schema = Args()
    assert schema.load({}) == {"page": 1, "par_page": 100, "tri": None}
    with pytest.raises(ma.ValidationError) as raised:
        schema.load({"page": "deux", "par_page": "5000", "format": "xml", "niveau": "1,x"})
    messages = raised.value.messages
    assert messages["page"] == ["doit être un nombre entier."]
    assert messages["par_page"] == [
        "doit être supérieur ou égal à 1 et inférieur ou égal à 1000 (valeur reçue : 5000)."
    ]
    assert "valeurs possibles : json, csv" in messages["format"][0]
    assert messages["niveau"] == {1: ["doit être un nombre entier."]}
    with pytest.raises(ma.ValidationError) as raised:
        schema.load({"inconnu": "1"})
    assert "inconnu" in raised.value.messages


def test_a_list_filter_takes_commas_and_repeated_parameters() -> None:
    field = CommaList(ma.fields.String())
    assert field.deserialize("DEP-13, DEP-69,") == ["DEP-13", "DEP-69"]
    assert field.deserialize(["DEP-13,DEP-69", "REG-93"]) == ["DEP-13", "DEP-69", "REG-93"]


def test_the_parser_answers_a_french_400_naming_the_accepted_parameters() -> None:
    import flask

    app = flask.Flask(__name__)
    with app.test_request_context("/?millesim=2025&page=0"), pytest.raises(ApiError) as raised:
        FrenchParser().parse(Args(), location="query")
    error = raised.value
    assert error.code == 400
    assert (
        "Paramètre inconnu « millesim » (paramètres acceptés : format, niveau, page, par_page, "
        "territoire, tri)." in error.message
    )
    assert "Paramètre « page » : doit être supérieur ou égal à 1" in error.message
    assert set(error.details) == {"millesim", "page"}


def test_the_rate_limit_is_read_from_the_environment_and_worded_in_french(monkeypatch) -> None:
    monkeypatch.delenv(RATE_LIMIT_ENV, raising=False)
    assert rate_limit() == "300 per minute"
    monkeypatch.setenv(RATE_LIMIT_ENV, "3 per minute")
    assert describe(limits.parse(rate_limit())) == "3 requêtes par minute"
    assert describe(limits.parse("1 per 2 hours")) == "1 requête par 2 heures"
    monkeypatch.setenv(RATE_LIMIT_ENV, "beaucoup")
    with pytest.raises(ValueError, match="OBSERVATOIRE_API_RATE_LIMIT illisible"):
        rate_limit()


def test_behind_trusted_proxies_the_client_is_read_from_x_forwarded_for(monkeypatch) -> None:
    import flask

    def client_address(proxies: str) -> str:
        monkeypatch.setenv(TRUSTED_PROXIES_ENV, proxies)
        app = flask.Flask(__name__)
        app.add_url_rule("/", "ip", lambda: flask.request.remote_addr or "")
        trust_proxies(app)
        response = app.test_client().get(
            "/",
            headers={"X-Forwarded-For": "192.0.2.7, 198.51.100.2"},
            environ_base={"REMOTE_ADDR": "127.0.0.1"},
        )
        return response.get_data(as_text=True)

    assert client_address("0") == "127.0.0.1"  # the header is not trusted by default
    assert client_address("1") == "198.51.100.2"  # the address the one proxy saw
    assert client_address("2") == "192.0.2.7"
    monkeypatch.setenv(TRUSTED_PROXIES_ENV, "un")
    with pytest.raises(ValueError, match="OBSERVATOIRE_TRUSTED_PROXIES"):
        trust_proxies(flask.Flask(__name__))


def limited_client(monkeypatch):
    """A test client of an app whose one address ``/api/v1/essai`` is limited to 2 per minute."""
    import flask

    monkeypatch.setenv(RATE_LIMIT_ENV, "2 per minute")
    monkeypatch.delenv(TRUSTED_PROXIES_ENV, raising=False)
    app = flask.Flask(__name__)
    limited = flask.Blueprint("limite", __name__)
    limited.add_url_rule("/api/v1/essai", "essai", lambda: "ok")
    limit_blueprint(create_limiter(app), limited)
    app.register_blueprint(limited)
    return app.test_client()


def test_retry_after_is_sent_with_the_429_only(monkeypatch) -> None:
    client = limited_client(monkeypatch)
    answers = [client.get("/api/v1/essai") for _ in range(3)]
    assert [answer.status_code for answer in answers] == [200, 200, 429]
    assert answers[0].headers["X-RateLimit-Remaining"] == "1"  # the other headers stay
    assert "Retry-After" not in answers[0].headers
    assert "Retry-After" not in answers[1].headers
    assert 0 < int(answers[2].headers["Retry-After"]) <= 60


def test_preflights_do_not_count_against_the_rate_limit(monkeypatch) -> None:
    client = limited_client(monkeypatch)
    preflight = {"Origin": "https://exemple.org", "Access-Control-Request-Method": "GET"}
    statuses = []
    for _ in range(2):
        statuses.append(client.options("/api/v1/essai", headers=preflight).status_code)
        statuses.append(client.get("/api/v1/essai").status_code)
    assert statuses == [200, 200, 200, 200]
    assert client.get("/api/v1/essai").status_code == 429


@pytest.fixture
def api_app(nothing_published):
    """A bare Flask app serving the API (no publication), with a view of the API that fails."""
    import flask

    from dashboards.api import register_api

    app = flask.Flask(__name__)
    register_api(app)

    def broken() -> str:
        raise RuntimeError("secret de l'implémentation")

    app.add_url_rule("/api/v1/panne", "panne", broken)
    app.add_url_rule("/ailleurs", "ailleurs", lambda: "page")
    app.add_url_rule("/donnees/<name>", "donnees", lambda name: name)
    return app


def test_errors_of_the_api_are_french_json_and_the_rest_of_the_server_keeps_its_own(
    api_app,
) -> None:
    client = api_app.test_client()
    failed = client.get("/api/v1/panne")
    assert failed.status_code == 500
    assert failed.json["erreur"] == "erreur_interne"
    assert "secret" not in failed.get_data(as_text=True)
    assert "Traceback" not in failed.get_data(as_text=True)

    unpublished = client.get("/api/v1/publication")
    assert unpublished.status_code == 503
    assert unpublished.json["erreur"] == "publication_indisponible"
    assert "Aucune donnée publiée" in unpublished.json["message"]

    assert client.get("/api/v1/nulle/part").json["erreur"] == "introuvable"
    elsewhere = client.get("/nulle-part")
    assert elsewhere.status_code == 404 and elsewhere.mimetype == "text/html"
    assert client.post("/ailleurs").mimetype == "text/html"


def test_any_site_may_read_the_api_but_not_the_rest_of_the_server(api_app) -> None:
    client = api_app.test_client()
    answer = client.get("/api/v1/nulle/part", headers={"Origin": "https://exemple.org"})
    assert answer.headers["Access-Control-Allow-Origin"] == "*"
    assert "X-Total-Count" in answer.headers["Access-Control-Expose-Headers"]
    preflight = client.options(
        "/api/v1/publication",
        headers={
            "Origin": "https://exemple.org",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "if-none-match",
        },
    )
    assert preflight.status_code == 200
    assert "If-None-Match" in preflight.headers["Access-Control-Allow-Headers"]
    assert "Access-Control-Allow-Origin" not in client.get("/ailleurs").headers


def test_any_site_may_read_the_open_data_files_and_their_metadata(api_app) -> None:
    client = api_app.test_client()
    for path in ("/donnees/datapackage.json", "/donnees/indices.csv"):
        answer = client.get(path, headers={"Origin": "https://exemple.org"})
        assert answer.headers["Access-Control-Allow-Origin"] == "*", path
    preflight = client.options(
        "/donnees/catalogue.jsonld",
        headers={"Origin": "https://exemple.org", "Access-Control-Request-Method": "GET"},
    )
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight.headers["Access-Control-Allow-Methods"]


def test_nullable_columns_holding_pd_na_are_written_as_null() -> None:
    frame = pd.DataFrame(
        {
            "decimal": pd.array([1.5, pd.NA, 3.0], dtype="Float64"),
            "entier": pd.array([1, pd.NA, 3], dtype="Int64"),
            "complet": pd.array([4, 5, 6], dtype="Int64"),
        }
    )
    assert records(frame) == [
        {"decimal": 1.5, "entier": 1, "complet": 4},
        {"decimal": None, "entier": None, "complet": 5},
        {"decimal": 3.0, "entier": 3, "complet": 6},
    ]
    assert all(type(row["entier"]) in (int, type(None)) for row in records(frame))
