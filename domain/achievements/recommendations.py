"""What peers did where a territory is weak: for each weak axis of a territory, the published
achievement sheets on that axis by territories that score well on it, closest peers first.

The rule, for each (millésime, territory, axis) where the territory's position is a weakness:
candidates are the published sheets on that axis whose author is another territory that
scores above the reader on that axis at that millésime and at or above its own kind's median
(gap ≥ 0). They are ranked by closeness to the reader (same kind, similar population — a
ratio within [0.5, 2] —, same région: one point each, most first), then by the author's
progress on the axis since the sheet's year (most first, unknown last), then by the author's
score, then by the sheet's id; the first :data:`RECOMMENDATIONS_PER_AXIS` are kept.
"""

from __future__ import annotations

import pandas as pd

from schemas.vocabulary import SHEET_PUBLISHED, WEAKNESS

#: Sheets recommended per weak axis of a territory.
RECOMMENDATIONS_PER_AXIS = 3
#: A population within this ratio of the reader's (both ways) is "comparable".
SIMILAR_POPULATION_RATIO = 2.0

#: The sentence that explains the ranking on the pages.
RANKING_EXPLANATION = (
    "Classées d'abord par proximité avec votre territoire (même type, population comparable, "
    "même région), puis selon la progression de leur auteur sur l'axe depuis la réalisation "
    "et son score actuel."
)

#: Columns of the ``achievement_recommendations`` table, in order.
RECOMMENDATION_COLUMNS = [
    "millesime",
    "territory",
    "axis",
    "rank",
    "achievement_id",
    "author",
    "author_score",
    "author_progress",
    "same_kind",
    "similar_population",
    "same_region",
]


def sheet_axes(sheets: pd.DataFrame) -> pd.DataFrame:
    """One row per (sheet, axis) of ``sheets``, whose ``axes`` are lists of axis codes or
    strings of codes joined by ``|``."""
    axes = sheets["axes"].map(
        lambda value: [a for a in value.split("|") if a] if isinstance(value, str) else list(value)
    )
    pairs = sheets[["achievement_id"]].assign(axis=axes).explode("axis")
    return pairs.dropna(subset=["axis"]).drop_duplicates().reset_index(drop=True)


def achievement_recommendations(
    sheets: pd.DataFrame,
    territories: pd.DataFrame,
    axis_positions: pd.DataFrame,
    top: int = RECOMMENDATIONS_PER_AXIS,
) -> pd.DataFrame:
    """The ``achievement_recommendations`` table: for each weak axis of each territory and
    millésime, up to ``top`` published sheets of better-scoring peers, ranked (1 = first).

    ``sheets``: the current sheets of every status (``achievement_id``, ``territory`` — the
    author —, ``status``, ``axes``, ``year``); only the published ones are recommended.
    ``territories``: ``code``, ``kind``, ``population``, ``region``. ``axis_positions``: the
    table of that name (``territory``, ``millesime``, ``axis``, ``score``, ``gap``,
    ``position``).
    """
    published = sheets.loc[sheets["status"] == SHEET_PUBLISHED]
    on_axis = sheet_axes(published).merge(
        published[["achievement_id", "territory", "year"]].rename(columns={"territory": "author"}),
        on="achievement_id",
    )
    scores = axis_positions[["territory", "millesime", "axis", "score", "gap", "position"]]
    weak = scores.loc[scores["position"] == WEAKNESS, ["territory", "millesime", "axis", "score"]]
    candidates = weak.rename(columns={"score": "reader_score"}).merge(on_axis, on="axis")
    candidates = candidates.loc[candidates["author"] != candidates["territory"]]
    author_now = scores.rename(
        columns={"territory": "author", "score": "author_score", "gap": "author_gap"}
    )[["author", "millesime", "axis", "author_score", "author_gap"]]
    candidates = candidates.merge(author_now, on=["author", "millesime", "axis"])
    candidates = candidates.loc[
        (candidates["author_score"] > candidates["reader_score"]) & (candidates["author_gap"] >= 0)
    ]
    candidates = _with_progress(candidates, scores)
    candidates = _with_closeness(candidates, territories)
    candidates["closeness"] = candidates[["same_kind", "similar_population", "same_region"]].sum(
        axis=1
    )
    ranked = candidates.sort_values(
        ["millesime", "territory", "axis", "closeness", "author_progress", "author_score",
         "achievement_id"],
        ascending=[True, True, True, False, False, False, True],
        na_position="last",
    )  # fmt: skip
    ranked["rank"] = ranked.groupby(["millesime", "territory", "axis"]).cumcount() + 1
    ranked = ranked.loc[ranked["rank"] <= top, RECOMMENDATION_COLUMNS].reset_index(drop=True)
    return ranked.astype(
        {
            "millesime": "int64",
            "rank": "int64",
            "author_score": "float64",
            "author_progress": "float64",
            "same_kind": bool,
            "similar_population": bool,
            "same_region": bool,
        }
    )


def _with_progress(candidates: pd.DataFrame, scores: pd.DataFrame) -> pd.DataFrame:
    """``author_progress``: the author's score at the millésime minus its score at the
    sheet's year; unknown (NaN) when the author was not scored that year or when the
    millésime comes before the sheet."""
    then = scores.rename(
        columns={"territory": "author", "millesime": "year", "score": "author_score_then"}
    )[["author", "year", "axis", "author_score_then"]]
    years = pd.to_numeric(candidates["year"], errors="coerce").astype("Int64")
    merged = candidates.assign(year=years).merge(then, on=["author", "year", "axis"], how="left")
    progress = merged["author_score"] - merged["author_score_then"]
    merged["author_progress"] = progress.where(merged["year"] <= merged["millesime"])
    return merged.drop(columns="author_score_then")


def _with_closeness(candidates: pd.DataFrame, territories: pd.DataFrame) -> pd.DataFrame:
    """``same_kind``, ``similar_population`` (ratio within [1/2, 2]; false when a population
    is unknown) and ``same_region`` of each author and reader."""
    reference = territories.set_index("code")[["kind", "population", "region"]]
    reader = reference.reindex(candidates["territory"]).reset_index(drop=True)
    author = reference.reindex(candidates["author"]).reset_index(drop=True)
    candidates = candidates.reset_index(drop=True)
    ratio = pd.to_numeric(author["population"], errors="coerce").astype(float) / pd.to_numeric(
        reader["population"], errors="coerce"
    ).astype(float)
    candidates["same_kind"] = (author["kind"] == reader["kind"]).fillna(False).astype(bool)
    candidates["similar_population"] = (
        ratio.between(1 / SIMILAR_POPULATION_RATIO, SIMILAR_POPULATION_RATIO)
        .fillna(False)
        .astype(bool)
    )
    candidates["same_region"] = (
        (author["region"].notna() & (author["region"] == reader["region"]))
        .fillna(False)
        .astype(bool)
    )
    return candidates
