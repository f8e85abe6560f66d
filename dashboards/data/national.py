"""Vue nationale: headline figures of a millésime, every territory's score, the map."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pandas as pd

from dashboards.data.connection import cached, is_na, query, read
from dashboards.data.reference import axes, territories
from dashboards.figures.insets import place_geometry
from schemas.vocabulary import REJECTED, TERRITORY_KINDS

#: Levels of the national map.
MAP_LEVELS = ("DEP", "REG")


@dataclass(frozen=True)
class NationalSummary:
    """Headline figures of one millésime."""

    millesime: int
    territories_scored: int
    territories_insufficient: int
    median_index: float | None
    share_advanced: float | None
    files_received: int
    files_rejected: int


def national_summary(millesime: int) -> NationalSummary:
    """KPIs of ``millesime``: territories scored, median index, share at level ≥ 4, files."""
    scores_row = read(
        "national_summary.scores",
        """
        select
            count(*) filter (where global_index is not null) as territories_scored,
            count(*) filter (where global_index is null) as territories_insufficient,
            median(global_index) as median_index,
            avg(case when maturity_level >= 4 then 1.0 else 0.0 end)
                filter (where global_index is not null) as share_advanced
        from territory_scores
        where millesime = ?
        """,
        [millesime],
    ).iloc[0]
    files = read(
        "national_summary.files",
        """
        select count(*) as received, count(*) filter (where status = $rejected) as rejected
        from submission_files
        where millesime = $millesime
        """,
        {"millesime": millesime, "rejected": REJECTED},
    ).iloc[0]
    return NationalSummary(
        millesime=millesime,
        territories_scored=int(scores_row["territories_scored"]),
        territories_insufficient=int(scores_row["territories_insufficient"]),
        median_index=None
        if is_na(scores_row["median_index"])
        else float(scores_row["median_index"]),
        share_advanced=None
        if is_na(scores_row["share_advanced"])
        else float(scores_row["share_advanced"]),
        files_received=int(files["received"]),
        files_rejected=int(files["rejected"]),
    )


def scores(millesime: int) -> pd.DataFrame:
    """Every territory with its score of ``millesime`` (NULL columns when it did not answer).

    Columns: ``code``, ``kind``, ``kind_label``, ``name``, ``population``, ``global_index``,
    ``maturity_level``, ``maturity_label``, ``coverage``, ``answered`` (a score row exists).
    """
    return read(
        "scores",
        """
        select t.code, t.kind, t.kind_label, t.name, t.population,
               s.global_index, s.maturity_level, s.maturity_label, s.coverage,
               s.territory is not null as answered
        from territories t
        left join territory_scores s on s.territory = t.code and s.millesime = ?
        order by list_position(?, t.kind), t.name collate nocase, t.code
        """,
        [millesime, list(TERRITORY_KINDS)],
    )


def map_geojson(level: str) -> dict[str, Any]:
    """GeoJSON FeatureCollection of the régions or départements; feature ``id`` = code.

    The overseas outlines are already moved into their insets beside metropolitan France
    (:func:`~dashboards.figures.insets.place_geometry`): computed once per publication and
    level, then served from the shared cache to every visitor."""
    if level not in MAP_LEVELS:
        raise ValueError(f"Échelon de carte inconnu : {level!r} (attendu : REG ou DEP).")

    def build() -> dict[str, Any]:
        frame = query(
            "select code, geojson from map_geometries where level = ? order by code", [level]
        )
        return {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "id": row.code,
                    "properties": {"code": row.code},
                    "geometry": place_geometry(json.loads(row.geojson), row.code),
                }
                for row in frame.itertuples(index=False)
            ],
        }

    return cached("map_geojson", [level], build)


def axis_scores_of(millesime: int) -> pd.DataFrame:
    """Every score of ``millesime`` in wide form: one row per scored territory (``code``),
    one column per axis code, NULL where the axis has too few answers."""
    frame = read(
        "axis_scores_of",
        "select territory as code, axis, score from axis_scores where millesime = ?",
        [millesime],
    )
    wide = frame.pivot_table(index="code", columns="axis", values="score", dropna=False)
    return wide.reindex(columns=list(axes()["code"])).reset_index().rename_axis(columns=None)


def measure(millesime: int, axis: str | None) -> pd.DataFrame:
    """Every territory with the measure the map shows: the global index, or one axis score.

    Columns of :func:`scores` plus ``departement``, ``longitude``, ``latitude`` (the seat,
    for markers) and ``value`` (the measure, NULL when not scored). Cached per publication:
    with ~36,000 territories the join costs more than reading the cached result.
    """
    if axis is not None and axis not in set(axes()["code"]):
        raise ValueError(f"Axe inconnu : {axis!r}.")

    def build() -> pd.DataFrame:
        places = territories()[["code", "departement", "longitude", "latitude"]]
        frame = scores(millesime).merge(places, on="code", how="left")
        if axis is None:
            return frame.assign(value=frame["global_index"])
        values = axis_scores_of(millesime).set_index("code")[axis]
        return frame.assign(value=frame["code"].map(values).astype("Float64"))

    return cached("measure", [millesime, axis], build)
