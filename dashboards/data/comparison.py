"""Comparer: the series of the territories compared side by side."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from dashboards.data.connection import read


def index_histories(codes: Sequence[str]) -> pd.DataFrame:
    """Global index of each of ``codes`` across millésimes: ``territory``, ``millesime``,
    ``global_index``."""
    return read(
        "index_histories",
        """
        select territory, millesime, global_index from territory_scores
        where list_contains(?, territory) order by territory, millesime
        """,
        [list(codes)],
    )
