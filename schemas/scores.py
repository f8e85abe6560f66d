"""Pandera models of the scores: per question, per axis, and the global index."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series


class QuestionScoreSchema(pa.DataFrameModel):
    """Score of one question asked of a territory for a millésime (NaN when unanswered)."""

    territory: Series[str]
    millesime: Series[int] = pa.Field(ge=2000, le=2100)
    question: Series[str]
    axis: Series[str]
    weight: Series[float] = pa.Field(gt=0)
    answer: Series[object] = pa.Field(nullable=True)
    value: Series[float] = pa.Field(nullable=True)
    score: Series[float] = pa.Field(nullable=True, ge=0, le=100)

    @pa.dataframe_check(
        error="une question est comptée deux fois pour un territoire et un millésime"
    )
    def one_row_per_question(cls, df: pd.DataFrame) -> bool:
        return not df.duplicated(["territory", "millesime", "question"]).any()

    class Config:
        strict = True
        coerce = True


class AxisScoreSchema(pa.DataFrameModel):
    """Score of one axis for a territory and millésime (NaN when data are insufficient)."""

    territory: Series[str]
    millesime: Series[int]
    axis: Series[str]
    score: Series[float] = pa.Field(nullable=True, ge=0, le=100)
    coverage: Series[float] = pa.Field(ge=0, le=1)

    class Config:
        strict = True
        coerce = True
        unique = ["territory", "millesime", "axis"]


class TerritoryScoreSchema(pa.DataFrameModel):
    """Global index and maturity level of a territory for a millésime."""

    territory: Series[str]
    millesime: Series[int]
    global_index: Series[float] = pa.Field(nullable=True, ge=0, le=100)
    maturity_level: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1, le=5)
    maturity_label: Series[str]
    coverage: Series[float] = pa.Field(ge=0, le=1)
    axes_scored: Series[int] = pa.Field(ge=0)

    class Config:
        strict = True
        coerce = True
        unique = ["territory", "millesime"]
