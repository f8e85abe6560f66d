"""What a sheet is checked against: the territories (code → kind), the axes and the
questions of the questionnaire, found cheaply.

Building the national reference takes seconds; the published copy already holds the
territories of the configured scope, in a file that is only ever replaced whole and that
any process may open read-only. The command line and the services read it there, and build
the reference only when nothing was published yet. The warehouse is not opened: a reader
there would stop a run of the pipeline from opening it for writing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import duckdb

from domain.questionnaire import Questionnaires, load_questionnaires
from domain.settings import env_path

#: Where the territories came from, as the command line says it.
FROM_PUBLICATION = "copie publiée"
FROM_REFERENCE = "référentiel des territoires"


@dataclass(frozen=True)
class SheetReferences:
    """The codes a sheet may name, and where the territories were read."""

    territories: Mapping[str, str]
    axes: tuple[str, ...]
    questions: frozenset[str]
    source: str


def questionnaire_codes(questionnaires: Questionnaires) -> tuple[tuple[str, ...], frozenset[str]]:
    """The axis codes (the current version's order first) and the question codes of every
    version of the questionnaire."""
    versions = sorted(questionnaires.versions, key=lambda q: max(q.millesimes), reverse=True)
    axes: list[str] = []
    questions: set[str] = set()
    for questionnaire in versions:
        axes += [code for code in questionnaire.axes["code"] if code not in axes]
        questions |= set(questionnaire.questions["code"])
    return tuple(axes), frozenset(questions)


def published_territories(published: Path) -> dict[str, str] | None:
    """Code → kind of the territories of the published copy; ``None`` when there is none
    yet (or it cannot be read)."""
    if not Path(published).is_file():
        return None
    try:
        with duckdb.connect(str(published), read_only=True) as connection:
            rows = connection.execute("SELECT code, kind FROM territories").fetchall()
    except duckdb.Error:
        return None
    return {str(code): str(kind) for code, kind in rows} or None


def sheet_references(questionnaires: Questionnaires | None = None) -> SheetReferences:
    """The territories of the published copy (else of the reference, built), and the codes
    of the questionnaire versions (``OBSERVATOIRE_QUESTIONNAIRES``)."""
    axes, questions = questionnaire_codes(questionnaires or load_questionnaires())
    territories = published_territories(env_path("OBSERVATOIRE_PUBLISHED"))
    if territories is not None:
        return SheetReferences(territories, axes, questions, FROM_PUBLICATION)
    from domain.reference import load_territory_reference

    reference = load_territory_reference()
    territories = dict(zip(reference["code"], reference["kind"], strict=True))
    return SheetReferences(territories, axes, questions, FROM_REFERENCE)
