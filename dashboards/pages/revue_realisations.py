"""Revue des réalisations: an analyst publishes, returns or withdraws proposed sheets and
publishes or withdraws waiting comments.

Reachable at ``/realisations/revue`` but not in the public navigation, and served with
``X-Robots-Tag: noindex`` (:data:`dashboards.components.NOINDEX_PATHS`). The analyst's token opens the queue (``domain.achievements.service
.review_queue``); each decision goes through ``review_sheet`` / ``review_comment``, which
check the token and record who decided and when. The page never reads the contributions
store itself, and its callbacks (ids ``revue-…``) are never cached
(:mod:`dashboards.response_cache`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import dash
import pandas as pd
from dash import MATCH, Input, Output, State, callback, dcc, html, no_update

from dashboards import data, ids
from dashboards.components import (
    REVIEW_PATH,
    button,
    dom_id,
    live_region,
    loading_result,
    notice,
    page_title,
    success_notice,
    token_field,
)
from dashboards.contribution_forms import component_id, paris_time, pressed_button, sheet_display
from dashboards.formatting import is_missing
from domain.achievements.service import (
    ALREADY_RECORDED,
    RECORDED,
    ContributionOutcome,
    comments_overview,
    review_comment,
    review_queue,
    review_sheet,
    sheet_history,
)
from domain.submissions.service import incident_message, record_incident
from schemas.vocabulary import (
    COMMENT_PUBLISHED,
    COMMENT_WITHDRAWN,
    SHEET_PUBLISHED,
    SHEET_RETURNED,
    SHEET_WITHDRAWN,
)

dash.register_page(
    __name__,
    path=REVIEW_PATH,
    name="Revue des réalisations",
    title="Revue des réalisations — Observatoire de la maturité numérique des territoires",
    description="Relecture des réalisations exemplaires et des commentaires proposés.",
)

#: Decision of each sheet button, and of each comment button.
SHEET_BUTTONS = {
    ids.REVIEW_SHEET_PUBLISH: SHEET_PUBLISHED,
    ids.REVIEW_SHEET_RETURN: SHEET_RETURNED,
    ids.REVIEW_SHEET_WITHDRAW: SHEET_WITHDRAWN,
}
COMMENT_BUTTONS = {
    ids.REVIEW_COMMENT_PUBLISH: COMMENT_PUBLISHED,
    ids.REVIEW_COMMENT_WITHDRAW: COMMENT_WITHDRAWN,
}
#: What ``review_queue`` calls a proposed sheet and a waiting comment (column ``item``).
QUEUE_SHEET, QUEUE_COMMENT = "fiche", "commentaire"
#: Statuses of an outcome that recorded the decision, or found it recorded.
DECIDED = {RECORDED, ALREADY_RECORDED}
INVALID_TOKEN = "Jeton d'analyste inconnu ou révoqué : la file de relecture n'est pas affichée."


def _text(value: Any) -> str:
    return "" if is_missing(value) else str(value)


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count < 2 else many}"


def _integer(value: Any) -> str:
    return "" if is_missing(value) else str(int(value))


def split_queue(queue: pd.DataFrame) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The proposed sheets and the waiting comments of ``review_queue``'s frame."""
    rows = queue.to_dict("records")
    sheets = [row for row in rows if row["item"] == QUEUE_SHEET]
    comments = [row for row in rows if row["item"] == QUEUE_COMMENT]
    return sheets, comments


def previous_decision(row: Mapping[str, Any]) -> html.P | None:
    """The last decision on an earlier version of the sheet (who, when, message), if any."""
    author = _text(row.get("decision_author"))
    if not author:
        return None
    message = _text(row.get("decision_message"))
    sentence = (
        f"Décision précédente : « {_text(row.get('decision_status'))} » par {author}, "
        f"le {paris_time(row.get('decided_at'))}"
    )
    return html.P(sentence + (f" : {message}" if message else "."), className="note")


def axis_labels() -> dict[str, str]:
    """The published axes' names by code (none when nothing is published)."""
    try:
        axes = data.axes()
    except data.PublicationError:
        return {}
    return dict(zip(axes["code"], axes["label"], strict=True))


def sheet_card(row: Mapping[str, Any], axis_names: Mapping[str, str] | None = None) -> html.Article:
    """One proposed sheet: its whole content and the three decisions."""
    achievement = str(row["achievement_id"])
    sheet = row["sheet"]
    message = component_id(ids.REVIEW_SHEET_MESSAGE, achievement, key="fiche")
    header = [
        html.H3(f"{_text(sheet.get('titre'))} ({achievement})"),
        html.P(
            f"Version {_integer(row.get('version'))}, proposée par {_text(row.get('territory'))} "
            f"le {paris_time(row.get('received_at'))} ({_text(row.get('channel'))}, "
            f"{_text(row.get('author'))}).",
            className="note",
        ),
    ]
    decision = previous_decision(row)
    return html.Article(
        [
            *header,
            *([decision] if decision else []),
            html.Details(
                [html.Summary("Contenu de la fiche"), sheet_display(sheet, axis_names)],
                open=True,
            ),
            html.Div(
                [
                    html.Label(
                        "Message au territoire (obligatoire pour « À revoir »)",
                        htmlFor=dom_id(message),
                    ),
                    dcc.Textarea(id=message, rows=3, className="text-input text-area"),
                ],
                className="field",
            ),
            html.Div(
                [
                    button(
                        label,
                        component_id(kind, achievement, key="fiche"),
                        secondary=index > 0,
                    )
                    for index, (kind, label) in enumerate(
                        (
                            (ids.REVIEW_SHEET_PUBLISH, "Publier"),
                            (ids.REVIEW_SHEET_RETURN, "À revoir"),
                            (ids.REVIEW_SHEET_WITHDRAW, "Retirer"),
                        )
                    )
                ],
                className="feedback-buttons",
            ),
            live_region(component_id(ids.REVIEW_SHEET_RESULT, achievement, key="fiche")),
            # The version read: a decision is refused if a newer one arrived meanwhile.
            dcc.Store(
                id=component_id(ids.REVIEW_SHEET_VERSION, achievement, key="fiche"),
                data=int(row["version"]),
            ),
        ],
        className="card review-item",
    )


def comment_card(row: Mapping[str, Any]) -> html.Article:
    """One waiting comment: its text, its author territory and sheet, and two decisions."""
    comment = str(row["comment_id"])
    return html.Article(
        [
            html.H3(f"Commentaire de {_text(row.get('territory'))} sur {row['achievement_id']}"),
            html.P(f"Reçu le {paris_time(row.get('recorded_at'))}.", className="note"),
            html.Blockquote(_text(row.get("text")), className="review-comment"),
            html.Div(
                [
                    button(
                        "Publier",
                        component_id(ids.REVIEW_COMMENT_PUBLISH, comment, key="commentaire"),
                    ),
                    button(
                        "Retirer",
                        component_id(ids.REVIEW_COMMENT_WITHDRAW, comment, key="commentaire"),
                        secondary=True,
                    ),
                ],
                className="feedback-buttons",
            ),
            live_region(component_id(ids.REVIEW_COMMENT_RESULT, comment, key="commentaire")),
        ],
        className="card review-item",
    )


def queue_view(queue: pd.DataFrame | None) -> list[Any]:
    """What the analyst sees for the queue: refused token, nothing to review, or the
    proposed sheets then the waiting comments."""
    if queue is None:
        return [notice(INVALID_TOKEN, error=True)]
    sheets, comments = split_queue(queue)
    children: list[Any] = [
        html.P(
            f"{_plural(len(sheets), 'fiche proposée', 'fiches proposées')}, "
            f"{_plural(len(comments), 'commentaire en attente', 'commentaires en attente')}.",
            role="status",
        ),
        html.H2("Fiches proposées"),
    ]
    names = axis_labels() if sheets else {}
    children += [sheet_card(row, names) for row in sheets] or [
        html.P("Aucune fiche n'attend de relecture.")
    ]
    children.append(html.H2("Commentaires en attente"))
    children += [comment_card(row) for row in comments] or [
        html.P("Aucun commentaire n'attend de relecture.")
    ]
    return children


def decision_view(outcome: ContributionOutcome, recorded: Mapping[str, Any] | None) -> html.Div:
    """The banner of a decision: recorded, with who decided and when as the store holds it
    (``recorded``: its ``author`` and ``decided_at``), or why it was not."""
    if outcome.status not in DECIDED:
        return notice(outcome.message, error=True)
    lines = [html.P(outcome.message)]
    if recorded is not None:
        lines.append(
            html.P(
                f"Décision « {recorded['status']} » enregistrée au nom de "
                f"{recorded['author']}, le {paris_time(recorded['decided_at'])}.",
                className="decision-record",
            )
        )
    return success_notice(lines)


def sheet_decision_record(achievement_id: str) -> dict[str, Any] | None:
    """The latest decision recorded on a sheet (status, author, decided_at), if any."""
    reviews = sheet_history(achievement_id).reviews
    return None if reviews.empty else reviews.iloc[-1].to_dict()


def comment_decision_record(comment_id: str) -> dict[str, Any] | None:
    """The latest decision recorded on a comment (status, author, decided_at), if any."""
    comments = comments_overview()
    rows = comments.loc[comments["comment_id"] == comment_id]
    if rows.empty or not rows.iloc[0]["decision_author"]:
        return None
    row = rows.iloc[0]
    return {
        "status": row["status"],
        "author": row["decision_author"],
        "decided_at": row["decided_at"],
    }


def show_queue(token: str | None) -> list[Any]:
    """The queue for ``token``; never lets an exception reach the analyst."""
    token = (token or "").strip()
    if not token:
        return [notice("Saisissez votre jeton d'analyste.", error=True)]
    try:
        return queue_view(review_queue(token))
    except Exception as error:  # noqa: BLE001 - a French sentence and a reference
        reference = record_incident(error, "file de relecture des réalisations")
        return [notice(incident_message(reference), error=True)]


def decide_sheet(
    token: str | None,
    achievement_id: str,
    button: str,
    message: str | None,
    version: int | None = None,
) -> tuple[Any, bool]:
    """Record the decision of ``button`` on a sheet; the banner, and whether the buttons are
    now disabled (once the decision is recorded)."""
    decision = SHEET_BUTTONS[button]
    message = (message or "").strip()
    if decision == SHEET_RETURNED and not message:
        return notice(
            "Écrivez au territoire ce qu'il doit revoir avant de choisir « À revoir ».",
            error=True,
        ), False
    try:
        outcome = review_sheet(
            (token or "").strip(), achievement_id, decision, message, version=version
        )
        done = outcome.status in DECIDED
        return decision_view(outcome, sheet_decision_record(achievement_id) if done else None), done
    except Exception as error:  # noqa: BLE001 - a French sentence and a reference
        reference = record_incident(error, f"relecture de la réalisation {achievement_id!r}")
        return notice(incident_message(reference), error=True), False


def decide_comment(token: str | None, comment_id: str, button: str) -> tuple[Any, bool]:
    """Record the decision of ``button`` on a comment, as :func:`decide_sheet`."""
    try:
        outcome = review_comment((token or "").strip(), comment_id, COMMENT_BUTTONS[button])
        done = outcome.status in DECIDED
        return decision_view(outcome, comment_decision_record(comment_id) if done else None), done
    except Exception as error:  # noqa: BLE001 - a French sentence and a reference
        reference = record_incident(error, f"relecture du commentaire {comment_id!r}")
        return notice(incident_message(reference), error=True), False


def layout(**_: Any) -> html.Div:
    """The analyst's token and where the queue appears."""
    return html.Div(
        [
            page_title(
                "Revue des réalisations",
                "Relisez les réalisations exemplaires et les commentaires proposés par les "
                "territoires : publiez-les, renvoyez une fiche à son territoire avec un "
                "message, ou retirez-les.",
            ),
            html.Section(
                [
                    token_field(
                        ids.REVIEW_TOKEN,
                        "Jeton d'analyste",
                        html.P(
                            "Remis par l'équipe de l'observatoire "
                            "(observatoire tokens create --analyste) ; chaque décision "
                            "est enregistrée à votre nom, avec son heure.",
                            className="note",
                        ),
                    ),
                    button("Afficher les propositions", ids.REVIEW_SHOW),
                ],
                className="card",
            ),
            loading_result(ids.REVIEW_QUEUE),
        ]
    )


@callback(
    Output(ids.REVIEW_QUEUE, "children"),
    Input(ids.REVIEW_SHOW, "n_clicks"),
    State(ids.REVIEW_TOKEN, "value"),
    prevent_initial_call=True,
)
def on_show(_n_clicks: int | None, token: str | None) -> list[Any]:
    """Show the queue of the analyst whose token is typed."""
    return show_queue(token)


def _decision_dependencies(result: str, buttons: Mapping[str, str], key: str) -> list[Any]:
    """A decision callback's outputs (the banner, then each button's ``disabled``) and
    inputs (each button's clicks), for the item of the card pressed (``MATCH`` on ``key``)."""
    return [
        Output(component_id(result, MATCH, key=key), "children"),
        *(Output(component_id(kind, MATCH, key=key), "disabled") for kind in buttons),
        *(Input(component_id(kind, MATCH, key=key), "n_clicks") for kind in buttons),
    ]


@callback(
    *_decision_dependencies(ids.REVIEW_SHEET_RESULT, SHEET_BUTTONS, "fiche"),
    State(component_id(ids.REVIEW_SHEET_MESSAGE, MATCH, key="fiche"), "value"),
    State(component_id(ids.REVIEW_SHEET_VERSION, MATCH, key="fiche"), "data"),
    State(ids.REVIEW_TOKEN, "value"),
    prevent_initial_call=True,
)
def on_sheet_decision(
    _publish: int | None,
    _return: int | None,
    _withdraw: int | None,
    message: str | None,
    version: int | None,
    token: str | None,
) -> tuple[Any, ...]:
    """Record the decision of the button pressed on a sheet (on the version shown)."""
    triggered = pressed_button()
    if triggered is None:
        return (no_update,) * 4
    banner, done = decide_sheet(token, triggered["fiche"], triggered["type"], message, version)
    return banner, done, done, done


@callback(
    *_decision_dependencies(ids.REVIEW_COMMENT_RESULT, COMMENT_BUTTONS, "commentaire"),
    State(ids.REVIEW_TOKEN, "value"),
    prevent_initial_call=True,
)
def on_comment_decision(
    _publish: int | None, _withdraw: int | None, token: str | None
) -> tuple[Any, ...]:
    """Record the decision of the button pressed on a comment."""
    triggered = pressed_button()
    if triggered is None:
        return (no_update,) * 3
    banner, done = decide_comment(token, triggered["commentaire"], triggered["type"])
    return banner, done, done
