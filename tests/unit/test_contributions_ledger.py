"""The contributions store: append-only, versions numbered, idempotent, safe under concurrent
writers, and the status of a sheet read from the decisions on its current version."""

from __future__ import annotations

import multiprocessing
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from domain.achievements.ledger import (
    ADAPTATION,
    COMMENT_PROPOSED,
    COMMENT_PUBLISHED,
    COMMENT_WITHDRAWN,
    SHEET_PROPOSED,
    SHEET_PUBLISHED,
    SHEET_RETURNED,
    SHEET_WITHDRAWN,
    SUPPORT,
    LedgerError,
    current_comments,
    current_sheet,
    current_sheets,
    ledger_frames,
    ledger_version,
    record_comment,
    record_comment_review,
    record_feedback,
    record_rejected_sheet,
    record_review,
    record_sheet_version,
)
from domain.submissions.report import ValidationIssue


def a_sheet(territory: str = "DEP-13", identifier: str = "tiers-lieu", **fields) -> dict:
    """A sheet as the reading of a file gives it (the contract's field names)."""
    return {
        "code_territoire": territory,
        "identifiant": identifier,
        "titre": "Un tiers-lieu numérique dans chaque canton",
        "axes": ["INCL", "LAB"],
        "questions": [],
        "contexte": "Peu de lieux d'accès au numérique hors des villes.",
        "realisation": "Huit tiers-lieux ouverts avec des médiateurs.\nDeux par an.",
        "partenaires_publics": ["Région"],
        "financements": [{"financeur": "Région", "part": 40.0, "montant_euros": None}],
        "budget_euros": 120000.0,
        "date_debut": "2024-03",
        "date_fin": None,
        "annee": 2024,
        "licence": "Licence Ouverte 2.0",
        **fields,
    }


def test_the_store_refuses_to_update_or_delete_any_row(tmp_path):
    store = tmp_path / "contributions.sqlite"
    record_sheet_version(store, a_sheet(), "a" * 64, "fiche.md", "dépôt", "jeton DEP-13")
    record_review(store, "DEP-13/tiers-lieu", 1, SHEET_PUBLISHED, "Service études")
    record_feedback(store, "DEP-13/tiers-lieu", "REG-93", SUPPORT)
    comment = record_comment(store, "DEP-13/tiers-lieu", "REG-93", "Bravo")
    record_comment_review(store, comment, COMMENT_PUBLISHED, "Service études")
    record_rejected_sheet(store, "b" * 64, "x.csv", None, [], "boîte de dépôt", "dépôt manuel")
    con = sqlite3.connect(store)
    for table in ("sheet_versions", "sheet_reviews", "feedback", "comments", "comment_reviews",
                  "sheet_rejections"):  # fmt: skip
        with pytest.raises(sqlite3.DatabaseError, match="ajout seul"):
            con.execute(f"UPDATE {table} SET rowid = rowid")
        with pytest.raises(sqlite3.DatabaseError, match="ajout seul"):
            con.execute(f"DELETE FROM {table}")
    assert con.execute("SELECT count(*) FROM sheet_versions").fetchone() == (1,)
    assert con.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_versions_are_numbered_and_the_same_bytes_are_recorded_once(tmp_path):
    store = tmp_path / "contributions.sqlite"
    assert ledger_version(store) == 0 and not store.exists()
    first = record_sheet_version(store, a_sheet(), "1" * 64, "v1.md", "dépôt", "jeton DEP-13")
    after_first = ledger_version(store)
    again = record_sheet_version(store, a_sheet(), "1" * 64, "copie.md", "dépôt", "jeton DEP-13")
    assert (first.version, first.created) == (1, True)
    assert (again.version, again.created, again.file_name) == (1, False, "v1.md")
    assert ledger_version(store) == after_first, "nothing written for the same bytes"
    second = record_sheet_version(
        store, a_sheet(titre="Nouveau titre"), "2" * 64, "v2.md", "formulaire", "jeton DEP-13"
    )
    other = record_sheet_version(
        store, a_sheet(identifier="autre"), "2" * 64, "v2.md", "dépôt", "jeton DEP-13"
    )
    assert (second.version, other.version) == (2, 1)
    assert ledger_version(store) > after_first
    frames = ledger_frames(store)
    assert frames.versions[["achievement_id", "version"]].values.tolist() == [
        ["DEP-13/tiers-lieu", 1], ["DEP-13/tiers-lieu", 2], ["DEP-13/autre", 1],
    ]  # fmt: skip
    current = current_sheets(frames).set_index("achievement_id")
    assert current.loc["DEP-13/tiers-lieu", "titre"] == "Nouveau titre"
    assert current.loc["DEP-13/tiers-lieu", "axes"] == ["INCL", "LAB"]
    assert current.loc["DEP-13/tiers-lieu", "realisation"].endswith("\nDeux par an.")


def test_every_row_keeps_its_author_and_utc_time(tmp_path):
    store = tmp_path / "contributions.sqlite"
    paris_noon = datetime(2026, 3, 2, 12, 0, tzinfo=datetime.now(UTC).astimezone().tzinfo)
    record_sheet_version(
        store, a_sheet(), "1" * 64, "v1.md", "dépôt", "jeton DEP-13", received_at=paris_noon
    )
    record_review(
        store, "DEP-13/tiers-lieu", 1, SHEET_RETURNED, "Service études", "Chiffrez les résultats."
    )
    frames = ledger_frames(store)
    assert frames.versions.loc[0, "received_at"] == paris_noon.astimezone(UTC).replace(tzinfo=None)
    review = frames.reviews.iloc[0]
    assert review["author"] == "Service études"
    assert abs(datetime.now(UTC).replace(tzinfo=None) - review["decided_at"]).total_seconds() < 600
    with pytest.raises(sqlite3.IntegrityError):
        record_sheet_version(store, a_sheet(), "3" * 64, "v.md", "dépôt", author="")


def test_the_status_is_the_latest_decision_on_the_current_version(tmp_path):
    store = tmp_path / "contributions.sqlite"
    sheet_id = "DEP-13/tiers-lieu"
    record_sheet_version(store, a_sheet(), "1" * 64, "v1.md", "dépôt", "jeton DEP-13")
    assert current_sheet(store, sheet_id)["status"] == SHEET_PROPOSED
    with pytest.raises(LedgerError, match="message"):
        record_review(store, sheet_id, 1, SHEET_RETURNED, "Service études", "  ")
    record_review(store, sheet_id, 1, SHEET_RETURNED, "Service études", "Ajoutez le budget.")
    returned = current_sheet(store, sheet_id)
    assert (returned["status"], returned["decision_message"]) == (
        SHEET_RETURNED,
        "Ajoutez le budget.",
    )
    record_sheet_version(store, a_sheet(budget_euros=9.0), "2" * 64, "v2.md", "dépôt", "jeton")
    assert current_sheet(store, sheet_id)["status"] == SHEET_PROPOSED, "a new version waits"
    record_review(store, sheet_id, 2, SHEET_PUBLISHED, "Service études")
    published = current_sheet(store, sheet_id)
    assert published["status"] == SHEET_PUBLISHED and published["version"] == 2
    assert published["published_at"] == published["decided_at"]
    record_review(store, sheet_id, 1, SHEET_WITHDRAWN, "Service études")  # an old version
    assert current_sheet(store, sheet_id)["status"] == SHEET_PUBLISHED
    record_review(store, sheet_id, 2, SHEET_WITHDRAWN, "Service études")
    withdrawn = current_sheet(store, sheet_id)
    assert withdrawn["status"] == SHEET_WITHDRAWN
    assert withdrawn["published_at"] == published["published_at"]
    # Every decision stays in the history, with its author and time.
    assert ledger_frames(store).reviews["status"].tolist() == [
        SHEET_RETURNED, SHEET_PUBLISHED, SHEET_WITHDRAWN, SHEET_WITHDRAWN,
    ]  # fmt: skip
    with pytest.raises(LedgerError, match="Aucune version 3"):
        record_review(store, sheet_id, 3, SHEET_PUBLISHED, "Service études")
    with pytest.raises(LedgerError, match="Décision inconnue"):
        record_review(store, sheet_id, 2, SHEET_PROPOSED, "Service études")
    assert current_sheet(store, "DEP-13/inconnue") is None


def test_feedback_is_unique_per_territory_sheet_and_kind(tmp_path):
    store = tmp_path / "contributions.sqlite"
    record_sheet_version(store, a_sheet(), "1" * 64, "v1.md", "dépôt", "jeton DEP-13")
    assert record_feedback(store, "DEP-13/tiers-lieu", "REG-93", SUPPORT)
    assert not record_feedback(store, "DEP-13/tiers-lieu", "REG-93", SUPPORT)
    assert record_feedback(store, "DEP-13/tiers-lieu", "REG-93", ADAPTATION)
    with pytest.raises(LedgerError, match="Fiche inconnue"):
        record_feedback(store, "DEP-13/autre", "REG-93", SUPPORT)
    with pytest.raises(LedgerError, match="Retour inconnu"):
        record_feedback(store, "DEP-13/tiers-lieu", "REG-93", "like")
    assert len(ledger_frames(store).feedback) == 2


def test_comment_status_follows_its_latest_review(tmp_path):
    store = tmp_path / "contributions.sqlite"
    record_sheet_version(store, a_sheet(), "1" * 64, "v1.md", "dépôt", "jeton DEP-13")
    first = record_comment(store, "DEP-13/tiers-lieu", "REG-93", "  Quel coût par lieu ?  ")
    second = record_comment(store, "DEP-13/tiers-lieu", "DEP-06", "Nous l'adaptons.")
    assert (first, second) == ("com-1", "com-2")
    record_comment_review(store, first, COMMENT_PUBLISHED, "Service études")
    record_comment_review(store, first, COMMENT_WITHDRAWN, "Service études")
    record_comment_review(store, second, COMMENT_PUBLISHED, "Service études")
    with pytest.raises(LedgerError, match="Commentaire inconnu"):
        record_comment_review(store, "com-9", COMMENT_PUBLISHED, "Service études")
    comments = current_comments(ledger_frames(store)).set_index("comment_id")
    assert comments.loc[first, "text"] == "Quel coût par lieu ?"
    assert comments.loc[first, "status"] == COMMENT_WITHDRAWN
    assert comments.loc[first, "published_at"] < comments.loc[first, "decided_at"]
    assert comments.loc[second, "status"] == COMMENT_PUBLISHED
    fresh = record_comment(store, "DEP-13/tiers-lieu", "DEP-06", "Encore")
    assert current_comments(ledger_frames(store)).set_index("comment_id").loc[fresh, "status"] == (
        COMMENT_PROPOSED
    )


def test_a_missing_store_reads_as_empty_frames_with_their_columns(tmp_path):
    frames = ledger_frames(tmp_path / "absent.sqlite")
    assert list(frames.versions.columns)[:3] == ["achievement_id", "version", "territory"]
    assert current_sheets(frames).empty and current_comments(frames).empty
    assert not (tmp_path / "absent.sqlite").exists()


WRITES_PER_PROCESS = 100


def _write_many(store: str, territory: str, rounds) -> None:
    """One writer process, each round begun with the other (``rounds``, a barrier), so that
    both ask for the write lock at once: a support per sheet, then comments, and every fifth
    round a support both processes attempt (only the first may win) and a version of a
    sheet both processes write."""
    for round_ in range(WRITES_PER_PROCESS):
        rounds.wait()
        if round_ < 5:
            record_feedback(Path(store), f"DEP-13/fiche-{round_}", territory, SUPPORT)
        else:
            record_comment(Path(store), "DEP-13/fiche-0", territory, f"{territory} {round_}")
        if round_ % 5 == 0:
            record_feedback(Path(store), "DEP-13/fiche-1", "REG-93", ADAPTATION)
            record_sheet_version(
                Path(store), a_sheet(identifier="partagee"), f"{territory}{round_}", "v.md",
                "dépôt", f"jeton {territory}",
            )  # fmt: skip


def test_concurrent_writers_lose_nothing_and_keep_uniqueness(tmp_path):
    store = tmp_path / "contributions.sqlite"
    for n in range(5):
        record_sheet_version(store, a_sheet(identifier=f"fiche-{n}"), f"{n}" * 64, "f.md", "d", "a")
    context = multiprocessing.get_context("fork")  # no imports to wait for: both write at once
    territories = ("DEP-06", "DEP-83")
    rounds = context.Barrier(len(territories), timeout=60)
    writers = [
        context.Process(target=_write_many, args=(str(store), territory, rounds))
        for territory in territories
    ]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()
    assert [writer.exitcode for writer in writers] == [0, 0]
    frames = ledger_frames(store)
    supports = frames.feedback.loc[frames.feedback["kind"] == SUPPORT]
    assert len(supports) == 2 * 5 and not supports.duplicated().any()
    assert (frames.feedback["kind"] == ADAPTATION).sum() == 1, "one adaptation per territory"
    comments = 2 * (WRITES_PER_PROCESS - 5)
    assert len(frames.comments) == comments and frames.comments["comment_id"].is_unique
    assert set(frames.comments["text"]) == {
        f"{t} {r}" for t in territories for r in range(5, WRITES_PER_PROCESS)
    }
    rounds_written = frames.comments["text"].str.split().str[1].astype(int)
    assert rounds_written.is_monotonic_increasing, "the two writers took turns, round by round"
    shared = frames.versions.loc[frames.versions["achievement_id"] == "DEP-13/partagee"]
    versions = 2 * WRITES_PER_PROCESS // 5
    assert sorted(shared["version"]) == list(range(1, versions + 1)), "no number twice"
    assert ledger_version(store) == 5 + 2 * 5 + 1 + comments + versions


def test_issues_of_a_rejected_sheet_are_kept_in_french(tmp_path):
    store = tmp_path / "contributions.sqlite"
    issue = ValidationIssue(
        None, "titre", None, "", "erreur", "Champ « titre » obligatoire : donnez un titre."
    )
    record_rejected_sheet(store, "c" * 64, "fiche.csv", "DEP-13", [issue], "dépôt", "jeton DEP-13")
    rejection = ledger_frames(store).rejections.iloc[0]
    assert rejection["territory"] == "DEP-13"
    assert "« titre » obligatoire" in rejection["issues_json"]
