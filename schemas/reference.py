"""Pandera models of the territory reference."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from schemas.vocabulary import TERRITORY_KINDS

TERRITORY_CODE_PATTERN = r"^(REG-\d{2}|DEP-(\d{2,3}|2A|2B)|EPCI-\d{9}|COM-(\d{5}|2A\d{3}|2B\d{3}))$"


class TerritorySchema(pa.DataFrameModel):
    """One surveyed territory, with its level-prefixed code and parents."""

    code: Series[str] = pa.Field(unique=True, str_matches=TERRITORY_CODE_PATTERN)
    kind: Series[str] = pa.Field(isin=list(TERRITORY_KINDS))
    kind_label: Series[str]
    name: Series[str] = pa.Field(str_length={"min_value": 1})
    population: Series[pd.Int64Dtype] = pa.Field(gt=0, nullable=True)
    region: Series[str] = pa.Field(nullable=True, str_startswith="REG-")
    departement: Series[str] = pa.Field(nullable=True, str_startswith="DEP-")
    epci: Series[str] = pa.Field(nullable=True, str_startswith="EPCI-")
    insee_code: Series[str]
    longitude: Series[float] = pa.Field(nullable=True, ge=-180, le=180)
    latitude: Series[float] = pa.Field(nullable=True, ge=-90, le=90)

    class Config:
        strict = True
        coerce = True


class MapGeometrySchema(pa.DataFrameModel):
    """A simplified outline of a département or a région, as a GeoJSON geometry."""

    level: Series[str] = pa.Field(isin=["REG", "DEP"])
    code: Series[str] = pa.Field(unique=True, str_matches=TERRITORY_CODE_PATTERN)
    geojson: Series[str] = pa.Field(str_startswith='{"type":')

    class Config:
        strict = True
