"""A general engine for hierarchical composite indicators, driven by a methodology file.

A methodology (YAML) declares an indicator tree of any depth — indicators at the leaves,
then sub-dimensions, axes, an index — and, for each node, how it is computed:

- per indicator: an optional ``mapping`` of text answers to numbers, a ``denominator``
  (another indicator of the same unit, e.g. population) with a ``per`` multiplier, a
  ``cap``, a ``transform`` (``log``), and a ``normalisation``: ``minmax`` against fixed
  goalposts (``min``, ``max``, ``clip`` to the goalposts or not), ``scale`` (value /
  ``max``, for values already on a known scale) or ``identity``; and a ``direction``
  (``higher_is_better`` or ``lower_is_better``);
- per internal node: its ``children`` with optional ``weights``, an ``aggregation``
  (``arithmetic`` or ``geometric`` weighted mean), a ``min_coverage`` (share of the
  children's weight that must be available, below which the node is "données
  insuffisantes"; 1 by default: every child) and an optional ``impute`` rule for missing
  children (``zero`` or ``mean`` of the other units), flagged in the output.

The file is checked against ``schemas/methodology.py`` (pydantic) before anything is
computed, and so is a methodology built in code: unknown keys, weights of children that are
not declared, types and ranges are refused with their key path and line.

The computation is vectorised: one pandas group-by per depth of the tree, never a Python
loop over units or values. Scores are computed on 0–1 and reported on ``scale`` (1 for the
HDI, 100 for the observatory).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from schemas.methodology import DEFAULT_MIN_COVERAGE, IndicatorSpec, MethodologyFile, NodeSpec
from schemas.yaml_files import (
    FileInvalid,
    FileProblem,
    FileUnreadable,
    YamlDocument,
    check_document,
    read_yaml,
)


class MethodologyError(ValueError):
    """The methodology is inconsistent; the message lists each mistake with its key path and,
    for a file, its line (``problems``: the same, one :class:`FileProblem` each)."""

    def __init__(self, message: str, problems: list[FileProblem] | None = None):
        super().__init__(message)
        self.problems = problems or []


class MethodologyUnreadable(ValueError):
    """The methodology file cannot be read as YAML (missing, not UTF-8, syntax error)."""


@dataclass(frozen=True)
class Indicator:
    """A leaf of the tree: how a raw value becomes a 0–1 score."""

    code: str
    label: str
    normalisation: str = "minmax"
    goal_min: float = 0.0
    goal_max: float = 1.0
    clip: bool = True
    lower_is_better: bool = False
    transform: str | None = None
    cap: float | None = None
    denominator: str | None = None
    per: float = 1.0
    mapping: dict[str, float] | None = None


@dataclass(frozen=True)
class Node:
    """An internal node: an aggregate of its children."""

    code: str
    label: str
    children: tuple[str, ...]
    weights: tuple[float, ...]
    aggregation: str = "arithmetic"
    min_coverage: float = DEFAULT_MIN_COVERAGE
    impute: str | None = None


@dataclass(frozen=True)
class Methodology:
    """A composite indicator's complete method."""

    name: str
    version: str
    root: str
    scale: float
    indicators: dict[str, Indicator]
    nodes: dict[str, Node]

    def depth_order(self) -> list[list[str]]:
        """Internal nodes grouped by height: the first group only has indicator children."""
        height: dict[str, int] = {code: 0 for code in self.indicators}

        def measure(code: str, trail: tuple[str, ...] = ()) -> int:
            if code in height:
                return height[code]
            if code in trail:
                raise MethodologyError(f"cycle dans l'arbre : {' → '.join((*trail, code))}")
            node = self.nodes[code]
            height[code] = 1 + max(measure(child, (*trail, code)) for child in node.children)
            return height[code]

        measure(self.root)
        levels: dict[int, list[str]] = {}
        for code in self.nodes:
            if code in height:
                levels.setdefault(height[code], []).append(code)
        return [levels[h] for h in sorted(levels)]

    def edges(self) -> pd.DataFrame:
        """Parent → child links with their weights."""
        rows = [
            (node.code, child, weight)
            for node in self.nodes.values()
            for child, weight in zip(node.children, node.weights, strict=True)
        ]
        return pd.DataFrame(rows, columns=["parent", "child", "weight"])


def _indicator(code: str, spec: IndicatorSpec) -> Indicator:
    norm = spec.normalisation
    return Indicator(
        code=code,
        label=spec.label or code,
        normalisation=norm.method,
        goal_min=norm.min,
        goal_max=norm.max,
        clip=norm.clip,
        lower_is_better=spec.direction == "lower_is_better",
        transform=spec.transform,
        cap=spec.cap,
        denominator=spec.denominator,
        per=spec.per,
        mapping={k.strip().lower(): v for k, v in spec.mapping.items()} if spec.mapping else None,
    )


def _node(code: str, spec: NodeSpec) -> Node:
    return Node(
        code=code,
        label=spec.label or code,
        children=tuple(spec.children),
        weights=tuple(spec.weight_of(child) for child in spec.children),
        aggregation=spec.aggregation,
        min_coverage=spec.min_coverage,
        impute=spec.impute,
    )


def _methodology(spec: MethodologyFile) -> Methodology:
    return Methodology(
        name=spec.name or spec.root,
        version=spec.version,
        root=spec.root,
        scale=spec.scale,
        indicators={code: _indicator(code, ind) for code, ind in spec.indicators.items()},
        nodes={code: _node(code, node) for code, node in spec.nodes.items()},
    )


def check_methodology(document: YamlDocument, source: str | None = None) -> Methodology:
    """Check a parsed methodology document (:class:`MethodologyError` lists its mistakes)."""
    try:
        return _methodology(check_document(MethodologyFile, document, source))
    except FileInvalid as error:
        raise MethodologyError(str(error), error.problems) from None


def methodology_from_dict(document: dict[str, Any]) -> Methodology:
    """Build and check a methodology from its parsed YAML document (or a dict built in code,
    as the survey's): the same schema as a file, without lines."""
    return check_methodology(YamlDocument(document))


def load_methodology(path: Path) -> Methodology:
    """Read and check a methodology YAML file: :class:`MethodologyUnreadable` if it cannot be
    read as YAML, :class:`MethodologyError` (each mistake with its key path and line) if it
    breaks the schema of ``schemas/methodology.py``."""
    try:
        document = read_yaml(Path(path))
    except FileUnreadable as error:
        raise MethodologyUnreadable(str(error)) from None
    return check_methodology(document, source=str(path))


# --------------------------------------------------------------------------- computing


def _numeric_values(values: pd.DataFrame, indicators: dict[str, Indicator]) -> pd.Series:
    """Raw values as numbers, through each indicator's text mapping where it has one."""
    raw = values["value"]
    numbers = pd.to_numeric(raw, errors="coerce")
    mapped = [code for code, ind in indicators.items() if ind.mapping]
    if mapped:
        is_mapped = values["indicator"].isin(mapped)
        lookup = {(code, k): v for code in mapped for k, v in indicators[code].mapping.items()}
        keys = list(
            zip(
                values.loc[is_mapped, "indicator"],
                raw[is_mapped].astype(str).str.strip().str.lower(),
                strict=True,
            )
        )
        numbers[is_mapped] = [lookup.get(key, np.nan) for key in keys]
    return numbers.astype(float)


def normalise(values: pd.DataFrame, methodology: Methodology) -> pd.DataFrame:
    """Score 0–1 of every (unit, indicator) of the tree; NaN where the value is missing.

    ``values`` is long: ``unit``, ``indicator``, ``value``. Denominators may be indicators
    outside the tree (population, for instance).
    """
    indicators = methodology.indicators
    units = pd.Index(values["unit"].unique(), name="unit")
    numbers = values.assign(number=_numeric_values(values, indicators))
    wide = numbers.pivot_table(index="unit", columns="indicator", values="number", aggfunc="last")
    wide = wide.reindex(index=units)
    params = pd.DataFrame([vars(ind) for ind in indicators.values()]).set_index("code")
    grid = wide.reindex(columns=params.index)
    denominators = params["denominator"].dropna()
    for code, denominator in denominators.items():
        base = wide.get(denominator, pd.Series(np.nan, index=wide.index))
        with np.errstate(divide="ignore", invalid="ignore"):
            grid[code] = grid[code] / base.where(base > 0) * params.loc[code, "per"]
    # Every parameter is a row vector broadcast over the units (rows) of the grid.
    x = grid.to_numpy(dtype=float)
    cap = params["cap"].astype(float).to_numpy()
    x = np.where(np.isnan(cap) | ~(x > cap), x, cap)
    goal_min = params["goal_min"].astype(float).to_numpy()
    goal_max = params["goal_max"].astype(float).to_numpy()
    is_log = (params["transform"] == "log").to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        x = np.where(is_log, np.log(np.where(x > 0, x, np.nan)), x)
        goal_min = np.where(is_log, np.log(np.where(goal_min > 0, goal_min, np.nan)), goal_min)
        goal_max = np.where(is_log, np.log(np.where(goal_max > 0, goal_max, np.nan)), goal_max)
        method = params["normalisation"].to_numpy()
        normalised = np.select(
            [method == "minmax", method == "scale"],
            [(x - goal_min) / (goal_max - goal_min), x / goal_max],
            default=x,
        )
    clip = params["clip"].astype(bool).to_numpy() & (method != "identity")
    normalised = np.where(clip, np.clip(normalised, 0, 1), normalised)
    lower = params["lower_is_better"].astype(bool).to_numpy()
    normalised = np.where(lower, 1 - normalised, normalised)
    score = pd.DataFrame(normalised, index=grid.index, columns=grid.columns)
    score.columns.name = "node"
    return score.stack(future_stack=True).rename("score").reset_index()


def _aggregate_level(
    children: pd.DataFrame, edges: pd.DataFrame, nodes: dict[str, Node]
) -> pd.DataFrame:
    """Scores of one level of internal nodes from their children's scores (vectorised)."""
    frame = edges.merge(children, left_on="child", right_on="node").drop(columns="node")
    params = pd.DataFrame(
        [(n.code, n.aggregation, n.min_coverage, n.impute) for n in nodes.values()],
        columns=["parent", "aggregation", "min_coverage", "impute"],
    ).set_index("parent")
    frame = frame.join(params, on="parent")
    missing = frame["score"].isna()
    child_mean = frame.groupby("child")["score"].transform("mean")
    fill = np.where(
        frame["impute"] == "zero", 0.0, np.where(frame["impute"] == "mean", child_mean, np.nan)
    )
    frame["imputed_child"] = missing & ~np.isnan(fill)
    frame["score"] = frame["score"].where(~missing, fill)
    frame["imputed"] = frame["imputed"].fillna(False).astype(bool) | frame["imputed_child"]
    available = frame["score"].notna() & (frame["weight"] > 0)
    frame["w_avail"] = frame["weight"].where(available, 0.0)
    frame["w_arith"] = (frame["score"] * frame["weight"]).where(available, 0.0)
    # Logarithms only for the children of geometric nodes, and only of positive scores: a
    # zero (or, unclipped, negative) child makes a geometric mean 0 (``zero_geo``), and an
    # arithmetic node's children never go through a logarithm.
    geometric_child = available & (frame["aggregation"] == "geometric")
    positive = (geometric_child & (frame["score"] > 0)).to_numpy()
    safe = np.where(positive, frame["score"].to_numpy(dtype=float), 1.0)
    frame["w_log"] = np.where(positive, np.log(safe) * frame["weight"].to_numpy(), 0.0)
    frame["zero_geo"] = geometric_child & (frame["score"] <= 0)
    grouped = frame.groupby(["unit", "parent"]).agg(
        weight=("weight", "sum"),
        w_avail=("w_avail", "sum"),
        w_arith=("w_arith", "sum"),
        w_log=("w_log", "sum"),
        zero_geo=("zero_geo", "any"),
        imputed=("imputed", "any"),
    )
    grouped = grouped.join(params, on="parent")
    with np.errstate(divide="ignore", invalid="ignore"):
        coverage = (grouped["w_avail"] / grouped["weight"]).fillna(0.0)
        arithmetic = grouped["w_arith"] / grouped["w_avail"]
        geometric = np.exp(grouped["w_log"] / grouped["w_avail"]).where(~grouped["zero_geo"], 0.0)
    score = arithmetic.where(grouped["aggregation"] == "arithmetic", geometric)
    enough = (grouped["w_avail"] > 0) & (coverage >= grouped["min_coverage"] - 1e-12)
    result = pd.DataFrame(
        {"score": score.where(enough), "coverage": coverage, "imputed": grouped["imputed"]}
    ).reset_index()
    return result.rename(columns={"parent": "node"})


def compute(
    values: pd.DataFrame, methodology: Methodology, applicable: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Every node's score (on the methodology's scale), coverage and imputation flag, per unit.

    Returns columns ``unit``, ``node``, ``level`` (``indicator`` or ``node``), ``score``,
    ``coverage`` and ``imputed``; a missing score means "données insuffisantes".
    ``applicable`` (columns ``unit``, ``indicator``), when given, lists the indicators that
    apply to each unit (a question asked of its kind of territory): the others count
    neither as missing nor in the weights.
    """
    leaves = normalise(values, methodology)
    if applicable is not None:
        keys = applicable.rename(columns={"indicator": "node"})[["unit", "node"]].drop_duplicates()
        leaves = leaves.merge(keys, on=["unit", "node"])
    leaves["coverage"] = leaves["score"].notna().astype(float)
    leaves["imputed"] = False
    edges = methodology.edges()
    results = [leaves.assign(level="indicator")]
    known = leaves
    for level in methodology.depth_order():
        level_nodes = {code: methodology.nodes[code] for code in level}
        level_edges = edges.loc[edges["parent"].isin(level)]
        computed = _aggregate_level(known, level_edges, level_nodes)
        results.append(computed.assign(level="node"))
        known = pd.concat([known, computed], ignore_index=True)
    scores = pd.concat(results, ignore_index=True)
    scores["score"] = scores["score"] * methodology.scale
    return scores[["unit", "node", "level", "score", "coverage", "imputed"]]


def contributions(scores: pd.DataFrame, methodology: Methodology) -> pd.DataFrame:
    """How much each child adds to its parent's score, per unit.

    For an arithmetic node, a child's contribution is its weight share times its score: the
    contributions add up to the parent's score. For a geometric node, it is the child's
    weighted share of the log-score, so the contributions add up to ln(parent score).
    """
    edges = methodology.edges()
    frame = edges.merge(scores[["unit", "node", "score"]], left_on="child", right_on="node")
    frame = frame.drop(columns="node").rename(columns={"score": "child_score"})
    available = frame["child_score"].notna() & (frame["weight"] > 0)
    available_weight = frame["weight"].where(available, 0.0)
    frame["weight_share"] = available_weight / available_weight.groupby(
        [frame["unit"], frame["parent"]]
    ).transform("sum")
    aggregation = frame["parent"].map({c: n.aggregation for c, n in methodology.nodes.items()})
    # ln of a geometric node's positive children only; a zero child gives -inf.
    ratio = frame["child_score"] / methodology.scale
    log_term = pd.Series(np.nan, index=frame.index)
    geometric = aggregation == "geometric"
    positive = geometric & (ratio > 0)
    log_term[positive] = frame.loc[positive, "weight_share"] * np.log(ratio[positive])
    log_term[geometric & (ratio == 0) & (frame["weight_share"] > 0)] = -np.inf
    frame["contribution"] = (frame["weight_share"] * frame["child_score"]).where(
        aggregation == "arithmetic", log_term
    )
    return frame[
        ["unit", "parent", "child", "weight", "weight_share", "child_score", "contribution"]
    ]


@dataclass(frozen=True)
class CoverageSummary:
    """Which units were scored on fewer children than their tree declares."""

    units: int
    scored: int
    #: Units with a root score where at least one scored node lacked a child.
    partial_units: int
    #: Per node code: units whose score of that node lacks a child (most first).
    partial_nodes: dict[str, int]
    #: Per node code: units without a score for that node ("données insuffisantes").
    insufficient_nodes: dict[str, int]
    imputed_units: int


def coverage_summary(scores: pd.DataFrame, methodology: Methodology) -> CoverageSummary:
    """Summarise :func:`compute`'s output: partial nodes (scored with coverage below 1, that
    is with missing children re-weighted away), insufficient nodes and imputed units."""
    nodes = scores.loc[scores["level"] == "node"]
    root = nodes.loc[nodes["node"] == methodology.root]
    partial = nodes.loc[nodes["score"].notna() & (nodes["coverage"] < 1 - 1e-12)]
    insufficient = nodes.loc[nodes["score"].isna()]
    scored_units = set(root.loc[root["score"].notna(), "unit"])

    def counts(frame: pd.DataFrame) -> dict[str, int]:
        per_node = frame.groupby("node")["unit"].nunique().sort_values(ascending=False)
        return {str(code): int(n) for code, n in per_node.items()}

    return CoverageSummary(
        units=int(root["unit"].nunique()),
        scored=len(scored_units),
        partial_units=int(partial.loc[partial["unit"].isin(scored_units), "unit"].nunique()),
        partial_nodes=counts(partial),
        insufficient_nodes=counts(insufficient),
        imputed_units=int(root.loc[root["imputed"].astype(bool), "unit"].nunique()),
    )


def unmatched_indicators(values: pd.DataFrame, methodology: Methodology) -> tuple[list, list]:
    """Codes of ``values`` that the methodology does not use (ignored: a misspelt code?) and
    indicators of the methodology that have no value at all (every unit lacks them)."""
    given = set(values["indicator"].dropna().astype(str))
    used = set(methodology.indicators) | {
        ind.denominator for ind in methodology.indicators.values() if ind.denominator
    }
    return sorted(given - used), sorted(set(methodology.indicators) - given)
