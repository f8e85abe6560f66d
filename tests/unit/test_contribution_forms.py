"""The forms where territories and analysts write about achievements, as plain functions:
the sheet's form built from its schema, the upload page's sheet outcomes, the feedback on a
sheet and the analysts' review, on a real contributions store (no browser, no server)."""

from __future__ import annotations

import base64
from pathlib import Path

import duckdb
import pytest

from dashboards import ids
from dashboards.response_cache import cacheable
from domain.achievements.ledger import current_comments, current_sheets, ledger_frames
from domain.submissions.tokens import create_analyst_token, create_token
from schemas.achievement_sheet import load_sheet_schema
from tests.helpers import _component, _texts

AUTHOR, PEER = "DEP-13", "REG-93"
ANALYST = "Service des études"
AXES = [("SERV", "Services en ligne"), ("DATA", "Données")]


def pages():
    """The upload and review pages and the feedback forms (registered with the app)."""
    from dashboards import contribution_forms
    from dashboards.app import app  # noqa: F401 - pages register themselves with the app
    from dashboards.pages import depot, revue_realisations

    return depot, revue_realisations, contribution_forms


def sheet_fields(territory: str = AUTHOR, **changes: str) -> dict[str, str]:
    """The strings of a valid sheet as the form sends them."""
    fields = {
        "code_territoire": territory,
        "identifiant": "guichet-unique",
        "titre": "Un guichet numérique unique pour les démarches",
        "axes": "SERV | DATA",
        "contexte": "Des démarches dispersées entre six sites.",
        "realisation": "Un portail unique et un accueil téléphonique commun.",
        "financements": "Région : 40 % | Territoire : 60 %",
        "date_debut": "03/2025",
        "resultats": "70 % des démarches en ligne en un an.",
        "retours_experience": "Associer les agents d'accueil dès le début.",
        "transferabilite": "Convient à un département ou une métropole.",
        "contact_fonction": "Direction du numérique",
    }
    return {**fields, **changes}


@pytest.fixture
def store(tmp_path: Path, monkeypatch) -> dict[str, str]:
    """A contributions store, tokens (two territories and an analyst) and a published
    snapshot holding the territories, all under ``tmp_path``."""
    published = tmp_path / "published.duckdb"
    with duckdb.connect(str(published)) as con:
        con.execute(
            "create table territories as select * from (values ('DEP-13', 'DEP'), "
            "('REG-93', 'REG')) t(code, kind)"
        )
        con.execute(
            "create table axes as select * from (values ('SERV', 'Services en ligne', '', 1), "
            "('DATA', 'Données', '', 2)) t(code, label, description, position)"
        )
    tokens = tmp_path / "tokens.sqlite"
    for name, path in {
        "OBSERVATOIRE_PUBLISHED": published,
        "OBSERVATOIRE_TOKENS": tokens,
        "OBSERVATOIRE_CONTRIBUTIONS": tmp_path / "contributions.sqlite",
        "OBSERVATOIRE_ARCHIVE": tmp_path / "archive",
        "OBSERVATOIRE_INCIDENTS": tmp_path / "incidents.log",
        "OBSERVATOIRE_CACHE_DIR": tmp_path / "cache",
    }.items():
        monkeypatch.setenv(name, str(path))
    return {
        "author": create_token(tokens, AUTHOR).token,
        "peer": create_token(tokens, PEER).token,
        "analyst": create_analyst_token(tokens, ANALYST).token,
        "path": str(tmp_path / "contributions.sqlite"),
        "archive": str(tmp_path / "archive"),
    }


def test_the_form_has_every_field_of_the_schema_with_its_label_and_help():
    _, _, forms = pages()
    form = forms.sheet_form_fields(AXES)
    schema = load_sheet_schema()
    assert len(form) == len(schema.fields)
    for item, field in zip(form, schema.fields, strict=True):
        assert field.label in _texts(item)
        component = _component(item, {"type": ids.SHEET_FIELD, "champ": field.name})
        assert component is not None, field.name
    axes = _component(form[schema.names.index("axes")], {"type": ids.SHEET_FIELD, "champ": "axes"})
    assert [option["value"] for option in axes.options] == ["SERV", "DATA"]
    assert "Services en ligne (SERV)" in [option["label"] for option in axes.options]
    licence = _component(form[-1], {"type": ids.SHEET_FIELD, "champ": "licence"})
    assert licence.value == "Licence Ouverte 2.0"
    # What the form fills in itself is not required there.
    identifier = _texts(form[schema.names.index("identifiant")])
    assert "tiré du titre" in identifier and "obligatoire" not in identifier
    assert "(obligatoire)" in _texts(form[schema.names.index("titre")])
    # Beside check boxes, no talk of separators.
    assert "« | »" not in _texts(form[schema.names.index("axes")])


def test_form_values_become_the_strings_of_the_service():
    _, _, forms = pages()
    keys = [{"type": ids.SHEET_FIELD, "champ": name} for name in ("titre", "axes", "liens")]
    assert forms.form_strings(["  Titre ", ["SERV", "DATA"], ""], keys) == {
        "titre": "Titre",
        "axes": "SERV | DATA",
    }


def test_write_callbacks_are_never_served_from_the_cache():
    def request(identifier):
        return {"outputs": [{"id": identifier, "property": "children"}]}

    for identifier in (
        ids.SHEET_FORM_RESULT,
        ids.REVIEW_QUEUE,
        {"type": ids.FEEDBACK_RESULT, "realisation": "DEP-13/guichet-unique"},
        {"type": ids.REVIEW_SHEET_RESULT, "fiche": "DEP-13/guichet-unique"},
        {"type": ids.REVIEW_COMMENT_RESULT, "commentaire": "c-1"},
    ):
        assert not cacheable(request(identifier)), identifier
    assert cacheable(request("fiche-contenu"))


def test_a_territory_proposes_its_own_sheet_only(store):
    depot, _, _ = pages()
    refused = _texts(depot.propose_sheet(store["author"], sheet_fields(PEER)))
    assert "Fiche refusée" in refused and f"que les fiches de {AUTHOR}" in refused
    assert ledger_frames(Path(store["path"])).versions.empty

    wrong = _texts(depot.propose_sheet("pas-un-jeton", sheet_fields()))
    assert "Jeton de dépôt inconnu" in wrong

    text = _texts(depot.propose_sheet(store["author"], sheet_fields(code_territoire="")))
    assert "en attente de relecture" in text and "pas encore publique" in text, text
    assert "DEP-13/guichet-unique, version 1" in text
    sheets = current_sheets(ledger_frames(Path(store["path"])))
    assert sheets[["achievement_id", "territory", "channel", "status"]].values.tolist() == [
        ["DEP-13/guichet-unique", AUTHOR, "formulaire", "proposée"]
    ]
    again = _texts(depot.propose_sheet(store["author"], sheet_fields()))
    assert "Fiche déjà reçue" in again
    derived = sheet_fields(identifiant="", titre="Un tiers-lieu numérique")
    assert "DEP-13/un-tiers-lieu-numerique, version 1" in _texts(
        depot.propose_sheet(store["author"], derived)
    )


def test_a_sheet_with_errors_gets_a_report_naming_the_field(store):
    depot, _, _ = pages()
    shown = depot.propose_sheet(store["author"], sheet_fields(titre="", date_debut="bientôt"))
    text = _texts(shown)
    assert "Fiche à corriger" in text
    report = _texts(shown[1])
    assert "titre" in report and "date_debut" in report
    assert ledger_frames(Path(store["path"])).versions.empty

    content = b"champ;valeur\ncode_territoire;DEP-13\ntitre;Sans le reste\n"
    data_url = "data:text/csv;base64," + base64.b64encode(content).decode()
    from_file = _texts(depot.propose_sheet_file(store["author"], "fiche.csv", data_url))
    assert "Fiche à corriger" in from_file and "contexte" in from_file
    archived = [p.read_bytes() for p in Path(store["archive"]).rglob("*.csv")]
    assert archived == [content]
    assert "Aucun fichier reçu" in _texts(depot.propose_sheet_file(store["author"], "f", None))


def test_feedback_is_recorded_for_the_token_territory(store):
    depot, review, forms = pages()
    depot.propose_sheet(store["author"], sheet_fields())
    sheet = "DEP-13/guichet-unique"
    support = ids.FEEDBACK_SUPPORT

    banner, _ = forms.give_feedback(support, store["peer"], sheet, None)
    assert "n'est pas publiée" in _texts(banner) and banner.role == "alert"
    banner, done = review.decide_sheet(store["analyst"], sheet, ids.REVIEW_SHEET_PUBLISH, "", 1)
    assert done and ANALYST in _texts(banner), _texts(banner)

    banner, _ = forms.give_feedback(support, store["peer"], sheet, None)
    assert banner.role == "status" and "prochaine publication" in _texts(banner)
    banner, _ = forms.give_feedback(support, store["peer"], sheet, None)
    assert "Déjà enregistré" in _texts(banner)
    banner, _ = forms.give_feedback(ids.FEEDBACK_ADAPTATION, store["peer"], sheet, None)
    assert "adapte cette réalisation" in _texts(banner)
    banner, _ = forms.give_feedback(support, store["author"], sheet, None)
    assert banner.role == "alert" and "votre territoire" in _texts(banner)
    banner, _ = forms.give_feedback(support, "", sheet, None)
    assert "Saisissez le jeton" in _texts(banner)
    feedback = ledger_frames(Path(store["path"])).feedback
    assert sorted(feedback[["territory", "kind"]].values.tolist()) == [
        [PEER, "adaptation"],
        [PEER, "soutien"],
    ]

    banner, cleared = forms.give_feedback(
        ids.FEEDBACK_SEND_COMMENT, store["author"], sheet, "Merci aux agents d'accueil."
    )
    assert banner.role == "status" and cleared == ""
    banner, kept = forms.give_feedback(ids.FEEDBACK_SEND_COMMENT, store["peer"], sheet, "  ")
    assert banner.role == "alert"
    comments = current_comments(ledger_frames(Path(store["path"])))
    assert comments[["territory", "status"]].values.tolist() == [[AUTHOR, "proposé"]]


def test_an_analyst_reviews_sheets_and_comments(store):
    depot, review, forms = pages()
    assert "Jeton d'analyste inconnu" in _texts(review.show_queue(store["author"]))
    depot.propose_sheet(store["author"], sheet_fields())
    sheet = "DEP-13/guichet-unique"
    queue = review.show_queue(store["analyst"])
    text = _texts(queue)
    assert "1 fiche proposée, 0 commentaire en attente" in text
    assert "Direction du numérique" in text and "Région : 40\u00a0%" in text
    assert "Services en ligne (SERV) ; Données (DATA)" in text  # axes named as published

    # « À revoir » needs a message; a stale version is refused.
    banner, done = review.decide_sheet(store["analyst"], sheet, ids.REVIEW_SHEET_RETURN, " ", 1)
    assert not done and "Écrivez au territoire" in _texts(banner)
    banner, done = review.decide_sheet(store["analyst"], sheet, ids.REVIEW_SHEET_PUBLISH, "", 2)
    assert not done and "a changé" in _texts(banner)
    assert ledger_frames(Path(store["path"])).reviews.empty

    banner, done = review.decide_sheet(
        store["analyst"], sheet, ids.REVIEW_SHEET_RETURN, "Ajoutez le budget.", 1
    )
    assert done and f"« à revoir » enregistrée au nom de {ANALYST}" in _texts(banner)
    # The territory sees where its sheet stands, with the analyst's message.
    own = _texts(depot.own_sheets_view(store["author"]))
    assert "guichet-unique" in own and "à revoir" in own and "Ajoutez le budget." in own
    assert ANALYST in own
    assert "Jeton de dépôt inconnu" in _texts(depot.own_sheets_view("pas-un-jeton"))
    assert "aucune réalisation" in _texts(depot.own_sheets_view(store["peer"]))
    depot.propose_sheet(store["author"], sheet_fields(budget_euros="120 000"))
    text = _texts(review.show_queue(store["analyst"]))
    assert "Version 2" in text and "Ajoutez le budget." in text and ANALYST in text
    banner, done = review.decide_sheet(store["analyst"], sheet, ids.REVIEW_SHEET_PUBLISH, "", 2)
    assert done

    forms.give_feedback(ids.FEEDBACK_SEND_COMMENT, store["peer"], sheet, "Très utile.")
    comments = current_comments(ledger_frames(Path(store["path"])))
    comment = comments["comment_id"].iloc[0]
    assert "1 commentaire en attente" in _texts(review.show_queue(store["analyst"]))
    banner, done = review.decide_comment(store["peer"], comment, ids.REVIEW_COMMENT_PUBLISH)
    assert not done and "Jeton d'analyste inconnu" in _texts(banner)
    banner, done = review.decide_comment(store["analyst"], comment, ids.REVIEW_COMMENT_PUBLISH)
    assert done and f"« publié » enregistrée au nom de {ANALYST}" in _texts(banner)
    assert "0 fiche proposée, 0 commentaire en attente" in _texts(
        review.show_queue(store["analyst"])
    )


def test_the_review_page_is_reachable_but_not_indexed_nor_in_the_navigation(nothing_published):
    from dashboards.app import NAVIGATION, app

    client = app.server.test_client()
    review = client.get("/realisations/revue")
    assert review.status_code == 200 and review.headers["X-Robots-Tag"] == "noindex, nofollow"
    assert "X-Robots-Tag" not in client.get("/depot").headers
    assert "/realisations/revue" not in [path for _, _, path in NAVIGATION]
