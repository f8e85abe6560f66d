"""Small layout pieces shared by the pages: notices, KPI cards, accessible tables, graphs."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlencode

import dash
import dash_ag_grid as dag
import pandas as pd
import plotly.graph_objects as go
from dash import dcc, html

from dashboards import data
from dashboards.figures import GRAPH_CONFIG
from dashboards.formatting import format_integer, is_missing
from dashboards.paging import infinite_grid_options
from domain.submissions.report import omitted_sentence
from schemas.vocabulary import ERROR, WARNING


def notice(message: str, *, error: bool = False) -> html.Div:
    """A message for visitors (``role=alert`` for problems, ``role=status`` otherwise)."""
    return html.Div(
        html.P(message),
        className="notice notice-error" if error else "notice",
        role="alert" if error else "status",
    )


def success_notice(children: Any) -> html.Div:
    """A message telling visitors that what they did worked (``role=status``)."""
    return html.Div(children, className="notice notice-success", role="status")


def dom_id(identifier: str | dict[str, Any]) -> str:
    """The ``id`` attribute Dash writes in the page for a component id: the id itself, or
    for a pattern-matching id its keys sorted and values in JSON (for a label's ``htmlFor``)."""
    if isinstance(identifier, str):
        return identifier
    pairs = (f"{json.dumps(key)}:{json.dumps(identifier[key])}" for key in sorted(identifier))
    return "{" + ",".join(pairs) + "}"


def button(label: str, component_id: Any, *, secondary: bool = False) -> html.Button:
    """A form's button (``type=button``: it never submits a page), main or secondary."""
    return html.Button(
        label,
        id=component_id,
        type="button",
        className="button button-secondary" if secondary else "button",
    )


def live_region(component_id: Any, **props: Any) -> html.Div:
    """Where a callback writes its outcome, read out by screen readers when it changes."""
    return html.Div(id=component_id, **props, **{"aria-live": "polite"})


def loading_result(component_id: Any) -> dcc.Loading:
    """A live region behind a spinner shown when the outcome takes more than 300 ms."""
    return dcc.Loading(live_region(component_id), type="default", delay_show=300)


def token_field(component_id: Any, label: str, *after: Any) -> html.Div:
    """A labelled secret token box (hidden, never completed nor spell-checked by the
    browser), then what follows it in the same field (a note, a button…)."""
    return html.Div(
        [
            html.Label(label, htmlFor=dom_id(component_id)),
            dcc.Input(
                id=component_id,
                type="password",
                autoComplete="off",
                spellCheck=False,
                className="text-input",
            ),
            *after,
        ],
        className="field",
    )


#: What the line under a drop zone says until a file is chosen.
NO_FILE_CHOSEN = "Aucun fichier choisi."


def chosen_file(file_name: str | None) -> str:
    """The line under a drop zone once the visitor has chosen a file (or none)."""
    return f"Fichier choisi : {file_name}" if file_name else NO_FILE_CHOSEN


def drop_zone(
    upload_id: str, file_name_id: str, *, hint: str, choose: str, accept: str, max_size: int
) -> list[Any]:
    """A zone to drop or choose one file (of the ``accept`` types, at most ``max_size``
    bytes), then the line that names the file chosen (see :func:`chosen_file`)."""
    return [
        dcc.Upload(
            id=upload_id,
            children=html.Div(
                [
                    html.Span(hint, className="drop-hint"),
                    html.Span(choose, className="button button-secondary"),
                ]
            ),
            accept=accept,
            max_size=max_size,
            multiple=False,
            className="drop-zone",
            className_active="drop-zone drop-zone-active",
            className_reject="drop-zone drop-zone-reject",
        ),
        html.P(NO_FILE_CHOSEN, id=file_name_id, className="note", **{"aria-live": "polite"}),
    ]


def page_title(title: str, lead: str) -> html.Div:
    """The heading of a page and its one-sentence lead."""
    return html.Div([html.H1(title), html.P(lead, className="lead")], className="page-title")


def radio_choice(
    component_id: str, legend: str, options: Sequence[dict[str, Any]], value: Any
) -> html.Fieldset:
    """A few options as radio buttons, in a fieldset named by its legend."""
    return html.Fieldset(
        [
            html.Legend(legend),
            dcc.RadioItems(
                id=component_id,
                options=list(options),
                value=value,
                inline=True,
                className="choices",
            ),
        ],
        className="control",
    )


def millesime_choice(
    component_id: str, millesimes: Sequence[int], value: int | None
) -> html.Fieldset:
    """The millésime selector shared by the pages (radio buttons, latest by default)."""
    return radio_choice(
        component_id, "Millésime", [{"label": str(m), "value": m} for m in millesimes], value
    )


def labelled_dropdown(
    label: str, component_id: str, *, wide: bool = False, **dropdown: Any
) -> html.Div:
    """A dropdown with its visible label (French texts by default)."""
    dropdown.setdefault("labels", DROPDOWN_LABELS)
    return html.Div(
        [html.Label(label, htmlFor=component_id), dcc.Dropdown(id=component_id, **dropdown)],
        className="control control-wide" if wide else "control control-filter",
    )


def kpi_card(label: str, value: str, detail: str | None = None) -> html.Div:
    """A headline figure: label above, big value, optional detail below."""
    children: list[Any] = [
        html.P(label, className="kpi-label"),
        html.P(value, className="kpi-value"),
    ]
    if detail:
        children.append(html.P(detail, className="kpi-detail"))
    return html.Div(children, className="kpi")


@dataclass(frozen=True)
class Column:
    """A column of :func:`data_table`: its header, the row key and how to show the value."""

    header: str
    key: str
    format: Callable[[Any], str] = str
    numeric: bool = False


def data_table(
    caption: str,
    columns: Sequence[Column],
    rows: Sequence[dict[str, Any]],
    *,
    row_class: Callable[[dict[str, Any]], str | None] | None = None,
    **props: Any,
) -> html.Table:
    """A plain HTML table with a caption and column headers (the accessible twin of a chart).

    ``row_class``, when given, names the CSS class of each row (None for none), to
    highlight some rows; what the highlight means must also be said in words.
    """
    header = html.Thead(
        html.Tr(
            [
                html.Th(column.header, scope="col", className="num" if column.numeric else None)
                for column in columns
            ]
        )
    )
    body = html.Tbody(
        [
            html.Tr(
                [
                    html.Td(
                        column.format(row.get(column.key)),
                        className="num" if column.numeric else None,
                    )
                    for column in columns
                ],
                className=row_class(row) if row_class else None,
            )
            for row in rows
        ]
    )
    return html.Table([html.Caption(caption), header, body], className="data-table", **props)


def details_children(summary: str, table: html.Table | None) -> list[Any]:
    """Content of :func:`table_details`, for callbacks that replace the table."""
    return [html.Summary(summary), html.Div(table, className="table-scroll")]


def table_details(summary: str, table: html.Table | None, **props: Any) -> html.Details:
    """A collapsible block holding the table version of a chart."""
    return html.Details(details_children(summary, table), **props)


def graph(component_id: str, figure: go.Figure | dict[str, Any], label: str) -> html.Div:
    """A Plotly graph with the project's config (no Plotly logo), named for screen readers.

    The data of every chart are also given as a table next to it (see :func:`data_table`).
    """
    return html.Div(
        dcc.Graph(id=component_id, figure=figure, config=GRAPH_CONFIG, className="graph"),
        role="figure",
        **{"aria-label": label},
    )


def parse_millesime(value: Any, available: Sequence[int]) -> int | None:
    """The millésime asked for in a URL if it is published, else the latest one (or None)."""
    try:
        asked = int(value)
    except (TypeError, ValueError):
        asked = None
    if asked in available:
        return asked
    return max(available) if available else None


def query_string(**parameters: Any) -> str:
    """A URL query string (``?a=1&b=2``) of the parameters that are not None."""
    kept = {key: value for key, value in parameters.items() if value not in (None, "")}
    return f"?{urlencode(kept)}" if kept else ""


def query_parameters(search: str | None) -> dict[str, str]:
    """Parse ``?a=1&b=2`` into ``{"a": "1", "b": "2"}`` (last value wins)."""
    parsed = parse_qs((search or "").lstrip("?"))
    return {key: values[-1] for key, values in parsed.items()}


#: Path of the fiche territoire page.
FICHE_PATH = "/territoire"
#: Path of the data-quality page.
QUALITY_PATH = "/qualite"
#: Path of the upload page.
DEPOSIT_PATH = "/depot"
#: Path of the analysts' review of achievement sheets (beside the list ``/realisations``;
#: not a sheet's page, which has two segments after it).
REVIEW_PATH = "/realisations/revue"
#: Pages served with ``X-Robots-Tag: noindex`` (reachable, never listed by search engines).
NOINDEX_PATHS = frozenset({REVIEW_PATH})
#: Path of the methodology page.
METHODOLOGY_PATH = "/methodologie"
#: Path of the rankings page.
RANKINGS_PATH = "/classements"
#: Path of the comparison page.
COMPARE_PATH = "/comparer"
#: Path of the axes page.
AXES_PATH = "/axes"
#: Path of the downloads page.
DOWNLOADS_PATH = "/telechargements"
#: Path of the page « API et données ouvertes » (the API itself is under ``/api/v1/``).
API_PAGE_PATH = "/api"
#: Path of the Réalisations page (a sheet is at ``/realisations/<territoire>/<identifiant>``).
ACHIEVEMENTS_PATH = "/realisations"


def fiche_href(code: str, millesime: int | None = None) -> str:
    """Link to the fiche of territory ``code`` (for ``millesime`` when given)."""
    return dash.get_relative_path(FICHE_PATH) + query_string(code=code, millesime=millesime)


def achievement_href(achievement_id: str) -> str:
    """Link to the page of the published sheet ``achievement_id`` (``"DEP-13/tiers-lieu"``)."""
    return dash.get_relative_path(f"/realisations/{achievement_id}")


def methodology_href(version: str | None = None) -> str:
    """Link to the methodology page (of ``version`` when given)."""
    return dash.get_relative_path(METHODOLOGY_PATH) + query_string(version=version)


#: Labels of the territory dropdowns (French versions of Dash's built-in texts).
DROPDOWN_LABELS = {
    "search": "Rechercher un territoire",
    "clear_search": "Effacer la recherche",
    "no_options_found": "Aucun territoire ne correspond",
    "select_all": "Tout sélectionner",
    "deselect_all": "Tout désélectionner",
    "selected_count": "{num_selected} sélectionné(s)",
    "clear_selection": "Effacer la sélection",
}


#: Past this many territories (a scope with the communes), the territory dropdowns hold only
#: the chosen ones and the server answers what is typed (:func:`territory_search`): every
#: option of ~36,000 territories would weigh 2 MB in each page.
OPTIONS_IN_PAGE = 3_000
#: Territories a search offers at most.
SEARCH_RESULTS = 50


def _options(frame: Any) -> list[dict[str, str]]:
    return [
        {"label": f"{row.name} ({row.kind_label})", "value": row.code}
        for row in frame.itertuples(index=False)
    ]


def selected_codes(value: Any) -> list[str]:
    """The codes a dropdown's value holds (one code, a list of codes, or nothing)."""
    if not value:
        return []
    return [str(code) for code in (value if isinstance(value, list) else [value])]


def territory_options(selected: Sequence[str] | None = None) -> list[dict[str, str]]:
    """Dropdown options, labelled ``"Name (Kind label)"``: every territory, or, past
    :data:`OPTIONS_IN_PAGE` territories, only those of ``selected`` (the others are found by
    :func:`territory_search`)."""
    frame = data.territories()
    if len(frame) > OPTIONS_IN_PAGE:
        frame = frame.loc[frame["code"].isin(list(selected or []))]
    return _options(frame)


def _folded(names: Any) -> Any:
    """Names without accents, in lower case (a pandas Series of str)."""
    return (
        names.str.lower()
        .str.normalize("NFKD")
        .str.encode("ascii", errors="ignore")
        .str.decode("ascii")
    )


def territory_search(search: str | None, selected: Sequence[str]) -> list[dict[str, str]] | None:
    """The options of a territory dropdown for what was typed: the chosen territories, then
    up to :data:`SEARCH_RESULTS` whose name contains it (accents and case aside). None when
    the page already holds every territory (a small reference) or fewer than 2 letters were
    typed: the options stay as they are."""
    frame = data.territories()
    text = (search or "").strip()
    if len(frame) <= OPTIONS_IN_PAGE or len(text) < 2:
        return None
    wanted = _folded(pd.Series([text])).iloc[0]
    chosen = frame.loc[frame["code"].isin(list(selected))]
    found = frame.loc[_folded(frame["name"]).str.contains(wanted, regex=False)]
    found = found.loc[~found["code"].isin(list(selected))].head(SEARCH_RESULTS)
    return _options(chosen) + _options(found)


def searched_options(search: str | None, value: Any) -> Any:
    """What a territory dropdown's search callback answers: the options of
    :func:`territory_search` for what was typed beside the chosen ``value``, or
    ``dash.no_update`` (the options stay) when there is nothing to search or no publication."""
    try:
        found = territory_search(search, selected_codes(value))
    except data.PublicationError:
        return dash.no_update
    return dash.no_update if found is None else found


# --- Validation reports -----------------------------------------------------------------

#: Shown in a report cell that has nothing to say (no line, no column…).
EMPTY_CELL = "—"
#: How each severity of a validation issue reads.
SEVERITY_LABELS = {ERROR: "Erreur", WARNING: "Avertissement"}


def _cell(value: Any) -> str:
    if is_missing(value) or value == "":
        return EMPTY_CELL
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def report_rows(issues: Sequence[dict[str, Any]]) -> list[dict[str, str]]:
    """Rows of a validation report, errors first then by line, every cell as text.

    ``issues`` are dicts with the columns of the published ``validation_issues`` table
    (``line``, ``column``, ``question``, ``value``, ``severity`` — ``ERROR`` or ``WARNING``
    of :mod:`schemas.vocabulary` — and ``message``); an empty cell reads ``—``.
    """

    def order(issue: dict[str, Any]) -> tuple[int, bool, float]:
        line = issue.get("line")
        missing_line = is_missing(line)
        return (
            0 if issue.get("severity") == ERROR else 1,
            missing_line,
            0.0 if missing_line else float(line),
        )

    return report_grid_rows(sorted(issues, key=order))


def report_table(caption: str, issues: Sequence[dict[str, Any]], **props: Any) -> html.Table:
    """A validation report as an accessible table (Ligne, Colonne, …, Message)."""
    return data_table(
        caption,
        [
            Column("Ligne", "line", numeric=True),
            Column("Colonne", "column"),
            Column("Question", "question"),
            Column("Valeur", "value"),
            Column("Gravité", "severity"),
            Column("Message", "message"),
        ],
        report_rows(issues),
        **props,
    )


def rule_counts_table(caption: str, counts: Sequence[dict[str, Any]], **props: Any) -> html.Table:
    """How many times a file breaks each rule (``Réponse invalide : 104 800``).

    ``counts`` are dicts with ``label`` (the rule's French name), ``severity`` and
    ``issues``, as the published ``validation_rule_counts`` table holds them.
    """
    return data_table(
        caption,
        [
            Column("Règle enfreinte", "label"),
            Column("Gravité", "severity", lambda value: SEVERITY_LABELS.get(value, _cell(value))),
            Column("Nombre", "issues", format_integer, numeric=True),
        ],
        counts,
        **props,
    )


#: Columns of a report's lines in a grid (same headers as :func:`report_table`).
REPORT_GRID_COLUMNS = [
    {"headerName": "Ligne", "field": "line", "width": 90, "type": "rightAligned"},
    {"headerName": "Colonne", "field": "column", "width": 140},
    {"headerName": "Question", "field": "question", "width": 110},
    {"headerName": "Valeur", "field": "value", "width": 140},
    {"headerName": "Gravité", "field": "severity", "width": 130},
    {"headerName": "Message", "field": "message", "flex": 1, "minWidth": 320},
]
#: French texts of an AG Grid (its own are English); a grid states its own ``noRowsToShow``.
GRID_LOCALE_TEXT = {
    "noRowsToShow": "Aucune ligne",
    "loadingOoo": "Chargement…",
    "page": "Page",
    "of": "sur",
    "to": "à",
    "more": "plus",
    "next": "Suivante",
    "last": "Dernière",
    "first": "Première",
    "previous": "Précédente",
    "firstPage": "Première page",
    "lastPage": "Dernière page",
    "nextPage": "Page suivante",
    "previousPage": "Page précédente",
    "pageSizeSelectorLabel": "Lignes par page :",
    "ariaRowCount": "Nombre de lignes",
    "ariaColumnCount": "Nombre de colonnes",
    "ariaSortableColumn": "Appuyez sur Entrée pour trier",
    "ariaLabelColumnMenu": "Menu de la colonne",
    "ariaLabelCellEditor": "Éditeur de cellule",
    "ariaLabelDialog": "Boîte de dialogue",
    "ariaVisibility": "visibilité",
    "ariaHidden": "masqué",
    "ariaVisible": "visible",
    "ariaSearch": "Rechercher",
    "ariaChecked": "coché",
    "ariaUnchecked": "non coché",
    "ariaAscending": "croissant",
    "ariaDescending": "décroissant",
    "ariaSortAscending": "tri croissant",
    "ariaSortDescending": "tri décroissant",
}
#: French texts of a report grid.
REPORT_GRID_LOCALE = {**GRID_LOCALE_TEXT, "noRowsToShow": "Aucune ligne détaillée"}
#: Lines of a report fetched from the server at a time.
REPORT_GRID_PAGE = 50


def report_grid(grid_id: Any, label: str) -> html.Div:
    """A grid of a report's lines that asks the server for them page by page (AG Grid's
    infinite row model: a callback answers each ``getRowsRequest`` with one page)."""
    return html.Div(
        dag.AgGrid(
            id=grid_id,
            rowModelType="infinite",
            columnDefs=REPORT_GRID_COLUMNS,
            defaultColDef={"resizable": True, "sortable": False, "wrapText": True,
                           "autoHeight": True},
            dashGridOptions=infinite_grid_options(REPORT_GRID_PAGE, REPORT_GRID_LOCALE),
            style={"height": "420px", "width": "100%"},
            className="grille",
        ),
        role="region",
        **{"aria-label": label},
    )  # fmt: skip


def report_grid_rows(issues: Sequence[dict[str, Any]]) -> list[dict[str, str]]:
    """A report's lines as rows of text, in the order given (a page of :func:`report_grid`,
    the rows of :func:`report_table`)."""
    return [
        {
            "line": _cell(issue.get("line")),
            "column": _cell(issue.get("column")),
            "question": _cell(issue.get("question")),
            "value": _cell(issue.get("value")),
            "severity": SEVERITY_LABELS.get(issue.get("severity"), _cell(issue.get("severity"))),
            "message": _cell(issue.get("message")),
        }
        for issue in issues
    ]


def omitted_lines_note(errors: int, warnings: int) -> html.P | None:
    """The line closing a report whose other ``errors`` and ``warnings`` are only counted."""
    sentence = omitted_sentence(errors, warnings)
    return html.P(sentence, className="note report-omitted") if sentence else None


def count_issues(errors: int, warnings: int) -> str:
    """``"2 erreurs, 1 avertissement"`` (or ``"aucune erreur"``)."""
    parts = []
    if errors or not warnings:
        shown = format_integer(errors) if errors else "aucune"
        parts.append(f"{shown} erreur{'s' if errors > 1 else ''}")
    if warnings:
        parts.append(f"{format_integer(warnings)} avertissement{'s' if warnings > 1 else ''}")
    return ", ".join(parts)


# --- Réalisations exemplaires ------------------------------------------------------------

#: Characters of a sheet's description shown on its card.
CARD_EXCERPT = 220


#: How a count of published sheets is worded (``counted(n, PUBLISHED_ACHIEVEMENT, …S)``).
PUBLISHED_ACHIEVEMENT = "réalisation exemplaire publiée"
PUBLISHED_ACHIEVEMENTS = "réalisations exemplaires publiées"


def counted(count: Any, singular: str, plural: str | None = None) -> str:
    """``"0 soutien"``, ``"1 soutien"``, ``"2 soutiens"`` (French: 0 and 1 take the singular)."""
    number = 0 if is_missing(count) else int(count)
    word = singular if number <= 1 else (plural or f"{singular}s")
    return f"{format_integer(number)} {word}"


def feedback_counts(sheet: dict[str, Any]) -> str:
    """``"2 soutiens · 1 adaptation · 0 commentaire"`` of a published sheet."""
    return " · ".join(
        [
            counted(sheet.get("supports"), "soutien"),
            counted(sheet.get("adaptations"), "adaptation"),
            counted(sheet.get("comments"), "commentaire"),
        ]
    )


def excerpt(text: Any, length: int = CARD_EXCERPT) -> str:
    """The beginning of ``text``, cut at a word and ended with ``…`` when longer."""
    if is_missing(text) or not text:
        return ""
    flat = " ".join(str(text).split())
    if len(flat) <= length:
        return flat
    return flat[:length].rsplit(" ", 1)[0].rstrip(",;:.") + "…"


def achievement_card(
    sheet: dict[str, Any], axis_labels: dict[str, str], heading: str = "h3"
) -> html.Article:
    """A published sheet as a card: its title (a link to its page, in a ``heading`` of the
    level the page needs), author, year, axes, the beginning of what was done and the counts
    of supports, adaptations and comments. ``sheet`` has the columns of the published
    ``achievements`` table and the author's ``territory_name`` and ``kind_label``."""
    title = getattr(html, heading.capitalize())(
        dcc.Link(sheet["title"], href=achievement_href(sheet["achievement_id"])),
        className="achievement-card-title",
    )
    axes = [code for code in str(sheet.get("axes") or "").split("|") if code]
    author = str(sheet.get("territory_name") or sheet["territory"])
    if sheet.get("kind_label"):
        author += f" ({sheet['kind_label']})"
    author += f" · {sheet['year']}"
    return html.Article(
        [
            title,
            html.P(author, className="achievement-card-author"),
            html.Ul(
                [html.Li(axis_labels.get(code, code), className="tag") for code in axes],
                className="tags",
                **{"aria-label": "Axes"},
            ),
            html.P(excerpt(sheet.get("description")), className="achievement-card-excerpt"),
            html.P(feedback_counts(sheet), className="achievement-card-counts"),
        ],
        className="achievement-card",
    )
