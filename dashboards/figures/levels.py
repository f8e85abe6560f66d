"""Vue nationale: how the territories of each kind spread over the maturity levels."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboards.figures.style import (
    INSUFFICIENT_COLOUR,
    INSUFFICIENT_LABEL,
    LEVEL_COLOURS,
    horizontal_bars_layout,
)
from dashboards.formatting import format_integer, format_percent
from schemas.vocabulary import KIND_SHORT_PLURALS


def level_distribution(scores: pd.DataFrame, levels: pd.DataFrame) -> pd.DataFrame:
    """Count the territories of each kind at each maturity level (answered territories only).

    Returns one row per (kind, level) in display order, levels 1–5 then "Données
    insuffisantes" (``level`` = 0): ``kind``, ``kind_label``, ``level``, ``label``,
    ``territories``, ``share`` (of the answered territories of that kind).
    """
    answered = scores[scores["answered"].astype(bool)].copy()
    answered["level"] = answered["maturity_level"].fillna(0).astype(int)
    categories = [(int(row.level), row.label) for row in levels.itertuples(index=False)]
    if (answered["level"] == 0).any():
        categories.append((0, INSUFFICIENT_LABEL))
    kinds = scores[["kind", "kind_label"]].drop_duplicates()
    rows = []
    for kind in kinds.itertuples(index=False):
        of_kind = answered[answered["kind"] == kind.kind]
        total = len(of_kind)
        for level, label in categories:
            count = int((of_kind["level"] == level).sum())
            rows.append(
                {
                    "kind": kind.kind,
                    "kind_label": kind.kind_label,
                    "level": level,
                    "label": label,
                    "territories": count,
                    "share": count / total if total else 0.0,
                }
            )
    return pd.DataFrame(
        rows, columns=["kind", "kind_label", "level", "label", "territories", "share"]
    )


def distribution_chart(distribution: pd.DataFrame) -> go.Figure:
    """100 % stacked horizontal bars: maturity levels (in order) within each kind of territory."""
    figure = go.Figure()
    distribution = distribution.assign(
        short_label=[
            KIND_SHORT_PLURALS.get(kind, label)
            for kind, label in zip(distribution["kind"], distribution["kind_label"], strict=True)
        ]
    )
    kinds = distribution.drop_duplicates("kind")["short_label"].tolist()
    categories = distribution.drop_duplicates("level")[["level", "label"]]
    for category in categories.itertuples(index=False):
        rows = distribution[distribution["level"] == category.level]
        name = f"{category.level} {category.label}" if category.level else INSUFFICIENT_LABEL
        figure.add_trace(
            go.Bar(
                orientation="h",
                y=rows["short_label"].tolist(),
                x=(100 * rows["share"]).tolist(),
                name=name,
                marker={
                    "color": LEVEL_COLOURS.get(category.level, INSUFFICIENT_COLOUR),
                    "line": {"color": "#ffffff", "width": 1},
                },
                customdata=[
                    [row.kind_label, format_integer(row.territories), format_percent(row.share, 1)]
                    for row in rows.itertuples(index=False)
                ],
                hovertemplate=(
                    f"<b>%{{customdata[0]}}</b><br>{name} : %{{customdata[1]}} territoire(s)"
                    " (%{customdata[2]})<extra></extra>"
                ),
            )
        )
    figure.update_layout(
        **horizontal_bars_layout(
            kinds,
            barmode="stack",
            height=80 + 46 * len(kinds),
            xaxis={"range": [0, 100], "ticksuffix": "\u00a0%", "title": None},
            legend={"traceorder": "normal", "y": -0.12, "yanchor": "top"},
        )
    )
    return figure
