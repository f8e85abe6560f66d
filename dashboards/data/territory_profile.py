"""Fiche territoire: one territory's history, axis profile, rank, strengths and answers."""

from __future__ import annotations

from typing import Any

import pandas as pd

from dashboards.data.connection import is_na, plain, read
from schemas.vocabulary import INDEX_NODE


def territory_history(code: str) -> pd.DataFrame:
    """Global index of ``code`` across millésimes: ``millesime``, ``global_index``, level."""
    return read(
        "territory_history",
        """
        select millesime, global_index, maturity_level, maturity_label, coverage, axes_scored
        from territory_scores
        where territory = ?
        order by millesime
        """,
        [code],
    )


def axis_history(code: str) -> pd.DataFrame:
    """Axis scores of ``code`` across millésimes: ``millesime``, ``axis``, ``label``, ``score``."""
    return read(
        "axis_history",
        """
        select s.millesime, s.axis, a.label, a.position, s.score, s.coverage
        from axis_scores s
        join axes a on a.code = s.axis
        where s.territory = ?
        order by s.millesime, a.position
        """,
        [code],
    )


def peer_median_index(kind: str, millesime: int) -> float | None:
    """Median global index of the territories of ``kind`` in ``millesime``."""
    frame = read(
        "peer_median_index",
        """
        select median(s.global_index) as median_index
        from territory_scores s
        join territories t on t.code = s.territory
        where t.kind = ? and s.millesime = ?
        """,
        [kind, millesime],
    )
    value = frame.iloc[0]["median_index"]
    return None if is_na(value) else float(value)


def peer_median_history(kind: str) -> pd.DataFrame:
    """Median global index of the territories of ``kind``, by millésime."""
    return read(
        "peer_median_history",
        """
        select s.millesime, median(s.global_index) as median_index
        from territory_scores s
        join territories t on t.code = s.territory
        where t.kind = ?
        group by s.millesime
        order by s.millesime
        """,
        [kind],
    )


def axis_profile(code: str, millesime: int) -> pd.DataFrame:
    """The ten axes of ``code`` in ``millesime`` beside the median of its peers (same kind).

    One row per axis, in display order: ``axis``, ``label``, ``position``, ``score``,
    ``coverage``, ``peer_median``, ``peers_scored``. Scores are NULL where the territory did
    not answer enough; peer medians ignore NULL scores.
    """
    return read(
        "axis_profile",
        """
        with peers as (
            select s.axis, median(s.score) as peer_median, count(s.score) as peers_scored
            from axis_scores s
            join territories t on t.code = s.territory
            where s.millesime = $millesime
              and t.kind = (select kind from territories where code = $code)
            group by s.axis
        )
        select a.code as axis, a.label, a.position, s.score, s.coverage,
               p.peer_median, coalesce(p.peers_scored, 0) as peers_scored
        from axes a
        left join axis_scores s
            on s.axis = a.code and s.territory = $code and s.millesime = $millesime
        left join peers p on p.axis = a.code
        order by a.position
        """,
        {"code": code, "millesime": millesime},
    )


def territory_rank(code: str, millesime: int) -> dict[str, Any] | None:
    """Rank of ``code`` among its peers in ``millesime``, or None when it has no index.

    Keys: ``peer_group`` (kind), ``rank`` (1 = best), ``peers``, ``percentile`` (share, 0–100,
    of the other peers scoring lower), ``population_band`` (French label), ``band_rank``,
    ``band_peers``, ``band_percentile``, and the Monte Carlo ``rank_median``, ``rank_p05``
    and ``rank_p95`` (NULL when the uncertainty analysis gave no interval).
    """
    frame = read(
        "territory_rank",
        """
        select peer_group, rank, peers, percentile, population_band, band_rank, band_peers,
               band_percentile, rank_median, rank_p05, rank_p95
        from territory_ranks
        where territory = ? and millesime = ? and rank is not null
        """,
        [code, millesime],
    )
    if frame.empty:
        return None
    return {key: plain(value) for key, value in frame.iloc[0].items()}


def axis_positions(code: str, millesime: int) -> pd.DataFrame:
    """Each axis of ``code`` in ``millesime`` against the median of its peers (same kind).

    Columns: ``axis``, ``label``, ``score``, ``peer_median``, ``gap`` and ``position``
    (``STRENGTH``, ``WEAKNESS`` of :mod:`schemas.vocabulary`, or NULL: ``STRENGTH_GAP``
    points or more above / below the median), in display order.
    """
    return read(
        "axis_positions",
        """
        select p.axis, a.label, p.score, p.peer_median, p.gap, p.position
        from axis_positions p
        join axes a on a.code = p.axis
        where p.territory = ? and p.millesime = ?
        order by a.position
        """,
        [code, millesime],
    )


def peers_to_learn_from(code: str, millesime: int) -> pd.DataFrame:
    """For each weak axis of ``code`` in ``millesime``, the best territories of its kind on it.

    Columns: ``axis``, ``axis_label``, ``score`` (of ``code``), ``peer`` (territory code),
    ``peer_name``, ``peer_score``, ``peer_rank`` (1 = best); axes in display order.
    """
    return read(
        "peers_to_learn_from",
        """
        select l.axis, a.label as axis_label, l.score, l.peer,
               coalesce(t.name, l.peer) as peer_name, l.peer_score, l.peer_rank
        from peers_to_learn_from l
        join axes a on a.code = l.axis
        left join territories t on t.code = l.peer
        where l.territory = ? and l.millesime = ?
        order by a.position, l.peer_rank
        """,
        [code, millesime],
    )


def answer_contributions(code: str, millesime: int) -> pd.DataFrame:
    """Answers of ``code`` in ``millesime`` with what each brings to its axis score.

    Columns: ``axis``, ``axis_label``, ``position`` (of the axis), ``question``,
    ``question_label``, ``answer_type``, ``options`` and ``scale_labels`` (JSON text),
    ``answer``, ``score``, ``weight`` (of the question), ``weight_share`` (its share of the
    answered weight of the axis, 0–1), ``contribution`` (points of the axis score it brings)
    and ``points_lost`` (points of the axis score lost because it is below 100). The last
    three are NULL for a question without an answer, which the score leaves out.
    """
    return read(
        "answer_contributions",
        """
        select a.code as axis, a.label as axis_label, a.position, q.code as question,
               q.label as question_label, q.answer_type, q.options, q.scale_labels,
               s.answer, s.score, s.weight, c.weight_share, c.contribution, c.points_lost
        from question_scores s
        join questions q on q.code = s.question
        join axes a on a.code = q.axis
        left join score_contributions c
            on c.territory = s.territory and c.millesime = s.millesime
           and c.parent = q.axis and c.child = s.question and c.child_score is not null
        where s.territory = ? and s.millesime = ?
          and q.version = coalesce(
              (select version from methodology_versions where millesime = s.millesime),
              q.version)
        order by a.position, q.code
        """,
        [code, millesime],
    )


def index_contributions(code: str, millesime: int) -> pd.DataFrame:
    """What each axis brings to the global index of ``code`` in ``millesime``.

    Columns: ``axis``, ``weight_share`` (0–1), ``contribution`` and ``points_lost`` (points
    of the index); NULL for an axis without a score. The index is the node ``INDEX_NODE``
    of ``score_contributions`` (its children are the axes).
    """
    return read(
        "index_contributions",
        """
        select c.child as axis, c.weight_share, c.contribution, c.points_lost
        from score_contributions c
        where c.territory = ? and c.millesime = ? and c.parent = ?
          and c.child_score is not null
        """,
        [code, millesime, INDEX_NODE],
    )
