"""Forms of contribution to the « réalisations exemplaires »: the sheet's fields (form of
the upload page, content shown to analysts) and peer feedback on a published sheet
(support, « nous l'adaptons », comment).

The sheet's fields are generated from its schema (``data/realisations/fiche_v1.yaml``
through :mod:`schemas.achievement_sheet`): label, help, type, required and limits are
written once, there.
``feedback_panel(achievement_id)`` is the form a sheet's page shows under the sheet: the
territory's deposit token, two buttons and a comment. The rules (token, only published
sheets, never one's own, one support per territory, comments kept for review) live in
``domain.achievements.service``; this module only wires them to the form. Its ids are
pattern-matching ids keyed by the achievement, so that the one callback serves every sheet
page of the path template; their types start with ``contribution-``, never cached
(:mod:`dashboards.response_cache`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
from dash import MATCH, Input, Output, State, callback, ctx, dcc, html, no_update

from dashboards import ids
from dashboards.components import (
    button,
    dom_id,
    live_region,
    notice,
    success_notice,
    token_field,
)
from dashboards.formatting import (
    format_integer,
    format_number,
    format_paris_time,
    is_missing,
)
from domain.achievements.service import (
    ALREADY_RECORDED,
    MAX_COMMENT_CHARS,
    RECORDED,
    ContributionOutcome,
    comment_sheet,
    support_sheet,
)
from domain.submissions.service import incident_message, record_incident
from schemas.achievement_sheet import SheetField, load_sheet_schema
from schemas.vocabulary import ADAPTATION, KIND_LABELS, SUPPORT, TERRITORY_KINDS

#: What each button records.
BUTTON_KINDS = {ids.FEEDBACK_SUPPORT: SUPPORT, ids.FEEDBACK_ADAPTATION: ADAPTATION}
#: What the visitor is told once a support is recorded: the pages read the published
#: snapshot, which the contributions sensor renews within seconds.
NEXT_PUBLICATION = (
    "La prochaine publication a lieu dans quelques secondes : rechargez alors la page."
)


def component_id(kind: str, item: Any, *, key: str = "realisation") -> dict[str, Any]:
    """The pattern-matching id of one part of a form about ``item`` (an achievement id, a
    comment id, a field name, or a wildcard in a callback)."""
    return {"type": kind, key: item}


def pressed_button() -> dict[str, Any] | None:
    """In a pattern-matching callback, the id of the button just clicked, or ``None`` when
    the callback fired without a click (its card was just added to the page)."""
    triggered = ctx.triggered_id
    if not triggered or not ctx.triggered[0].get("value"):
        return None
    return triggered


def paris_time(value: Any) -> str:
    """A moment of the store (UTC) in words, Paris time: ``"30 novembre 2026 à 09:39"``."""
    if is_missing(value) or value == "":
        return ""
    return format_paris_time(pd.Timestamp(value).to_pydatetime())


# --- The sheet's fields ---------------------------------------------------------------

#: Separator of the items of a list field in the form's strings (as in the files).
LIST_SEPARATOR = "|"
#: Types shown as a one-line text box; ``texte_long`` is a text area, ``choix`` radio
#: buttons, ``codes`` of axes or of kinds of territory check boxes.
LONG_TEXT = "texte_long"
#: How a help text tells file writers to separate codes (left out beside check boxes).
SEPARATOR_HINT = re.compile(r",? séparés par « \| »")


#: What the form fills in itself when a required field is left empty (the service does it).
FORM_DEFAULTS = {
    "code_territoire": "Laissé vide, c'est celui de votre jeton.",
    "identifiant": "Laissé vide, il est tiré du titre.",
}


def _field_label(field: SheetField) -> list[Any]:
    required = field.required and field.name not in FORM_DEFAULTS
    mark = [" ", html.Span("(obligatoire)", className="required-mark")] if required else []
    return [field.label, *mark]


def _checkbox_options(field: SheetField, axes: Sequence[tuple[str, str]]) -> list[dict] | None:
    if field.type != "codes":
        return None
    if field.values == "axes":
        return [{"label": f"{label} ({code})", "value": code} for code, label in axes]
    if field.values == "types_territoire":
        return [{"label": KIND_LABELS[code], "value": code} for code in TERRITORY_KINDS]
    return None


def sheet_field_input(field: SheetField, axes: Sequence[tuple[str, str]]) -> html.Div:
    """The labelled input of one field of the sheet, with its help, for the form.

    ``axes`` are the published axes as (code, label), for the axis check boxes.
    """
    identifier = component_id(ids.SHEET_FIELD, field.name, key="champ")
    options = _checkbox_options(field, axes)
    # The files separate codes by « | »; the form's check boxes need no separator.
    help_sentence = SEPARATOR_HINT.sub("", field.help) if options is not None else field.help
    if field.name in FORM_DEFAULTS:
        help_sentence = f"{help_sentence} {FORM_DEFAULTS[field.name]}"
    help_text = html.P(help_sentence, className="note field-help")
    if options is not None:
        return html.Fieldset(
            [
                html.Legend(_field_label(field)),
                help_text,
                dcc.Checklist(id=identifier, options=options, value=[], className="choices"),
            ],
            className="field sheet-field",
        )
    if field.type == "choix":
        return html.Fieldset(
            [
                html.Legend(_field_label(field)),
                help_text,
                dcc.RadioItems(
                    id=identifier,
                    options=[{"label": value, "value": value} for value in field.allowed],
                    value=field.default,
                    className="choices",
                ),
            ],
            className="field sheet-field",
        )
    if field.type == LONG_TEXT:
        box = dcc.Textarea(
            id=identifier,
            maxLength=field.max_length,
            rows=6,
            className="text-input text-area",
        )
    else:
        box = dcc.Input(
            id=identifier,
            type="text",
            maxLength=field.max_length,
            autoComplete="off",
            className="text-input",
        )
    return html.Div(
        [html.Label(_field_label(field), htmlFor=dom_id(identifier)), help_text, box],
        className="field sheet-field",
    )


def sheet_form_fields(axes: Sequence[tuple[str, str]]) -> list[html.Div]:
    """Every field of the sheet, in the schema's order, as labelled inputs."""
    return [sheet_field_input(field, axes) for field in load_sheet_schema().fields]


def form_strings(values: Sequence[Any], component_ids: Sequence[Mapping[str, str]]) -> dict:
    """The form's values as the strings ``submit_sheet_form`` reads, by field name (check
    boxes joined by ``|``, empty fields left out)."""
    fields: dict[str, str] = {}
    for identifier, value in zip(component_ids, values, strict=True):
        if isinstance(value, list | tuple):
            value = f" {LIST_SEPARATOR} ".join(str(item) for item in value)
        text = "" if value is None else str(value).strip()
        if text:
            fields[identifier["champ"]] = text
    return fields


def _funding_text(item: Mapping[str, Any]) -> str:
    """``"Région : 40 %"``, ``"FEDER : 30 %, 45 000 €"`` or the funder alone."""
    details = []
    if item.get("part") is not None:
        details.append(f"{format_number(item['part'], 0)}\u00a0%")
    if item.get("montant_euros") is not None:
        details.append(f"{format_number(item['montant_euros'], 0)}\u00a0€")
    funder = str(item.get("financeur") or "")
    return f"{funder} : {', '.join(details)}" if details else funder


def field_text(field: SheetField, value: Any, axis_labels: Mapping[str, str] | None = None) -> str:
    """A sheet's value as text for reading (links one per line, codes with their names)."""
    if isinstance(value, list | tuple):
        if not value:
            return "—"
    elif is_missing(value) or value == "":
        return "—"
    if field.type == "financements":
        return " ; ".join(_funding_text(item) for item in value)
    if field.type == "montant":
        return f"{format_number(value, 0)}\u00a0€"
    if field.type == "codes" and field.values in CODE_NAMES:
        names = {**CODE_NAMES[field.values], **(axis_labels or {})}
        value = [f"{names[code]} ({code})" if code in names else code for code in value]
    if isinstance(value, list | tuple):
        separator = "\n" if field.type == "liens" else " ; "
        return separator.join(map(str, value))
    return str(value)


#: Names of the codes of a ``codes`` field, by where they come from (the axes' names are
#: the published ones, given by the page).
CODE_NAMES: dict[str, dict[str, str]] = {"axes": {}, "types_territoire": KIND_LABELS}


def sheet_display(
    sheet: Mapping[str, Any], axis_labels: Mapping[str, str] | None = None
) -> html.Dl:
    """The whole content of a sheet, field by field, with the schema's labels (and the
    axes' names when ``axis_labels`` gives them)."""
    items: list[Any] = []
    for field in load_sheet_schema().fields:
        items.append(html.Dt(field.label))
        text = field_text(field, sheet.get(field.name), axis_labels)
        items.append(html.Dd(text, className="sheet-value"))
    return html.Dl(items, className="sheet-content")


# --- Feedback on a published sheet ----------------------------------------------------


def feedback_panel(achievement_id: str) -> html.Section:
    """The feedback form of one published sheet (token, support, adaptation, comment)."""
    token = component_id(ids.FEEDBACK_TOKEN, achievement_id)
    comment = component_id(ids.FEEDBACK_COMMENT, achievement_id)
    return html.Section(
        [
            html.H2("Votre territoire et cette réalisation"),
            html.P(
                "Avec le jeton de dépôt de votre territoire, indiquez que vous soutenez cette "
                "réalisation ou que vous l'adaptez chez vous, ou laissez un commentaire. "
                "Chaque territoire compte une fois par réalisation ; rien n'est enregistré "
                "de façon anonyme.",
                className="note",
            ),
            token_field(token, "Jeton de dépôt de votre territoire"),
            html.Div(
                [
                    button(
                        "Nous soutenons cette réalisation",
                        component_id(ids.FEEDBACK_SUPPORT, achievement_id),
                    ),
                    button(
                        "Nous l'adaptons",
                        component_id(ids.FEEDBACK_ADAPTATION, achievement_id),
                        secondary=True,
                    ),
                ],
                className="feedback-buttons",
            ),
            html.Div(
                [
                    html.Label("Votre commentaire", htmlFor=dom_id(comment)),
                    dcc.Textarea(
                        id=comment,
                        maxLength=MAX_COMMENT_CHARS,
                        rows=4,
                        className="text-input text-area",
                    ),
                    html.P(
                        f"{format_integer(MAX_COMMENT_CHARS)} caractères au plus. Il est publié après "
                        "relecture par un analyste, au nom de votre territoire.",
                        className="note",
                    ),
                ],
                className="field",
            ),
            button(
                "Envoyer le commentaire",
                component_id(ids.FEEDBACK_SEND_COMMENT, achievement_id),
                secondary=True,
            ),
            live_region(
                component_id(ids.FEEDBACK_RESULT, achievement_id), className="feedback-result"
            ),
        ],
        className="card feedback-panel",
        **{"aria-label": "Soutenir, adapter ou commenter cette réalisation"},
    )


def outcome_notice(outcome: ContributionOutcome, *, comment: bool = False) -> html.Div:
    """The banner of a feedback's outcome: recorded, already recorded, or refused. A
    comment is shown once reviewed (the service says so); a support at the next
    publication."""
    if outcome.status == RECORDED:
        lines = [html.P(outcome.message)]
        if not comment:
            lines.append(html.P(NEXT_PUBLICATION))
        return success_notice(lines)
    if outcome.status == ALREADY_RECORDED:
        return notice(outcome.message)
    return notice(outcome.message, error=True)


def give_feedback(
    trigger: str | None, token: str | None, achievement_id: str, comment: str | None
) -> tuple[Any, Any]:
    """Record what the button ``trigger`` asks (a support, an adaptation or the comment)
    with ``token``; returns the banner and the comment field's new value (emptied once the
    comment is recorded)."""
    try:
        return _record(trigger, (token or "").strip(), achievement_id, comment)
    except Exception as error:  # noqa: BLE001 - a visitor sees a French sentence and a reference
        reference = record_incident(error, f"avis sur la réalisation {achievement_id!r}")
        return notice(incident_message(reference), error=True), no_update


def _record(
    trigger: str | None, token: str, achievement_id: str, comment: str | None
) -> tuple[Any, Any]:
    if not token:
        return notice("Saisissez le jeton de dépôt de votre territoire.", error=True), no_update
    if trigger in BUTTON_KINDS:
        return outcome_notice(
            support_sheet(token, achievement_id, BUTTON_KINDS[trigger])
        ), no_update
    if trigger == ids.FEEDBACK_SEND_COMMENT:
        text = (comment or "").strip()
        if not text:
            return notice("Écrivez votre commentaire avant de l'envoyer.", error=True), no_update
        outcome = comment_sheet(token, achievement_id, text)
        cleared = "" if outcome.status == RECORDED else no_update
        return outcome_notice(outcome, comment=True), cleared
    return no_update, no_update


@callback(
    Output(component_id(ids.FEEDBACK_RESULT, MATCH), "children"),
    Output(component_id(ids.FEEDBACK_COMMENT, MATCH), "value"),
    Input(component_id(ids.FEEDBACK_SUPPORT, MATCH), "n_clicks"),
    Input(component_id(ids.FEEDBACK_ADAPTATION, MATCH), "n_clicks"),
    Input(component_id(ids.FEEDBACK_SEND_COMMENT, MATCH), "n_clicks"),
    State(component_id(ids.FEEDBACK_TOKEN, MATCH), "value"),
    State(component_id(ids.FEEDBACK_COMMENT, MATCH), "value"),
    prevent_initial_call=True,
)
def on_feedback(
    _support: int | None,
    _adaptation: int | None,
    _comment_clicks: int | None,
    token: str | None,
    comment: str | None,
) -> tuple[Any, Any]:
    """Record the feedback of the button pressed on the sheet's page."""
    triggered = pressed_button()
    if triggered is None:
        return no_update, no_update
    return give_feedback(triggered["type"], token, triggered["realisation"], comment)
