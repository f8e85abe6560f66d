"""Callback responses cached until the next publication.

Every callback of the dashboard but the upload page's is a function of its inputs and of
the published file: the same request (the JSON body the browser posts to
``/_dash-update-component``) gets the same answer until the next publication. Building it
again (queries read from the cache, then Dash components, Plotly figures and their JSON)
cost 50 to 650 ms of CPU per request on a warm data cache, and under 20 clients the requests
queued behind each other on the two cores. The whole response is therefore kept in the
shared cache of :mod:`dashboards.data.connection` (file-system, shared by the gunicorn
workers, keyed by the publication version, one process computing a missing entry), under a
digest of the request body and of the dashboard's code (a deploy never serves the answers
of the previous code), with a brotli copy compressed once: a hit costs reading one file,
sent as it is.

Not cached: the callbacks whose outputs are in :data:`UNCACHED_PREFIXES`, the pages and
forms that write (the upload page, with its achievement sheets; the feedback on a sheet;
the analysts' review page): their answers depend on the file and token sent and on the
contributions store, and must run every time.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import brotli
import flask

from dashboards import data
from dashboards.data.connection import cached

#: Dash's callback route (its Flask endpoint has the same name).
CALLBACK_ENDPOINT = "/_dash-update-component"
#: Callbacks whose outputs have an id starting with one of these are never cached.
UNCACHED_PREFIXES = ("depot-", "contribution-", "revue-")
#: Responses at least this long are kept compressed too (brotli, as Flask-Compress would
#: send them), so that a hit is sent without compressing the same bytes again.
COMPRESSED_FROM = 500
#: Brotli quality of the kept copy (compressed once per publication: the best ratio is
#: affordable, unlike per request).
BROTLI_QUALITY = 9
_PACKAGE = Path(__file__).resolve().parent


def code_digest() -> str:
    """A digest of the dashboard's code (its Python files and static files)."""
    digest = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*")):
        if path.is_file() and path.suffix in {".py", ".js", ".css"}:
            digest.update(path.relative_to(_PACKAGE).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _output_ids(body: dict[str, Any]) -> list[str]:
    outputs = body.get("outputs")
    items = outputs if isinstance(outputs, list) else [outputs]
    found = []
    for item in items:
        identifier = item.get("id") if isinstance(item, dict) else None
        found.append(
            json.dumps(identifier, sort_keys=True)
            if isinstance(identifier, dict)
            else str(identifier)
        )
    return found


def cacheable(body: Any) -> bool:
    """Whether the answer to this callback request may be served from the cache."""
    if not isinstance(body, dict) or not body.get("outputs"):
        return False
    return not any(
        identifier.startswith(UNCACHED_PREFIXES)
        or any(f'"{prefix}' in identifier for prefix in UNCACHED_PREFIXES)
        for identifier in _output_ids(body)
    )


def cache_callback_responses(server: flask.Flask) -> None:
    """Serve Dash's callback route from the cache of the current publication."""
    dispatch = server.view_functions[CALLBACK_ENDPOINT]
    run_dispatch: Callable[[], Any] = server.ensure_sync(dispatch)
    code = code_digest()

    def compute() -> tuple[int, str, bytes, bytes | None]:
        response = server.make_response(run_dispatch())
        content = response.get_data()
        compressed = (
            brotli.compress(content, quality=BROTLI_QUALITY)
            if len(content) >= COMPRESSED_FROM
            else None
        )
        return (
            response.status_code,
            response.mimetype or "application/json",
            content,
            compressed,
        )

    def cached_dispatch() -> Any:
        raw = flask.request.get_data(cache=True)
        try:
            body = json.loads(raw)
        except ValueError:
            return run_dispatch()
        if not cacheable(body):
            return run_dispatch()
        canonical = json.dumps(body, sort_keys=True, separators=(",", ":"))
        key = hashlib.sha256(f"{code}\0{canonical}".encode()).hexdigest()
        try:
            status, mimetype, content, compressed = cached(
                "reponse-callback", [key], compute, lock_group="reponse-"
            )
        except data.PublicationError:
            return run_dispatch()  # no publication: nothing to key on, the page says so
        accepted = flask.request.headers.get("Accept-Encoding", "").lower()
        if compressed is not None and "br" in {
            p.split(";")[0].strip() for p in accepted.split(",")
        }:
            response = flask.Response(compressed, status=status, mimetype=mimetype)
            # Flask-Compress leaves a response that already has an encoding as it is.
            response.headers["Content-Encoding"] = "br"
            response.headers["Vary"] = "Accept-Encoding"
            return response
        return flask.Response(content, status=status, mimetype=mimetype)

    server.view_functions[CALLBACK_ENDPOINT] = cached_dispatch
