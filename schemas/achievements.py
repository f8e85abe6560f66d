"""Pandera models of the published tables of the achievements (« réalisations
exemplaires »): the sheets, their axes and fundings, the peers' feedback and comments, and
the recommendations of peers' sheets on weak axes."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from schemas.reference import TERRITORY_CODE_PATTERN
from schemas.vocabulary import FEEDBACK_KINDS, TERRITORY_KINDS

#: ``<territory code>/<identifier>``: the id of a sheet.
ACHIEVEMENT_ID_PATTERN = TERRITORY_CODE_PATTERN[:-1] + r"/[a-z0-9]+(-[a-z0-9]+)*$"
#: Codes joined by "|", or nothing.
_CODES = r"^([A-Z0-9_]+(\|[A-Z0-9_]+)*)?$"


class AchievementSchema(pa.DataFrameModel):
    """A published sheet (its current version), with the counts of peers' feedback."""

    achievement_id: Series[str] = pa.Field(unique=True, str_matches=ACHIEVEMENT_ID_PATTERN)
    territory: Series[str] = pa.Field(str_matches=TERRITORY_CODE_PATTERN)
    identifier: Series[str] = pa.Field(str_matches=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    title: Series[str] = pa.Field(str_length={"min_value": 1, "max_value": 150})
    axes: Series[str] = pa.Field(str_matches=r"^[A-Z]+(\|[A-Z]+){0,2}$")
    questions: Series[str] = pa.Field(str_matches=_CODES)
    context: Series[str] = pa.Field(str_length={"min_value": 1})
    description: Series[str] = pa.Field(str_length={"min_value": 1})
    partners_public: Series[str]
    partners_academic: Series[str]
    partners_private: Series[str]
    partners_associative: Series[str]
    budget_euros: Series[float] = pa.Field(nullable=True, ge=0)
    funding: Series[str]
    start_date: Series[str] = pa.Field(str_matches=r"^\d{4}(-\d{2}){0,2}$")
    end_date: Series[str] = pa.Field(nullable=True, str_matches=r"^\d{4}(-\d{2}){0,2}$")
    year: Series[int] = pa.Field(ge=2000, le=2100)
    results: Series[str] = pa.Field(str_length={"min_value": 1})
    lessons: Series[str] = pa.Field(str_length={"min_value": 1})
    transferability: Series[str] = pa.Field(str_length={"min_value": 1})
    target_kinds: Series[str] = pa.Field(str_matches=_CODES)
    adaptation_cost_euros: Series[float] = pa.Field(nullable=True, ge=0)
    links: Series[str]
    contact_role: Series[str] = pa.Field(str_length={"min_value": 1})
    licence: Series[str] = pa.Field(str_length={"min_value": 1})
    version: Series[int] = pa.Field(ge=1)
    submitted_at: Series[pa.DateTime]
    published_at: Series[pa.DateTime]
    supports: Series[int] = pa.Field(ge=0)
    adaptations: Series[int] = pa.Field(ge=0)
    comments: Series[int] = pa.Field(ge=0)

    @pa.dataframe_check(error="une réalisation n'appartient pas au territoire de son identifiant")
    def id_names_its_territory(cls, df: pd.DataFrame) -> pd.Series:
        return df["achievement_id"] == df["territory"] + "/" + df["identifier"]

    @pa.dataframe_check(error="un type de territoire ciblé est inconnu")
    def known_target_kinds(cls, df: pd.DataFrame) -> pd.Series:
        kinds = df["target_kinds"].str.split("|")
        return kinds.map(lambda items: all(k in TERRITORY_KINDS for k in items if k))

    class Config:
        strict = True
        coerce = True


class AchievementAxisSchema(pa.DataFrameModel):
    """An axis a published sheet serves."""

    achievement_id: Series[str] = pa.Field(str_matches=ACHIEVEMENT_ID_PATTERN)
    axis: Series[str] = pa.Field(str_matches=r"^[A-Z]+$")

    class Config:
        strict = True
        unique = ["achievement_id", "axis"]


class AchievementFundingSchema(pa.DataFrameModel):
    """A funder of a published sheet, with its share and amount when known."""

    achievement_id: Series[str] = pa.Field(str_matches=ACHIEVEMENT_ID_PATTERN)
    funder: Series[str] = pa.Field(str_length={"min_value": 1})
    share_percent: Series[float] = pa.Field(nullable=True, ge=0, le=100)
    amount_euros: Series[float] = pa.Field(nullable=True, ge=0)

    @pa.dataframe_check(error="les parts des financeurs d'une réalisation dépassent 100 %")
    def shares_within_a_whole(cls, df: pd.DataFrame) -> bool:
        return bool((df.groupby("achievement_id")["share_percent"].sum() <= 100 + 1e-9).all())

    class Config:
        strict = True
        coerce = True


class AchievementFeedbackSchema(pa.DataFrameModel):
    """A territory's support of, or adaptation of, a published sheet: one of each at most."""

    achievement_id: Series[str] = pa.Field(str_matches=ACHIEVEMENT_ID_PATTERN)
    territory: Series[str] = pa.Field(str_matches=TERRITORY_CODE_PATTERN)
    kind: Series[str] = pa.Field(isin=list(FEEDBACK_KINDS))
    recorded_at: Series[pa.DateTime]

    class Config:
        strict = True
        coerce = True
        unique = ["achievement_id", "territory", "kind"]


class AchievementCommentSchema(pa.DataFrameModel):
    """A published comment of a territory on a published sheet."""

    comment_id: Series[str] = pa.Field(unique=True)
    achievement_id: Series[str] = pa.Field(str_matches=ACHIEVEMENT_ID_PATTERN)
    territory: Series[str] = pa.Field(str_matches=TERRITORY_CODE_PATTERN)
    text: Series[str] = pa.Field(str_length={"min_value": 1})
    recorded_at: Series[pa.DateTime]
    published_at: Series[pa.DateTime]

    class Config:
        strict = True
        coerce = True


class AchievementRecommendationSchema(pa.DataFrameModel):
    """A peer's published sheet recommended on a weak axis of a territory (rank 1 first)."""

    millesime: Series[int] = pa.Field(ge=2000, le=2100)
    territory: Series[str] = pa.Field(str_matches=TERRITORY_CODE_PATTERN)
    axis: Series[str]
    rank: Series[int] = pa.Field(ge=1, le=3)
    achievement_id: Series[str] = pa.Field(str_matches=ACHIEVEMENT_ID_PATTERN)
    author: Series[str] = pa.Field(str_matches=TERRITORY_CODE_PATTERN)
    author_score: Series[float] = pa.Field(ge=0, le=100)
    author_progress: Series[float] = pa.Field(nullable=True, ge=-100, le=100)
    same_kind: Series[bool]
    similar_population: Series[bool]
    same_region: Series[bool]

    @pa.dataframe_check(error="un territoire se voit recommander sa propre réalisation")
    def never_ones_own(cls, df: pd.DataFrame) -> pd.Series:
        return df["author"] != df["territory"]

    class Config:
        strict = True
        coerce = True
        unique = ["millesime", "territory", "axis", "rank"]
