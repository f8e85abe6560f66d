"""Réalisations: the exemplary achievements territories published, to search and to filter.

Words are sought in the title, the texts, the partners and the author's name (accents and
case aside, every word must appear); the filters are the axis, the kind, size (population
band) and région of the author, and the year the sheet describes. Each sheet is a card
linking to its page (:mod:`dashboards.pages.realisation`). The statistics (sheets,
contributing territories, supports, adaptations, comments, by axis and by year) are those
of the sheets shown. The search and the filters are kept in the address, so a shared link
reopens the same selection.
"""

from dataclasses import dataclass
from typing import Any

import dash
import pandas as pd
from dash import Input, Output, State, callback, ctx, dcc, html

from dashboards import data, ids
from dashboards.components import (
    ACHIEVEMENTS_PATH,
    DEPOSIT_PATH,
    DROPDOWN_LABELS,
    Column,
    achievement_card,
    counted,
    data_table,
    graph,
    kpi_card,
    labelled_dropdown,
    notice,
    page_title,
    query_string,
    table_details,
)
from dashboards.data.achievements import (
    AchievementQuery,
    AchievementStatistics,
    achievement_statistics,
    achievement_years,
    search_achievements,
)
from dashboards.figures import achievements_by_axis_chart
from dashboards.formatting import format_integer
from schemas.vocabulary import KIND_SHORT_PLURALS, POPULATION_BANDS, TERRITORY_KINDS

dash.register_page(
    __name__,
    path=ACHIEVEMENTS_PATH,
    name="Réalisations",
    title="Réalisations — Observatoire de la maturité numérique des territoires",
    description="Réalisations exemplaires publiées par les territoires, par axe, type de "
    "territoire, taille, région et année.",
    order=1,
)

#: Population bands as the address names them (``tranche=1`` … ``5``), as on Classements.
BANDS = {str(number): label for number, (_, label) in enumerate(POPULATION_BANDS, start=1)}
#: Cards shown at first, and added by each click on « Afficher … de plus ».
PAGE = 12
#: French texts of the filter dropdowns.
FILTER_LABELS = {
    **DROPDOWN_LABELS,
    "search": "Rechercher",
    "no_options_found": "Aucune option ne correspond",
}
LEAD = (
    "Des réalisations concrètes menées par les territoires, avec leur contexte, leurs "
    "partenaires, leur coût, leurs résultats et ce qu'il faut pour les reprendre ailleurs. "
    "Chaque fiche est relue par un analyste avant d'être publiée."
)


@dataclass(frozen=True)
class Filters:
    """What the page shows, as the address says it (``q``, ``axe``, ``type``, ``region``,
    ``tranche``, ``annee``); None for no filter."""

    text: str | None = None
    axis: str | None = None
    kind: str | None = None
    region: str | None = None
    band: str | None = None
    year: int | None = None

    def query(self) -> AchievementQuery:
        """What the data door is asked for."""
        return AchievementQuery(
            text=self.text,
            axis=self.axis,
            kind=self.kind,
            region=self.region,
            band=int(self.band) if self.band else None,
            year=self.year,
        )

    def search(self) -> str:
        """The query string of the selection (only the filters set)."""
        return query_string(
            q=self.text,
            axe=self.axis,
            type=self.kind,
            region=self.region,
            tranche=self.band,
            annee=self.year,
        )

    @property
    def active(self) -> bool:
        """Whether anything narrows the selection."""
        return any(
            value not in (None, "")
            for value in (self.text, self.axis, self.kind, self.region, self.band, self.year)
        )


def _year(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def parse_filters(
    parameters: dict[str, Any], axes: set[str], regions: set[str], years: set[int]
) -> Filters:
    """The filters of an address or of the controls; unknown values are ignored."""
    text = " ".join(str(parameters.get("q") or "").split())[:200] or None
    axis = parameters.get("axe")
    kind = parameters.get("type")
    region = parameters.get("region")
    band = None if parameters.get("tranche") is None else str(parameters.get("tranche"))
    year = _year(parameters.get("annee"))
    return Filters(
        text=text,
        axis=axis if axis in axes else None,
        kind=kind if kind in TERRITORY_KINDS else None,
        region=region if region in regions else None,
        band=band if band in BANDS else None,
        year=year if year in years else None,
    )


def count_text(shown: int, total: int, filtered: bool) -> str:
    """``"3 réalisations publiées."`` or ``"2 réalisations sur 60 correspondent."``."""
    if not filtered:
        return f"{counted(total, 'réalisation publiée', 'réalisations publiées')}."
    if shown == 0:
        return (
            "Aucune réalisation ne correspond à cette recherche : retirez un filtre ou "
            "essayez d'autres mots."
        )
    verb = "correspond" if shown == 1 else "correspondent"
    return f"{counted(shown, 'réalisation')} sur {format_integer(total)} {verb}."


def result_cards(sheets: pd.DataFrame, axis_labels: dict[str, str], limit: int) -> list[Any]:
    """The first ``limit`` cards of the selection, as a list, and how many of how many are
    shown when some are not."""
    if sheets.empty:
        return []
    cards = html.Ul(
        [
            html.Li(achievement_card(row, axis_labels))
            for row in sheets.head(limit).to_dict("records")
        ],
        className="achievement-cards",
        **{"aria-label": "Réalisations trouvées"},
    )
    children: list[Any] = [cards]
    if len(sheets) > limit:
        children.append(
            html.P(
                f"{format_integer(limit)} réalisations affichées sur "
                f"{format_integer(len(sheets))}, les plus récemment publiées d'abord.",
                className="note",
            )
        )
    return children


def kpis(statistics: AchievementStatistics) -> list[Any]:
    """The headline figures of the selection."""
    return [
        kpi_card("Réalisations", format_integer(statistics.sheets)),
        kpi_card("Territoires contributeurs", format_integer(statistics.territories)),
        kpi_card("Soutiens", format_integer(statistics.supports)),
        kpi_card("Adaptations", format_integer(statistics.adaptations), "« nous l'adaptons »"),
        kpi_card("Commentaires", format_integer(statistics.comments), "publiés après relecture"),
    ]


_COUNT_COLUMNS = [
    Column("Réalisations", "sheets", format_integer, numeric=True),
    Column("Soutiens", "supports", format_integer, numeric=True),
    Column("Adaptations", "adaptations", format_integer, numeric=True),
    Column("Commentaires", "comments", format_integer, numeric=True),
]


def statistics_children(statistics: AchievementStatistics, filtered: bool) -> list[Any]:
    """By axis (a chart and its table) and by year (a table)."""
    scope = "des réalisations affichées" if filtered else "des réalisations publiées"
    by_year = html.P("Aucune réalisation.", className="note")
    if not statistics.by_year.empty:
        by_year = html.Div(
            data_table(
                f"Par année décrite : nombre {scope}, de soutiens, d'adaptations et de "
                "commentaires",
                [Column("Année", "year"), *_COUNT_COLUMNS],
                statistics.by_year.to_dict("records"),
                id=ids.ACHIEVEMENTS_YEAR_TABLE,
            ),
            className="table-scroll",
        )
    return [
        html.H2("Par axe et par année"),
        html.P(
            "Une réalisation qui sert plusieurs axes compte sur chacun.",
            className="note",
        ),
        html.Div(
            [
                html.Div(
                    [
                        html.H3("Par axe"),
                        graph(
                            ids.ACHIEVEMENTS_AXIS_CHART,
                            achievements_by_axis_chart(statistics.by_axis),
                            f"Nombre {scope} par axe",
                        ),
                        table_details(
                            "Voir les chiffres par axe sous forme de tableau",
                            data_table(
                                f"Par axe : nombre {scope}, de soutiens, d'adaptations et de "
                                "commentaires",
                                [Column("Axe", "label"), *_COUNT_COLUMNS],
                                statistics.by_axis.to_dict("records"),
                            ),
                            id=ids.ACHIEVEMENTS_AXIS_TABLE,
                        ),
                    ]
                ),
                html.Div([html.H3("Par année"), by_year]),
            ],
            className="grid grid-flat",
        ),
    ]


@dataclass(frozen=True)
class Selection:
    """What the page shows for some filters: the count, the cards, the figures."""

    count: str
    cards: list[Any]
    kpis: list[Any]
    statistics: list[Any]
    complete: bool  # every card of the selection is shown


def selection(filters: Filters, limit: int = PAGE) -> Selection:
    """Read the sheets ``filters`` select and build what the page shows of them (the first
    ``limit`` cards)."""
    axes = data.axes()
    axis_labels = dict(zip(axes["code"], axes["label"], strict=True))
    total = len(search_achievements())
    sheets = search_achievements(filters.query())
    statistics = achievement_statistics(sheets, axes)
    return Selection(
        count=count_text(len(sheets), total, filters.active),
        cards=result_cards(sheets, axis_labels, limit),
        kpis=kpis(statistics),
        statistics=statistics_children(statistics, filters.active),
        complete=len(sheets) <= limit,
    )


def _options(frame: pd.DataFrame, value: str, label: str) -> list[dict[str, Any]]:
    return [{"label": row[label], "value": row[value]} for row in frame.to_dict("records")]


def _controls(filters: Filters, axes: pd.DataFrame, years: list[int]) -> html.Div:
    present = set(data.territories()["kind"])
    return html.Div(
        [
            html.Div(
                [
                    html.Label("Rechercher des mots", htmlFor=ids.ACHIEVEMENTS_SEARCH),
                    dcc.Input(
                        id=ids.ACHIEVEMENTS_SEARCH,
                        type="search",
                        value=filters.text or "",
                        debounce=0.5,
                        placeholder="ex. : tiers-lieux, open data, collèges…",
                        autoComplete="off",
                        className="text-input",
                    ),
                ],
                className="control control-wide",
            ),
            labelled_dropdown(
                "Axe",
                ids.ACHIEVEMENTS_AXIS,
                options=_options(axes, "code", "label"),
                value=filters.axis,
                placeholder="Tous les axes",
                labels=FILTER_LABELS,
            ),
            labelled_dropdown(
                "Type de territoire",
                ids.ACHIEVEMENTS_KIND,
                options=[
                    {"label": KIND_SHORT_PLURALS[kind], "value": kind}
                    for kind in TERRITORY_KINDS
                    if kind in present
                ],
                value=filters.kind,
                placeholder="Tous les types",
                searchable=False,
                labels=FILTER_LABELS,
            ),
            labelled_dropdown(
                "Population",
                ids.ACHIEVEMENTS_BAND,
                options=[
                    {"label": label.capitalize(), "value": key} for key, label in BANDS.items()
                ],
                value=filters.band,
                placeholder="Toutes les tailles",
                searchable=False,
                labels=FILTER_LABELS,
            ),
            labelled_dropdown(
                "Région",
                ids.ACHIEVEMENTS_REGION,
                options=_options(data.regions(), "code", "name"),
                value=filters.region,
                placeholder="Toutes les régions",
                labels={**FILTER_LABELS, "search": "Rechercher une région"},
            ),
            labelled_dropdown(
                "Année",
                ids.ACHIEVEMENTS_YEAR,
                options=[{"label": str(year), "value": year} for year in years],
                value=filters.year,
                placeholder="Toutes les années",
                searchable=False,
                labels=FILTER_LABELS,
            ),
        ],
        className="controls",
        role="search",
        **{"aria-label": "Rechercher et filtrer les réalisations"},
    )


def _page(controls: Any, shown: Selection | None, status: Any = None) -> html.Div:
    """The page; every component a callback uses is always present."""
    return html.Div(
        [
            dcc.Location(id=ids.ACHIEVEMENTS_URL, refresh=False),
            page_title("Réalisations exemplaires", LEAD),
            html.Div(status, id=ids.ACHIEVEMENTS_STATUS),
            controls,
            html.P(
                shown.count if shown else "",
                id=ids.ACHIEVEMENTS_COUNT,
                className="note",
                **{"aria-live": "polite"},
            ),
            html.Div(shown.kpis if shown else [], id=ids.ACHIEVEMENTS_KPIS, className="kpis"),
            html.Div(shown.cards if shown else [], id=ids.ACHIEVEMENTS_RESULTS),
            dcc.Store(id=ids.ACHIEVEMENTS_LIMIT, data=PAGE),
            html.Button(
                f"Afficher {PAGE} réalisations de plus",
                id=ids.ACHIEVEMENTS_MORE,
                type="button",
                className="button button-secondary more-button",
                hidden=shown is None or shown.complete,
            ),
            html.Section(
                shown.statistics if shown else [],
                id=ids.ACHIEVEMENTS_STATISTICS,
                className="card",
                hidden=shown is None,
            ),
            html.P(
                [
                    "Votre territoire a mené une réalisation à partager ? ",
                    dcc.Link("Déposez sa fiche", href=dash.get_relative_path(DEPOSIT_PATH)),
                    " avec le jeton de votre territoire.",
                ],
                className="note",
            ),
        ]
    )


def _hidden_controls() -> html.Div:
    """The controls, empty, for a page without data (the callbacks need them)."""
    return html.Div(
        [
            dcc.Input(id=ids.ACHIEVEMENTS_SEARCH, type="search", value="", debounce=0.5),
            *[dcc.Dropdown(id=component_id, options=[]) for component_id in _FILTER_IDS],
        ],
        hidden=True,
    )


#: The dropdowns of the page, in the order the callbacks take them.
_FILTER_IDS = (
    ids.ACHIEVEMENTS_AXIS,
    ids.ACHIEVEMENTS_KIND,
    ids.ACHIEVEMENTS_BAND,
    ids.ACHIEVEMENTS_REGION,
    ids.ACHIEVEMENTS_YEAR,
)


def _choices() -> tuple[pd.DataFrame, set[str], list[int]]:
    return data.axes(), set(data.regions()["code"]), achievement_years()


def layout(**parameters: Any) -> html.Div:
    """The page for ``?q=…&axe=…&type=…&region=…&tranche=…&annee=…``."""
    try:
        axes, regions, years = _choices()
        filters = parse_filters(parameters, set(axes["code"]), regions, set(years))
        return _page(_controls(filters, axes, years), selection(filters))
    except data.PublicationError as error:
        return _page(_hidden_controls(), None, notice(str(error), error=True))


@callback(
    Output(ids.ACHIEVEMENTS_COUNT, "children"),
    Output(ids.ACHIEVEMENTS_KPIS, "children"),
    Output(ids.ACHIEVEMENTS_RESULTS, "children"),
    Output(ids.ACHIEVEMENTS_STATISTICS, "children"),
    Output(ids.ACHIEVEMENTS_STATUS, "children"),
    Output(ids.ACHIEVEMENTS_URL, "search"),
    Output(ids.ACHIEVEMENTS_LIMIT, "data"),
    Output(ids.ACHIEVEMENTS_MORE, "hidden"),
    Input(ids.ACHIEVEMENTS_SEARCH, "value"),
    *[Input(component_id, "value") for component_id in _FILTER_IDS],
    Input(ids.ACHIEVEMENTS_MORE, "n_clicks"),
    State(ids.ACHIEVEMENTS_LIMIT, "data"),
    State(ids.ACHIEVEMENTS_URL, "search"),
    prevent_initial_call=True,
)
def show_achievements(
    text: str | None,
    axis: str | None,
    kind: str | None,
    band: str | None,
    region: str | None,
    year: int | None,
    _more: int | None,
    limit: int | None,
    search: str | None,
) -> tuple[Any, ...]:
    """The sheets of the chosen words and filters, and the address that reopens them; a
    click on « Afficher … de plus » shows :data:`PAGE` more cards."""
    more = ctx.triggered_id == ids.ACHIEVEMENTS_MORE
    controls = {"q": text, "axe": axis, "type": kind, "tranche": band, "region": region,
                "annee": year}  # fmt: skip
    return achievements_view(controls, (limit or PAGE) + PAGE if more else PAGE, search)


def achievements_view(controls: dict[str, Any], limit: int, search: str | None) -> tuple[Any, ...]:
    """What :func:`show_achievements` answers for the values of the ``controls`` (named as
    in the address) and the first ``limit`` cards: count, figures, cards, statistics,
    status, address (``no_update`` when unchanged), limit, whether the button is hidden."""
    try:
        axes, regions, years = _choices()
        filters = parse_filters(controls, set(axes["code"]), regions, set(years))
        shown = selection(filters, limit)
    except data.PublicationError as error:
        no = dash.no_update
        return no, no, no, no, notice(str(error), error=True), no, no, True
    updated = filters.search()
    address = dash.no_update if updated == (search or "") else updated
    return (
        shown.count, shown.kpis, shown.cards, shown.statistics, None, address, limit,
        shown.complete,
    )  # fmt: skip
