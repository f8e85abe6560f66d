"""Reading the API's collections in tests: a call under ``/api/v1``, every page of a
collection, and values compared across JSON, CSV and data frames."""

from __future__ import annotations

import math

import requests

from tests.support.api import api_get

PREFIX = "/api/v1"


def call(
    api_url: str, path: str, params: dict | None = None, headers: dict | None = None
) -> requests.Response:
    """GET ``path`` of the API (under ``/api/v1``)."""
    return api_get(api_url, PREFIX + path, params=params, headers=headers)


def all_rows(api_url: str, path: str, params: dict) -> list[dict]:
    """Every row of a collection, page after page (``par_page`` taken from ``params``)."""
    rows: list[dict] = []
    page = 1
    while True:
        answer = call(api_url, path, {**params, "page": page})
        assert answer.status_code == 200, answer.text
        body = answer.json()
        rows.extend(body["donnees"])
        if page >= body["pagination"]["pages"]:
            return rows
        page += 1


def same(left, right) -> bool:
    """Equal values, floats to 1e-9, missing values (None, NaN, empty) alike."""
    missing = (None, "")
    if left in missing or (isinstance(left, float) and math.isnan(left)):
        return right in missing or (isinstance(right, float) and math.isnan(right))
    if isinstance(left, float) or isinstance(right, float):
        return math.isclose(float(left), float(right), rel_tol=1e-9, abs_tol=1e-9)
    return left == right
