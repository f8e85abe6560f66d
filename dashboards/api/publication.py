"""``/api/v1/`` (the index of the API) and ``/api/v1/publication`` (the current publication:
its version and date, its millésimes with the methodology version that scores each, the
archived editions)."""

from __future__ import annotations

from typing import Any

import flask
import marshmallow as ma

from dashboards import data
from dashboards.api import API_PREFIX, LICENCE, openapi_document
from dashboards.api.parameters import Blueprint, QueryArgs
from dashboards.api.responses import (
    PublicationSchema,
    current_publication,
    object_response,
    object_schema,
)
from dashboards.api.views import object_view

PREFIX = API_PREFIX

blueprint = Blueprint(
    "publication",
    __name__,
    url_prefix=PREFIX,
    description="Index de l'API et publication courante (version, date, millésimes)",
)


class LinkSchema(ma.Schema):
    """A collection of the API."""

    nom = ma.fields.String(required=True, metadata={"description": "Nom de la collection"})
    adresse = ma.fields.String(required=True, metadata={"description": "Adresse (relative)"})
    description = ma.fields.String(required=True, allow_none=True)


class IndexSchema(ma.Schema):
    """What the API offers and where."""

    titre = ma.fields.String(required=True)
    version_api = ma.fields.String(required=True)
    licence = ma.fields.String(required=True)
    licence_url = ma.fields.String(required=True)
    openapi = ma.fields.String(required=True, metadata={"description": "Description OpenAPI 3"})
    documentation = ma.fields.String(required=True, metadata={"description": "Visionneuse"})
    publication = ma.fields.String(required=True, metadata={"description": "Publication courante"})
    collections = ma.fields.List(ma.fields.Nested(LinkSchema), required=True)


class PublishedMillesimeSchema(ma.Schema):
    """A millésime of the publication."""

    millesime = ma.fields.Integer(required=True)
    version_methodologie = ma.fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "Version de la méthodologie (questionnaire) qui le note"},
    )
    edition = ma.fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "Adresse de son édition archivée (null s'il n'en a pas)"},
    )


class PublicationInfoSchema(PublicationSchema):
    """The current publication: its version and date, its millésimes, its editions."""

    millesimes = ma.fields.List(ma.fields.Nested(PublishedMillesimeSchema), required=True)
    editions = ma.fields.String(
        required=True, metadata={"description": "Adresse de la liste des éditions archivées"}
    )


def collections(document: dict[str, Any]) -> list[dict[str, Any]]:
    """The collections of the API (paths without parameters, answering GET) in ``document``,
    the OpenAPI description, with their summary."""
    links = []
    for path, operations in document.get("paths", {}).items():
        get = operations.get("get")
        if get is None or "{" in path or path.rstrip("/") == PREFIX:
            continue
        links.append(
            {
                "nom": path.removeprefix(PREFIX + "/"),
                "adresse": path,
                "description": get.get("summary") or get.get("description"),
            }
        )
    return sorted(links, key=lambda link: link["adresse"])


@object_view(
    blueprint,
    "/",
    arguments=QueryArgs,
    schema=object_schema(IndexSchema),
    description="Ce que propose l'API et où",
    on_editions=True,
)
def index(**_arguments: Any) -> flask.Response:
    """Index de l'API

    Ce que propose l'API : ses collections, sa description OpenAPI, sa documentation.
    """
    document = openapi_document()
    payload = {
        "titre": document["info"]["title"],
        "version_api": document["info"]["version"],
        "licence": LICENCE["name"],
        "licence_url": LICENCE["url"],
        "openapi": f"{PREFIX}/openapi.json",
        "documentation": f"{PREFIX}/docs",
        "publication": f"{PREFIX}/publication",
        "collections": collections(document),
    }
    return object_response(payload, name="api")


def published_millesimes() -> list[dict[str, Any]]:
    """Each millésime of the publication with its methodology version and the address of
    its archived edition (when there is one)."""
    versions = {
        millesime: version.version
        for version in data.methodology_versions()
        for millesime in version.millesimes
    }
    archived: set[int] = set()
    list_editions = getattr(data, "editions", None)  # the archived editions, once published
    if list_editions is not None:
        archived = {int(millesime) for millesime in list_editions()["millesime"]}
    return [
        {
            "millesime": millesime,
            "version_methodologie": versions.get(millesime),
            "edition": f"{PREFIX}/editions/{millesime}" if millesime in archived else None,
        }
        for millesime in data.millesimes()
    ]


@object_view(
    blueprint,
    "/publication",
    arguments=QueryArgs,
    schema=object_schema(PublicationInfoSchema),
    description="La publication courante, ses millésimes et leurs éditions",
    on_editions=True,
)
def publication(**_arguments: Any) -> flask.Response:
    """Publication courante

    Version et date de la publication, ses millésimes avec la version de la méthodologie
    qui note chacun, et l'adresse de leurs éditions archivées.
    """
    state = current_publication()
    payload = {
        "version": state["version"],
        "publiee_le": state["publiee_le"],
        "millesimes": published_millesimes(),
        "editions": f"{PREFIX}/editions",
    }
    return object_response(payload, name="publication")
