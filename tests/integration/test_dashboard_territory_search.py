"""Territory dropdowns past a large reference: only the chosen territories in the page, the
others found by the server from what is typed (on the published file of a real run)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboards import components, data

pytestmark = pytest.mark.integration


def test_small_references_keep_every_option_and_large_ones_only_the_chosen(
    published_copy: Path, monkeypatch
):
    every = data.territories()
    assert len(components.territory_options()) == len(every)
    assert components.territory_search("bouches", []) is None  # all already in the page

    monkeypatch.setattr(components, "OPTIONS_IN_PAGE", 10)  # as if there were ~36,000
    assert components.territory_options([]) == []
    assert components.territory_options(["DEP-13"]) == [
        {"label": "Bouches-du-Rhône (Département)", "value": "DEP-13"}
    ]
    assert components.territory_search("b", []) is None  # one letter: nothing asked

    found = components.territory_search("BOUCHES-DU-RHÔNE", ["REG-93"])
    assert [option["value"] for option in found][:2] == ["REG-93", "DEP-13"]
    # Accents and case aside, never more than SEARCH_RESULTS.
    expected = every.loc[
        every["name"].str.lower().str.contains("saint", regex=False), "code"
    ].tolist()
    found = components.territory_search("SAÎNT", [])
    assert {option["value"] for option in found} <= set(expected)
    assert len(found) == min(len(expected), components.SEARCH_RESULTS)
