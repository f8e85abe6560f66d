"""Méthodologie: the methodology the pipeline scored with, as it published it.

The pipeline publishes its methodology as tables (``methodology_versions``,
``methodology_nodes``, ``methodology_indicators``, ``uncertainty_settings``, ``questions``,
``series_breaks``): this module reads them and gives the pages small typed views of a
version (:class:`MethodologyVersion`), its tree (:class:`Methodology`, :class:`Node`,
:class:`Indicator`) and its robustness analysis (:class:`UncertaintySettings`). The views
are rebuilt from cached frames at each call (a few dozen rows), so that the shared cache
only ever holds data frames, never objects of the dashboard's code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pandas as pd

from dashboards.data.connection import PublicationUnreadable, plain, read

# The published tree is read into the engine's own node and indicator types (plain data).
from domain.composite import Indicator, Node
from schemas.vocabulary import TERRITORY_KINDS, UNCERTAINTY_FACTORS

#: The uncertain choices of the rank robustness analysis, in the order pages list them.
SENSITIVITY_FACTORS = tuple(UNCERTAINTY_FACTORS)


@dataclass(frozen=True)
class Methodology:
    """The tree of one version: its root (the index), internal nodes and indicators."""

    version: str
    root: str
    #: Scores are reported on 0–``scale``.
    scale: float
    #: Internal nodes in the pipeline's order (the axes in display order, then the index).
    nodes: dict[str, Node]
    indicators: dict[str, Indicator]


@dataclass(frozen=True)
class MethodologyVersion:
    """A version of the methodology (questionnaire) and the millésimes it scores."""

    version: str
    title: str
    millesimes: tuple[int, ...]
    #: The version this one follows (None for the first one).
    previous_version: str | None
    #: Number of questions of the version.
    questions: int
    #: Kinds of territory the version asks, in the vocabulary's order.
    territory_kinds: tuple[str, ...] = TERRITORY_KINDS


@dataclass(frozen=True)
class UncertaintySettings:
    """Settings of the rank robustness analysis (Monte Carlo) of one version."""

    base_samples: int
    weight_perturbation: float
    seed: int
    min_axis_coverage: float
    min_index_coverage: float
    #: Runs of the analysis for one millésime.
    simulations: int


def series_breaks() -> pd.DataFrame:
    """Breaks in the axis series: one row per axis not comparable with the previous version.

    Columns: ``millesime`` (first millésime of the new version), ``version``,
    ``previous_version``, ``axis``, ``axis_label`` (its label in that version), ``changes``
    (French text); ordered by millésime then axis display order. Empty when every series is
    comparable.
    """
    return read(
        "series_breaks",
        """
        select b.millesime::integer as millesime, b.version::varchar as version,
               b.previous_version::varchar as previous_version, b.axis::varchar as axis,
               coalesce(n.label, a.label, b.axis::varchar) as axis_label,
               b.changes::varchar as changes
        from series_breaks b
        left join axes a on a.code = b.axis::varchar
        left join methodology_nodes n
            on n.version = b.version::varchar and n.code = b.axis::varchar
        where b.comparable::boolean = false
        order by b.millesime, coalesce(a.position, n.position) nulls last, b.axis
        """,
    )


def open_millesimes() -> list[int]:
    """Every millésime open in a questionnaire version (whether or not answered yet)."""
    frame = read("open_millesimes", "select millesime from methodology_versions order by millesime")
    return [int(m) for m in frame["millesime"]]


def methodology_version(millesime: int) -> str | None:
    """Version of the methodology (questionnaire) used to score ``millesime``, if known."""
    frame = read(
        "methodology_version",
        "select version from methodology_versions where millesime = ?",
        [millesime],
    )
    return None if frame.empty else str(frame.iloc[0]["version"])


def methodology_versions() -> list[MethodologyVersion]:
    """Every version of the methodology, the one of the oldest millésimes first.

    A version's previous version is the one its series breaks are measured against.
    """
    frame = read(
        "methodology_versions",
        """
        with lineage as (
            select distinct version::varchar as version,
                   previous_version::varchar as previous_version
            from series_breaks
        ),
        counts as (
            select version, count(*) as questions from questions group by version
        )
        select v.version, any_value(v.title) as title,
               any_value(v.territory_kinds) as territory_kinds,
               list(v.millesime::integer order by v.millesime) as millesimes,
               any_value(l.previous_version) as previous_version,
               coalesce(any_value(c.questions), 0) as questions
        from methodology_versions v
        left join lineage l on l.version = v.version
        left join counts c on c.version = v.version
        group by v.version
        order by min(v.millesime), v.version
        """,
    )
    return [
        MethodologyVersion(
            version=str(row.version),
            title=str(row.title),
            millesimes=tuple(int(m) for m in row.millesimes),
            previous_version=plain(row.previous_version),
            questions=int(row.questions),
            territory_kinds=tuple(
                kind for kind in TERRITORY_KINDS if kind in _split_kinds(row.territory_kinds)
            ),
        )
        for row in frame.itertuples(index=False)
    ]


def current_version(versions: list[MethodologyVersion]) -> MethodologyVersion:
    """The version of the latest millésime (``versions`` must not be empty)."""
    return max(versions, key=lambda version: max(version.millesimes))


def axis_descriptions(version: str) -> dict[str, str]:
    """What each axis of ``version`` covers, as that version describes it."""
    frame = read(
        "axis_descriptions",
        "select code, description from methodology_nodes "
        "where version = ? and description is not null",
        [version],
    )
    return dict(zip(frame["code"], frame["description"], strict=True))


def methodology(version: str) -> Methodology:
    """The tree of ``version``: index, axes and questions, with weights, aggregations,
    coverage thresholds and how each answer is normalised.

    Raises :class:`PublicationUnreadable` when the publication holds no tree for ``version``.
    """
    nodes = read(
        "methodology_nodes",
        """
        select code, label, is_root, children, weights, aggregation, min_coverage, impute
        from methodology_nodes
        where version = ?
        order by position
        """,
        [version],
    )
    indicators = read(
        "methodology_indicators",
        """
        select code, label, normalisation, goal_min, goal_max, clip, lower_is_better,
               transform, cap, denominator, per, scale
        from methodology_indicators
        where version = ?
        """,
        [version],
    )
    roots = nodes.loc[nodes["is_root"].astype(bool), "code"]
    if roots.empty:
        raise PublicationUnreadable(
            f"Le fichier publié ne contient pas l'arbre de la méthodologie {version}. "
            "Relancez la publication avec `observatoire refresh`."
        )
    return Methodology(
        version=version,
        root=str(roots.iloc[0]),
        scale=float(indicators["scale"].iloc[0]) if len(indicators) else 100.0,
        nodes={
            row["code"]: Node(
                code=row["code"],
                label=row["label"],
                children=tuple(json.loads(row["children"])),
                weights=tuple(float(weight) for weight in json.loads(row["weights"])),
                aggregation=row["aggregation"],
                min_coverage=float(row["min_coverage"]),
                impute=plain(row["impute"]),
            )
            for row in nodes.to_dict("records")
        },
        indicators={
            row["code"]: Indicator(
                code=row["code"],
                label=row["label"],
                normalisation=row["normalisation"],
                goal_min=float(row["goal_min"]),
                goal_max=float(row["goal_max"]),
                clip=bool(row["clip"]),
                lower_is_better=bool(row["lower_is_better"]),
                transform=plain(row["transform"]),
                cap=plain(row["cap"]),
                denominator=plain(row["denominator"]),
                per=float(row["per"]),
            )
            for row in indicators.to_dict("records")
        },
    )


def methodology_questions(version: str) -> pd.DataFrame:
    """The questions of ``version``, in questionnaire order (axis by axis).

    Columns: ``code``, ``axis``, ``label``, ``help``, ``answer_type``, ``weight``,
    ``unit``, ``asked_of`` (tuple of kinds), ``options`` (tuple of ``(code, label)``),
    ``scale_labels`` (dict of level → label, for scales).
    """
    frame = read(
        "methodology_questions",
        """
        select q.code, q.axis, q.label, q.help, q.answer_type, q.weight, q.unit,
               q.asked_of, q.options, q.scale_labels
        from questions q
        left join methodology_nodes n on n.version = q.version and n.code = q.axis
        where q.version = ?
        order by n.position nulls last,
                 list_position(json_extract_string(n.children, '$[*]'), q.code), q.code
        """,
        [version],
    )
    return frame.assign(
        help=[plain(value) for value in frame["help"]],
        unit=[plain(value) for value in frame["unit"]],
        asked_of=[tuple(_split_kinds(value)) for value in frame["asked_of"]],
        options=[
            tuple((str(option["code"]), str(option["label"])) for option in _json(value, []))
            for value in frame["options"]
        ],
        scale_labels=[
            {int(level): str(label) for level, label in _json(value, {}).items()}
            for value in frame["scale_labels"]
        ],
    )


def uncertainty_settings(version: str) -> UncertaintySettings | None:
    """The robustness analysis settings of ``version`` (None when none are published)."""
    frame = read(
        "uncertainty_settings",
        """
        select base_samples, weight_perturbation, seed, min_axis_coverage,
               min_index_coverage, simulations
        from uncertainty_settings
        where version = ?
        """,
        [version],
    )
    if frame.empty:
        return None
    row = frame.iloc[0]
    return UncertaintySettings(
        base_samples=int(row["base_samples"]),
        weight_perturbation=float(row["weight_perturbation"]),
        seed=int(row["seed"]),
        min_axis_coverage=float(row["min_axis_coverage"]),
        min_index_coverage=float(row["min_index_coverage"]),
        simulations=int(row["simulations"]),
    )


def rank_sensitivity(millesime: int | None = None) -> pd.DataFrame:
    """Share of the rank variance explained by each uncertain choice (Sobol indices, 0–1).

    For ``millesime``, or the latest millésime analysed when None. Columns: ``factor``,
    ``label`` (French), ``first_order``, ``total``, ``millesime``; in the order of the
    analysis.
    """
    return read(
        "rank_sensitivity",
        """
        select factor, label, first_order, total, millesime
        from rank_sensitivity
        where millesime = coalesce($millesime, (select max(millesime) from rank_sensitivity))
        order by list_position($factors, factor) nulls last, factor
        """,
        {"millesime": millesime, "factors": list(SENSITIVITY_FACTORS)},
    )


def _split_kinds(value: Any) -> list[str]:
    if plain(value) is None:
        return []
    return [kind.strip() for kind in str(value).split(",") if kind.strip()]


def _json(value: Any, empty: Any) -> Any:
    if plain(value) is None or value == "":
        return empty
    return json.loads(value)
