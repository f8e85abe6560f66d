"""Reference data every page reads: the publication, its millésimes, levels, axes, territories."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from dashboards.data.connection import plain, read
from dashboards.data.editions import publication_of
from schemas.vocabulary import TERRITORY_KINDS


def publication() -> dict[str, Any] | None:
    """Date, run and version of the current publication: ``{"published_at", "run_id",
    "version"}`` (``version``: ``AAAAMMJJ-HHMMSS``, the UTC second of ``published_at``), or
    None."""
    return publication_of()


def millesimes() -> list[int]:
    """Millésimes present in the publication (scores or files received), oldest first."""
    frame = read(
        "millesimes",
        """
        select millesime from territory_scores
        union
        select millesime from submission_files where millesime is not null
        order by millesime
        """,
    )
    return [int(value) for value in frame["millesime"]]


def maturity_levels(source: Path | None = None) -> pd.DataFrame:
    """The five maturity levels: ``level``, ``label``, ``min_score``, ``max_score`` (of the
    published file ``source`` when given)."""
    return read(
        "maturity_levels",
        "select level, label, min_score, max_score from maturity_levels order by level",
        source=source,
    )


def axes(source: Path | None = None) -> pd.DataFrame:
    """The ten axes in display order: ``code``, ``label``, ``description``, ``position`` (of
    the published file ``source`` when given)."""
    return read(
        "axes",
        "select code, label, description, position from axes order by position",
        source=source,
    )


def territories(source: Path | None = None) -> pd.DataFrame:
    """Every territory, ordered by kind (régions first) then name (of the published file
    ``source`` when given)."""
    return read(
        "territories",
        """
        select code, kind, kind_label, name, population, region, departement, epci,
               insee_code, longitude, latitude
        from territories
        order by list_position(?, kind), name collate nocase, code
        """,
        [list(TERRITORY_KINDS)],
        source=source,
    )


def territory(code: str) -> dict[str, Any] | None:
    """One territory as a dict (columns of ``territories``), or None when the code is unknown."""
    frame = read("territory", "select * from territories where code = ?", [code])
    if frame.empty:
        return None
    return {key: plain(value) for key, value in frame.iloc[0].items()}


def regions() -> pd.DataFrame:
    """The régions (``code``, ``name``), by name."""
    frame = territories()
    return frame.loc[frame["kind"] == "REG", ["code", "name"]].sort_values("name")
