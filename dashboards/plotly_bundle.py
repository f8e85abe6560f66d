"""The plotly.js the dashboard serves: a partial bundle of the traces its pages draw.

Dash serves the full plotly.js of the ``plotly`` package (4.8 MB, 1.3 MB in brotli) at a
fixed address, ``/_dash-component-suites/plotly/package_data/plotly.min.js``, which
``dcc.Graph`` loads when a page first draws a graph. Most of it (3D, WebGL, tiled maps,
finance, hierarchy traces) no page uses: the observatory's pages draw only :data:`TRACES`.
``dashboards/vendor/plotly-observatoire.min.js`` is plotly.js of the same version built with
those traces only (``tools/plotly_bundle``: pinned npm packages, ``npm ci && npm run
build``), 1.6 MB, 0.46 MB in brotli; this module serves it at Dash's address instead.

The bytes are compressed once per process (brotli, and gzip for browsers without it) and
sent with an ETag and ``Cache-Control: no-cache``: the address carries no version, so a
browser asks again at each visit and receives ``304 Not Modified`` until the bundle changes.
"""

from __future__ import annotations

import gzip
import hashlib
import re
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import brotli
import flask

#: Where Dash's renderer asks for plotly.js when it serves it locally.
PLOTLY_ROUTE = "/_dash-component-suites/plotly/package_data/plotly.min.js"
BUNDLE_PATH = Path(__file__).resolve().parent / "vendor" / "plotly-observatoire.min.js"
#: Trace types registered in the bundle (``tools/plotly_bundle/entry.js``).
TRACES = frozenset({"bar", "box", "scatter", "scatterpolar", "choropleth", "scattergeo"})
_VERSION = re.compile(rb"plotly\.js v(\d+\.\d+\.\d+)")


@dataclass(frozen=True)
class Encoded:
    """The bundle in one encoding (``identity``, ``br`` or ``gzip``) and its ETag."""

    encoding: str
    body: bytes
    etag: str


_lock = threading.Lock()


@cache
def _encodings() -> dict[str, Encoded]:
    raw = BUNDLE_PATH.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()[:20]
    bodies = {
        "br": brotli.compress(raw, quality=9),
        "gzip": gzip.compress(raw, compresslevel=9, mtime=0),
        "identity": raw,
    }
    return {name: Encoded(name, body, f"{digest}-{name}") for name, body in bodies.items()}


def encodings() -> dict[str, Encoded]:
    """The bundle in every encoding, compressed once per process (about a second)."""
    with _lock:
        return _encodings()


def bundle_version() -> str | None:
    """The plotly.js version written in the bundle's banner (None when absent)."""
    with BUNDLE_PATH.open("rb") as handle:
        match = _VERSION.search(handle.read(400))
    return match.group(1).decode() if match else None


def chosen_encoding(accept_encoding: str) -> str:
    """``br`` when the browser accepts it, else ``gzip``, else ``identity``."""
    accepted = {part.split(";")[0].strip().lower() for part in accept_encoding.split(",")}
    for name in ("br", "gzip"):
        if name in accepted:
            return name
    return "identity"


def bundle_response() -> flask.Response:
    """The bundle, compressed as the browser accepts, revalidated by its ETag."""
    encoded = encodings()[chosen_encoding(flask.request.headers.get("Accept-Encoding", ""))]
    response = flask.Response(encoded.body, mimetype="text/javascript")
    if encoded.encoding != "identity":
        # Flask-Compress leaves a response that already has an encoding as it is.
        response.headers["Content-Encoding"] = encoded.encoding
    response.headers["Vary"] = "Accept-Encoding"
    response.set_etag(encoded.etag)
    response.cache_control.no_cache = True
    response.cache_control.public = True
    return response.make_conditional(flask.request)
