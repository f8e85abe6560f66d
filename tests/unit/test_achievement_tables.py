"""The published tables of the achievements: only published sheets, their counts, comments
filtered, the history kept apart; the pandera models accept what the tables hold."""

from __future__ import annotations

import json

import duckdb
import pandas as pd
import pytest

from domain.achievements.tables import (
    DECISION_EVENT,
    REJECTION_EVENT,
    TABLE_COLUMNS,
    VERSION_EVENT,
    achievement_tables,
    empty_table,
    funding_text,
    write_achievement_tables,
)
from schemas.achievements import (
    AchievementAxisSchema,
    AchievementCommentSchema,
    AchievementFeedbackSchema,
    AchievementFundingSchema,
    AchievementSchema,
)
from schemas.vocabulary import (
    ADAPTATION,
    COMMENT_PROPOSED,
    COMMENT_PUBLISHED,
    COMMENT_WITHDRAWN,
    SHEET_PROPOSED,
    SHEET_PUBLISHED,
    SHEET_RETURNED,
    SUPPORT,
)


def sheet(territory: str, identifier: str, **fields) -> dict:
    """A complete sheet dict as the sheet reader returns it."""
    return {
        "code_territoire": territory,
        "identifiant": identifier,
        "titre": f"Réalisation {identifier}",
        "axes": ["DATA", "GOUV"],
        "questions": ["DATA_01"],
        "contexte": "Contexte et objectifs.",
        "realisation": "Ce qui a été fait,\nsur deux lignes.",
        "partenaires_publics": ["Région", "Département"],
        "partenaires_academiques": [],
        "partenaires_prives": ["Entreprise locale"],
        "partenaires_associatifs": [],
        "budget_euros": 120000.0,
        "financements": [
            {"financeur": "Région", "part": 40.0, "montant_euros": None},
            {"financeur": "FEDER", "part": 30.0, "montant_euros": 36000.0},
            {"financeur": "Ville", "part": None, "montant_euros": None},
        ],
        "date_debut": "2024-03",
        "date_fin": None,
        "annee": 2025,
        "resultats": "12 jeux de données ouverts.",
        "retours_experience": "Commencer petit.",
        "transferabilite": "Une personne à mi-temps.",
        "territoires_cibles": ["CA", "ME"],
        "cout_adaptation_euros": 30000.0,
        "liens": ["https://exemple.fr/a", "https://exemple.fr/b"],
        "contact_fonction": "Direction du numérique",
        "licence": "Licence Ouverte 2.0",
        **fields,
    }


def current_row(sheet_: dict, status: str, version: int = 1, published_at=None) -> dict:
    """A row of the current sheets as the store gives it."""
    return {
        "achievement_id": f"{sheet_['code_territoire']}/{sheet_['identifiant']}",
        "version": version,
        "territory": sheet_["code_territoire"],
        "sha256": "0" * 64,
        "file_name": "fiche.md",
        "channel": "formulaire",
        "author": sheet_["code_territoire"],
        "received_at": "2026-03-01T10:00:00+00:00",
        "sheet_json": json.dumps(sheet_, ensure_ascii=False),
        "status": status,
        "published_at": published_at,
    }


PUBLISHED_ID, PROPOSED_ID, RETURNED_ID = "DEP-13/portail-donnees", "DEP-59/fablab", "REG-93/wifi"

CURRENT = pd.DataFrame(
    [
        current_row(sheet("DEP-13", "portail-donnees"), SHEET_PUBLISHED, 2, "2026-03-02T09:00:00Z"),
        current_row(sheet("DEP-59", "fablab"), SHEET_PROPOSED),
        current_row(sheet("REG-93", "wifi"), SHEET_RETURNED),
    ]
)
FEEDBACK = pd.DataFrame(
    [
        (PUBLISHED_ID, "DEP-59", SUPPORT, "2026-03-03T08:00:00Z"),
        (PUBLISHED_ID, "REG-93", SUPPORT, "2026-03-03T09:00:00Z"),
        (PUBLISHED_ID, "REG-93", ADAPTATION, "2026-03-03T09:01:00Z"),
        (RETURNED_ID, "DEP-13", SUPPORT, "2026-03-01T11:00:00Z"),  # the sheet was published then
    ],
    columns=["achievement_id", "territory", "kind", "recorded_at"],
)
COMMENTS = pd.DataFrame(
    [
        ("c1", PUBLISHED_ID, "DEP-59", "Très utile.", "2026-03-03T08:00:00Z", COMMENT_PUBLISHED),
        ("c2", PUBLISHED_ID, "REG-93", "À relire.", "2026-03-03T08:05:00Z", COMMENT_PROPOSED),
        ("c3", PUBLISHED_ID, "REG-94", "Hors sujet.", "2026-03-03T08:06:00Z", COMMENT_WITHDRAWN),
        ("c4", RETURNED_ID, "DEP-13", "Bravo.", "2026-03-01T12:00:00Z", COMMENT_PUBLISHED),
    ],
    columns=["comment_id", "achievement_id", "territory", "text", "recorded_at", "status"],
)
COMMENT_REVIEWS = pd.DataFrame(
    [
        ("c1", COMMENT_PUBLISHED, "Analyste", "2026-03-04T10:00:00Z"),
        ("c3", COMMENT_WITHDRAWN, "Analyste", "2026-03-04T10:00:00Z"),
        ("c4", COMMENT_PUBLISHED, "Analyste", "2026-03-01T13:00:00Z"),
    ],
    columns=["comment_id", "status", "author", "decided_at"],
)
VERSIONS = pd.DataFrame(
    [
        (PUBLISHED_ID, 1, "DEP-13", "1" * 64, "fiche.csv", "dépôt", "DEP-13", "2026-03-01T09:00:00Z"),
        (PUBLISHED_ID, 2, "DEP-13", "2" * 64, "fiche.md", "formulaire", "DEP-13", "2026-03-01T10:00:00Z"),
        (RETURNED_ID, 1, "REG-93", "3" * 64, "fiche.xlsx", "dépôt", "REG-93", "2026-03-01T10:30:00Z"),
    ],
    columns=["achievement_id", "version", "territory", "sha256", "file_name", "channel", "author",
             "received_at"],
)  # fmt: skip
REVIEWS = pd.DataFrame(
    [
        (PUBLISHED_ID, 2, SHEET_PUBLISHED, "", "Analyste", "2026-03-02T09:00:00Z"),
        (RETURNED_ID, 1, SHEET_RETURNED, "Précisez le budget.", "Analyste", "2026-03-02T09:30:00Z"),
    ],
    columns=["achievement_id", "version", "status", "message", "author", "decided_at"],
)
REJECTIONS = pd.DataFrame(
    [
        (
            "4" * 64, "fiche.csv", "DEP-13", "dépôt", "DEP-13", "2026-02-28T10:00:00Z",
            json.dumps([{"field": "titre", "message": "Le champ « titre » est vide."}]),
        )
    ],
    columns=["sha256", "file_name", "territory", "channel", "author", "received_at", "issues_json"],
)  # fmt: skip


@pytest.fixture(scope="module")
def tables():
    return achievement_tables(
        CURRENT, COMMENTS, FEEDBACK, VERSIONS, REVIEWS, REJECTIONS, COMMENT_REVIEWS
    )


def test_only_published_sheets_leave_with_their_counts(tables):
    achievements = tables.achievements
    assert achievements["achievement_id"].tolist() == [PUBLISHED_ID]
    row = achievements.iloc[0]
    assert (row["supports"], row["adaptations"], row["comments"]) == (2, 1, 1)
    assert row["version"] == 2
    assert row["published_at"] == pd.Timestamp("2026-03-02 09:00:00")
    assert row["submitted_at"] == pd.Timestamp("2026-03-01 10:00:00")
    assert list(achievements.columns) == list(TABLE_COLUMNS["achievements"])


def test_sheet_fields_become_columns(tables):
    row = tables.achievements.iloc[0]
    assert (row["territory"], row["identifier"], row["title"]) == (
        "DEP-13",
        "portail-donnees",
        "Réalisation portail-donnees",
    )
    assert row["axes"] == "DATA|GOUV"
    assert row["partners_public"] == "Région ; Département"
    assert row["partners_academic"] == ""
    assert row["funding"] == "Région : 40 % ; FEDER : 30 % (36 000 €) ; Ville"
    assert row["links"] == "https://exemple.fr/a\nhttps://exemple.fr/b"
    assert row["description"] == "Ce qui a été fait,\nsur deux lignes."
    assert row["target_kinds"] == "CA|ME"
    assert row["year"] == 2025
    assert row["end_date"] is None
    assert tables.achievement_axes.values.tolist() == [
        [PUBLISHED_ID, "DATA"],
        [PUBLISHED_ID, "GOUV"],
    ]
    fundings = tables.achievement_fundings
    assert fundings["funder"].tolist() == ["Région", "FEDER", "Ville"]
    assert fundings["amount_euros"].tolist()[1] == 36000.0


def test_feedback_and_comments_of_published_sheets_only(tables):
    assert set(tables.achievement_feedback["achievement_id"]) == {PUBLISHED_ID}
    assert len(tables.achievement_feedback) == 3
    comments = tables.achievement_comments
    assert comments["comment_id"].tolist() == ["c1"], "proposed, withdrawn, of a hidden sheet"
    assert comments["published_at"].tolist() == [pd.Timestamp("2026-03-04 10:00:00")]


def test_history_keeps_every_version_decision_and_rejection(tables):
    history = tables.achievement_history
    assert history["event"].tolist() == [
        REJECTION_EVENT,
        VERSION_EVENT,
        VERSION_EVENT,
        VERSION_EVENT,
        DECISION_EVENT,
        DECISION_EVENT,
    ]
    returned = history.loc[history["status"] == SHEET_RETURNED].iloc[0]
    assert (returned["territory"], returned["message"]) == ("REG-93", "Précisez le budget.")
    assert history.iloc[0]["message"] == "Le champ « titre » est vide."


def test_tables_match_their_models(tables):
    for schema, frame in (
        (AchievementSchema, tables.achievements),
        (AchievementAxisSchema, tables.achievement_axes),
        (AchievementFundingSchema, tables.achievement_fundings),
        (AchievementFeedbackSchema, tables.achievement_feedback),
        (AchievementCommentSchema, tables.achievement_comments),
    ):
        schema.validate(frame, lazy=True)


def test_a_sheet_funded_over_a_whole_is_refused_by_its_model(tables):
    over = tables.achievement_fundings.assign(share_percent=[60.0, 50.0, None])
    with pytest.raises(Exception, match="100"):
        AchievementFundingSchema.validate(over)


def test_funding_text_in_french():
    assert funding_text([{"financeur": "Région", "part": 12.5, "montant_euros": 1_500_000}]) == (
        "Région : 12,5 % (1 500 000 €)"
    )
    assert funding_text([{"financeur": "Ville", "part": None, "montant_euros": 20000}]) == (
        "Ville : 20 000 €"
    )


def test_written_tables_keep_their_types_when_empty(tables):
    con = duckdb.connect()
    empty = {name: empty_table(name) for name in TABLE_COLUMNS}
    write_achievement_tables(con, empty)
    types = dict(
        con.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_name = 'achievements'"
        ).fetchall()
    )
    assert types["published_at"] == "TIMESTAMP" and types["supports"] == "BIGINT"
    assert types["title"] == "VARCHAR"
    write_achievement_tables(con, tables.as_dict())
    title, published_at = con.execute("SELECT title, published_at FROM achievements").fetchone()
    assert title == "Réalisation portail-donnees"
    assert str(published_at) == "2026-03-02 09:00:00"


def test_tables_from_the_real_store(tmp_path):
    """Through the contributions store: a sheet published then given a second version is
    hidden until that version is reviewed; supports and comments follow their sheet."""
    from domain.achievements.ledger import (
        current_comments,
        current_sheets,
        ledger_frames,
        record_comment,
        record_comment_review,
        record_feedback,
        record_rejected_sheet,
        record_review,
        record_sheet_version,
    )
    from domain.submissions.report import ValidationIssue

    store = tmp_path / "contributions.sqlite"
    first, other = sheet("DEP-13", "portail-donnees"), sheet("DEP-59", "fablab")
    record_sheet_version(store, first, "1" * 64, "fiche.md", "formulaire", "DEP-13")
    record_sheet_version(store, other, "2" * 64, "fiche.csv", "dépôt", "DEP-59")
    record_review(store, PUBLISHED_ID, 1, SHEET_PUBLISHED, "Analyste")
    record_review(store, PROPOSED_ID, 1, SHEET_PUBLISHED, "Analyste")
    assert record_feedback(store, PUBLISHED_ID, "DEP-59", SUPPORT)
    assert not record_feedback(store, PUBLISHED_ID, "DEP-59", SUPPORT)
    shown = record_comment(store, PUBLISHED_ID, "DEP-59", "Très utile.")
    record_comment(store, PUBLISHED_ID, "REG-93", "Pas encore relu.")
    record_comment_review(store, shown, COMMENT_PUBLISHED, "Analyste")
    issue = ValidationIssue(None, "titre", None, "", "erreur", "Le champ « titre » est vide.")
    record_rejected_sheet(store, "3" * 64, "fiche.csv", "DEP-13", [issue], "dépôt", "DEP-13")

    def tables_now():
        frames = ledger_frames(store)
        return achievement_tables(
            current_sheets(frames),
            current_comments(frames),
            frames.feedback,
            frames.versions,
            frames.reviews,
            frames.rejections,
            frames.comment_reviews,
        )

    tables = tables_now()
    by_id = tables.achievements.set_index("achievement_id")
    assert by_id.loc[PUBLISHED_ID, ["supports", "comments"]].tolist() == [1, 1]
    assert tables.achievement_comments["text"].tolist() == ["Très utile."]
    AchievementSchema.validate(tables.achievements)
    assert "Le champ « titre » est vide." in tables.achievement_history["message"].tolist()

    # A second version of DEP-59's sheet: proposed again, gone from the published tables.
    record_sheet_version(
        store, {**other, "titre": "Fablab, v2"}, "4" * 64, "f.md", "formulaire", "DEP-59"
    )
    tables = tables_now()
    assert tables.achievements["achievement_id"].tolist() == [PUBLISHED_ID]
    assert (tables.achievement_history["event"] == VERSION_EVENT).sum() == 3
    AchievementCommentSchema.validate(tables.achievement_comments)


def test_tables_of_a_store_that_does_not_exist(tmp_path):
    from domain.achievements.ledger import current_comments, current_sheets, ledger_frames

    frames = ledger_frames(tmp_path / "absent.sqlite")
    tables = achievement_tables(
        current_sheets(frames),
        current_comments(frames),
        frames.feedback,
        frames.versions,
        frames.reviews,
        frames.rejections,
        frames.comment_reviews,
    )
    assert all(frame.empty for frame in tables.as_dict().values())
    con = duckdb.connect()
    write_achievement_tables(con, tables.as_dict())
    assert con.execute("SELECT count(*) FROM achievement_history").fetchone() == (0,)
