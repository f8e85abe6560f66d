"""Comparer: two to six territories side by side — index, rank, the ten axes, evolution."""

from typing import Any

import dash
import pandas as pd
from dash import Input, Output, State, callback, dcc, html

from dashboards import data, ids
from dashboards.components import (
    Column,
    data_table,
    fiche_href,
    graph,
    labelled_dropdown,
    millesime_choice,
    notice,
    page_title,
    parse_millesime,
    query_string,
    searched_options,
    table_details,
    territory_options,
)
from dashboards.figures import (
    comparison_chart,
    comparison_evolution,
    interval_bounds,
    ordinal,
)
from dashboards.formatting import format_number
from schemas.vocabulary import INSUFFICIENT_DATA_LABEL

dash.register_page(
    __name__,
    path="/comparer",
    name="Comparer",
    title="Comparer — Observatoire de la maturité numérique des territoires",
    description="Deux à six collectivités côte à côte : indice, rang, axes, évolution.",
    order=3,
)

MIN_TERRITORIES, MAX_TERRITORIES = 2, 6
#: Shown in a cell without a value.
EMPTY = "—"


def parse_codes(value: str | list[str] | None, known: set[str]) -> list[str]:
    """Territory codes from an address (``A,B,C``) or the dropdown, known ones, in order,
    each once."""
    items = value.split(",") if isinstance(value, str) else list(value or [])
    codes: list[str] = []
    for item in (code.strip() for code in items):
        if item in known and item not in codes:
            codes.append(item)
    return codes


def selection_problem(codes: list[str]) -> str | None:
    """What is wrong with the selection, in French (None when 2 to 6 territories)."""
    if len(codes) < MIN_TERRITORIES:
        return f"Choisissez au moins {MIN_TERRITORIES} territoires à comparer."
    if len(codes) > MAX_TERRITORIES:
        return (
            f"{len(codes)} territoires choisis : on en compare {MAX_TERRITORIES} au plus. "
            "Retirez-en pour afficher la comparaison."
        )
    return None


def default_codes(rankings: pd.DataFrame) -> list[str]:
    """Without a choice: the three most populous métropoles scored this millésime."""
    scored = rankings[rankings["kind"] == "ME"].sort_values("population", ascending=False)
    codes = scored["code"].head(3).tolist()
    return codes if len(codes) >= MIN_TERRITORIES else rankings["code"].head(3).tolist()


def best_of_rows(frame: pd.DataFrame, columns: list[str]) -> dict[str, set[str]]:
    """For each column, the codes of the territories with the highest value (ties kept)."""
    best: dict[str, set[str]] = {}
    for column in columns:
        values = frame.set_index("code")[column].dropna()
        best[column] = set(values.index[values == values.max()]) if len(values) else set()
    return best


def _rank_text(row: pd.Series) -> str:
    if pd.isna(row["rank"]):
        return EMPTY
    return f"{ordinal(row['rank'])} sur {int(row['peers'])}"


def _interval_text(row: pd.Series) -> str:
    if pd.isna(row["rank_p05"]) or pd.isna(row["rank_p95"]):
        return EMPTY
    low, high = interval_bounds(row["rank_p05"], row["rank_p95"])
    return ordinal(low) if low == high else f"{ordinal(low)} – {ordinal(high)}"


def comparison_rows(
    frame: pd.DataFrame, axis_codes: list[str], axis_labels: dict[str, str]
) -> list[dict[str, Any]]:
    """Rows of the comparison table: one per measure, one column per territory code; the
    best value of a score row is bold and says "(meilleur)" for screen readers."""
    best = best_of_rows(frame, ["global_index", *axis_codes])
    records = frame.set_index("code")

    def score_row(label: str, column: str) -> dict[str, Any]:
        row: dict[str, Any] = {"measure": label}
        for code in records.index:
            value = records.at[code, column]
            text = format_number(value) if not pd.isna(value) else EMPTY
            row[code] = (
                html.Strong([text, html.Span(" (meilleur)", className="visually-hidden")])
                if code in best[column] and len(records) > 1
                else text
            )
        return row

    level = {"measure": "Niveau de maturité"}
    rank = {"measure": "Rang dans la catégorie"}
    interval = {"measure": "Intervalle de rang (90 %)"}
    for code, record in records.iterrows():
        level[code] = (
            f"{int(record['maturity_level'])} — {record['maturity_label']}"
            if not pd.isna(record["maturity_level"])
            else INSUFFICIENT_DATA_LABEL
        )
        rank[code] = _rank_text(record)
        interval[code] = _interval_text(record)
    return [
        score_row("Indice global", "global_index"),
        level,
        rank,
        interval,
        *(score_row(axis_labels.get(code, code), code) for code in axis_codes),
    ]


def _content(millesime: int, codes: list[str]) -> list[Any]:
    """The comparison of ``codes`` in ``millesime`` (charts and their tables)."""
    rankings = data.rankings(millesime)
    axes = data.axes()
    axis_codes = [code for code in axes["code"] if code in rankings.columns]
    axis_labels = dict(zip(axes["code"], axes["label"], strict=True))
    chosen = rankings.set_index("code").reindex(codes).reset_index()
    names = data.territories().set_index("code").loc[codes, "name"].to_dict()
    chosen["name"] = chosen["code"].map(names)
    unanswered = [
        names[code] for code in codes if pd.isna(chosen.set_index("code").at[code, "kind"])
    ]
    columns = [Column("", "measure")] + [
        Column(names[code], code, lambda cell: cell) for code in codes
    ]
    table = data_table(
        f"Comparaison, millésime {millesime} (scores de 0 à 100)",
        columns,
        comparison_rows(chosen, axis_codes, axis_labels),
        id=ids.COMPARE_TABLE,
    )
    histories = data.index_histories(codes)
    evolution_rows = [
        {
            "millesime": millesime_value,
            **dict(zip(group["territory"], group["global_index"], strict=True)),
        }
        for millesime_value, group in histories.groupby("millesime")
    ]
    evolution_table = data_table(
        "Indice global par millésime",
        [Column("Millésime", "millesime")]
        + [Column(names[code], code, format_number, numeric=True) for code in codes],
        evolution_rows,
    )
    return [
        html.Ul(
            [
                html.Li(dcc.Link(f"Fiche : {names[code]}", href=fiche_href(code, millesime)))
                for code in codes
            ],
            className="inline-links",
            **{"aria-label": "Fiches des territoires comparés"},
        ),
        notice("Sans réponse publiée ce millésime : " + ", ".join(unanswered) + ".")
        if unanswered
        else None,
        html.Section(
            [
                html.H2("Les dix axes"),
                graph(
                    ids.COMPARE_CHART,
                    comparison_chart(chosen, axis_codes, axis_labels),
                    "Scores des dix axes des territoires comparés",
                ),
                html.Div(table, className="table-scroll"),
                html.P(
                    "En gras, la meilleure valeur de chaque ligne. L'intervalle de rang donne "
                    "les rangs obtenus dans 90 % des simulations où les pondérations varient.",
                    className="note",
                ),
            ],
            className="card",
        ),
        html.Section(
            [
                html.H2("Évolution de l'indice global"),
                graph(
                    ids.COMPARE_EVOLUTION,
                    comparison_evolution(histories, names),
                    "Évolution de l'indice global des territoires comparés",
                ),
                table_details(
                    "Voir l'évolution sous forme de tableau",
                    evolution_table,
                    id=ids.COMPARE_EVOLUTION_TABLE,
                ),
            ],
            className="card",
        ),
    ]


def view(millesime: int, codes: list[str]) -> tuple[list[Any], Any]:
    """Content and status of the page for a selection."""
    problem = selection_problem(codes)
    if problem:
        return [], notice(problem, error=len(codes) > MAX_TERRITORIES)
    return _content(millesime, codes), None


def _page(millesimes: list[int], millesime: int | None, codes: list[str], status: Any = None):
    content: list[Any] = []
    if millesime is not None:
        content, status = view(millesime, codes)
    return html.Div(
        [
            dcc.Location(id=ids.COMPARE_URL, refresh=False),
            page_title(
                "Comparer",
                "Deux à six territoires côte à côte : indice global, rang et son incertitude, "
                "les dix axes et l'évolution.",
            ),
            html.Div(
                [
                    labelled_dropdown(
                        "Territoires comparés (2 à 6)",
                        ids.COMPARE_CHOOSER,
                        wide=True,
                        options=territory_options(codes) if millesime is not None else [],
                        value=codes,
                        multi=True,
                        placeholder="Choisissez des territoires",
                    ),
                    millesime_choice(ids.COMPARE_MILLESIME, millesimes, millesime),
                ],
                className="controls",
                hidden=millesime is None,
            ),
            html.Div(status, id=ids.COMPARE_STATUS, **{"aria-live": "polite"}),
            html.Div(content, id=ids.COMPARE_BODY),
        ]
    )


def layout(territoires: str | None = None, millesime: str | None = None, **_: Any) -> html.Div:
    """The page for ``?territoires=A,B,C&millesime=2025``."""
    try:
        millesimes = data.millesimes()
        selected = parse_millesime(millesime, millesimes)
        if selected is None:
            return _page([], None, [], notice("Aucun millésime n'est encore publié."))
        known = set(data.territories()["code"])
        codes = parse_codes(territoires, known) if territoires else []
        if not territoires:
            codes = default_codes(data.rankings(selected))
        return _page(millesimes, selected, codes)
    except data.PublicationError as error:
        return _page([], None, [], notice(str(error), error=True))


@callback(
    Output(ids.COMPARE_BODY, "children"),
    Output(ids.COMPARE_STATUS, "children"),
    Output(ids.COMPARE_URL, "search"),
    Input(ids.COMPARE_CHOOSER, "value"),
    Input(ids.COMPARE_MILLESIME, "value"),
    prevent_initial_call=True,
)
def show_comparison(codes: list[str] | None, millesime: int) -> tuple[Any, ...]:
    """Redraw the comparison for the chosen territories and keep the address in step."""
    codes = list(codes or [])
    search = query_string(territoires=",".join(codes) or None, millesime=millesime)
    try:
        content, status = view(millesime, codes)
    except data.PublicationError as error:
        return dash.no_update, notice(str(error), error=True), search
    return content, status, search


@callback(
    Output(ids.COMPARE_CHOOSER, "options"),
    Input(ids.COMPARE_CHOOSER, "search_value"),
    State(ids.COMPARE_CHOOSER, "value"),
    prevent_initial_call=True,
)
def search_territories(search: str | None, value: Any) -> Any:
    """The chosen territories and those whose name holds what was typed (only past a large
    reference)."""
    return searched_options(search, value)
