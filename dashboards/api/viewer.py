"""The API's interactive documentation: Swagger UI, served from the project's own files.

flask-smorest renders ``/api/v1/docs`` with the template ``swagger_ui.html``, which
``dashboards/templates/swagger_ui.html`` overrides (French, no request to another host), and
points it at ``OPENAPI_SWAGGER_UI_URL`` for Swagger UI's script and style sheet. They are
the files of the npm package ``swagger-ui-dist`` copied into
``dashboards/vendor/swagger-ui/`` by ``tools/swagger_ui/vendor.sh``: nothing is fetched
from a CDN. This module serves them at :data:`SWAGGER_UI_URL`, an address that carries
their version, so a browser keeps them a year (``immutable``) and a new version is a new
address. Flask-Compress compresses them (brotli, else gzip) like every other response.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache
from pathlib import Path

import flask

from dashboards.api import SWAGGER_UI_STATIC

#: Version of ``swagger-ui-dist`` vendored by ``tools/swagger_ui/vendor.sh``.
SWAGGER_UI_VERSION = "5.35.0"
VENDOR_DIR = Path(__file__).resolve().parent.parent / "vendor" / "swagger-ui"
#: Where the documentation page loads Swagger UI from (flask-smorest's
#: ``OPENAPI_SWAGGER_UI_URL``); the version in the address lets browsers keep the files.
SWAGGER_UI_URL = f"{SWAGGER_UI_STATIC}{SWAGGER_UI_VERSION}/"
#: The files the page loads, and their media types.
FILES = {
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui-standalone-preset.js": "text/javascript",
    "swagger-ui.css": "text/css",
}
ONE_YEAR = 365 * 24 * 3600
_BUNDLE_VERSION = re.compile(rb'PACKAGE_VERSION:"(\d+\.\d+\.\d+)"')

blueprint = flask.Blueprint("api_viewer", __name__)


@cache
def _file(name: str) -> tuple[bytes, str]:
    """The bytes of a vendored file and their strong ETag (read once per process)."""
    content = (VENDOR_DIR / name).read_bytes()
    return content, hashlib.sha256(content).hexdigest()[:20]


def bundle_version() -> str | None:
    """The Swagger UI version written in the vendored bundle (None when absent)."""
    match = _BUNDLE_VERSION.search(_file("swagger-ui-bundle.js")[0])
    return match.group(1).decode() if match else None


@blueprint.get(f"{SWAGGER_UI_STATIC}<version>/<name>")
def static_file(version: str, name: str) -> flask.Response:
    """A file of Swagger UI, kept a year by the browser; 404 for any other name or version."""
    if version != SWAGGER_UI_VERSION or name not in FILES:
        flask.abort(404)
    content, etag = _file(name)
    response = flask.Response(content, mimetype=FILES[name])
    response.set_etag(etag)
    response.cache_control.public = True
    response.cache_control.max_age = ONE_YEAR
    response.cache_control.immutable = True
    return response.make_conditional(flask.request)


def register(server: flask.Flask) -> None:
    """Serve Swagger UI's files (``register_api`` calls it; ``api_config`` points
    flask-smorest's ``OPENAPI_SWAGGER_UI_URL`` at :data:`SWAGGER_UI_URL`)."""
    server.register_blueprint(blueprint)
