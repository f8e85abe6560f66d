"""Qualité des données: files received, territories that answered, rejections and histories."""

from __future__ import annotations

from typing import Any

import dash
import pandas as pd
import plotly.graph_objects as go
from dash import MATCH, Input, Output, State, callback, dcc, html

from dashboards import data, ids
from dashboards.components import (
    DROPDOWN_LABELS,
    QUALITY_PATH,
    Column,
    count_issues,
    data_table,
    fiche_href,
    graph,
    kpi_card,
    millesime_choice,
    notice,
    omitted_lines_note,
    page_title,
    parse_millesime,
    query_string,
    report_grid,
    report_grid_rows,
    rule_counts_table,
    searched_options,
    territory_options,
)
from dashboards.figures import (
    base_layout,
    response_by_kind,
    response_chart,
)
from dashboards.formatting import (
    MISSING,
    format_date,
    format_integer,
    format_percent,
    format_size,
    is_missing,
)
from dashboards.paging import requested_window, rows_response
from schemas.vocabulary import (
    ACCEPTED,
    CORRECTED,
    KIND_SHORT_PLURALS,
    REJECTED,
    SUPERSEDED,
    TERRITORY_KINDS,
)

dash.register_page(
    __name__,
    path=QUALITY_PATH,
    name="Qualité des données",
    title="Qualité des données — Observatoire de la maturité numérique des territoires",
    description="Fichiers reçus, taux de réponse, fichiers rejetés et historique des dépôts.",
    order=2,
)

#: Value of the kind filter that shows every kind.
ALL_KINDS = "toutes"
#: How each status of a file reads in the tables.
STATUS_LABELS = {
    ACCEPTED: "Acceptée",
    SUPERSEDED: "Remplacée par une version plus récente",
    REJECTED: "Rejetée (en quarantaine)",
    CORRECTED: "Rejetée, corrigée depuis",
}
HISTORY_PROMPT = "Choisissez un territoire pour afficher tous les fichiers reçus pour lui."
UTC_NOTE = "heures UTC"


def status_label(status: str | None) -> str:
    """A file status as visitors read it (``REJECTED`` → ``Rejetée (en quarantaine)``)."""
    if is_missing(status) or not status:
        return MISSING
    return STATUS_LABELS.get(status, status)


def territory_label(territory: str | None) -> str:
    """The territory (or territories) of a file, or why it is unknown."""
    if is_missing(territory) or not territory:
        return "territoire illisible"
    return territory.replace(",", ", ")


def millesime_label(millesime: Any) -> str:
    return "millésime illisible ou multiple" if is_missing(millesime) else str(int(millesime))


# --- Sections -------------------------------------------------------------------------


def kpis(summary: data.QualitySummary) -> list[Any]:
    """The headline cards of a millésime's submissions."""
    undated = (
        f"et {format_integer(summary.files_undated)} sans millésime lisible"
        if summary.files_undated
        else f"millésime {summary.millesime}"
    )
    superseded = (
        f"dont {format_integer(summary.files_superseded)} remplacé(s) depuis"
        if summary.files_superseded
        else "aucun remplacé depuis"
    )
    rejected = "en quarantaine, en attente d'une version corrigée"
    if summary.files_rejected_undated:
        rejected += f" (dont {format_integer(summary.files_rejected_undated)} sans millésime)"
    return [
        kpi_card("Fichiers reçus", format_integer(summary.files_received), undated),
        kpi_card("Fichiers acceptés", format_integer(summary.files_accepted), superseded),
        kpi_card("Fichiers rejetés", format_integer(summary.files_rejected), rejected),
        kpi_card(
            "Territoires ayant répondu",
            f"{format_integer(summary.territories_answered)} / "
            f"{format_integer(summary.territories_expected)}",
            "territoires du référentiel",
        ),
        kpi_card(
            "Taux de réponse",
            format_percent(summary.response_rate, 1),
            f"millésime {summary.millesime}",
        ),
    ]


def kinds_parts(status: pd.DataFrame, millesime: int) -> tuple[go.Figure, html.Table]:
    """Answered / not yet by kind of territory: the chart and its table (with a total)."""
    by_kind = response_by_kind(status)
    rows = [
        {**record, "kind_label": KIND_SHORT_PLURALS.get(record["kind"], record["kind_label"])}
        for record in by_kind.to_dict("records")
    ]
    expected, answered = int(by_kind["expected"].sum()), int(by_kind["answered"].sum())
    rows.append(
        {
            "kind_label": html.Strong("Ensemble"),
            "expected": expected,
            "answered": answered,
            "missing": expected - answered,
            "rate": answered / expected if expected else None,
        }
    )
    table = data_table(
        f"Territoires ayant répondu par catégorie, millésime {millesime}",
        [
            Column("Catégorie", "kind_label", lambda label: label),
            Column("Attendus", "expected", format_integer, numeric=True),
            Column("Ont répondu", "answered", format_integer, numeric=True),
            Column("Sans réponse", "missing", format_integer, numeric=True),
            Column("Taux de réponse", "rate", lambda rate: format_percent(rate, 1), numeric=True),
        ],
        rows,
    )
    return response_chart(by_kind), table


def kind_options(status: pd.DataFrame) -> list[dict[str, str]]:
    """Options of the kind filter: every kind of the reference, after « Toutes »."""
    kinds = status[["kind", "kind_label"]].drop_duplicates()
    return [{"label": "Toutes les catégories", "value": ALL_KINDS}] + [
        {"label": row.kind_label, "value": row.kind} for row in kinds.itertuples(index=False)
    ]


#: Territories without answer listed at most (a scope with every commune has ~35,000).
MISSING_SHOWN = 300


def missing_table(status: pd.DataFrame, millesime: int, kind: str | None) -> Any:
    """Territories of the reference (of ``kind`` unless all) with no accepted file, the
    first :data:`MISSING_SHOWN` listed and the others counted."""
    missing = status[~status["answered"].astype(bool)]
    if kind and kind != ALL_KINDS:
        missing = missing[missing["kind"] == kind]
    if missing.empty:
        return notice("Tous les territoires de cette catégorie ont répondu.")
    total = len(missing)
    missing = missing.head(MISSING_SHOWN)
    rows = [
        {
            "name": dcc.Link(row.name, href=fiche_href(row.code, millesime)),
            "kind_label": row.kind_label,
            "code": row.code,
        }
        for row in missing.itertuples(index=False)
    ]
    count = format_integer(total)
    table = data_table(
        f"{count} territoire{'s' if total > 1 else ''} sans fichier accepté pour le "
        f"millésime {millesime}",
        [
            Column("Territoire", "name", lambda link: link),
            Column("Catégorie", "kind_label"),
            Column("Code", "code", lambda code: html.Span(code, className="nowrap")),
        ],
        rows,
    )
    if total <= len(rows):
        return table
    more = html.P(
        f"… et {format_integer(total - len(rows))} autres, non affichés ici : choisissez une "
        "catégorie pour affiner la liste.",
        className="note",
    )
    return html.Div([table, more])


def _file_facts(row: Any) -> str:
    return (
        f"reçu le {format_date(row.received_at)} ({UTC_NOTE}) · "
        f"{territory_label(row.territory)} · {millesime_label(row.millesime)} · "
        f"{count_issues(int(row.errors), int(row.warnings))}"
    )


#: Files in quarantine shown with their report; the others are counted (a territory's
#: history lists them all).
QUARANTINE_SHOWN = 20
#: Corrected files listed.
CORRECTED_SHOWN = 50
#: Id type of a file's report grid (its index is the file's SHA-256).
REPORT_GRID = "qualite-rapport"


def _more_files(shown: int, total: int, what: str) -> html.P | None:
    if total <= shown:
        return None
    return html.P(
        f"… et {format_integer(total - shown)} autres fichiers {what}, non affichés ici : "
        "choisissez leur territoire dans l'historique ci-dessous pour les voir.",
        className="note",
    )


def file_report(row: Any, counts: pd.DataFrame, sizes: pd.DataFrame) -> html.Details:
    """One quarantined file: its counts by rule, then its report's lines, loaded page by
    page by the grid (the layout holds no line of the report)."""
    published = sizes.loc[sizes["sha256"] == row.sha256]
    shown_errors = int(published["errors"].sum())
    shown_warnings = int(published["warnings"].sum())
    own_counts = counts.loc[counts["sha256"] == row.sha256]
    body: list[Any] = []
    if not own_counts.empty:
        body.append(
            html.Div(
                rule_counts_table(
                    f"Erreurs et avertissements de {row.file_name}, par règle",
                    own_counts.to_dict("records"),
                ),
                className="table-scroll",
            )
        )
    body.append(
        report_grid(
            {"type": REPORT_GRID, "index": row.sha256},
            f"Rapport de validation de {row.file_name}",
        )
    )
    body.append(
        omitted_lines_note(
            max(int(row.errors) - shown_errors, 0), max(int(row.warnings) - shown_warnings, 0)
        )
    )
    return html.Details(
        [
            html.Summary(
                [
                    html.Span(row.file_name, className="file-name"),
                    html.Span(_file_facts(row), className="file-facts"),
                ]
            ),
            *body,
        ],
        className="file-report",
    )


def rejected_section(millesime: int, summary: data.QualitySummary | None = None) -> list[Any]:
    """Files in quarantine (the newest :data:`QUARANTINE_SHOWN`), each with its counts by
    rule and its report; then the rejected files corrected since. Bounded whatever the
    number of files or of lines in their reports."""
    summary = summary or data.quality_summary(millesime)
    quarantined = data.problem_files(millesime, (REJECTED,), QUARANTINE_SHOWN)
    corrected = data.problem_files(millesime, (CORRECTED,), CORRECTED_SHOWN)
    children: list[Any] = []
    if quarantined.empty:
        children.append(notice(f"Aucun fichier en quarantaine pour le millésime {millesime}."))
    else:
        files = quarantined["sha256"].tolist()
        counts, sizes = data.rule_counts(files), data.report_sizes(files)
        children += [file_report(row, counts, sizes) for row in quarantined.itertuples()]
        children.append(_more_files(len(quarantined), summary.files_rejected, "en quarantaine"))
    corrected_children: list[Any] = [html.H3("Fichiers rejetés puis corrigés")]
    if corrected.empty:
        corrected_children.append(html.P("Aucun pour ce millésime.", className="note"))
    else:
        corrected_children.append(
            html.Div(
                data_table(
                    f"Fichiers rejetés dont une version corrigée a été acceptée ({UTC_NOTE})",
                    [
                        Column("Fichier", "file_name"),
                        Column("Reçu le", "received_at", format_date),
                        Column("Territoire", "territory", territory_label),
                        Column("Erreurs", "errors", format_integer, numeric=True),
                    ],
                    corrected.to_dict("records"),
                ),
                className="table-scroll",
            )
        )
        corrected_children.append(_more_files(len(corrected), summary.files_corrected, "corrigés"))
    children.append(html.Div(corrected_children, id=ids.QUALITY_CORRECTED))
    return children


def report_response(sha256: str, request: dict[str, Any]) -> dict[str, Any]:
    """The lines a report grid asks for (``startRow`` to ``endRow``), read with
    LIMIT/OFFSET from the published file, and how many lines the grid can ask for."""
    window = requested_window(request)
    try:
        page = data.validation_report_page(sha256, window.offset, window.limit)
        total = int(data.report_sizes([sha256])["lines"].sum())
    except data.PublicationError:
        return rows_response([], 0)
    return rows_response(report_grid_rows(page.to_dict("records")), total)


@callback(
    Output({"type": REPORT_GRID, "index": MATCH}, "getRowsResponse"),
    Input({"type": REPORT_GRID, "index": MATCH}, "getRowsRequest"),
    prevent_initial_call=True,
)
def report_page(request: dict[str, Any] | None) -> Any:
    """One page of the report of the grid's file, for AG Grid's infinite row model."""
    if not request:
        return dash.no_update
    return report_response(dash.ctx.triggered_id["index"], request)


def history_body(code: str | None) -> Any:
    """Every version received for territory ``code``, newest first."""
    if not code:
        return notice(HISTORY_PROMPT)
    territory = data.territory(code)
    if territory is None:
        return notice(
            f"Territoire inconnu : « {code} ». Choisissez-en un dans la liste.", error=True
        )
    versions = data.territory_submissions(code)
    if versions.empty:
        return notice(f"Aucun fichier reçu pour {territory['name']} ({code}).")
    rows = [
        {
            **record,
            "status": status_label(record["status"]),
            "millesime": millesime_label(record["millesime"]),
        }
        for record in versions.to_dict("records")
    ]
    return data_table(
        f"Fichiers reçus pour {territory['name']} ({code}), du plus récent au plus ancien "
        f"({UTC_NOTE})",
        [
            Column("Reçu le", "received_at", format_date),
            Column("Fichier", "file_name"),
            Column("Millésime", "millesime"),
            Column(
                "Déposé par", "submitter", lambda value: MISSING if is_missing(value) else value
            ),
            Column("Taille", "size_bytes", format_size, numeric=True),
            Column("Statut", "status"),
            Column("Erreurs", "errors", format_integer, numeric=True),
            Column("Avertissements", "warnings", format_integer, numeric=True),
        ],
        rows,
    )


# --- Page -----------------------------------------------------------------------------


def _empty_figure() -> go.Figure:
    return go.Figure(layout=base_layout(xaxis={"visible": False}, yaxis={"visible": False}))


def _card(title: str, children: list[Any], **props: Any) -> html.Section:
    return html.Section([html.H2(title), *children], className="card", **props)


def _page(
    millesimes: list[int],
    millesime: int | None,
    kind: str,
    code: str | None,
    status_message: Any = None,
) -> html.Div:
    """The page skeleton; every component a callback uses is always present."""
    ready = millesime is not None
    status = data.response_status(millesime) if ready else pd.DataFrame()
    if ready:
        figure, kinds_table = kinds_parts(status, millesime)
        options = kind_options(status)
        missing: Any = missing_table(status, millesime, kind)
        summary = data.quality_summary(millesime)
        kpi_children: list[Any] = kpis(summary)
        rejected: list[Any] = rejected_section(millesime, summary)
        territories = territory_options([code] if code else [])
        history = history_body(code)
    else:
        kpi_children, figure, kinds_table, options = [], _empty_figure(), None, []
        missing, rejected, territories, history = None, [], [], None
    known = {option["value"] for option in territories}
    return html.Div(
        [
            dcc.Location(id=ids.QUALITY_URL, refresh=False),
            page_title(
                "Qualité des données",
                "Fichiers reçus des collectivités, territoires qui n'ont pas encore "
                "répondu, fichiers rejetés avec leur rapport et historique des dépôts.",
            ),
            html.Div(status_message, id=ids.QUALITY_STATUS),
            html.Div(
                millesime_choice(ids.QUALITY_MILLESIME, millesimes, millesime),
                className="controls",
                hidden=not ready,
            ),
            html.Section(
                kpi_children,
                id=ids.QUALITY_KPIS,
                className="kpis",
                **{"aria-live": "polite", "aria-label": "Chiffres clés des dépôts"},
            ),
            html.Div(
                [
                    _card(
                        "Réponses par catégorie de territoire",
                        [
                            html.Div(
                                [
                                    graph(
                                        ids.QUALITY_KINDS_CHART,
                                        figure,
                                        "Territoires ayant répondu et sans réponse, par "
                                        "catégorie de territoire",
                                    ),
                                    html.Div(
                                        kinds_table,
                                        id=ids.QUALITY_KINDS_TABLE,
                                        className="table-scroll",
                                    ),
                                ],
                                className="grid grid-flat",
                            ),
                        ],
                    ),
                    _card(
                        "Territoires sans réponse",
                        [
                            html.Div(
                                [
                                    html.Label(
                                        "Catégorie de territoire",
                                        htmlFor=ids.QUALITY_KIND_FILTER,
                                    ),
                                    dcc.Dropdown(
                                        id=ids.QUALITY_KIND_FILTER,
                                        options=options,
                                        value=kind,
                                        clearable=False,
                                        searchable=False,
                                    ),
                                ],
                                className="control control-filter",
                            ),
                            html.P(
                                "Territoires du référentiel sans fichier accepté pour ce "
                                "millésime. Cliquez sur un nom pour ouvrir sa fiche.",
                                className="note",
                            ),
                            html.Div(
                                missing,
                                id=ids.QUALITY_MISSING,
                                className="table-scroll",
                                **{"aria-live": "polite"},
                            ),
                        ],
                    ),
                    _card(
                        "Fichiers rejetés",
                        [
                            html.P(
                                "Fichiers en quarantaine : ils ne comptent pas tant qu'une "
                                "version corrigée n'a pas été acceptée. Ouvrez un fichier pour "
                                "lire son rapport de validation.",
                                className="note",
                            ),
                            html.Div(rejected, id=ids.QUALITY_REJECTED),
                        ],
                    ),
                    _card(
                        "Historique d'un territoire",
                        [
                            html.Div(
                                [
                                    html.Label("Territoire", htmlFor=ids.QUALITY_TERRITORY),
                                    dcc.Dropdown(
                                        id=ids.QUALITY_TERRITORY,
                                        options=territories,
                                        value=code if code in known else None,
                                        searchable=True,
                                        clearable=False,
                                        placeholder="Rechercher un territoire…",
                                        labels=DROPDOWN_LABELS,
                                        maxHeight=320,
                                        className="territory-chooser",
                                    ),
                                ],
                                className="control control-wide",
                            ),
                            html.Div(
                                history,
                                id=ids.QUALITY_HISTORY,
                                className="table-scroll history",
                                **{"aria-live": "polite"},
                            ),
                        ],
                    ),
                ],
                hidden=not ready,
            ),
        ]
    )


def layout(
    millesime: str | None = None,
    code: str | None = None,
    categorie: str | None = None,
    **_: Any,
) -> html.Div:
    """The page for ``?millesime=…&code=…&categorie=…`` (latest millésime by default)."""
    kind = categorie if categorie in TERRITORY_KINDS else ALL_KINDS
    try:
        millesimes = data.millesimes()
        selected = parse_millesime(millesime, millesimes)
        if selected is None:
            return _page([], None, kind, None, notice("Aucun millésime n'est encore publié."))
        return _page(millesimes, selected, kind, code)
    except data.PublicationError as error:
        return _page([], None, kind, None, notice(str(error), error=True))


@callback(
    Output(ids.QUALITY_KPIS, "children"),
    Output(ids.QUALITY_KINDS_CHART, "figure"),
    Output(ids.QUALITY_KINDS_TABLE, "children"),
    Output(ids.QUALITY_REJECTED, "children"),
    Output(ids.QUALITY_STATUS, "children", allow_duplicate=True),
    Input(ids.QUALITY_MILLESIME, "value"),
    prevent_initial_call=True,
)
def show_millesime(millesime: int) -> tuple[Any, ...]:
    """Refresh the figures, the kinds and the rejected files for the chosen millésime."""
    try:
        status = data.response_status(millesime)
        figure, table = kinds_parts(status, millesime)
        summary = data.quality_summary(millesime)
        return kpis(summary), figure, table, rejected_section(millesime, summary), None
    except data.PublicationError as error:
        no = dash.no_update
        return no, no, no, no, notice(str(error), error=True)


@callback(
    Output(ids.QUALITY_MISSING, "children"),
    Output(ids.QUALITY_STATUS, "children", allow_duplicate=True),
    Input(ids.QUALITY_MILLESIME, "value"),
    Input(ids.QUALITY_KIND_FILTER, "value"),
    prevent_initial_call=True,
)
def show_missing(millesime: int, kind: str | None) -> tuple[Any, Any]:
    """List the territories of the chosen kind that have not answered the chosen millésime."""
    try:
        return missing_table(data.response_status(millesime), millesime, kind), None
    except data.PublicationError as error:
        return dash.no_update, notice(str(error), error=True)


@callback(
    Output(ids.QUALITY_HISTORY, "children"),
    Input(ids.QUALITY_TERRITORY, "value"),
    prevent_initial_call=True,
)
def show_history(code: str | None) -> Any:
    """List every version received for the chosen territory."""
    try:
        return history_body(code)
    except data.PublicationError as error:
        return notice(str(error), error=True)


@callback(
    Output(ids.QUALITY_URL, "search"),
    Input(ids.QUALITY_MILLESIME, "value"),
    Input(ids.QUALITY_TERRITORY, "value"),
    Input(ids.QUALITY_KIND_FILTER, "value"),
    prevent_initial_call=True,
)
def keep_url(millesime: int | None, code: str | None, kind: str | None) -> str:
    """Write the millésime, the territory and the kind filter in the URL, for sharing."""
    return query_string(
        millesime=millesime, code=code, categorie=None if kind == ALL_KINDS else kind
    )


@callback(
    Output(ids.QUALITY_TERRITORY, "options"),
    Input(ids.QUALITY_TERRITORY, "search_value"),
    State(ids.QUALITY_TERRITORY, "value"),
    prevent_initial_call=True,
)
def search_territories(search: str | None, value: Any) -> Any:
    """The territories whose name holds what was typed (only past a large reference)."""
    return searched_options(search, value)
