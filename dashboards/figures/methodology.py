"""Méthodologie: the share of the rank variance each uncertain choice explains."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboards.figures.style import (
    PEER_COLOUR,
    TERRITORY_COLOUR,
    horizontal_bars_layout,
    wrap_label,
)
from dashboards.formatting import format_percent

#: Colours of the two Sobol indices (blue and orange stay apart for colour-blind eyes).
FIRST_ORDER_COLOUR = TERRITORY_COLOUR
TOTAL_COLOUR = PEER_COLOUR


def sensitivity_chart(sensitivity: pd.DataFrame) -> go.Figure:
    """Horizontal bars: share of the rank variance explained by each uncertain choice.

    ``sensitivity`` comes from ``data.rank_sensitivity`` (``label``, ``first_order``,
    ``total``, 0–1); shares are shown in per cent, first-order beside total.
    """
    labels = [wrap_label(label, width=28) for label in sensitivity["label"]]
    figure = go.Figure()
    # Horizontal groups stack their bars from the bottom: total first puts first-order on top.
    for column, name, colour, pattern in (
        ("total", "Total (avec ses interactions)", TOTAL_COLOUR, "/"),
        ("first_order", "Premier ordre (ce choix seul)", FIRST_ORDER_COLOUR, ""),
    ):
        figure.add_trace(
            go.Bar(
                orientation="h",
                y=labels,
                x=(100 * sensitivity[column].astype(float)).tolist(),
                name=name,
                marker={"color": colour, "pattern": {"shape": pattern, "fgcolor": "#ffffff"}},
                customdata=[
                    [label, format_percent(value)]
                    for label, value in zip(sensitivity["label"], sensitivity[column], strict=True)
                ],
                hovertemplate=f"%{{customdata[0]}}<br>{name} : %{{customdata[1]}}<extra></extra>",
            )
        )
    figure.update_layout(
        **horizontal_bars_layout(
            labels,
            barmode="group",
            height=120 + 70 * max(len(labels), 1),
            right_margin=20,
            xaxis={
                "range": [0, 100],
                "ticksuffix": "\u00a0%",
                "title": {"text": "Part de la variance des rangs"},
                "gridcolor": "#e5e9f0",
            },
            legend={"traceorder": "reversed", "y": -0.25},
        )
    )
    return figure
