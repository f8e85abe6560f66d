"""The methodology page without a browser: descriptions generated from the methodology files."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
import yaml
from SALib.sample import sobol as sobol_sample

import dashboards.app  # noqa: F401  (builds the app, which registers the pages)
from dashboards import data, ids
from dashboards.pages import methodologie
from domain.composite import Indicator
from domain.questionnaire import load_questionnaires
from domain.scoring import survey_methodology
from tests.helpers import _component, _rows, _texts

QUESTIONNAIRE_DIR = Path(__file__).resolve().parents[2] / "data" / "questionnaire"


@pytest.fixture(scope="module")
def current():
    questionnaire = load_questionnaires(QUESTIONNAIRE_DIR).current
    return questionnaire, survey_methodology(questionnaire)


def _rule(current, code: str) -> str:
    questionnaire, methodology = current
    question = questionnaire.questions.set_index("code").loc[code]
    return methodologie.scoring_rule(
        question["answer_type"], methodology.indicators[code], question["unit"], 100
    )


# --- How each answer type becomes a score --------------------------------------------


def test_each_answer_type_is_described_from_the_methodology(current):
    assert _rule(current, "LAB_01") == "oui → 100, non → 0"
    assert _rule(current, "LAB_02") == "niveau 0–4 → niveau / 4 × 100"
    assert _rule(current, "EADM_03") == "le pourcentage tel quel"
    assert _rule(current, "GOUV_05") == "100 − pourcentage (moins est mieux)"
    assert _rule(current, "INCL_02") == (
        "nombre de conseillers numériques pour 10\u202f000 habitants, score plein à 0,5 : "
        "taux / 0,5 × 100, plafonné à 100"
    )
    assert _rule(current, "SERV_04") == (
        "part des 6 réponses proposées cochées : nombre cochées / 6 × 100"
    )


def test_rules_follow_the_indicator_settings():
    rule = methodologie.scoring_rule
    lower_level = Indicator("Q", "Q", "scale", goal_max=4, lower_is_better=True)
    assert rule("echelle", lower_level) == "100 − niveau / 4 × 100 (moins est mieux)"
    assert rule("oui_non", Indicator("Q", "Q", "scale", lower_is_better=True)) == (
        "oui → 0, non → 100 (moins est mieux)"
    )
    count = Indicator("Q", "Q", "minmax", 0, 2, denominator="population", per=10_000)
    assert rule("nombre", count, "tiers-lieux").startswith("nombre de tiers-lieux pour 10")
    assert rule("nombre", count, "entreprises").startswith("nombre d'entreprises pour")
    # An indicator of another methodology: its normalisation, said as a formula.
    minmax = Indicator("life", "Espérance de vie", "minmax", 20, 85)
    assert rule("autre", minmax, scale=1) == ("(valeur − 20) / (85 − 20) × 1, ramené entre 0 et 1")


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0.5, "0,5"), (2.0, "2"), (10_000, "10\u202f000"), (0.25, "0,25"), (1.25, "1,25")],
)
def test_plain_numbers(value, expected):
    assert methodologie.format_plain(value) == expected


def test_who_a_question_is_asked_of(current):
    questionnaire, _ = current
    kinds = questionnaire.territory_kinds
    assert methodologie.asked_of_text(tuple(kinds), kinds) == "toutes les catégories"
    assert methodologie.asked_of_text(("REG", "DEP", "ME", "CU", "CA"), kinds) == (
        "toutes les catégories sauf : Commune de 50 000 habitants ou plus"
    )
    assert methodologie.asked_of_text(("REG",), kinds) == "Région"


def test_possible_answers_list_scale_labels_and_options(current):
    questionnaire, _ = current
    questions = questionnaire.questions.set_index("code", drop=False)
    levels = methodologie.possible_answers(questions.loc["LAB_05"].to_dict())
    assert levels[0] == "0 — Aucune expérimentation menée" and len(levels) == 5
    options = methodologie.possible_answers(questions.loc["SERV_04"].to_dict())
    assert options[0] == "Prise de rendez-vous en ligne" and len(options) == 6
    assert methodologie.possible_answers(questions.loc["LAB_01"].to_dict()) == ["oui", "non"]


def test_question_rows_cover_every_question(current):
    questionnaire, methodology = current
    rows = methodologie.question_rows(questionnaire, methodology)
    assert len(rows) == len(questionnaire.questions)
    shares = rows.groupby("axis")["axis_share"].sum()
    assert np.allclose(shares, 1.0)
    assert rows["rule"].str.len().min() > 10


def test_coverage_thresholds_and_missing_data_rules(current):
    questionnaire, methodology = current
    root = methodology.nodes[methodology.root]
    assert methodologie.coverage_text(root, "axes") == (
        "au moins 80\u00a0% du poids des axes (soit 8 sur 10 à poids égaux)"
    )
    assert methodologie.weights_text(root) == "poids égaux (1 chacun)"
    rules = methodologie.missing_data_rules(methodology, list(questionnaire.axes["code"]))
    text = " ".join(rules)
    assert "n'est pas comptée zéro" in text
    assert "au moins 50\u00a0% du poids des questions posées" in text
    assert "« Données insuffisantes »" in text
    assert "population" in text


def test_simulation_count_is_that_of_the_saltelli_sampling(current):
    questionnaire, _ = current
    settings = methodologie.uncertainty_settings(questionnaire)
    problem = {
        "num_vars": 4,
        "names": ["q0", "q1", "a0", "agg"],
        "bounds": [[0.75, 1.25]] * 3 + [[0, 1]],
        "groups": ["question_weights", "question_weights", "axis_weights", "index_aggregation"],
    }
    samples = sobol_sample.sample(problem, settings.base_samples, calc_second_order=False)
    assert methodologie.simulations_per_millesime(settings) == len(samples)


def test_maturity_level_ranges():
    assert methodologie.level_range_text(20, 40, False) == "de 20 à moins de 40"
    assert methodologie.level_range_text(80, 100, True) == "de 80 à 100"


# --- The page -------------------------------------------------------------------------


def test_the_page_works_without_a_publication(nothing_published):
    page = methodologie.layout()
    text = _texts(page)
    assert _rows(_component(page, ids.METHOD_AXES_TABLE)) == 10
    assert "Parts de variance indisponibles" in text
    assert _component(page, ids.METHOD_SENSITIVITY_TABLE) is None


@pytest.fixture
def two_versions(tmp_path, monkeypatch) -> Path:
    """A questionnaire folder with v1 and a v2 that changes a weight of the DATA axis."""
    folder = tmp_path / "questionnaire"
    folder.mkdir()
    shutil.copyfile(QUESTIONNAIRE_DIR / "v1.yaml", folder / "v1.yaml")
    document = yaml.safe_load((QUESTIONNAIRE_DIR / "v1.yaml").read_text(encoding="utf-8"))
    document["version"] = "v2"
    document["title"] = "Questionnaire — version 2"
    document["millesimes"] = [2027]
    document["previous_version"] = "v1"
    for question in document["questions"]:
        if question["code"] == "DATA_02":
            question["weight"] = 3
    (folder / "v2.yaml").write_text(yaml.safe_dump(document, allow_unicode=True), "utf-8")
    monkeypatch.setattr(data, "QUESTIONNAIRE_DIR", folder)
    return folder


def test_several_versions_have_a_selector_and_their_breaks(two_versions, nothing_published):
    page = methodologie.layout()
    selector = _component(page, ids.METHOD_VERSION)
    assert [option["value"] for option in selector.options] == ["v1", "v2"]
    assert selector.value == "v2"  # the version of the latest millésime
    assert page.children[2].hidden is False
    breaks = _component(page, ids.METHOD_BREAKS)
    assert _rows(breaks.children) == 1
    assert "question DATA_02 modifiée (type ou poids)" in _texts(breaks)
    assert "Données d'intérêt général et open data" in _texts(breaks)

    older = methodologie.layout(version="v1")
    assert _component(older, ids.METHOD_VERSION).value == "v1"
    assert "Version v1 —" in _texts(older)
    assert _component(methodologie.layout(version="v9"), ids.METHOD_VERSION).value == "v2"

    body, search = methodologie.show_version("v1")
    assert search == "?version=v1"
    assert "Version v1 —" in _texts(body)


def test_the_questionnaires_are_parsed_once_until_a_file_changes(two_versions):
    first = data.questionnaires()
    assert data.questionnaires() is first
    (two_versions / "v2.yaml").write_text(
        (two_versions / "v2.yaml").read_text("utf-8").replace("version 2", "version deux"), "utf-8"
    )
    assert data.questionnaires() is not first
    assert data.questionnaires().current.title == "Questionnaire — version deux"


def test_an_unreadable_methodology_is_said_in_french(tmp_path, monkeypatch, nothing_published):
    monkeypatch.setattr(data, "QUESTIONNAIRE_DIR", tmp_path)
    assert "Aucun fichier de méthodologie" in _texts(methodologie.layout())
    (tmp_path / "v1.yaml").write_text("version: [pas fermé", "utf-8")
    with pytest.raises(data.MethodologyUnavailable, match="ne peuvent pas être lus"):
        data.questionnaires()
    assert "ne peuvent pas être lus" in _texts(methodologie.layout())
