"""Déposer un fichier: a territory uploads its questionnaire with its deposit token, and
proposes its « réalisations exemplaires » (a form, or a filled template file).

The rules (token, size, table, territory, report with the questionnaire version of the
file's millésime, deposit) live in the submission service ``domain.submissions.service``;
those of a sheet (its schema, own territory only, archive, store, review) in
``domain.achievements.service``. This page only wires them to the forms and shows their
outcome. Every id of the page starts with ``depot-``: its callbacks are never cached.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import dash
from dash import ALL, Input, Output, State, callback, ctx, html

from dashboards import data, ids
from dashboards.components import (
    DEPOSIT_PATH,
    Column,
    button,
    chosen_file,
    count_issues,
    data_table,
    drop_zone,
    live_region,
    loading_result,
    notice,
    omitted_lines_note,
    page_title,
    report_table,
    rule_counts_table,
    success_notice,
    token_field,
)
from dashboards.contribution_forms import (
    component_id,
    form_strings,
    paris_time,
    sheet_form_fields,
)
from dashboards.formatting import format_number
from domain.achievements.service import (
    ALREADY_RECORDED,
    ContributionOutcome,
    submit_sheet_file,
    submit_sheet_form,
    territory_sheets,
)
from domain.submissions.report import ValidationIssue, bounded_report
from domain.submissions.service import (
    UploadOutcome,
    decode_upload,
    incident_message,
    max_upload_bytes,
    receive_upload,
    record_incident,
)
from schemas.vocabulary import ACCEPTED, REFUSED, REJECTED, SHEET_PROPOSED

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
        children.append(report_section(outcome.issues))
    return children


def report_section(
    issues: list[ValidationIssue],
    *,
    caption: str = "Erreurs et avertissements du fichier déposé",
    note: str = "Les numéros de ligne sont ceux du fichier (la ligne 1 est l'en-tête).",
    by_rule: bool = True,
) -> html.Section:
    """The validation report of a deposit: counts by rule (unless ``by_rule`` is false: a
    sheet's few issues each name their field), then its (bounded) lines."""
    report = bounded_report(issues)
    counts = html.Div(
        rule_counts_table(
            "Erreurs et avertissements par règle",
            [dataclasses.asdict(count) for count in report.counts],
        ),
        className="table-scroll",
    )
    return html.Section(
        [
            html.H2("Rapport de validation"),
            html.P(
                f"{count_issues(report.errors, report.warnings)}. {note}",
                className="note",
            ),
            counts if by_rule else None,
            html.Div(
                report_table(caption, [dataclasses.asdict(issue) for issue in report.lines]),
                className="table-scroll",
            ),
            omitted_lines_note(report.omitted_errors, report.omitted_warnings),
        ],
        className="card report",
    )


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


# --- Réalisations exemplaires -----------------------------------------------------------

#: File types of a filled sheet template.
SHEET_TYPES = ".csv,.txt,.xlsx,.md"
#: Heading of the banner of a sheet's outcome, by status.
SHEET_HEADINGS = {
    SHEET_PROPOSED: "Fiche reçue, en attente de relecture",
    ALREADY_RECORDED: "Fiche déjà reçue",
    REJECTED: "Fiche à corriger",
    REFUSED: "Fiche refusée",
}
#: Told with every sheet received: it is public only once an analyst has published it.
AWAITS_REVIEW = (
    "Elle attend la relecture d'un analyste de l'observatoire et n'est pas encore publique : "
    "elle apparaîtra sur la page Réalisations une fois publiée."
)
SHEET_REPORT_NOTE = "Chaque ligne nomme le champ de la fiche et la correction attendue."


def sheet_outcome_view(outcome: ContributionOutcome) -> list[Any]:
    """The banner of a sheet's outcome and, when it has some, the report of its errors."""
    heading = SHEET_HEADINGS.get(outcome.status, outcome.status.capitalize())
    lines: list[Any] = [
        html.P(html.Strong(heading), className="outcome-heading"),
        html.P(outcome.message),
    ]
    if outcome.status == "proposée":
        if outcome.achievement_id:
            lines.append(html.P(f"Fiche {outcome.achievement_id}, version {outcome.version}."))
        lines.append(html.P(AWAITS_REVIEW))
        banner = success_notice(lines)
    else:
        banner = html.Div(lines, className="notice notice-error", role="alert")
    children: list[Any] = [banner]
    if outcome.issues:
        children.append(
            report_section(
                outcome.issues,
                caption="Erreurs et avertissements de la fiche",
                note=SHEET_REPORT_NOTE,
                by_rule=False,
            )
        )
    return children


def _incident(error: Exception, what: str) -> list[Any]:
    reference = record_incident(error, what)
    return [notice(incident_message(reference), error=True)]


def propose_sheet(token: str | None, fields: dict[str, str]) -> list[Any]:
    """Submit the sheet typed in the form with ``token``; never lets an exception through."""
    try:
        return sheet_outcome_view(submit_sheet_form(fields, (token or "").strip()))
    except Exception as error:  # noqa: BLE001 - a visitor sees a French sentence and a reference
        return _incident(error, "formulaire de réalisation exemplaire")


def propose_sheet_file(token: str | None, file_name: str | None, contents: str | None) -> list[Any]:
    """Submit the uploaded sheet file with ``token``; never lets an exception through."""
    if not contents:
        return [notice("Aucun fichier reçu : choisissez la fiche remplie.", error=True)]
    try:
        content = decode_upload(contents)
    except ValueError:  # binascii.Error is a ValueError
        return [notice("Le fichier n'a pas pu être transmis : réessayez.", error=True)]
    limit = max_upload_bytes()
    if len(content) > limit:
        return [
            notice(
                f"Fichier trop volumineux : la limite est de "
                f"{format_number(limit / 1e6, 0)}\u00a0Mo.",
                error=True,
            )
        ]
    name = file_name or "fiche"
    try:
        outcome = submit_sheet_file(content, name, (token or "").strip())
        return sheet_outcome_view(outcome)
    except Exception as error:  # noqa: BLE001 - a visitor sees a French sentence and a reference
        return _incident(error, f"fichier de réalisation exemplaire {name!r}")


def own_sheets_view(token: str | None) -> list[Any]:
    """Where the sheets of the token's territory stand: status, version, and what the
    analyst asked to change; never lets an exception through."""
    try:
        sheets = territory_sheets((token or "").strip())
    except Exception as error:  # noqa: BLE001 - a visitor sees a French sentence and a reference
        return _incident(error, "fiches du territoire")
    if sheets is None:
        return [
            notice(
                "Jeton de dépôt inconnu ou révoqué. Vérifiez-le ou demandez-en un nouveau à "
                "l'équipe de l'observatoire.",
                error=True,
            )
        ]
    if sheets.empty:
        return [notice("Votre territoire n'a encore proposé aucune réalisation.")]
    rows = [
        {
            "identifier": row["achievement_id"].split("/", 1)[-1],
            "title": row.get("titre"),
            "version": int(row["version"]),
            "status": row["status"],
            "message": row.get("decision_message") or "",
            "decision": (
                f"{row['decision_author']}, le {paris_time(row['decided_at'])}"
                if row.get("decision_author")
                else ""
            ),
        }
        for row in sheets.to_dict("records")
    ]
    territory = sheets["territory"].iloc[0]
    return [
        html.Div(
            data_table(
                f"Réalisations proposées par {territory} et leur état",
                [
                    Column("Identifiant", "identifier"),
                    Column("Titre", "title"),
                    Column("Version", "version", numeric=True),
                    Column("État", "status"),
                    Column("Message de l'analyste", "message"),
                    Column("Décision", "decision"),
                ],
                rows,
            ),
            className="table-scroll",
        )
    ]


def _published_axes() -> list[tuple[str, str]]:
    try:
        frame = data.axes()
    except data.PublicationError:
        return []
    return list(zip(frame["code"], frame["label"], strict=True))


def _sheet_section() -> html.Section:
    """Proposing an achievement: the token, then the form or a filled template file."""
    return html.Section(
        [
            html.H2("Proposer une réalisation exemplaire"),
            html.P(
                "Partagez une réalisation de votre territoire avec les autres territoires : "
                "son contexte, ses partenaires, son coût, ses résultats et ce qu'il faut "
                "pour l'adapter ailleurs. Une fiche proposée est relue par un analyste de "
                "l'observatoire avant d'être publiée ; pour en déposer une nouvelle "
                "version, gardez le même identifiant."
            ),
            token_field(
                ids.SHEET_TOKEN,
                "Jeton de dépôt",
                html.P(
                    "Le même jeton que pour le questionnaire : un territoire ne propose "
                    "que ses propres réalisations.",
                    className="note",
                ),
                button(
                    "Voir où en sont les fiches de mon territoire", ids.SHEET_MINE, secondary=True
                ),
                live_region(ids.SHEET_MINE_RESULT),
            ),
            html.Details(
                [
                    html.Summary("Remplir la fiche en ligne"),
                    html.Div(sheet_form_fields(_published_axes()), className="sheet-form"),
                    button("Proposer la réalisation", ids.SHEET_FORM_SUBMIT),
                ],
                open=True,
                className="sheet-part",
            ),
            html.Details(
                [
                    html.Summary("Ou déposer une fiche remplie (CSV, Excel ou Markdown)"),
                    html.P(
                        [
                            "Le modèle vierge de votre territoire s'obtient avec la commande ",
                            html.Code("observatoire template --realisation --territoire CODE"),
                            " (ajoutez ",
                            html.Code("--format xlsx"),
                            " ou ",
                            html.Code("--format md"),
                            " pour un classeur Excel ou un fichier Markdown), ou auprès de "
                            "l'équipe de l'observatoire.",
                        ]
                    ),
                    *drop_zone(
                        ids.SHEET_UPLOAD,
                        ids.SHEET_FILE_NAME,
                        hint="Glissez-déposez la fiche remplie ici, ou ",
                        choose="Choisir une fiche (CSV, Excel .xlsx ou Markdown .md)",
                        accept=SHEET_TYPES,
                        max_size=max_upload_bytes(),
                    ),
                    button("Déposer la fiche", ids.SHEET_FILE_SUBMIT),
                ],
                className="sheet-part",
            ),
            loading_result(ids.SHEET_FORM_RESULT),
        ],
        className="card sheet-proposal",
        id="proposer-une-realisation",
    )


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
    return html.Section(
        [
            html.H2("Votre dépôt"),
            token_field(
                ids.DEPOSIT_TOKEN,
                "Jeton de dépôt",
                html.P(
                    "Remis par l'équipe de l'observatoire, il est propre à votre territoire "
                    "et n'est jamais affiché.",
                    className="note",
                ),
            ),
            html.Div(
                [
                    html.P("Fichier", className="field-label"),
                    *drop_zone(
                        ids.DEPOSIT_UPLOAD,
                        ids.DEPOSIT_FILE_NAME,
                        hint="Glissez-déposez votre fichier ici, ou ",
                        choose=CHOOSE_LABEL,
                        accept=ACCEPTED_TYPES,
                        max_size=max_upload_bytes(),
                    ),
                ],
                className="field",
            ),
            button("Déposer", ids.DEPOSIT_SUBMIT),
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
            loading_result(ids.DEPOSIT_RESULT),
            _sheet_section(),
        ]
    )


@callback(
    Output(ids.DEPOSIT_FILE_NAME, "children"),
    Input(ids.DEPOSIT_UPLOAD, "filename"),
    prevent_initial_call=True,
)
def show_file_name(file_name: str | None) -> str:
    """Say which file was chosen, so that the visitor can check it before depositing."""
    return chosen_file(file_name)


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


@callback(
    Output(ids.SHEET_FILE_NAME, "children"),
    Input(ids.SHEET_UPLOAD, "filename"),
    prevent_initial_call=True,
)
def show_sheet_file_name(file_name: str | None) -> str:
    """Say which sheet file was chosen."""
    return show_file_name(file_name)


@callback(
    Output(ids.SHEET_FORM_RESULT, "children"),
    Input(ids.SHEET_FORM_SUBMIT, "n_clicks"),
    Input(ids.SHEET_FILE_SUBMIT, "n_clicks"),
    State(ids.SHEET_TOKEN, "value"),
    State(component_id(ids.SHEET_FIELD, ALL, key="champ"), "value"),
    State(ids.SHEET_UPLOAD, "contents"),
    State(ids.SHEET_UPLOAD, "filename"),
    prevent_initial_call=True,
    running=[
        (Output(ids.SHEET_FORM_SUBMIT, "disabled"), True, False),
        (Output(ids.SHEET_FILE_SUBMIT, "disabled"), True, False),
    ],
)
def submit_sheet(
    _form_clicks: int | None,
    _file_clicks: int | None,
    token: str | None,
    values: list[Any],
    contents: str | None,
    file_name: str | None,
) -> list[Any]:
    """Propose the sheet of the form or of the chosen file, and show the outcome."""
    if ctx.triggered_id == ids.SHEET_FILE_SUBMIT:
        return propose_sheet_file(token, file_name, contents)
    field_ids = [item["id"] for item in ctx.states_list[1]]
    return propose_sheet(token, form_strings(values, field_ids))


@callback(
    Output(ids.SHEET_MINE_RESULT, "children"),
    Input(ids.SHEET_MINE, "n_clicks"),
    State(ids.SHEET_TOKEN, "value"),
    prevent_initial_call=True,
)
def show_own_sheets(_n_clicks: int | None, token: str | None) -> list[Any]:
    """List the sheets of the token's territory with their state."""
    return own_sheets_view(token)
