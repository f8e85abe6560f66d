"""Shared look of every figure: Plotly config, fonts, colours, short names, base layout."""

from __future__ import annotations

from typing import Any

from dashboards.formatting import PLOTLY_SEPARATORS, is_missing
from schemas.vocabulary import INSUFFICIENT_DATA_LABEL

#: Plotly ``config`` of every graph: no Plotly logo, no cloud link, French-free clutter off.
GRAPH_CONFIG: dict[str, Any] = {
    "displaylogo": False,
    "responsive": True,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "toImage"],
}

FONT_FAMILY = (
    'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "Noto Sans", '
    '"Liberation Sans", Arial, sans-serif'
)

#: One colour per maturity level (1 → 5): ColorBrewer YlGnBu, a sequential palette that
#: stays readable with the common colour-vision deficiencies and in greyscale.
LEVEL_COLOURS: dict[int, str] = {
    1: "#edf8b1",
    2: "#a1dab4",
    3: "#41b6c4",
    4: "#2c7fb8",
    5: "#253494",
}
#: Territories that answered without enough data to be scored.
INSUFFICIENT_COLOUR = "#bdbdbd"
#: Label of the territories that answered without enough data to be scored.
INSUFFICIENT_LABEL = INSUFFICIENT_DATA_LABEL
#: Territories with no score at all for the millésime.
NO_ANSWER_COLOUR = "#ececec"
NO_ANSWER_LABEL = "Pas de réponse publiée"
#: Short names of the ten axes, for the radar's spokes and legends (hover and tables give
#: the full label). An axis missing here falls back to its full label, wrapped.
SHORT_AXIS_LABELS = {
    "LAB": "Laboratoire",
    "EADM": "Administration",
    "SERV": "Services en ligne",
    "DATA": "Données",
    "INFRA": "Infrastructures",
    "SMART": "Territoire intelligent",
    "INCL": "Inclusion",
    "ENTR": "Entreprises",
    "FILI": "Filière",
    "GOUV": "Gouvernance",
}
TERRITORY_COLOUR = "#225ea8"
PEER_COLOUR = "#d95f02"


def base_layout(**overrides: Any) -> dict[str, Any]:
    """Layout shared by every figure: French number separators, system fonts, tight margins."""
    layout: dict[str, Any] = {
        "separators": PLOTLY_SEPARATORS,
        "font": {"family": FONT_FAMILY, "size": 14, "color": "#1f2933"},
        "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "hoverlabel": {"bgcolor": "#ffffff", "font": {"family": FONT_FAMILY, "size": 14}},
    }
    layout.update(overrides)
    return layout


def horizontal_bars_layout(
    categories: list[str],
    *,
    barmode: str,
    height: int,
    xaxis: dict[str, Any],
    legend: dict[str, Any],
    right_margin: int = 10,
) -> dict[str, Any]:
    """Layout of a horizontal bar chart whose ``categories`` read from top to bottom."""
    return base_layout(
        barmode=barmode,
        height=height,
        margin={"l": 10, "r": right_margin, "t": 10, "b": 40},
        xaxis={**xaxis, "fixedrange": True},
        yaxis={
            "categoryorder": "array",
            "categoryarray": list(reversed(categories)),
            "automargin": True,
            "fixedrange": True,
        },
        legend={"orientation": "h", "x": 0, **legend},
    )


def level_name(level: int | None, label: str | None) -> str:
    """Visitor-facing name of a maturity level: ``"Niveau 4 — Avancé"``."""
    if is_missing(level):
        return label if label and not is_missing(label) else NO_ANSWER_LABEL
    return f"Niveau {int(level)} — {label}"  # type: ignore[arg-type]


def short_axis_label(code: str, label: str) -> str:
    """Name of an axis on a chart: its short name, else its label broken into lines."""
    return SHORT_AXIS_LABELS.get(code) or wrap_label(label)


def wrap_label(label: str, width: int = 13) -> str:
    """Break a long axis label into lines for the radar (``<br>`` between words)."""
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)
