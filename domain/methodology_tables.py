"""The methodology as tables: what the pipeline scores with, published for the dashboard.

The dashboard's Méthodologie page, its fiche and its downloads describe the method from
these tables, never by reading the questionnaire files: what a page says is what the
pipeline did. One function builds them all from the questionnaire versions.
"""

from __future__ import annotations

import json

import pandas as pd

from domain.questionnaire import Questionnaires, questions_table, series_breaks
from domain.robustness import simulations_per_millesime, uncertainty_settings
from domain.scoring import survey_methodology
from schemas.vocabulary import MATURITY_LEVELS

NODE_COLUMNS = [
    "version", "code", "label", "description", "parent", "is_root", "position", "children",
    "weights", "aggregation", "min_coverage", "impute",
]  # fmt: skip
INDICATOR_COLUMNS = [
    "version", "code", "label", "normalisation", "goal_min", "goal_max", "clip",
    "lower_is_better", "transform", "cap", "denominator", "per", "scale",
]  # fmt: skip


def maturity_levels_table() -> pd.DataFrame:
    """The maturity levels as a table (level, label, min_score, max_score)."""
    return pd.DataFrame(MATURITY_LEVELS, columns=["level", "label", "min_score", "max_score"])


def methodology_tables(questionnaires: Questionnaires) -> dict[str, pd.DataFrame]:
    """Every table that describes the questionnaires and their methodology, by table name."""
    nodes, indicators, settings = [], [], []
    for questionnaire in questionnaires.versions:
        methodology = survey_methodology(questionnaire)
        parent_of = {
            child: node.code for node in methodology.nodes.values() for child in node.children
        }
        descriptions = questionnaire.axes.set_index("code")["description"].dropna().to_dict()
        for position, node in enumerate(methodology.nodes.values(), start=1):
            nodes.append(
                {
                    "version": questionnaire.version,
                    "code": node.code,
                    "label": node.label,
                    "description": descriptions.get(node.code),
                    "parent": parent_of.get(node.code),
                    "is_root": node.code == methodology.root,
                    "position": position,
                    "children": json.dumps(list(node.children)),
                    "weights": json.dumps(list(node.weights)),
                    "aggregation": node.aggregation,
                    "min_coverage": node.min_coverage,
                    "impute": node.impute,
                }
            )
        for indicator in methodology.indicators.values():
            indicators.append(
                {
                    "version": questionnaire.version,
                    **{column: getattr(indicator, column) for column in INDICATOR_COLUMNS[1:-1]},
                    "scale": methodology.scale,
                }
            )
        uncertainty = uncertainty_settings(questionnaire)
        settings.append(
            {
                "version": questionnaire.version,
                "base_samples": uncertainty.base_samples,
                "weight_perturbation": uncertainty.weight_perturbation,
                "seed": uncertainty.seed,
                "min_axis_coverage": uncertainty.min_axis_coverage,
                "min_index_coverage": uncertainty.min_index_coverage,
                "simulations": simulations_per_millesime(uncertainty),
            }
        )
    return {
        "axes": questionnaires.current.axes,
        "questions": pd.concat(
            [questions_table(q) for q in questionnaires.versions], ignore_index=True
        ),
        "methodology_versions": pd.DataFrame(
            [
                (m, q.version, q.title, ",".join(q.territory_kinds))
                for q in questionnaires.versions
                for m in sorted(q.millesimes)
            ],
            columns=["millesime", "version", "title", "territory_kinds"],
        ).sort_values("millesime", ignore_index=True),
        "series_breaks": series_breaks(questionnaires),
        "maturity_levels": maturity_levels_table(),
        "methodology_nodes": pd.DataFrame(nodes, columns=NODE_COLUMNS),
        "methodology_indicators": pd.DataFrame(indicators, columns=INDICATOR_COLUMNS),
        "uncertainty_settings": pd.DataFrame(settings),
    }
