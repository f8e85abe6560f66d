"""Déposer un fichier: a territory uploads its questionnaire with its deposit token.

The rules (token, size, table, territory, report with the questionnaire version of the
file's millésime, deposit) live in the submission service ``domain.submissions.service``;
this page only wires them to the form and shows their outcome.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import dash
from dash import Input, Output, State, callback, dcc, html

from dashboards import data, ids
from dashboards.components import (
    DEPOSIT_PATH,
    count_issues,
    notice,
    omitted_lines_note,
    page_title,
    report_table,
    rule_counts_table,
    success_notice,
)
from dashboards.formatting import format_number
from domain.submissions.report import bounded_report
from domain.submissions.service import (
    UploadOutcome,
    incident_message,
    max_upload_bytes,
    receive_upload,
    record_incident,
)
from schemas.vocabulary import ACCEPTED, REFUSED, REJECTED

dash.register_page(
    __name__,
    path=DEPOSIT_PATH,
    name="Déposer un fichier",
    title="Déposer un fichier — Observatoire de la maturité numérique des territoires",
    description="Dépôt du questionnaire d'un territoire avec son jeton de dépôt.",
    order=3,
)

#: File types the form offers (the server reads the content, whatever the name says).
ACCEPTED_TYPES = ".csv,.txt,.tsv,.xlsx"
LONG_TEMPLATE_HEADER = "code_territoire;millesime;code_question;reponse;commentaire"
CHOOSE_LABEL = "Choisir un fichier (CSV ou Excel .xlsx)"
#: Heading of the banner, by status of the outcome.
STATUS_HEADINGS = {
    ACCEPTED: "Fichier accepté",
    REJECTED: "Fichier rejeté",
    REFUSED: "Dépôt refusé",
}

#: Heading of the banner when the very same bytes were received before.
ALREADY_RECEIVED_HEADING = "Fichier déjà reçu"


def territory_title(code: str | None) -> str | None:
    """``"Dépôt pour Bouches-du-Rhône (DEP-13)"``, or ``"Dépôt pour DEP-13"`` if unnamed."""
    if not code:
        return None
    try:
        territory = data.territory(code)
    except data.PublicationError:
        territory = None
    name = territory["name"] if territory else None
    return f"Dépôt pour {name} ({code})" if name else f"Dépôt pour {code}"


def outcome_view(outcome: UploadOutcome, title: str | None = None) -> list[Any]:
    """The banner of an upload's outcome and, when there is one, its validation report.

    ``title`` (see :func:`territory_title`) is shown for accepted and rejected files only:
    a refused file was not kept for anyone.
    """
    heading = STATUS_HEADINGS.get(outcome.status, outcome.status)
    if outcome.already_received is not None:
        heading = ALREADY_RECEIVED_HEADING
    lines: list[Any] = [html.P(html.Strong(heading), className="outcome-heading")]
    if title and outcome.status in {ACCEPTED, REJECTED}:
        lines.append(html.P(title, className="outcome-territory"))
    lines.append(html.P(outcome.message))
    if outcome.status == ACCEPTED:
        banner = success_notice(lines)
    else:
        banner = html.Div(lines, className="notice notice-error", role="alert")
    children: list[Any] = [banner]
    if outcome.issues:
        report = bounded_report(outcome.issues)
        children.append(
            html.Section(
                [
                    html.H2("Rapport de validation"),
                    html.P(
                        f"{count_issues(report.errors, report.warnings)}. Les numéros de "
                        "ligne sont ceux du fichier (la ligne 1 est l'en-tête).",
                        className="note",
                    ),
                    html.Div(
                        rule_counts_table(
                            "Erreurs et avertissements par règle",
                            [dataclasses.asdict(count) for count in report.counts],
                        ),
                        className="table-scroll",
                    ),
                    html.Div(
                        report_table(
                            "Erreurs et avertissements du fichier déposé",
                            [dataclasses.asdict(issue) for issue in report.lines],
                        ),
                        className="table-scroll",
                    ),
                    omitted_lines_note(report.omitted_errors, report.omitted_warnings),
                ],
                className="card report",
            )
        )
    return children


def deposit(token: str | None, file_name: str | None, contents: str | None) -> list[Any]:
    """Check and deposit the uploaded file; never lets an exception reach the visitor."""
    try:
        outcome = receive_upload(token, file_name, contents, data.territories())
        return outcome_view(outcome, territory_title(outcome.territory))
    except data.PublicationError as error:
        return [
            notice(
                "Le dépôt est momentanément indisponible : le référentiel des territoires ne "
                f"peut pas être lu. {error}",
                error=True,
            )
        ]
    except Exception as error:  # noqa: BLE001 - a visitor sees a French sentence and a reference
        reference = record_incident(error, f"page de dépôt, fichier {file_name!r}")
        return [notice(incident_message(reference), error=True)]


def _format_help(millesime: str) -> html.Section:
    return html.Section(
        [
            html.H2("Format attendu"),
            html.P(
                "Un seul fichier par dépôt, en CSV (séparateur « ; », encodage UTF-8) ou en "
                "Excel (.xlsx), contenant uniquement les réponses de votre territoire, sous "
                "l'une de ces deux formes :"
            ),
            html.Ul(
                [
                    html.Li(
                        [
                            "le modèle de l'observatoire, une ligne par question, avec les "
                            "colonnes ",
                            html.Code(LONG_TEMPLATE_HEADER),
                        ]
                    ),
                    html.Li(
                        [
                            "un export d'outil d'enquête, une ligne par territoire et "
                            "millésime : les colonnes ",
                            html.Code("code_territoire;millesime"),
                            " puis une colonne par code de question (",
                            html.Code("LAB_01"),
                            ", ",
                            html.Code("LAB_02"),
                            "…).",
                        ]
                    ),
                ]
            ),
            html.P(
                [
                    "Le modèle vierge de votre territoire s'obtient avec la commande ",
                    html.Code(f"observatoire template --territoire CODE --millesime {millesime}"),
                    " (remplacez CODE par le code de votre territoire, par exemple DEP-13), "
                    "ou auprès de l'équipe de l'observatoire.",
                ]
            ),
            html.P(
                f"Taille maximale : {format_number(max_upload_bytes() / 1e6, 0)}\u00a0Mo. Un "
                "fichier accepté remplace le précédent de votre territoire pour ce millésime ; "
                "ses réponses apparaissent dans les tableaux de bord après la prochaine "
                "actualisation des scores. Un fichier rejeté est conservé avec son rapport : "
                "corrigez-le et "
                "déposez-le à nouveau."
            ),
        ],
        className="card",
    )


def _form() -> html.Section:
    limit = max_upload_bytes()
    return html.Section(
        [
            html.H2("Votre dépôt"),
            html.Div(
                [
                    html.Label("Jeton de dépôt", htmlFor=ids.DEPOSIT_TOKEN),
                    dcc.Input(
                        id=ids.DEPOSIT_TOKEN,
                        type="password",
                        autoComplete="off",
                        spellCheck=False,
                        debounce=False,
                        className="text-input",
                    ),
                    html.P(
                        "Remis par l'équipe de l'observatoire, il est propre à votre territoire "
                        "et n'est jamais affiché.",
                        className="note",
                    ),
                ],
                className="field",
            ),
            html.Div(
                [
                    html.P("Fichier", className="field-label"),
                    dcc.Upload(
                        id=ids.DEPOSIT_UPLOAD,
                        children=html.Div(
                            [
                                html.Span(
                                    "Glissez-déposez votre fichier ici, ou ",
                                    className="drop-hint",
                                ),
                                html.Span(CHOOSE_LABEL, className="button button-secondary"),
                            ]
                        ),
                        accept=ACCEPTED_TYPES,
                        max_size=limit,
                        multiple=False,
                        className="drop-zone",
                        className_active="drop-zone drop-zone-active",
                        className_reject="drop-zone drop-zone-reject",
                    ),
                    html.P(
                        "Aucun fichier choisi.",
                        id=ids.DEPOSIT_FILE_NAME,
                        className="note",
                        **{"aria-live": "polite"},
                    ),
                ],
                className="field",
            ),
            html.Button("Déposer", id=ids.DEPOSIT_SUBMIT, type="button", className="button"),
        ],
        className="card deposit-form",
    )


def layout(**_: Any) -> html.Div:
    """The explanation of the expected file, the form, and where the outcome appears."""
    try:
        millesime = str(data.open_millesimes()[-1])
    except (data.PublicationError, IndexError):
        millesime = "AAAA"
    return html.Div(
        [
            page_title(
                "Déposer un fichier",
                "Déposez le questionnaire de maturité numérique de votre collectivité "
                "avec le jeton de dépôt de votre territoire.",
            ),
            html.Div([_format_help(millesime), _form()], className="grid grid-2"),
            dcc.Loading(
                html.Div(id=ids.DEPOSIT_RESULT, **{"aria-live": "polite"}),
                type="default",
                delay_show=300,
            ),
        ]
    )


@callback(
    Output(ids.DEPOSIT_FILE_NAME, "children"),
    Input(ids.DEPOSIT_UPLOAD, "filename"),
    prevent_initial_call=True,
)
def show_file_name(file_name: str | None) -> str:
    """Say which file was chosen, so that the visitor can check it before depositing."""
    return f"Fichier choisi : {file_name}" if file_name else "Aucun fichier choisi."


@callback(
    Output(ids.DEPOSIT_RESULT, "children"),
    Input(ids.DEPOSIT_SUBMIT, "n_clicks"),
    State(ids.DEPOSIT_TOKEN, "value"),
    State(ids.DEPOSIT_UPLOAD, "contents"),
    State(ids.DEPOSIT_UPLOAD, "filename"),
    prevent_initial_call=True,
    running=[(Output(ids.DEPOSIT_SUBMIT, "disabled"), True, False)],
)
def submit(
    _n_clicks: int | None, token: str | None, contents: str | None, file_name: str | None
) -> list[Any]:
    """Deposit the chosen file with the token typed, and show the outcome."""
    return deposit(token, file_name, contents)
