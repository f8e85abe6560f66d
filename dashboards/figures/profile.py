"""Fiche territoire: the radar of the axes against the peers, and the evolution chart."""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboards.figures.style import (
    PEER_COLOUR,
    TERRITORY_COLOUR,
    base_layout,
    short_axis_label,
    wrap_label,
)
from dashboards.formatting import format_number, is_missing


def radar(profile: pd.DataFrame, territory_name: str, peers_label: str) -> go.Figure:
    """Radar of the ten axis scores of a territory against the median of its peers.

    ``profile`` comes from ``data.axis_profile`` (one row per axis, in display order).
    """
    theta = [
        wrap_label(short_axis_label(code, label), width=12)
        for code, label in zip(profile["axis"], profile["label"], strict=True)
    ]
    # Close the polygons by repeating the first axis.
    theta_closed = theta + theta[:1]

    def closed(column: str) -> list[float | None]:
        values = [None if is_missing(value) else float(value) for value in profile[column]]
        return values + values[:1]

    def hover_data(column: str, series_name: str) -> list[list[str]]:
        rows = [
            [label, format_number(value), series_name]
            for label, value in zip(profile["label"], profile[column], strict=True)
        ]
        return rows + rows[:1]

    figure = go.Figure()
    figure.add_trace(
        go.Scatterpolar(
            r=closed("peer_median"),
            theta=theta_closed,
            name=f"Médiane des {peers_label}",
            mode="lines+markers",
            line={"color": PEER_COLOUR, "dash": "dash", "width": 2},
            marker={"symbol": "diamond", "size": 7},
            connectgaps=True,
            customdata=hover_data("peer_median", f"Médiane des {peers_label}"),
            hovertemplate="%{customdata[0]}<br>%{customdata[2]} : %{customdata[1]}<extra></extra>",
        )
    )
    figure.add_trace(
        go.Scatterpolar(
            r=closed("score"),
            theta=theta_closed,
            name=territory_name,
            mode="lines+markers",
            connectgaps=True,
            fill="toself",
            fillcolor="rgba(34, 94, 168, 0.18)",
            line={"color": TERRITORY_COLOUR, "width": 2.5},
            marker={"size": 7},
            customdata=hover_data("score", territory_name),
            hovertemplate="%{customdata[0]}<br>%{customdata[2]} : %{customdata[1]}<extra></extra>",
        )
    )
    figure.update_layout(
        **base_layout(
            height=540,
            margin={"l": 90, "r": 90, "t": 45, "b": 95},
            polar={
                "radialaxis": {
                    "range": [0, 100],
                    "tickvals": [20, 40, 60, 80, 100],
                    # Between the first two axes (clockwise from the top), not over a label.
                    "angle": 90 - 180 / max(len(theta), 1),
                    "tickangle": 90 - 180 / max(len(theta), 1),
                    "tickfont": {"size": 10, "color": "#4a5562"},
                    "gridcolor": "#d0d7de",
                },
                "angularaxis": {
                    "direction": "clockwise",
                    "rotation": 90,
                    "gridcolor": "#d0d7de",
                    "tickfont": {"size": 12},
                },
                "bgcolor": "#ffffff",
            },
            legend={"orientation": "h", "x": 0.5, "xanchor": "center", "y": -0.12},
        )
    )
    return figure


#: Vertical dashed lines and markers of the breaks in a series (between two millésimes).
BREAK_COLOUR = "#4a5562"
BREAK_LABEL = "Rupture de série"


def break_texts(breaks: pd.DataFrame | None) -> dict[int, str]:
    """French text of the series breaks of each millésime: ``"Rupture de série : …"``.

    ``breaks`` has one row per axis not comparable with the previous version (columns
    ``millesime``, ``axis_label``, ``changes``, as ``data.series_breaks`` returns them).
    """
    if breaks is None or breaks.empty:
        return {}
    texts: dict[int, str] = {}
    for millesime, rows in breaks.groupby("millesime", sort=True):
        parts = [
            f"{row.axis_label} ({row.changes})" if row.changes else str(row.axis_label)
            for row in rows.itertuples(index=False)
        ]
        texts[int(millesime)] = f"{BREAK_LABEL} : " + " ; ".join(parts)
    return texts


def _with_gaps(
    millesimes: list[Any], values: list[Any], gaps: set[int]
) -> tuple[list[Any], list[Any]]:
    """Insert a gap (None) before each millésime of ``gaps``, so a line does not cross it."""
    xs: list[Any] = []
    ys: list[Any] = []
    for millesime, value in zip(millesimes, values, strict=True):
        if int(millesime) in gaps and xs:
            xs.append(int(millesime) - 0.5)
            ys.append(None)
        xs.append(millesime)
        ys.append(value)
    return xs, ys


def evolution_chart(
    history: pd.DataFrame,
    axis_history: pd.DataFrame,
    peer_history: pd.DataFrame,
    territory_name: str,
    peers_label: str,
    millesimes: list[int],
    selected: int | None = None,
    breaks: pd.DataFrame | None = None,
) -> go.Figure:
    """Global index of a territory across millésimes, with its peers' median and its axes.

    Axis lines start hidden (click their legend entry to show them), so the global index
    stays readable. A dotted line marks the ``selected`` millésime. Each break in a series
    (``breaks``, as ``data.series_breaks`` returns them) is a dashed line just before the
    millésime it starts at, with a marker whose hover says what changed; the lines of the
    axes concerned are interrupted there.
    """
    figure = go.Figure()
    if selected is not None:
        figure.add_vline(x=selected, line={"color": "#8a94a0", "dash": "dot", "width": 1})
    ticks = {"tickmode": "array", "tickvals": millesimes, "ticktext": [str(m) for m in millesimes]}
    first = min(millesimes) if millesimes else None
    shown_breaks = (
        breaks[breaks["millesime"] > first]
        if breaks is not None and not breaks.empty and first is not None
        else None
    )
    texts = break_texts(shown_breaks)
    for millesime in texts:
        figure.add_vline(
            x=millesime - 0.5, line={"color": BREAK_COLOUR, "dash": "dash", "width": 1.5}
        )
    for axis in axis_history.drop_duplicates("axis").itertuples(index=False):
        rows = axis_history[axis_history["axis"] == axis.axis]
        gaps = (
            set()
            if shown_breaks is None
            else {int(m) for m in shown_breaks.loc[shown_breaks["axis"] == axis.axis, "millesime"]}
        )
        xs, ys = _with_gaps(rows["millesime"].tolist(), rows["score"].tolist(), gaps)
        figure.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                name=short_axis_label(axis.axis, axis.label),
                mode="lines+markers",
                visible="legendonly",
                connectgaps=False,
                line={"width": 1.5},
                customdata=[[format_number(v)] for v in ys],
                hovertemplate=f"{axis.label} (%{{x}}) : %{{customdata[0]}}<extra></extra>",
            )
        )
    if texts:
        figure.add_trace(
            go.Scatter(
                x=[millesime - 0.5 for millesime in texts],
                y=[97] * len(texts),
                name=BREAK_LABEL,
                mode="markers",
                marker={"symbol": "triangle-down", "size": 12, "color": BREAK_COLOUR},
                customdata=[[text] for text in texts.values()],
                hovertemplate="%{customdata[0]}<extra></extra>",
            )
        )
    figure.add_trace(
        go.Scatter(
            x=peer_history["millesime"].tolist(),
            y=peer_history["median_index"].tolist(),
            name=f"Médiane des {peers_label}",
            mode="lines+markers",
            line={"color": PEER_COLOUR, "dash": "dash", "width": 2},
            marker={"symbol": "diamond", "size": 8},
            customdata=[[format_number(v)] for v in peer_history["median_index"]],
            hovertemplate="Médiane des pairs (%{x}) : %{customdata[0]}<extra></extra>",
        )
    )
    figure.add_trace(
        go.Scatter(
            x=history["millesime"].tolist(),
            y=history["global_index"].tolist(),
            name=f"{territory_name} — indice global",
            mode="lines+markers",
            line={"color": TERRITORY_COLOUR, "width": 3},
            marker={"size": 10},
            customdata=[[format_number(v)] for v in history["global_index"]],
            hovertemplate="Indice global (%{x}) : %{customdata[0]}<extra></extra>",
        )
    )
    figure.update_layout(
        **base_layout(
            height=560,
            margin={"l": 55, "r": 10, "t": 10, "b": 10},
            xaxis={
                **ticks,
                "title": None,
                "range": [min(millesimes) - 0.6, max(millesimes) + 0.6] if millesimes else None,
                "fixedrange": True,
            },
            yaxis={
                "range": [0, 100],
                "title": {"text": "Score (0 à 100)"},
                "gridcolor": "#e5e9f0",
                "fixedrange": True,
            },
            legend={
                "orientation": "h",
                "x": 0,
                "y": -0.08,
                "yanchor": "top",
                "entrywidth": 0.5,
                "entrywidthmode": "fraction",
                "font": {"size": 12},
            },
            hovermode="closest",
        )
    )
    return figure
