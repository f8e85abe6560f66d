"""Vue nationale: headline figures, map and distribution of maturity levels for a millésime."""

from dataclasses import dataclass
from html import escape
from typing import Any

import dash
import pandas as pd
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
    labelled_dropdown,
    millesime_choice,
    notice,
    page_title,
    parse_millesime,
    query_string,
    table_details,
)
from dashboards.figures import (
    DEFAULT_MAP_LAYERS,
    MAP_LAYERS,
    MAP_TRACES,
    MARKER_LAYERS,
    base_layout,
    bounded_markers,
    colour_bar,
    distribution_chart,
    level_distribution,
    level_name,
    map_values,
    territory_map,
)
from dashboards.formatting import format_integer, format_number, format_percent
from schemas.vocabulary import KIND_SHORT_PLURALS

dash.register_page(
    __name__,
    path="/",
    name="Vue nationale",
    title="Vue nationale — Observatoire de la maturité numérique des territoires",
    description="Indices de maturité numérique des collectivités françaises, par millésime.",
    order=0,
)

MAP_LEVEL_OPTIONS = [
    {"label": KIND_SHORT_PLURALS[level], "value": level} for level in data.MAP_LEVELS
]
DEFAULT_MAP_LEVEL = "DEP"
#: The measure choice's value for the global index.
INDEX = "indice"
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


@dataclass(frozen=True)
class MapView:
    """What the map shows: millésime, outlined level, measure (None = global index), layers."""

    millesime: int
    level: str = DEFAULT_MAP_LEVEL
    axis: str | None = None
    layers: tuple[str, ...] = DEFAULT_MAP_LAYERS


def parse_layers(value: str | None) -> tuple[str, ...]:
    """Layers an address asks for (``couches=contours,communes``), the default ones when
    absent; ``couches=aucune`` hides every layer."""
    if value is None:
        return DEFAULT_MAP_LAYERS
    return tuple(layer for layer in MAP_LAYERS if layer in value.split(","))


def layers_parameter(layers: tuple[str, ...]) -> str | None:
    """The address form of the layers (None for the default ones)."""
    if tuple(layers) == DEFAULT_MAP_LAYERS:
        return None
    return ",".join(layers) or "aucune"


def measure_label(axis: str | None) -> str:
    """What colours the map, in French."""
    if axis is None:
        return "Indice global"
    return str(data.axes().set_index("code").at[axis, "label"])


def map_frames(view: MapView) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The outlined territories and the markers, with their measure: a marker layer with
    too many territories for an SVG map is drawn as one disc per département
    (:func:`~dashboards.figures.maps.bounded_markers`)."""
    measured = data.measure(view.millesime, view.axis)
    marker_kinds = {kind for kinds in MARKER_LAYERS.values() for kind in kinds}
    departements = measured[measured["kind"] == "DEP"]
    markers = bounded_markers(
        measured[measured["kind"].isin(marker_kinds)],
        dict(zip(departements["code"], departements["name"], strict=True)),
    )
    return measured[measured["kind"] == view.level], markers


def map_table(view: MapView, outlines: pd.DataFrame, markers: pd.DataFrame) -> dcc.Markdown:
    """The table twin of the map: every territory it shows, with the measure.

    The same markup as :func:`~dashboards.components.data_table`, written as one HTML string
    (every value escaped) in a single component: as hundreds of Dash components, its rows
    took the browser tens of seconds to insert on a busy machine.
    """
    shown_kinds = {kind for layer in view.layers for kind in MARKER_LAYERS.get(layer, ())}
    parts = ([outlines] if "contours" in view.layers else []) + [
        markers[markers["kind"].isin(shown_kinds)]
    ]
    shown = pd.concat(parts) if parts else outlines.iloc[0:0]
    label = measure_label(view.axis)
    aggregated = (
        shown["aggregated"].eq(True).tolist()
        if "aggregated" in shown.columns
        else [False] * len(shown)
    )
    rows = []
    for row, grouped in zip(shown.itertuples(index=False), aggregated, strict=True):
        name = escape(row.name)
        if not grouped:  # a disc standing for a département's territories has no fiche
            name = f'<a href="{escape(fiche_href(row.code, view.millesime))}">{name}</a>'
        level = escape(level_name(row.maturity_level, row.maturity_label))
        rows.append(
            f"<tr><td>{name}</td><td>{escape(row.kind_label)}</td>"
            f'<td class="num">{escape(format_number(row.value))}</td><td>{level}</td></tr>'
        )
    caption = escape(f"{label} des territoires de la carte, millésime {view.millesime}")
    headers = (
        '<th scope="col">Territoire</th><th scope="col">Catégorie</th>'
        f'<th scope="col" class="num">{escape(label)}</th>'
        '<th scope="col">Niveau de maturité (indice global)</th>'
    )
    table = (
        f'<table class="data-table"><caption>{caption}</caption>'
        f"<thead><tr>{headers}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
    return dcc.Markdown(table, dangerously_allow_html=True)


def map_figure(view: MapView) -> go.Figure:
    """The national map for ``view``."""
    outlines, markers = map_frames(view)
    return territory_map(
        outlines,
        markers,
        geojson_url(view.level),
        data.maturity_levels(),
        measure_label(view.axis),
        view.layers,
    )


def map_patch(view: MapView) -> dash.Patch:
    """The changes that turn the map into ``view``: trace values only, never the geometry
    (a URL the browser has cached) nor the figure's layout."""
    outlines, markers = map_frames(view)
    label = measure_label(view.axis)
    patch = dash.Patch()
    for number, trace_values in enumerate(map_values(outlines, markers, label, view.layers)):
        for path, value in trace_values.items():
            target = patch["data"][number]
            for key in path[:-1]:
                target = target[key]
            target[path[-1]] = value
    scored = MAP_TRACES.index("outlines_scored")
    for number in (MAP_TRACES.index("outlines_unscored"), scored):
        patch["data"][number]["geojson"] = geojson_url(view.level)
    bar = colour_bar(data.maturity_levels(), label, view.axis is None)
    patch["data"][scored]["colorbar"]["title"]["text"] = bar["title"]["text"]
    patch["data"][scored]["colorbar"]["ticktext"] = bar["ticktext"]
    return patch


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


def measure_options() -> list[dict[str, str]]:
    """What can colour the map: the global index or one of the axes."""
    return [{"label": "Indice global", "value": INDEX}] + [
        {"label": f"Axe : {row.label}", "value": row.code} for row in data.axes().itertuples()
    ]


def _page(
    millesimes: list[int],
    view: MapView | None,
    status: Any = None,
) -> html.Div:
    """The page skeleton; every component a callback uses is always present."""
    millesime = view.millesime if view else None
    level = view.level if view else DEFAULT_MAP_LEVEL
    layers = view.layers if view else DEFAULT_MAP_LAYERS
    options: list[dict[str, str]] = []
    if view is None:
        kpi_children: list[Any] = []
        figure = distribution_figure = _empty_figure()
        distribution_table: Any = None
    else:
        kpi_children = kpis(view.millesime)
        figure = map_figure(view)
        distribution_figure, distribution_table = distribution_parts(view.millesime)
        options = measure_options()
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
                            html.Div(
                                [
                                    labelled_dropdown(
                                        "Colorer selon",
                                        ids.NATIONAL_MAP_MEASURE,
                                        wide=True,
                                        options=options,
                                        value=view.axis or INDEX if view else INDEX,
                                        clearable=False,
                                        searchable=False,
                                    ),
                                    html.Fieldset(
                                        [
                                            html.Legend("Afficher"),
                                            dcc.Checklist(
                                                id=ids.NATIONAL_MAP_LAYERS,
                                                options=[
                                                    {"label": label, "value": value}
                                                    for value, label in MAP_LAYERS.items()
                                                ],
                                                value=list(layers),
                                                inline=True,
                                                className="choices",
                                            ),
                                        ],
                                        className="control",
                                    ),
                                ],
                                className="map-controls",
                            ),
                            graph(
                                ids.NATIONAL_MAP,
                                figure,
                                "Carte des indices globaux de maturité numérique",
                            ),
                            html.P(
                                "Chaque territoire est coloré selon son propre indice global (ou "
                                "le score de l'axe choisi) ; les intercommunalités et les communes "
                                "sont des disques à leur siège, d'autant plus grands qu'elles sont "
                                "peuplées ; en gris, ceux qui n'ont pas de score ce millésime. "
                                "Cliquez sur un territoire pour ouvrir sa fiche. L'outre-mer "
                                "est dessiné dans les cadres à gauche de la métropole. Quand "
                                "une couche compte trop de territoires pour être dessinée "
                                "point par point, un disque par département en donne le "
                                "nombre et la moyenne.",
                                className="note",
                            ),
                            # The table twin is built when opened (show_map_table): its
                            # hundreds of rows are as many components, which would slow down
                            # every update of the page in the browser.
                            html.Details(
                                [
                                    html.Summary(
                                        MAP_TABLE_SUMMARY, id=ids.NATIONAL_MAP_TABLE_SUMMARY
                                    ),
                                    html.Div(
                                        id=ids.NATIONAL_MAP_TABLE_ROWS, className="table-scroll"
                                    ),
                                ],
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


def layout(
    millesime: str | None = None,
    echelon: str | None = None,
    axe: str | None = None,
    couches: str | None = None,
    **_: Any,
) -> html.Div:
    """The page for ``?millesime=…&echelon=DEP|REG&axe=DATA&couches=contours,communes``
    (default: latest millésime, départements, global index, outlines and intercommunalités)."""
    level = echelon if echelon in data.MAP_LEVELS else DEFAULT_MAP_LEVEL
    try:
        millesimes = data.millesimes()
        selected = parse_millesime(millesime, millesimes)
        if selected is None:
            return _page([], None, notice("Aucun millésime n'est encore publié."))
        axis = axe if axe in set(data.axes()["code"]) else None
        return _page(millesimes, MapView(selected, level, axis, parse_layers(couches)))
    except data.PublicationError as error:
        return _page([], None, notice(str(error), error=True))


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


#: The map's controls, in the order its callbacks take them: millésime, level, measure, layers.
_MAP_CONTROLS = [
    Input(control, "value")
    for control in (
        ids.NATIONAL_MILLESIME,
        ids.NATIONAL_MAP_LEVEL,
        ids.NATIONAL_MAP_MEASURE,
        ids.NATIONAL_MAP_LAYERS,
    )
]


def _view(millesime: int, level: str, measure: str | None, layers: list[str] | None) -> MapView:
    """The map view of the page's controls."""
    return MapView(
        millesime,
        level,
        None if measure in (None, INDEX) else measure,
        tuple(layer for layer in MAP_LAYERS if layer in (layers or [])),
    )


@callback(
    Output(ids.NATIONAL_MAP, "figure"),
    Output(ids.NATIONAL_URL, "search"),
    Output(ids.NATIONAL_STATUS, "children", allow_duplicate=True),
    *_MAP_CONTROLS,
    prevent_initial_call=True,
)
def show_map(
    millesime: int, level: str, measure: str | None, layers: list[str] | None
) -> tuple[Any, ...]:
    """Update the map's values (a patch: the geometry stays in the browser) for the chosen
    millésime, level, measure and layers, and keep the URL in step."""
    view = _view(millesime, level, measure, layers)
    search = query_string(
        millesime=millesime,
        echelon=None if level == DEFAULT_MAP_LEVEL else level,
        axe=view.axis,
        couches=layers_parameter(view.layers),
    )
    try:
        patch = map_patch(view)
    except data.PublicationError as error:
        return dash.no_update, search, notice(str(error), error=True)
    return patch, search, None


@callback(
    Output(ids.NATIONAL_MAP_TABLE_ROWS, "children"),
    Input(ids.NATIONAL_MAP_TABLE_SUMMARY, "n_clicks"),
    *_MAP_CONTROLS,
    prevent_initial_call=True,
)
def show_map_table(
    clicks: int | None, millesime: int, level: str, measure: str | None, layers: list[str] | None
) -> Any:
    """The map's table twin while it is open (an odd number of clicks on its summary, the
    keyboard's included), for the map's current view; nothing while it is closed."""
    if not (clicks or 0) % 2:
        return None
    view = _view(millesime, level, measure, layers)
    try:
        outlines, markers = map_frames(view)
        return map_table(view, outlines, markers)
    except data.PublicationError as error:
        return notice(str(error), error=True)


@callback(
    Output(ids.NATIONAL_NAVIGATE, "href"),
    Input(ids.NATIONAL_MAP, "clickData"),
    State(ids.NATIONAL_MILLESIME, "value"),
    prevent_initial_call=True,
)
def open_fiche(click: dict[str, Any] | None, millesime: int | None) -> str:
    """Open the fiche of the territory clicked on the map."""
    points = (click or {}).get("points") or []
    point = points[0] if points else {}
    # Outlines give their location; markers carry their code last in customdata.
    code = point.get("location") or (point.get("customdata") or [None])[-1]
    if not code:
        return dash.no_update
    return fiche_href(code, millesime)
