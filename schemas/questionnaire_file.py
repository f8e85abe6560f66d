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
from schemas.yaml_files import STRICT, Path_, StrictModel

AnswerType = Literal[tuple(ANSWER_TYPES)]  # type: ignore[valid-type]
Kind = Literal[tuple(KIND_LABELS)]  # type: ignore[valid-type]
ScaleLabels = dict[Annotated[int, Field(ge=0, le=4)], str]


class Option(StrictModel):
    """A good practice of a ``choix_multiple`` question."""

    model_config = STRICT | {"title": "Option (sous options)"}

    code: str
    label: str


class Axis(StrictModel):
    model_config = STRICT | {"title": "Axe (sous axes)"}

    code: Annotated[str, Field(pattern=r"^[A-Z]{2,6}$")]
    label: str
    description: str | None = None


class Question(StrictModel):
    model_config = STRICT | {"title": "Question (sous questions)"}

    code: Annotated[str, Field(pattern=r"^[A-Z]{2,6}_\d{2}$")]
    axis: str
    label: Annotated[str, Field(min_length=5)]
    type: AnswerType
    weight: Annotated[Number, Field(gt=0)] = 1.0
    asked_of: Annotated[list[Kind], Field(min_length=1)]
    required: bool = False
    higher_is_better: bool = True
    unit: str | None = None
    target_per_10000: Annotated[Number, Field(gt=0)] | None = None
    options: list[Option] = Field(default_factory=list)
    scale_labels: ScaleLabels | None = None
    help: str | None = None

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

    base_samples: Annotated[int, Field(ge=1)] = 64
    weight_perturbation: Annotated[Number, Field(ge=0, lt=1)] = 0.25
    seed: int = 2026


class SurveyMethodology(StrictModel):
    model_config = STRICT | {"title": "methodology"}

    uncertainty: Uncertainty = Field(default_factory=Uncertainty)


class QuestionnaireFile(StrictModel):
    """One version of the survey."""

    model_config = STRICT | {"title": "Questionnaire (premier niveau)"}

    version: str
    title: str
    millesimes: Annotated[list[Annotated[int, Field(ge=2000, le=2100)]], Field(min_length=1)]
    territory_kinds: Annotated[list[Kind], Field(min_length=1)]
    scale_labels: ScaleLabels
    axes: Annotated[list[Axis], Field(min_length=1)]
    questions: Annotated[list[Question], Field(min_length=1)]
    methodology: SurveyMethodology = Field(default_factory=SurveyMethodology)
    previous_version: str | None = None
    comparability: dict[str, str] = Field(default_factory=dict)

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
