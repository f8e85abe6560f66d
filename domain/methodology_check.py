"""Checking a methodology file without scoring anything (``observatoire methodologie
verifier``): a methodology of the composite-indicator engine, or a questionnaire version
(which carries the observatory's own methodology: its axes, questions and weights)."""

from __future__ import annotations

from pathlib import Path

from domain.composite import (
    MethodologyError,
    MethodologyUnreadable,
    check_methodology,
)
from domain.questionnaire import QuestionnaireError, load_questionnaire
from domain.scoring import survey_methodology
from schemas.yaml_files import FileUnreadable, read_yaml


def check_methodology_file(path: Path) -> str:
    """A one-line French description of a valid file; :class:`MethodologyUnreadable` if it
    cannot be read as YAML, :class:`MethodologyError` listing every mistake otherwise."""
    path = Path(path)
    try:
        document = read_yaml(path)
    except FileUnreadable as error:
        raise MethodologyUnreadable(str(error)) from None
    if isinstance(document.data, dict) and "questions" in document.data:
        try:
            questionnaire = load_questionnaire(path)
        except QuestionnaireError as error:
            raise MethodologyError(str(error), error.problems) from None
        tree = survey_methodology(questionnaire)
        millesimes = ", ".join(str(m) for m in questionnaire.millesimes)
        return (
            f"Questionnaire {questionnaire.version} valide : {len(questionnaire.axes)} axes, "
            f"{len(questionnaire.questions)} questions, {len(tree.nodes)} nœuds, "
            f"millésimes {millesimes}."
        )
    methodology = check_methodology(document, source=str(path))
    return (
        f"Méthodologie valide : {methodology.name} (version {methodology.version}), "
        f"racine {methodology.root}, {len(methodology.nodes)} nœuds, "
        f"{len(methodology.indicators)} indicateurs."
    )
