"""Pydantic model of a questionnaire file (``data/questionnaire/*.yaml``).

A questionnaire version carries the observatory's methodology: its axes and questions are
the tree that :func:`domain.scoring.survey_methodology` builds (questions weighted within
their axis, axes averaged into the index), and its ``methodology`` key holds the settings of
the rank robustness analysis. Unknown keys are refused and cross-references checked (a
question's axis, kinds, the codes named by ``comparability``) with the key path and line.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Annotated, Literal

from pydantic import Field, model_validator

from schemas.methodology import Number
from schemas.questionnaire import ANSWER_TYPES
from schemas.vocabulary import KIND_LABELS
from schemas.yaml_files import STRICT, Path_, StrictModel, Text

AnswerType = Literal[tuple(ANSWER_TYPES)]  # type: ignore[valid-type]
Kind = Literal[tuple(KIND_LABELS)]  # type: ignore[valid-type]
ScaleLabels = dict[Annotated[int, Field(ge=0, le=4)], Text]


class Option(StrictModel):
    """A good practice of a ``choix_multiple`` question."""

    model_config = STRICT | {"title": "Option (sous options)"}

    code: Text = Field(description="code de l'option (colonne du modèle de réponse)")
    label: Text = Field(description="libellé de la bonne pratique")


class Axis(StrictModel):
    model_config = STRICT | {"title": "Axe (sous axes)"}

    code: Annotated[Text, Field(pattern=r"^[A-Z]{2,6}$")] = Field(
        description="code de l'axe, 2 à 6 majuscules"
    )
    label: Text = Field(description="nom de l'axe")
    description: Text | None = Field(None, description="ce que l'axe mesure")


class Question(StrictModel):
    model_config = STRICT | {"title": "Question (sous questions)"}

    code: Annotated[Text, Field(pattern=r"^[A-Z]{2,6}_\d{2}$")] = Field(
        description="code AXE_NN (par exemple LAB_01)"
    )
    axis: Text = Field(description="code d'un axe déclaré sous axes")
    label: Annotated[Text, Field(min_length=5)] = Field(description="texte de la question")
    type: AnswerType = Field(description="type de réponse")
    weight: Annotated[Number, Field(gt=0)] = Field(1.0, description="poids dans son axe")
    asked_of: Annotated[list[Kind], Field(min_length=1)] = Field(
        description="types de territoire interrogés (parmi territory_kinds)"
    )
    required: bool = Field(False, description="réponse obligatoire")
    higher_is_better: bool = Field(True, description="false : une valeur basse est meilleure")
    unit: Text | None = Field(None, description="unité d'une question « nombre »")
    target_per_10000: Annotated[Number, Field(gt=0)] | None = Field(
        None, description="cible pour 10 000 habitants (obligatoire pour « nombre »)"
    )
    options: list[Option] = Field(
        default_factory=list, description="bonnes pratiques d'un « choix_multiple » (2 au moins)"
    )
    scale_labels: ScaleLabels | None = Field(
        None, description="libellés propres des niveaux 0 à 4 d'une « echelle »"
    )
    help: Text | None = Field(None, description="aide affichée dans le modèle de réponse")

    @model_validator(mode="after")
    def _type_settings(self) -> Question:
        if self.type == "nombre" and self.target_per_10000 is None:
            raise ValueError("une question « nombre » doit donner target_per_10000 (> 0)")
        if self.type == "choix_multiple" and len(self.options) < 2:
            raise ValueError("une question « choix_multiple » doit lister au moins 2 options")
        if self.scale_labels is not None and sorted(self.scale_labels) != [0, 1, 2, 3, 4]:
            raise ValueError("scale_labels doit nommer les niveaux 0 à 4")
        return self


class Uncertainty(StrictModel):
    """The rank robustness analysis (Monte Carlo, Saltelli sampling)."""

    model_config = STRICT | {"title": "uncertainty (sous methodology)"}

    base_samples: Annotated[int, Field(ge=1)] = Field(
        64, description="taille N de l'échantillon de Saltelli (N × 5 simulations)"
    )
    weight_perturbation: Annotated[Number, Field(ge=0, lt=1)] = Field(
        0.25, description="p : chaque poids multiplié par un facteur de [1 − p, 1 + p]"
    )
    seed: int = Field(2026, description="graine du tirage (résultats reproductibles)")


class SurveyMethodology(StrictModel):
    model_config = STRICT | {"title": "methodology"}

    uncertainty: Uncertainty = Field(
        default_factory=Uncertainty, description="analyse de robustesse des rangs"
    )


class QuestionnaireFile(StrictModel):
    """One version of the survey."""

    model_config = STRICT | {"title": "Questionnaire (premier niveau)"}

    version: Text = Field(description="nom de la version (v1, v2…)")
    title: Text = Field(description="titre du questionnaire")
    millesimes: Annotated[list[Annotated[int, Field(ge=2000, le=2100)]], Field(min_length=1)] = (
        Field(description="millésimes validés et notés avec cette version")
    )
    territory_kinds: Annotated[list[Kind], Field(min_length=1)] = Field(
        description="types de territoire interrogés"
    )
    scale_labels: ScaleLabels = Field(description="libellés des niveaux 0 à 4 des échelles")
    axes: Annotated[list[Axis], Field(min_length=1)] = Field(description="axes, dans l'ordre")
    questions: Annotated[list[Question], Field(min_length=1)] = Field(description="questions")
    methodology: SurveyMethodology = Field(
        default_factory=SurveyMethodology, description="réglages de la notation"
    )
    previous_version: Text | None = Field(None, description="version que celle-ci suit")
    comparability: dict[Text, Text] = Field(
        default_factory=dict, description="nouvelle question → question qu'elle continue"
    )

    def consistency_problems(self) -> Iterable[tuple[Path_, str]]:
        if sorted(self.scale_labels) != [0, 1, 2, 3, 4]:
            yield ("scale_labels",), "les niveaux 0 à 4 doivent tous être nommés"
        axes = Counter(axis.code for axis in self.axes)
        for index, axis in enumerate(self.axes):
            if axes[axis.code] > 1:
                yield ("axes", index, "code"), f"axe « {axis.code} » déclaré deux fois"
        codes = Counter(question.code for question in self.questions)
        declared = set(self.territory_kinds)
        for index, question in enumerate(self.questions):
            if codes[question.code] > 1:
                yield ("questions", index, "code"), f"question « {question.code} » en double"
            if question.axis not in axes:
                yield (
                    ("questions", index, "axis"),
                    f"axe « {question.axis} » inconnu (axes déclarés : {', '.join(axes)})",
                )
            for position, kind in enumerate(question.asked_of):
                if kind not in declared:
                    yield (
                        ("questions", index, "asked_of", position),
                        f"type de territoire « {kind} » absent de territory_kinds",
                    )
        for new in self.comparability:
            if new not in codes:
                yield ("comparability", new), f"question « {new} » absente de cette version"
