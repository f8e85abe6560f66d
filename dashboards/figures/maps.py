"""Vue nationale: the map of territories (outlines and markers) and its colour bar."""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboards.figures.style import (
    LEVEL_COLOURS,
    NO_ANSWER_COLOUR,
    NO_ANSWER_LABEL,
    base_layout,
    level_name,
)
from dashboards.formatting import MISSING, format_number, is_missing

#: Centre and zoom showing metropolitan France (overseas départements are off-screen).
MAP_CENTER = {"lat": 46.6, "lon": 2.4}
MAP_ZOOM = 4.3


def _stepped_colourscale() -> list[list[Any]]:
    """A colour scale over 0–100 changing colour at each level threshold (20, 40, …)."""
    scale: list[list[Any]] = []
    for level, colour in LEVEL_COLOURS.items():
        scale.append([(level - 1) / 5, colour])
        scale.append([level / 5, colour])
    return scale


#: Kinds of territory drawn as markers, by map layer.
MARKER_LAYERS = {"intercommunalites": ("ME", "CU", "CA"), "communes": ("COM",)}
#: Layers of the national map and their labels.
MAP_LAYERS = {
    "contours": "Départements ou régions",
    "intercommunalites": "Métropoles, communautés urbaines et d'agglomération",
    "communes": "Communes de 50 000 habitants ou plus",
}
DEFAULT_MAP_LAYERS = ("contours", "intercommunalites")
#: The map's traces, always in this order, so that a change is a patch of their values.
MAP_TRACES = (
    "outlines_unscored",
    "outlines_scored",
    "markers_halo",
    "markers_scored",
    "markers_unscored",
)
#: Dark ring drawn under each marker, so that markers stand out from the outlines.
HALO_COLOUR = "#1f2933"
HALO_WIDTH = 3.0
MARKER_MIN_SIZE, MARKER_MAX_SIZE = 6.0, 22.0

#: A value of a trace, by its path in the trace (``("marker", "color")``).
TraceValues = dict[tuple[str, ...], Any]


def _map_customdata(frame: pd.DataFrame, measure_label: str) -> list[list[str]]:
    """Hover data: name, the measure in French, the level (or kind), the code."""
    rows = []
    for row in frame.itertuples(index=False):
        value = f"{measure_label} : {format_number(row.value) if not is_missing(row.value) else MISSING}"
        detail = level_name(row.maturity_level, row.maturity_label)
        if row.kind not in ("REG", "DEP"):
            detail = f"{row.kind_label} — {detail}"
        rows.append([row.name, value, detail, row.code])
    return rows


def marker_sizes(population: pd.Series) -> list[float]:
    """Marker area grows with the population (square-root scale), unknown ones smallest."""
    known = population.astype("Float64")
    largest = float(known.max()) if known.notna().any() else 1.0
    share = (known.fillna(0).astype(float) / max(largest, 1.0)) ** 0.5
    return [round(MARKER_MIN_SIZE + (MARKER_MAX_SIZE - MARKER_MIN_SIZE) * v, 1) for v in share]


def colour_bar(levels: pd.DataFrame, measure_label: str, by_level: bool) -> dict[str, Any]:
    """The colour bar: maturity levels for the global index, score bands for an axis."""
    tick_values = [(level - 0.5) * 20 for level in levels["level"]]
    if by_level:
        tick_text = [f"{int(row.level)} {row.label}" for row in levels.itertuples(index=False)]
        title = "Niveau de<br>maturité"
    else:
        tick_text = [
            f"{int(row.min_score)} à {int(row.max_score)}" for row in levels.itertuples(index=False)
        ]
        title = "Score de<br>l'axe"
    return {"title": {"text": title}, "tickvals": tick_values, "ticktext": tick_text}


def map_values(
    outlines: pd.DataFrame,
    markers: pd.DataFrame,
    measure_label: str,
    layers: tuple[str, ...] | list[str],
) -> list[TraceValues]:
    """What each trace of the national map shows (in :data:`MAP_TRACES` order).

    ``outlines`` and ``markers`` hold the columns of ``data.measure`` (``value`` is what
    colours the map) for the outlined level and for the kinds drawn as markers. Only these
    values change from one view to the next: the page sends them as a ``dash.Patch``.
    """
    shown_kinds = {kind for layer in layers for kind in MARKER_LAYERS.get(layer, ())}
    # Sizes are relative to every marker, shown or not, so a marker keeps its size.
    sizes = dict(zip(markers["code"], marker_sizes(markers["population"]), strict=True))
    markers = markers[markers["kind"].isin(shown_kinds)]
    outlined = "contours" in layers
    parts = {
        "markers_halo": markers,
        "outlines_unscored": outlines[outlines["value"].isna()],
        "outlines_scored": outlines[outlines["value"].notna()],
        "markers_scored": markers[markers["value"].notna()],
        "markers_unscored": markers[markers["value"].isna()],
    }
    values: list[TraceValues] = []
    for trace in MAP_TRACES:
        frame = parts[trace]
        customdata = _map_customdata(frame, measure_label)
        if trace == "markers_halo":
            values.append(
                {
                    ("lat",): frame["latitude"].tolist(),
                    ("lon",): frame["longitude"].tolist(),
                    ("marker", "size"): [sizes[code] + HALO_WIDTH for code in frame["code"]],
                    ("visible",): bool(shown_kinds),
                }
            )
            continue
        if trace.startswith("outlines"):
            trace_values: TraceValues = {
                ("locations",): frame["code"].tolist(),
                ("customdata",): customdata,
                ("visible",): outlined,
            }
            if trace == "outlines_scored":
                trace_values[("z",)] = [float(v) for v in frame["value"]]
            else:
                trace_values[("z",)] = [0] * len(frame)
        else:
            trace_values = {
                ("lat",): frame["latitude"].tolist(),
                ("lon",): frame["longitude"].tolist(),
                ("customdata",): customdata,
                ("marker", "size"): [sizes[code] for code in frame["code"]],
                ("visible",): bool(shown_kinds),
            }
            if trace == "markers_scored":
                trace_values[("marker", "color")] = [float(v) for v in frame["value"]]
        values.append(trace_values)
    return values


def _apply(trace: dict[str, Any], values: TraceValues) -> dict[str, Any]:
    for path, value in values.items():
        target = trace
        for key in path[:-1]:
            target = target.setdefault(key, {})
        target[path[-1]] = value
    return trace


def territory_map(
    outlines: pd.DataFrame,
    markers: pd.DataFrame,
    geojson: dict[str, Any] | str,
    levels: pd.DataFrame,
    measure_label: str = "Indice global",
    layers: tuple[str, ...] | list[str] = DEFAULT_MAP_LAYERS,
) -> go.Figure:
    """The national map: outlines (régions or départements) coloured by the measure, and
    markers for métropoles, agglomérations (and communes) at their seat, sized by population.

    ``geojson`` is the FeatureCollection (or its URL) whose feature ids are territory codes;
    ``levels`` the maturity levels, for the colour bar. Territories without a value are
    drawn in grey, so that the map has no holes and no territory silently disappears.
    """
    hover = "<b>%{customdata[0]}</b><br>%{customdata[1]}<br>%{customdata[2]}<extra></extra>"
    outline = {"line": {"color": "#ffffff", "width": 0.8}}
    by_level = measure_label == "Indice global"
    traces: list[dict[str, Any]] = [
        {
            "type": "choroplethmap",
            "geojson": geojson,
            "featureidkey": "id",
            "zmin": 0,
            "zmax": 1,
            "colorscale": [[0, NO_ANSWER_COLOUR], [1, NO_ANSWER_COLOUR]],
            "showscale": False,
            "showlegend": True,
            "marker": outline,
            "hovertemplate": hover,
            "name": NO_ANSWER_LABEL,
        },
        {
            "type": "choroplethmap",
            "geojson": geojson,
            "featureidkey": "id",
            "zmin": 0,
            "zmax": 100,
            "colorscale": _stepped_colourscale(),
            "marker": outline,
            "colorbar": {
                **colour_bar(levels, measure_label, by_level),
                "thickness": 14,
                "len": 0.75,
                "x": 0.8,
                "xanchor": "left",
            },
            "hovertemplate": hover,
            "name": "Contours",
            "showlegend": False,
        },
        {
            "type": "scattermap",
            "mode": "markers",
            "marker": {"color": HALO_COLOUR},
            "hoverinfo": "skip",
            "showlegend": False,
            "name": "Contour des disques",
        },
        {
            "type": "scattermap",
            "mode": "markers",
            "marker": {
                "cmin": 0,
                "cmax": 100,
                "colorscale": _stepped_colourscale(),
                "opacity": 0.95,
            },
            "hovertemplate": hover,
            "name": "Intercommunalités et communes",
            "showlegend": True,
        },
        {
            "type": "scattermap",
            "mode": "markers",
            "marker": {"color": "#8c8c8c", "opacity": 0.8},
            "hovertemplate": hover,
            "name": "Sans score (marqueurs gris)",
            "showlegend": True,
        },
    ]
    values = map_values(outlines, markers, measure_label, layers)
    figure = go.Figure(
        data=[
            _apply(trace, trace_values) for trace, trace_values in zip(traces, values, strict=True)
        ]
    )
    figure.update_layout(
        **base_layout(
            # The map leaves the right fifth to the colour bar, so that none of France hides.
            map={
                "style": "white-bg",
                "center": MAP_CENTER,
                "zoom": MAP_ZOOM,
                "domain": {"x": [0, 0.78], "y": [0, 1]},
            },
            height=560,
            clickmode="event",
            legend={"x": 0.8, "xanchor": "left", "y": 0.02, "yanchor": "bottom"},
        )
    )
    return figure
