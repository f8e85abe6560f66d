"""Téléchargements: the published scores, réalisations exemplaires and territories as open
data, with their data dictionary, and the ways to reuse them by machine: the read API, the
Frictionless data package and the DCAT-AP catalogue."""

from typing import Any

import dash
from dash import Input, Output, callback, dcc, html

from dashboards import catalogue, data, data_package, downloads, ids
from dashboards.api import API_PREFIX
from dashboards.components import (
    Column,
    data_table,
    notice,
    page_title,
    query_string,
    radio_choice,
    table_details,
)
from dashboards.formatting import format_date, format_integer

dash.register_page(
    __name__,
    path="/telechargements",
    name="Téléchargements",
    title="Téléchargements — Observatoire de la maturité numérique des territoires",
    description="Les indices, scores, réponses, réalisations exemplaires et territoires de "
    "l'observatoire en données ouvertes, avec leur API et leurs métadonnées.",
    order=7,
)

#: The millésime choice's value for "every millésime".
ALL = "tous"


def parse_period(value: Any, millesimes: list[int]) -> int | str:
    """The millésime an address asks for, ``"tous"``, or the latest one by default."""
    if value == ALL:
        return ALL
    try:
        asked = int(value)
    except (TypeError, ValueError):
        asked = None
    if asked in millesimes:
        return asked
    return max(millesimes) if millesimes else ALL


def file_href(name: str) -> str:
    """Address of a file served by the download route."""
    return dash.get_relative_path(f"/donnees/{name}")


def dataset_card(dataset: downloads.Dataset, period: int | str) -> html.Section:
    """A dataset: what it holds, its three files, its data dictionary."""
    millesime = None if period == ALL or not dataset.per_millesime else int(period)
    rows = len(downloads.dataset_frame(dataset, millesime))
    if not dataset.per_millesime:
        scope = "toutes les fiches publiées"
    else:
        scope = "tous les millésimes" if millesime is None else f"millésime {millesime}"
    links = [
        html.Li(
            html.A(
                [
                    file_format.label,
                    html.Span(
                        f" — {dataset.title.lower()}, {scope}, {format_integer(rows)} lignes",
                        className="visually-hidden",
                    ),
                ],
                href=file_href(downloads.file_name(dataset.name, millesime, suffix)),
                download=f"observatoire-{downloads.file_name(dataset.name, millesime, suffix)}",
                className="button-link",
            )
        )
        for suffix, file_format in downloads.FORMATS.items()
    ]
    dictionary = downloads.dictionary_frame(dataset)
    table = data_table(
        f"Dictionnaire des données : {dataset.title.lower()}",
        [
            Column("Colonne", "colonne"),
            Column("Type", "type"),
            Column("Description", "description"),
            Column("Unité", "unite"),
            Column("Contraintes", "contraintes"),
        ],
        dictionary.to_dict("records"),
    )
    dictionary_links = [
        html.A(
            f"dictionnaire ({downloads.FORMATS[suffix].label})",
            href=file_href(downloads.dictionary_name(dataset.name, suffix)),
            download=f"observatoire-{downloads.dictionary_name(dataset.name, suffix)}",
        )
        for suffix in downloads.DICTIONARY_FORMATS
    ]
    return html.Section(
        [
            html.H2(dataset.title),
            html.P(dataset.description),
            html.P(
                f"{format_integer(rows)} lignes, {len(dataset.fields)} colonnes ({scope}).",
                className="dataset-size",
            ),
            html.Ul(links, className="download-links", **{"aria-label": "Fichiers"}),
            table_details(
                f"Dictionnaire des données ({len(dataset.fields)} colonnes)",
                table,
            ),
            html.P(
                ["Télécharger le ", dictionary_links[0], " ou le ", dictionary_links[1], "."],
                className="note",
            ),
        ],
        className="card dataset",
        id=f"jeu-{dataset.name}",
    )


#: The ways to reuse the data by machine: (label, address, what it is for).
MACHINE_ACCESS = (
    (
        "API et données ouvertes",
        "/api",
        "la présentation de l'API de lecture : chaque adresse, ses paramètres et des exemples "
        "d'appels, pour interroger les données par territoire, axe ou millésime.",
    ),
    (
        "Description OpenAPI",
        f"{API_PREFIX}/openapi.json",
        "la description OpenAPI 3 de l'API, à importer dans un outil ou pour générer un client.",
    ),
    (
        "Explorateur de l'API",
        f"{API_PREFIX}/docs",
        "un explorateur interactif, pour essayer chaque requête de l'API depuis le navigateur "
        "et voir sa réponse.",
    ),
    (
        "Paquet de données (datapackage.json)",
        data_package.DATA_PACKAGE_PATH,
        "le schéma Frictionless de chaque fichier CSV standard (types, unités, contraintes, "
        "clés), pour vérifier les fichiers avec « frictionless validate ».",
    ),
    (
        "Catalogue DCAT-AP (catalogue.jsonld)",
        catalogue.CATALOGUE_PATH,
        "la description des jeux de données en JSON-LD, que data.gouv.fr ou un autre portail "
        "de données ouvertes peut moissonner.",
    ),
)


def machine_access() -> html.Section:
    """Links to the API, its description and the metadata of the files, one sentence each."""
    items = [
        html.Li(
            [
                dcc.Link(label, href=dash.get_relative_path(path))
                if path == "/api"
                else html.A(label, href=dash.get_relative_path(path)),
                f" : {purpose}",
            ]
        )
        for label, path, purpose in MACHINE_ACCESS
    ]
    return html.Section(
        [html.H2("API et métadonnées"), html.Ul(items)],
        className="card",
        id="acces-machine",
    )


def body(period: int | str) -> list[Any]:
    """Every dataset card, then the licence and the publication they come from."""
    info = data.publication()
    published = (
        f"Publication du {format_date(info['published_at'])}."
        if info and info["published_at"]
        else ""
    )
    return [
        *(dataset_card(dataset, period) for dataset in downloads.DATASETS.values()),
        html.P(
            [
                "Données publiées sous ",
                html.A(downloads.LICENCE, href=downloads.LICENCE_URL, rel="license"),
                ", la licence des données publiques françaises : réutilisation libre, y "
                "compris commerciale, en citant la source « Observatoire de la maturité "
                f"numérique des territoires ». {published}",
            ],
            className="note",
        ),
    ]


def _page(millesimes: list[int], period: int | str | None, status: Any = None) -> html.Div:
    options = [{"label": str(m), "value": m} for m in millesimes]
    options.append({"label": "Tous les millésimes", "value": ALL})
    return html.Div(
        [
            dcc.Location(id=ids.DOWNLOADS_URL, refresh=False),
            page_title(
                "Téléchargements",
                "Les indices, les scores par axe, les réponses, les réalisations exemplaires "
                "et les territoires en données ouvertes : CSV pour Excel (séparateur « ; », "
                "virgule décimale), CSV standard, Parquet ou JSON, chacun avec son "
                "dictionnaire des données.",
            ),
            machine_access(),
            html.Div(status, id=ids.DOWNLOADS_STATUS),
            html.Div(
                radio_choice(ids.DOWNLOADS_MILLESIME, "Millésime", options, period),
                className="controls",
                hidden=period is None,
            ),
            html.Div(
                body(period) if period is not None else [],
                id=ids.DOWNLOADS_BODY,
                className="datasets",
                **{"aria-live": "polite"},
            ),
            html.P(
                "Dans les deux CSV, un texte qui commence par =, +, -, @ est précédé d'une "
                "apostrophe pour qu'un tableur ne l'exécute pas comme une formule ; le "
                "Parquet et le JSON gardent les valeurs telles quelles, typées. Les sauts de "
                "ligne des textes sont gardés, entre guillemets.",
                className="note",
            ),
        ]
    )


def layout(millesime: str | None = None, **_: Any) -> html.Div:
    """The page for ``?millesime=2025`` or ``?millesime=tous`` (default: latest)."""
    try:
        millesimes = data.millesimes()
        if not millesimes:
            return _page([], None, notice("Aucun millésime n'est encore publié."))
        return _page(millesimes, parse_period(millesime, millesimes))
    except data.PublicationError as error:
        return _page([], None, notice(str(error), error=True))


@callback(
    Output(ids.DOWNLOADS_BODY, "children"),
    Output(ids.DOWNLOADS_URL, "search"),
    Output(ids.DOWNLOADS_STATUS, "children"),
    Input(ids.DOWNLOADS_MILLESIME, "value"),
    prevent_initial_call=True,
)
def show_period(period: int | str) -> tuple[Any, ...]:
    """Show the files of the chosen millésime and keep the address in step."""
    try:
        return body(period), query_string(millesime=period), None
    except data.PublicationError as error:
        return dash.no_update, dash.no_update, notice(str(error), error=True)
