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
from dashboards.formatting import format_integer, format_publication

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


def dataset_card(
    dataset: downloads.Dataset, period: int | str, version: str | None = None
) -> html.Section:
    """A dataset: what it holds, its files (saved under names carrying the publication's
    ``version``), its data dictionary."""
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
                download=downloads.download_name(
                    downloads.file_name(dataset.name, millesime, suffix), version
                ),
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
            download=downloads.download_name(
                downloads.dictionary_name(dataset.name, suffix), version
            ),
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
        "Éditions de chaque millésime",
        f"{API_PREFIX}/editions",
        "les chiffres de chaque millésime tels qu'ils ont été publiés alors (la dernière "
        "publication où il était le plus récent), avec la version de la méthodologie qui les a "
        "calculés.",
    ),
    (
        "Paquet de données (datapackage.json)",
        data_package.DATA_PACKAGE_PATH,
        "le schéma Frictionless de chaque fichier CSV, standard et pour Excel (types, unités, "
        "contraintes, clés), pour vérifier les fichiers avec « frictionless validate ».",
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


def version_note(info: dict[str, Any] | None, period: int | str) -> html.P:
    """Which publication the files are, the version their names carry, and where the figures
    of past millésimes are kept as they were published."""
    editions = f"{API_PREFIX}/editions"
    past = [
        " Les chiffres de chaque millésime tels qu'ils ont été publiés alors, avec la version "
        "de la méthodologie qui les a calculés, restent disponibles dans l'API : ",
        html.A(editions, href=dash.get_relative_path(editions)),
        ".",
    ]
    if not info or info["published_at"] is None:
        return html.P(
            ["Date de publication inconnue.", *past], className="note", id=ids.DOWNLOADS_VERSION
        )
    version = info["version"]
    example = downloads.file_name("indices", None if period == ALL else int(period), "csv")
    return html.P(
        [
            "Les fichiers de cette page sont ceux de la publication du "
            f"{format_publication(info['published_at'], version)}.",
            *(
                [
                    " Le nom de chaque fichier téléchargé porte cette version : ",
                    html.Code(downloads.download_name(example, version)),
                    ".",
                ]
                if version
                else []
            ),
            *past,
        ],
        className="note",
        id=ids.DOWNLOADS_VERSION,
    )


def body(period: int | str) -> list[Any]:
    """The publication the files are, every dataset card, then the licence."""
    info = data.publication()
    version = info.get("version") if info else None
    return [
        version_note(info, period),
        *(dataset_card(dataset, period, version) for dataset in downloads.DATASETS.values()),
        html.P(
            [
                "Données publiées sous ",
                html.A(downloads.LICENCE, href=downloads.LICENCE_URL, rel="license"),
                ", la licence des données publiques françaises : réutilisation libre, y "
                "compris commerciale, en citant la source « Observatoire de la maturité "
                "numérique des territoires ».",
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
