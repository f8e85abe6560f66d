"""Pandera models of a submission file: its rows as read, and the answers once validated."""

from __future__ import annotations

import pandera.pandas as pa
from pandera.typing import Series

from schemas.reference import TERRITORY_CODE_PATTERN
from schemas.vocabulary import ERROR, WARNING

#: Columns of the submission template, in order.
SUBMISSION_COLUMNS = ["code_territoire", "millesime", "code_question", "reponse", "commentaire"]

#: Longest comment kept without a warning.
MAX_COMMENT_LENGTH = 2000


class SubmissionRowSchema(pa.DataFrameModel):
    """A row of a submission file as typed by the territory (every cell is text).

    Each check carries the French explanation shown to the user when it fails.
    """

    line: Series[int] = pa.Field(ge=1)
    code_territoire: Series[str] = pa.Field(
        str_matches=TERRITORY_CODE_PATTERN,
        description="code du territoire, par exemple DEP-13, REG-84, EPCI-200054807 ou COM-75056",
    )
    millesime: Series[str] = pa.Field(
        str_matches=r"^\d{4}$", description="année sur quatre chiffres, par exemple 2026"
    )
    code_question: Series[str] = pa.Field(
        str_matches=r"^[A-Z]{2,6}_\d{2}$",
        description="code de question du modèle, par exemple LAB_01",
    )
    reponse: Series[str]
    commentaire: Series[str]

    class Config:
        strict = True


class ValidatedAnswerSchema(pa.DataFrameModel):
    """An answer that passed every check, with its normalised numeric value."""

    sha256: Series[str] = pa.Field(str_matches=r"^[0-9a-f]{64}$")
    file_name: Series[str]
    received_at: Series[pa.DateTime]
    line: Series[int] = pa.Field(ge=1)
    territory: Series[str] = pa.Field(str_matches=TERRITORY_CODE_PATTERN)
    millesime: Series[int] = pa.Field(ge=2000, le=2100)
    question: Series[str]
    answer: Series[str] = pa.Field(nullable=True)
    value: Series[float] = pa.Field(nullable=True, ge=0)
    comment: Series[str] = pa.Field(nullable=True)

    class Config:
        strict = True
        coerce = True
        unique = ["sha256", "territory", "millesime", "question"]


class ValidationRuleCountSchema(pa.DataFrameModel):
    """How many times a received file breaks one rule, at one severity (every issue counted,
    whereas ``validation_issues`` keeps only the first lines of each report)."""

    sha256: Series[str]
    file_name: Series[str]
    rule: Series[str]
    label: Series[str]
    severity: Series[str] = pa.Field(isin=[ERROR, WARNING])
    issues: Series[int] = pa.Field(ge=1)

    class Config:
        strict = True
        unique = ["sha256", "rule", "severity"]
