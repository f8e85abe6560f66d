"""Property-based tests: whatever bytes arrive, ingestion reports, never crashes, loses nothing."""

from __future__ import annotations

import hashlib
import shutil

import dagster as dg
import duckdb
import pandas as pd
from dagster_duckdb import DuckDBResource
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assets.resources import PublicationTarget, SubmissionStorage
from domain.submissions.validation import validate_submission
from pipelines.definitions import all_assets
from pipelines.demo import demo_rows, to_csv_bytes

TERRITORIES = pd.DataFrame({"code": ["DEP-13"], "kind": ["DEP"]})
VALID = to_csv_bytes(
    demo_rows(pd.Series({"code": "DEP-13", "kind": "DEP", "population": 2_000_000}), 2026, 0.5,
              __import__("domain.questionnaire", fromlist=["x"]).load_questionnaires().current, seed=3)
)  # fmt: skip


@st.composite
def malformed_files(draw) -> bytes:
    """Valid files damaged the ways files get damaged, or plain garbage."""
    kind = draw(
        st.sampled_from(["truncated", "garbage", "inserted", "huge_field", "wrong_type", "spliced"])
    )
    if kind == "truncated":
        return VALID[: draw(st.integers(0, len(VALID)))]
    if kind == "garbage":
        return draw(st.binary(max_size=2000))
    if kind == "inserted":
        at = draw(st.integers(0, len(VALID)))
        return VALID[:at] + draw(st.binary(min_size=1, max_size=50)) + VALID[at:]
    if kind == "huge_field":
        size = draw(st.integers(10_000, 300_000))
        quote = draw(st.sampled_from([b"", b'"']))
        return VALID + b"DEP-13;2026;LAB_01;" + quote + b"x" * size + b"\r\n"
    if kind == "wrong_type":
        lines = VALID.split(b"\r\n")
        at = draw(st.integers(1, len(lines) - 2))
        cells = lines[at].split(b";")
        column = draw(st.integers(0, len(cells) - 1))
        cells[column] = draw(st.text(max_size=30)).encode("utf-8", "replace").replace(b"\r", b"")
        lines[at] = b";".join(cells)
        return b"\r\n".join(lines)
    prefix = draw(st.sampled_from([b"PK\x03\x04", b"\xff\xfe", b"\xef\xbb\xbf", b""]))
    return prefix + draw(st.binary(max_size=500)) + VALID[: draw(st.integers(0, 300))]


@settings(max_examples=300, deadline=None)
@given(content=malformed_files())
def test_validation_never_crashes_and_every_rejection_is_explained(content, questionnaire):
    result = validate_submission(content, TERRITORIES, questionnaire)
    if not result.accepted:
        errors = [issue for issue in result.issues if issue.severity == "erreur"]
        assert errors and all(issue.message.strip() for issue in errors)


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(contents=st.lists(malformed_files(), min_size=1, max_size=4))
def test_pipeline_survives_malformed_files_and_archives_them_intact(
    contents, pipeline_run, tmp_path_factory
):
    root = tmp_path_factory.mktemp("malformed")
    shutil.copy(pipeline_run.warehouse, root / "warehouse.duckdb")
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
            "core_submission_files",
        ],
        resources={
            "warehouse": DuckDBResource(database=str(root / "warehouse.duckdb")),
            "storage": SubmissionStorage(
                incoming_dir=str(incoming), archive_dir=str(root / "archive")
            ),
            "publication": PublicationTarget(published_path=str(root / "published.duckdb")),
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
