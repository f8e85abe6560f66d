"""From the contributions store to the published snapshot: the job
``publication_des_realisations`` publishes the sheets an analyst published, with their
supports, comments and the recommendations where a peer is weak; the sensor asks for it when
the store changes, and only then."""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from assets.resources import ContributionStore, SubmissionStorage
from domain.achievements.ledger import (
    ledger_version,
    record_comment,
    record_comment_review,
    record_feedback,
    record_review,
    record_sheet_version,
)
from domain.achievements.service import deposit_sheet
from domain.achievements.sheet import render_sheet_markdown
from pipelines.sensors import contributions_sensor
from schemas.vocabulary import (
    COMMENT_PUBLISHED,
    SHEET_PUBLISHED,
    SHEET_RETURNED,
    SUPPORT,
    WEAKNESS,
)
from tests.helpers import example_sheet, publish_achievements

JOB = "publication_des_realisations"


def query(database: Path, sql: str, params=()) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()


@pytest.fixture
def site(small_pipeline_run, tmp_path):
    """A copy of the small run's folder, with an empty contributions store."""
    root = tmp_path / "observatoire"
    shutil.copytree(small_pipeline_run.warehouse.parent, root)
    (root / "contributions.sqlite").unlink(missing_ok=True)
    return root


def weak_reader_and_strong_author(warehouse: Path) -> tuple[str, str, str]:
    """(reader, author, axis): the reader is weak on the axis in 2026; the author, another
    territory, scores above it and at or above its own kind's median, in 2026 and 2025."""
    return query(
        warehouse,
        """SELECT r.territory, a.territory, r.axis
           FROM axis_positions r
           JOIN axis_positions a ON a.millesime = r.millesime AND a.axis = r.axis
           JOIN axis_positions before ON before.territory = a.territory
                AND before.axis = a.axis AND before.millesime = 2025
           WHERE r.millesime = 2026 AND r.position = ? AND a.territory <> r.territory
             AND a.score > r.score AND a.gap >= 0
           ORDER BY r.territory, r.axis, a.territory LIMIT 1""",
        [WEAKNESS],
    )[0]


def test_published_sheets_feedback_and_recommendations_reach_the_snapshot(site):
    store = site / "contributions.sqlite"
    warehouse, published = site / "warehouse.duckdb", site / "published" / "observatoire.duckdb"
    reader, author, axis = weak_reader_and_strong_author(warehouse)
    shown = example_sheet(author, "projet-montre", [axis])
    hidden = example_sheet(author, "projet-propose", [axis])
    returned = example_sheet(author, "projet-a-revoir", [axis])
    for number, sheet in enumerate((shown, hidden, returned)):
        record_sheet_version(store, sheet, f"{number}" * 64, "fiche.md", "formulaire", author)
    shown_id, hidden_id, returned_id = (
        f"{author}/projet-montre",
        f"{author}/projet-propose",
        f"{author}/projet-a-revoir",
    )
    record_review(store, shown_id, 1, SHEET_PUBLISHED, "Analyste d'essai")
    record_review(store, returned_id, 1, SHEET_PUBLISHED, "Analyste d'essai")
    assert record_feedback(store, shown_id, reader, SUPPORT)
    comment = record_comment(store, shown_id, reader, "Nous aimerions en savoir plus.")
    record_comment(store, shown_id, reader, "Pas encore relu.")
    record_comment_review(store, comment, COMMENT_PUBLISHED, "Analyste d'essai")

    assert publish_achievements(site).success
    ids = {row[0] for row in query(published, "SELECT achievement_id FROM achievements")}
    assert ids == {shown_id, returned_id}, "the proposed sheet is not published"
    counts = query(
        published,
        "SELECT supports, adaptations, comments FROM achievements WHERE achievement_id = ?",
        [shown_id],
    )
    assert counts == [(1, 0, 1)]
    assert query(published, "SELECT text FROM achievement_comments") == [
        ("Nous aimerions en savoir plus.",)
    ]
    recommended = query(
        published,
        """SELECT achievement_id, author FROM achievement_recommendations
           WHERE territory = ? AND axis = ? AND millesime = 2026 ORDER BY rank""",
        [reader, axis],
    )
    assert (shown_id, author) in recommended and (hidden_id, author) not in recommended
    assert query(
        published, "SELECT count(*) FROM achievement_recommendations WHERE author = territory"
    ) == [(0,)]
    tables = {row[0] for row in query(published, "SHOW TABLES")}
    assert "achievement_history" not in tables, "the history stays in the warehouse"
    assert query(warehouse, "SELECT count(*) FROM achievement_history") == [(5,)]

    # The analyst sends one sheet back: it leaves the snapshot, its support with it.
    record_review(store, returned_id, 1, SHEET_RETURNED, "Analyste d'essai", "Chiffrez le budget.")
    assert publish_achievements(site).success
    ids = {row[0] for row in query(published, "SELECT achievement_id FROM achievements")}
    assert ids == {shown_id}
    assert returned_id not in {
        row[0] for row in query(published, "SELECT achievement_id FROM achievement_recommendations")
    }
    # The rest of the snapshot is still there.
    assert query(published, "SELECT count(*) > 0 FROM territory_scores") == [(True,)]


def test_the_sensor_asks_for_a_run_when_the_store_changes_and_not_otherwise(site):
    """Evaluated as the daemon does; the run it asks for, run with its tags, succeeds (an
    unpartitioned job: no partition range in the tags), and its own writes ask for no
    second run."""
    store = site / "contributions.sqlite"
    instance = dg.DagsterInstance.ephemeral()
    resources = {
        "storage": SubmissionStorage(
            incoming_dir=str(site / "incoming"), archive_dir=str(site / "archive")
        ),
        "contributions": ContributionStore(path=str(store)),
    }

    def tick(cursor: str | None):
        context = dg.build_sensor_context(cursor=cursor, resources=resources, instance=instance)
        return contributions_sensor.evaluate_tick(context)

    nothing = tick(None)
    assert not nothing.run_requests and nothing.skip_message, "no store, no file: no run"

    # A new instance takes the store as published (``observatoire refresh`` did it)...
    sheet = example_sheet("DEP-13", "projet-capteur", ["DATA"])
    record_sheet_version(store, sheet, "a" * 64, "fiche.md", "formulaire", "DEP-13")
    first = tick(None)
    assert not first.run_requests
    # ...then asks for a run at each change, and only then.
    record_review(store, "DEP-13/projet-capteur", 1, SHEET_PUBLISHED, "Analyste d'essai")
    decided = tick(first.cursor)
    (request,) = decided.run_requests
    assert request.tags["observatoire/version_contributions"] == str(ledger_version(store))
    assert not any(tag.startswith("dagster/asset_partition") for tag in request.tags)
    assert not tick(decided.cursor).run_requests, "nothing changed since the cursor"

    # A sheet file dropped in the inbox's folder of achievements asks for a run too.
    deposit_sheet(
        render_sheet_markdown(example_sheet("DEP-13", "projet-fichier", ["INCL"])).encode(),
        "fiche.md", "jeton DEP-13", site / "incoming", site / "archive",
    )  # fmt: skip
    dropped = tick(decided.cursor)
    (with_file,) = dropped.run_requests
    assert with_file.tags["observatoire/nouvelles_fiches"] == "1"

    # The run records the file (a write to the store) and publishes what it read: the next
    # tick, even of a daemon that lost its cursor, asks for nothing more.
    assert publish_achievements(site, with_file.tags, instance).success
    published = site / "published" / "observatoire.duckdb"
    assert query(published, "SELECT achievement_id FROM achievements") == [
        ("DEP-13/projet-capteur",)
    ]
    assert ledger_version(store) > int(with_file.tags["observatoire/version_contributions"])
    assert not tick(dropped.cursor).run_requests
    assert not tick(None).run_requests
    # A support recorded later is published by the next run, whatever the cursor...
    assert record_feedback(store, "DEP-13/projet-capteur", "REG-93", SUPPORT)
    assert len(tick(None).run_requests) == 1
    # ...once the run in flight, if there is one, is over: one run for many writes.
    running = dg.DagsterRun(job_name=JOB, status=dg.DagsterRunStatus.STARTED)
    instance.add_run(running)
    waiting = tick(dropped.cursor)
    assert not waiting.run_requests and "en cours" in waiting.skip_message
    instance.report_run_canceled(running)
    assert len(tick(dropped.cursor).run_requests) == 1


def test_sheet_files_of_the_inbox_are_recorded_not_published(site):
    """A sheet file waiting in ``incoming/realisations`` becomes a proposed version (not
    published before an analyst's review); a broken one is rejected with its report in the
    history; both leave the inbox, their bytes archived."""
    from domain.achievements.ledger import current_sheets, ledger_frames

    good = render_sheet_markdown(example_sheet("DEP-13", "projet-depose", ["INCL"])).encode()
    broken = good.replace(b"code_territoire: DEP-13", b"code_territoire: DEP-99")
    for content, name in ((good, "fiche.md"), (broken, "fiche-erronee.md")):
        deposit_sheet(content, name, "jeton DEP-13", site / "incoming", site / "archive")

    assert publish_achievements(site).success
    assert not list((site / "incoming" / "realisations").iterdir()), "the inbox is emptied"
    sheets = current_sheets(ledger_frames(site / "contributions.sqlite"))
    assert sheets[["achievement_id", "version", "status"]].values.tolist() == [
        ["DEP-13/projet-depose", 1, "proposée"]
    ]
    published = site / "published" / "observatoire.duckdb"
    assert query(published, "SELECT count(*) FROM achievements") == [(0,)]
    history = query(
        site / "warehouse.duckdb",
        "SELECT event, file_name, message FROM achievement_history ORDER BY event",
    )
    assert [row[:2] for row in history] == [("rejet", "fiche-erronee.md"), ("version", "fiche.md")]
    assert "DEP-99" in history[0][2]
    archived = {p.read_bytes() for p in (site / "archive").rglob("*.md")}
    assert {good, broken} <= archived
