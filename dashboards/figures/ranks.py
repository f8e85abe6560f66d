"""Ranks among peers: the rank interval chart and how ranks are written (``1er``, ``12e``)."""

from __future__ import annotations

import math

import plotly.graph_objects as go

from dashboards.figures.style import base_layout
from dashboards.formatting import format_integer, is_missing

#: The observed rank, the median rank and the 5–95 % interval of the rank chart.
RANK_COLOUR = "#17375e"
INTERVAL_COLOUR = "#9ecae1"


def rank_interval_chart(
    rank: float,
    rank_median: float | None,
    rank_p05: float | None,
    rank_p95: float | None,
    peers: int,
    peers_label: str,
) -> go.Figure:
    """Dot and interval of a territory's rank among ``peers`` (1 = best, on the left).

    A diamond marks the published rank, a white dot the median rank of the Monte Carlo
    simulations and a thick bar the ranks obtained in 90 % of them (5th to 95th percentile).
    Shapes, not only colours, tell the three apart.
    """
    figure = go.Figure()
    if not is_missing(rank_p05) and not is_missing(rank_p95):
        low, high = interval_bounds(rank_p05, rank_p95)  # type: ignore[arg-type]
        figure.add_trace(
            go.Scatter(
                x=[low, high],
                y=[0, 0],
                mode="lines",
                name="90 % des simulations",
                line={"color": INTERVAL_COLOUR, "width": 14},
                customdata=[[ordinal(low), ordinal(high)]] * 2,
                hovertemplate=(
                    "Dans 90 % des simulations : entre le %{customdata[0]} et le "
                    "%{customdata[1]} rang<extra></extra>"
                ),
            )
        )
    if not is_missing(rank_median):
        median = _round_rank(rank_median)  # type: ignore[arg-type]
        figure.add_trace(
            go.Scatter(
                x=[median],
                y=[0],
                mode="markers",
                name="Rang médian simulé",
                marker={
                    "symbol": "circle",
                    "size": 13,
                    "color": "#ffffff",
                    "line": {"color": RANK_COLOUR, "width": 2.5},
                },
                customdata=[[ordinal(median)]],
                hovertemplate="Rang médian des simulations : %{customdata[0]}<extra></extra>",
            )
        )
    figure.add_trace(
        go.Scatter(
            x=[rank],
            y=[0],
            mode="markers",
            name="Rang publié",
            marker={"symbol": "diamond", "size": 15, "color": RANK_COLOUR},
            customdata=[[ordinal(rank)]],
            hovertemplate="Rang publié : %{customdata[0]}<extra></extra>",
        )
    )
    ticks = rank_ticks(peers)
    figure.update_layout(
        **base_layout(
            height=170,
            margin={"l": 15, "r": 25, "t": 40, "b": 10},
            xaxis={
                "range": [0.5, peers + 0.5],
                "tickmode": "array",
                "tickvals": ticks,
                "ticktext": [ordinal(tick) for tick in ticks],
                "title": {
                    "text": f"Rang parmi les {format_integer(peers)} {peers_label} "
                    "(1er = meilleur)",
                    "font": {"size": 13},
                },
                "tickangle": 0,
                "gridcolor": "#e5e9f0",
                "zeroline": False,
                "fixedrange": True,
            },
            yaxis={"visible": False, "range": [-1, 1], "fixedrange": True},
            legend={
                "orientation": "h",
                "traceorder": "reversed",
                "x": 0,
                "y": 1.05,
                "yanchor": "bottom",
                "font": {"size": 13},
            },
            hovermode="closest",
        )
    )
    return figure


def ordinal(rank: float | int) -> str:
    """A rank the French way: ``1`` → ``"1er"``, ``12`` → ``"12e"``."""
    value = _round_rank(rank)
    return "1er" if value == 1 else f"{format_integer(value)}e"


def _round_rank(rank: float | int) -> int:
    """Nearest whole rank (halves go up, to the worse rank: never flatter the territory)."""
    return int(math.floor(float(rank) + 0.5))


def interval_bounds(low: float, high: float) -> tuple[int, int]:
    """Whole ranks enclosing a percentile interval (interpolated percentiles are fractional)."""
    return int(math.floor(float(low) + 1e-9)), int(math.ceil(float(high) - 1e-9))


def rank_ticks(peers: int) -> list[int]:
    """A few round ranks for the axis of the rank chart, always with the first and last.

    Round ranks too close to the last one are dropped, so that labels never overlap.
    """
    steps = (1, 2, 5, 10, 20, 25, 50, 100, 200, 500, 1000, 2000, 5000)
    step = next((s for s in steps if peers / s <= 8), steps[-1])
    middle = [tick for tick in range(step, peers, step) if peers - tick >= step / 2 and tick > 1]
    return sorted({1, *middle, peers})
