"""The methodology page without a browser: descriptions generated from the methodology the
pipeline published (its tables in the published file)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb
import numpy as np
import pytest
import yaml
from SALib.sample import sobol as sobol_sample

import dashboards.app  # noqa: F401  (builds the app, which registers the pages)
from dashboards import data, ids
from dashboards.pages import methodologie
from domain.methodology_tables import methodology_tables
from domain.questionnaire import load_questionnaires
from domain.settings import QUESTIONNAIRE_DIR
from tests.helpers import _component, _rows, _texts

#: The published tables that describe the methodology.
METHODOLOGY_TABLES = (
    "methodology_versions", "methodology_nodes", "methodology_indicators",
    "uncertainty_settings", "questions", "series_breaks",
)  # fmt: skip


@pytest.fixture
def current(published_copy):
    """The questions and the tree of the current version, as the dashboard reads them."""
    version = methodologie.chosen_version(None, data.methodology_versions())
    return data.methodology_questions(version.version), data.methodology(version.version)


def _republished(path: Path) -> None:
    """Give a published file changed in place a new version (as a new publication would)."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def _rule(current, code: str) -> str:
    questions, methodology = current
    question = questions.set_index("code").loc[code]
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


def test_possible_answers_list_scale_labels_and_options(current):
    questions, _ = current
    questions = questions.set_index("code", drop=False)
    levels = methodologie.possible_answers(questions.loc["LAB_05"].to_dict())
    assert levels[0] == "0 — Aucune expérimentation menée" and len(levels) == 5
    options = methodologie.possible_answers(questions.loc["SERV_04"].to_dict())
    assert options[0] == "Prise de rendez-vous en ligne" and len(options) == 6
    assert methodologie.possible_answers(questions.loc["LAB_01"].to_dict()) == ["oui", "non"]


def test_question_rows_cover_every_question(current):
    questions, methodology = current
    rows = methodologie.question_rows(questions, methodology)
    assert len(rows) == len(questions)
    shares = rows.groupby("axis")["axis_share"].sum()
    assert np.allclose(shares, 1.0)
    assert rows["rule"].str.len().min() > 10


def test_coverage_thresholds_and_missing_data_rules(current):
    _, methodology = current
    root = methodology.nodes[methodology.root]
    assert methodologie.coverage_text(root, "axes") == (
        "au moins 80\u00a0% du poids des axes (soit 8 sur 10 à poids égaux)"
    )
    assert methodologie.weights_text(root) == "poids égaux (1 chacun)"
    rules = methodologie.missing_data_rules(methodology, list(root.children))
    text = " ".join(rules)
    assert "n'est pas comptée zéro" in text
    assert "au moins 50\u00a0% du poids des questions posées" in text
    assert "« Données insuffisantes »" in text
    assert "population" in text


def test_simulation_count_is_that_of_the_saltelli_sampling(current):
    _, methodology = current
    settings = data.uncertainty_settings(methodology.version)
    problem = {
        "num_vars": 4,
        "names": ["q0", "q1", "a0", "agg"],
        "bounds": [[0.75, 1.25]] * 3 + [[0, 1]],
        "groups": ["question_weights", "question_weights", "axis_weights", "index_aggregation"],
    }
    samples = sobol_sample.sample(problem, settings.base_samples, calc_second_order=False)
    assert settings.simulations == len(samples)
    assert settings.base_samples * methodologie.runs_factor(settings) == len(samples)


# --- The page -------------------------------------------------------------------------


def test_the_page_describes_the_current_version(published_copy):
    from dashboards.app import app

    with app.server.test_request_context("/"):
        page = methodologie.layout()
    text = _texts(page)
    assert _rows(_component(page, ids.METHOD_AXES_TABLE)) == 10
    assert len(_component(page, ids.METHOD_QUESTIONS).children) == 10
    assert "Laboratoire d'innovation" in text
    assert "La collectivité dispose-t-elle d'un laboratoire d'innovation publique" in text
    assert _rows(_component(page, ids.METHOD_SENSITIVITY_TABLE)) == 3
    assert _rows(_component(page, ids.METHOD_LEVELS)) == 5
    assert "Aucune rupture de série" in text
    # A single version: no selector to show.
    assert page.children[2].hidden is True


def test_the_page_says_so_without_a_publication(nothing_published):
    page = methodologie.layout()
    assert data.MISSING_MESSAGE in _texts(page)
    assert _component(page, ids.METHOD_SENSITIVITY_TABLE) is None
    assert page.children[2].hidden is True


def test_the_page_works_without_the_sensitivity_shares(published_copy):
    with duckdb.connect(str(published_copy)) as connection:
        connection.execute("drop table rank_sensitivity")
    _republished(published_copy)
    page = methodologie.layout()
    text = _texts(page)
    assert _rows(_component(page, ids.METHOD_AXES_TABLE)) == 10
    assert "Parts de variance indisponibles" in text
    assert _component(page, ids.METHOD_SENSITIVITY_TABLE) is None


@pytest.fixture
def two_versions(tmp_path, published_copy) -> Path:
    """The published copy with the methodology of v1 and of a v2 that changes a weight of
    the DATA axis, as the pipeline would publish them."""
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
    tables = methodology_tables(load_questionnaires(folder))
    with duckdb.connect(str(published_copy)) as connection:
        for name in METHODOLOGY_TABLES:
            connection.register("published_frame", tables[name])
            connection.execute(f"create or replace table {name} as from published_frame")
            connection.unregister("published_frame")
    _republished(published_copy)
    return published_copy


def test_several_versions_have_a_selector_and_their_breaks(two_versions):
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


def test_the_methodology_is_read_once_per_publication(two_versions, tmp_path, monkeypatch):
    first = data.methodology_versions()
    with monkeypatch.context() as patch:
        patch.setattr(data.connection, "query", lambda *args, **kwargs: pytest.fail("not cached"))
        assert data.methodology_versions() == first
    # What the pipeline does: write a new file beside it, then os.replace it.
    staged = tmp_path / "staged.duckdb"
    shutil.copyfile(two_versions, staged)
    with duckdb.connect(str(staged)) as connection:
        connection.execute(
            "update methodology_versions set title = replace(title, 'version 2', 'version deux')"
        )
    _republished(staged)
    os.replace(staged, two_versions)
    assert data.methodology_versions() != first
    assert data.current_version(data.methodology_versions()).title == (
        "Questionnaire — version deux"
    )


def test_an_unreadable_methodology_is_said_in_french(published_copy):
    with duckdb.connect(str(published_copy)) as connection:
        connection.execute("drop table methodology_nodes")
    _republished(published_copy)
    assert "ne peut pas être lu" in _texts(methodologie.layout())
    with pytest.raises(data.PublicationUnreadable, match="ne peut pas être lu"):
        data.methodology("v1")
    with duckdb.connect(str(published_copy)) as connection:
        connection.execute("delete from methodology_versions")
    _republished(published_copy)
    assert "Aucune version de la méthodologie" in _texts(methodologie.layout())
