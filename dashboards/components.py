"""Small layout pieces shared by the pages: notices, KPI cards, accessible tables, graphs."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlencode

import dash
import plotly.graph_objects as go
from dash import dcc, html

from dashboards.figures import GRAPH_CONFIG


def notice(message: str, *, error: bool = False) -> html.Div:
    """A message for visitors (``role=alert`` for problems, ``role=status`` otherwise)."""
    return html.Div(
        html.P(message),
        className="notice notice-error" if error else "notice",
        role="alert" if error else "status",
    )


def kpi_card(label: str, value: str, detail: str | None = None) -> html.Div:
    """A headline figure: label above, big value, optional detail below."""
    children: list[Any] = [
        html.P(label, className="kpi-label"),
        html.P(value, className="kpi-value"),
    ]
    if detail:
        children.append(html.P(detail, className="kpi-detail"))
    return html.Div(children, className="kpi")


@dataclass(frozen=True)
class Column:
    """A column of :func:`data_table`: its header, the row key and how to show the value."""

    header: str
    key: str
    format: Callable[[Any], str] = str
    numeric: bool = False


def data_table(
    caption: str, columns: Sequence[Column], rows: Sequence[dict[str, Any]], **props: Any
) -> html.Table:
    """A plain HTML table with a caption and column headers (the accessible twin of a chart)."""
    header = html.Thead(
        html.Tr(
            [
                html.Th(column.header, scope="col", className="num" if column.numeric else None)
                for column in columns
            ]
        )
    )
    body = html.Tbody(
        [
            html.Tr(
                [
                    html.Td(
                        column.format(row.get(column.key)),
                        className="num" if column.numeric else None,
                    )
                    for column in columns
                ]
            )
            for row in rows
        ]
    )
    return html.Table([html.Caption(caption), header, body], className="data-table", **props)


def details_children(summary: str, table: html.Table | None) -> list[Any]:
    """Content of :func:`table_details`, for callbacks that replace the table."""
    return [html.Summary(summary), html.Div(table, className="table-scroll")]


def table_details(summary: str, table: html.Table | None, **props: Any) -> html.Details:
    """A collapsible block holding the table version of a chart."""
    return html.Details(details_children(summary, table), **props)


def graph(component_id: str, figure: go.Figure | dict[str, Any], label: str) -> html.Div:
    """A Plotly graph with the project's config (no Plotly logo), named for screen readers.

    The data of every chart are also given as a table next to it (see :func:`data_table`).
    """
    return html.Div(
        dcc.Graph(id=component_id, figure=figure, config=GRAPH_CONFIG, className="graph"),
        role="figure",
        **{"aria-label": label},
    )


def parse_millesime(value: Any, available: Sequence[int]) -> int | None:
    """The millésime asked for in a URL if it is published, else the latest one (or None)."""
    try:
        asked = int(value)
    except (TypeError, ValueError):
        asked = None
    if asked in available:
        return asked
    return max(available) if available else None


def query_string(**parameters: Any) -> str:
    """A URL query string (``?a=1&b=2``) of the parameters that are not None."""
    kept = {key: value for key, value in parameters.items() if value not in (None, "")}
    return f"?{urlencode(kept)}" if kept else ""


def query_parameters(search: str | None) -> dict[str, str]:
    """Parse ``?a=1&b=2`` into ``{"a": "1", "b": "2"}`` (last value wins)."""
    parsed = parse_qs((search or "").lstrip("?"))
    return {key: values[-1] for key, values in parsed.items()}


#: Path of the fiche territoire page.
FICHE_PATH = "/territoire"


def fiche_href(code: str, millesime: int | None = None) -> str:
    """Link to the fiche of territory ``code`` (for ``millesime`` when given)."""
    return dash.get_relative_path(FICHE_PATH) + query_string(code=code, millesime=millesime)
