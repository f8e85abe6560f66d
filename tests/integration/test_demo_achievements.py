"""The demo réalisations through the real pipeline: what the session's published snapshot
shows of them, and that territories weak on an axis find "ce que vos pairs ont fait"."""

from __future__ import annotations

from pathlib import Path

import duckdb

from schemas.vocabulary import WEAKNESS


def query(database: Path, sql: str, params=()) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()


def test_the_snapshot_publishes_the_demo_sheets_supports_and_comments(published_database):
    [(sheets, axes, authors, supports, adaptations, comments)] = query(
        published_database,
        """SELECT count(*), count(DISTINCT a.axis), count(DISTINCT s.territory),
                  sum(s.supports), sum(s.adaptations), sum(s.comments)
           FROM achievements s
           JOIN (SELECT achievement_id, min(axis) AS axis FROM achievement_axes GROUP BY 1) a
             USING (achievement_id)""",
    )
    assert (sheets, axes) == (52, 10)
    assert authors >= 30
    assert (supports, adaptations, comments) == (120, 30, 20)
    [(versions,)] = query(published_database, "SELECT count(*) FROM achievements WHERE version = 2")
    assert versions == 3


def test_most_weak_territories_find_what_their_peers_did(published_database):
    [(weak, with_examples)] = query(
        published_database,
        """SELECT count(*), count(*) FILTER (WHERE EXISTS (
                SELECT 1 FROM achievement_recommendations r
                WHERE r.millesime = p.millesime AND r.territory = p.territory
                  AND r.axis = p.axis))
           FROM axis_positions p
           WHERE p.position = ?
             AND p.millesime = (SELECT max(millesime) FROM axis_positions)""",
        [WEAKNESS],
    )
    assert weak > 0
    assert with_examples / weak >= 0.8, f"{with_examples} of {weak} weak axes"
