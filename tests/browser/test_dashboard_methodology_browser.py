"""The methodology page in a real browser, on the published file of a real pipeline run."""

from __future__ import annotations

import re

import pytest

from dashboards import ids
from domain.questionnaire import load_questionnaires
from tests.browser.helpers import _wait_for_graph

pytestmark = pytest.mark.browser


def test_methodology_lists_axes_questions_and_rank_sensitivity(watched):
    page = watched.page
    watched.goto("/methodologie")
    questionnaire = load_questionnaires().current

    axes = page.locator(f"#{ids.METHOD_AXES_TABLE} tbody tr")
    axes.first.wait_for()
    assert axes.count() == 10
    for label in questionnaire.axes["label"]:
        assert page.locator(f"#{ids.METHOD_AXES_TABLE}").get_by_text(label).count() >= 1

    # Each axis unfolds its questions, with how the answers are scored.
    first = questionnaire.questions.iloc[0]
    block = page.locator(f"#{ids.METHOD_QUESTIONS} details").first
    block.locator("summary").click()
    assert block.get_by_text(first["label"]).is_visible()
    assert "niveau 0–4 → niveau / 4 × 100" in page.locator(f"#{ids.METHOD_QUESTIONS}").inner_text()

    assert page.locator(f"#{ids.METHOD_SENSITIVITY_TABLE} tbody tr").count() == 3
    _wait_for_graph(page, ids.METHOD_SENSITIVITY_CHART)
    assert page.locator(f"#{ids.METHOD_SENSITIVITY_CHART} .barlayer .point path").count() == 6
    assert page.locator(f"#{ids.METHOD_LEVELS} tbody tr").count() == 5
    assert "Aucune rupture de série" in page.locator(f"#{ids.METHOD_BREAKS}").inner_text()

    nav = page.locator(f"#{ids.NAV_METHODOLOGY}")
    assert nav.inner_text() == "Méthodologie"
    page.wait_for_function(
        "(id) => document.getElementById(id).classList.contains('active')",
        arg=ids.NAV_METHODOLOGY,
    )
    watched.assert_clean()


def test_the_fiche_links_to_the_methodology_of_its_version(watched):
    page = watched.page
    watched.goto("/territoire?code=DEP-13")
    page.locator(f"#{ids.TERRITORY_METHOD_VERSION} a").click()
    page.wait_for_url(re.compile(r"/methodologie\?version=v1$"))
    page.locator(f"#{ids.METHOD_AXES_TABLE}").wait_for()
    assert page.locator(f"#{ids.METHOD_VERSION}").get_by_label(re.compile("^v1")).is_checked()
    watched.assert_clean()
