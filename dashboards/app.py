"""The Dash application: shell (header, navigation, footer), pages and the GeoJSON route.

``create_app()`` builds the app; ``server`` is the Flask server for
``gunicorn dashboards.app:server``.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import dash
import flask
from dash import Input, Output, dcc, html
from dash.development.base_component import Component
from flask_compress import Compress

from dashboards import catalogue, data, data_package, downloads, ids, plotly_bundle
from dashboards.api import register_api
from dashboards.components import (
    ACHIEVEMENTS_PATH,
    API_PAGE_PATH,
    AXES_PATH,
    COMPARE_PATH,
    DEPOSIT_PATH,
    DOWNLOADS_PATH,
    FICHE_PATH,
    METHODOLOGY_PATH,
    NOINDEX_PATHS,
    QUALITY_PATH,
    RANKINGS_PATH,
)
from dashboards.formatting import format_number, format_publication
from dashboards.response_cache import cache_callback_responses
from domain.submissions.service import max_request_bytes, max_upload_bytes

PACKAGE_DIR = Path(__file__).resolve().parent
#: Where the open-data files are served (see :mod:`dashboards.downloads`).
DOWNLOADS_ROUTE = "/donnees/<name>"
#: Set to 0 to not warm the shared cache after each publication (the in-process tests).
WARM_CACHE_ENV = "OBSERVATOIRE_WARM_CACHE"
TITLE = "Observatoire de la maturité numérique des territoires"

# The default Dash page, in French (``lang="fr"``) and with a skip link for keyboard users.
INDEX_STRING = """<!DOCTYPE html>
<html lang="fr">
    <head>
        {%metas%}
        <title>{%title%}</title>
        {%favicon%}
        {%css%}
    </head>
    <body>
        <a class="skip-link" href="#contenu">Aller au contenu</a>
        {%app_entry%}
        {%config%}
        {%scripts%}
        {%renderer%}
    </body>
</html>
"""

NAVIGATION = (
    (ids.NAV_NATIONAL, "Vue nationale", "/"),
    (ids.NAV_RANKINGS, "Classements", RANKINGS_PATH),
    (ids.NAV_TERRITORY, "Fiche territoire", FICHE_PATH),
    (ids.NAV_COMPARE, "Comparer", COMPARE_PATH),
    (ids.NAV_AXES, "Axes", AXES_PATH),
    (ids.NAV_ACHIEVEMENTS, "Réalisations", ACHIEVEMENTS_PATH),
    (ids.NAV_QUALITY, "Qualité des données", QUALITY_PATH),
    (ids.NAV_METHODOLOGY, "Méthodologie", METHODOLOGY_PATH),
    (ids.NAV_DOWNLOADS, "Téléchargements", DOWNLOADS_PATH),
    (ids.NAV_DEPOSIT, "Déposer un fichier", DEPOSIT_PATH),
)


def footer_text() -> list[Any]:
    """Where the data come from, with the date and version of the current publication."""
    source = (
        "Données : questionnaires déposés par les collectivités, validés puis agrégés par "
        "le pipeline de l'observatoire. "
    )
    try:
        info = data.publication()
    except data.PublicationError:
        return [source, "Aucune donnée publiée pour l'instant."]
    if info is None or info["published_at"] is None:
        return [source, "Date de publication inconnue."]
    return [source, f"Publication du {format_publication(info['published_at'], info['version'])}."]


def shell() -> html.Div:
    """Layout of every page, reading no data (Dash calls it once when the app is built).

    The footer is filled by a callback, with the publication current at each visit.
    """
    return html.Div(
        [
            dcc.Location(id=ids.APP_URL, refresh=False),
            html.Header(
                html.Div(
                    [
                        dcc.Link(TITLE, href=dash.get_relative_path("/"), className="brand"),
                        html.Nav(
                            html.Ul(
                                [
                                    html.Li(
                                        dcc.Link(
                                            label,
                                            id=nav_id,
                                            href=dash.get_relative_path(path),
                                            className="nav-link",
                                        )
                                    )
                                    for nav_id, label, path in NAVIGATION
                                ]
                            ),
                            **{"aria-label": "Navigation principale"},
                        ),
                    ],
                    className="wrapper header-inner",
                ),
                className="site-header",
            ),
            html.Main(dash.page_container, id="contenu", className="wrapper", tabIndex="-1"),
            html.Footer(
                html.Div(
                    [
                        html.P(id=ids.FOOTER_SOURCE),
                        html.P(
                            dcc.Link(
                                "API et données ouvertes",
                                href=dash.get_relative_path(API_PAGE_PATH),
                            )
                        ),
                    ],
                    className="wrapper",
                ),
                id=ids.FOOTER,
                className="site-footer",
            ),
        ]
    )


def active_links(pathname: str | None) -> list[str]:
    """CSS classes of the navigation links, marking the one of the current page (a page
    under it too: a sheet marks Réalisations)."""
    current = dash.strip_relative_path(pathname or "/") or ""
    classes = []
    for _, _, path in NAVIGATION:
        section = path.strip("/")
        active = current == section or (section != "" and current.startswith(section + "/"))
        classes.append("nav-link active" if active else "nav-link")
    return classes


def geojson_response(level: str) -> flask.Response:
    """GeoJSON of the régions (``REG``) or départements (``DEP``) for the maps."""
    if level not in data.MAP_LEVELS:
        flask.abort(404)
    try:
        collection = data.map_geojson(level)
    except data.PublicationError as error:
        return flask.Response(str(error), status=503, mimetype="text/plain")
    response = flask.jsonify(collection)
    # The pages ask for it with ``?v=<publication version>``, so it can be kept a day.
    response.cache_control.public = True
    response.cache_control.max_age = 86400
    return response


def download_response(name: str) -> flask.Response:
    """A file of the Téléchargements page (dataset or data dictionary), as an attachment."""
    try:
        version = data.publication_version()
        content, file_format = downloads.render(name, data.millesimes())
        info = data.publication()
    except downloads.UnknownFile as error:
        return flask.Response(str(error), status=404, mimetype="text/plain")
    except data.PublicationError as error:
        return flask.Response(str(error), status=503, mimetype="text/plain")
    response = flask.Response(content, mimetype=file_format.mimetype)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{downloads.download_name(name, info and info["version"])}"'
    )
    # The same name gives the same bytes until the next publication.
    response.set_etag(f"{version}-{name}")
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    return response.make_conditional(flask.request)


def request_too_large(_error: Exception) -> flask.Response:
    """A request body over the limit, refused from its declared length (HTTP 413), in French."""
    limit = format_number(max_upload_bytes() / 1e6, 0)
    message = (
        f"Envoi refusé : il dépasse la taille maximale d'un dépôt ({limit}\u00a0Mo par "
        "fichier). Un questionnaire tient en quelques kilo-octets : vérifiez qu'il s'agit du "
        "bon fichier."
    )
    return flask.Response(message, status=413, mimetype="text/plain")


def validation_skeleton(layout: Component) -> dict[str, Any]:
    """What the browser checks callbacks against: each component with an id, and its type.

    Dash Pages validates the callbacks against every page's layout, sent in the
    configuration of each page: with the data they hold (the rankings grid, the map, the
    tables) that was 1.2 MB of HTML for every page opened. Ids and component types are all
    the renderer looks at (an id exists; the property belongs to that type of component),
    so the skeleton is a ``Div`` of id-only components, in the renderer's JSON form.
    """
    # ``_traverse_ids`` yields the descendants that have an id; the root is checked here.
    named = [c for c in (layout, *layout._traverse_ids()) if getattr(c, "id", None) is not None]
    return {
        "type": "Div",
        "namespace": "dash_html_components",
        "props": {
            "children": [
                {"type": c._type, "namespace": c._namespace, "props": {"id": c.id}} for c in named
            ]
        },
    }


class ObservatoireDash(dash.Dash):
    """Dash, with the page shown while the app loads written in French, and a light
    validation layout (:func:`validation_skeleton`)."""

    def interpolate_index(self, **kwargs: Any) -> str:
        kwargs["app_entry"] = kwargs["app_entry"].replace("Loading...", "Chargement…")
        return super().interpolate_index(**kwargs)

    def _config(self) -> dict[str, Any]:
        config = super()._config()
        layout = config.get("validation_layout")
        if isinstance(layout, Component):
            # Built once per validation layout (Dash builds it on the first request).
            if getattr(self, "_skeleton_of", (None, None))[0] is not layout:
                self._skeleton_of = (layout, validation_skeleton(layout))
            config["validation_layout"] = self._skeleton_of[1]
        return config


def serialise_request_hooks(server: flask.Flask) -> None:
    """Run the app's ``before_request`` hooks one request at a time.

    Dash does its first-request set-up in these hooks (server set-up, then the Pages router,
    which builds every page's layout to validate the callbacks against). Each hook marks
    itself done *before* its work: a request arriving meanwhile (a second visitor, a second
    tab) skipped it and received a page without the validation layout, whose callbacks then
    failed in the browser ("ID not found in layout"). Behind one lock the later request
    waits for the set-up; afterwards each hook returns at once, so the lock costs nothing.
    """
    lock = threading.Lock()

    def locked(hook: Callable[[], Any]) -> Callable[[], Any]:
        run_hook = server.ensure_sync(hook)  # Dash's router hook may be a coroutine function

        def run() -> Any:
            with lock:
                return run_hook()

        return run

    hooks = server.before_request_funcs.get(None, [])
    server.before_request_funcs[None] = [locked(hook) for hook in hooks]


#: Compression of the responses (Flask-Compress): brotli where the browser accepts it, else
#: gzip (deflate for streamed files, which Flask-Compress never gzips). Level 5 of brotli
#: compresses plotly.js (4.7 MB) to a quarter in a fraction of a second, once per visitor
#: whose browser does not hold it yet (the bundles are then cached, see below).
COMPRESSION = {
    "COMPRESS_ALGORITHM": ["br", "gzip"],
    "COMPRESS_ALGORITHM_STREAMING": ["br", "deflate"],
    "COMPRESS_BR_LEVEL": 5,
    "COMPRESS_LEVEL": 6,
    # The files of ``static/`` (Dash's blueprint ``_dash_assets``) are streamed: their ETag
    # gains the encoding once compressed, so only Flask-Compress can answer 304 to it.
    "COMPRESS_STREAMING_ENDPOINT_CONDITIONAL": ["static", "_dash_assets.static"],
    # Flask-Compress's default list, plus the API's CSV (also the CSV downloads) and the
    # JSON-LD of the data catalogue.
    "COMPRESS_MIMETYPES": [
        *("text/html", "text/css", "text/plain", "text/xml", "text/x-component"),
        *("text/javascript", "application/x-javascript", "application/javascript"),
        *("application/json", "application/manifest+json", "application/vnd.api+json"),
        *("application/xml", "application/xhtml+xml", "application/rss+xml"),
        *("application/atom+xml", "application/vnd.ms-fontobject", "application/x-font-ttf"),
        *("application/x-font-opentype", "application/x-font-truetype", "image/svg+xml"),
        *("image/x-icon", "image/vnd.microsoft.icon", "font/ttf", "font/eot", "font/otf"),
        "font/opentype",
        *("text/csv", "application/ld+json", "application/geo+json"),
    ],
}


def revalidated(response: flask.Response) -> flask.Response:
    """Let the browser keep what it was sent, and ask again only whether it changed.

    Dash sends its fingerprinted bundles (plotly.js, React, the components; a new version
    changes their address) with a year of ``max-age``, and Flask sends the files of
    ``static/`` with an ETag. Everything else fetched with GET (the page, the app's layout
    and callbacks, ``_dash-dependencies``) had no validator and was sent again in full at
    every visit: it gets an ETag and ``Cache-Control: no-cache``, so that a second visit
    receives ``304 Not Modified`` for what did not change. Runs before the compression
    (whose own ETag carries the encoding).
    """
    if (
        flask.request.method == "GET"
        and response.status_code == 200
        and not response.is_streamed
        and "Cache-Control" not in response.headers
        and "ETag" not in response.headers
    ):
        response.add_etag()
        response.cache_control.no_cache = True
        response.make_conditional(flask.request)
    return response


#: Dash's rule that serves its page for every other address.
DASH_CATCH_ALL = "/<path:path>"


def page_patterns() -> list[re.Pattern[str]]:
    """One pattern per page of Dash Pages (a path template's ``<variable>`` matches one
    segment), over addresses without their leading and trailing ``/``."""
    patterns = []
    for page in dash.page_registry.values():
        template = (page.get("path_template") or page["path"]).strip("/")
        parts = [
            "[^/]+" if part.startswith("<") and part.endswith(">") else re.escape(part)
            for part in template.split("/")
        ]
        patterns.append(re.compile("/".join(parts)))
    return patterns


def unknown_address(response: flask.Response) -> flask.Response:
    """Answer an address no page serves with HTTP 404 (the page is Dash's, which shows the
    French « Page introuvable »), so that links checkers and search engines see it."""
    if flask.request.endpoint == DASH_CATCH_ALL and response.status_code == 200:
        path = dash.strip_relative_path(flask.request.path) or ""
        if not any(pattern.fullmatch(path) for pattern in page_patterns()):
            response.status_code = 404
    return response


def not_indexed(response: flask.Response) -> flask.Response:
    """Ask search engines not to index the pages of :data:`NOINDEX_PATHS` (the review)."""
    if flask.request.path.rstrip("/") in NOINDEX_PATHS:
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


def create_app() -> dash.Dash:
    """Build the dashboard: Dash Pages from ``dashboards/pages``, static files, routes."""
    app = ObservatoireDash(
        "dashboards",
        use_pages=True,
        pages_folder=str(PACKAGE_DIR / "pages"),
        assets_folder=str(PACKAGE_DIR / "static"),
        title=TITLE,
        update_title=None,
        serve_locally=True,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
    )
    app.index_string = INDEX_STRING
    app.layout = shell
    app.server.config.update(COMPRESSION)
    Compress(app.server)
    # Registered after the compression, so run before it (Flask runs these in reverse).
    app.server.after_request(revalidated)
    app.server.after_request(not_indexed)
    # Registered after ``revalidated``, so run before it: a 404 gets no ETag.
    app.server.after_request(unknown_address)
    # Werkzeug refuses a longer body from its Content-Length before reading any of it.
    app.server.config["MAX_CONTENT_LENGTH"] = max_request_bytes()
    app.server.register_error_handler(413, request_too_large)
    app.server.add_url_rule(
        "/carte/<level>.geojson", "carte_geojson", geojson_response, methods=["GET"]
    )
    # Fixed addresses, which Werkzeug matches before ``/donnees/<name>``.
    app.server.add_url_rule(
        data_package.DATA_PACKAGE_PATH, "datapackage", data_package.data_package_response
    )
    app.server.add_url_rule(catalogue.CATALOGUE_PATH, "catalogue", catalogue.catalogue_response)
    app.server.add_url_rule(DOWNLOADS_ROUTE, "donnees", download_response, methods=["GET"])
    # A fixed address wins over Dash's ``_dash-component-suites/<package>/<path>``.
    app.server.add_url_rule(
        plotly_bundle.PLOTLY_ROUTE, "plotly_bundle", plotly_bundle.bundle_response
    )
    app.callback(
        [Output(nav_id, "className") for nav_id, _, _ in NAVIGATION],
        Input(ids.APP_URL, "pathname"),
    )(active_links)
    app.callback(Output(ids.FOOTER_SOURCE, "children"), Input(ids.APP_URL, "pathname"))(
        lambda _pathname: footer_text()
    )
    serialise_request_hooks(app.server)
    cache_callback_responses(app.server)
    # After the hooks are serialised: the rate limit's check runs outside Dash's set-up lock.
    register_api(app.server)
    return app


def warm_pages(dash_app: dash.Dash) -> None:
    """Build every page's default layout once, so that the queries the first visitors of a
    new publication need are already in the shared cache."""
    with dash_app.server.test_request_context("/"):
        for page in dash.page_registry.values():
            layout = page["layout"]
            if callable(layout):
                layout()
        for level in data.MAP_LEVELS:
            data.map_geojson(level)


app = create_app()
server = app.server
if os.environ.get(WARM_CACHE_ENV, "1") != "0":
    data.on_publication(lambda: warm_pages(app))
