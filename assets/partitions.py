"""Millésimes as Dagster partitions of the survey assets.

A millésime is opened by naming it in a questionnaire version (``data/questionnaire/*.yaml``),
so the partitions are read from there when the code location loads. Scores of one millésime
are computed and replaced without touching the others; a full refresh is one run over the
whole range (``BackfillPolicy.single_run``), not one run per millésime.
"""

import warnings
from collections.abc import Iterable, Sequence

import dagster as dg

from assets.tables import table_spec
from domain.questionnaire import load_questionnaires

#: Run tags with which Dagster runs a range of partitions in a single run.
ASSET_PARTITION_RANGE_START_TAG = "dagster/asset_partition_range_start"
ASSET_PARTITION_RANGE_END_TAG = "dagster/asset_partition_range_end"


def survey_millesimes() -> list[str]:
    """Every millésime opened by a questionnaire version, as partition keys, oldest first."""
    return [str(m) for m in load_questionnaires().open_millesimes]


millesime_partitions = dg.StaticPartitionsDefinition(survey_millesimes())

#: Every partitioned asset runs its millésimes in one go, even when a range is asked.
single_run = dg.BackfillPolicy.single_run()
# ``backfill_policy`` is marked beta in Dagster 1.13; say it once here, not on every command.
warnings.filterwarnings("ignore", message=".*backfill_policy.*", category=dg.BetaWarning)


def millesimes_of(context: dg.AssetExecutionContext) -> list[int]:
    """The millésimes a run of a partitioned asset covers."""
    return [int(key) for key in context.partition_keys]


def range_tags(keys: Sequence[str]) -> dict[str, str]:
    """Run tags asking for the partition range from the first to the last of ``keys``."""
    ordered = sorted(keys)
    return {
        ASSET_PARTITION_RANGE_START_TAG: ordered[0],
        ASSET_PARTITION_RANGE_END_TAG: ordered[-1],
    }


def all_millesimes_tags() -> dict[str, str]:
    """Run tags covering every millésime (full refresh)."""
    return range_tags(millesime_partitions.get_partition_keys())


def partition_keys_for(millesimes: Iterable[int | str | None]) -> list[str]:
    """The partition keys of ``millesimes`` that exist, sorted; unknown ones are dropped."""
    known = set(millesime_partitions.get_partition_keys())
    return sorted({str(m) for m in millesimes if m is not None} & known)


def survey_table(key: str, table: str, description: str, deps=()) -> dg.AssetSpec:
    """A table of the survey's scores or results, partitioned by millésime."""
    return table_spec(key, table, description, "scoring", deps, millesime_partitions)
