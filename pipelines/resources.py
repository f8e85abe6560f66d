"""Dagster resources of the observatory, configured from environment variables."""

from __future__ import annotations

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipelines.settings import env_setting


class SubmissionStorage(dg.ConfigurableResource):
    """Folders where submission files arrive and where every received file is archived."""

    incoming_dir: str
    archive_dir: str


class PublicationTarget(dg.ConfigurableResource):
    """Where the copy of the warehouse that the dashboard reads is published."""

    published_path: str


def build_resources() -> dict[str, dg.ConfigurableResource]:
    """Resources for the Definitions, from environment variables or their demo defaults."""
    return {
        "warehouse": DuckDBResource(database=env_setting("OBSERVATOIRE_WAREHOUSE")),
        "storage": SubmissionStorage(
            incoming_dir=env_setting("OBSERVATOIRE_INCOMING"),
            archive_dir=env_setting("OBSERVATOIRE_ARCHIVE"),
        ),
        "publication": PublicationTarget(published_path=env_setting("OBSERVATOIRE_PUBLISHED")),
    }
