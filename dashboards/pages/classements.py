"""Classements: every territory of a millésime in a sortable grid, with honest rank intervals.

The grid (AG Grid, served locally by dash-ag-grid) holds no row in the layout: it asks the
server for one page at a time (infinite row model, :mod:`dashboards.paging`), and the
filters (kind, région, population band, a name), the sort and the page are applied by DuckDB
(:func:`data.ranking_page`), so the browser receives a page of rows whatever the number of
territories. The millésime, the filters and the sort are kept in the address, so a shared
link reopens the same view. The whole table is offered on the Téléchargements page.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import dash
import dash_ag_grid as dag
import pandas as pd
from dash import Input, Output, State, callback, clientside_callback, dcc, html

from dashboards import data, ids
from dashboards.components import (
    DOWNLOADS_PATH,
    DROPDOWN_LABELS,
    FICHE_PATH,
    GRID_LOCALE_TEXT,
    labelled_dropdown,
    millesime_choice,
    notice,
    page_title,
    parse_millesime,
    query_parameters,
    query_string,
)
from dashboards.figures import SHORT_AXIS_LABELS
from dashboards.formatting import format_integer
from dashboards.paging import (
    infinite_grid_options,
    requested_sort,
    requested_text,
    requested_window,
    rows_response,
)
from schemas.vocabulary import (
    INSUFFICIENT_DATA_LABEL,
    KIND_SHORT_PLURALS,
    POPULATION_BANDS,
    TERRITORY_KINDS,
)

dash.register_page(
    __name__,
    path="/classements",
    name="Classements",
    title="Classements — Observatoire de la maturité numérique des territoires",
    description="Classement des collectivités par indice de maturité numérique et par axe.",
    order=1,
)

#: Population bands as the address names them (``tranche=1`` … ``5``).
BANDS = {str(number): label for number, (_, label) in enumerate(POPULATION_BANDS, start=1)}
#: Sort of a first visit: the best global index first.
DEFAULT_SORT = ("global_index", "desc")
#: Columns the address may sort on (grid field → short name in the address).
SORT_NAMES = {
    "territoire": "nom",
    "kind_label": "categorie",
    "region_name": "region",
    "population": "population",
    "global_index": "indice",
    "rank": "rang",
    "change": "evolution",
}
#: French texts of the filter dropdowns.
FILTER_LABELS = {
    **DROPDOWN_LABELS,
    "search": "Rechercher",
    "no_options_found": "Aucune option ne correspond",
}
#: French texts of the grid.
LOCALE_TEXT = {
    **GRID_LOCALE_TEXT,
    "noRowsToShow": "Aucun territoire ne correspond à ces filtres",
    "filterOoo": "Rechercher un nom…",
    "contains": "Contient",
}
#: Rows of one page of the grid (and of one request to the server).
PAGE_SIZE = 50
#: Grid columns the server sorts on → columns of :func:`data.ranking_page` (axes aside).
GRID_SORT_COLUMNS = {
    "territoire": "name",
    "kind_label": "kind_label",
    "region_name": "region_name",
    "population": "population",
    "global_index": "global_index",
    "rank": "rank",
    "change": "change",
}


@dataclass(frozen=True)
class RankingFilters:
    """What the grid shows: kinds (empty = all), one région, one population band, a sort."""

    kinds: tuple[str, ...] = ()
    region: str | None = None
    band: str | None = None
    sort: tuple[str, str] = field(default=DEFAULT_SORT)


def parse_sort(value: str | None) -> tuple[str, str]:
    """``"indice-desc"`` → ``("global_index", "desc")``; the default sort when unknown."""
    by_name = {name: column for column, name in SORT_NAMES.items()}
    by_name.update({f"axe_{code.lower()}": code for code in SHORT_AXIS_LABELS})
    name, _, direction = (value or "").partition("-")
    if name in by_name and direction in ("asc", "desc"):
        return by_name[name], direction
    return DEFAULT_SORT


def sort_name(sort: tuple[str, str]) -> str | None:
    """The address form of a sort (None for the default sort)."""
    if sort == DEFAULT_SORT:
        return None
    column, direction = sort
    name = SORT_NAMES.get(column) or (
        f"axe_{column.lower()}" if column in SHORT_AXIS_LABELS else None
    )
    return f"{name}-{direction}" if name else None


def parse_filters(parameters: dict[str, str], region_codes: set[str]) -> RankingFilters:
    """The filters an address asks for; unknown values are ignored."""
    kinds = tuple(
        kind for kind in (parameters.get("type") or "").split(",") if kind in TERRITORY_KINDS
    )
    region = parameters.get("region")
    band = parameters.get("tranche")
    return RankingFilters(
        kinds=kinds,
        region=region if region in region_codes else None,
        band=band if band in BANDS else None,
        sort=parse_sort(parameters.get("tri")),
    )


def ranking_query(
    millesime: int, filters: RankingFilters, text: str | None = None
) -> data.RankingQuery:
    """What the data door is asked for: ``filters`` of ``millesime``, and a name."""
    return data.RankingQuery(
        millesime=millesime,
        kinds=filters.kinds,
        region=filters.region,
        band=BANDS[filters.band] if filters.band else None,
        text=text,
    )


def search_of(millesime: int | None, filters: RankingFilters) -> str:
    """The query string of a view (only what differs from the defaults)."""
    return query_string(
        millesime=millesime,
        type=",".join(filters.kinds) or None,
        region=filters.region,
        tranche=filters.band,
        tri=sort_name(filters.sort),
    )


def _plain(value: Any) -> Any:
    return None if pd.isna(value) else value


def grid_rows(frame: pd.DataFrame, millesime: int) -> list[dict[str, Any]]:
    """Rows of the grid: plain JSON values, the territory as a Markdown link to its fiche."""
    axis_codes = [code for code in SHORT_AXIS_LABELS if code in frame.columns]
    rows = []
    for record in frame.to_dict("records"):
        href = dash.get_relative_path(FICHE_PATH) + query_string(
            code=record["code"], millesime=millesime
        )
        level = (
            f"{int(record['maturity_level'])} — {record['maturity_label']}"
            if not pd.isna(record["maturity_level"])
            else INSUFFICIENT_DATA_LABEL
        )
        row = {
            "code": record["code"],
            "name": record["name"],
            "territoire": f"[{record['name']}]({href})",
            "kind_label": record["kind_label"],
            "region_name": _plain(record["region_name"]),
            "population": _plain(record["population"]),
            "global_index": _plain(record["global_index"]),
            "level": level,
            "rank": _plain(record["rank"]),
            "peers": _plain(record["peers"]),
            "rank_p05": _plain(record["rank_p05"]),
            "rank_p95": _plain(record["rank_p95"]),
            "change": _plain(record["change"]),
            "previous_millesime": _plain(record["previous_millesime"]),
        }
        row.update({code: _plain(record[code]) for code in axis_codes})
        rows.append(row)
    return rows


def _number(digits: int) -> dict[str, str]:
    return {"function": f"frNumber(params.value, {digits})"}


def column_defs(axis_labels: dict[str, str], sort: tuple[str, str]) -> list[dict[str, Any]]:
    """The grid's columns; the sorted one carries ``sort``."""
    numeric = {"type": "rightAligned", "filter": False}
    columns: list[dict[str, Any]] = [
        {
            "field": "territoire",
            "headerName": "Territoire",
            "cellRenderer": "markdown",
            "pinned": "left",
            "width": 300,
            "tooltipField": "name",
            # Sought by the server in the names (accents and case aside).
            "filter": "agTextColumnFilter",
            "filterParams": {
                "filterOptions": ["contains"],
                "maxNumConditions": 1,
                "debounceMs": 400,
            },
            "floatingFilter": True,
            "suppressHeaderMenuButton": True,
        },
        {"field": "kind_label", "headerName": "Catégorie", "width": 150, "wrapText": True},
        {"field": "region_name", "headerName": "Région", "width": 150, "wrapText": True},
        {
            "field": "population",
            "headerName": "Population",
            "valueFormatter": _number(0),
            **numeric,
        },
        {
            "field": "global_index",
            "headerName": "Indice global",
            "headerTooltip": "Indice global de maturité numérique, de 0 à 100",
            "valueFormatter": _number(1),
            **numeric,
        },
        {"field": "level", "headerName": "Niveau", "width": 150},
        {
            "field": "rank",
            "headerName": "Rang (catégorie)",
            "headerTooltip": "Rang parmi les territoires de la même catégorie",
            "valueFormatter": {"function": "frRank(params)"},
            **numeric,
        },
        {
            "field": "rank_p05",
            "colId": "interval",
            "headerName": "Intervalle de rang",
            "headerTooltip": "Rangs obtenus dans 90 % des simulations où les pondérations "
            "varient (5e–95e centile)",
            "valueFormatter": {"function": "frInterval(params)"},
            "sortable": False,
            **numeric,
        },
        {
            "field": "change",
            "headerName": "Évolution",
            "headerTooltip": "Écart de l'indice global avec le millésime précédent où le "
            "territoire a répondu, en points",
            "valueFormatter": {"function": "frSigned(params.value)"},
            **numeric,
        },
    ]
    for code, label in axis_labels.items():
        columns.append(
            {
                "field": code,
                "headerName": SHORT_AXIS_LABELS.get(code, code),
                "headerTooltip": f"{label} (score de 0 à 100)",
                "valueFormatter": _number(1),
                **numeric,
            }
        )
    column, direction = sort
    for definition in columns:
        if definition["field"] == column and definition.get("sortable", True):
            definition["sort"] = direction
    return columns


def sort_from_column_state(state: list[dict[str, Any]] | None) -> tuple[str, str] | None:
    """The sort the visitor chose in the grid (None when the grid is not sorted)."""
    for column in state or []:
        if column.get("sort") in ("asc", "desc"):
            return column["colId"], column["sort"]
    return None


def kind_options(present: Iterable[str]) -> list[dict[str, str]]:
    """The kinds of territory of ``present`` (those the scope holds), largest first, as
    filter options: a kind the scope leaves out is not offered."""
    held = set(present)
    return [
        {"label": KIND_SHORT_PLURALS[kind], "value": kind}
        for kind in TERRITORY_KINDS
        if kind in held
    ]


def _count_text(shown: int, total: int) -> str:
    if shown == total:
        return f"{format_integer(shown)} territoires classés."
    return f"{format_integer(shown)} territoires affichés sur {format_integer(total)} classés."


def _page(
    millesimes: list[int], millesime: int | None, filters: RankingFilters, status: Any = None
) -> html.Div:
    """The page; every component a callback uses is always present."""
    count = ""
    axis_labels: dict[str, str] = {}
    region_options: list[dict[str, str]] = []
    kinds: list[dict[str, str]] = []
    if millesime is not None:
        kinds = kind_options(data.territories()["kind"].unique())
        count = _count_text(*data.ranking_count(ranking_query(millesime, filters)))
        axis_labels = dict(zip(data.axes()["code"], data.axes()["label"], strict=True))
        region_options = [
            {"label": row.name, "value": row.code} for row in data.regions().itertuples()
        ]
    return html.Div(
        [
            dcc.Location(id=ids.RANKINGS_URL, refresh=False),
            page_title(
                "Classements",
                "Les territoires classés par indice global ou par axe. Cliquez sur un en-tête "
                "de colonne pour trier, sur un nom pour ouvrir la fiche du territoire.",
            ),
            html.Div(status, id=ids.RANKINGS_STATUS),
            html.Div(
                [
                    millesime_choice(ids.RANKINGS_MILLESIME, millesimes, millesime),
                    labelled_dropdown(
                        "Catégories",
                        ids.RANKINGS_KINDS,
                        wide=True,
                        options=kinds,
                        value=list(filters.kinds),
                        multi=True,
                        placeholder="Toutes les catégories",
                        labels=FILTER_LABELS,
                    ),
                    labelled_dropdown(
                        "Région",
                        ids.RANKINGS_REGION,
                        options=region_options,
                        value=filters.region,
                        placeholder="Toutes les régions",
                        labels={**FILTER_LABELS, "search": "Rechercher une région"},
                    ),
                    labelled_dropdown(
                        "Population",
                        ids.RANKINGS_BAND,
                        options=[
                            {"label": label.capitalize(), "value": key}
                            for key, label in BANDS.items()
                        ],
                        value=filters.band,
                        placeholder="Toutes les tailles",
                        searchable=False,
                        labels=FILTER_LABELS,
                    ),
                ],
                className="controls",
                hidden=millesime is None,
            ),
            html.P(count, id=ids.RANKINGS_COUNT, className="note", **{"aria-live": "polite"}),
            html.Div(
                dag.AgGrid(
                    id=ids.RANKINGS_GRID,
                    rowModelType="infinite",
                    columnDefs=column_defs(axis_labels, filters.sort),
                    defaultColDef={
                        "sortable": True,
                        "resizable": True,
                        "width": 118,
                        "wrapHeaderText": True,
                        "autoHeaderHeight": True,
                    },
                    dashGridOptions=infinite_grid_options(
                        PAGE_SIZE, LOCALE_TEXT, tooltipShowDelay=300
                    ),
                    getRowId="params.data.code",
                    style={"height": "640px", "width": "100%"},
                    className="grille",
                ),
                role="region",
                **{"aria-label": "Classement des territoires"},
                hidden=millesime is None,
            ),
            html.P(
                [
                    "Le rang est celui du territoire parmi ceux de sa catégorie. L'intervalle "
                    "de rang dit où il se classe dans 90 % des simulations où les pondérations "
                    "des questions et des axes varient de ±25 % : un intervalle large signale "
                    "un rang qui dépend des choix de méthode. ",
                    dcc.Link(
                        "Télécharger ces données", href=dash.get_relative_path(DOWNLOADS_PATH)
                    ),
                    ".",
                ],
                className="note",
            ),
        ]
    )


def layout(
    millesime: str | None = None,
    type: str | None = None,  # noqa: A002 - the address's own word
    region: str | None = None,
    tranche: str | None = None,
    tri: str | None = None,
    **_: Any,
) -> html.Div:
    """The page for ``?millesime=…&type=ME,CA&region=REG-93&tranche=2&tri=indice-desc``."""
    parameters = {"type": type, "region": region, "tranche": tranche, "tri": tri}
    try:
        millesimes = data.millesimes()
        selected = parse_millesime(millesime, millesimes)
        filters = parse_filters(
            {k: v for k, v in parameters.items() if v}, set(data.regions()["code"])
        )
        if selected is None:
            return _page([], None, filters, notice("Aucun millésime n'est encore publié."))
        return _page(millesimes, selected, filters)
    except data.PublicationError as error:
        return _page([], None, RankingFilters(), notice(str(error), error=True))


def sort_columns(axis_codes: list[str]) -> dict[str, str]:
    """Grid columns the server sorts on → columns of the data (the axes by their code)."""
    return {**GRID_SORT_COLUMNS, **{code: code for code in axis_codes}}


def rows_for(
    request: dict[str, Any], millesime: int, filters: RankingFilters
) -> tuple[dict[str, Any], str]:
    """The page of rows a ``getRowsRequest`` asks for (filtered, sorted and cut by DuckDB)
    and the count sentence of the filtered view."""
    query = ranking_query(millesime, filters, requested_text(request, "territoire"))
    axis_codes = [str(code) for code in data.axes()["code"]]
    sort = requested_sort(request, sort_columns(axis_codes))
    window = requested_window(request)
    page = data.ranking_page(query, sort, window.offset, window.limit)
    shown, total = data.ranking_count(query)
    return rows_response(grid_rows(page, millesime), shown), _count_text(shown, total)


#: The page's controls, in the order the callbacks take them: millésime, kinds, région, band.
_CONTROLS = (ids.RANKINGS_MILLESIME, ids.RANKINGS_KINDS, ids.RANKINGS_REGION, ids.RANKINGS_BAND)


def _controls(dependency: type[Input] | type[State]) -> list[Any]:
    """The value of each of the page's controls, as ``Input`` or ``State``."""
    return [dependency(control, "value") for control in _CONTROLS]


@callback(
    Output(ids.RANKINGS_GRID, "getRowsResponse"),
    Output(ids.RANKINGS_COUNT, "children"),
    Output(ids.RANKINGS_STATUS, "children"),
    Input(ids.RANKINGS_GRID, "getRowsRequest"),
    *_controls(State),
    prevent_initial_call=True,
)
def rankings_page(
    request: dict[str, Any] | None,
    millesime: int | None,
    kinds: list[str] | None,
    region: str | None,
    band: str | None,
) -> tuple[Any, ...]:
    """One page of the grid, for AG Grid's infinite row model."""
    if not request or millesime is None:
        return dash.no_update, dash.no_update, dash.no_update
    filters = RankingFilters(tuple(kinds or ()), region or None, band or None)
    try:
        response, count = rows_for(request, millesime, filters)
    except data.PublicationError as error:
        return rows_response([], 0), "", notice(str(error), error=True)
    return response, count, None


# A new millésime or filter: the grid forgets its pages and asks the server again (the
# request callback reads the filters), without a round trip through this server first.
clientside_callback(
    """
    function (millesime, kinds, region, band, gridId) {
        dash_ag_grid.getApiAsync(gridId).then(function (api) { api.purgeInfiniteCache(); });
        return window.dash_clientside.no_update;
    }
    """,
    Output(ids.RANKINGS_GRID, "id"),
    *_controls(Input),
    State(ids.RANKINGS_GRID, "id"),
    prevent_initial_call=True,
)


@callback(
    Output(ids.RANKINGS_URL, "search", allow_duplicate=True),
    *_controls(Input),
    State(ids.RANKINGS_URL, "search"),
    prevent_initial_call=True,
)
def show_rankings(
    millesime: int,
    kinds: list[str] | None,
    region: str | None,
    band: str | None,
    search: str | None,
) -> Any:
    """Keep the address in step with the millésime and the filters."""
    sort = parse_sort(query_parameters(search).get("tri"))
    filters = RankingFilters(tuple(kinds or ()), region or None, band or None, sort)
    updated = search_of(millesime, filters)
    return dash.no_update if updated == (search or "") else updated


@callback(
    Output(ids.RANKINGS_URL, "search", allow_duplicate=True),
    Input(ids.RANKINGS_GRID, "columnState"),
    State(ids.RANKINGS_URL, "search"),
    prevent_initial_call=True,
)
def remember_sort(state: list[dict[str, Any]] | None, search: str | None) -> str:
    """Write the grid's sort into the address."""
    sort = sort_from_column_state(state) or DEFAULT_SORT
    parameters = query_parameters(search)
    parameters["tri"] = sort_name(sort)
    updated = query_string(**parameters)
    return dash.no_update if updated == (search or "") else updated
