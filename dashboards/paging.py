"""Grids that load their rows page by page from the server (AG Grid's infinite row model).

A grid in this mode sends ``getRowsRequest`` (``startRow``, ``endRow``, ``sortModel``,
``filterModel``) each time it needs a block of rows; a callback answers in
``getRowsResponse`` with those rows, read from the published file with LIMIT/OFFSET, and
the number of rows the grid may ask for. The browser never holds more than a few blocks,
whatever the number of rows (a report of thousands of lines, ~36,000 communes).

These pure functions are shared by every such grid (the reports of the Qualité page, the
Classements grid): the grid options, the window and sort a request asks for, the response.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

#: Rows one request may ask for, whatever the browser sends.
MAX_BLOCK_ROWS = 500


@dataclass(frozen=True)
class RowWindow:
    """Rows a grid asks for: ``limit`` rows from row ``offset`` (0 for the first)."""

    offset: int
    limit: int


def infinite_grid_options(page_size: int, locale_text: dict[str, str], **options: Any) -> dict:
    """``dashGridOptions`` of a paged grid: one page of ``page_size`` rows per request, a few
    pages kept in the browser, French texts; ``options`` are added (or override)."""
    return {
        "localeText": locale_text,
        "pagination": True,
        "paginationPageSize": page_size,
        "paginationPageSizeSelector": False,
        "cacheBlockSize": page_size,
        "maxBlocksInCache": 4,
        "animateRows": False,
        "ensureDomOrder": True,
        **options,
    }


def _whole(value: Any) -> int:
    try:
        return max(int(value or 0), 0)
    except (TypeError, ValueError):
        return 0


def requested_window(request: Mapping[str, Any], max_rows: int = MAX_BLOCK_ROWS) -> RowWindow:
    """The rows a ``getRowsRequest`` asks for, at most ``max_rows`` (never negative)."""
    start = _whole(request.get("startRow"))
    end = _whole(request.get("endRow"))
    return RowWindow(offset=start, limit=min(max(end - start, 0), max_rows))


def requested_sort(request: Mapping[str, Any], columns: Mapping[str, str]) -> list[tuple[str, str]]:
    """The sort a ``getRowsRequest`` asks for, as ``(column, "asc"|"desc")`` pairs, most
    significant first; ``columns`` maps each sortable grid column id to the data's column
    name, and any other column or direction is ignored (the SQL only ever sees known names).
    """
    sort: list[tuple[str, str]] = []
    for item in request.get("sortModel") or []:
        if not isinstance(item, Mapping):
            continue
        column = columns.get(str(item.get("colId")))
        direction = item.get("sort")
        if column is not None and direction in ("asc", "desc"):
            sort.append((column, direction))
    return sort


def requested_text(request: Mapping[str, Any], column: str) -> str | None:
    """The text typed in the "contains" filter of grid column ``column`` (None when none)."""
    model = (request.get("filterModel") or {}).get(column)
    if not isinstance(model, Mapping) or model.get("filterType") != "text":
        return None
    text = str(model.get("filter") or "").strip()
    return text or None


def rows_response(rows: Sequence[dict[str, Any]], total: int) -> dict[str, Any]:
    """A ``getRowsResponse``: the rows of the block and how many rows the grid has."""
    return {"rowData": list(rows), "rowCount": int(total)}
