"""Fiche territoire: one territory's index, axis profile against its peers, trend and answers."""

from __future__ import annotations

import json
from typing import Any

import dash
import pandas as pd
from dash import ClientsideFunction, Input, Output, State, callback, clientside_callback, dcc, html

from dashboards import data, ids
from dashboards.components import (
    DEPOSIT_PATH,
    DROPDOWN_LABELS,
    FICHE_PATH,
    PUBLISHED_ACHIEVEMENT,
    PUBLISHED_ACHIEVEMENTS,
    Column,
    achievement_href,
    counted,
    data_table,
    fiche_href,
    graph,
    kpi_card,
    methodology_href,
    millesime_choice,
    notice,
    parse_millesime,
    query_string,
    searched_options,
    table_details,
    territory_options,
)
from dashboards.figures import (
    break_texts,
    evolution_chart,
    interval_bounds,
    level_name,
    ordinal,
    radar,
    rank_interval_chart,
)
from dashboards.formatting import (
    MISSING,
    format_integer,
    format_number,
    format_percent,
    is_missing,
)
from schemas.vocabulary import (
    KIND_PLURALS,
    KIND_SINGULARS,
    STRENGTH,
    STRENGTH_GAP,
    WEAKNESS,
)

dash.register_page(
    __name__,
    path=FICHE_PATH,
    name="Fiche territoire",
    title="Fiche territoire — Observatoire de la maturité numérique des territoires",
    description="Indice, profil par axe, évolution et réponses d'un territoire.",
    order=1,
)

CHOOSE_PROMPT = "Choisissez un territoire dans la liste pour afficher sa fiche."
PRINT_LABEL = "Imprimer / enregistrer en PDF"
#: Heights (px) of the charts while the fiche is printed, so that it fits one A4 page.
PRINT_HEIGHTS = {ids.TERRITORY_RADAR: 470, ids.TERRITORY_EVOLUTION: 470}
#: Width (px) of a chart in a half-page column of the print layout (style.css zooms 0.6).
PRINT_WIDTH = 540
#: What ``static/fiche_impression.js`` redraws before printing, read from the print button's
#: ``data-print-sizes`` attribute.
PRINT_SIZES = {"width": PRINT_WIDTH, "heights": PRINT_HEIGHTS}
#: At most this many questions are named as pulling an axis down.
DRAGGING_QUESTIONS = 3
#: What the rank interval means, in one line.
INTERVAL_EXPLANATION = (
    "L'intervalle montre combien le rang dépend des choix de méthode : on refait le "
    "classement des centaines de fois en faisant varier les poids des questions et des axes "
    "et la façon de moyenner les axes ; 90 % des rangs obtenus tombent dans l'intervalle."
)


def peers_label(kind: str, kind_label: str, count: int = 2) -> str:
    """Name of the peers of a territory of ``kind``: "départements", or "département" for 1."""
    if count == 1:
        return KIND_SINGULARS.get(kind, kind_label.lower())
    return KIND_PLURALS.get(kind, kind_label.lower())


def rank_text(rank: float, peers: int, kind: str, kind_label: str) -> str:
    """``"12e sur 101 départements"`` (``"1er sur 13 régions"``)."""
    return f"{ordinal(rank)} sur {format_integer(peers)} {peers_label(kind, kind_label, peers)}"


def percentile_text(percentile: float | None, peers: int, plural: str) -> str:
    """The percentile in words: ``"score supérieur à celui de 37 % des autres départements"``."""
    if peers <= 1 or is_missing(percentile):
        return "aucun autre territoire de sa catégorie n'a d'indice ce millésime"
    return f"score supérieur à celui de {format_number(percentile, 0)}\u00a0% des autres {plural}"


def interval_text(rank_p05: float | None, rank_p95: float | None) -> str | None:
    """``"entre le 9e et le 16e rang dans 90 % des simulations"`` (None without interval).

    The percentiles of the simulated ranks are interpolated, so the interval is widened to
    the whole ranks that enclose it.
    """
    if is_missing(rank_p05) or is_missing(rank_p95):
        return None
    low, high = interval_bounds(rank_p05, rank_p95)  # type: ignore[arg-type]
    if low == high:
        return f"au {ordinal(low)} rang dans 90\u00a0% des simulations"
    return f"entre le {ordinal(low)} et le {ordinal(high)} rang dans 90\u00a0% des simulations"


def band_text(rank: dict[str, Any]) -> str | None:
    """Rank within the population band: ``"3e sur 39 territoires de plus d'1 million …"``."""
    band, band_rank, band_peers = rank.get("population_band"), rank.get("band_rank"), None
    if not is_missing(rank.get("band_peers")):
        band_peers = int(rank["band_peers"])
    if not band or is_missing(band_rank) or not band_peers:
        return None
    territories = "territoire" if band_peers == 1 else "territoires"
    return (
        f"{ordinal(band_rank)} sur {format_integer(band_peers)} {territories} de {band} "  # type: ignore[arg-type]
        "(toutes catégories confondues)"
    )


def dragging_questions(of_axis: pd.DataFrame, top: int = DRAGGING_QUESTIONS) -> list[str]:
    """Codes of the questions that cost the axis the most points (those losing any), worst first."""
    losing = of_axis[of_axis["points_lost"].fillna(0) > 0.05]
    ordered = losing.sort_values(["points_lost", "question"], ascending=[False, True])
    return ordered["question"].head(top).tolist()


def dragging_text(of_axis: pd.DataFrame, top: int = DRAGGING_QUESTIONS) -> str:
    """What pulls an axis down, in words: ``"LAB_02 (−11,1 points), LAB_05 (−5,6 points)"``."""
    codes = dragging_questions(of_axis, top)
    if not codes:
        return "Aucune réponse ne fait perdre de points à cet axe."
    lost = of_axis.set_index("question")["points_lost"]
    parts = [f"{code} (\u2212{format_number(lost[code])} points)" for code in codes]
    return "Ce qui tire l'axe vers le bas : " + ", ".join(parts) + "."


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
    peers = peers_label(territory["kind"], territory["kind_label"])
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
            _methodology_line(millesime),
        ],
        className="fiche-identity",
    )


def _methodology_line(millesime: int) -> html.P:
    """Which version of the methodology scored ``millesime``, linked to its description."""
    version = data.methodology_version(millesime)
    if version is None:
        text: list[Any] = [f"Version de la méthodologie du millésime {millesime} : inconnue."]
    else:
        text = [
            f"Version de la méthodologie du millésime {millesime} : ",
            dcc.Link(version, href=methodology_href(version)),
            ".",
        ]
    return html.P(text, id=ids.TERRITORY_METHOD_VERSION, className="note fiche-method")


def _rank_section(
    territory: dict[str, Any], rank: dict[str, Any] | None, millesime: int
) -> html.Section:
    """Rank among the peers (kind and population band), with its Monte Carlo interval."""
    kind, kind_label = territory["kind"], territory["kind_label"]
    heading = html.H2("Rang parmi les pairs")
    if rank is None:
        return html.Section(
            [heading, html.P(f"Pas de rang au millésime {millesime} : pas d'indice global.")],
            id=ids.TERRITORY_RANK,
            className="card",
        )
    peers = int(rank["peers"])
    plural = peers_label(kind, kind_label)
    children: list[Any] = [
        heading,
        html.P(
            html.Strong(rank_text(rank["rank"], peers, kind, kind_label), className="rank"),
            className="rank-headline",
        ),
        html.P(f"Indice global : {percentile_text(rank['percentile'], peers, plural)}."),
    ]
    interval = interval_text(rank.get("rank_p05"), rank.get("rank_p95"))
    if interval is not None:
        median = rank.get("rank_median")
        median_text = "" if is_missing(median) else f" ; rang médian : {ordinal(median)}"
        children += [
            html.P(
                f"Incertitude : {interval}{median_text}.",
                className="rank-interval",
            ),
            graph(
                ids.TERRITORY_RANK_CHART,
                rank_interval_chart(
                    rank["rank"],
                    rank.get("rank_median"),
                    rank.get("rank_p05"),
                    rank.get("rank_p95"),
                    peers,
                    plural,
                ),
                f"Rang de {territory['name']} parmi les {peers} {plural} : {ordinal(rank['rank'])}"
                f", {interval}",
            ),
            html.P(
                [
                    INTERVAL_EXPLANATION + " ",
                    dcc.Link("Voir la méthodologie", href=methodology_href()),
                    ".",
                ],
                className="note",
            ),
        ]
    else:
        children.append(html.P("Pas d'intervalle d'incertitude pour ce rang.", className="note"))
    band = band_text(rank)
    if band is not None:
        children.append(
            html.P(["Selon la population : ", html.Strong(band), "."], className="rank-band")
        )
    children.append(
        table_details("Voir les rangs sous forme de tableau", _rank_table(rank, plural))
    )
    return html.Section(children, id=ids.TERRITORY_RANK, className="card")


def _rank_table(rank: dict[str, Any], plural: str) -> html.Table:
    """The ranks of the territory, with the interval of the simulations (twin of the chart)."""

    def whole(value: Any) -> str:
        return MISSING if is_missing(value) else ordinal(value)

    low, high = (
        (None, None)
        if is_missing(rank.get("rank_p05")) or is_missing(rank.get("rank_p95"))
        else interval_bounds(rank["rank_p05"], rank["rank_p95"])
    )
    rows = [
        {
            "group": plural.capitalize(),
            "rank": whole(rank["rank"]),
            "peers": rank["peers"],
            "percentile": rank["percentile"],
            "median": whole(rank.get("rank_median")),
            "interval": MISSING if low is None else f"{ordinal(low)} – {ordinal(high)}",
        }
    ]
    if not is_missing(rank.get("band_rank")) and rank.get("population_band"):
        rows.append(
            {
                "group": f"Territoires de {rank['population_band']}",
                "rank": whole(rank["band_rank"]),
                "peers": rank["band_peers"],
                "percentile": rank["band_percentile"],
                "median": MISSING,
                "interval": MISSING,
            }
        )
    return data_table(
        "Rang de l'indice global (1er = meilleur) ; rang médian et intervalle des rangs "
        "obtenus dans 90 % des simulations",
        [
            Column("Parmi", "group"),
            Column("Rang", "rank", numeric=True),
            Column("Sur", "peers", format_integer, numeric=True),
            Column("Centile", "percentile", lambda v: format_number(v, 0), numeric=True),
            Column("Rang médian", "median", numeric=True),
            Column("Intervalle 90 %", "interval", numeric=True),
        ],
        rows,
        id=ids.TERRITORY_RANK_TABLE,
    )


def _positions_section(positions: pd.DataFrame, peers: str) -> html.Section:
    """The axes well above (strengths) and well below (weaknesses) the peers' median."""
    columns = [
        Column("Axe", "label"),
        Column("Score", "score", format_number, numeric=True),
        Column("Médiane", "peer_median", format_number, numeric=True),
        Column("Écart", "gap", format_signed, numeric=True),
    ]
    blocks: list[Any] = [html.H2("Points forts et points faibles")]
    for position, title, component_id, ascending, empty in (
        (
            STRENGTH,
            "Points forts",
            ids.TERRITORY_STRENGTHS,
            False,
            f"Aucun axe à {format_number(STRENGTH_GAP, 0)} points ou plus au-dessus de la "
            f"médiane des {peers}.",
        ),
        (
            WEAKNESS,
            "Points faibles",
            ids.TERRITORY_WEAKNESSES,
            True,
            f"Aucun axe à {format_number(STRENGTH_GAP, 0)} points ou plus sous la médiane "
            f"des {peers}.",
        ),
    ):
        rows = positions[positions["position"] == position].sort_values("gap", ascending=ascending)
        blocks.append(html.H3(title))
        blocks.append(
            html.Div(
                data_table(
                    f"Axes à {format_number(STRENGTH_GAP, 0)} points ou plus "
                    f"{'au-dessus' if position == STRENGTH else 'au-dessous'} de la médiane "
                    f"des {peers} (score sur 100)",
                    columns,
                    rows.to_dict("records"),
                )
                if not rows.empty
                else html.P(empty),
                id=component_id,
                className="table-scroll",
            )
        )
    return html.Section(blocks, className="card")


def _peers_section(peers_frame: pd.DataFrame, peers: str, millesime: int) -> html.Section:
    """For each weak axis, the best peers on it, each linked to its fiche."""
    heading = html.H2("Des pairs dont s'inspirer")
    if peers_frame.empty:
        return html.Section(
            [heading, html.P(f"Aucun point faible par rapport aux {peers} : rien à rattraper.")],
            id=ids.TERRITORY_PEERS,
            className="card",
        )
    rows = []
    for _axis, of_axis in peers_frame.groupby("axis", sort=False):
        first = of_axis.iloc[0]
        rows.append(
            {
                "axis": first["axis_label"],
                "score": first["score"],
                "peers": html.Ol(
                    [
                        html.Li(
                            [
                                dcc.Link(row.peer_name, href=fiche_href(row.peer, millesime)),
                                f" : {format_number(row.peer_score)}",
                            ]
                        )
                        for row in of_axis.itertuples(index=False)
                    ],
                    className="peer-list",
                ),
            }
        )
    return html.Section(
        [
            heading,
            html.P(
                f"Sur chaque point faible, les {peers} les mieux notés : leurs réponses, sur "
                "leur fiche, montrent ce qu'ils ont mis en place.",
                className="note",
            ),
            html.Div(
                data_table(
                    f"Pairs les mieux notés sur chaque point faible, millésime {millesime}",
                    [
                        Column("Point faible", "axis"),
                        Column("Score du territoire", "score", format_number, numeric=True),
                        Column("Pairs dont s'inspirer (score de l'axe)", "peers", lambda v: v),
                    ],
                    rows,
                ),
                className="table-scroll",
            ),
        ],
        id=ids.TERRITORY_PEERS,
        className="card",
    )


#: How the sheets of "Ce que vos pairs ont fait" are ranked, in one sentence (the rule of
#: the pipeline's ``achievement_recommendations``).
RANKING_EXPLANATION = (
    "Classées d'abord par proximité avec votre territoire (même type, population comparable, "
    "même région), puis selon la progression de leur auteur sur l'axe depuis la réalisation "
    "et son score actuel."
)
#: The closeness flags of a recommendation and how each reads as a badge.
CLOSENESS_BADGES = (
    ("same_kind", "même type"),
    ("similar_population", "population comparable"),
    ("same_region", "même région"),
)


def closeness_badges(row: Any) -> list[str]:
    """The closeness badges a recommended sheet earns, in the order of the ranking."""
    flags = {flag: getattr(row, flag) for flag, _ in CLOSENESS_BADGES}
    return [
        label
        for flag, label in CLOSENESS_BADGES
        if not is_missing(flags[flag]) and bool(flags[flag])
    ]


def progress_text(progress: float | None, year: Any, millesime: int | None = None) -> str:
    """The author's progress on the axis since the sheet: ``"+8,3 points depuis 2024"``;
    a sheet of the millésime itself has no progress to show yet."""
    if not is_missing(year) and millesime is not None and int(year) >= millesime:
        return f"réalisation de {int(year)}, sans recul encore"
    since = "la réalisation" if is_missing(year) else str(int(year))
    if is_missing(progress):
        return f"progression depuis {since} inconnue"
    return f"{format_signed(progress)} points depuis {since}"


def author_facts(row: Any) -> str:
    """Who wrote a sheet: ``"Bouches-du-Rhône · Département · 2 043 110 habitants · Région
    Provence-Alpes-Côte d'Azur"`` (what is unknown is left out)."""
    facts = [row.author_name]
    if not is_missing(row.author_kind_label):
        facts.append(row.author_kind_label)
    if not is_missing(row.author_population):
        facts.append(f"{format_integer(row.author_population)} habitants")
    if not is_missing(row.author_region_name) and row.author_region_name != row.author_name:
        facts.append(f"Région {row.author_region_name}")
    return " · ".join(facts)


def _recommended_item(row: Any, millesime: int) -> html.Li:
    """One recommended sheet: its title (linked), its author, the author's score and
    progress on the axis, and the badges saying how close the author is."""
    badges = closeness_badges(row)
    children: list[Any] = [
        html.P(
            [
                dcc.Link(row.title, href=achievement_href(row.achievement_id)),
                "" if is_missing(row.year) else f" ({int(row.year)})",
            ],
            className="achievement-title",
        ),
        html.P(
            [
                dcc.Link(author_facts(row), href=fiche_href(row.author, millesime)),
            ],
            className="achievement-author",
        ),
        html.P(
            f"Score de l'auteur sur l'axe en {millesime} : {format_number(row.author_score)} "
            f"sur 100 · {progress_text(row.author_progress, row.year, millesime)}",
            className="achievement-score",
        ),
    ]
    if badges:
        children.append(
            html.Ul(
                [html.Li(label, className="badge") for label in badges],
                className="badges",
                **{"aria-label": "Proximité avec votre territoire"},
            )
        )
    return html.Li(children, className="achievement-item")


def peer_achievements_section(
    recommended: pd.DataFrame, positions: pd.DataFrame, millesime: int
) -> html.Section:
    """The section « Ce que vos pairs ont fait »: for each weak axis, the published sheets of better-scoring
    territories, closest authors first, with the one sentence that explains the order."""
    heading = html.H2("Ce que vos pairs ont fait")
    weak = positions[positions["position"] == WEAKNESS]
    if weak.empty:
        return html.Section(
            [
                heading,
                html.P(
                    "Aucun point faible ce millésime : pas de réalisation à vous recommander.",
                    className="note",
                ),
            ],
            id=ids.TERRITORY_PEER_ACHIEVEMENTS,
            className="card",
        )
    blocks: list[Any] = [heading, html.P(RANKING_EXPLANATION, className="note")]
    for axis in weak.itertuples(index=False):
        of_axis = recommended[recommended["axis"] == axis.axis].sort_values("rank")
        blocks.append(html.H3(axis.label))
        if of_axis.empty:
            blocks.append(
                html.P(
                    "Aucune réalisation publiée sur cet axe par un territoire mieux noté, "
                    "pour l'instant.",
                    className="achievement-none",
                )
            )
            continue
        blocks.append(
            html.Ol(
                [_recommended_item(row, millesime) for row in of_axis.itertuples(index=False)],
                className="achievement-list",
            )
        )
    return html.Section(blocks, id=ids.TERRITORY_PEER_ACHIEVEMENTS, className="card")


def _counts_text(supports: Any, adaptations: Any) -> str:
    """``"3 soutiens · 1 territoire l'adapte"`` (nothing when both are zero)."""
    parts = []
    if not is_missing(supports) and int(supports):
        parts.append(counted(supports, "soutien"))
    if not is_missing(adaptations) and int(adaptations):
        parts.append(counted(adaptations, "territoire l'adapte", "territoires l'adaptent"))
    return " · ".join(parts)


def own_achievements_section(territory: dict[str, Any], own: pd.DataFrame) -> html.Section:
    """The section « Réalisations du territoire »: its published sheets, each linked to its page."""
    heading = html.H2("Réalisations du territoire")
    if own.empty:
        return html.Section(
            [
                heading,
                html.P(
                    [
                        f"{territory['name']} n'a pas encore de réalisation exemplaire publiée. "
                        "Un territoire propose une fiche depuis la page ",
                        dcc.Link("Déposer", href=dash.get_relative_path(DEPOSIT_PATH)),
                        " ; elle est publiée après relecture.",
                    ],
                    className="note",
                ),
            ],
            id=ids.TERRITORY_ACHIEVEMENTS,
            className="card",
        )
    items = []
    for row in own.itertuples(index=False):
        details = [
            text
            for text in (row.axis_labels, _counts_text(row.supports, row.adaptations))
            if text and not is_missing(text)
        ]
        items.append(
            html.Li(
                [
                    html.P(
                        [
                            dcc.Link(row.title, href=achievement_href(row.achievement_id)),
                            "" if is_missing(row.year) else f" ({int(row.year)})",
                        ],
                        className="achievement-title",
                    ),
                    html.P(" · ".join(details), className="achievement-author"),
                ],
                className="achievement-item",
            )
        )
    count = len(own)
    return html.Section(
        [
            heading,
            html.P(
                f"{counted(count, PUBLISHED_ACHIEVEMENT, PUBLISHED_ACHIEVEMENTS)}.",
                className="note",
            ),
            html.Ul(items, className="achievement-list"),
        ],
        id=ids.TERRITORY_ACHIEVEMENTS,
        className="card",
    )


POSITION_LABELS = {STRENGTH: "Point fort", WEAKNESS: "Point faible"}


def _axes_table(
    profile: pd.DataFrame,
    peers: str,
    millesime: int,
    positions: pd.DataFrame,
    index_parts: pd.DataFrame,
) -> html.Table:
    position_of = positions.set_index("axis")["position"].to_dict()
    lost_of = index_parts.set_index("axis")["points_lost"].to_dict()
    rows = [
        {
            "label": row.label,
            "score": row.score,
            "coverage": row.coverage,
            "peer_median": row.peer_median,
            "gap": None
            if is_missing(row.score) or is_missing(row.peer_median)
            else row.score - row.peer_median,
            "position": POSITION_LABELS.get(position_of.get(row.axis), MISSING),
            "points_lost": lost_of.get(row.axis),
        }
        for row in profile.itertuples(index=False)
    ]
    return data_table(
        f"Scores par axe, millésime {millesime} (sur 100) ; points perdus : points de "
        "l'indice global que l'axe lui fait perdre en restant sous 100",
        [
            Column("Axe", "label"),
            Column("Score", "score", format_number, numeric=True),
            Column("Couverture", "coverage", format_percent, numeric=True),
            Column(f"Médiane des {peers}", "peer_median", format_number, numeric=True),
            Column("Écart à la médiane", "gap", format_signed, numeric=True),
            Column("Position", "position"),
            Column("Points perdus sur l'indice", "points_lost", format_number, numeric=True),
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


def answer_text(
    answer: str, answer_type: str, options: str | None = None, scale_labels: str | None = None
) -> str:
    """An answer as visitors read it: chosen options by their labels, a level with its label.

    ``options`` and ``scale_labels`` are the JSON texts of the ``questions`` table;
    ``"paiement|chatbot"`` → ``"Paiement en ligne, Agent conversationnel"``, ``"2"`` →
    ``"2 — En projet"``. Anything unexpected is shown as given.
    """
    try:
        if answer_type == "choix_multiple":
            labels = {item["code"]: item["label"] for item in json.loads(options or "[]")}
            chosen = [code.strip() for code in str(answer).split("|") if code.strip()]
            return ", ".join(labels.get(code, code) for code in chosen) or str(answer)
        if answer_type == "echelle":
            label = json.loads(scale_labels or "{}").get(str(answer).strip())
            return f"{answer} — {label}" if label else str(answer)
    except (TypeError, ValueError, KeyError):
        return str(answer)
    return str(answer)


def _answer_cell(answer: Any) -> Any:
    return html.Em("Sans réponse") if is_missing(answer) else answer


def _answers(answers: pd.DataFrame, profile: pd.DataFrame) -> list[Any]:
    """One collapsible block per axis: the answers, their scores, what each brings to the
    axis and the points it loses, worst first."""
    blocks = []
    for axis in profile.itertuples(index=False):
        of_axis = answers[answers["axis"] == axis.axis]
        answered = int(of_axis["answer"].notna().sum())
        dragging = set(dragging_questions(of_axis))
        ordered = of_axis.assign(order=of_axis["points_lost"].fillna(-1)).sort_values(
            ["order", "question"], ascending=[False, True]
        )
        rows = [
            {
                "code": row.question,
                "question": row.question_label,
                "answer": None
                if is_missing(row.answer)
                else answer_text(row.answer, row.answer_type, row.options, row.scale_labels),
                "score": row.score,
                "weight_share": row.weight_share,
                "contribution": row.contribution,
                "points_lost": row.points_lost,
            }
            for row in ordered.itertuples(index=False)
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
                    html.P(dragging_text(of_axis), className="dragging"),
                    html.Div(
                        data_table(
                            f"Réponses de l'axe « {axis.label} », de celle qui lui fait perdre "
                            "le plus de points à celle qui lui en fait perdre le moins ; en gras, "
                            "ce qui tire l'axe vers le bas",
                            [
                                Column("Code", "code"),
                                Column("Question", "question"),
                                Column("Réponse", "answer", _answer_cell),
                                Column("Score", "score", format_number, numeric=True),
                                Column("Poids dans l'axe", "weight_share", format_percent, True),
                                Column("Apport au score", "contribution", format_number, True),
                                Column("Points perdus", "points_lost", format_number, True),
                            ],
                            rows,
                            row_class=lambda row, dragging=dragging: (
                                "row-dragging" if row["code"] in dragging else None
                            ),
                        ),
                        className="table-scroll",
                    ),
                    html.P(
                        "Apport : points du score de l'axe (sur 100) qu'apporte la réponse ; "
                        "points perdus : ceux qu'elle lui coûte en restant sous 100. Une "
                        "question sans réponse sort du calcul.",
                        className="note",
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
    peers = peers_label(territory["kind"], territory["kind_label"])
    body: list[Any] = [_identity(territory, score, millesime)]

    evolution = _evolution(code, territory, history, peers, millesimes, millesime)
    if score is None:
        body.append(
            notice(f"{territory['name']} n'a pas de réponse publiée pour le millésime {millesime}.")
        )
        body.append(html.Div(evolution, className="grid grid-2"))
        body.append(own_achievements_section(territory, data.territory_achievements(code)))
        return body

    profile = data.axis_profile(code, millesime)
    positions = data.axis_positions(code, millesime)
    body.append(
        html.Div(
            [
                _rank_section(territory, data.territory_rank(code, millesime), millesime),
                _positions_section(positions, peers),
            ],
            className="grid grid-2 fiche-results",
        )
    )
    body.append(_peers_section(data.peers_to_learn_from(code, millesime), peers, millesime))
    body.append(
        peer_achievements_section(data.peer_achievements(code, millesime), positions, millesime)
    )
    body.append(own_achievements_section(territory, data.territory_achievements(code)))
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
            className="grid grid-2 fiche-charts",
        )
    )
    body.append(
        html.Section(
            [
                html.H2("Scores par axe"),
                html.Div(
                    _axes_table(
                        profile,
                        peers,
                        millesime,
                        positions,
                        data.index_contributions(code, millesime),
                    ),
                    className="table-scroll",
                ),
            ],
            className="card fiche-axes",
        )
    )
    answers = data.answer_contributions(code, millesime)
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
            className="card fiche-answers",
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
    breaks = data.series_breaks()
    figure = evolution_chart(
        history,
        data.axis_history(code),
        data.peer_median_history(territory["kind"]),
        territory["name"],
        peers,
        millesimes,
        millesime,
        breaks,
    )
    texts = break_texts(breaks)
    rows = [
        {
            "millesime": int(row.millesime),
            "global_index": row.global_index,
            "level": level_name(row.maturity_level, row.maturity_label),
            "break": texts.get(int(row.millesime), MISSING),
        }
        for row in history.itertuples(index=False)
    ]
    columns = [
        Column("Millésime", "millesime"),
        Column("Indice global", "global_index", format_number, numeric=True),
        Column("Niveau de maturité", "level"),
    ]
    if texts:
        columns.append(Column("Rupture de série avec le millésime précédent", "break"))
    notes = ["Cliquez sur un axe dans la légende pour afficher son évolution."]
    if texts:
        notes.append(
            "Un trait tireté marque une rupture de série : la méthodologie a changé pour "
            "certains axes, leurs scores ne se comparent pas d'un côté à l'autre."
        )
    return html.Section(
        [
            html.H2("Évolution"),
            graph(
                ids.TERRITORY_EVOLUTION,
                figure,
                f"Évolution de l'indice global de {territory['name']} par millésime",
            ),
            html.P(" ".join(notes), className="note"),
            table_details(
                "Voir l'évolution sous forme de tableau",
                data_table(f"Indice global de {territory['name']} par millésime", columns, rows),
                id=ids.TERRITORY_EVOLUTION_TABLE,
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
                    html.Div(
                        [
                            html.H1("Fiche territoire"),
                            html.P(
                                "Indice global, rang parmi les pairs, profil par axe comparé "
                                "aux territoires de même catégorie, évolution et réponses au "
                                "questionnaire.",
                                className="lead",
                            ),
                        ]
                    ),
                    html.Button(
                        PRINT_LABEL,
                        id=ids.TERRITORY_PRINT,
                        type="button",
                        className="button button-secondary print-button",
                        hidden=not code,
                        **{"data-print-sizes": json.dumps(PRINT_SIZES)},
                    ),
                ],
                className="page-title page-title-actions",
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
                    millesime_choice(ids.TERRITORY_MILLESIME, millesimes, millesime),
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
        options = territory_options([code] if code else [])
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
    Output(ids.TERRITORY_PRINT, "hidden"),
    Input(ids.TERRITORY_CHOOSER, "value"),
    Input(ids.TERRITORY_MILLESIME, "value"),
    prevent_initial_call=True,
)
def show_territory(code: str | None, millesime: int | None) -> tuple[list[Any], str, bool]:
    """Show the chosen territory and millésime, and write them in the URL for sharing."""
    search = query_string(code=code, millesime=millesime)
    try:
        return fiche_body(code, millesime), search, not code
    except data.PublicationError as error:
        return [notice(str(error), error=True)], search, True


# The print button opens the browser's print dialog (``static/fiche_impression.js``).
clientside_callback(
    ClientsideFunction(namespace="observatoire", function_name="printFiche"),
    Input(ids.TERRITORY_PRINT, "n_clicks"),
    prevent_initial_call=True,
)


@callback(
    Output(ids.TERRITORY_CHOOSER, "options"),
    Input(ids.TERRITORY_CHOOSER, "search_value"),
    State(ids.TERRITORY_CHOOSER, "value"),
    prevent_initial_call=True,
)
def search_territories(search: str | None, value: Any) -> Any:
    """The territories whose name holds what was typed (only past a large reference)."""
    return searched_options(search, value)
