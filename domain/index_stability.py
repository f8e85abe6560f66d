"""Stability of the national index: a sharp fall of a millésime's national median between
two publications, with the same methodology version, is a sign of bad data, not of a change
in the territories' maturity."""

import os

import duckdb
import pandas as pd

#: Largest fall of a millésime's national median index accepted between two runs (points),
#: unless the millésime's methodology version changed (env ``OBSERVATOIRE_MAX_INDEX_FALL``).
DEFAULT_MAX_INDEX_FALL = 5.0


def max_index_fall() -> float:
    return float(os.environ.get("OBSERVATOIRE_MAX_INDEX_FALL") or DEFAULT_MAX_INDEX_FALL)


def national_medians(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Median global index and methodology version of each millésime."""
    return con.execute(
        """SELECT s.millesime, median(s.global_index) AS median_index, any_value(v.version) AS version
           FROM territory_scores s LEFT JOIN methodology_versions v USING (millesime)
           GROUP BY s.millesime"""
    ).df()


def unexplained_falls(before: pd.DataFrame, after: pd.DataFrame, max_fall: float) -> pd.DataFrame:
    """Millésimes whose national median fell by more than ``max_fall`` points with the same
    methodology version."""
    both = before.merge(after, on="millesime", suffixes=("_before", "_after"))
    both["fall"] = both["median_index_before"] - both["median_index_after"]
    same_method = both["version_before"].fillna("") == both["version_after"].fillna("")
    return both.loc[same_method & (both["fall"] > max_fall)]
