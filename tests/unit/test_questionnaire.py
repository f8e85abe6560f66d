"""Questionnaire v1, as data."""

from __future__ import annotations

import pytest
import yaml

from domain.questionnaire import QuestionnaireError, load_questionnaire, questions_table
from domain.settings import QUESTIONNAIRE_DIR
from tests.support.questionnaires import write_v2

QUESTIONNAIRE_PATH = QUESTIONNAIRE_DIR / "v1.yaml"


def test_ten_axes_and_about_fifty_questions(questionnaire):
    assert list(questionnaire.axes["code"]) == [
        "LAB", "EADM", "SERV", "DATA", "INFRA", "SMART", "INCL", "ENTR", "FILI", "GOUV",
    ]  # fmt: skip
    assert 45 <= len(questionnaire.questions) <= 55
    assert set(questionnaire.questions["answer_type"]) == {
        "oui_non", "echelle", "pourcentage", "nombre", "choix_multiple",
    }  # fmt: skip


def test_every_kind_is_asked_at_least_three_questions_per_axis(questionnaire):
    for kind in questionnaire.territory_kinds:
        per_axis = questionnaire.questions_for_kind(kind)["axis"].value_counts()
        assert per_axis.reindex(questionnaire.axes["code"]).min() >= 3, kind


def test_questions_table_flattens_lists(questionnaire):
    table = questions_table(questionnaire)
    assert table["asked_of"].str.match(r"^[A-Z]+(,[A-Z]+)*$").all()
    assert (table["version"] == "v1").all()


def questionnaire_with_first_question(tmp_path, **changes):
    """A copy of v1 whose first question has ``changes``."""
    document = yaml.safe_load(QUESTIONNAIRE_PATH.read_text(encoding="utf-8"))
    document["questions"][0].update(changes)
    path = tmp_path / "v1.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path


def test_a_broken_questionnaire_is_refused(tmp_path):
    with pytest.raises(
        QuestionnaireError,
        match=r"ligne \d+, questions › n° 1 \(LAB_01\) › type : valeur « texte_libre » inconnue",
    ):
        load_questionnaire(questionnaire_with_first_question(tmp_path, type="texte_libre"))


def test_a_question_on_an_unknown_axis_is_refused(tmp_path):
    with pytest.raises(ValueError, match="NOPE"):
        load_questionnaire(questionnaire_with_first_question(tmp_path, axis="NOPE"))


def test_versions_and_series_breaks(tmp_path):
    from domain.questionnaire import load_questionnaires, series_breaks

    write_v2(tmp_path)
    questionnaires = load_questionnaires(tmp_path)
    assert questionnaires.open_millesimes == (2024, 2025, 2026, 2027)
    assert questionnaires.for_millesime(2027).version == "v2"
    assert questionnaires.current.version == "v2"
    breaks = series_breaks(questionnaires).set_index("axis")
    assert bool(breaks.loc["LAB", "comparable"]), "a declared continuation keeps the series"
    assert not bool(breaks.loc["DATA", "comparable"])
    assert breaks.loc["DATA", "changes"] == "question DATA_06 ajoutée"
    assert breaks.loc["DATA", "millesime"] == 2027
    assert breaks["comparable"].sum() == 9


def test_each_millesime_is_validated_and_scored_with_its_own_version(tmp_path):
    import pandas as pd

    from domain.questionnaire import load_questionnaires
    from domain.scoring import score_by_version
    from domain.submissions.validation import validate_submission
    from pipelines.demo import demo_rows, to_csv_bytes

    write_v2(tmp_path)
    questionnaires = load_questionnaires(tmp_path)
    territories = pd.DataFrame({"code": ["DEP-13"], "kind": ["DEP"], "population": [2_000_000]})
    territory = pd.Series({"code": "DEP-13", "kind": "DEP", "population": 2_000_000})
    rows_2027 = demo_rows(territory, 2027, 0.6, questionnaires.for_millesime(2027), seed=1)
    rows_2026 = demo_rows(territory, 2026, 0.6, questionnaires.for_millesime(2026), seed=1)
    accepted = validate_submission(to_csv_bytes(rows_2027), territories, questionnaires)
    assert accepted.accepted, [i.message for i in accepted.issues if i.severity == "erreur"]
    misdated = [[r[0], "2026", *r[2:]] for r in rows_2027 if r[2] == "LAB_11"]
    wrong = validate_submission(to_csv_bytes(rows_2026 + misdated), territories, questionnaires)
    assert not wrong.accepted
    assert any("LAB_11" in i.message and "v1" in i.message for i in wrong.issues)
    both = pd.concat(
        [
            accepted.answers,
            validate_submission(to_csv_bytes(rows_2026), territories, questionnaires).answers,
        ]
    )
    scores = score_by_version(both, territories, questionnaires)
    assert set(scores.territories["millesime"]) == {2026, 2027}
    assert "LAB_11" in set(scores.questions.loc[scores.questions["millesime"] == 2027, "question"])
    assert "LAB_11" not in set(
        scores.questions.loc[scores.questions["millesime"] == 2026, "question"]
    )
