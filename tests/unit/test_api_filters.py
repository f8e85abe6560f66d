"""The API's collections without a server: filters, French 400s, parents, the methodology
tree and the response schemas generated from the data dictionary."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboards import data
from dashboards.api import dataset_schemas, filters, readers
from dashboards.api.methodology import tree_payload
from dashboards.api.responses import ApiError, records
from dashboards.downloads import DATASETS
from domain.composite import Indicator, Node

TERRITORIES = pd.DataFrame(
    {
        "code_territoire": ["REG-93", "DEP-13", "EPCI-1", "COM-13055", "DEP-69", "COM-99"],
        "nom": [
            "Provence-Alpes-Côte d'Azur",
            "Bouches-du-Rhône",
            "Métropole d'Aix-Marseille-Provence",
            "Marseille",
            "Rhône",
            "Évry-Courcouronnes",
        ],
        "categorie": ["REG", "DEP", "ME", "COM", "DEP", "COM"],
        "code_region": ["REG-93", "REG-93", "REG-93", "REG-93", "REG-84", "REG-11"],
        "code_departement": [None, "DEP-13", "DEP-13", "DEP-13", "DEP-69", "DEP-91"],
        "code_epci": [None, None, None, "EPCI-1", None, "EPCI-404"],
    }
)
REGION_OF = dict(zip(TERRITORIES["code_territoire"], TERRITORIES["code_region"], strict=True))


def codes(frame: pd.DataFrame) -> list[str]:
    return list(frame["code_territoire"])


def test_a_name_search_ignores_accents_and_case_and_needs_every_word():
    assert codes(filters.contains_words(TERRITORIES, "nom", "RHONE")) == ["DEP-13", "DEP-69"]
    assert codes(filters.contains_words(TERRITORIES, "nom", "bouches rhône")) == ["DEP-13"]
    assert codes(filters.contains_words(TERRITORIES, "nom", "evry")) == ["COM-99"]
    assert codes(filters.contains_words(TERRITORIES, "nom", "  ")) == codes(TERRITORIES)


def test_a_region_filter_keeps_its_territories_and_the_region_itself():
    kept = filters.keep_in_regions(TERRITORIES, ["REG-93"], REGION_OF)
    assert codes(kept) == ["REG-93", "DEP-13", "EPCI-1", "COM-13055"]
    assert codes(filters.keep_in_regions(TERRITORIES, ["REG-84", "REG-11"], REGION_OF)) == [
        "DEP-69",
        "COM-99",
    ]
    assert filters.keep_in_regions(TERRITORIES, None, REGION_OF) is TERRITORIES


def test_value_filters_keep_the_rows_holding_one_of_the_values():
    assert codes(filters.keep_values(TERRITORIES, "categorie", ["DEP", "ME"])) == [
        "DEP-13",
        "EPCI-1",
        "DEP-69",
    ]
    sheets = pd.DataFrame(
        {"code": ["a", "b", "c", "d"], "axes": ["LAB|DATA", "DATA", "GOUV", None]}
    )
    assert list(filters.keep_listed(sheets, "axes", ["DATA"])["code"]) == ["a", "b"]
    assert list(filters.keep_listed(sheets, "axes", ["LAB", "GOUV"])["code"]) == ["a", "c"]
    # "DAT" is not a code of "DATA": whole codes only.
    assert filters.keep_listed(sheets, "axes", ["DAT"]).empty


def test_an_unknown_value_is_a_french_400_naming_the_parameter_and_the_accepted_values():
    with pytest.raises(ApiError) as raised:
        filters.require_accepted(
            ["ME", "XX"], ["REG", "DEP", "ME"], parameter="categorie", unknown=filters.KIND
        )
    error = raised.value
    assert (error.code, error.error_code) == (400, "parametre_invalide")
    assert error.message == (
        "Paramètre « categorie » : catégorie inconnue : XX (valeurs acceptées : REG, DEP, ME)."
    )
    assert error.details == {"categorie": [error.message]}
    with pytest.raises(ApiError) as raised:
        filters.require_accepted(["X", "Y"], ["LAB"], parameter="axe", unknown=filters.AXIS)
    assert "axes inconnus : X, Y (valeurs acceptées : LAB)" in raised.value.message
    filters.require_accepted(["ME"], ["ME"], parameter="categorie", unknown=filters.KIND)
    filters.require_accepted(None, ["ME"], parameter="categorie", unknown=filters.KIND)


def test_a_long_list_of_accepted_values_is_cut():
    accepted = [f"REG-{number}" for number in range(100)]
    with pytest.raises(ApiError) as raised:
        filters.require_accepted(["XX"], accepted, parameter="region", unknown=filters.REGION)
    message = raised.value.message
    assert f"REG-{filters.LISTED_VALUES_MAX - 1}…)." in message
    assert f"REG-{filters.LISTED_VALUES_MAX}," not in message


def test_a_millesime_not_published_is_said_so_with_the_published_ones():
    def refused(values, published):
        with pytest.raises(ApiError) as raised:
            filters.require_accepted(
                values, published, parameter="millesime", unknown=filters.MILLESIME
            )
        return raised.value.message

    assert refused([2025, 1999], [2024, 2025, 2026]) == (
        "Paramètre « millesime » : le millésime 1999 n'est pas publié "
        "(millésimes publiés : 2024, 2025, 2026)."
    )
    assert "les millésimes 1998, 1999 ne sont pas publiés" in refused([1998, 1999], [2024])
    assert "(millésimes publiés : aucun)" in refused([2024], [])


def test_an_unknown_territory_code_says_where_the_codes_are_listed():
    with pytest.raises(ApiError) as raised:
        filters.require_accepted(
            ["DEP-13", "DEP-999"], {"DEP-13"}, parameter="territoire", unknown=filters.TERRITORY
        )
    message = raised.value.message
    assert message.startswith("Paramètre « territoire » : code de territoire inconnu : DEP-999.")
    assert "/api/v1/territoires" in message


def test_parents_run_from_the_region_down_and_skip_the_territory_itself_and_the_unknown():
    row = TERRITORIES.set_index("code_territoire").loc["COM-13055"].to_dict()
    row["code_territoire"] = "COM-13055"
    assert filters.parents(row, TERRITORIES) == [
        {"code_territoire": "REG-93", "nom": "Provence-Alpes-Côte d'Azur", "categorie": "REG"},
        {"code_territoire": "DEP-13", "nom": "Bouches-du-Rhône", "categorie": "DEP"},
        {
            "code_territoire": "EPCI-1",
            "nom": "Métropole d'Aix-Marseille-Provence",
            "categorie": "ME",
        },
    ]
    region = {"code_territoire": "REG-93", "code_region": "REG-93"}
    assert filters.parents(region, TERRITORIES) == []
    # Évry's EPCI is out of the observatory's scope: not listed.
    evry = {"code_territoire": "COM-99", "code_region": "REG-11", "code_epci": "EPCI-404"}
    assert filters.parents(evry, TERRITORIES) == []


@pytest.mark.parametrize("name", ["indices", "axes", "reponses", "realisations", "territoires"])
def test_every_column_of_a_dataset_is_documented_in_french_with_its_type(name):
    schema = dataset_schemas.row_schema(f"Essai{name}", name)()
    columns = DATASETS[name].fields
    assert list(schema.fields) == [column.name for column in columns]
    for column in columns:
        field = schema.fields[column.name]
        assert isinstance(field, dataset_schemas.KIND_FIELDS[column.kind])
        assert field.allow_none
        assert column.description in field.metadata["description"]
        if column.unit:
            assert field.metadata["description"].endswith(f"({column.unit})")


def test_the_methodology_tree_gives_each_node_and_question_its_parent_and_weight():
    tree = data.Methodology(
        version="v1",
        root="indice_global",
        scale=100.0,
        nodes={
            "LAB": Node("LAB", "Laboratoire", ("LAB_01", "LAB_02"), (3.0, 1.0)),
            "DATA": Node("DATA", "Données", ("DATA_01",), (2.0,), aggregation="geometric"),
            "indice_global": Node("indice_global", "Indice", ("LAB", "DATA"), (1.0, 2.0)),
        },
        indicators={
            code: Indicator(code, f"Question {code}") for code in ("DATA_01", "LAB_02", "LAB_01")
        },
    )
    questions = pd.DataFrame(
        {
            "code": ["LAB_01", "LAB_02", "DATA_01"],
            "help": [None, "Aide", None],
            "answer_type": ["oui_non", "echelle", "choix"],
            "unit": [None, None, None],
            "asked_of": [("REG", "DEP"), ("DEP",), ("REG",)],
            "options": [(), (), (("a", "Oui"), ("b", "Non"))],
        }
    )
    axes = pd.DataFrame(
        {
            "code": ["LAB", "DATA", "GOUV"],
            "label": ["Laboratoire", "Données", "Gouvernance"],
            "description": ["x", "y", "z"],
            "position": [1, 2, 3],
        }
    )
    levels = pd.DataFrame(
        {"level": [1], "label": ["Découverte"], "min_score": [0], "max_score": [20]}
    )
    payload = tree_payload(tree, questions, {"LAB": "Ce que couvre LAB"}, axes, levels)
    nodes = {node["code"]: node for node in payload["noeuds"]}
    assert nodes["indice_global"]["parent"] is None and nodes["indice_global"]["poids"] is None
    assert (nodes["DATA"]["parent"], nodes["DATA"]["poids"]) == ("indice_global", 2.0)
    assert nodes["DATA"]["agregation"] == "geometric"
    assert nodes["LAB"]["description"] == "Ce que couvre LAB"
    # Questions in questionnaire order, each with its axis, weight and kinds asked.
    assert [(i["code_question"], i["code_axe"], i["poids"]) for i in payload["indicateurs"]] == [
        ("LAB_01", "LAB", 3.0),
        ("LAB_02", "LAB", 1.0),
        ("DATA_01", "DATA", 2.0),
    ]
    assert payload["indicateurs"][2]["options"] == [
        {"code": "a", "libelle": "Oui"},
        {"code": "b", "libelle": "Non"},
    ]
    assert payload["indicateurs"][0]["categories"] == ["REG", "DEP"]
    # Only the axes of this version's tree.
    assert [axis["code_axe"] for axis in payload["axes"]] == ["LAB", "DATA"]
    assert payload["niveaux"] == [
        {"niveau": 1, "libelle": "Découverte", "score_min": 0.0, "score_max": 20.0}
    ]


def test_whole_number_columns_widened_to_floats_are_served_as_whole_numbers():
    dataset = DATASETS["indices"]
    frame = pd.DataFrame({field.name: [None, None] for field in dataset.fields})
    frame["niveau"] = [3.0, float("nan")]
    frame["indice_global"] = [52.5, float("nan")]
    typed = readers.typed(frame, dataset)
    assert records(typed[["niveau", "indice_global"]]) == [
        {"niveau": 3, "indice_global": 52.5},
        {"niveau": None, "indice_global": None},
    ]
    assert isinstance(records(typed[["niveau"]])[0]["niveau"], int)
