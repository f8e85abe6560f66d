"""Each published table is one asset: its spec names the DuckDB table it materializes.

The asset key says the layer and the thing (``core_``, ``int_``, ``out_``, ``raw_``); the
table name travels in the standard ``dagster/table_name`` metadata, so that the Dagster UI
shows it and the publication derives its list of tables from the asset specs instead of a
list typed again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import dagster as dg

#: The standard metadata key naming the table an asset materializes.
TABLE_NAME_KEY = "dagster/table_name"
#: Whether the table is copied into the snapshot the dashboard reads.
PUBLISHED_KEY = "observatoire/published"


def table_spec(
    key: str,
    table: str,
    description: str,
    group: str,
    deps: Sequence[str] = (),
    partitions_def: dg.PartitionsDefinition | None = None,
    published: bool = True,
) -> dg.AssetSpec:
    """The spec of an asset that is the DuckDB table ``table`` of the warehouse; a
    ``published`` table is copied into the snapshot the dashboard reads."""
    return dg.AssetSpec(
        key,
        description=description,
        group_name=group,
        kinds={"duckdb"},
        deps=list(deps),
        partitions_def=partitions_def,
        metadata={TABLE_NAME_KEY: table, PUBLISHED_KEY: published},
    )


def table_of(spec: dg.AssetSpec) -> str | None:
    """The table an asset spec materializes, or ``None`` for an asset that is no table."""
    return spec.metadata.get(TABLE_NAME_KEY)


def tables_of(
    assets: Iterable[dg.AssetsDefinition], published_only: bool = False
) -> dict[str, str]:
    """Asset key (as a string) → table name, for every table asset of ``assets`` (only the
    published ones with ``published_only``)."""
    tables: dict[str, str] = {}
    for asset in assets:
        for spec in asset.specs:
            table = table_of(spec)
            if table and (spec.metadata.get(PUBLISHED_KEY) or not published_only):
                tables[spec.key.to_user_string()] = table
    return tables


def materialize_results(
    tables: Mapping[str, Mapping[str, object]],
) -> Iterable[dg.MaterializeResult]:
    """One ``MaterializeResult`` per asset key of a multi-asset, with its metadata."""
    for key, metadata in tables.items():
        yield dg.MaterializeResult(asset_key=key, metadata=dict(metadata))


def reused_results(
    keys: Sequence[str], flag: str, reused: set[int]
) -> Iterable[dg.MaterializeResult]:
    """The results of a millésime multi-asset none of whose millésimes changed: nothing
    written again, ``flag`` false on every key, the reused millésimes on the first."""
    yield from materialize_results(
        {
            keys[0]: {
                "millesimes": "",
                flag: False,
                "reused_millesimes": ", ".join(map(str, sorted(reused))),
            },
            **{key: {flag: False} for key in keys[1:]},
        }
    )
