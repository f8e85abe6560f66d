"""Resource types the assets are given (configured from the environment by
:mod:`pipelines.resources`): where files arrive and are archived, where the snapshot goes,
where territories' contributions are recorded."""

import dagster as dg


class SubmissionStorage(dg.ConfigurableResource):
    """Folders where submission files arrive and where every received file is archived."""

    incoming_dir: str
    archive_dir: str


class PublicationTarget(dg.ConfigurableResource):
    """Where the copy of the warehouse that the dashboard reads is published."""

    published_path: str


class ContributionStore(dg.ConfigurableResource):
    """The contributions store (SQLite) where territories' achievement sheets, analysts'
    decisions, supports and comments are recorded (see :mod:`domain.achievements.ledger`)."""

    path: str
