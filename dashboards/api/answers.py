"""``/territoires/{code}/reponses``: the published answers of one territory.

Each row is a row of the ``reponses`` open dataset (``reponses-<millésime>.csv``): only
answers of files accepted and published, never a file awaiting validation.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from dashboards.api import API_PREFIX, readers
from dashboards.api.dataset_schemas import row_schema
from dashboards.api.filters import keep_values
from dashboards.api.parameters import Blueprint, QueryArgs
from dashboards.api.responses import collection_schema, not_found
from dashboards.api.scores import axis_field, millesime_field
from dashboards.api.territories import CODE_PARAMETER
from dashboards.api.views import collection_view, page_response
from dashboards.downloads import DATASETS

blueprint = Blueprint(
    "Réponses",
    __name__,
    url_prefix=API_PREFIX,
    description="Réponses publiées d'un territoire au questionnaire, question par question, "
    "avec le score obtenu et le poids de la question — les lignes du fichier reponses.",
)


class AnswersArgs(QueryArgs):
    """Filters of ``/territoires/{code}/reponses``."""

    millesime = millesime_field()
    axe = axis_field("Les questions de ces axes, codes séparés par des virgules")


AnswerRow = row_schema("Reponse", "reponses")
AnswersPage = collection_schema(AnswerRow)


def territory_answers(code: str, millesimes: list[int] | None) -> pd.DataFrame:
    """The rows of the ``reponses`` dataset of territory ``code`` for ``millesimes`` (every
    published millésime when None), cut from each millésime's cached rows."""
    wanted = sorted(set(millesimes or readers.published_millesimes()))
    if not wanted:
        return pd.DataFrame(columns=[field.name for field in DATASETS["reponses"].fields])
    # The per-millésime rows already cached for the dataset, filtered in process: no cache
    # entry per territory (outside clients could otherwise fill the shared cache).
    frame = readers.dataset_rows("reponses", wanted)
    return frame[frame["code_territoire"] == code].reset_index(drop=True)


@collection_view(
    blueprint,
    "/territoires/<string:code>/reponses",
    arguments=AnswersArgs,
    schema=AnswersPage,
    description="Une page des réponses du territoire : une ligne par millésime et question",
    sortable=[field.name for field in DATASETS["reponses"].fields],
    sort_example="millesime,code_question",
    parameters=[CODE_PARAMETER],
)
def answers(code: str, **arguments: Any):
    """Réponses d'un territoire

    Les réponses publiées du territoire {code} : pour chaque millésime et question, la
    réponse retenue après validation, son score et le poids de la question dans son axe.
    """
    if code not in readers.territory_codes():
        raise not_found(
            f"Territoire inconnu : « {code} ». Les codes sont ceux de /api/v1/territoires "
            "(par exemple DEP-13 ou REG-93)."
        )
    readers.check_millesimes(arguments.get("millesime"))
    readers.check_axes(arguments.get("axe"))
    frame = territory_answers(code, arguments.get("millesime"))
    frame = keep_values(frame, "code_axe", arguments.get("axe"))
    return page_response(frame, arguments, name="reponses")
