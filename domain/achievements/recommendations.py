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

import duckdb
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


#: The rule as one query over the registered frames (``sheets`` already cut to published
#: sheets and exploded by axis): DuckDB joins, filters and keeps the first ``top`` of each
#: (millésime, territory, axis) with a window, where pandas sorted every candidate (ten
#: times slower at 35,000 territories; ``benchmarks/achievement_recommendations.py``).
_RANKING_SQL = """
WITH weak AS (
    SELECT territory, millesime, axis, score FROM positions WHERE position = $weakness
), authors AS MATERIALIZED (  -- the scores of the sheets' authors only: a few rows
    SELECT territory, millesime, axis, score, gap FROM positions
    WHERE territory IN (SELECT author FROM sheets)
), qualified AS (  -- at or above their kind's median
    SELECT territory, millesime, axis, score FROM authors WHERE gap >= 0
), candidates AS (
    SELECT w.millesime, w.territory, w.axis, s.achievement_id, s.author,
           a.score AS author_score,
           CASE WHEN TRY_CAST(s.year AS BIGINT) <= w.millesime
                THEN a.score - earlier.score END AS author_progress,
           coalesce(reader.kind = author.kind, false) AS same_kind,
           coalesce(author.population::DOUBLE / nullif(reader.population::DOUBLE, 0)
                    BETWEEN 1 / $ratio AND $ratio, false) AS similar_population,
           coalesce(reader.region = author.region, false) AS same_region
    FROM weak w
    JOIN sheets s ON s.axis = w.axis AND s.author <> w.territory
    JOIN qualified a ON a.territory = s.author AND a.millesime = w.millesime
         AND a.axis = w.axis AND a.score > w.score
    LEFT JOIN authors earlier ON earlier.territory = s.author
         AND earlier.millesime = TRY_CAST(s.year AS BIGINT) AND earlier.axis = w.axis
    LEFT JOIN territories reader ON reader.code = w.territory
    LEFT JOIN territories author ON author.code = s.author
)
SELECT millesime::BIGINT AS millesime, territory, axis,
       row_number() OVER (
           PARTITION BY millesime, territory, axis
           ORDER BY same_kind::INT + similar_population::INT + same_region::INT DESC,
                    author_progress DESC NULLS LAST, author_score DESC, achievement_id
       )::BIGINT AS rank,
       achievement_id, author, author_score::DOUBLE AS author_score,
       author_progress::DOUBLE AS author_progress, same_kind, similar_population, same_region
FROM candidates
QUALIFY rank <= $top
ORDER BY millesime, territory, axis, rank
"""


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
    ``position``). The author's progress is unknown when it was not scored the sheet's year
    or when the millésime comes before the sheet; a closeness whose population is unknown
    counts as not comparable.
    """
    published = sheets.loc[sheets["status"] == SHEET_PUBLISHED]
    on_axis = sheet_axes(published).merge(
        published[["achievement_id", "territory", "year"]].rename(columns={"territory": "author"}),
        on="achievement_id",
    )
    on_axis["year"] = pd.to_numeric(on_axis["year"], errors="coerce").astype("Int64")
    frames = {
        "sheets": on_axis[["achievement_id", "author", "axis", "year"]],
        "positions": axis_positions[
            ["territory", "millesime", "axis", "score", "gap", "position"]
        ].astype({"score": "float64", "gap": "float64", "position": "object"}),
        "territories": territories[["code", "kind", "population", "region"]].astype(
            {"population": "Float64"}
        ),
    }
    with duckdb.connect() as con:
        for name, frame in frames.items():
            con.register(name, frame)
        ranked = con.execute(
            _RANKING_SQL,
            {"weakness": WEAKNESS, "ratio": SIMILAR_POPULATION_RATIO, "top": top},
        ).df()
    return ranked[RECOMMENDATION_COLUMNS].astype(
        {"same_kind": bool, "similar_population": bool, "same_region": bool}
    )
