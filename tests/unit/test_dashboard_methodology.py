"""The methodology page's pure descriptions: numbers, who is asked, rules, level ranges."""

from __future__ import annotations

import pytest

import dashboards.app  # noqa: F401  (builds the app, which registers the pages)
from dashboards.data import Indicator
from dashboards.pages import methodologie
from schemas.vocabulary import KIND_LABELS


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


def test_who_a_question_is_asked_of():
    kinds = KIND_LABELS
    assert methodologie.asked_of_text(tuple(kinds), kinds) == "toutes les catégories"
    assert methodologie.asked_of_text(("REG", "DEP", "ME", "CU", "CA", "CC"), kinds) == (
        "toutes les catégories sauf : Commune"
    )
    assert methodologie.asked_of_text(("REG",), kinds) == "Région"


def test_maturity_level_ranges():
    assert methodologie.level_range_text(20, 40, False) == "de 20 à moins de 40"
    assert methodologie.level_range_text(80, 100, True) == "de 80 à 100"
