"""Méthodologie: versions of the methodology, series breaks and rank robustness."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import pandas as pd

from dashboards.data.connection import read
from domain.questionnaire import Questionnaires, load_questionnaires
from domain.settings import QUESTIONNAIRE_DIR


def series_breaks() -> pd.DataFrame:
    """Breaks in the axis series: one row per axis not comparable with the previous version.

    Columns: ``millesime`` (first millésime of the new version), ``version``,
    ``previous_version``, ``axis``, ``axis_label``, ``changes`` (French text); ordered by
    millésime then axis display order. Empty when every series is comparable.
    """
    return read(
        "series_breaks",
        """
        select b.millesime::integer as millesime, b.version::varchar as version,
               b.previous_version::varchar as previous_version, b.axis::varchar as axis,
               coalesce(a.label, b.axis::varchar) as axis_label, b.changes::varchar as changes
        from series_breaks b
        left join axes a on a.code = b.axis::varchar
        where b.comparable::boolean = false
        order by b.millesime, a.position nulls last, b.axis
        """,
    )


def open_millesimes() -> list[int]:
    """Every millésime open in a questionnaire version (whether or not answered yet)."""
    frame = read("open_millesimes", "select millesime from methodology_versions order by millesime")
    return [int(m) for m in frame["millesime"]]


def methodology_version(millesime: int) -> str | None:
    """Version of the methodology (questionnaire) used to score ``millesime``, if known."""
    frame = read(
        "methodology_version",
        "select version from methodology_versions where millesime = ?",
        [millesime],
    )
    return None if frame.empty else str(frame.iloc[0]["version"])


#: The uncertain choices of the rank robustness analysis, in the order pages list them.
SENSITIVITY_FACTORS = ("question_weights", "axis_weights", "index_aggregation")


def rank_sensitivity(millesime: int | None = None) -> pd.DataFrame:
    """Share of the rank variance explained by each uncertain choice (Sobol indices, 0–1).

    For ``millesime``, or the latest millésime analysed when None. Columns: ``factor``,
    ``label`` (French), ``first_order``, ``total``, ``millesime``; in the order of the
    analysis.
    """
    return read(
        "rank_sensitivity",
        """
        select factor, label, first_order, total, millesime
        from rank_sensitivity
        where millesime = coalesce($millesime, (select max(millesime) from rank_sensitivity))
        order by list_position($factors, factor) nulls last, factor
        """,
        {"millesime": millesime, "factors": list(SENSITIVITY_FACTORS)},
    )


class MethodologyUnavailable(RuntimeError):
    """The methodology files cannot be read; ``str(error)`` is a French sentence."""


def questionnaires() -> Questionnaires:
    """Every version of the questionnaire, the methodology the pipeline scores with.

    The files ship with the code and change rarely, so they are parsed once per process
    and again only when a file is added, removed or modified (mtime and size). This is an
    in-process cache on purpose: the parsed versions hold code objects (dataclasses, data
    frames) that a shared file cache would keep, pickled, across deployments of new code.
    Raises :class:`MethodologyUnavailable` when no version can be read.
    """
    directory = Path(QUESTIONNAIRE_DIR)
    try:
        signature = tuple(
            (path.name, path.stat().st_mtime_ns, path.stat().st_size)
            for path in sorted(directory.glob("*.yaml"))
        )
    except OSError as error:
        raise MethodologyUnavailable(
            f"Le dossier de la méthodologie {directory} ne peut pas être lu ({error})."
        ) from error
    if not signature:
        raise MethodologyUnavailable(
            f"Aucun fichier de méthodologie (questionnaire) dans {directory}."
        )
    return _parsed_questionnaires(str(directory), signature)


@functools.lru_cache(maxsize=4)
def _parsed_questionnaires(directory: str, signature: tuple[Any, ...]) -> Questionnaires:
    try:
        return load_questionnaires(Path(directory))
    except Exception as error:  # YAML, schema or consistency error: say which, in French
        raise MethodologyUnavailable(
            f"Les fichiers de méthodologie de {directory} ne peuvent pas être lus ({error}). "
            "Corrigez le fichier YAML en cause."
        ) from error
