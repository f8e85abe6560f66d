"""Axes: one axis across kinds of territory, the national medians and its questions."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboards.figures.style import PEER_COLOUR, TERRITORY_COLOUR, base_layout, short_axis_label
from dashboards.formatting import format_number, is_missing
from schemas.vocabulary import KIND_SHORT_PLURALS, TERRITORY_KINDS

#: Colour of the chosen axis among the others, and of the other axes.
CHOSEN_COLOUR = TERRITORY_COLOUR
OTHER_COLOUR = "#9ecae1"


def distribution_summary(scores: pd.DataFrame) -> pd.DataFrame:
    """Distribution of an axis score by kind of territory (``scores``: ``kind``,
    ``kind_label``, ``score``): ``scored``, ``minimum``, ``q1``, ``median``, ``q3``,
    ``maximum``, kinds in the usual order (régions first)."""
    order = list(TERRITORY_KINDS)
    scored = scores.dropna(subset=["score"])
    summary = scored.groupby(["kind", "kind_label"])["score"].agg(
        scored="count",
        minimum="min",
        q1=lambda s: s.quantile(0.25),
        median="median",
        q3=lambda s: s.quantile(0.75),
        maximum="max",
    )
    summary = summary.reset_index()
    summary["position"] = summary["kind"].map({kind: i for i, kind in enumerate(order)})
    return summary.sort_values("position").drop(columns="position").reset_index(drop=True)


def discriminating_questions(spread: pd.DataFrame) -> pd.DataFrame:
    """The questions that separate territories most (``spread``: ``question``, ``label``,
    ``territory``, ``score``): ``std`` (standard deviation of the score across territories
    that answered), ``mean``, ``share_at_max`` (share scoring 100), ``answered``; the most
    discriminating first. A question everyone answers alike has a standard deviation of 0."""
    answered = spread.dropna(subset=["score"])
    if answered.empty:
        return pd.DataFrame(
            columns=["question", "label", "std", "mean", "share_at_max", "answered"]
        )
    table = answered.groupby(["question", "label"])["score"].agg(
        std=lambda s: float(s.std(ddof=0)),
        mean="mean",
        share_at_max=lambda s: float((s >= 100).mean()),
        answered="count",
    )
    return table.reset_index().sort_values(["std", "question"], ascending=[False, True])


def axis_medians_chart(medians: pd.DataFrame, chosen: str) -> go.Figure:
    """National median of each axis (``medians``: ``axis``, ``label``, ``median``), the
    chosen axis in a darker colour and with a pattern, lowest median first."""
    ordered = medians.sort_values("median", na_position="first")
    is_chosen = [axis == chosen for axis in ordered["axis"]]
    figure = go.Figure(
        go.Bar(
            orientation="h",
            y=[
                short_axis_label(a, lbl)
                for a, lbl in zip(ordered["axis"], ordered["label"], strict=True)
            ],
            x=[None if is_missing(v) else v for v in ordered["median"]],
            marker={
                "color": [CHOSEN_COLOUR if c else OTHER_COLOUR for c in is_chosen],
                "pattern": {"shape": ["/" if c else "" for c in is_chosen]},
            },
            customdata=[
                [lbl, format_number(v)]
                for lbl, v in zip(ordered["label"], ordered["median"], strict=True)
            ],
            hovertemplate="<b>%{customdata[0]}</b><br>Médiane nationale : %{customdata[1]}<extra></extra>",
        )
    )
    figure.update_layout(
        **base_layout(
            height=80 + 30 * len(ordered),
            margin={"l": 10, "r": 10, "t": 10, "b": 40},
            xaxis={"range": [0, 100], "title": "Médiane nationale (0 à 100)", "fixedrange": True},
            yaxis={"automargin": True, "fixedrange": True},
            showlegend=False,
        )
    )
    return figure


def axis_box_chart(scores: pd.DataFrame, national_median: float | None) -> go.Figure:
    """One box per kind of territory: the distribution of an axis score (``scores``:
    ``kind``, ``kind_label``, ``name``, ``score``), with the national median as a line."""
    figure = go.Figure()
    for kind in TERRITORY_KINDS:
        rows = scores[(scores["kind"] == kind) & scores["score"].notna()]
        if rows.empty:
            continue
        figure.add_trace(
            go.Box(
                x=rows["score"].tolist(),
                name=KIND_SHORT_PLURALS[kind],
                boxpoints="all",
                jitter=0.4,
                pointpos=0,
                marker={"color": TERRITORY_COLOUR, "size": 4, "opacity": 0.55},
                line={"color": "#1f2933"},
                fillcolor="rgba(158, 202, 225, 0.5)",
                text=rows["name"].tolist(),
                customdata=[format_number(v) for v in rows["score"]],
                hovertemplate="<b>%{text}</b><br>%{customdata}<extra></extra>",
            )
        )
    if not is_missing(national_median):
        figure.add_vline(
            x=national_median,
            line={"color": PEER_COLOUR, "dash": "dash", "width": 2},
            annotation={"text": f"médiane nationale : {format_number(national_median)}",
                        "font": {"color": "#1f2933"}},
        )  # fmt: skip
    figure.update_layout(
        **base_layout(
            height=120 + 55 * len(figure.data),
            margin={"l": 10, "r": 10, "t": 30, "b": 40},
            xaxis={"range": [-2, 102], "title": "Score (0 à 100)", "fixedrange": True},
            yaxis={"autorange": "reversed", "automargin": True, "fixedrange": True},
            showlegend=False,
        )
    )
    return figure


def questions_chart(questions: pd.DataFrame) -> go.Figure:
    """Standard deviation of each question's score, the most discriminating on top."""
    figure = go.Figure(
        go.Bar(
            orientation="h",
            y=questions["question"].tolist(),
            x=questions["std"].tolist(),
            marker={"color": TERRITORY_COLOUR},
            customdata=[
                [lbl, format_number(v)]
                for lbl, v in zip(questions["label"], questions["std"], strict=True)
            ],
            hovertemplate="<b>%{y}</b> %{customdata[0]}<br>Écart-type : %{customdata[1]} points<extra></extra>",
        )
    )
    figure.update_layout(
        **base_layout(
            height=80 + 32 * len(questions),
            margin={"l": 10, "r": 10, "t": 10, "b": 40},
            xaxis={
                "title": "Écart-type du score entre territoires (points)",
                "fixedrange": True,
                "rangemode": "tozero",
            },
            yaxis={"autorange": "reversed", "automargin": True, "fixedrange": True},
            showlegend=False,
        )
    )
    return figure
