"""Grids paged by the server: the window, sort and filter a grid's request asks for."""

from __future__ import annotations

from dashboards.data.ranking import SORTABLE, order_by
from dashboards.paging import (
    MAX_BLOCK_ROWS,
    RowWindow,
    infinite_grid_options,
    requested_sort,
    requested_text,
    requested_window,
    rows_response,
)


def test_the_window_is_bounded_and_never_negative():
    assert requested_window({"startRow": 100, "endRow": 150}) == RowWindow(100, 50)
    assert requested_window({"startRow": 0, "endRow": 10**9}) == RowWindow(0, MAX_BLOCK_ROWS)
    assert requested_window({"startRow": -5, "endRow": -1}) == RowWindow(0, 0)
    assert requested_window({"startRow": "x"}) == RowWindow(0, 0)
    assert requested_window({}) == RowWindow(0, 0)


def test_only_known_columns_and_directions_reach_the_sort():
    columns = {"territoire": "name", "population": "population"}
    request = {
        "sortModel": [
            {"colId": "population", "sort": "desc"},
            {"colId": "territoire", "sort": "asc"},
            {"colId": "name; drop table territories", "sort": "asc"},
            {"colId": "territoire", "sort": "sideways"},
            "junk",
        ]
    }
    assert requested_sort(request, columns) == [("population", "desc"), ("name", "asc")]
    assert requested_sort({}, columns) == []


def test_the_order_by_puts_missing_values_where_the_grid_does_and_ends_on_unique_keys():
    clause = order_by([("population", "asc"), ("DATA", "desc"), ("evil", "asc")], ["DATA"])
    assert clause == (
        '"population" asc nulls first, "DATA" desc nulls last, name collate nocase, code'
    )
    assert order_by([], []) == "name collate nocase, code"
    assert "evil" not in order_by([("evil", "asc")], [])
    assert set(SORTABLE) >= {"name", "global_index", "rank", "change"}


def test_the_text_filter_is_read_from_the_filter_model():
    request = {"filterModel": {"territoire": {"filterType": "text", "filter": "  Lyon "}}}
    assert requested_text(request, "territoire") == "Lyon"
    assert requested_text({"filterModel": {"territoire": {"filter": ""}}}, "territoire") is None
    assert requested_text({}, "territoire") is None


def test_grid_options_and_response_shapes():
    options = infinite_grid_options(50, {"page": "Page"}, tooltipShowDelay=300)
    assert options["cacheBlockSize"] == options["paginationPageSize"] == 50
    assert options["tooltipShowDelay"] == 300
    assert rows_response([{"a": 1}], 7) == {"rowData": [{"a": 1}], "rowCount": 7}
