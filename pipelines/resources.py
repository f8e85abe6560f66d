"""Dagster resources of the observatory, configured from environment variables."""

from __future__ import annotations

import os

import dagster as dg
from dagster_duckdb import DuckDBResource

from assets.resources import ContributionStore, PublicationTarget, SubmissionStorage
from domain.settings import PATH_DEFAULTS


def env_setting(name: str) -> str | dg.EnvVar:
    """Return a Dagster resource value: an ``EnvVar`` when the variable is set, else the default.

    Using ``EnvVar`` when the variable exists lets the Dagster UI show where the value
    comes from; falling back to the default keeps the demo working with no configuration.
    """
    if os.environ.get(name):
        return dg.EnvVar(name)
    return PATH_DEFAULTS[name]


def build_resources() -> dict[str, dg.ConfigurableResource]:
    """Resources for the Definitions, from environment variables or their demo defaults."""
    return {
        "warehouse": DuckDBResource(database=env_setting("OBSERVATOIRE_WAREHOUSE")),
        "storage": SubmissionStorage(
            incoming_dir=env_setting("OBSERVATOIRE_INCOMING"),
            archive_dir=env_setting("OBSERVATOIRE_ARCHIVE"),
        ),
        "publication": PublicationTarget(published_path=env_setting("OBSERVATOIRE_PUBLISHED")),
        "contributions": ContributionStore(path=env_setting("OBSERVATOIRE_CONTRIBUTIONS")),
    }
