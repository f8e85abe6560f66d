"""Réalisations exemplaires: the published sheets, their feedback and their authors' context.

Reads the tables the pipeline publishes from the contributions store (``achievements``,
``achievement_fundings``, ``achievement_feedback``, ``achievement_comments``) beside the
reference (``territories``, ``axes``) and the scores (``territory_scores``, through
:mod:`~dashboards.data.territory_profile`). Only published sheets and published comments are
in the snapshot: nothing here can show a sheet awaiting review. The search and the filters
are applied by DuckDB; :func:`achievement_statistics` aggregates a selection in pandas (a few
hundred rows at most).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from dashboards.data.connection import plain, query, read
from dashboards.data.territory_profile import axis_profile, territory_history
from schemas.vocabulary import POPULATION_BANDS

#: Separator of the codes in the ``axes``, ``questions`` and ``target_kinds`` columns.
CODE_SEPARATOR = "|"

# Every published sheet with its author (name, kind, population, région). The haystack is
# what the words of a search are sought in: title, texts, partners and the author's name,
# in lower case without accents.
_SHEETS_SQL = """
    select a.*, t.name as territory_name, t.kind, t.kind_label, t.population,
           t.region, r.name as region_name,
           strip_accents(lower(concat_ws(' ', a.title, a.context, a.description, a.results,
               a.lessons, a.transferability, a.partners_public, a.partners_academic,
               a.partners_private, a.partners_associative, a.funding, t.name))) as haystack
    from achievements a
    join territories t on t.code = a.territory
    left join territories r on r.code = t.region
"""

# The filters, as named parameters ($words: empty list for no search; the others NULL for
# no filter). Every word must appear in the haystack (accents and case aside).
_FILTERED = """
    where len(list_filter($words, lambda w: not contains(haystack, strip_accents(lower(w)))))
          = 0
      and ($axis is null or list_contains(string_split(axes, '|'), $axis))
      and ($kind is null or kind = $kind)
      and ($region is null or region = $region)
      and ($band_min is null or (population >= $band_min and population < $band_max))
      and ($year is null or year = $year)
"""


@dataclass(frozen=True)
class AchievementQuery:
    """What the Réalisations page asks for: words, an axis, a kind of territory, a région,
    a population band (1 … 5, the bands of :data:`~schemas.vocabulary.POPULATION_BANDS`) and
    a year; None (or nothing) for no filter."""

    text: str | None = None
    axis: str | None = None
    kind: str | None = None
    region: str | None = None
    band: int | None = None
    year: int | None = None

    def words(self) -> list[str]:
        """The words of the search, in the order typed (none for an empty search)."""
        return [word for word in (self.text or "").split() if word]

    def parameters(self) -> dict[str, Any]:
        """The named parameters of the filtered query."""
        band_min = band_max = None
        if self.band is not None and 1 <= self.band <= len(POPULATION_BANDS):
            band_min = POPULATION_BANDS[self.band - 1][0]
            band_max = POPULATION_BANDS[self.band][0] if self.band < len(POPULATION_BANDS) else 1e15
        return {
            "words": self.words(),
            "axis": self.axis,
            "kind": self.kind,
            "region": self.region,
            "band_min": band_min,
            "band_max": band_max,
            "year": self.year,
        }


def search_achievements(
    selection: AchievementQuery | None = None, *, cache: bool = True
) -> pd.DataFrame:
    """The published sheets ``selection`` selects, the most recently published first: the
    columns of the ``achievements`` table and the author's ``territory_name``, ``kind``,
    ``kind_label``, ``population``, ``region``, ``region_name``.

    ``cache=False`` runs the search without keeping it in the shared cache: for free text
    typed by outside clients (the API's ``q``), which would otherwise add an entry per
    distinct text to the cache the dashboard's expensive entries live in."""
    selection = selection or AchievementQuery()
    sql = f"""
        select * exclude (haystack) from ({_SHEETS_SQL}) {_FILTERED}
        order by published_at desc, title, achievement_id
        """
    if not cache:
        return query(sql, selection.parameters())
    return read("search_achievements", sql, selection.parameters())


def achievement(achievement_id: str) -> dict[str, Any] | None:
    """One published sheet (columns of :func:`search_achievements`) as a dict of plain
    values, or None when no published sheet has this id."""
    frame = read(
        "achievement",
        f"select * exclude (haystack) from ({_SHEETS_SQL}) where achievement_id = ?",
        [achievement_id],
    )
    if frame.empty:
        return None
    return {key: plain(value) for key, value in frame.iloc[0].items()}


def achievement_years() -> list[int]:
    """The years the published sheets describe, most recent first."""
    frame = read("achievement_years", "select distinct year from achievements order by year desc")
    return [int(year) for year in frame["year"].dropna()]


def achievement_fundings(achievement_id: str) -> pd.DataFrame:
    """Who paid for a sheet: ``funder``, ``share_percent``, ``amount_euros`` (the largest
    share first)."""
    return read(
        "achievement_fundings",
        """
        select funder, share_percent, amount_euros from achievement_fundings
        where achievement_id = ?
        order by share_percent desc nulls last, amount_euros desc nulls last, funder
        """,
        [achievement_id],
    )


def achievement_feedback(achievement_id: str) -> pd.DataFrame:
    """The territories that support a sheet or adapt it: ``kind`` (``SUPPORT`` or
    ``ADAPTATION`` of :mod:`schemas.vocabulary`), ``territory``, ``territory_name``,
    ``territory_kind_label``, ``recorded_at``; in the order they were recorded."""
    return read(
        "achievement_feedback",
        """
        select f.kind, f.territory, coalesce(t.name, f.territory) as territory_name,
               t.kind_label as territory_kind_label, f.recorded_at
        from achievement_feedback f left join territories t on t.code = f.territory
        where f.achievement_id = ?
        order by f.recorded_at, territory_name
        """,
        [achievement_id],
    )


def achievement_comments(achievement_id: str) -> pd.DataFrame:
    """The published comments of a sheet, oldest first: ``comment_id``, ``territory``,
    ``territory_name``, ``text``, ``recorded_at``, ``published_at``."""
    return read(
        "achievement_comments",
        """
        select c.comment_id, c.territory, coalesce(t.name, c.territory) as territory_name,
               c.text, c.recorded_at, c.published_at
        from achievement_comments c left join territories t on t.code = c.territory
        where c.achievement_id = ?
        order by c.recorded_at, c.comment_id
        """,
        [achievement_id],
    )


@dataclass(frozen=True)
class AuthorScores:
    """The author's scores on a sheet's axes when the sheet was written.

    ``millesime`` is the sheet's year when the author is scored in it, else the latest
    earlier millésime it was scored in, else (a sheet older than every millésime of the
    author) its first millésime after; None when the author has no score at all.
    :attr:`exact`, :attr:`later` tell which. ``axes`` has ``axis``, ``label``, ``score``,
    ``peer_median`` (of the author's kind), in the order of the sheet's axes (empty when
    ``millesime`` is None).
    """

    year: int
    millesime: int | None
    axes: pd.DataFrame

    @property
    def exact(self) -> bool:
        """Whether the scores are those of the sheet's own year."""
        return self.millesime == self.year

    @property
    def later(self) -> bool:
        """Whether the scores are those of a millésime after the sheet's year."""
        return self.millesime is not None and self.millesime > self.year


def author_scores(territory: str, axes: Sequence[str], year: int) -> AuthorScores:
    """The scores of ``territory`` on ``axes`` for ``year``: that millésime, else the
    nearest earlier one it was scored in, else the nearest later one (see
    :class:`AuthorScores`)."""
    scored = [int(m) for m in territory_history(territory)["millesime"]]
    earlier = [m for m in scored if m <= year]
    if not scored:
        empty = pd.DataFrame(columns=["axis", "label", "score", "peer_median"])
        return AuthorScores(year=year, millesime=None, axes=empty)
    millesime = max(earlier) if earlier else min(scored)
    profile = axis_profile(territory, millesime).set_index("axis")
    wanted = [axis for axis in axes if axis in profile.index]
    frame = profile.loc[wanted, ["label", "score", "peer_median"]].reset_index()
    return AuthorScores(year=year, millesime=millesime, axes=frame)


def split_codes(value: Any) -> list[str]:
    """``"LAB|DATA"`` → ``["LAB", "DATA"]`` (nothing for NULL or an empty cell)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return []
    return [code for code in str(value).split(CODE_SEPARATOR) if code]


@dataclass(frozen=True)
class AchievementStatistics:
    """Figures of a selection of sheets: totals, and the same by axis and by year.

    ``by_axis``: ``axis``, ``label``, ``sheets``, ``supports``, ``adaptations``,
    ``comments`` (every axis, in display order; a sheet counts on each of its axes).
    ``by_year``: ``year`` and the same counts, oldest first.
    """

    sheets: int
    territories: int
    supports: int
    adaptations: int
    comments: int
    by_axis: pd.DataFrame
    by_year: pd.DataFrame


_COUNTS = ["supports", "adaptations", "comments"]


def achievement_statistics(sheets: pd.DataFrame, axes: pd.DataFrame) -> AchievementStatistics:
    """Statistics of ``sheets`` (rows of :func:`search_achievements`) over ``axes`` (``code``,
    ``label``, in display order, as :func:`~dashboards.data.reference.axes` returns them)."""
    counts = sheets[_COUNTS].fillna(0).astype(int) if not sheets.empty else None
    per_axis = pd.DataFrame(
        [
            {"axis": axis, **{name: int(row[name] or 0) for name in _COUNTS}}
            for row in sheets.to_dict("records")
            for axis in split_codes(row["axes"])
        ],
        columns=["axis", *_COUNTS],
    )
    by_axis = (
        per_axis.groupby("axis")
        .agg(sheets=("axis", "size"), **{name: (name, "sum") for name in _COUNTS})
        .reindex(list(axes["code"]), fill_value=0)
        .rename_axis("axis")
        .reset_index()
    )
    by_axis.insert(1, "label", list(axes["label"]))
    by_year = (
        sheets.assign(**{name: sheets[name].fillna(0) for name in _COUNTS})
        .groupby("year")
        .agg(sheets=("achievement_id", "size"), **{name: (name, "sum") for name in _COUNTS})
        .reset_index()
        .astype(int)
        .sort_values("year")
        if not sheets.empty
        else pd.DataFrame(columns=["year", "sheets", *_COUNTS])
    )
    return AchievementStatistics(
        sheets=len(sheets),
        territories=int(sheets["territory"].nunique()),
        supports=0 if counts is None else int(counts["supports"].sum()),
        adaptations=0 if counts is None else int(counts["adaptations"].sum()),
        comments=0 if counts is None else int(counts["comments"].sum()),
        by_axis=by_axis,
        by_year=by_year,
    )
