"""Questionnaire v1, as data."""

from __future__ import annotations

import pytest
import yaml

from assets.questionnaire import load_questionnaire, questions_table
from pipelines.settings import QUESTIONNAIRE_PATH


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


def test_a_broken_questionnaire_is_refused(tmp_path):
    document = yaml.safe_load(QUESTIONNAIRE_PATH.read_text(encoding="utf-8"))
    document["questions"][0]["type"] = "texte_libre"
    broken = tmp_path / "v1.yaml"
    broken.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    with pytest.raises(Exception, match="answer_type"):
        load_questionnaire(broken)


def test_a_question_on_an_unknown_axis_is_refused(tmp_path):
    document = yaml.safe_load(QUESTIONNAIRE_PATH.read_text(encoding="utf-8"))
    document["questions"][0]["axis"] = "NOPE"
    broken = tmp_path / "v1.yaml"
    broken.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValueError, match="NOPE"):
        load_questionnaire(broken)
