"""Axes: which axis lags nationally, how each axis spreads by kind of territory, who leads
on it, and which questions separate territories most."""

from typing import Any

import dash
import pandas as pd
from dash import Input, Output, callback, dcc, html

from dashboards import data, ids
from dashboards.components import (
    PUBLISHED_ACHIEVEMENT,
    PUBLISHED_ACHIEVEMENTS,
    Column,
    achievement_href,
    counted,
    data_table,
    fiche_href,
    graph,
    labelled_dropdown,
    millesime_choice,
    notice,
    page_title,
    parse_millesime,
    query_string,
    table_details,
)
from dashboards.figures import (
    axis_box_chart,
    axis_medians_chart,
    discriminating_questions,
    distribution_summary,
    questions_chart,
)
from dashboards.formatting import format_integer, format_number, format_percent
from schemas.vocabulary import KIND_SHORT_PLURALS

dash.register_page(
    __name__,
    path="/axes",
    name="Axes",
    title="Axes — Observatoire de la maturité numérique des territoires",
    description="Chaque axe de maturité : répartition par catégorie, meilleurs territoires, "
    "questions qui font la différence.",
    order=4,
)

#: Axis of a first visit.
DEFAULT_AXIS = "DATA"
#: How many leading territories are listed.
LEADERS = 10


def parse_axis(value: str | None, codes: list[str]) -> str:
    """The axis an address asks for, or the default one."""
    if value in codes:
        return value
    return DEFAULT_AXIS if DEFAULT_AXIS in codes else codes[0]


def leaders(scores: pd.DataFrame, top: int = LEADERS) -> pd.DataFrame:
    """The ``top`` territories on the axis, best first (ties broken by name)."""
    scored = scores.dropna(subset=["score"])
    return scored.sort_values(["score", "name"], ascending=[False, True]).head(top)


def _medians_section(millesime: int, axis: str) -> html.Section:
    medians = data.axis_medians(millesime)
    table = data_table(
        f"Médiane nationale de chaque axe, millésime {millesime}",
        [
            Column("Axe", "label"),
            Column("Médiane nationale", "median", format_number, numeric=True),
            Column("Territoires notés", "scored", format_integer, numeric=True),
        ],
        [
            {
                **row,
                "label": f"{row['label']} (axe choisi)" if row["axis"] == axis else row["label"],
            }
            for row in medians.sort_values("median").to_dict("records")
        ],
    )
    return html.Section(
        [
            html.H2("Où en sont les dix axes"),
            graph(
                ids.AXES_MEDIANS_CHART,
                axis_medians_chart(medians, axis),
                "Médiane nationale des dix axes, de la plus basse à la plus haute",
            ),
            html.P(
                "De l'axe le moins avancé (en bas) au plus avancé ; l'axe choisi est en bleu "
                "foncé hachuré.",
                className="note",
            ),
            table_details(
                "Voir les médianes sous forme de tableau", table, id=ids.AXES_MEDIANS_TABLE
            ),
        ],
        className="card",
    )


def _distribution_section(scores: pd.DataFrame, label: str, millesime: int) -> html.Section:
    summary = distribution_summary(scores)
    national = scores["score"].median() if scores["score"].notna().any() else None
    table = data_table(
        f"{label} : répartition des scores par catégorie, millésime {millesime}",
        [
            Column("Catégorie", "kind", lambda kind: KIND_SHORT_PLURALS.get(kind, kind)),
            Column("Territoires notés", "scored", format_integer, numeric=True),
            Column("Minimum", "minimum", format_number, numeric=True),
            Column("1er quartile", "q1", format_number, numeric=True),
            Column("Médiane", "median", format_number, numeric=True),
            Column("3e quartile", "q3", format_number, numeric=True),
            Column("Maximum", "maximum", format_number, numeric=True),
        ],
        summary.to_dict("records"),
    )
    return html.Section(
        [
            html.H2("Répartition par catégorie de territoire"),
            graph(
                ids.AXES_DISTRIBUTION,
                axis_box_chart(scores, national),
                f"Répartition des scores de l'axe {label} par catégorie de territoire",
            ),
            html.P(
                "Chaque point est un territoire ; la boîte va du 1er au 3e quartile, le trait "
                "central est la médiane de la catégorie, la ligne pointillée la médiane nationale.",
                className="note",
            ),
            table_details(
                "Voir la répartition sous forme de tableau", table, id=ids.AXES_DISTRIBUTION_TABLE
            ),
        ],
        className="card",
    )


def _leaders_section(scores: pd.DataFrame, label: str, millesime: int) -> html.Section:
    top = leaders(scores)
    rows = [
        {
            "rank": position,
            "territory": dcc.Link(row.name, href=fiche_href(row.code, millesime)),
            "kind_label": row.kind_label,
            "score": row.score,
        }
        for position, row in enumerate(top.itertuples(index=False), start=1)
    ]
    return html.Section(
        [
            html.H2(f"Les {LEADERS} territoires en tête"),
            data_table(
                f"{label} : les {LEADERS} meilleurs scores, millésime {millesime}",
                [
                    Column("Rang", "rank", str, numeric=True),
                    Column("Territoire", "territory", lambda link: link),
                    Column("Catégorie", "kind_label"),
                    Column("Score", "score", format_number, numeric=True),
                ],
                rows,
                id=ids.AXES_LEADERS,
            ),
        ],
        className="card",
    )


def _questions_section(axis: str, label: str, millesime: int) -> html.Section:
    questions = discriminating_questions(data.question_spread(axis, millesime))
    table = data_table(
        f"{label} : questions classées par écart-type du score, millésime {millesime}",
        [
            Column("Question", "question"),
            Column("Intitulé", "label"),
            Column("Écart-type (points)", "std", format_number, numeric=True),
            Column("Score moyen", "mean", format_number, numeric=True),
            Column("Part au maximum", "share_at_max", format_percent, numeric=True),
            Column("Répondants", "answered", format_integer, numeric=True),
        ],
        questions.to_dict("records"),
        id=ids.AXES_QUESTIONS_TABLE,
    )
    return html.Section(
        [
            html.H2("Les questions qui font la différence"),
            html.P(
                "Une question sépare d'autant plus les territoires que leurs scores y sont "
                "dispersés : on les classe par écart-type du score (0 = tous ont répondu pareil).",
                className="note",
            ),
            graph(
                ids.AXES_QUESTIONS_CHART,
                questions_chart(questions),
                f"Écart-type du score des questions de l'axe {label}",
            ),
            html.Div(table, className="table-scroll"),
        ],
        className="card",
    )


def achievements_section(achievements: pd.DataFrame, label: str) -> html.Section:
    """The published réalisations exemplaires of the axis, latest first, each linked to its
    page and its author to its fiche, with their count."""
    count = len(achievements)
    heading = html.H2("Réalisations exemplaires sur cet axe")
    if not count:
        return html.Section(
            [
                heading,
                html.P(
                    f"Aucune réalisation exemplaire publiée sur l'axe « {label} » pour l'instant.",
                    className="note",
                ),
            ],
            id=ids.AXES_ACHIEVEMENTS,
            className="card",
        )
    items = [
        html.Li(
            [
                dcc.Link(row.title, href=achievement_href(row.achievement_id)),
                " — ",
                dcc.Link(row.author_name, href=fiche_href(row.author)),
                "" if pd.isna(row.author_kind_label) else f" ({row.author_kind_label})",
                "" if pd.isna(row.year) else f", {int(row.year)}",
            ],
            className="achievement-item",
        )
        for row in achievements.itertuples(index=False)
    ]
    return html.Section(
        [
            heading,
            html.P(
                f"{counted(count, PUBLISHED_ACHIEVEMENT, PUBLISHED_ACHIEVEMENTS)} sur l'axe "
                f"« {label} », des plus récentes aux plus anciennes.",
                className="note achievement-count",
            ),
            html.Ul(items, className="achievement-list achievement-list-compact"),
        ],
        id=ids.AXES_ACHIEVEMENTS,
        className="card",
    )


def content(axis: str, millesime: int) -> list[Any]:
    """Everything the page shows for ``axis`` in ``millesime``."""
    axes = data.axes().set_index("code")
    label = axes.at[axis, "label"]
    scores = data.axis_distribution(axis, millesime)
    return [
        html.P(axes.at[axis, "description"], className="lead axis-description"),
        _medians_section(millesime, axis),
        html.Div(
            [
                _distribution_section(scores, label, millesime),
                _leaders_section(scores, label, millesime),
            ],
            className="grid",
        ),
        _questions_section(axis, label, millesime),
        achievements_section(data.axis_achievements(axis), label),
    ]


def _page(millesimes: list[int], millesime: int | None, axis: str | None, status: Any = None):
    options: list[dict[str, str]] = []
    body: list[Any] = []
    if millesime is not None and axis is not None:
        options = [{"label": row.label, "value": row.code} for row in data.axes().itertuples()]
        body = content(axis, millesime)
    return html.Div(
        [
            dcc.Location(id=ids.AXES_URL, refresh=False),
            page_title(
                "Axes",
                "Pour chaque axe de maturité : où il en est nationalement, sa répartition par "
                "catégorie de territoire, les territoires en tête et les questions qui les "
                "distinguent.",
            ),
            html.Div(status, id=ids.AXES_STATUS),
            html.Div(
                [
                    labelled_dropdown(
                        "Axe",
                        ids.AXES_CHOOSER,
                        wide=True,
                        options=options,
                        value=axis,
                        clearable=False,
                        searchable=False,
                    ),
                    millesime_choice(ids.AXES_MILLESIME, millesimes, millesime),
                ],
                className="controls",
                hidden=millesime is None,
            ),
            html.Div(body, id=ids.AXES_BODY, **{"aria-live": "polite"}),
        ]
    )


def layout(axe: str | None = None, millesime: str | None = None, **_: Any) -> html.Div:
    """The page for ``?axe=DATA&millesime=2025``."""
    try:
        millesimes = data.millesimes()
        selected = parse_millesime(millesime, millesimes)
        if selected is None:
            return _page([], None, None, notice("Aucun millésime n'est encore publié."))
        return _page(millesimes, selected, parse_axis(axe, list(data.axes()["code"])))
    except data.PublicationError as error:
        return _page([], None, None, notice(str(error), error=True))


@callback(
    Output(ids.AXES_BODY, "children"),
    Output(ids.AXES_URL, "search"),
    Output(ids.AXES_STATUS, "children"),
    Input(ids.AXES_CHOOSER, "value"),
    Input(ids.AXES_MILLESIME, "value"),
    prevent_initial_call=True,
)
def show_axis(axis: str, millesime: int) -> tuple[Any, ...]:
    """Show the chosen axis and millésime, and keep the address in step."""
    search = query_string(axe=axis, millesime=millesime)
    try:
        return content(axis, millesime), search, None
    except data.PublicationError as error:
        return dash.no_update, search, notice(str(error), error=True)
