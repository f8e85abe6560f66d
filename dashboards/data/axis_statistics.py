"""Axes: one axis across territories, its national medians and its questions' spread."""

from __future__ import annotations

import pandas as pd

from dashboards.data.connection import read


def axis_distribution(axis: str, millesime: int) -> pd.DataFrame:
    """Score of ``axis`` of every territory scored in ``millesime``: ``code``, ``name``,
    ``kind``, ``kind_label``, ``score`` (NULL when too few answers)."""
    return read(
        "axis_distribution",
        """
        select t.code, t.name, t.kind, t.kind_label, s.score
        from axis_scores s join territories t on t.code = s.territory
        where s.axis = ? and s.millesime = ?
        order by s.score desc nulls last, t.name
        """,
        [axis, millesime],
    )


def axis_medians(millesime: int) -> pd.DataFrame:
    """National median of each axis in ``millesime``: ``axis``, ``label``, ``median``,
    ``scored`` (territories with a score), in display order."""
    return read(
        "axis_medians",
        """
        select a.code as axis, a.label, a.position, median(s.score) as median,
               count(s.score) as scored
        from axes a left join axis_scores s on s.axis = a.code and s.millesime = ?
        group by all order by a.position
        """,
        [millesime],
    )


def question_spread(axis: str, millesime: int) -> pd.DataFrame:
    """Scores of the questions of ``axis`` in ``millesime``, one row per territory and
    question: ``question``, ``label``, ``territory``, ``score`` (questions of the millésime's
    own questionnaire version)."""
    return read(
        "question_spread",
        """
        select s.question, q.label, s.territory, s.score
        from question_scores s
        join methodology_versions v on v.millesime = s.millesime
        join questions q on q.code = s.question and q.version = v.version
        where s.axis = ? and s.millesime = ?
        """,
        [axis, millesime],
    )
