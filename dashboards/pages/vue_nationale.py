"""Vue nationale: headline figures, map and distribution of maturity levels for a millésime."""

from __future__ import annotations

from typing import Any

import dash
import plotly.graph_objects as go
from dash import Input, Output, State, callback, dcc, html

from dashboards import data, ids
from dashboards.components import (
    Column,
    data_table,
    details_children,
    fiche_href,
    graph,
    kpi_card,
    millesime_choice,
    notice,
    page_title,
    parse_millesime,
    query_string,
    table_details,
)
from dashboards.figures import (
    base_layout,
    distribution_chart,
    level_distribution,
    level_name,
    territory_map,
)
from dashboards.formatting import format_integer, format_number, format_percent

dash.register_page(
    __name__,
    path="/",
    name="Vue nationale",
    title="Vue nationale — Observatoire de la maturité numérique des territoires",
    description="Indices de maturité numérique des collectivités françaises, par millésime.",
    order=0,
)

MAP_LEVEL_OPTIONS = [
    {"label": "Départements", "value": "DEP"},
    {"label": "Régions", "value": "REG"},
]
DEFAULT_MAP_LEVEL = "DEP"
MAP_TABLE_SUMMARY = "Voir les données de la carte sous forme de tableau"
DISTRIBUTION_TABLE_SUMMARY = "Voir la répartition sous forme de tableau"


def geojson_url(level: str) -> str:
    """URL of the GeoJSON of ``level``, versioned so browsers refetch it after a publication."""
    return dash.get_relative_path(f"/carte/{level}.geojson") + query_string(
        v=data.publication_version()
    )


def kpis(millesime: int) -> list[Any]:
    """The headline cards of ``millesime``."""
    summary = data.national_summary(millesime)
    return [
        kpi_card(
            "Territoires évalués",
            format_integer(summary.territories_scored),
            f"et {format_integer(summary.territories_insufficient)} aux données insuffisantes"
            if summary.territories_insufficient
            else "aucun répondant aux données insuffisantes",
        ),
        kpi_card("Indice global médian", format_number(summary.median_index), "sur 100"),
        kpi_card(
            "Territoires de niveau 4 ou 5",
            format_percent(summary.share_advanced),
            "des territoires évalués (Avancé ou Exemplaire)",
        ),
        kpi_card(
            "Fichiers reçus", format_integer(summary.files_received), f"millésime {millesime}"
        ),
        kpi_card(
            "Fichiers rejetés",
            format_integer(summary.files_rejected),
            "bloqués par une erreur de validation",
        ),
    ]


def map_parts(millesime: int, level: str) -> tuple[go.Figure, html.Table]:
    """The choropleth map of ``level`` for ``millesime`` and its table twin."""
    scores = data.scores(millesime)
    of_level = scores[scores["kind"] == level]
    figure = territory_map(of_level, geojson_url(level), data.maturity_levels())
    level_label = "départements" if level == "DEP" else "régions"
    rows = [
        {
            "territory": dcc.Link(row.name, href=fiche_href(row.code, millesime)),
            "global_index": row.global_index,
            "level": level_name(row.maturity_level, row.maturity_label),
        }
        for row in of_level.itertuples(index=False)
    ]
    table = data_table(
        f"Indice global des {level_label}, millésime {millesime}",
        [
            Column("Territoire", "territory", lambda link: link),
            Column("Indice global", "global_index", format_number, numeric=True),
            Column("Niveau de maturité", "level"),
        ],
        rows,
    )
    return figure, table


def distribution_parts(millesime: int) -> tuple[go.Figure, html.Table]:
    """The distribution of maturity levels by kind of territory and its table twin."""
    distribution = level_distribution(data.scores(millesime), data.maturity_levels())
    figure = distribution_chart(distribution)
    wide = distribution.pivot_table(
        index=["kind", "kind_label"], columns="level", values="territories", sort=False
    ).reset_index()
    categories = distribution.drop_duplicates("level")[["level", "label"]]
    columns = [Column("Catégorie de territoire", "kind_label")] + [
        Column(
            f"{row.level} {row.label}" if row.level else row.label,
            str(row.level),
            format_integer,
            numeric=True,
        )
        for row in categories.itertuples(index=False)
    ]
    rows = [
        {"kind_label": record["kind_label"], **{str(k): record[k] for k in categories["level"]}}
        for record in wide.to_dict("records")
    ]
    table = data_table(
        f"Nombre de territoires par niveau de maturité, millésime {millesime}", columns, rows
    )
    return figure, table


def _empty_figure() -> go.Figure:
    return go.Figure(layout=base_layout(xaxis={"visible": False}, yaxis={"visible": False}))


def _page(
    millesimes: list[int],
    millesime: int | None,
    level: str,
    status: Any = None,
) -> html.Div:
    """The page skeleton; every component a callback uses is always present."""
    if millesime is None:
        kpi_children: list[Any] = []
        map_figure = distribution_figure = _empty_figure()
        map_table: Any = None
        distribution_table: Any = None
    else:
        kpi_children = kpis(millesime)
        map_figure, map_table = map_parts(millesime, level)
        distribution_figure, distribution_table = distribution_parts(millesime)
    return html.Div(
        [
            dcc.Location(id=ids.NATIONAL_URL, refresh=False),
            dcc.Location(id=ids.NATIONAL_NAVIGATE, refresh="callback-nav"),
            page_title(
                "Vue nationale",
                "Indice global de maturité numérique (0 à 100) des collectivités "
                "qui ont répondu au questionnaire de l'observatoire.",
            ),
            html.Div(status, id=ids.NATIONAL_STATUS),
            html.Div(
                [
                    millesime_choice(ids.NATIONAL_MILLESIME, millesimes, millesime),
                ],
                className="controls",
                hidden=millesime is None,
            ),
            html.Section(
                kpi_children,
                id=ids.NATIONAL_KPIS,
                className="kpis",
                **{"aria-live": "polite", "aria-label": "Chiffres clés"},
            ),
            html.Div(
                [
                    html.Section(
                        [
                            html.Div(
                                [
                                    html.H2("Carte des indices"),
                                    html.Fieldset(
                                        [
                                            html.Legend("Échelon", className="visually-hidden"),
                                            dcc.RadioItems(
                                                id=ids.NATIONAL_MAP_LEVEL,
                                                options=MAP_LEVEL_OPTIONS,
                                                value=level,
                                                inline=True,
                                                className="choices toggle",
                                            ),
                                        ],
                                        className="control",
                                    ),
                                ],
                                className="card-header",
                            ),
                            graph(
                                ids.NATIONAL_MAP,
                                map_figure,
                                "Carte des indices globaux de maturité numérique",
                            ),
                            html.P(
                                "Chaque territoire est coloré selon son propre indice global ; "
                                "en gris, ceux qui n'ont pas de score ce millésime. Cliquez sur "
                                "un territoire pour ouvrir sa fiche. L'outre-mer figure dans le "
                                "tableau ci-dessous.",
                                className="note",
                            ),
                            table_details(
                                MAP_TABLE_SUMMARY,
                                map_table,
                                id=ids.NATIONAL_MAP_TABLE,
                            ),
                        ],
                        className="card card-map",
                    ),
                    html.Section(
                        [
                            html.H2("Niveaux de maturité par catégorie de territoire"),
                            graph(
                                ids.NATIONAL_DISTRIBUTION,
                                distribution_figure,
                                "Répartition des niveaux de maturité par catégorie de territoire",
                            ),
                            html.P(
                                "Part des territoires répondants de chaque catégorie à chaque "
                                "niveau, du niveau 1 (Découverte) au niveau 5 (Exemplaire).",
                                className="note",
                            ),
                            table_details(
                                DISTRIBUTION_TABLE_SUMMARY,
                                distribution_table,
                                id=ids.NATIONAL_DISTRIBUTION_TABLE,
                            ),
                        ],
                        className="card",
                    ),
                ],
                className="grid",
                hidden=millesime is None,
            ),
        ]
    )


def layout(millesime: str | None = None, echelon: str | None = None, **_: Any) -> html.Div:
    """The page for ``?millesime=…&echelon=DEP|REG`` (default: latest millésime, départements)."""
    level = echelon if echelon in data.MAP_LEVELS else DEFAULT_MAP_LEVEL
    try:
        millesimes = data.millesimes()
        selected = parse_millesime(millesime, millesimes)
        if selected is None:
            return _page([], None, level, notice("Aucun millésime n'est encore publié."))
        return _page(millesimes, selected, level)
    except data.PublicationError as error:
        return _page([], None, level, notice(str(error), error=True))


@callback(
    Output(ids.NATIONAL_KPIS, "children"),
    Output(ids.NATIONAL_DISTRIBUTION, "figure"),
    Output(ids.NATIONAL_DISTRIBUTION_TABLE, "children"),
    Output(ids.NATIONAL_STATUS, "children", allow_duplicate=True),
    Input(ids.NATIONAL_MILLESIME, "value"),
    prevent_initial_call=True,
)
def show_millesime(millesime: int) -> tuple[Any, ...]:
    """Refresh the headline figures and the distribution for the chosen millésime."""
    try:
        figure, table = distribution_parts(millesime)
        details = details_children(DISTRIBUTION_TABLE_SUMMARY, table)
        return kpis(millesime), figure, details, None
    except data.PublicationError as error:
        return dash.no_update, dash.no_update, dash.no_update, notice(str(error), error=True)


@callback(
    Output(ids.NATIONAL_MAP, "figure"),
    Output(ids.NATIONAL_MAP_TABLE, "children"),
    Output(ids.NATIONAL_URL, "search"),
    Output(ids.NATIONAL_STATUS, "children", allow_duplicate=True),
    Input(ids.NATIONAL_MILLESIME, "value"),
    Input(ids.NATIONAL_MAP_LEVEL, "value"),
    prevent_initial_call=True,
)
def show_map(millesime: int, level: str) -> tuple[Any, ...]:
    """Redraw the map for the chosen millésime and level, and keep the URL in step."""
    search = query_string(
        millesime=millesime, echelon=None if level == DEFAULT_MAP_LEVEL else level
    )
    try:
        figure, table = map_parts(millesime, level)
    except data.PublicationError as error:
        return dash.no_update, dash.no_update, search, notice(str(error), error=True)
    return figure, details_children(MAP_TABLE_SUMMARY, table), search, None


@callback(
    Output(ids.NATIONAL_NAVIGATE, "href"),
    Input(ids.NATIONAL_MAP, "clickData"),
    State(ids.NATIONAL_MILLESIME, "value"),
    prevent_initial_call=True,
)
def open_fiche(click: dict[str, Any] | None, millesime: int | None) -> str:
    """Open the fiche of the territory clicked on the map."""
    points = (click or {}).get("points") or []
    code = points[0].get("location") if points else None
    if not code:
        return dash.no_update
    return fiche_href(code, millesime)
