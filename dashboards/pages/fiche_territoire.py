"""Fiche territoire: one territory's index, axis profile against its peers, trend and answers."""

from __future__ import annotations

from typing import Any

import dash
import pandas as pd
from dash import Input, Output, callback, dcc, html

from dashboards import data, ids
from dashboards.components import (
    DROPDOWN_LABELS,
    FICHE_PATH,
    Column,
    data_table,
    fiche_href,
    graph,
    kpi_card,
    notice,
    parse_millesime,
    query_string,
    table_details,
    territory_options,
)
from dashboards.figures import evolution_chart, level_name, radar
from dashboards.formatting import (
    MISSING,
    format_integer,
    format_number,
    format_percent,
    is_missing,
)

dash.register_page(
    __name__,
    path=FICHE_PATH,
    name="Fiche territoire",
    title="Fiche territoire — Observatoire de la maturité numérique des territoires",
    description="Indice, profil par axe, évolution et réponses d'un territoire.",
    order=1,
)

#: How the peers of a territory are named, by kind ("médiane des départements").
PEERS_LABELS = {
    "REG": "régions",
    "DEP": "départements",
    "ME": "métropoles",
    "CU": "communautés urbaines",
    "CA": "communautés d'agglomération",
    "COM": "communes de 50 000 habitants ou plus",
}

CHOOSE_PROMPT = "Choisissez un territoire dans la liste pour afficher sa fiche."


def format_signed(value: float | None) -> str:
    """A gap to the peers' median with its sign: ``+4,2`` or ``−3,1``."""
    if is_missing(value):
        return MISSING
    text = format_number(abs(value))  # type: ignore[arg-type]
    return f"+{text}" if value >= 0 else f"\u2212{text}"  # type: ignore[operator]


def _parents(territory: dict[str, Any]) -> list[Any]:
    """Links to the région and département a territory belongs to (other than itself)."""
    links: list[Any] = []
    for key, label in (("region", "Région"), ("departement", "Département")):
        parent_code = territory.get(key)
        if not parent_code or parent_code == territory["code"]:
            continue
        parent = data.territory(parent_code)
        if parent is not None:
            links += [" · ", f"{label} : ", dcc.Link(parent["name"], href=fiche_href(parent_code))]
    return links


def _identity(territory: dict[str, Any], score: dict[str, Any] | None, millesime: int) -> Any:
    """Name, kind, population and the headline figures of the territory for ``millesime``."""
    peers = PEERS_LABELS.get(territory["kind"], territory["kind_label"].lower())
    peer_median = data.peer_median_index(territory["kind"], millesime)
    population = territory.get("population")
    facts: list[Any] = [territory["kind_label"]]
    if population is not None:
        facts += [" · ", f"{format_integer(population)} habitants"]
    facts += _parents(territory)
    cards = []
    if score is not None:
        cards = [
            kpi_card(
                f"Indice global {millesime}",
                format_number(score["global_index"]),
                f"sur 100 · médiane des {peers} : {format_number(peer_median)}",
            ),
            kpi_card(
                "Niveau de maturité",
                score["maturity_label"] or MISSING,
                None
                if is_missing(score["maturity_level"])
                else f"niveau {int(score['maturity_level'])} sur 5",
            ),
            kpi_card(
                "Couverture du questionnaire",
                format_percent(score["coverage"]),
                f"{format_integer(score['axes_scored'])} axes sur 10 évalués",
            ),
        ]
    return html.Div(
        [
            html.H2(territory["name"], id=ids.TERRITORY_NAME, className="fiche-name"),
            html.P(facts, className="fiche-facts"),
            html.Div(cards, className="kpis"),
        ],
        className="fiche-identity",
    )


def _axes_table(profile: pd.DataFrame, peers: str, millesime: int) -> html.Table:
    rows = [
        {
            "label": row.label,
            "score": row.score,
            "coverage": row.coverage,
            "peer_median": row.peer_median,
            "gap": None
            if is_missing(row.score) or is_missing(row.peer_median)
            else row.score - row.peer_median,
        }
        for row in profile.itertuples(index=False)
    ]
    return data_table(
        f"Scores par axe, millésime {millesime} (sur 100)",
        [
            Column("Axe", "label"),
            Column("Score", "score", format_number, numeric=True),
            Column("Couverture", "coverage", format_percent, numeric=True),
            Column(f"Médiane des {peers}", "peer_median", format_number, numeric=True),
            Column("Écart à la médiane", "gap", format_signed, numeric=True),
        ],
        rows,
        id=ids.TERRITORY_AXES_TABLE,
    )


def _axis_score_text(score: float | None) -> str:
    if is_missing(score):
        return "pas de score (trop peu de réponses)"
    return f"score {format_number(score)} sur 100"


def _answers_count_text(answered: int, asked: int) -> str:
    return f"{answered} réponse{'s' if answered > 1 else ''} sur {asked}"


def _answers(answers: pd.DataFrame, profile: pd.DataFrame) -> list[Any]:
    """One collapsible block per axis listing the questions, the answers and their scores."""
    blocks = []
    for axis in profile.itertuples(index=False):
        of_axis = answers[answers["axis"] == axis.axis]
        answered = int(of_axis["answer"].notna().sum())
        rows = [
            {
                "question": row.question_label,
                "answer": html.Em("Sans réponse") if is_missing(row.answer) else row.answer,
                "score": row.score,
            }
            for row in of_axis.itertuples(index=False)
        ]
        blocks.append(
            html.Details(
                [
                    html.Summary(
                        [
                            html.Span(axis.label, className="axis-name"),
                            html.Span(
                                f"{_axis_score_text(axis.score)} · "
                                f"{_answers_count_text(answered, len(of_axis))}",
                                className="axis-summary",
                            ),
                        ]
                    ),
                    html.Div(
                        data_table(
                            f"Réponses de l'axe « {axis.label} »",
                            [
                                Column("Question", "question"),
                                Column("Réponse", "answer", lambda value: value),
                                Column("Score", "score", format_number, numeric=True),
                            ],
                            rows,
                        ),
                        className="table-scroll",
                    ),
                ],
                className="axis-answers",
            )
        )
    return blocks


def fiche_body(code: str | None, millesime: int | None) -> list[Any]:
    """Everything shown below the selectors for territory ``code`` and ``millesime``."""
    if not code:
        return [notice(CHOOSE_PROMPT)]
    territory = data.territory(code)
    if territory is None:
        return [
            notice(
                f"Territoire inconnu : « {code} ». Choisissez un territoire dans la liste.",
                error=True,
            )
        ]
    if millesime is None:
        return [notice("Aucun millésime n'est encore publié.")]
    millesimes = data.millesimes()
    history = data.territory_history(code)
    this_year = history[history["millesime"] == millesime]
    score = None if this_year.empty else this_year.iloc[0].to_dict()
    peers = PEERS_LABELS.get(territory["kind"], territory["kind_label"].lower())
    body: list[Any] = [_identity(territory, score, millesime)]

    evolution = _evolution(code, territory, history, peers, millesimes, millesime)
    if score is None:
        body.append(
            notice(f"{territory['name']} n'a pas de réponse publiée pour le millésime {millesime}.")
        )
        body.append(html.Div(evolution, className="grid grid-2"))
        return body

    profile = data.axis_profile(code, millesime)
    unscored = profile.loc[profile["score"].isna(), "label"].tolist()
    radar_note = f"Comparaison avec la médiane des {peers} au millésime {millesime}."
    if unscored:
        radar_note += " Sans score (réponses trop peu nombreuses) : " + ", ".join(unscored) + "."
    body.append(
        html.Div(
            [
                html.Section(
                    [
                        html.H2("Profil par axe"),
                        graph(
                            ids.TERRITORY_RADAR,
                            radar(profile, territory["name"], peers),
                            f"Scores des dix axes de {territory['name']} et médiane des "
                            f"{peers}, millésime {millesime}",
                        ),
                        html.P(radar_note, className="note"),
                    ],
                    className="card",
                ),
                evolution,
            ],
            className="grid grid-2",
        )
    )
    body.append(
        html.Section(
            [
                html.H2("Scores par axe"),
                html.Div(_axes_table(profile, peers, millesime), className="table-scroll"),
            ],
            className="card",
        )
    )
    answers = data.answers(code, millesime)
    body.append(
        html.Section(
            [
                html.H2(f"Réponses au questionnaire {millesime}"),
                html.Div(
                    _answers(answers, profile)
                    if not answers.empty
                    else notice("Aucune réponse détaillée n'est publiée pour ce millésime."),
                    id=ids.TERRITORY_ANSWERS,
                ),
            ],
            className="card",
        )
    )
    return body


def _evolution(
    code: str,
    territory: dict[str, Any],
    history: pd.DataFrame,
    peers: str,
    millesimes: list[int],
    millesime: int,
) -> html.Section:
    """The evolution chart of the territory across millésimes, with its table twin."""
    figure = evolution_chart(
        history,
        data.axis_history(code),
        data.peer_median_history(territory["kind"]),
        territory["name"],
        peers,
        millesimes,
        millesime,
    )
    rows = [
        {
            "millesime": int(row.millesime),
            "global_index": row.global_index,
            "level": level_name(row.maturity_level, row.maturity_label),
        }
        for row in history.itertuples(index=False)
    ]
    return html.Section(
        [
            html.H2("Évolution"),
            graph(
                ids.TERRITORY_EVOLUTION,
                figure,
                f"Évolution de l'indice global de {territory['name']} par millésime",
            ),
            html.P(
                "Cliquez sur un axe dans la légende pour afficher son évolution.",
                className="note",
            ),
            table_details(
                "Voir l'évolution sous forme de tableau",
                data_table(
                    f"Indice global de {territory['name']} par millésime",
                    [
                        Column("Millésime", "millesime"),
                        Column("Indice global", "global_index", format_number, numeric=True),
                        Column("Niveau de maturité", "level"),
                    ],
                    rows,
                ),
            ),
        ],
        className="card",
    )


def _page(
    options: list[dict[str, str]],
    code: str | None,
    millesimes: list[int],
    millesime: int | None,
    body: list[Any],
) -> html.Div:
    """The page skeleton; every component a callback uses is always present."""
    return html.Div(
        [
            dcc.Location(id=ids.TERRITORY_URL, refresh=False),
            html.Div(
                [
                    html.H1("Fiche territoire"),
                    html.P(
                        "Indice global, profil par axe comparé aux territoires de même "
                        "catégorie, évolution et réponses au questionnaire.",
                        className="lead",
                    ),
                ],
                className="page-title",
            ),
            html.Div(
                [
                    html.Div(
                        [
                            html.Label("Territoire", htmlFor=ids.TERRITORY_CHOOSER),
                            dcc.Dropdown(
                                id=ids.TERRITORY_CHOOSER,
                                options=options,
                                value=code,
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
                    html.Fieldset(
                        [
                            html.Legend("Millésime"),
                            dcc.RadioItems(
                                id=ids.TERRITORY_MILLESIME,
                                options=[{"label": str(m), "value": m} for m in millesimes],
                                value=millesime,
                                inline=True,
                                className="choices",
                            ),
                        ],
                        className="control",
                    ),
                ],
                className="controls",
                hidden=not options,
            ),
            html.Div(body, id=ids.TERRITORY_BODY, **{"aria-live": "polite"}),
        ]
    )


def layout(code: str | None = None, millesime: str | None = None, **_: Any) -> html.Div:
    """The fiche for ``?code=…&millesime=…`` (latest millésime by default)."""
    try:
        options = territory_options()
        millesimes = data.millesimes()
        selected = parse_millesime(millesime, millesimes)
        known = {option["value"] for option in options}
        body = fiche_body(code, selected)
        return _page(options, code if code in known else None, millesimes, selected, body)
    except data.PublicationError as error:
        return _page([], None, [], None, [notice(str(error), error=True)])


@callback(
    Output(ids.TERRITORY_BODY, "children"),
    Output(ids.TERRITORY_URL, "search"),
    Input(ids.TERRITORY_CHOOSER, "value"),
    Input(ids.TERRITORY_MILLESIME, "value"),
    prevent_initial_call=True,
)
def show_territory(code: str | None, millesime: int | None) -> tuple[list[Any], str]:
    """Show the chosen territory and millésime, and write them in the URL for sharing."""
    search = query_string(code=code, millesime=millesime)
    try:
        return fiche_body(code, millesime), search
    except data.PublicationError as error:
        return [notice(str(error), error=True)], search
