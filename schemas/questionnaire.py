"""Pandera models of the questionnaire: its axes and its questions."""

from __future__ import annotations

import pandera.pandas as pa
from pandera.typing import Series

ANSWER_TYPES = ["oui_non", "echelle", "pourcentage", "nombre", "choix_multiple"]


class AxisSchema(pa.DataFrameModel):
    """An axis of the digital value chain."""

    code: Series[str] = pa.Field(unique=True, str_matches=r"^[A-Z]{2,6}$")
    label: Series[str]
    description: Series[str] = pa.Field(nullable=True)
    position: Series[int] = pa.Field(ge=1)

    class Config:
        strict = True


class QuestionSchema(pa.DataFrameModel):
    """A survey question, as read from the questionnaire file."""

    code: Series[str] = pa.Field(unique=True, str_matches=r"^[A-Z]{2,6}_\d{2}$")
    axis: Series[str]
    label: Series[str] = pa.Field(str_length={"min_value": 5})
    answer_type: Series[str] = pa.Field(isin=ANSWER_TYPES)
    weight: Series[float] = pa.Field(gt=0)
    asked_of: Series[object]
    required: Series[bool]
    higher_is_better: Series[bool]
    unit: Series[object] = pa.Field(nullable=True)
    target_per_10000: Series[float] = pa.Field(nullable=True, coerce=True)
    options: Series[object]
    scale_labels: Series[object]
    help: Series[object] = pa.Field(nullable=True)

    @pa.dataframe_check(error="une question « nombre » doit donner target_per_10000 > 0")
    def counts_have_a_target(cls, df):
        is_count = df["answer_type"] == "nombre"
        target = df["target_per_10000"]
        return ~is_count | (target > 0)

    @pa.dataframe_check(error="une question « choix_multiple » doit lister ses options")
    def choices_have_options(cls, df):
        return (df["answer_type"] != "choix_multiple") | (df["options"].map(len) >= 2)

    @pa.dataframe_check(error="une question « echelle » doit nommer les niveaux 0 à 4")
    def scales_have_five_levels(cls, df):
        return (df["answer_type"] != "echelle") | df["scale_labels"].map(
            lambda s: sorted(s) == [0, 1, 2, 3, 4]
        )

    class Config:
        strict = True
