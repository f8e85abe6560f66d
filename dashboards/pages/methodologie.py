"""Méthodologie: how answers become scores, axes, an index, levels and ranks.

Generated from the methodology the pipeline publishes with the scores (its versions, tree,
weights, thresholds, question rules, robustness settings and series breaks, read through
``dashboards.data``), never written by hand: what this page says is what the pipeline did.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import dash
import pandas as pd
from dash import Input, Output, callback, dcc, html

from dashboards import data, ids
from dashboards.components import (
    METHODOLOGY_PATH,
    Column,
    data_table,
    graph,
    notice,
    page_title,
    query_string,
    radio_choice,
    table_details,
)
from dashboards.data import Indicator, Methodology, MethodologyVersion, Node
from dashboards.figures import LEVEL_COLOURS, sensitivity_chart
from dashboards.formatting import MISSING, format_integer, format_number, format_percent
from schemas.vocabulary import (
    INSUFFICIENT_DATA_LABEL,
    KIND_LABELS,
    MATURITY_LEVELS,
    TERRITORY_KINDS,
)

dash.register_page(
    __name__,
    path=METHODOLOGY_PATH,
    name="Méthodologie",
    title="Méthodologie — Observatoire de la maturité numérique des territoires",
    description=(
        "Comment les réponses au questionnaire deviennent des scores, un indice, des niveaux "
        "et des rangs : arbre, poids, règles, robustesse et versions."
    ),
    order=4,
)

#: How each answer type of the questionnaire is named.
ANSWER_TYPE_LABELS = {
    "oui_non": "Oui / non",
    "echelle": "Échelle de niveaux",
    "pourcentage": "Pourcentage",
    "nombre": "Nombre",
    "choix_multiple": "Choix multiple",
}
AGGREGATION_LABELS = {
    "arithmetic": "moyenne arithmétique pondérée",
    "geometric": "moyenne géométrique pondérée",
}
IMPUTATION_RULES = {
    None: (
        "Une question sans réponse n'est pas comptée zéro ni estimée : elle sort du calcul "
        "de son axe, et les questions répondues se partagent son poids."
    ),
    "zero": "Une question sans réponse est comptée zéro.",
    "mean": (
        "Une question sans réponse reçoit la moyenne des autres territoires ; les scores "
        "concernés sont signalés comme imputés."
    ),
}
#: Shown when the publication holds no version of the methodology.
NO_VERSION_MESSAGE = (
    "Aucune version de la méthodologie n'est publiée : relancez la publication avec "
    "`observatoire refresh`."
)


# --- Pure descriptions ----------------------------------------------------------------


def format_plain(value: float | int | None) -> str:
    """A number as a person writes it: ``0.5`` → ``"0,5"``, ``2.0`` → ``"2"``, ``10000`` →
    ``"10 000"`` (at most two decimals, no trailing zeros)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    rounded = round(float(value), 2)
    if rounded.is_integer():
        return format_integer(rounded)
    decimals = 1 if round(rounded, 1) == rounded else 2
    return format_number(rounded, decimals)


def of_unit(unit: str) -> str:
    """``"de jeux de données"``, ``"d'entreprises accompagnées"`` (French elision)."""
    return f"d'{unit}" if unit[:1].lower() in "aeiouyàâéèêëîïôöûü" else f"de {unit}"


def _share(part: float, whole: float) -> str:
    return format_percent(part / whole) if whole else MISSING


def _formula(value: str, indicator: Indicator, scale: float) -> str:
    """How the raw ``value`` becomes a score, from the indicator's normalisation."""
    top = format_plain(scale)
    if indicator.normalisation == "scale":
        return f"{value} / {format_plain(indicator.goal_max)} × {top}"
    if indicator.normalisation == "minmax":
        if indicator.goal_min == 0:
            return f"{value} / {format_plain(indicator.goal_max)} × {top}"
        return (
            f"({value} − {format_plain(indicator.goal_min)}) / "
            f"({format_plain(indicator.goal_max)} − {format_plain(indicator.goal_min)}) × {top}"
        )
    return f"{value} × {top}"


def scoring_rule(
    answer_type: str, indicator: Indicator, unit: str | None = None, scale: float = 100
) -> str:
    """How an answer becomes a score on 0–``scale``, in French, from the methodology.

    >>> scoring_rule("echelle", Indicator("Q", "Q", "scale", goal_max=4))
    'niveau 0–4 → niveau / 4 × 100'
    """
    lower = indicator.lower_is_better
    top = format_plain(scale)
    per = format_plain(indicator.per)
    if answer_type == "oui_non" and indicator.normalisation == "scale":
        return f"oui → 0, non → {top} (moins est mieux)" if lower else f"oui → {top}, non → 0"
    if answer_type == "echelle" and indicator.normalisation == "scale":
        levels = format_plain(indicator.goal_max)
        rule = f"niveau 0–{levels} → niveau / {levels} × {top}"
        return f"{top} − niveau / {levels} × {top} (moins est mieux)" if lower else rule
    percentage = answer_type == "pourcentage" and indicator.normalisation == "scale"
    if percentage and indicator.goal_max == scale:
        return f"{top} − pourcentage (moins est mieux)" if lower else "le pourcentage tel quel"
    if answer_type == "nombre" and indicator.denominator:
        what = f"nombre {of_unit(unit)}" if unit else "nombre"
        target = format_plain(indicator.goal_max)
        rule = (
            f"{what} pour {per} habitants, score plein à {target} : "
            f"{_formula('taux', indicator, scale)}"
        )
        if indicator.clip:
            rule += f", plafonné à {top}"
        return f"moins est mieux : {top} − ({rule})" if lower else rule
    if answer_type == "choix_multiple" and indicator.normalisation == "scale":
        options = format_plain(indicator.goal_max)
        rule = f"part des {options} réponses proposées cochées : nombre cochées / {options} × {top}"
        return f"moins est mieux : {top} − ({rule})" if lower else rule
    # Any other indicator of the engine: say what the normalisation does.
    value = "valeur" if not indicator.denominator else f"valeur pour {per} {indicator.denominator}"
    rule = _formula(value, indicator, scale)
    if lower:
        rule = f"moins est mieux : {top} − ({rule})"
    return rule + (f", ramené entre 0 et {top}" if indicator.clip else "")


def asked_of_text(kinds: tuple[str, ...], territory_kinds: dict[str, str]) -> str:
    """Who a question is asked of: ``"toutes les catégories"`` or the kinds' labels."""
    if set(territory_kinds) <= set(kinds):
        return "toutes les catégories"
    left_out = [kind for kind in territory_kinds if kind not in kinds]
    if len(left_out) < len(kinds):
        return "toutes les catégories sauf : " + ", ".join(
            territory_kinds[kind] for kind in left_out
        )
    return ", ".join(territory_kinds.get(kind, kind) for kind in kinds)


def possible_answers(question: dict[str, Any]) -> list[str]:
    """The scale labels (``"0 — Rien n'est engagé"``) or the options of a question."""
    if question["answer_type"] == "echelle":
        return [f"{level} — {label}" for level, label in sorted(question["scale_labels"].items())]
    if question["answer_type"] == "choix_multiple":
        return [label for _, label in question["options"]]
    if question["answer_type"] == "oui_non":
        return ["oui", "non"]
    if question["answer_type"] == "pourcentage":
        return ["de 0 à 100"]
    if question["answer_type"] == "nombre":
        unit = question["unit"]
        return [f"un nombre {of_unit(unit)}" if unit else "un nombre"]
    return []


def coverage_text(node: Node, what: str) -> str:
    """The coverage threshold of a node: ``"au moins 50 % du poids des questions posées"``."""
    if node.min_coverage <= 0:
        return f"dès qu'un des {what} a un score"
    text = f"au moins {format_percent(node.min_coverage)} du poids des {what}"
    if len(set(node.weights)) == 1:
        needed = math.ceil(node.min_coverage * len(node.children) - 1e-9)
        text += f" (soit {needed} sur {len(node.children)} à poids égaux)"
    return text


def weights_text(node: Node) -> str:
    """``"poids égaux (1 chacun)"`` or the list of weights."""
    if len(set(node.weights)) == 1:
        return f"poids égaux ({format_plain(node.weights[0])} chacun)"
    return "poids " + ", ".join(
        f"{child} {format_plain(weight)}"
        for child, weight in zip(node.children, node.weights, strict=True)
    )


def runs_factor(settings: data.UncertaintySettings) -> int:
    """The ``k`` of "N × k" simulations per millésime (the groups of uncertain choices + 2),
    as the pipeline published it."""
    return settings.simulations // max(settings.base_samples, 1)


def question_rows(
    questions: pd.DataFrame,
    methodology: Methodology,
    territory_kinds: tuple[str, ...] = TERRITORY_KINDS,
) -> pd.DataFrame:
    """One row per question with everything the page says about it, in questionnaire order.

    ``questions`` come from ``data.methodology_questions`` (one version).

    Columns: ``axis``, ``code``, ``label``, ``help``, ``type``, ``weight``, ``axis_share``
    (0–1, when every question of the axis is asked and answered), ``asked_of``, ``rule``,
    ``answers`` (list of str).
    """
    axis_weights = questions.groupby("axis")["weight"].sum()
    asked_kinds = {kind: KIND_LABELS[kind] for kind in territory_kinds}
    rows = []
    for question in questions.to_dict("records"):
        indicator = methodology.indicators[question["code"]]
        rows.append(
            {
                "axis": question["axis"],
                "code": question["code"],
                "label": question["label"],
                "help": question["help"],
                "type": ANSWER_TYPE_LABELS.get(question["answer_type"], question["answer_type"]),
                "weight": question["weight"],
                "axis_share": question["weight"] / axis_weights[question["axis"]],
                "asked_of": asked_of_text(question["asked_of"], asked_kinds),
                "rule": scoring_rule(
                    question["answer_type"], indicator, question["unit"], methodology.scale
                ),
                "answers": [text for text in possible_answers(question) if text],
            }
        )
    columns = [
        "axis", "code", "label", "help", "type", "weight", "axis_share", "asked_of", "rule",
        "answers",
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def level_range_text(low: float, high: float, last: bool) -> str:
    """``"de 20 à moins de 40"`` (``"de 80 à 100"`` for the last level)."""
    return f"de {format_plain(low)} à {'' if last else 'moins de '}{format_plain(high)}"


def missing_data_rules(methodology: Methodology, axes: list[str]) -> list[str]:
    """The rules for missing answers, axes and indices, from the methodology's nodes."""
    root = methodology.nodes[methodology.root]
    axis_nodes = [methodology.nodes[axis] for axis in axes]
    imputations = {node.impute for node in axis_nodes}
    rules = [IMPUTATION_RULES.get(imputation, str(imputation)) for imputation in imputations]
    rules.append(
        "Une question qui n'est pas posée à une catégorie de territoire ne compte ni comme "
        "manquante ni dans les poids."
    )
    thresholds = {node.min_coverage for node in axis_nodes}
    if len(thresholds) == 1:
        rules.append(
            "Un axe n'a de score que si les questions répondues pèsent "
            f"{coverage_text(axis_nodes[0], 'questions posées')} ; sinon il est "
            f"« {INSUFFICIENT_DATA_LABEL} »."
        )
    else:
        rules.append(
            "Un axe n'a de score que si ses questions répondues pèsent assez : "
            + " ; ".join(f"{node.code} {format_percent(node.min_coverage)}" for node in axis_nodes)
            + f" du poids des questions posées ; sinon il est « {INSUFFICIENT_DATA_LABEL} »."
        )
    rules.append(
        "L'indice global n'a de score que si les axes notés pèsent "
        f"{coverage_text(root, 'axes')} ; sinon le territoire est « {INSUFFICIENT_DATA_LABEL} »"
        " et n'a ni niveau de maturité ni rang."
    )
    if any(indicator.denominator for indicator in methodology.indicators.values()):
        rules.append(
            "Un nombre est rapporté à la population du territoire : sans population connue, "
            "la réponse n'a pas de score."
        )
    return rules


def _millesimes_text(version: MethodologyVersion) -> str:
    return ", ".join(str(m) for m in sorted(version.millesimes))


def _by_first_millesime(versions: list[MethodologyVersion]) -> list[MethodologyVersion]:
    return sorted(versions, key=lambda version: min(version.millesimes))


def version_options(versions: list[MethodologyVersion]) -> list[dict[str, str]]:
    """Options of the version selector: ``"v1 (2024, 2025, 2026)"``."""
    return [
        {"label": f"{version.version} ({_millesimes_text(version)})", "value": version.version}
        for version in _by_first_millesime(versions)
    ]


def chosen_version(asked: str | None, versions: list[MethodologyVersion]) -> MethodologyVersion:
    """The version asked for in the URL if it exists, else the version of the latest millésime."""
    for version in versions:
        if version.version == asked:
            return version
    return data.current_version(versions)


def axis_coverage(methodology: Methodology) -> float:
    """The coverage threshold of the axes the pipeline scored with (published on each axis
    node; the same for every axis of the survey)."""
    root = methodology.nodes[methodology.root]
    return methodology.nodes[root.children[0]].min_coverage if root.children else 0.0


class VersionView(NamedTuple):
    """Everything the page shows of one version, as the pipeline published it.

    (A named tuple: Dash runs page modules outside ``sys.modules``, where a dataclass with
    postponed annotations cannot be built.)
    """

    version: MethodologyVersion
    methodology: Methodology
    #: From ``data.methodology_questions``, in questionnaire order.
    questions: pd.DataFrame
    #: Description of each axis, as the version describes it.
    descriptions: dict[str, Any]
    settings: data.UncertaintySettings | None


def version_view(version: MethodologyVersion) -> VersionView:
    """Read everything the page shows of ``version`` through the data door."""
    return VersionView(
        version=version,
        methodology=data.methodology(version.version),
        questions=data.methodology_questions(version.version),
        descriptions=data.axis_descriptions(version.version),
        settings=data.uncertainty_settings(version.version),
    )


# --- Sections -------------------------------------------------------------------------


def _index_section(view: VersionView) -> html.Section:
    """The tree: index → axes (a table), with aggregation, weights and coverage thresholds."""
    methodology, questions = view.methodology, view.questions
    root = methodology.nodes[methodology.root]
    total = sum(root.weights)
    rows = []
    for axis, weight in zip(root.children, root.weights, strict=True):
        node = methodology.nodes[axis]
        rows.append(
            {
                "code": axis,
                "label": node.label,
                "weight": f"{format_plain(weight)} ({_share(weight, total)})",
                "questions": len(node.children),
                "question_weights": format_plain(sum(node.weights)),
                "aggregation": AGGREGATION_LABELS.get(node.aggregation, node.aggregation),
                "coverage": format_percent(node.min_coverage),
            }
        )
    scale = format_plain(methodology.scale)
    return html.Section(
        [
            html.H2("De la réponse à l'indice"),
            html.Ul(
                [
                    html.Li(
                        [
                            html.Strong(f"{root.label} (0 à {scale})"),
                            f" : {AGGREGATION_LABELS.get(root.aggregation, root.aggregation)} "
                            f"des {len(root.children)} axes, {weights_text(root)} ; calculé si "
                            f"les axes notés pèsent {coverage_text(root, 'axes')}.",
                            html.Ul(
                                html.Li(
                                    [
                                        html.Strong(f"{len(root.children)} axes (0 à {scale})"),
                                        " : chacun la moyenne pondérée de ses questions, "
                                        "calculée si les questions répondues pèsent au moins "
                                        f"{format_percent(axis_coverage(methodology))} du poids des "
                                        "questions posées.",
                                        html.Ul(
                                            html.Li(
                                                [
                                                    html.Strong(
                                                        f"{len(questions)} questions (0 à {scale})"
                                                    ),
                                                    " : chaque réponse devient un score selon "
                                                    "son type (détail par axe ci-dessous).",
                                                ]
                                            )
                                        ),
                                    ]
                                )
                            ),
                        ]
                    )
                ],
                id=ids.METHOD_TREE,
                className="method-tree",
            ),
            html.Div(
                data_table(
                    f"Les {len(rows)} axes de l'indice (version {methodology.version})",
                    [
                        Column("Code", "code"),
                        Column("Axe", "label"),
                        Column("Poids dans l'indice", "weight", numeric=True),
                        Column("Questions", "questions", format_integer, numeric=True),
                        Column("Somme des poids des questions", "question_weights", numeric=True),
                        Column("Agrégation des questions", "aggregation"),
                        Column("Couverture minimale", "coverage", numeric=True),
                    ],
                    rows,
                    id=ids.METHOD_AXES_TABLE,
                ),
                className="table-scroll table-scroll-full",
            ),
        ],
        className="card",
    )


def _answers_cell(answers: list[str]) -> Any:
    if not answers:
        return MISSING
    if len(answers) == 1:
        return answers[0]
    return html.Ul([html.Li(answer) for answer in answers], className="compact-list")


def _question_cell(row: dict[str, Any]) -> Any:
    if not row["help"]:
        return row["label"]
    return [row["label"], html.Br(), html.Small(row["help"], className="help")]


def _questions_section(view: VersionView) -> html.Section:
    """For each axis, a collapsible block listing its questions and how each is scored."""
    methodology = view.methodology
    rows = question_rows(view.questions, methodology, view.version.territory_kinds)
    root = methodology.nodes[methodology.root]
    total = sum(root.weights)
    blocks = []
    descriptions = view.descriptions
    for axis, weight in zip(root.children, root.weights, strict=True):
        node = methodology.nodes[axis]
        of_axis = rows[rows["axis"] == axis]
        count = len(of_axis)
        description = descriptions.get(axis)
        blocks.append(
            html.Details(
                [
                    html.Summary(
                        [
                            html.Span(f"{axis} — {node.label}", className="axis-name"),
                            html.Span(
                                f"{count} question{'s' if count > 1 else ''} · poids "
                                f"{format_plain(weight)} ({_share(weight, total)} de l'indice)",
                                className="axis-summary",
                            ),
                        ]
                    ),
                    html.P(description) if isinstance(description, str) else None,
                    html.P(
                        f"Score de l'axe : {AGGREGATION_LABELS.get(node.aggregation)} des "
                        f"scores de ses questions ; calculé si les questions répondues pèsent "
                        f"{coverage_text(node, 'questions posées')}.",
                        className="note",
                    ),
                    html.Div(
                        data_table(
                            f"Questions de l'axe « {node.label} »",
                            [
                                Column("Code", "code"),
                                Column("Question", "question", lambda value: value),
                                Column("Type", "type"),
                                Column("Poids", "weight_text", numeric=True),
                                Column("Posée à", "asked_of"),
                                Column("Calcul du score (0 à 100)", "rule"),
                                Column("Réponses possibles", "answers", _answers_cell),
                            ],
                            [
                                {
                                    **row,
                                    "question": _question_cell(row),
                                    "weight_text": f"{format_plain(row['weight'])} "
                                    f"({format_percent(row['axis_share'])})",
                                }
                                for row in of_axis.to_dict("records")
                            ],
                        ),
                        className="table-scroll",
                    ),
                ],
                className="axis-answers method-axis",
            )
        )
    return html.Section(
        [
            html.H2("Les axes et leurs questions"),
            html.P(
                "Poids : celui de la question et, entre parenthèses, sa part dans l'axe quand "
                "toutes les questions de l'axe sont posées et répondues.",
                className="note",
            ),
            html.Div(blocks, id=ids.METHOD_QUESTIONS),
        ],
        className="card",
    )


def _levels_section() -> html.Section:
    rows = [
        {
            "level": html.Span(
                [
                    html.Span(
                        className="swatch",
                        style={"background": LEVEL_COLOURS.get(level, "#ffffff")},
                    ),
                    str(level),
                ]
            ),
            "label": label,
            "range": level_range_text(low, high, index == len(MATURITY_LEVELS) - 1),
        }
        for index, (level, label, low, high) in enumerate(MATURITY_LEVELS)
    ]
    return html.Section(
        [
            html.H2("Niveaux de maturité"),
            html.P(
                "Le niveau de maturité d'un territoire se lit sur son indice global (0 à 100).",
                className="note",
            ),
            data_table(
                "Niveaux de maturité selon l'indice global",
                [
                    Column("Niveau", "level", lambda value: value),
                    Column("Libellé", "label"),
                    Column("Indice global", "range"),
                ],
                rows,
                id=ids.METHOD_LEVELS,
            ),
        ],
        className="card",
    )


def _missing_section(methodology: Methodology) -> html.Section:
    rules = missing_data_rules(methodology, list(methodology.nodes[methodology.root].children))
    return html.Section(
        [
            html.H2("Données manquantes"),
            html.Ul([html.Li(rule) for rule in rules], id=ids.METHOD_MISSING),
        ],
        className="card",
    )


def _sensitivity_parts(version: MethodologyVersion) -> list[Any]:
    """The latest published sensitivity shares of the millésimes of ``version``."""
    try:
        published = [m for m in data.millesimes() if m in version.millesimes]
        sensitivity = pd.DataFrame()
        for millesime in sorted(published, reverse=True):
            sensitivity = data.rank_sensitivity(millesime)
            if not sensitivity.empty:
                break
    except data.PublicationError as error:
        return [notice(f"Parts de variance indisponibles : {error}", error=True)]
    if sensitivity.empty:
        return [
            notice(
                "Aucune analyse de robustesse n'est encore publiée pour les millésimes de la "
                f"version {version.version}."
            )
        ]
    millesime = int(sensitivity["millesime"].iloc[0])
    rows = sensitivity.to_dict("records")
    return [
        html.H3(f"Ce qui fait varier les rangs, millésime {millesime}"),
        graph(
            ids.METHOD_SENSITIVITY_CHART,
            sensitivity_chart(sensitivity),
            f"Part de la variance des rangs expliquée par chaque choix, millésime {millesime}",
        ),
        table_details(
            "Voir les parts de variance sous forme de tableau",
            data_table(
                f"Part de la variance des rangs expliquée par chaque choix (indices de Sobol), "
                f"millésime {millesime}",
                [
                    Column("Choix incertain", "label"),
                    Column("Premier ordre (ce choix seul)", "first_order", format_percent, True),
                    Column("Total (avec ses interactions)", "total", format_percent, True),
                ],
                rows,
                id=ids.METHOD_SENSITIVITY_TABLE,
            ),
            open=True,
        ),
        html.P(
            "Premier ordre : part de la variance des rangs due à ce choix seul ; total : "
            "avec ses interactions avec les autres choix (les totaux peuvent dépasser 100 % "
            "à eux trois). Moyenne sur les territoires dont le rang varie.",
            className="note",
        ),
    ]


def _settings_part(version: MethodologyVersion, settings: data.UncertaintySettings | None) -> Any:
    """The table of the analysis settings of ``version``."""
    if settings is None:
        return notice(
            "Les réglages de l'analyse de robustesse de la version "
            f"{version.version} ne sont pas publiés."
        )
    runs = settings.simulations
    p = settings.weight_perturbation
    settings_rows = [
        {"name": "Simulations de base (N)", "value": format_integer(settings.base_samples)},
        {
            "name": "Simulations par millésime",
            "value": f"{format_integer(runs)} (N × {runs_factor(settings)})",
        },
        {
            "name": "Variation des poids des questions et des axes",
            "value": f"±{format_percent(p)} (facteur tiré entre {format_plain(1 - p)} et "
            f"{format_plain(1 + p)})",
        },
        {
            "name": "Agrégation de l'indice",
            "value": "moyenne arithmétique ou géométrique, une chance sur deux",
        },
        {"name": "Graine aléatoire", "value": str(settings.seed)},
        {"name": "Intervalle de rang publié", "value": "du 5e au 95e centile des rangs simulés"},
    ]
    return data_table(
        f"Réglages de l'analyse (version {version.version})",
        [Column("Réglage", "name"), Column("Valeur", "value")],
        settings_rows,
    )


def _robustness_section(
    version: MethodologyVersion, settings: data.UncertaintySettings | None
) -> html.Section:
    runs = "des centaines de" if settings is None else format_integer(settings.simulations)
    return html.Section(
        [
            html.H2("Robustesse des rangs"),
            html.P(
                "Les poids et la façon de moyenner les axes sont des choix : d'autres choix "
                "raisonnables donneraient d'autres rangs. Pour chaque millésime, le classement "
                f"est donc refait {runs} fois (analyse de Monte-Carlo, "
                "échantillonnage de Saltelli, bibliothèque SALib) en faisant varier ensemble "
                "les poids des questions dans chaque axe, les poids des axes dans l'indice et "
                "l'agrégation de l'indice. Chaque territoire reçoit son rang médian et "
                "l'intervalle de ses rangs simulés entre le 5e et le 95e centile, parmi les "
                "territoires de même catégorie ; la part de la variance des rangs due à chaque "
                "choix est mesurée par les indices de Sobol."
            ),
            _settings_part(version, settings),
            html.Div(_sensitivity_parts(version), className="sensitivity"),
        ],
        id=ids.METHOD_ROBUSTNESS,
        className="card",
    )


def _versions_section(
    versions: list[MethodologyVersion], selected: MethodologyVersion, breaks: pd.DataFrame
) -> html.Section:
    """Every version with its millésimes, and the breaks in the axis series (``breaks``, as
    ``data.series_breaks`` returns them)."""
    current = data.current_version(versions)
    rows = [
        {
            "version": q.version
            + (" (affichée)" if q.version == selected.version else "")
            + (" — en vigueur" if q.version == current.version else ""),
            "title": q.title,
            "millesimes": _millesimes_text(q),
            "previous": q.previous_version or MISSING,
            "questions": q.questions,
        }
        for q in _by_first_millesime(versions)
    ]
    if breaks.empty:
        breaks_part: Any = html.P(
            "Aucune rupture de série : les scores de chaque axe se comparent d'un millésime à "
            "l'autre.",
            id=ids.METHOD_BREAKS,
        )
    else:
        breaks_part = html.Div(
            data_table(
                "Ruptures de série : axes dont les scores ne se comparent pas avec le "
                "millésime précédent",
                [
                    Column("Millésime", "millesime"),
                    Column("Version", "version"),
                    Column("Version précédente", "previous_version"),
                    Column("Axe", "axis_label"),
                    Column("Changements", "changes"),
                ],
                breaks.to_dict("records"),
            ),
            id=ids.METHOD_BREAKS,
            className="table-scroll",
        )
    return html.Section(
        [
            html.H2("Versions et ruptures de série"),
            html.P(
                "Chaque millésime est noté avec la version de la méthodologie qui lui est "
                "attribuée. Quand une version change les questions d'un axe (ajout, retrait, "
                "type ou poids modifié), la série de cet axe est rompue à son premier millésime.",
                className="note",
            ),
            html.Div(
                data_table(
                    "Versions de la méthodologie",
                    [
                        Column("Version", "version"),
                        Column("Titre", "title"),
                        Column("Millésimes", "millesimes"),
                        Column("Version précédente", "previous"),
                        Column("Questions", "questions", format_integer, numeric=True),
                    ],
                    rows,
                    id=ids.METHOD_VERSIONS_TABLE,
                ),
                className="table-scroll",
            ),
            html.H3("Ruptures de série"),
            breaks_part,
        ],
        className="card",
    )


def methodology_body(versions: list[MethodologyVersion], selected: MethodologyVersion) -> list[Any]:
    """Everything below the version selector, for the version ``selected`` of ``versions``.

    Raises :class:`data.PublicationError` when the publication cannot be read.
    """
    view = version_view(selected)
    return [
        html.P(
            [
                f"Version {selected.version} — {selected.title}, millésimes "
                f"{_millesimes_text(selected)}. Cette page est "
                "produite à partir de la méthodologie publiée avec les scores (fichiers ",
                html.Code("data/questionnaire/"),
                " lus par le pipeline) : elle décrit exactement le calcul publié.",
            ],
            className="lead",
        ),
        _index_section(view),
        _questions_section(view),
        html.Div([_levels_section(), _missing_section(view.methodology)], className="grid"),
        _robustness_section(selected, view.settings),
        _versions_section(versions, selected, data.series_breaks()),
    ]


def _page(options: list[dict[str, str]], version: str | None, body: list[Any]) -> html.Div:
    """The page skeleton; every component a callback uses is always present."""
    return html.Div(
        [
            dcc.Location(id=ids.METHOD_URL, refresh=False),
            page_title(
                "Méthodologie",
                "Comment les réponses au questionnaire deviennent des scores par axe, "
                "un indice global, un niveau de maturité et un rang parmi les pairs.",
            ),
            html.Div(
                radio_choice(ids.METHOD_VERSION, "Version de la méthodologie", options, version),
                className="controls",
                hidden=len(options) < 2,
            ),
            html.Div(body, id=ids.METHOD_BODY, **{"aria-live": "polite"}),
        ]
    )


def page_parts(version: str | None) -> tuple[list[dict[str, str]], str | None, list[Any]]:
    """The version options, the version shown and the body, for ``version`` asked for (the
    version of the latest millésime when None or unknown); a French notice when the
    publication cannot be read."""
    try:
        versions = data.methodology_versions()
        if not versions:
            return [], None, [notice(NO_VERSION_MESSAGE, error=True)]
        selected = chosen_version(version, versions)
        return version_options(versions), selected.version, methodology_body(versions, selected)
    except data.PublicationError as error:
        return [], None, [notice(str(error), error=True)]


def layout(version: str | None = None, **_: Any) -> html.Div:
    """The methodology of ``?version=…`` (by default, that of the latest millésime)."""
    return _page(*page_parts(version))


@callback(
    Output(ids.METHOD_BODY, "children"),
    Output(ids.METHOD_URL, "search"),
    Input(ids.METHOD_VERSION, "value"),
    prevent_initial_call=True,
)
def show_version(version: str | None) -> tuple[list[Any], str]:
    """Describe the chosen version, and write it in the URL for sharing."""
    _, shown, body = page_parts(version)
    return body, query_string(version=shown or version)
