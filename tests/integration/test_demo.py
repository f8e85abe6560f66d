"""The demo generator, once its files are scored: plausible (deterministic: tests/unit)."""

from __future__ import annotations

import duckdb


def test_maturity_progresses_and_grows_with_size(pipeline_run):
    with duckdb.connect(str(pipeline_run.published), read_only=True) as con:
        medians = dict(
            con.execute(
                "SELECT millesime, median(global_index) FROM territory_scores GROUP BY ALL"
            ).fetchall()
        )
        size_correlation = con.execute(
            """SELECT corr(s.global_index, ln(t.population))
               FROM territory_scores s JOIN territories t ON t.code = s.territory
               WHERE t.kind = 'DEP' AND s.millesime = 2026"""
        ).fetchone()[0]
        unanswered = con.execute(
            "SELECT count(*) FROM question_scores WHERE score IS NULL"
        ).fetchone()[0]
    assert medians[2026] > medians[2025]
    assert size_correlation > 0.1
    assert unanswered > 0
