"""Vue nationale: the map of territories (outlines and markers) and its colour bar.

The map is SVG (a ``geo`` subplot: ``choropleth`` outlines from the project's GeoJSON and
``scattergeo`` markers), so it draws in a browser without WebGL, as on many public-sector
virtual desktops; no base map, no topojson fetched. The overseas départements are drawn in
insets left of metropolitan France (:mod:`dashboards.figures.insets`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboards.figures.insets import (
    FRAME_COLOUR,
    frame_lines,
    label_positions,
    map_bounds,
    place_points,
)
from dashboards.figures.style import (
    LEVEL_COLOURS,
    NO_ANSWER_COLOUR,
    NO_ANSWER_LABEL,
    base_layout,
    level_name,
)
from dashboards.formatting import MISSING, format_integer, format_number, is_missing


def _stepped_colourscale() -> list[list[Any]]:
    """A colour scale over 0–100 changing colour at each level threshold (20, 40, …)."""
    scale: list[list[Any]] = []
    for level, colour in LEVEL_COLOURS.items():
        scale.append([(level - 1) / 5, colour])
        scale.append([level / 5, colour])
    return scale


#: Kinds of territory drawn as markers, by map layer (``CC``: the communautés de communes
#: of a scope that includes every EPCI).
MARKER_LAYERS = {"intercommunalites": ("ME", "CU", "CA", "CC"), "communes": ("COM",)}
#: What a layer's territories are called in running text.
LAYER_WORDS = {"intercommunalites": "intercommunalités", "communes": "communes"}
#: Layers of the national map and their labels.
MAP_LAYERS = {
    "contours": "Départements ou régions",
    "intercommunalites": "Intercommunalités",
    "communes": "Communes",
}
DEFAULT_MAP_LAYERS = ("contours", "intercommunalites")
#: Most points a marker layer draws (each point is an SVG path, and its halo another):
#: beyond, the layer is drawn as one disc per département (:func:`bounded_markers`).
MAX_LAYER_POINTS = 2000
#: The map's traces, always in this order, so that a change is a patch of their values.
#: The insets' frames come first: Plotly fetches a world topojson (from a CDN) for a geo
#: subplot whose first trace has a ``locationmode``, which lines drawn by longitude and
#: latitude have not.
MAP_TRACES = (
    "inset_frames",
    "inset_labels",
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
#: Largest disc standing for a département's territories (see :func:`bounded_markers`).
GROUP_MAX_SIZE = 14.0

#: A value of a trace, by its path in the trace (``("marker", "color")``).
TraceValues = dict[tuple[str, ...], Any]


def _map_customdata(frame: pd.DataFrame, measure_label: str) -> list[list[str]]:
    """Hover data: name, the measure in French, the level (or kind), the code (empty for a
    disc standing for several territories, which opens no fiche)."""
    rows = []
    aggregated = (
        frame["aggregated"].tolist() if "aggregated" in frame.columns else [False] * len(frame)
    )
    for row, grouped in zip(frame.itertuples(index=False), aggregated, strict=True):
        value = f"{measure_label} : {format_number(row.value) if not is_missing(row.value) else MISSING}"
        detail = level_name(row.maturity_level, row.maturity_label)
        if row.kind not in ("REG", "DEP"):
            detail = f"{row.kind_label} — {detail}"
        rows.append([row.name, value, detail, "" if grouped else row.code])
    return rows


def bounded_markers(markers: pd.DataFrame, departement_names: Mapping[str, str]) -> pd.DataFrame:
    """The markers as the map draws them: each layer's territories as points while the layer
    has at most :data:`MAX_LAYER_POINTS` of them; beyond, one disc per département standing
    for the layer's territories there (their count, the mean of their measure, their
    population), so that an SVG map of ~35,000 communes draws about a hundred discs.

    ``markers`` holds the columns of ``data.measure`` (with ``departement``);
    ``departement_names`` names the départements. The result has a boolean ``aggregated``.
    """
    parts = []
    for layer, kinds in MARKER_LAYERS.items():
        frame = markers[markers["kind"].isin(kinds)]
        if len(frame) > MAX_LAYER_POINTS:
            frame = _by_departement(frame, layer, departement_names)
        else:
            frame = frame.assign(aggregated=False)
        parts.append(frame)
    return pd.concat(parts, ignore_index=True)


def _by_departement(
    frame: pd.DataFrame, layer: str, departement_names: Mapping[str, str]
) -> pd.DataFrame:
    """One row per département of the layer's territories: count, mean measure, position."""
    words = LAYER_WORDS[layer]
    grouped = (
        frame.assign(
            departement=frame["departement"].fillna(""),
            value=frame["value"].astype("Float64"),
            population=frame["population"].astype("Float64"),
        )
        .groupby("departement", sort=True)
        .agg(
            territories=("code", "size"),
            scored=("value", "count"),
            value=("value", "mean"),
            population=("population", "sum"),
            longitude=("longitude", "mean"),
            latitude=("latitude", "mean"),
        )
        .reset_index()
    )
    kind = MARKER_LAYERS[layer][-1]
    names = grouped["departement"].map(dict(departement_names)).fillna("Sans département")
    return pd.DataFrame(
        {
            "code": [f"{code or 'SANS'}/{layer}" for code in grouped["departement"]],
            "kind": kind,
            "kind_label": f"{words.capitalize()} regroupées par département",
            "name": [
                f"{name} — {format_integer(count)} {words}"
                for name, count in zip(names, grouped["territories"], strict=True)
            ],
            "population": grouped["population"].round().astype("Int64"),
            "value": grouped["value"].astype("Float64"),
            "maturity_level": pd.array([pd.NA] * len(grouped), dtype="Int64"),
            "maturity_label": [
                f"moyenne des {format_integer(scored)} évaluées" if scored else "aucune évaluée"
                for scored in grouped["scored"]
            ],
            "departement": grouped["departement"],
            "territories": grouped["territories"],
            "longitude": grouped["longitude"],
            "latitude": grouped["latitude"],
            "aggregated": True,
        }
    )


def marker_sizes(population: pd.Series) -> list[float]:
    """Marker area grows with the population (square-root scale), unknown ones smallest."""
    known = population.astype("Float64")
    largest = float(known.max()) if known.notna().any() else 1.0
    share = (known.fillna(0).astype(float) / max(largest, 1.0)) ** 0.5
    return [round(MARKER_MIN_SIZE + (MARKER_MAX_SIZE - MARKER_MIN_SIZE) * v, 1) for v in share]


def _sizes(markers: pd.DataFrame) -> dict[str, float]:
    """Each marker's size, by code: relative to every marker, shown or not, so that a marker
    keeps its size when a layer is hidden; a disc standing for a département's territories
    grows with their number, up to :data:`GROUP_MAX_SIZE`, so that it hides little."""
    grouped = (
        markers["aggregated"].eq(True)
        if "aggregated" in markers.columns
        else pd.Series(False, index=markers.index)
    )
    points = markers[~grouped]
    sizes = dict(zip(points["code"], marker_sizes(points["population"]), strict=True))
    if grouped.any():
        groups = markers[grouped]
        shares = marker_sizes(groups["territories"])
        scale = (GROUP_MAX_SIZE - MARKER_MIN_SIZE) / (MARKER_MAX_SIZE - MARKER_MIN_SIZE)
        sizes |= {
            code: round(MARKER_MIN_SIZE + (size - MARKER_MIN_SIZE) * scale, 1)
            for code, size in zip(groups["code"], shares, strict=True)
        }
    return sizes


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
    colours the map) for the outlined level and for the markers (as :func:`bounded_markers`
    gives them). Only these values change from one view to the next: the page sends them as
    a ``dash.Patch``. The insets' frames and labels never change (no values).
    """
    shown_kinds = {kind for layer in layers for kind in MARKER_LAYERS.get(layer, ())}
    sizes = _sizes(markers)
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
        if trace.startswith("inset"):
            values.append({})
            continue
        frame = parts[trace]
        if trace.startswith("markers"):
            lon, lat = place_points(frame["longitude"], frame["latitude"])
        if trace == "markers_halo":
            values.append(
                {
                    ("lat",): lat,
                    ("lon",): lon,
                    ("marker", "size"): [sizes[code] + HALO_WIDTH for code in frame["code"]],
                    ("visible",): bool(shown_kinds),
                }
            )
            continue
        customdata = _map_customdata(frame, measure_label)
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
                ("lat",): lat,
                ("lon",): lon,
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


def _inset_traces() -> list[dict[str, Any]]:
    """The insets' thin frames and their names (never hovered, never clicked)."""
    frame_lon, frame_lat = frame_lines()
    label_lon, label_lat, labels = label_positions()
    return [
        {
            "type": "scattergeo",
            "mode": "lines",
            "lon": frame_lon,
            "lat": frame_lat,
            "line": {"color": FRAME_COLOUR, "width": 0.8},
            "hoverinfo": "skip",
            "showlegend": False,
            "name": "Cadres de l'outre-mer",
        },
        {
            "type": "scattergeo",
            "mode": "text",
            "lon": label_lon,
            "lat": label_lat,
            "text": labels,
            "textposition": "bottom right",
            "textfont": {"size": 11, "color": "#3d4451"},
            "hoverinfo": "skip",
            "showlegend": False,
            "name": "Noms de l'outre-mer",
        },
    ]


def territory_map(
    outlines: pd.DataFrame,
    markers: pd.DataFrame,
    geojson: dict[str, Any] | str,
    levels: pd.DataFrame,
    measure_label: str = "Indice global",
    layers: tuple[str, ...] | list[str] = DEFAULT_MAP_LAYERS,
) -> go.Figure:
    """The national map: outlines (régions or départements) coloured by the measure, and
    markers for intercommunalités (and communes) at their seat, sized by population.

    ``geojson`` is the FeatureCollection (or its URL) whose feature ids are territory codes,
    overseas outlines already in their insets (``data.map_geojson``); ``markers`` as
    :func:`bounded_markers` gives them; ``levels`` the maturity levels, for the colour bar.
    Territories without a value are drawn in grey, so that the map has no holes and no
    territory silently disappears. SVG only: it draws without WebGL.
    """
    hover = "<b>%{customdata[0]}</b><br>%{customdata[1]}<br>%{customdata[2]}<extra></extra>"
    outline = {"line": {"color": "#ffffff", "width": 0.6}}
    by_level = measure_label == "Indice global"
    traces: list[dict[str, Any]] = [
        *_inset_traces(),
        {
            "type": "choropleth",
            "geojson": geojson,
            "locationmode": "geojson-id",
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
            "type": "choropleth",
            "geojson": geojson,
            "locationmode": "geojson-id",
            "featureidkey": "id",
            "zmin": 0,
            "zmax": 100,
            "colorscale": _stepped_colourscale(),
            "marker": outline,
            "colorbar": {
                **colour_bar(levels, measure_label, by_level),
                "thickness": 14,
                "len": 0.75,
                "x": 1.0,
                "xanchor": "left",
            },
            "hovertemplate": hover,
            "name": "Contours",
            "showlegend": False,
        },
        {
            "type": "scattergeo",
            "mode": "markers",
            "marker": {"color": HALO_COLOUR},
            "hoverinfo": "skip",
            "showlegend": False,
            "name": "Contour des disques",
        },
        {
            "type": "scattergeo",
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
            "type": "scattergeo",
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
    lon_range, lat_range = map_bounds()
    figure.update_layout(
        **base_layout(
            geo={
                "visible": False,
                "projection": {"type": "mercator"},
                # Metropolitan France and the insets' column; Plotly fits these ranges in
                # the plot area (the latitudes have room to spare: the width decides).
                "lonaxis": {"range": list(lon_range)},
                "lataxis": {"range": list(lat_range)},
                "bgcolor": "rgba(0,0,0,0)",
            },
            height=560,
            clickmode="event",
            legend={"orientation": "h", "x": 0, "y": 0, "yanchor": "top"},
        )
    )
    return figure
