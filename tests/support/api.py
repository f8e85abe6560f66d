"""HTTP calls to the API of a running dashboard server, for the tests (``requests``, no
retries: a test sees exactly what the server answered)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import requests

#: Seconds a test waits for an answer before failing (a hung server, not a slow one).
TIMEOUT = 60


def api_get(
    base_url: str,
    path: str,
    params: Mapping[str, Any] | list[tuple[str, Any]] | None = None,
    headers: Mapping[str, str] | None = None,
) -> requests.Response:
    """``GET base_url + path`` (``path`` from the root: ``/api/v1/indices``)."""
    return requests.get(
        base_url + path, params=params, headers=dict(headers or {}), timeout=TIMEOUT
    )
