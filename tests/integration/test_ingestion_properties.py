"""Property-based test of a real ingestion: whatever bytes arrive, the submission assets
report, never crash, lose nothing."""

from __future__ import annotations

import hashlib
import shutil

import dagster as dg
import duckdb
from dagster_duckdb import DuckDBResource
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assets.resources import ContributionStore, PublicationTarget, SubmissionStorage
from pipelines.definitions import all_assets
from tests.strategies import VALID, malformed_files


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(contents=st.lists(malformed_files(), min_size=1, max_size=4))
def test_pipeline_survives_malformed_files_and_archives_them_intact(
    contents, reference_warehouse, tmp_path_factory
):
    root = tmp_path_factory.mktemp("malformed")
    shutil.copy(reference_warehouse, root / "warehouse.duckdb")
    incoming = root / "incoming"
    incoming.mkdir()
    sent = {}
    for number, content in enumerate([*contents, VALID]):
        (incoming / f"envoi_{number}.csv").write_bytes(content)
        sent[f"envoi_{number}.csv"] = hashlib.sha256(content).hexdigest()
    result = dg.materialize(
        all_assets,
        selection=[
            "raw_submission_files",
            "core_validated_answers",
            "core_validation_issues",
            "core_validation_rule_counts",
            "core_submission_files",
        ],
        resources={
            "warehouse": DuckDBResource(database=str(root / "warehouse.duckdb")),
            "storage": SubmissionStorage(
                incoming_dir=str(incoming), archive_dir=str(root / "archive")
            ),
            "publication": PublicationTarget(published_path=str(root / "published.duckdb")),
            "contributions": ContributionStore(path=str(root / "contributions.sqlite")),
        },
        instance=dg.DagsterInstance.ephemeral(),
    )
    assert result.success
    with duckdb.connect(str(root / "warehouse.duckdb"), read_only=True) as con:
        archived = con.execute("SELECT sha256, archive_path FROM raw_submission_files").fetchall()
        reported = dict(con.execute("SELECT sha256, status FROM submission_files").fetchall())
    archived_paths = dict(archived)
    for sha in sent.values():
        assert sha in archived_paths, "every file received is archived"
        with open(archived_paths[sha], "rb") as handle:
            assert hashlib.sha256(handle.read()).hexdigest() == sha, "archived bytes unaltered"
        assert sha in reported, "every file gets a status and a report"
    assert reported[sent[f"envoi_{len(contents)}.csv"]] == "acceptée"
