"""``/methodologies``: the versions of the methodology and the tree of each one.

A version's tree is the one the pipeline scored with, as it published it
(:func:`dashboards.data.methodology`): its nodes (the index, the axes) with their parent,
weight in the parent and aggregation; its indicators (the questions) with their axis,
weight and how an answer becomes a score; its axes and the maturity levels.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from marshmallow import Schema, fields

from dashboards import data
from dashboards.api import API_PREFIX
from dashboards.api.parameters import Blueprint, QueryArgs
from dashboards.api.readers import api_cached
from dashboards.api.responses import (
    collection_schema,
    not_found,
    object_response,
    object_schema,
)
from dashboards.api.views import collection_view, object_view, page_response, path_parameter

blueprint = Blueprint(
    "Méthodologies",
    __name__,
    url_prefix=API_PREFIX,
    description="Versions de la méthodologie (questionnaire) et leur arbre : indice, axes, "
    "questions, poids, agrégations, règles de notation et niveaux de maturité.",
)


def _text(description: str, **options: Any) -> fields.String:
    return fields.String(metadata={"description": description}, **options)


class VersionSchema(Schema):
    """A version of the methodology."""

    version = _text("Identifiant de la version (v1, v2…)")
    titre = _text("Titre de la version")
    millesimes = fields.List(
        fields.Integer(), metadata={"description": "Millésimes que la version note"}
    )
    version_precedente = _text(
        "Version à laquelle se comparent ses séries (vide pour la première)", allow_none=True
    )
    questions = fields.Integer(metadata={"description": "Nombre de questions"})
    categories = fields.List(
        fields.String(), metadata={"description": "Catégories de territoires interrogées"}
    )


class NoeudSchema(Schema):
    """A node of the tree: the index or an axis, an aggregate of its children."""

    code = _text("Code du nœud (indice_global, LAB, EADM…)")
    parent = _text("Code du nœud parent; vide pour la racine", allow_none=True)
    libelle = _text("Intitulé")
    description = _text("Ce que couvre le nœud", allow_none=True)
    poids = fields.Float(
        allow_none=True, metadata={"description": "Poids dans le nœud parent; vide pour la racine"}
    )
    agregation = _text("Agrégation des enfants (arithmetic, geometric…)")
    couverture_minimale = fields.Float(
        metadata={"description": "Part minimale du poids des enfants renseignée pour noter (0 à 1)"}
    )
    imputation = _text("Règle d'imputation d'un enfant manquant", allow_none=True)
    enfants = fields.List(fields.String(), metadata={"description": "Codes des enfants"})


class ChoixSchema(Schema):
    """One choice of a question."""

    code = _text("Code de la réponse")
    libelle = _text("Intitulé de la réponse")


class IndicateurSchema(Schema):
    """An indicator of the tree: a question and how its answer becomes a score."""

    code_question = _text("Code de la question (LAB_01…)")
    code_axe = _text("Code de l'axe (nœud parent)")
    question = _text("Intitulé de la question")
    aide = _text("Aide à la réponse", allow_none=True)
    type_reponse = _text("Type de réponse (oui_non, echelle, choix, nombre…)")
    unite = _text("Unité d'une réponse chiffrée", allow_none=True)
    poids = fields.Float(metadata={"description": "Poids de la question dans son axe"})
    categories = fields.List(
        fields.String(), metadata={"description": "Catégories de territoires interrogées"}
    )
    options = fields.List(fields.Nested(ChoixSchema), metadata={"description": "Choix proposés"})
    normalisation = _text("Normalisation de la réponse en score (minmax, mapping…)")
    objectif_min = fields.Float(metadata={"description": "Valeur notée 0 (avant inversion)"})
    objectif_max = fields.Float(metadata={"description": "Valeur notée au maximum"})
    borne = fields.Boolean(metadata={"description": "Scores bornés entre 0 et le maximum"})
    plus_bas_meilleur = fields.Boolean(metadata={"description": "Une valeur basse est meilleure"})
    transformation = _text("Transformation appliquée à la valeur (log…)", allow_none=True)
    plafond = fields.Float(allow_none=True, metadata={"description": "Plafond de la valeur"})
    denominateur = _text("Dénominateur d'un ratio (population…)", allow_none=True)
    par = fields.Float(metadata={"description": "Ratio exprimé pour ce nombre d'unités"})


class AxeSchema(Schema):
    """An axis of maturity."""

    code_axe = _text("Code de l'axe")
    axe = _text("Intitulé de l'axe")
    description = _text("Ce que couvre l'axe", allow_none=True)
    position = fields.Integer(metadata={"description": "Ordre d'affichage"})


class NiveauSchema(Schema):
    """A maturity level and the index scores it covers."""

    niveau = fields.Integer(metadata={"description": "Niveau (1 à 5)"})
    libelle = _text("Nom du niveau")
    score_min = fields.Float(metadata={"description": "Indice minimal du niveau (inclus)"})
    score_max = fields.Float(metadata={"description": "Indice maximal du niveau"})


class ArbreSchema(VersionSchema):
    """One version and its tree."""

    echelle = fields.Float(metadata={"description": "Les scores vont de 0 à cette valeur"})
    racine = _text("Code du nœud racine (l'indice global)")
    noeuds = fields.List(fields.Nested(NoeudSchema), metadata={"description": "Nœuds de l'arbre"})
    indicateurs = fields.List(
        fields.Nested(IndicateurSchema), metadata={"description": "Questions notées"}
    )
    axes = fields.List(fields.Nested(AxeSchema), metadata={"description": "Axes de maturité"})
    niveaux = fields.List(
        fields.Nested(NiveauSchema), metadata={"description": "Niveaux de maturité"}
    )


VersionsPage = collection_schema(VersionSchema)
TreeAnswer = object_schema(ArbreSchema)

#: The ``{version}`` of a methodology's address, documented.
VERSION_PARAMETER = path_parameter(
    "version", "Version de la méthodologie (liste : /api/v1/methodologies).", "v1"
)


def version_row(version: data.MethodologyVersion) -> dict[str, Any]:
    """A version as a row of ``/methodologies``."""
    return {
        "version": version.version,
        "titre": version.title,
        "millesimes": list(version.millesimes),
        "version_precedente": version.previous_version,
        "questions": version.questions,
        "categories": list(version.territory_kinds),
    }


def tree_payload(
    tree: data.Methodology,
    questions: pd.DataFrame,
    descriptions: dict[str, str],
    axes: pd.DataFrame,
    levels: pd.DataFrame,
) -> dict[str, Any]:
    """The nodes, indicators, axes and levels of ``tree`` as the API serves them.

    ``questions`` are the rows of :func:`dashboards.data.methodology_questions` (label, help,
    answer type, kinds asked, options); ``descriptions`` what each axis covers. A node's or
    an indicator's weight is its weight in its parent, as the tree holds it.
    """
    parent: dict[str, str] = {}
    weight: dict[str, float] = {}
    for node in tree.nodes.values():
        for child, child_weight in zip(node.children, node.weights, strict=True):
            parent[child] = node.code
            weight[child] = child_weight
    asked = questions.set_index("code").to_dict("index")
    nodes = [
        {
            "code": node.code,
            "parent": parent.get(node.code),
            "libelle": node.label,
            "description": descriptions.get(node.code),
            "poids": weight.get(node.code),
            "agregation": node.aggregation,
            "couverture_minimale": node.min_coverage,
            "imputation": node.impute,
            "enfants": list(node.children),
        }
        for node in tree.nodes.values()
    ]
    indicators = []
    for code, indicator in tree.indicators.items():
        question = asked.get(code, {})
        indicators.append(
            {
                "code_question": code,
                "code_axe": parent.get(code),
                "question": indicator.label,
                "aide": question.get("help"),
                "type_reponse": question.get("answer_type"),
                "unite": question.get("unit"),
                "poids": weight.get(code),
                "categories": list(question.get("asked_of", ())),
                "options": [
                    {"code": option, "libelle": label}
                    for option, label in question.get("options", ())
                ],
                "normalisation": indicator.normalisation,
                "objectif_min": indicator.goal_min,
                "objectif_max": indicator.goal_max,
                "borne": indicator.clip,
                "plus_bas_meilleur": indicator.lower_is_better,
                "transformation": indicator.transform,
                "plafond": indicator.cap,
                "denominateur": indicator.denominator,
                "par": indicator.per,
            }
        )
    order = {code: position for position, code in enumerate(questions["code"])}
    indicators.sort(
        key=lambda row: (order.get(row["code_question"], len(order)), row["code_question"])
    )
    return {
        "echelle": tree.scale,
        "racine": tree.root,
        "noeuds": nodes,
        "indicateurs": indicators,
        "axes": [
            {
                "code_axe": row["code"],
                "axe": row["label"],
                "description": descriptions.get(row["code"], row["description"]),
                "position": int(row["position"]),
            }
            for row in axes.to_dict("records")
            if row["code"] in tree.nodes
        ],
        "niveaux": [
            {
                "niveau": int(row["level"]),
                "libelle": row["label"],
                "score_min": float(row["min_score"]),
                "score_max": float(row["max_score"]),
            }
            for row in levels.to_dict("records")
        ],
    }


@collection_view(
    blueprint,
    "/methodologies",
    arguments=QueryArgs,
    schema=VersionsPage,
    description="Les versions de la méthodologie, la plus ancienne d'abord",
    sortable=["version", "titre", "version_precedente", "questions"],
    sort_example="-version",
    # A version lists its millésimes and kinds of territory: no flat row for a CSV.
    csv=False,
)
def versions(**arguments: Any):
    """Versions de la méthodologie

    Chaque version du questionnaire et de sa notation, la plus ancienne d'abord, avec les
    millésimes qu'elle note.
    """
    rows = [version_row(version) for version in data.methodology_versions()]
    frame = pd.DataFrame(rows, columns=list(VersionSchema().fields))
    return page_response(frame, arguments, name="methodologies")


@object_view(
    blueprint,
    "/methodologies/<string:version>",
    arguments=QueryArgs,
    schema=TreeAnswer,
    description="La version et son arbre",
    parameters=[VERSION_PARAMETER],
)
def tree(version: str, **arguments: Any):
    """Arbre d'une version de la méthodologie

    La version {version} : ses nœuds (indice global, axes) avec leur poids et leur
    agrégation, ses questions avec leur axe, leur poids et leur règle de notation, les axes
    et les niveaux de maturité.
    """
    del arguments
    known = {found.version: found for found in data.methodology_versions()}
    if version not in known:
        raise not_found(
            f"Version de méthodologie inconnue : « {version} » (versions publiées : "
            f"{', '.join(known) or 'aucune'}; liste : /api/v1/methodologies)."
        )
    payload = api_cached(
        "methodology_tree",
        [version],
        lambda: tree_payload(
            data.methodology(version),
            data.methodology_questions(version),
            data.axis_descriptions(version),
            data.axes(),
            data.maturity_levels(),
        ),
    )
    return object_response({**version_row(known[version]), **payload}, name="methodologie")
