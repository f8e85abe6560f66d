"""Réalisations: how many published sheets each axis has."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from dashboards.figures.style import TERRITORY_COLOUR, horizontal_bars_layout, short_axis_label
from dashboards.formatting import format_integer


def achievements_by_axis_chart(by_axis: pd.DataFrame) -> go.Figure:
    """Sheets per axis (``by_axis``: ``axis``, ``label``, ``sheets``, ``supports``), one bar
    per axis in display order (an axis without a sheet keeps its place, at zero)."""
    names = [
        short_axis_label(axis, label)
        for axis, label in zip(by_axis["axis"], by_axis["label"], strict=True)
    ]
    most = int(by_axis["sheets"].max()) if not by_axis.empty else 0
    figure = go.Figure(
        go.Bar(
            orientation="h",
            y=names,
            x=[int(value) for value in by_axis["sheets"]],
            marker={"color": TERRITORY_COLOUR},
            customdata=[
                [label, format_integer(sheets), format_integer(supports)]
                for label, sheets, supports in zip(
                    by_axis["label"], by_axis["sheets"], by_axis["supports"], strict=True
                )
            ],
            hovertemplate="<b>%{customdata[0]}</b><br>Réalisations : %{customdata[1]}"
            "<br>Soutiens : %{customdata[2]}<extra></extra>",
        )
    )
    figure.update_layout(
        **horizontal_bars_layout(
            names,
            barmode="group",
            height=80 + 28 * len(names),
            # Whole ticks: a few sheets per axis must not read 0, 0.5, 1…
            xaxis={
                "title": "Réalisations publiées",
                "rangemode": "tozero",
                "dtick": max(1, math.ceil(most / 8)),
            },
            legend={},
        ),
        showlegend=False,
    )
    return figure
