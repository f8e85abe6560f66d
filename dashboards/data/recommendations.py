"""Réalisations exemplaires linked to the scores: the sheets recommended to a territory on its
weak axes, its own published sheets, the published sheets of an axis.

Reads the published tables of the group ``achievements`` (``achievement_recommendations``,
``achievements``, ``achievement_axes``) with ``territories`` and ``axes``; like every reader
of :mod:`dashboards.data`, cached until the next publication. Only published sheets are in
these tables: the pipeline leaves the others out.
"""

from __future__ import annotations

import pandas as pd

from dashboards.data.connection import read


def peer_achievements(code: str, millesime: int) -> pd.DataFrame:
    """The sheets recommended to ``code`` in ``millesime``, for each of its weak axes.

    One row per (axis, rank), axes in display order, best rank first: ``axis``,
    ``axis_label``, ``rank``, ``achievement_id``, ``title``, ``year``, ``author`` (code),
    ``author_name``, ``author_kind``, ``author_kind_label``, ``author_population``,
    ``author_region_name``, ``author_score``, ``author_progress`` (NULL when unknown),
    ``same_kind``, ``similar_population``, ``same_region``, ``supports``, ``adaptations``.
    """
    return read(
        "peer_achievements",
        """
        select r.axis, x.label as axis_label, r.rank, r.achievement_id, a.title, a.year,
               r.author, coalesce(t.name, r.author) as author_name, t.kind as author_kind,
               t.kind_label as author_kind_label, t.population as author_population,
               g.name as author_region_name, r.author_score, r.author_progress,
               r.same_kind, r.similar_population, r.same_region,
               a.supports, a.adaptations
        from achievement_recommendations r
        join achievements a on a.achievement_id = r.achievement_id
        join axes x on x.code = r.axis
        left join territories t on t.code = r.author
        left join territories g on g.code = t.region
        where r.territory = ? and r.millesime = ?
        order by x.position, r.rank
        """,
        [code, millesime],
    )


def territory_achievements(code: str) -> pd.DataFrame:
    """The published sheets of territory ``code``, latest year first: ``achievement_id``,
    ``title``, ``year``, ``axis_labels`` (labels joined by " ; ", in display order),
    ``supports``, ``adaptations``, ``comments``."""
    return read(
        "territory_achievements",
        """
        select a.achievement_id, a.title, a.year,
               (select string_agg(x.label, ' ; ' order by x.position)
                from achievement_axes s join axes x on x.code = s.axis
                where s.achievement_id = a.achievement_id) as axis_labels,
               a.supports, a.adaptations, a.comments
        from achievements a
        where a.territory = ?
        order by a.year desc, a.title, a.achievement_id
        """,
        [code],
    )


def axis_achievements(axis: str) -> pd.DataFrame:
    """The published sheets on ``axis``, latest year first: ``achievement_id``, ``title``,
    ``year``, ``author`` (code), ``author_name``, ``author_kind_label``, ``supports``,
    ``adaptations``."""
    return read(
        "axis_achievements",
        """
        select a.achievement_id, a.title, a.year, a.territory as author,
               coalesce(t.name, a.territory) as author_name, t.kind_label as author_kind_label,
               a.supports, a.adaptations
        from achievement_axes s
        join achievements a on a.achievement_id = s.achievement_id
        left join territories t on t.code = a.territory
        where s.axis = ?
        order by a.year desc, a.title, a.achievement_id
        """,
        [axis],
    )
