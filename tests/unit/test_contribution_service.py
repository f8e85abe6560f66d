"""The contribution service: a territory's token writes only as its territory, analysts alone
decide, every sheet's bytes are archived before they are read, a sheet with errors gets a
French report naming the field, and the history keeps every version and decision."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from domain.achievements.ledger import ledger_frames
from domain.achievements.references import SheetReferences
from domain.achievements.service import (
    ALREADY_RECORDED,
    HAND_COPIED_AUTHOR,
    RECORDED,
    comment_sheet,
    deposit_sheet,
    propose_sheet_file,
    receive_waiting_sheets,
    review_comment,
    review_queue,
    review_sheet,
    submit_sheet_file,
    submit_sheet_form,
    support_sheet,
    territory_sheets,
)
from domain.submissions.archive import archive_path_of
from domain.submissions.tokens import create_analyst_token, create_token
from schemas.vocabulary import (
    ADAPTATION,
    COMMENT_PUBLISHED,
    REFUSED,
    REJECTED,
    SHEET_PROPOSED,
    SHEET_PUBLISHED,
    SHEET_RETURNED,
    SHEET_WITHDRAWN,
    SUPPORT,
)

AXES = ("LAB", "EADM", "SERV", "DATA", "INFRA", "SMART", "INCL", "ENTR", "FILI", "GOUV")

#: The fields of a complete sheet, as a territory types them in the template.
FIELDS = {
    "identifiant": "tiers-lieux-ruraux",
    "titre": "Des tiers-lieux numériques dans les bourgs",
    "axes": "INCL | LAB",
    "contexte": "Peu de lieux d'accès au numérique hors des villes alors que les démarches passent en ligne.",
    "realisation": "Huit tiers-lieux ouverts avec des médiateurs numériques, deux par an.",
    "partenaires_publics": "Région | Communes",
    "budget_euros": "120 000",
    "financements": "Région : 40 % | Département : 60 %",
    "date_debut": "03/2024",
    "resultats": "4 500 personnes accompagnées la première année.",
    "retours_experience": "Recruter les médiateurs avant d'ouvrir les lieux.",
    "transferabilite": "Convient aux départements ruraux disposant de locaux communaux.",
    "contact_fonction": "Direction du numérique",
}


def sheet_csv(territory: str, **changes: str) -> bytes:
    """A sheet file in the template's two columns (``champ;valeur``), UTF-8."""
    fields = {"code_territoire": territory, **FIELDS, **changes}
    lines = ["champ;valeur"] + [f"{name};{value}" for name, value in fields.items()]
    return ("\n".join(lines) + "\n").encode("utf-8")


@pytest.fixture
def references(territories, questionnaire) -> SheetReferences:
    return SheetReferences(
        dict(zip(territories["code"], territories["kind"], strict=True)),
        AXES,
        set(questionnaire.questions["code"]),
    )


@pytest.fixture
def places(tmp_path, monkeypatch) -> dict[str, Path]:
    """Every store of the service in a folder of the test."""
    paths = {
        "OBSERVATOIRE_TOKENS": tmp_path / "tokens.sqlite",
        "OBSERVATOIRE_CONTRIBUTIONS": tmp_path / "contributions.sqlite",
        "OBSERVATOIRE_ARCHIVE": tmp_path / "archive",
        "OBSERVATOIRE_INCOMING": tmp_path / "incoming",
        "OBSERVATOIRE_INCIDENTS": tmp_path / "incidents.log",
    }
    for name, path in paths.items():
        monkeypatch.setenv(name, str(path))
    return paths


@pytest.fixture
def tokens(places) -> dict[str, str]:
    store = places["OBSERVATOIRE_TOKENS"]
    return {
        "DEP-13": create_token(store, "DEP-13").token,
        "DEP-06": create_token(store, "DEP-06").token,
        "analyste": create_analyst_token(store, "Service des études").token,
    }


def published_sheet(tokens, references, territory: str = "DEP-13") -> str:
    """Propose a sheet of ``territory`` and publish it; its identifier."""
    outcome = submit_sheet_file(
        sheet_csv(territory), "fiche.csv", tokens[territory], references=references
    )
    assert outcome.status == SHEET_PROPOSED, outcome.issues
    decided = review_sheet(tokens["analyste"], outcome.achievement_id, SHEET_PUBLISHED)
    assert decided.status == RECORDED, decided.message
    return outcome.achievement_id


def test_a_token_of_a_cannot_write_a_sheet_of_b(places, tokens, references):
    content = sheet_csv("DEP-06")
    outcome = submit_sheet_file(content, "fiche.csv", tokens["DEP-13"], references=references)
    assert outcome.status == REFUSED
    assert "DEP-06" in outcome.message and "DEP-13" in outcome.message
    frames = ledger_frames(places["OBSERVATOIRE_CONTRIBUTIONS"])
    assert frames.versions.empty, "no sheet of DEP-06 written with DEP-13's token"
    assert frames.rejections[["territory", "author"]].values.tolist() == [
        ["DEP-13", "jeton DEP-13"]
    ]
    form = submit_sheet_form(
        {**FIELDS, "code_territoire": "DEP-06"}, tokens["DEP-13"], references=references
    )
    assert form.status == REFUSED and "DEP-06" in form.message
    assert ledger_frames(places["OBSERVATOIRE_CONTRIBUTIONS"]).versions.empty


def test_a_token_of_a_cannot_support_as_b(places, tokens, references):
    sheet = published_sheet(tokens, references, "DEP-13")
    own = support_sheet(tokens["DEP-13"], sheet, SUPPORT)
    assert own.status == REFUSED and "votre territoire" in own.message
    assert support_sheet(tokens["DEP-06"], sheet, SUPPORT).status == RECORDED
    assert support_sheet(tokens["DEP-06"], sheet, SUPPORT).status == ALREADY_RECORDED
    assert support_sheet(tokens["DEP-06"], sheet, ADAPTATION).status == RECORDED
    assert support_sheet("jeton-inventé", sheet, SUPPORT).status == REFUSED
    feedback = ledger_frames(places["OBSERVATOIRE_CONTRIBUTIONS"]).feedback
    assert feedback[["territory", "kind"]].values.tolist() == [
        ["DEP-06", SUPPORT],
        ["DEP-06", ADAPTATION],
    ], "recorded for the token's territory only, once each"


def test_a_token_of_a_cannot_comment_as_b(places, tokens, references):
    sheet = published_sheet(tokens, references, "DEP-13")
    outcome = comment_sheet(tokens["DEP-06"], sheet, "  Quel coût par tiers-lieu ?  ")
    assert outcome.status == RECORDED
    assert comment_sheet("jeton-inventé", sheet, "Anonyme").status == REFUSED
    assert comment_sheet(tokens["DEP-06"], sheet, "   ").status == REFUSED
    comments = ledger_frames(places["OBSERVATOIRE_CONTRIBUTIONS"]).comments
    assert comments[["territory", "text"]].values.tolist() == [
        ["DEP-06", "Quel coût par tiers-lieu ?"]
    ]


def test_only_published_sheets_get_supports_and_comments(places, tokens, references):
    proposed = submit_sheet_file(
        sheet_csv("DEP-13"), "fiche.csv", tokens["DEP-13"], references=references
    )
    assert support_sheet(tokens["DEP-06"], proposed.achievement_id, SUPPORT).status == REFUSED
    assert comment_sheet(tokens["DEP-06"], proposed.achievement_id, "Bravo").status == REFUSED
    assert support_sheet(tokens["DEP-06"], "DEP-13/inconnue", SUPPORT).status == REFUSED
    frames = ledger_frames(places["OBSERVATOIRE_CONTRIBUTIONS"])
    assert frames.feedback.empty and frames.comments.empty


def test_a_published_sheet_awaiting_its_new_version_still_gets_supports_and_comments(
    places, tokens, references
):
    sheet = published_sheet(tokens, references, "DEP-13")
    second = submit_sheet_file(
        sheet_csv("DEP-13", titre="Des tiers-lieux dans chaque bourg"), "v2.csv",
        tokens["DEP-13"], references=references,
    )  # fmt: skip
    assert (second.status, second.version) == (SHEET_PROPOSED, 2)
    assert support_sheet(tokens["DEP-06"], sheet, SUPPORT).status == RECORDED
    review_sheet(tokens["analyste"], sheet, SHEET_RETURNED, "Chiffrez le budget.")
    assert comment_sheet(tokens["DEP-06"], sheet, "Quel budget ?").status == RECORDED
    # The territory and the analysts still see the latest version and its status.
    own = territory_sheets(tokens["DEP-13"])
    assert own[["version", "status"]].values.tolist() == [[2, SHEET_RETURNED]]
    review_sheet(tokens["analyste"], sheet, SHEET_WITHDRAWN)
    withdrawn = support_sheet(tokens["DEP-06"], sheet, ADAPTATION)
    assert withdrawn.status == REFUSED and "n'est pas publiée" in withdrawn.message
    frames = ledger_frames(places["OBSERVATOIRE_CONTRIBUTIONS"])
    assert frames.feedback["kind"].tolist() == [SUPPORT]
    assert frames.comments["text"].tolist() == ["Quel budget ?"]


def test_only_analysts_review_sheets_and_comments(places, tokens, references):
    proposed = submit_sheet_file(
        sheet_csv("DEP-13"), "fiche.csv", tokens["DEP-13"], references=references
    )
    sheet = proposed.achievement_id
    for token in (tokens["DEP-13"], "", "jeton-inventé"):
        assert review_sheet(token, sheet, SHEET_PUBLISHED).status == REFUSED
        assert review_queue(token) is None
    assert ledger_frames(places["OBSERVATOIRE_CONTRIBUTIONS"]).reviews.empty
    queue = review_queue(tokens["analyste"])
    assert queue[["item", "achievement_id", "version"]].values.tolist() == [["fiche", sheet, 1]]
    assert queue.loc[0, "sheet"]["titre"] == FIELDS["titre"]
    review_sheet(tokens["analyste"], sheet, SHEET_PUBLISHED)
    comment_sheet(tokens["DEP-06"], sheet, "Bravo")
    queue = review_queue(tokens["analyste"])
    assert queue["item"].tolist() == ["commentaire"]
    comment = queue.loc[0, "comment_id"]
    assert review_comment(tokens["DEP-06"], comment, COMMENT_PUBLISHED).status == REFUSED
    assert review_comment(tokens["analyste"], comment, COMMENT_PUBLISHED).status == RECORDED
    assert review_queue(tokens["analyste"]).empty
    decision = ledger_frames(places["OBSERVATOIRE_CONTRIBUTIONS"]).comment_reviews.iloc[0]
    assert decision["author"] == "Service des études"


def test_a_sheet_file_with_errors_gets_a_french_report_and_its_bytes_are_archived(
    places, tokens, references
):
    content = sheet_csv("DEP-13", titre="", budget_euros="beaucoup").replace(
        b"\n", b"\r\n"
    )  # Windows line ends, kept as sent
    outcome = submit_sheet_file(content, "ma fiche.csv", tokens["DEP-13"], references=references)
    assert outcome.status == REJECTED
    assert outcome.message.startswith("Fiche rejetée")
    fields = {issue.column for issue in outcome.issues}
    assert {"titre", "budget_euros"} <= fields, [issue.message for issue in outcome.issues]
    assert all(issue.message[0].isupper() for issue in outcome.issues)
    sha256 = hashlib.sha256(content).hexdigest()
    archived = archive_path_of(places["OBSERVATOIRE_ARCHIVE"], sha256, "ma fiche.csv")
    assert archived.read_bytes() == content
    rejection = ledger_frames(places["OBSERVATOIRE_CONTRIBUTIONS"]).rejections.iloc[0]
    assert (rejection["sha256"], rejection["file_name"]) == (sha256, "ma fiche.csv")
    assert "budget_euros" in rejection["issues_json"]


def test_a_second_version_replaces_the_first_and_both_stay_in_the_history(
    places, tokens, references
):
    first = submit_sheet_file(
        sheet_csv("DEP-13"), "v1.csv", tokens["DEP-13"], references=references
    )
    again = submit_sheet_file(
        sheet_csv("DEP-13"), "v1-copie.csv", tokens["DEP-13"], references=references
    )
    assert (again.status, again.version) == (ALREADY_RECORDED, 1)
    review_sheet(tokens["analyste"], first.achievement_id, SHEET_PUBLISHED)
    second = submit_sheet_file(
        sheet_csv("DEP-13", titre="Des tiers-lieux dans chaque bourg"), "v2.csv",
        tokens["DEP-13"], references=references,
    )  # fmt: skip
    assert (second.status, second.version) == (SHEET_PROPOSED, 2)
    assert second.achievement_id == first.achievement_id == "DEP-13/tiers-lieux-ruraux"
    frames = ledger_frames(places["OBSERVATOIRE_CONTRIBUTIONS"])
    assert frames.versions["file_name"].tolist() == ["v1.csv", "v2.csv"]
    for sha256, name in frames.versions[["sha256", "file_name"]].values:
        assert archive_path_of(places["OBSERVATOIRE_ARCHIVE"], sha256, name).exists()
    queue = review_queue(tokens["analyste"])
    assert queue.loc[0, "title"] == "Des tiers-lieux dans chaque bourg"
    assert queue.loc[0, "decision_status"] == SHEET_PUBLISHED, "the earlier decision is shown"


def test_returning_a_sheet_needs_a_message_and_every_decision_is_kept(places, tokens, references):
    sheet = submit_sheet_file(
        sheet_csv("DEP-13"), "v1.csv", tokens["DEP-13"], references=references
    ).achievement_id
    silent = review_sheet(tokens["analyste"], sheet, SHEET_RETURNED, "  ")
    assert silent.status == REFUSED and "à revoir" in silent.message
    returned = review_sheet(tokens["analyste"], sheet, SHEET_RETURNED, "Chiffrez le coût.")
    assert returned.status == RECORDED
    seen = territory_sheets(tokens["DEP-13"]).iloc[0]
    assert (seen["status"], seen["decision_message"]) == (SHEET_RETURNED, "Chiffrez le coût.")
    assert review_sheet(tokens["analyste"], sheet, SHEET_PUBLISHED, version=2).status == REFUSED
    assert review_sheet(tokens["analyste"], sheet, SHEET_PUBLISHED, version=1).status == RECORDED
    again = review_sheet(tokens["analyste"], sheet, SHEET_PUBLISHED)
    assert again.status == ALREADY_RECORDED
    assert review_sheet(tokens["analyste"], sheet, SHEET_WITHDRAWN).status == RECORDED
    own = territory_sheets(tokens["DEP-13"])
    assert own[["achievement_id", "status"]].values.tolist() == [[sheet, SHEET_WITHDRAWN]]
    assert territory_sheets(tokens["DEP-06"]).empty and territory_sheets("inventé") is None
    reviews = ledger_frames(places["OBSERVATOIRE_CONTRIBUTIONS"]).reviews
    assert reviews[["status", "message", "author"]].values.tolist() == [
        [SHEET_RETURNED, "Chiffrez le coût.", "Service des études"],
        [SHEET_PUBLISHED, "", "Service des études"],
        [SHEET_WITHDRAWN, "", "Service des études"],
    ]
    assert reviews["decided_at"].is_monotonic_increasing and reviews["decided_at"].notna().all()


def test_the_form_archives_the_sheet_as_its_markdown_file(places, tokens, references):
    from domain.achievements.sheet import read_sheet

    outcome = submit_sheet_form(FIELDS, tokens["DEP-13"], references=references)
    assert outcome.status == SHEET_PROPOSED, outcome.issues
    version = ledger_frames(places["OBSERVATOIRE_CONTRIBUTIONS"]).versions.iloc[0]
    assert (version["channel"], version["territory"]) == ("formulaire", "DEP-13")
    archived = archive_path_of(places["OBSERVATOIRE_ARCHIVE"], version["sha256"], "f.md")
    reread = read_sheet(
        archived.read_bytes(), "fiche.md", references.territories, references.axes,
        references.questions,
    )  # fmt: skip
    assert reread.accepted and reread.sheet["titre"] == FIELDS["titre"]
    wrong = submit_sheet_form({**FIELDS, "titre": ""}, tokens["DEP-13"], references=references)
    assert wrong.status == REJECTED and "titre" in {issue.column for issue in wrong.issues}


def test_the_inbox_records_sheets_and_files_copied_by_hand(places, references):
    incoming, archive = places["OBSERVATOIRE_INCOMING"], places["OBSERVATOIRE_ARCHIVE"]
    store = places["OBSERVATOIRE_CONTRIBUTIONS"]
    deposit_sheet(sheet_csv("DEP-13"), "fiche.csv", "Mission numérique", incoming, archive)
    deposit_sheet(sheet_csv("DEP-06"), "autre.csv", "jeton DEP-13", incoming, archive)
    dropped = sheet_csv("DEP-06", identifiant="sans-auteur")
    (incoming / "realisations" / "copie.csv").write_bytes(dropped)
    outcomes = receive_waiting_sheets(incoming, archive, store, references=references)
    assert [outcome.status for outcome in outcomes] == [SHEET_PROPOSED, REFUSED, SHEET_PROPOSED]
    assert not any((incoming / "realisations").iterdir()), "every file left the inbox"
    frames = ledger_frames(store)
    assert frames.versions[["achievement_id", "author"]].values.tolist() == [
        ["DEP-13/tiers-lieux-ruraux", "Mission numérique"],
        ["DEP-06/sans-auteur", HAND_COPIED_AUTHOR],
    ]
    assert len(frames.rejections) == 1
    sha256 = hashlib.sha256(dropped).hexdigest()
    assert archive_path_of(archive, sha256, "copie.csv").read_bytes() == dropped


def test_ops_propose_for_a_territory_without_a_token(places, references):
    outcome = propose_sheet_file(
        sheet_csv("DEP-13"), "fiche.csv", "exploitation (ligne de commande)",
        "ligne de commande", references=references,
    )  # fmt: skip
    assert outcome.status == SHEET_PROPOSED
    version = ledger_frames(places["OBSERVATOIRE_CONTRIBUTIONS"]).versions.iloc[0]
    assert version["author"] == "exploitation (ligne de commande)"
