"""The ranking of peers' achievement sheets shown where a territory is weak."""

from __future__ import annotations

import pandas as pd

from domain.achievements.recommendations import RECOMMENDATION_COLUMNS, achievement_recommendations
from schemas.vocabulary import (
    SHEET_PROPOSED,
    SHEET_PUBLISHED,
    SHEET_RETURNED,
    SHEET_WITHDRAWN,
    STRENGTH,
    WEAKNESS,
)

#: The reader R is a communauté d'agglomération of 100,000 inhabitants in REG-1.
TERRITORIES = pd.DataFrame(
    [
        # code, kind, population, region
        ("R", "CA", 100_000, "REG-1"),
        ("A", "CA", 120_000, "REG-1"),  # same kind, comparable, same région: 3
        ("D", "CA", 60_000, "REG-1"),  # 3 as well
        ("C", "ME", 110_000, "REG-1"),  # other kind: 2
        ("B", "CA", 400_000, "REG-2"),  # same kind only: 1
        ("E", "CA", 100_000, "REG-1"),  # scores below the reader
        ("F", "CA", 100_000, "REG-1"),  # above the reader, below its kind's median
        ("G", "CA", None, "REG-2"),  # population unknown: same kind only
        ("H", "CA", 1_000_000, "REG-3"),  # same kind only
    ],
    columns=["code", "kind", "population", "region"],
).astype({"population": "Int64"})


def positions(rows: list[tuple]) -> pd.DataFrame:
    """An ``axis_positions`` frame from (territory, millésime, axis, score, gap, position)."""
    return pd.DataFrame(
        rows, columns=["territory", "millesime", "axis", "score", "gap", "position"]
    )


def sheets(rows: list[tuple]) -> pd.DataFrame:
    """A current-sheets frame from (achievement_id, author, status, axes, year)."""
    return pd.DataFrame(rows, columns=["achievement_id", "territory", "status", "axes", "year"])


#: Axis X, 2026: R is weak; the authors' scores and gaps to their kind's median; and the
#: authors' scores in 2025, for their progress since their sheets.
POSITIONS = positions(
    [
        ("R", 2026, "X", 30.0, -25.0, WEAKNESS),
        ("R", 2026, "Y", 70.0, 15.0, STRENGTH),
        ("A", 2026, "X", 70.0, 15.0, STRENGTH),
        ("A", 2025, "X", 65.0, 10.0, None),  # progress +5
        ("D", 2026, "X", 60.0, 5.0, None),
        ("D", 2025, "X", 40.0, -5.0, None),  # progress +20
        ("C", 2026, "X", 80.0, 20.0, STRENGTH),
        ("B", 2026, "X", 90.0, 35.0, STRENGTH),
        ("E", 2026, "X", 20.0, 0.0, None),
        ("F", 2026, "X", 50.0, -5.0, None),
        ("A", 2026, "Y", 90.0, 20.0, STRENGTH),
        ("G", 2026, "X", float("nan"), float("nan"), None),  # data insufficient
    ]
)

SHEETS = sheets(
    [
        ("A/a1", "A", SHEET_PUBLISHED, ["X"], 2025),
        ("D/d1", "D", SHEET_PUBLISHED, "X|Y", 2025),  # axes as written in a table
        ("C/c1", "C", SHEET_PUBLISHED, ["X"], 2025),
        ("B/b1", "B", SHEET_PUBLISHED, ["X"], 2025),
        ("R/r1", "R", SHEET_PUBLISHED, ["X"], 2025),  # the reader's own
        ("A/a2", "A", SHEET_PROPOSED, ["X"], 2025),
        ("A/a3", "A", SHEET_RETURNED, ["X"], 2025),
        ("A/a4", "A", SHEET_WITHDRAWN, ["X"], 2025),
        ("E/e1", "E", SHEET_PUBLISHED, ["X"], 2025),
        ("F/f1", "F", SHEET_PUBLISHED, ["X"], 2025),
        ("A/y1", "A", SHEET_PUBLISHED, ["Y"], 2025),
        ("G/g1", "G", SHEET_PUBLISHED, ["X"], 2025),
    ]
)


def recommended(found: pd.DataFrame, territory: str = "R", axis: str = "X") -> list[str]:
    rows = found.loc[(found["territory"] == territory) & (found["axis"] == axis)]
    assert rows["rank"].tolist() == list(range(1, len(rows) + 1))
    return rows["achievement_id"].tolist()


def test_closer_peers_first_then_stronger_progress_and_top_three():
    found = achievement_recommendations(SHEETS, TERRITORIES, POSITIONS)
    assert list(found.columns) == RECOMMENDATION_COLUMNS
    # D and A are as close as can be (3): D progressed more; then C (2); B (1) is fourth.
    assert recommended(found) == ["D/d1", "A/a1", "C/c1"]
    assert recommended(achievement_recommendations(SHEETS, TERRITORIES, POSITIONS, top=4)) == [
        "D/d1",
        "A/a1",
        "C/c1",
        "B/b1",
    ]
    first = found.iloc[0]
    assert (first["millesime"], first["author"], first["author_score"]) == (2026, "D", 60.0)
    assert first["author_progress"] == 20.0
    assert bool(first["same_kind"]) and bool(first["similar_population"])
    assert bool(first["same_region"])
    third = found.iloc[2]
    assert (bool(third["same_kind"]), bool(third["similar_population"])) == (False, True)


def test_own_unpublished_and_weaker_authors_sheets_are_never_shown():
    found = achievement_recommendations(SHEETS, TERRITORIES, POSITIONS, top=100)
    shown = set(found["achievement_id"])
    assert "R/r1" not in shown, "the reader's own sheet"
    assert not shown & {"A/a2", "A/a3", "A/a4"}, "proposed, returned or withdrawn sheets"
    assert "E/e1" not in shown, "an author scoring below the reader"
    assert "F/f1" not in shown, "an author below its own kind's median"
    assert "G/g1" not in shown, "an author without a score on the axis"
    assert shown == {"D/d1", "A/a1", "C/c1", "B/b1"}


def test_only_weak_axes_get_recommendations():
    found = achievement_recommendations(SHEETS, TERRITORIES, POSITIONS, top=100)
    assert set(zip(found["territory"], found["axis"], strict=True)) == {("R", "X")}
    # Once published and scored, the same sheets go nowhere when R is no longer weak on X.
    strong = POSITIONS.assign(
        position=POSITIONS["position"].where(POSITIONS["territory"] != "R", None)
    )
    assert achievement_recommendations(SHEETS, TERRITORIES, strong).empty


def test_at_equal_closeness_a_higher_score_first_and_unknown_progress_last():
    positions_ = positions(
        [
            ("R", 2026, "X", 30.0, -25.0, WEAKNESS),
            ("G", 2026, "X", 55.0, 1.0, None),
            ("H", 2026, "X", 75.0, 20.0, STRENGTH),
            ("B", 2026, "X", 50.0, 0.0, None),
            ("B", 2024, "X", 49.0, 0.0, None),
        ]
    )
    sheets_ = sheets(
        [
            ("G/g", "G", SHEET_PUBLISHED, ["X"], 2023),  # 2023 not scored: progress unknown
            ("H/h", "H", SHEET_PUBLISHED, ["X"], 2023),
            ("B/b", "B", SHEET_PUBLISHED, ["X"], 2024),  # progress +1, weakest score
        ]
    )
    found = achievement_recommendations(sheets_, TERRITORIES, positions_)
    assert recommended(found) == ["B/b", "H/h", "G/g"]
    assert found["author_progress"].isna().tolist() == [False, True, True]
    assert not found["similar_population"].any(), "unknown or far populations"


def test_a_sheet_younger_than_the_millesime_has_no_progress():
    positions_ = POSITIONS.assign(
        millesime=POSITIONS["millesime"].replace({2026: 2024, 2025: 2026})
    )
    found = achievement_recommendations(SHEETS, TERRITORIES, positions_)
    assert found["millesime"].unique().tolist() == [2024]
    assert found["author_progress"].isna().all()


def test_no_sheet_no_recommendation():
    empty = SHEETS.iloc[0:0]
    found = achievement_recommendations(empty, TERRITORIES, POSITIONS)
    assert found.empty
    assert list(found.columns) == RECOMMENDATION_COLUMNS
