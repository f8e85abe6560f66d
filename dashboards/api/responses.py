"""What every answer of the API is made of: errors, caching headers, the envelope, pages.

- :class:`ApiError` is raised by a view (or by the parameters' validation) and answered as a
  JSON error in French: ``{"statut", "erreur", "message", "details"}``.
- :func:`conditional` decorates a view: it identifies the answer from the publication (its
  version, the normalised request and the format) *before* the view reads any data, answers
  ``304 Not Modified`` when the client already holds it, and otherwise sets ``ETag``,
  ``Last-Modified``, ``Cache-Control`` and ``X-Publication-Version`` on the view's response.
- :func:`collection_response` and :func:`object_response` build the ``200`` answers: JSON
  (``{"publication", "pagination", "donnees"}``) or CSV (``?format=csv`` or ``Accept:
  text/csv``), sorted (:func:`sort_frame`), paged (:func:`page_of`) with ``X-Total-Count``
  and ``Link`` (:func:`pagination_links`).

The pure helpers (:func:`records`, :func:`sort_frame`, :func:`page_of`,
:func:`pagination_links`, :func:`link_header`) take no request and are tested alone; the
checks of the filters' values are in :mod:`.filters`.
"""

from __future__ import annotations

import datetime as dt
import decimal
import functools
import hashlib
import json
import math
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from copy import deepcopy
from typing import Any
from urllib.parse import urlencode

import flask
import marshmallow as ma
import numpy as np
import pandas as pd
from werkzeug.exceptions import HTTPException

from dashboards import data, downloads
from dashboards.formatting import iso_utc

#: Rows of a page when ``par_page`` is not given, and the most a page may hold.
PAGE_SIZE_DEFAULT = 100
PAGE_SIZE_MAX = 1000
#: How long a client or a proxy may keep an answer before asking again (seconds).
MAX_AGE = 300
#: Media types of the two formats; ``?format=`` names them by their key.
MEDIA_TYPES = {"json": "application/json", "csv": "text/csv"}
#: Algorithms Flask-Compress appends to a strong ETag (``"abc:gzip"``) when it compresses.
COMPRESSED_ETAG_SUFFIXES = ("br", "gzip", "deflate", "zstd")
#: The 406 of a view that serves JSON only, asked for CSV (``{path}``: the address asked).
NO_CSV_MESSAGE = (
    "{path} n'est pas disponible en CSV : ses valeurs sont imbriquées (listes, objets). "
    "Demandez-le en JSON (?format=json, ou l'en-tête Accept: application/json) ; les "
    "collections (/api/v1/indices, /api/v1/territoires…) sont aussi servies en CSV."
)

#: Error codes of the API, by HTTP status (``erreur`` of the JSON error).
ERROR_CODES = {
    400: "parametre_invalide",
    404: "introuvable",
    405: "methode_non_autorisee",
    406: "format_non_disponible",
    429: "trop_de_requetes",
    500: "erreur_interne",
    503: "publication_indisponible",
}

#: French descriptions of the statuses documented in the OpenAPI description.
STATUS_DESCRIPTIONS = {
    200: "Réponse",
    304: "Non modifié depuis la version que vous détenez",
    400: "Paramètre invalide",
    404: "Introuvable",
    405: "Méthode non autorisée",
    406: "Format non disponible",
    429: "Trop de requêtes",
    500: "Erreur interne",
    503: "Aucune publication disponible",
}


class ApiError(HTTPException):
    """An error answered to the client as JSON, in French.

    ``ApiError(status, code, message, details=None)``: ``status`` the HTTP status, ``code``
    one of :data:`ERROR_CODES` (``parametre_invalide``…), ``message`` a French sentence
    saying what was wrong and how to do it right, ``details`` the messages by parameter.
    A werkzeug ``HTTPException``, so Flask hands it to the API's error handler wherever it
    is raised (a view, a decorator, the parameters' parser).
    """

    def __init__(
        self, status: int, code: str, message: str, details: dict[str, Any] | None = None
    ) -> None:
        super().__init__(description=message)
        self.code = status
        self.error_code = code
        self.message = message
        self.details = details

    def payload(self) -> dict[str, Any]:
        """The JSON body: ``{"statut", "erreur", "message"[, "details"]}``."""
        body: dict[str, Any] = {"statut": self.code, "erreur": self.error_code}
        body["message"] = self.message
        if self.details:
            body["details"] = self.details
        return body


def bad_request(message: str, details: dict[str, Any] | None = None) -> ApiError:
    """A ``400 parametre_invalide`` error (to raise)."""
    return ApiError(400, ERROR_CODES[400], message, details)


def not_found(message: str) -> ApiError:
    """A ``404 introuvable`` error (to raise)."""
    return ApiError(404, ERROR_CODES[404], message)


def not_acceptable(message: str) -> ApiError:
    """A ``406 format_non_disponible`` error (to raise)."""
    return ApiError(406, ERROR_CODES[406], message)


def unavailable(message: str) -> ApiError:
    """A ``503 publication_indisponible`` error (to raise)."""
    return ApiError(503, ERROR_CODES[503], message)


def error_response(error: ApiError, headers: Iterable[tuple[str, str]] = ()) -> flask.Response:
    """The JSON answer of ``error`` (never a trace)."""
    response = json_response(error.payload(), status=error.code)
    for name, value in headers:
        response.headers[name] = value
    return response


# --- Documentation of the answers (marshmallow schemas, read by flask-smorest) -------------


class ErrorSchema(ma.Schema):
    """An error of the API (every status but 200 and 304)."""

    statut = ma.fields.Integer(required=True, metadata={"description": "Statut HTTP"})
    erreur = ma.fields.String(
        required=True,
        metadata={
            "description": "Code de l'erreur",
            "enum": sorted({*ERROR_CODES.values(), "requete_invalide"}),
        },
    )
    message = ma.fields.String(
        required=True, metadata={"description": "Ce qui ne va pas et comment corriger, en français"}
    )
    details = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.List(ma.fields.String()),
        metadata={"description": "Messages par paramètre"},
    )


class PublicationSchema(ma.Schema):
    """The publication an answer comes from."""

    version = ma.fields.String(
        required=True,
        metadata={"description": "Version de la publication (AAAAMMJJ-HHMMSS, UTC)"},
    )
    publiee_le = ma.fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "Date de la publication (ISO 8601, UTC)", "format": "date-time"},
    )


class PaginationSchema(ma.Schema):
    """Where a page stands in its collection."""

    page = ma.fields.Integer(required=True, metadata={"description": "Numéro de la page"})
    par_page = ma.fields.Integer(required=True, metadata={"description": "Lignes par page"})
    total = ma.fields.Integer(required=True, metadata={"description": "Lignes en tout"})
    pages = ma.fields.Integer(required=True, metadata={"description": "Nombre de pages"})


class EditionSchema(ma.Schema):
    """The archived edition of a millésime an answer comes from (the ``edition`` member)."""

    millesime = ma.fields.Integer(required=True, metadata={"description": "Millésime"})
    version = ma.fields.String(
        required=True,
        metadata={"description": "Version de la publication archivée (AAAAMMJJ-HHMMSS, UTC)"},
    )
    publiee_le = ma.fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "Date de cette publication (ISO 8601, UTC)"},
    )
    version_methodologie = ma.fields.String(
        required=True,
        allow_none=True,
        metadata={
            "description": "Version de la méthodologie (questionnaire) qui note ce millésime"
        },
    )


def collection_schema(item: type[ma.Schema], *, edition: bool = False) -> type[ma.Schema]:
    """The schema of a collection's JSON answer whose rows are ``item`` (for
    ``@blueprint.response(200, collection_schema(Item))``); named after ``item``."""
    base = item.__name__.removesuffix("Schema")
    fields: dict[str, Any] = {
        "publication": ma.fields.Nested(PublicationSchema, required=True),
        "pagination": ma.fields.Nested(PaginationSchema, required=True),
        "donnees": ma.fields.List(ma.fields.Nested(item), required=True),
    }
    if edition:
        fields["edition"] = ma.fields.Nested(EditionSchema, required=True)
    return ma.Schema.from_dict(fields, name=f"{base}{'Edition' if edition else ''}Collection")


def object_schema(item: type[ma.Schema], *, edition: bool = False) -> type[ma.Schema]:
    """The schema of a single object's JSON answer (``{"publication", "donnees"}``)."""
    base = item.__name__.removesuffix("Schema")
    fields: dict[str, Any] = {
        "publication": ma.fields.Nested(PublicationSchema, required=True),
        "donnees": ma.fields.Nested(item, required=True),
    }
    if edition:
        fields["edition"] = ma.fields.Nested(EditionSchema, required=True)
    return ma.Schema.from_dict(fields, name=f"{base}{'Edition' if edition else ''}Reponse")


def _header(description: str, kind: str = "string") -> dict[str, Any]:
    return {"description": description, "schema": {"type": kind}}


#: Headers of every ``200`` (``@blueprint.response(200, ..., headers=OBJECT_HEADERS)``).
OBJECT_HEADERS = {
    "Last-Modified": _header("Date de la publication (format HTTP)"),
    "Cache-Control": _header("public, max-age=300"),
    "X-Publication-Version": _header("Version de la publication"),
}
#: Headers of a collection's ``200``.
COLLECTION_HEADERS = {
    **OBJECT_HEADERS,
    "X-Total-Count": _header("Lignes en tout, toutes pages confondues", "integer"),
    "Link": _header("Pages first, prev, next et last (RFC 8288)"),
}


# --- Values ---------------------------------------------------------------------------------


def plain_value(value: Any) -> Any:
    """A cell as a JSON value: NumPy scalars as ``int``/``float``, NaN/NA/infinity as
    ``None``, dates as ISO 8601 UTC, arrays as lists (recursively)."""
    if isinstance(value, str | int) and not isinstance(value, bool | np.generic):
        return value
    if isinstance(value, dict):
        return {key: plain_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple | np.ndarray):
        return [plain_value(item) for item in value]
    if value is None or value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, decimal.Decimal):
        value = float(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dt.datetime | pd.Timestamp | np.datetime64):
        return iso_utc(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def column_values(column: pd.Series) -> list[Any]:
    """The cells of ``column`` as plain values (see :func:`plain_value`), converted a whole
    column at a time where its type allows it (NumPy floats; pandas' nullable ``Float64``,
    whose missing cells are ``pd.NA``, goes cell by cell)."""
    if pd.api.types.is_bool_dtype(column) and not column.hasnans:
        return column.tolist()
    if pd.api.types.is_integer_dtype(column) and not column.hasnans:
        return column.astype("int64").tolist()
    if isinstance(column.dtype, np.dtype) and column.dtype.kind == "f":  # not pandas' Float64
        return [value if math.isfinite(value) else None for value in column.tolist()]
    return [plain_value(value) for value in column.tolist()]


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of ``frame`` as JSON objects of plain Python values, in column order."""
    columns = list(frame.columns)
    values = [column_values(frame[column]) for column in columns]
    return [dict(zip(columns, row, strict=True)) for row in zip(*values, strict=True)]


def _folded(value: Any) -> Any:
    """Text compared the French way: accents and case ignored (``Île`` next to ``Isère``)."""
    if not isinstance(value, str):
        return value
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _sort_key(column: pd.Series) -> pd.Series:
    if pd.api.types.is_object_dtype(column) or pd.api.types.is_string_dtype(column):
        return column.map(_folded)
    return column


def parse_sort(sort: str | None, sortable: Sequence[str]) -> list[tuple[str, bool]]:
    """``tri`` as ``[(field, ascending)]``: ``"-indice_global,nom"`` →
    ``[("indice_global", False), ("nom", True)]``; an unknown field is a 400 listing the
    sortable ones."""
    keys = []
    for item in (sort or "").split(","):
        name = item.strip()
        if not name:
            continue
        ascending = not name.startswith("-")
        name = name.lstrip("-+").strip()
        if name not in sortable:
            message = (
                f"Paramètre « tri » : le champ « {name} » ne peut pas servir au tri "
                f"(champs possibles : {', '.join(sortable)} ; préfixez-en un par « - » "
                "pour l'ordre décroissant)."
            )
            raise bad_request(message, {"tri": [message]})
        keys.append((name, ascending))
    return keys


def sort_frame(frame: pd.DataFrame, sort: str | None, sortable: Sequence[str]) -> pd.DataFrame:
    """``frame`` sorted by ``tri`` (see :func:`parse_sort`): empty values last whatever the
    direction, text compared without accents or case, rows of equal keys kept in their order."""
    keys = parse_sort(sort, sortable)
    if not keys or frame.empty:
        return frame
    return frame.sort_values(
        by=[name for name, _ in keys],
        ascending=[ascending for _, ascending in keys],
        na_position="last",
        kind="stable",
        key=_sort_key,
    )


def page_count(total: int, per_page: int) -> int:
    """Pages needed for ``total`` rows (0 when there is none)."""
    return math.ceil(total / per_page) if total else 0


def page_of(frame: pd.DataFrame, page: int, per_page: int) -> tuple[pd.DataFrame, dict[str, int]]:
    """Rows of page ``page`` (from 1) and the envelope's ``pagination``; a page past the last
    one is a 400 naming the last page (page 1 of nothing is an empty page)."""
    if per_page < 1 or per_page > PAGE_SIZE_MAX:
        message = (
            f"Paramètre « par_page » : {per_page} lignes par page n'est pas possible "
            f"(de 1 à {PAGE_SIZE_MAX})."
        )
        raise bad_request(message, {"par_page": [message]})
    total = len(frame)
    pages = page_count(total, per_page)
    if page < 1 or (page > max(pages, 1)):
        message = (
            f"Paramètre « page » : la page {page} n'existe pas (dernière page : {max(pages, 1)})."
        )
        raise bad_request(message, {"page": [message]})
    start = (page - 1) * per_page
    rows = frame.iloc[start : start + per_page]
    return rows, {"page": page, "par_page": per_page, "total": total, "pages": pages}


def pagination_links(
    url: str, query: Iterable[tuple[str, str]], page: int, pages: int
) -> dict[str, str]:
    """Addresses of the ``first``, ``prev``, ``next`` and ``last`` pages around ``page``
    (``url`` without its query; ``query`` the request's parameters, ``page`` replaced)."""
    kept = [(name, value) for name, value in query if name != "page"]

    def address(number: int) -> str:
        return f"{url}?{urlencode([*kept, ('page', str(number))])}"

    if pages < 1:
        return {}
    links = {"first": address(1)}
    if page > 1:
        links["prev"] = address(min(page - 1, pages))
    if page < pages:
        links["next"] = address(page + 1)
    links["last"] = address(pages)
    return links


def link_header(links: dict[str, str]) -> str:
    """A ``Link`` header (RFC 8288) from ``{relation: address}``."""
    return ", ".join(f'<{address}>; rel="{relation}"' for relation, address in links.items())


# --- The publication an answer comes from and the caching headers ---------------------------


def publication_of(info: dict[str, Any] | None) -> dict[str, Any]:
    """``{"version", "publiee_le", "date"}`` of a publication as :func:`dashboards.data.publication`
    returns it (``date`` the ``datetime`` in UTC, for ``Last-Modified``); without a
    ``version`` (a file published before versions), the date as ``AAAAMMJJ-HHMMSS``."""
    if info is None:
        raise unavailable(data.MISSING_MESSAGE)
    published_at = info.get("published_at", info.get("publiee_le"))
    date = None if published_at is None else pd.Timestamp(published_at)
    if date is not None and date.tzinfo is not None:
        date = date.tz_convert("UTC").tz_localize(None)
    version = info.get("version")
    if not version:
        version = date.strftime("%Y%m%d-%H%M%S") if date is not None else data.publication_version()
    return {
        "version": str(version),
        "publiee_le": iso_utc(date),
        "date": None if date is None else date.to_pydatetime().replace(tzinfo=dt.UTC),
    }


def current_publication() -> dict[str, Any]:
    """The publication the current request reads (read once per request); 503 without one."""
    state = flask.g.get("api_publication")
    if state is None:
        try:
            state = publication_of(data.publication())
        except data.PublicationError as error:
            raise unavailable(str(error)) from error
        flask.g.api_publication = state
    return state


def envelope_publication() -> dict[str, Any]:
    """The ``publication`` member of an answer: ``{"version", "publiee_le"}``."""
    state = current_publication()
    return {"version": state["version"], "publiee_le": state["publiee_le"]}


def edition_publication(millesime: Any) -> dict[str, Any]:
    """The archived edition of ``millesime`` (``dashboards.data.edition_publication``), as
    :func:`publication_of` describes it; 404 when there is none."""
    reader = getattr(data, "edition_publication", None)
    try:
        info = reader(int(millesime)) if reader is not None else None
    except (TypeError, ValueError):
        info = None
    except data.PublicationError as error:
        raise unavailable(str(error)) from error
    if info is None:
        raise not_found(
            f"Aucune édition archivée pour le millésime « {millesime} » : la liste des "
            "éditions est donnée par /api/v1/editions."
        )
    return publication_of(info)


def requested_format(offered: Sequence[str] = ("json", "csv")) -> str:
    """``json`` or ``csv``: ``?format=`` first, else the best of the ``offered`` formats the
    ``Accept`` header accepts (JSON when it accepts both or is absent); a format the view
    cannot give is a 406 (:func:`conditional`), an unknown ``?format=`` a 400."""
    named = flask.request.args.get("format")
    if named is not None:
        if named not in MEDIA_TYPES:
            message = (
                f"Paramètre « format » : « {named} » n'est pas un format disponible "
                f"(formats : {', '.join(MEDIA_TYPES)})."
            )
            raise bad_request(message, {"format": [message]})
        return named
    accept = flask.request.accept_mimetypes
    if not accept.provided:
        return "json"
    best = accept.best_match([MEDIA_TYPES[name] for name in offered])
    if best is None:
        media = " ou ".join(MEDIA_TYPES[name] for name in offered)
        raise not_acceptable(
            f"Aucun des formats demandés (Accept : {flask.request.headers.get('Accept', '')}) "
            f"n'est disponible : {flask.request.path} répond en {media} "
            f"(ou avec ?format={', ?format='.join(offered)})."
        )
    return "csv" if best == MEDIA_TYPES["csv"] else "json"


def document_digest() -> str:
    """A short hash of the OpenAPI description of the current app, computed once per process
    (kept in the app's extensions): part of every ETag, so that a deploy that changes the
    API's fields or answers does not keep the ETags of the answers it changes."""
    extensions = flask.current_app.extensions
    digest = extensions.get("observatoire_api_digest")
    if digest is None:
        document = extensions["observatoire_api"].spec.to_dict()
        text = json.dumps(document, sort_keys=True, default=str)
        digest = hashlib.sha256(text.encode()).hexdigest()[:12]
        extensions["observatoire_api_digest"] = digest
    return digest


def request_etag(parts: Sequence[str], file_format: str) -> str:
    """The strong ETag of an answer: the publication version(s) in ``parts``, the path, the
    parameters sorted (``format`` replaced by the format negotiated) and the format."""
    query = sorted(
        (name, value) for name, value in flask.request.args.items(multi=True) if name != "format"
    )
    identity = json.dumps([*parts, flask.request.path, query, file_format])
    return hashlib.sha256(identity.encode()).hexdigest()[:32]


def _matching_etag(etag: str) -> str | None:
    """The tag of ``If-None-Match`` that names ``etag`` (also as Flask-Compress sends it,
    ``etag:gzip``), or None."""
    sent = flask.request.if_none_match
    if not sent:
        return None
    if sent.star_tag:
        return etag
    for variant in (etag, *(f"{etag}:{suffix}" for suffix in COMPRESSED_ETAG_SUFFIXES)):
        if sent.contains_weak(variant):
            return variant
    return None


def _not_modified(etag: str, last_modified: dt.datetime | None) -> str | None:
    """The ETag to answer 304 with, ``""`` for a 304 without one, or None for no 304:
    ``If-None-Match`` decides when sent (RFC 9110 § 13.2.2) and the 304 names the tag it
    matched (``…:gzip`` included); else ``If-Modified-Since``, whose 304 carries no ETag:
    the stored answer may have been compressed (its tag ``…:gzip``), and a 304 with the
    plain tag would replace it in the client's cache (RFC 9111 § 4.3.4)."""
    if flask.request.if_none_match:
        return _matching_etag(etag)
    since = flask.request.if_modified_since
    if (
        since is not None
        and last_modified is not None
        and last_modified.replace(microsecond=0) <= since
    ):
        return ""
    return None


def _caching_headers(
    response: flask.Response, etag: str, state: dict[str, Any], vary: bool = True
) -> None:
    if etag:
        response.set_etag(etag)
    if state["date"] is not None:
        response.last_modified = state["date"]
    response.cache_control.public = True
    response.cache_control.max_age = MAX_AGE
    response.headers["X-Publication-Version"] = state["version"]
    if vary:
        response.vary.add("Accept")


def conditional(
    view: Callable[..., Any] | None = None,
    *,
    edition: str | None = None,
    formats: Sequence[str] = ("json", "csv"),
    on_editions: bool = False,
) -> Callable[..., Any]:
    """Decorate a view of the API (innermost, under ``@blueprint.response``) with caching.

    Before the view runs: read the current publication (503 without one), negotiate the
    format, compute the ETag from the publication version, the API's description
    (:func:`document_digest`), the normalised request and the format, and answer ``304``
    (no body) when ``If-None-Match`` names it or ``If-Modified-Since`` is not older than
    the publication. Otherwise call the view and set
    ``ETag``, ``Last-Modified``, ``Cache-Control: public, max-age=300``,
    ``X-Publication-Version`` and ``Vary: Accept`` on its ``200``.

    ``@conditional(edition="millesime")``: the view serves the archived edition of the
    millésime in its keyword argument ``millesime`` (404 when there is none). The answer
    comes from that edition, not from the current publication: its ``publication`` member,
    ETag, ``Last-Modified`` and ``X-Publication-Version`` are the edition's, so they do not
    change when a new publication leaves the edition as it was; ``flask.g.api_edition``
    holds it for the view.

    ``formats``: the formats the view serves; another one negotiated is a ``406`` (a view
    serving JSON only answers ``Accept: text/csv`` so, before reading any data).

    ``on_editions``: the answer also lists the archived editions, which the pipeline writes
    after it replaces the published copy: the ETag then also holds
    :func:`dashboards.data.editions_signature` (their files' mtime and size), so an answer
    read between the two is not kept under the final ETag.
    """

    def decorate(function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                if edition is None:
                    state = current_publication()
                else:
                    state = edition_publication(kwargs.get(edition))
                    flask.g.api_edition = state
                    flask.g.api_publication = state  # the envelope, the CSV's name
                parts = [state["version"], document_digest()]
                if on_editions:
                    parts.append(data.editions_signature())
                file_format = requested_format(formats)
                if file_format not in formats:
                    raise not_acceptable(NO_CSV_MESSAGE.format(path=flask.request.path))
                flask.g.api_format = file_format
                etag = request_etag(parts, file_format)
                matched = _not_modified(etag, state["date"])
                if matched is not None:
                    response = flask.Response(status=304)
                    _caching_headers(response, matched, state)
                    return response
                response = flask.current_app.ensure_sync(function)(*args, **kwargs)
            except data.PublicationError as error:
                raise unavailable(str(error)) from error
            if isinstance(response, flask.Response) and response.status_code == 200:
                _caching_headers(response, etag, state)
            return response

        # flask-smorest documents the 304, If-None-Match and the ETag header from this flag.
        wrapper._apidoc = deepcopy(getattr(function, "_apidoc", {}))  # type: ignore[attr-defined]
        wrapper._apidoc["etag"] = True  # type: ignore[attr-defined]
        return wrapper

    return decorate(view) if view is not None else decorate


# --- The 200 answers ------------------------------------------------------------------------


def json_response(payload: Any, status: int = 200) -> flask.Response:
    """``payload`` as UTF-8 JSON, keys in their order (the data dictionary's)."""
    body = json.dumps(payload, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return flask.Response(body, status=status, mimetype=MEDIA_TYPES["json"])


def csv_response(frame: pd.DataFrame, name: str) -> flask.Response:
    """``frame`` as standard CSV (:func:`dashboards.downloads.to_csv`), shown inline, named
    after the collection and the publication version."""
    version = current_publication()["version"]
    response = flask.Response(downloads.to_csv(frame), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'inline; filename="{name}-{version}.csv"'
    return response


def _format() -> str:
    file_format = flask.g.get("api_format")
    return file_format if file_format is not None else requested_format()


def _is_nested(value: Any) -> bool:
    return isinstance(value, dict | list | tuple | np.ndarray)


def _no_csv(name: str) -> ApiError:
    return not_acceptable(
        f"« {name} » n'est pas disponible en CSV : ses valeurs sont imbriquées "
        "(listes, objets). Demandez-le en JSON (?format=json)."
    )


def collection_response(
    frame: pd.DataFrame,
    *,
    name: str,
    page: int,
    per_page: int,
    sort: str | None,
    sortable: Sequence[str],
    edition: dict[str, Any] | None = None,
) -> flask.Response:
    """One page of a collection: ``frame`` sorted by ``sort`` (``tri``), cut to page ``page``
    of ``per_page`` rows, as JSON ``{"publication", "pagination", "donnees"}`` (with
    ``edition`` when given) or as CSV (that page's rows), with ``X-Total-Count`` and ``Link``."""
    ordered = sort_frame(frame, sort, sortable)
    rows, pagination = page_of(ordered, page, per_page)
    file_format = _format()
    if file_format == "csv":
        if any(_is_nested(value) for value in rows.select_dtypes("object").to_numpy().ravel()):
            raise _no_csv(name)
        response = csv_response(rows, name)
    else:
        payload: dict[str, Any] = {"publication": envelope_publication()}
        if edition is not None:
            payload["edition"] = {key: plain_value(value) for key, value in edition.items()}
        payload["pagination"] = pagination
        payload["donnees"] = records(rows)
        response = json_response(payload)
    response.headers["X-Total-Count"] = str(pagination["total"])
    links = pagination_links(
        flask.request.base_url, flask.request.args.items(multi=True), page, pagination["pages"]
    )
    if links:
        response.headers["Link"] = link_header(links)
    return response


def object_response(
    payload: dict[str, Any], *, name: str, edition: dict[str, Any] | None = None
) -> flask.Response:
    """One object, in JSON: ``{"publication", "donnees"}`` (with ``edition`` when given).
    Single objects are served in JSON only (their views are documented so, and
    :func:`conditional` answers 406 to CSV before they run); ``name`` names the object in
    the 406 a view not so documented would get."""
    if _format() == "csv":
        raise _no_csv(name)
    body: dict[str, Any] = {"publication": envelope_publication()}
    if edition is not None:
        body["edition"] = {key: plain_value(value) for key, value in edition.items()}
    body["donnees"] = plain_value(payload)
    return json_response(body)
