"""Réalisation: the page of one published sheet, ``/realisations/<territoire>/<identifiant>``.

The whole sheet in sections (context, what was done, results, lessons, transferability,
partners by kind, funding, links, contact function, licence, version and dates), its
author's context (kind, population, région, its scores on the sheet's axes the year the
sheet describes, or the nearest earlier millésime, linked to its fiche), what the other
territories made of it (supports, adaptations, published comments) and the panel to
support, adapt or comment it with a territory's token. It prints without the navigation
and the forms (``static/style.css``, ``@media print``).
"""

from __future__ import annotations

from typing import Any

import dash
import pandas as pd
from dash import ClientsideFunction, Input, clientside_callback, dcc, html

from dashboards import data, ids
from dashboards.components import (
    ACHIEVEMENTS_PATH,
    Column,
    counted,
    data_table,
    fiche_href,
    notice,
)
from dashboards.contribution_forms import feedback_panel
from dashboards.data.achievements import (
    AuthorScores,
    achievement,
    achievement_comments,
    achievement_feedback,
    achievement_fundings,
    author_scores,
    split_codes,
)
from dashboards.formatting import (
    MISSING,
    format_date,
    format_euros,
    format_integer,
    format_number,
    format_partial_date,
    is_missing,
)
from schemas.vocabulary import ADAPTATION, KIND_SHORT_PLURALS, SUPPORT

SITE = "Observatoire de la maturité numérique des territoires"
PRINT_LABEL = "Imprimer / enregistrer en PDF"
NOT_FOUND_TITLE = "Réalisation introuvable"
#: Separator of the partners of one kind in the published table.
PARTNER_SEPARATOR = ";"
#: The long texts of a sheet, in the order they are read, with their headings.
TEXT_SECTIONS = (
    ("context", "Contexte et objectifs"),
    ("description", "Ce qui a été fait"),
    ("results", "Résultats"),
    ("lessons", "Retours d'expérience"),
)
#: How each kind of feedback reads on a sheet (the heading of the territories giving it).
FEEDBACK_HEADINGS = {SUPPORT: "La soutiennent", ADAPTATION: "L'adaptent"}
#: The partners' columns, with the heading of each kind.
PARTNER_KINDS = (
    ("partners_public", "Partenaires publics"),
    ("partners_academic", "Partenaires académiques"),
    ("partners_private", "Partenaires privés"),
    ("partners_associative", "Partenaires associatifs"),
)


def page_title(territoire: str | None = None, identifiant: str | None = None, **_: Any) -> str:
    """The browser's title of the page: the sheet's title, else « Réalisation introuvable »."""
    try:
        sheet = achievement(f"{territoire}/{identifiant}") if territoire else None
    except data.PublicationError:
        sheet = None
    name = sheet["title"] if sheet else NOT_FOUND_TITLE
    return f"{name} — Réalisations — {SITE}"


dash.register_page(
    __name__,
    path_template=f"{ACHIEVEMENTS_PATH}/<territoire>/<identifiant>",
    name="Réalisation",
    title=page_title,
    description="Une réalisation exemplaire publiée par un territoire.",
)


def paragraphs(text: Any) -> list[html.P]:
    """A text as paragraphs: a blank line separates them, a line break is kept."""
    if is_missing(text) or not str(text).strip():
        return [html.P(MISSING)]
    blocks = [block.strip() for block in str(text).replace("\r\n", "\n").split("\n\n")]
    children = []
    for block in blocks:
        if not block:
            continue
        lines: list[Any] = []
        for number, line in enumerate(block.split("\n")):
            if number:
                lines.append(html.Br())
            lines.append(line)
        children.append(html.P(lines))
    return children


def split_items(value: Any, separator: str = PARTNER_SEPARATOR) -> list[str]:
    """``"Rectorat ; CAF"`` → ``["Rectorat", "CAF"]`` (nothing for an empty cell)."""
    if is_missing(value) or not value:
        return []
    return [item.strip() for item in str(value).split(separator) if item.strip()]


def link_items(value: Any) -> list[Any]:
    """The sheet's links (one URL per line) as list items; only http(s) addresses are links."""
    items = []
    for url in (line.strip() for line in str(value or "").splitlines()):
        if not url:
            continue
        if url.startswith(("https://", "http://")):
            items.append(html.Li(html.A(url, href=url, rel="noopener noreferrer")))
        else:
            items.append(html.Li(url))
    return items


def period_text(start: Any, end: Any) -> str:
    """``"de mars 2024 à juin 2025"``, ``"depuis mars 2024"``."""
    if is_missing(end) or not end:
        return f"depuis {format_partial_date(start)}"
    return f"de {format_partial_date(start)} à {format_partial_date(end)}"


def _fact(term: str, *definition: Any) -> html.Div:
    return html.Div([html.Dt(term), html.Dd(list(definition))])


def facts(sheet: dict[str, Any], axis_labels: dict[str, str]) -> html.Dl:
    """The short fields of a sheet as a list of terms and definitions."""
    axes = [axis_labels.get(code, code) for code in split_codes(sheet["axes"])]
    questions = split_codes(sheet.get("questions"))
    rows = [
        _fact(
            "Territoire",
            dcc.Link(sheet["territory_name"], href=fiche_href(sheet["territory"])),
            f" ({sheet['kind_label']})",
        ),
        _fact("Axes", " · ".join(axes)),
    ]
    if questions:
        rows.append(_fact("Questions du questionnaire", ", ".join(questions)))
    rows += [
        _fact("Période", period_text(sheet.get("start_date"), sheet.get("end_date"))),
        _fact("Année décrite", str(sheet["year"])),
        _fact("Budget", format_euros(sheet.get("budget_euros"))),
        _fact("Contact", sheet.get("contact_role") or MISSING),
        _fact("Licence du texte", sheet.get("licence") or MISSING),
        _fact(
            "Version",
            f"{sheet['version']}, déposée le {format_date(_day(sheet.get('submitted_at')))}, "
            f"publiée le {format_date(_day(sheet.get('published_at')))}",
        ),
    ]
    return html.Dl(rows, className="achievement-facts")


def _day(value: Any) -> Any:
    """The day of a time of the published tables (None when missing)."""
    return None if is_missing(value) else pd.Timestamp(value).date()


def transferability_section(sheet: dict[str, Any]) -> html.Section:
    """Conditions to adapt the achievement elsewhere, for which kinds, at what cost."""
    kinds = [KIND_SHORT_PLURALS.get(code, code) for code in split_codes(sheet.get("target_kinds"))]
    details: list[Any] = []
    if kinds:
        details.append(html.Li(f"Territoires visés : {', '.join(kinds).lower()}."))
    if not is_missing(sheet.get("adaptation_cost_euros")):
        details.append(
            html.Li(
                f"Coût estimé d'une adaptation : {format_euros(sheet['adaptation_cost_euros'])}."
            )
        )
    children: list[Any] = [html.H2("Transférabilité"), *paragraphs(sheet.get("transferability"))]
    if details:
        children.append(html.Ul(details))
    return html.Section(children, className="achievement-section")


def partners_section(sheet: dict[str, Any]) -> html.Section:
    """The partners, by kind (a kind without any is left out)."""
    blocks: list[Any] = []
    for column, heading in PARTNER_KINDS:
        items = split_items(sheet.get(column))
        if items:
            blocks += [html.H3(heading), html.Ul([html.Li(item) for item in items])]
    if not blocks:
        blocks = [html.P("Aucun partenaire déclaré.")]
    return html.Section(
        [html.H2("Partenaires"), *blocks],
        id=ids.ACHIEVEMENT_PARTNERS,
        className="achievement-section",
    )


def _share(value: Any) -> str:
    return MISSING if is_missing(value) else f"{format_number(value, 0)}\u00a0%"


def funding_section(sheet: dict[str, Any], fundings: pd.DataFrame) -> html.Section:
    """Budget and who paid which share (a table)."""
    children: list[Any] = [
        html.H2("Budget et financement"),
        html.P(f"Budget total : {format_euros(sheet.get('budget_euros'))}."),
    ]
    if fundings.empty:
        children.append(html.P("Aucun financement détaillé."))
    else:
        columns = [
            Column("Financeur", "funder"),
            Column("Part", "share_percent", _share, numeric=True),
            Column("Montant", "amount_euros", format_euros, numeric=True),
        ]
        caption = "Financeurs, part du budget et montant"
        # A column nobody filled in says nothing: left out.
        if fundings["amount_euros"].isna().all():
            columns, caption = columns[:2], "Financeurs et part du budget"
        elif fundings["share_percent"].isna().all():
            columns, caption = [columns[0], columns[2]], "Financeurs et montant"
        children.append(
            html.Div(
                data_table(caption, columns, fundings.to_dict("records")),
                className="table-scroll",
            )
        )
    return html.Section(children, id=ids.ACHIEVEMENT_FUNDING, className="achievement-section")


def scores_sentence(scores: AuthorScores) -> str:
    """Which millésime the author's scores are taken from, and why."""
    if scores.millesime is None:
        return "Aucun score de ce territoire n'est publié."
    if scores.exact:
        return f"Scores du millésime {scores.millesime}, l'année que décrit la fiche."
    if scores.later:
        return (
            f"Aucun score de ce territoire n'est publié pour l'année que décrit la fiche "
            f"({scores.year}) ni avant : scores du millésime {scores.millesime}, le premier "
            "publié après elle."
        )
    return (
        f"L'année que décrit la fiche ({scores.year}) n'a pas de score publié pour ce "
        f"territoire : scores du millésime {scores.millesime}, le plus proche avant elle."
    )


def author_section(sheet: dict[str, Any], scores: AuthorScores) -> html.Section:
    """The author's kind, population and région, and its scores on the sheet's axes."""
    territory = sheet["territory"]
    identity: list[Any] = [sheet["kind_label"]]
    if not is_missing(sheet.get("population")):
        identity.append(f" · {format_integer(sheet['population'])} habitants")
    region = sheet.get("region")
    if region and region != territory and sheet.get("region_name"):
        identity += [" · Région : ", dcc.Link(sheet["region_name"], href=fiche_href(region))]
    children: list[Any] = [
        html.H2("Le territoire qui l'a menée"),
        html.P(
            [
                dcc.Link(
                    html.Strong(sheet["territory_name"]),
                    href=fiche_href(territory, scores.millesime),
                ),
                " — ",
                *identity,
            ]
        ),
        html.P(scores_sentence(scores), className="note"),
    ]
    if scores.millesime is not None and not scores.axes.empty:
        children.append(
            html.Div(
                data_table(
                    f"Scores de {sheet['territory_name']} sur les axes de la réalisation "
                    f"(millésime {scores.millesime}, sur 100) et médiane des territoires "
                    "de même type",
                    [
                        Column("Axe", "label"),
                        Column("Score", "score", format_number, numeric=True),
                        Column("Médiane du type", "peer_median", format_number, numeric=True),
                    ],
                    scores.axes.to_dict("records"),
                    id=ids.ACHIEVEMENT_AUTHOR_SCORES,
                ),
                className="table-scroll",
            )
        )
    children.append(
        html.P(
            dcc.Link(
                f"Voir la fiche de {sheet['territory_name']}",
                href=fiche_href(territory, scores.millesime),
            )
        )
    )
    return html.Section(children, id=ids.ACHIEVEMENT_AUTHOR, className="card")


def feedback_section(
    sheet: dict[str, Any], feedback: pd.DataFrame, comments: pd.DataFrame
) -> html.Section:
    """Counts of supports and adaptations, who gave them, and the published comments."""
    children: list[Any] = [
        html.H2("Ce qu'en disent les autres territoires"),
        html.P(
            [
                html.Strong(counted(sheet.get("supports"), "soutien")),
                " · ",
                html.Strong(
                    counted(
                        sheet.get("adaptations"), "territoire l'adapte", "territoires l'adaptent"
                    )
                ),
                " · ",
                html.Strong(
                    counted(sheet.get("comments"), "commentaire publié", "commentaires publiés")
                ),
            ],
            className="achievement-counts",
        ),  # fmt: skip
    ]
    for kind in (SUPPORT, ADAPTATION):
        rows = feedback.loc[feedback["kind"] == kind]
        if rows.empty:
            continue
        children += [
            html.H3(FEEDBACK_HEADINGS[kind]),
            html.Ul(
                [
                    html.Li(dcc.Link(row.territory_name, href=fiche_href(row.territory)))
                    for row in rows.itertuples(index=False)
                ],
                className="inline-list",
            ),
        ]
    children.append(html.H3("Commentaires"))
    if comments.empty:
        children.append(html.P("Aucun commentaire publié."))
    else:
        children.append(
            html.Ol(
                [
                    html.Li(
                        html.Article(
                            [
                                html.P(
                                    [
                                        dcc.Link(
                                            row.territory_name, href=fiche_href(row.territory)
                                        ),
                                        f", le {format_date(_day(row.recorded_at))}",
                                    ],
                                    className="comment-author",
                                ),
                                *paragraphs(row.text),
                            ],
                            className="comment",
                        )
                    )
                    for row in comments.itertuples(index=False)
                ],
                className="comments",
            )
        )
    return html.Section(children, id=ids.ACHIEVEMENT_FEEDBACK, className="card")


def sheet_body(sheet: dict[str, Any]) -> list[Any]:
    """Everything the page shows of a published sheet."""
    achievement_id = sheet["achievement_id"]
    axes = data.axes()
    axis_labels = dict(zip(axes["code"], axes["label"], strict=True))
    scores = author_scores(sheet["territory"], split_codes(sheet["axes"]), int(sheet["year"]))
    texts = [
        html.Section([html.H2(heading), *paragraphs(sheet.get(column))],
                     className="achievement-section")
        for column, heading in TEXT_SECTIONS
    ]  # fmt: skip
    links = link_items(sheet.get("links"))
    return [
        facts(sheet, axis_labels),
        html.Div(
            [
                html.Div(
                    [
                        *texts,
                        transferability_section(sheet),
                        partners_section(sheet),
                        funding_section(sheet, achievement_fundings(achievement_id)),
                        html.Section(
                            [
                                html.H2("Liens"),
                                html.Ul(links) if links else html.P("Aucun lien."),
                            ],
                            className="achievement-section",
                        ),
                    ],
                    className="card achievement-texts",
                ),
                html.Div(
                    [
                        author_section(sheet, scores),
                        feedback_section(
                            sheet,
                            achievement_feedback(achievement_id),
                            achievement_comments(achievement_id),
                        ),
                    ],
                    className="achievement-aside",
                ),
            ],
            className="grid achievement-layout",
        ),
        feedback_panel(achievement_id),
    ]


def _back_link() -> html.P:
    return html.P(
        dcc.Link("← Toutes les réalisations", href=dash.get_relative_path(ACHIEVEMENTS_PATH)),
        className="back-link",
    )


def not_found() -> list[Any]:
    """What the page says for an address that names no published sheet."""
    return [
        html.H1(NOT_FOUND_TITLE),
        html.P(
            "Aucune réalisation publiée ne correspond à cette adresse : elle a pu être "
            "retirée, être en attente de relecture, ou l'adresse est incomplète."
        ),
        html.P(
            dcc.Link(
                "Rechercher parmi les réalisations publiées",
                href=dash.get_relative_path(ACHIEVEMENTS_PATH),
            )
        ),
    ]


def _print_button(hidden: bool) -> html.Button:
    return html.Button(
        PRINT_LABEL,
        id=ids.ACHIEVEMENT_PRINT,
        type="button",
        className="button button-secondary print-button",
        hidden=hidden,
    )


def _heading(sheet: dict[str, Any]) -> html.Div:
    """The sheet's title, its author and year, and the print button."""
    return html.Div(
        [
            html.Div(
                [
                    html.H1(sheet["title"]),
                    html.P(
                        f"Réalisation exemplaire de {sheet['territory_name']} · {sheet['year']}",
                        className="lead",
                    ),
                ]
            ),
            _print_button(hidden=False),
        ],
        className="page-title page-title-actions",
    )


def layout(territoire: str | None = None, identifiant: str | None = None, **_: Any) -> html.Div:
    """The page of the sheet ``<territoire>/<identifiant>`` (the print button is always
    there, hidden without a sheet: its callback needs it)."""
    try:
        sheet = achievement(f"{territoire}/{identifiant}") if territoire and identifiant else None
        if sheet is None:
            children = [*not_found(), _print_button(hidden=True)]
        else:
            children = [_back_link(), _heading(sheet), *sheet_body(sheet)]
    except data.PublicationError as error:
        children = [
            html.H1("Réalisation"),
            notice(str(error), error=True),
            _print_button(hidden=True),
        ]
    return html.Div(children, id=ids.ACHIEVEMENT_SHEET, className="achievement-sheet")


# The print button opens the browser's print dialog (``static/fiche_impression.js``).
clientside_callback(
    ClientsideFunction(namespace="observatoire", function_name="printFiche"),
    Input(ids.ACHIEVEMENT_PRINT, "n_clicks"),
    prevent_initial_call=True,
)
