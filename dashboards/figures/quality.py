"""Qualité des données: territories that answered, and those not yet, by kind."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboards.figures.style import TERRITORY_COLOUR, horizontal_bars_layout
from dashboards.formatting import format_integer, format_percent
from schemas.vocabulary import KIND_SHORT_PLURALS

#: Territories that answered / not yet, in the response chart.
ANSWERED_COLOUR = TERRITORY_COLOUR
NOT_ANSWERED_COLOUR = "#b8c2cc"
ANSWERED_LABEL = "Ont répondu"
NOT_ANSWERED_LABEL = "Pas encore de réponse"


def response_by_kind(status: pd.DataFrame) -> pd.DataFrame:
    """Count, for each kind of territory, those expected, those that answered and the rate.

    ``status`` has one row per territory of the reference (``kind``, ``kind_label``,
    ``answered``), as ``data.response_status`` returns it. Kinds keep their order of
    appearance. Columns: ``kind``, ``kind_label``, ``expected``, ``answered``, ``missing``,
    ``rate`` (share of the expected that answered).
    """
    columns = ["kind", "kind_label", "expected", "answered", "missing", "rate"]
    if status.empty:
        return pd.DataFrame(columns=columns)
    grouped = (
        status.assign(answered=status["answered"].astype(bool))
        .groupby(["kind", "kind_label"], sort=False)["answered"]
        .agg(expected="size", answered="sum")
        .reset_index()
    )
    grouped["answered"] = grouped["answered"].astype(int)
    grouped["missing"] = grouped["expected"] - grouped["answered"]
    grouped["rate"] = grouped["answered"] / grouped["expected"]
    return grouped[columns]


def response_chart(by_kind: pd.DataFrame) -> go.Figure:
    """Stacked horizontal bars: territories that answered and those not yet, for each kind."""
    labels = [
        KIND_SHORT_PLURALS.get(kind, label)
        for kind, label in zip(by_kind["kind"], by_kind["kind_label"], strict=True)
    ]
    figure = go.Figure()
    for column, name, colour in (
        ("answered", ANSWERED_LABEL, ANSWERED_COLOUR),
        ("missing", NOT_ANSWERED_LABEL, NOT_ANSWERED_COLOUR),
    ):
        figure.add_trace(
            go.Bar(
                orientation="h",
                y=labels,
                x=by_kind[column].tolist(),
                name=name,
                marker={"color": colour, "line": {"color": "#ffffff", "width": 1}},
                customdata=[
                    [
                        row.kind_label,
                        format_integer(getattr(row, column)),
                        format_integer(row.expected),
                        format_percent(getattr(row, column) / row.expected if row.expected else 0),
                    ]
                    for row in by_kind.itertuples(index=False)
                ],
                hovertemplate=(
                    f"<b>%{{customdata[0]}}</b><br>{name} : %{{customdata[1]}} sur "
                    "%{customdata[2]} (%{customdata[3]})<extra></extra>"
                ),
            )
        )
    figure.update_layout(
        **horizontal_bars_layout(
            labels,
            barmode="stack",
            height=80 + 46 * max(len(labels), 1),
            xaxis={"title": {"text": "Nombre de territoires"}, "gridcolor": "#e5e9f0"},
            legend={"traceorder": "normal", "y": -0.2, "yanchor": "top"},
        )
    )
    return figure
