"""Classements: every territory that answered a millésime, with its rank and axis scores.

The grid reads one page at a time (:func:`ranking_page`, :func:`ranking_count`): the
filters, the sort and the window are applied by DuckDB on the published file, so a page
costs the same with 500 territories or ~36,000 communes, and only its rows leave the
server. :func:`rankings` returns the whole table (Comparer, tests).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from dashboards.data.connection import read
from dashboards.data.national import axis_scores_of
from dashboards.data.reference import axes

# One row per scored territory of $millesime, with the index of the previous millésime it
# answered in (the columns of :func:`rankings` but the axis scores).
_RANKED_SQL = """
    with previous as (
        select s.territory, arg_max(s.global_index, s.millesime) as previous_index,
               max(s.millesime) as previous_millesime
        from territory_scores s
        where s.millesime < $millesime
        group by s.territory
    )
    select t.code, t.name, t.kind, t.kind_label, t.region, r.name as region_name,
           t.population, k.population_band,
           s.global_index, s.maturity_level, s.maturity_label, s.coverage,
           k.rank, k.peers, k.rank_p05, k.rank_p95,
           p.previous_index, p.previous_millesime,
           s.global_index - p.previous_index as change
    from territory_scores s
    join territories t on t.code = s.territory
    left join territories r on r.code = t.region
    left join territory_ranks k on k.territory = s.territory and k.millesime = s.millesime
    left join previous p on p.territory = s.territory
    where s.millesime = $millesime
"""

# The filters of the grid, as named parameters ($kinds: empty list for every kind; $region,
# $band, $text: NULL for no filter). The text is sought in the name, accents and case aside.
_FILTERED = """
    where (len($kinds) = 0 or list_contains($kinds, kind))
      and ($region is null or region = $region)
      and ($band is null or population_band = $band)
      and ($text is null or contains(strip_accents(lower(name)), strip_accents(lower($text))))
"""

#: Columns the grid may sort on, besides the axis codes.
SORTABLE = ("name", "kind_label", "region_name", "population", "global_index", "rank", "change")
#: How an axis code must look to be written into SQL as a column name.
_AXIS_CODE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class RankingQuery:
    """Which territories a page of the grid shows: kinds (empty = all), one région, one
    population band (its label), a text sought in the name."""

    millesime: int
    kinds: tuple[str, ...] = ()
    region: str | None = None
    band: str | None = None
    text: str | None = None

    def parameters(self) -> dict[str, object]:
        """The named parameters of :data:`_FILTERED`."""
        return {
            "millesime": self.millesime,
            "kinds": list(self.kinds),
            "region": self.region,
            "band": self.band,
            "text": self.text,
        }


def rankings(millesime: int) -> pd.DataFrame:
    """One row per territory that answered in ``millesime``, with everything the rankings
    grid shows: identity, région, population and band, global index and level, rank among
    its kind with the Monte Carlo 5–95 % rank interval, the index of the previous millésime
    the territory answered in and the change since, and one column per axis score."""
    frame = read(
        "rankings",
        f"{_RANKED_SQL} order by s.global_index desc nulls last, t.name",
        {"millesime": millesime},
    )
    return frame.merge(axis_scores_of(millesime), on="code", how="left")


def _axis_codes() -> list[str]:
    return [code for code in axes()["code"] if _AXIS_CODE.match(str(code))]


def order_by(sort: Sequence[tuple[str, str]], axis_codes: Sequence[str]) -> str:
    """The ORDER BY of a sort (``(column, "asc"|"desc")`` pairs): unknown columns ignored,
    missing values first when ascending and last when descending (as the grid sorts them),
    then by name and code so that pages never overlap."""
    known = set(SORTABLE) | set(axis_codes)
    terms = []
    for column, direction in sort:
        if column not in known or direction not in ("asc", "desc"):
            continue
        key = f'"{column}"'
        if column in ("name", "kind_label", "region_name"):
            key += " collate nocase"
        nulls = "nulls first" if direction == "asc" else "nulls last"
        terms.append(f"{key} {direction} {nulls}")
    return ", ".join([*terms, "name collate nocase", "code"])


def ranking_page(
    query: RankingQuery, sort: Sequence[tuple[str, str]], offset: int, limit: int
) -> pd.DataFrame:
    """``limit`` rows from row ``offset`` of the territories ``query`` keeps, in the order
    of ``sort``: the columns of :func:`rankings`, one per axis score included."""
    codes = _axis_codes()
    axis_columns = "".join(
        f""", max(score) filter (where axis = '{code}') as "{code}\"""" for code in codes
    )
    return read(
        "ranking_page",
        f"""
        with ranked as ({_RANKED_SQL}),
        axis_wide as (
            select territory as code{axis_columns}
            from axis_scores where millesime = $millesime group by territory
        )
        select ranked.*{"".join(f', a."{code}"' for code in codes)}
        from ranked left join axis_wide a using (code)
        {_FILTERED}
        order by {order_by(sort, codes)}
        limit $limit offset $offset
        """,
        {**query.parameters(), "offset": max(int(offset), 0), "limit": max(int(limit), 0)},
    )


def ranking_count(query: RankingQuery) -> tuple[int, int]:
    """How many territories ``query`` keeps, and how many were scored in its millésime."""
    frame = read(
        "ranking_count",
        f"""
        with ranked as ({_RANKED_SQL})
        select count(*) filter ({_FILTERED.strip().removeprefix("where")}) as shown,
               count(*) as total
        from ranked
        """,
        query.parameters(),
    )
    return int(frame["shown"].iloc[0]), int(frame["total"].iloc[0])
