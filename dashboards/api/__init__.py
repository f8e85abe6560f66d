"""The open-data API of the observatory, read-only, under ``/api/v1/`` (flask-smorest).

Served by the dashboard's Flask server (:func:`register_api`, called by
``dashboards.app.create_app``), it reads only the published snapshot and its archived
editions, through :mod:`dashboards.data`. flask-smorest (marshmallow, webargs, apispec) parses
the parameters and writes the OpenAPI 3 description (``/api/v1/openapi.json``) from the
views themselves; Flask-Limiter limits the requests of each client (:mod:`.limits`);
Flask-Compress (set up by the app) compresses the large answers.

- :mod:`.responses`: errors (:class:`~.responses.ApiError`), caching (``@conditional``),
  the JSON envelope and CSV answers, sorting and paging;
- :mod:`.parameters`: the :class:`~.parameters.Blueprint` every module uses, its French
  parser and the parameter schemas (:class:`~.parameters.QueryArgs` and its mixins);
- one module per resource, each with a ``blueprint`` listed in :data:`BLUEPRINT_MODULES`:
  :mod:`.publication` (``/api/v1/``, ``/api/v1/publication``), :mod:`.territories`,
  :mod:`.answers`, :mod:`.millesimes`, :mod:`.methodology`, :mod:`.scores` (``/indices``,
  ``/axes``), :mod:`.achievements` (``/realisations``)…

Every status of the API is answered as a JSON error in French (``{"statut", "erreur",
"message", "details"}``), an unknown ``/api/v1/…`` address included; the rest of the server
(the dashboard's pages, ``/donnees``) keeps its own errors.
"""

from __future__ import annotations

import http
import importlib
from typing import Any

import flask
import flask_smorest
from flask_smorest.utils import prepare_response
from werkzeug.exceptions import HTTPException

from dashboards.api.limits import create_limiter, describe, limit_blueprint
from dashboards.api.parameters import Blueprint, FrenchParser, validation_error
from dashboards.api.responses import (
    ERROR_CODES,
    STATUS_DESCRIPTIONS,
    ApiError,
    ErrorSchema,
    error_response,
)

API_PREFIX = "/api/v1"

# flask-smorest's Blueprint takes its parameters' parser from the class, when a view is
# decorated: a module of the API may build a plain ``flask_smorest.Blueprint``, so the French
# parser (unknown parameters refused, French 400s, documented as 400) is set on the class
# itself, here, before any module of this package decorates a view.
flask_smorest.Blueprint.ARGUMENTS_PARSER = FrenchParser()
#: Modules of this package that hold a ``blueprint`` (a ``flask_smorest.Blueprint``, or
#: :class:`Blueprint` for French descriptions of the 200s) to register;
#: a module adding resources appends its name.
BLUEPRINT_MODULES: list[str] = [
    "publication",
    "territories",
    "answers",
    "millesimes",
    "methodology",
    "scores",
    "achievements",
    "editions",
]
#: Where the Swagger UI files are served (vendored, never from a CDN), each version at its
#: own address under it (:data:`.viewer.SWAGGER_UI_URL`).
SWAGGER_UI_STATIC = f"{API_PREFIX}/docs/static/"
LICENCE = {
    "name": "Licence Ouverte / Open Licence 2.0 (Etalab)",
    "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
}

DESCRIPTION = """\
API en lecture seule des résultats publiés par l'Observatoire de la maturité numérique des \
territoires : territoires, millésimes, méthodologies, indices et scores par axe avec leur \
niveau de maturité, leur rang et l'intervalle de ce rang, réponses publiées, réalisations \
exemplaires, éditions archivées de chaque millésime.

**Licence.** Les données sont publiées sous Licence Ouverte 2.0 (Etalab) : réutilisation \
libre, y compris commerciale, en citant la source (« Observatoire de la maturité numérique \
des territoires ») et la date de la publication.

**Versions.** Chaque publication a une version (`AAAAMMJJ-HHMMSS`, UTC), rappelée dans \
chaque réponse (`publication`) et dans l'en-tête `X-Publication-Version`. Les réponses \
portent un `ETag` et un `Last-Modified` : une requête conditionnelle (`If-None-Match`, \
`If-Modified-Since`) reçoit `304 Not Modified` tant que la publication n'a pas changé. \
Les chiffres d'un millésime tels qu'ils ont été publiés à l'époque restent disponibles \
sous `/api/v1/editions`.

**Formats.** JSON par défaut. Les collections de lignes simples (indices, axes, \
territoires, réponses, réalisations, millésimes, éditions) sont aussi servies en CSV \
(UTF-8, séparateur virgule) avec `?format=csv` ou l'en-tête `Accept: text/csv` ; chaque \
opération documente les formats qu'elle sert. Les objets seuls (un territoire, une \
méthodologie, une fiche, une édition, l'index, la publication) et la liste des \
méthodologies, dont les valeurs sont imbriquées, ne sont servis qu'en JSON : une demande \
de CSV y reçoit `406`. Les noms des champs sont ceux des fichiers de la page \
Téléchargements, les nombres sont des nombres, une valeur manquante vaut `null`.

**Pages et tri.** Les collections sont paginées (`page`, `par_page` jusqu'à 1000) ; \
`X-Total-Count` donne le nombre de lignes et `Link` les pages voisines. `tri` accepte des \
champs séparés par des virgules, précédés de `-` pour l'ordre décroissant.

**Limites.** Un nombre maximal de requêtes par client et par période s'applique \
(`X-RateLimit-Limit`, `X-RateLimit-Remaining`) ; au-delà, la réponse est `429` avec \
`Retry-After`. Les réponses volumineuses sont compressées (gzip ou brotli).

**Depuis un navigateur.** L'API accepte les requêtes des pages de tout site (CORS, sans \
authentification ni cookie).

**Erreurs.** Toute erreur est un objet JSON en français : `statut`, `erreur` (code), \
`message`, et `details` par paramètre."""


#: French messages of the errors raised by Flask or werkzeug themselves, by status.
STATUS_MESSAGES = {
    400: "Requête invalide.",
    406: "Format non disponible : l'API répond en application/json, et ses collections "
    "aussi en text/csv.",
    500: "Erreur interne : la requête n'a pas abouti. L'incident est enregistré dans le "
    "journal du serveur ; réessayez plus tard.",
}


def api_config() -> dict[str, Any]:
    """The settings flask-smorest reads from the app's configuration."""
    from dashboards.api.viewer import SWAGGER_UI_URL  # the viewer reads this module's prefix

    return {
        "API_TITLE": "API de l'Observatoire de la maturité numérique des territoires",
        "API_VERSION": "1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": API_PREFIX,
        "OPENAPI_JSON_PATH": "openapi.json",
        "OPENAPI_SWAGGER_UI_PATH": "/docs",
        "OPENAPI_SWAGGER_UI_URL": SWAGGER_UI_URL,
        "API_SPEC_OPTIONS": {
            "info": {"description": DESCRIPTION, "license": LICENCE},
            # Relative: the description holds for whatever host serves it.
            "servers": [{"url": "/", "description": "Ce serveur"}],
        },
    }


def is_api_request() -> bool:
    """Whether the current request is addressed to the API."""
    path = flask.request.path
    return path == API_PREFIX or path.startswith(API_PREFIX + "/")


class ObservatoireApi(flask_smorest.Api):
    """flask-smorest's ``Api`` with the API's French errors (answered, and documented)."""

    ERROR_SCHEMA = ErrorSchema

    def handle_http_exception(self, error: HTTPException) -> Any:
        """Answer an HTTP error of the API as French JSON; leave the others to Flask."""
        if not is_api_request():
            return error
        headers: list[tuple[str, str]] = []
        if isinstance(error, ApiError):
            api_error = error
        elif error.code == 422 and getattr(error, "data", {}).get("messages"):
            # webargs' own 422 (a parser other than the French one).
            try:
                validation_error(error.data["messages"], error.data.get("schema"))
            except ApiError as french:
                api_error = french
        else:
            api_error = self._french(error)
        if error.code == 405:
            allowed = sorted(getattr(error, "valid_methods", None) or ["GET", "HEAD"])
            headers.append(("Allow", ", ".join(allowed)))
        return error_response(api_error, headers)

    @staticmethod
    def _french(error: HTTPException) -> ApiError:
        status = error.code or 500
        code = ERROR_CODES.get(status, "requete_invalide" if status < 500 else "erreur_interne")
        if status == 405:
            message = (
                f"Méthode {flask.request.method} non autorisée sur {flask.request.path} : "
                "l'API est en lecture seule (GET)."
            )
        elif status == 429:
            limit = getattr(getattr(error, "limit", None), "limit", None)
            message = (
                "Trop de requêtes : "
                + (f"la limite est de {describe(limit)} par client. " if limit else "")
                + "Réessayez après le délai indiqué par l'en-tête Retry-After (en secondes)."
            )
        elif status == 404:
            message = unknown_address_message()
        else:
            fallback = STATUS_MESSAGES[500 if status >= 500 else 400]
            message = STATUS_MESSAGES.get(status, fallback)
        return ApiError(status, code, message)

    def _register_responses(self) -> None:
        """flask-smorest's shared responses, described in French, errors with our schema."""
        for status in http.HTTPStatus:
            response: dict[str, Any] = {
                "description": STATUS_DESCRIPTIONS.get(status.value, status.phrase)
            }
            if not (100 <= status < 200) and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, self.DEFAULT_RESPONSE_CONTENT_TYPE)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Erreur", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, self.DEFAULT_RESPONSE_CONTENT_TYPE)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)

    def _register_etag_headers(self) -> None:
        """flask-smorest's ETag header and If-None-Match parameter, described in French."""
        self.spec.components.parameter(
            "IF_NONE_MATCH",
            "header",
            {
                "name": "If-None-Match",
                "in": "header",
                "description": "ETag d'une réponse déjà reçue : 304 si elle n'a pas changé",
                "schema": {"type": "string"},
            },
            lazy=True,
        )
        self.spec.components.header(
            "ETAG",
            {"description": "Identifiant de cette réponse", "schema": {"type": "string"}},
            lazy=True,
        )


#: Headers of the API's answers a script of another site may read (CORS).
EXPOSED_HEADERS = (
    "ETag, Last-Modified, Link, X-Total-Count, X-Publication-Version, "
    "X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, Retry-After, "
    "Content-Disposition"
)


#: Where the download files and their metadata (``datapackage.json``, ``catalogue.jsonld``)
#: are served: open to every site like the API.
OPEN_DATA_PREFIX = "/donnees/"


def is_open_data_request() -> bool:
    """Whether the current request is addressed to the API or to the open data files."""
    return is_api_request() or flask.request.path.startswith(OPEN_DATA_PREFIX)


def open_to_every_site(response: flask.Response) -> flask.Response:
    """Let a page of any site read the API and the open data files (no credentials): CORS
    headers on every answer of ``/api/v1/…`` and ``/donnees/…``, and the answer to a
    browser's preflight ``OPTIONS``."""
    if not is_open_data_request():
        return response
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    if flask.request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = (
            "Accept, If-None-Match, If-Modified-Since"
        )
        response.headers["Access-Control-Max-Age"] = "86400"
    return response


def unknown_address_message() -> str:
    """What a 404 of the API says about the address asked for."""
    return (
        f"Aucune ressource à l'adresse {flask.request.path}. Les adresses de l'API sont "
        f"listées par {API_PREFIX}/ et décrites dans {API_PREFIX}/openapi.json."
    )


def unknown_address(chemin: str) -> flask.Response:
    """Any other address under ``/api/v1/``: a French 404 (never the dashboard's page)."""
    raise ApiError(404, ERROR_CODES[404], unknown_address_message())


def _unknown_addresses() -> flask.Blueprint:
    blueprint = flask.Blueprint("api_introuvable", __name__)
    blueprint.add_url_rule(
        f"{API_PREFIX}/<path:chemin>", "introuvable", unknown_address, methods=["GET"]
    )
    return blueprint


def register_api(server: flask.Flask) -> flask_smorest.Api:
    """Serve the API on ``server``: its blueprints (:data:`BLUEPRINT_MODULES`), the OpenAPI
    description and viewer, the 404 of unknown addresses, the rate limit; the ``Api`` is
    kept in ``server.extensions["observatoire_api"]``."""
    from dashboards.api import viewer

    server.config.update(api_config())
    api = ObservatoireApi(server)
    # Swagger UI's files, for the documentation page (not counted against the rate limit).
    viewer.register(server)
    limiter = create_limiter(server)
    for name in BLUEPRINT_MODULES:
        module = importlib.import_module(f"{__name__}.{name}")
        blueprint = module.blueprint
        if not isinstance(blueprint, flask_smorest.Blueprint):
            raise TypeError(f"{module.__name__}.blueprint is not a flask_smorest.Blueprint")
        limit_blueprint(limiter, blueprint)
        api.register_blueprint(blueprint)
    unknown = _unknown_addresses()
    limit_blueprint(limiter, unknown)
    server.register_blueprint(unknown)
    # The OpenAPI description and the viewer, served by flask-smorest's own blueprint.
    limit_blueprint(limiter, server.blueprints[api._make_doc_blueprint_name()])
    server.after_request(open_to_every_site)  # CORS
    server.extensions["observatoire_api"] = api
    return api


def openapi_document(server: flask.Flask | None = None) -> dict[str, Any]:
    """The OpenAPI description of the API served by ``server`` (the current app if None)."""
    app = server if server is not None else flask.current_app
    return app.extensions["observatoire_api"].spec.to_dict()


__all__ = [
    "API_PREFIX",
    "BLUEPRINT_MODULES",
    "ApiError",
    "Blueprint",
    "openapi_document",
    "register_api",
]
