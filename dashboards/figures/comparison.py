"""Comparer: the axis scores and the index series of territories side by side."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboards.figures.style import base_layout, short_axis_label
from dashboards.formatting import format_number, is_missing

#: Okabe–Ito qualitative palette (safe for the common colour-vision deficiencies), one colour
#: per compared territory, with a bar pattern and a marker symbol so colour is not the only cue.
COMPARE_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")
COMPARE_PATTERNS = ("", "/", ".", "x", "\\", "-")
COMPARE_SYMBOLS = ("circle", "square", "diamond", "triangle-up", "cross", "star")


def comparison_chart(
    frame: pd.DataFrame, axis_codes: list[str], axis_labels: dict[str, str]
) -> go.Figure:
    """Grouped horizontal bars: the axis scores of each compared territory (rows of
    ``frame``: ``code``, ``name`` and one column per axis code), axes from top to bottom."""
    figure = go.Figure()
    labels = [short_axis_label(code, axis_labels.get(code, code)) for code in axis_codes]
    for number, row in enumerate(frame.itertuples(index=False)):
        values = [getattr(row, code) for code in axis_codes]
        figure.add_trace(
            go.Bar(
                orientation="h",
                y=labels,
                x=[None if is_missing(v) else v for v in values],
                name=row.name,
                marker={
                    "color": COMPARE_COLOURS[number % len(COMPARE_COLOURS)],
                    "pattern": {"shape": COMPARE_PATTERNS[number % len(COMPARE_PATTERNS)]},
                    "line": {"color": "#ffffff", "width": 0.5},
                },
                customdata=[
                    [axis_labels.get(code, code), format_number(v)]
                    for code, v in zip(axis_codes, values, strict=True)
                ],
                hovertemplate=f"<b>{row.name}</b><br>%{{customdata[0]}} : "
                "%{customdata[1]}<extra></extra>",
            )
        )
    figure.update_layout(
        **base_layout(
            barmode="group",
            height=140 + 22 * len(axis_codes) * max(len(frame), 1),
            margin={"l": 10, "r": 10, "t": 10, "b": 40},
            xaxis={"range": [0, 100], "title": "Score (0 à 100)", "fixedrange": True},
            yaxis={"autorange": "reversed", "automargin": True, "fixedrange": True},
            legend={"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
        )
    )
    return figure


def comparison_evolution(histories: pd.DataFrame, names: dict[str, str]) -> go.Figure:
    """Global index of each compared territory across millésimes (``histories``:
    ``territory``, ``millesime``, ``global_index``), in the order of ``names``."""
    figure = go.Figure()
    for number, (code, name) in enumerate(names.items()):
        rows = histories[histories["territory"] == code].sort_values("millesime")
        figure.add_trace(
            go.Scatter(
                x=rows["millesime"].tolist(),
                y=[None if is_missing(v) else v for v in rows["global_index"]],
                mode="lines+markers",
                name=name,
                line={"color": COMPARE_COLOURS[number % len(COMPARE_COLOURS)], "width": 2},
                marker={
                    "symbol": COMPARE_SYMBOLS[number % len(COMPARE_SYMBOLS)],
                    "size": 10,
                },
                customdata=[format_number(v) for v in rows["global_index"]],
                hovertemplate=f"<b>{name}</b><br>%{{x}} : %{{customdata}}<extra></extra>",
            )
        )
    figure.update_layout(
        **base_layout(
            height=340,
            margin={"l": 10, "r": 10, "t": 10, "b": 40},
            xaxis={"dtick": 1, "tickformat": "d", "fixedrange": True},
            yaxis={"range": [0, 100], "title": "Indice global", "fixedrange": True},
            legend={"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
        )
    )
    return figure
