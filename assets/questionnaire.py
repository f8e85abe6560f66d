"""Assets of the questionnaire: axes, questions, the version of each millésime, the breaks
in axis series between versions, and the maturity levels, read from
``data/questionnaire/*.yaml`` (see :mod:`domain.questionnaire`)."""

import dagster as dg
from dagster_duckdb import DuckDBResource

from assets.tables import materialize_results, table_spec
from domain.methodology_tables import methodology_tables
from domain.questionnaire import load_questionnaires
from domain.storage import replace_tables


@dg.multi_asset(
    specs=[
        table_spec("core_axes", "axes", "Les dix axes de la chaîne de valeur.", "reference"),
        table_spec(
            "core_questions",
            "questions",
            "Questions de chaque version du questionnaire (type, poids, public, règles).",
            "reference",
        ),
        table_spec(
            "core_methodology_versions",
            "methodology_versions",
            "Version du questionnaire (méthodologie) de chaque millésime ouvert.",
            "reference",
        ),
        table_spec(
            "core_series_breaks",
            "series_breaks",
            "Ruptures de série des axes entre deux versions du questionnaire.",
            "reference",
        ),
        table_spec(
            "core_maturity_levels",
            "maturity_levels",
            "Niveaux de maturité 1 à 5 et leurs bornes.",
            "reference",
        ),
        table_spec(
            "core_methodology_nodes",
            "methodology_nodes",
            "Arbre de chaque méthodologie : axes et indice, agrégation, seuils, poids.",
            "reference",
        ),
        table_spec(
            "core_methodology_indicators",
            "methodology_indicators",
            "Règle de calcul du score de chaque question, par version.",
            "reference",
        ),
        table_spec(
            "core_uncertainty_settings",
            "uncertainty_settings",
            "Réglages de l'analyse de robustesse des rangs, par version.",
            "reference",
        ),
    ],
    pool="duckdb_warehouse",
)
def questionnaire_tables(warehouse: DuckDBResource):
    """Survey axes and questions of every questionnaire version, the version of each
    millésime, the breaks in axis series, the maturity levels and each version's methodology
    (tree, scoring rules, robustness settings), from data/questionnaire/*.yaml."""
    tables = methodology_tables(load_questionnaires())
    with warehouse.get_connection() as con:
        replace_tables(con, tables)
    yield from materialize_results(
        {
            "core_axes": {"rows": len(tables["axes"])},
            "core_questions": {"rows": len(tables["questions"])},
            "core_methodology_versions": {
                "millesimes": ", ".join(map(str, tables["methodology_versions"]["millesime"]))
            },
            "core_series_breaks": {
                "breaks": int((~tables["series_breaks"]["comparable"].astype(bool)).sum())
            },
            "core_maturity_levels": {"rows": len(tables["maturity_levels"])},
            "core_methodology_nodes": {"rows": len(tables["methodology_nodes"])},
            "core_methodology_indicators": {"rows": len(tables["methodology_indicators"])},
            "core_uncertainty_settings": {"rows": len(tables["uncertainty_settings"])},
        }
    )
