"""Plotly figures of the dashboard, built by pure functions from data frames.

Nothing here reads the published file: pages fetch frames through ``dashboards.data`` and
pass them in, so every figure can be checked in a unit test without a server or a browser.
Numbers shown to visitors are formatted in Python (French style) and passed as
``customdata``, rather than trusting each hover template to apply ``separators``.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboards.formatting import (
    MISSING,
    PLOTLY_SEPARATORS,
    format_integer,
    format_number,
    format_percent,
    is_missing,
)

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
INSUFFICIENT_LABEL = "Données insuffisantes"
#: Territories with no score at all for the millésime.
NO_ANSWER_COLOUR = "#ececec"
NO_ANSWER_LABEL = "Pas de réponse publiée"
#: Short plural names of the kinds of territory, for chart axes (hover gives the full name).
SHORT_KIND_LABELS = {
    "REG": "Régions",
    "DEP": "Départements",
    "ME": "Métropoles",
    "CU": "Communautés urbaines",
    "CA": "Agglomérations",
    "COM": "Communes ≥ 50 000 hab.",
}
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

#: Centre and zoom showing metropolitan France (overseas départements are off-screen).
MAP_CENTER = {"lat": 46.6, "lon": 2.4}
MAP_ZOOM = 4.3


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


def level_name(level: int | None, label: str | None) -> str:
    """Visitor-facing name of a maturity level: ``"Niveau 4 — Avancé"``."""
    if is_missing(level):
        return label if label and not is_missing(label) else NO_ANSWER_LABEL
    return f"Niveau {int(level)} — {label}"  # type: ignore[arg-type]


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


def level_distribution(scores: pd.DataFrame, levels: pd.DataFrame) -> pd.DataFrame:
    """Count the territories of each kind at each maturity level (answered territories only).

    Returns one row per (kind, level) in display order, levels 1–5 then "Données
    insuffisantes" (``level`` = 0): ``kind``, ``kind_label``, ``level``, ``label``,
    ``territories``, ``share`` (of the answered territories of that kind).
    """
    answered = scores[scores["answered"].astype(bool)].copy()
    answered["level"] = answered["maturity_level"].fillna(0).astype(int)
    categories = [(int(row.level), row.label) for row in levels.itertuples(index=False)]
    if (answered["level"] == 0).any():
        categories.append((0, INSUFFICIENT_LABEL))
    kinds = scores[["kind", "kind_label"]].drop_duplicates()
    rows = []
    for kind in kinds.itertuples(index=False):
        of_kind = answered[answered["kind"] == kind.kind]
        total = len(of_kind)
        for level, label in categories:
            count = int((of_kind["level"] == level).sum())
            rows.append(
                {
                    "kind": kind.kind,
                    "kind_label": kind.kind_label,
                    "level": level,
                    "label": label,
                    "territories": count,
                    "share": count / total if total else 0.0,
                }
            )
    return pd.DataFrame(
        rows, columns=["kind", "kind_label", "level", "label", "territories", "share"]
    )


def distribution_chart(distribution: pd.DataFrame) -> go.Figure:
    """100 % stacked horizontal bars: maturity levels (in order) within each kind of territory."""
    figure = go.Figure()
    distribution = distribution.assign(
        short_label=[
            SHORT_KIND_LABELS.get(kind, label)
            for kind, label in zip(distribution["kind"], distribution["kind_label"], strict=True)
        ]
    )
    kinds = distribution.drop_duplicates("kind")["short_label"].tolist()
    categories = distribution.drop_duplicates("level")[["level", "label"]]
    for category in categories.itertuples(index=False):
        rows = distribution[distribution["level"] == category.level]
        name = f"{category.level} {category.label}" if category.level else INSUFFICIENT_LABEL
        figure.add_trace(
            go.Bar(
                orientation="h",
                y=rows["short_label"].tolist(),
                x=(100 * rows["share"]).tolist(),
                name=name,
                marker={
                    "color": LEVEL_COLOURS.get(category.level, INSUFFICIENT_COLOUR),
                    "line": {"color": "#ffffff", "width": 1},
                },
                customdata=[
                    [row.kind_label, format_integer(row.territories), format_percent(row.share, 1)]
                    for row in rows.itertuples(index=False)
                ],
                hovertemplate=(
                    f"<b>%{{customdata[0]}}</b><br>{name} : %{{customdata[1]}} territoire(s)"
                    " (%{customdata[2]})<extra></extra>"
                ),
            )
        )
    figure.update_layout(
        **base_layout(
            barmode="stack",
            height=80 + 46 * len(kinds),
            margin={"l": 10, "r": 10, "t": 10, "b": 40},
            xaxis={"range": [0, 100], "ticksuffix": "\u00a0%", "title": None, "fixedrange": True},
            yaxis={
                "categoryorder": "array",
                "categoryarray": list(reversed(kinds)),
                "automargin": True,
                "fixedrange": True,
            },
            legend={
                "orientation": "h",
                "traceorder": "normal",
                "x": 0,
                "y": -0.12,
                "yanchor": "top",
            },
        )
    )
    return figure


def short_axis_label(code: str, label: str) -> str:
    """Name of an axis on a chart: its short name, else its label broken into lines."""
    return SHORT_AXIS_LABELS.get(code) or _wrap(label)


def _wrap(label: str, width: int = 13) -> str:
    """Break a long axis label into lines for the radar (``<br>`` between words)."""
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def radar(profile: pd.DataFrame, territory_name: str, peers_label: str) -> go.Figure:
    """Radar of the ten axis scores of a territory against the median of its peers.

    ``profile`` comes from ``data.axis_profile`` (one row per axis, in display order).
    """
    theta = [
        _wrap(short_axis_label(code, label), width=12)
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
        SHORT_KIND_LABELS.get(kind, label)
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
        **base_layout(
            barmode="stack",
            height=80 + 46 * max(len(labels), 1),
            margin={"l": 10, "r": 10, "t": 10, "b": 40},
            xaxis={
                "title": {"text": "Nombre de territoires"},
                "gridcolor": "#e5e9f0",
                "fixedrange": True,
            },
            yaxis={
                "categoryorder": "array",
                "categoryarray": list(reversed(labels)),
                "automargin": True,
                "fixedrange": True,
            },
            legend={
                "orientation": "h",
                "traceorder": "normal",
                "x": 0,
                "y": -0.2,
                "yanchor": "top",
            },
        )
    )
    return figure


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


#: Colours of the two Sobol indices (blue and orange stay apart for colour-blind eyes).
FIRST_ORDER_COLOUR = TERRITORY_COLOUR
TOTAL_COLOUR = PEER_COLOUR


def sensitivity_chart(sensitivity: pd.DataFrame) -> go.Figure:
    """Horizontal bars: share of the rank variance explained by each uncertain choice.

    ``sensitivity`` comes from ``data.rank_sensitivity`` (``label``, ``first_order``,
    ``total``, 0–1); shares are shown in per cent, first-order beside total.
    """
    labels = [_wrap(label, width=28) for label in sensitivity["label"]]
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
        **base_layout(
            barmode="group",
            height=120 + 70 * max(len(labels), 1),
            margin={"l": 10, "r": 20, "t": 10, "b": 40},
            xaxis={
                "range": [0, 100],
                "ticksuffix": "\u00a0%",
                "title": {"text": "Part de la variance des rangs"},
                "gridcolor": "#e5e9f0",
                "fixedrange": True,
            },
            yaxis={
                "categoryorder": "array",
                "categoryarray": list(reversed(labels)),
                "automargin": True,
                "fixedrange": True,
            },
            legend={"orientation": "h", "traceorder": "reversed", "x": 0, "y": -0.25},
        )
    )
    return figure


# --- Vue nationale: map by axis, markers ---------------------------------------------


# --- Classements ----------------------------------------------------------------------


# --- Comparer -------------------------------------------------------------------------

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


# --- Axes -----------------------------------------------------------------------------

#: Colour of the chosen axis among the others, and of the other axes.
CHOSEN_COLOUR = TERRITORY_COLOUR
OTHER_COLOUR = "#9ecae1"


def distribution_summary(scores: pd.DataFrame) -> pd.DataFrame:
    """Distribution of an axis score by kind of territory (``scores``: ``kind``,
    ``kind_label``, ``score``): ``scored``, ``minimum``, ``q1``, ``median``, ``q3``,
    ``maximum``, kinds in the usual order (régions first)."""
    order = list(SHORT_KIND_LABELS)
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
    for kind in SHORT_KIND_LABELS:
        rows = scores[(scores["kind"] == kind) & scores["score"].notna()]
        if rows.empty:
            continue
        figure.add_trace(
            go.Box(
                x=rows["score"].tolist(),
                name=SHORT_KIND_LABELS[kind],
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


# --- Téléchargements ------------------------------------------------------------------
