"""A publication that would grow beyond OBSERVATOIRE_MAX_PUBLICATION_BYTES is refused by a
blocking check, and the dashboard keeps the last good copy."""

from __future__ import annotations

import shutil

import dagster as dg
import duckdb

from domain.publication import EDITIONS_FOLDER, archived_millesimes, edition_path, editions_dir
from tests.helpers import materialize_groups, publish_achievements

#: What the size check needs to run: the reports, and the publication it guards (the
#: scores, unchanged here, are left out of the run to keep it short).
GROUPS = ("submissions", "publication")


def publication_run(published) -> str:
    with duckdb.connect(str(published), read_only=True) as con:
        return con.execute("SELECT run_id FROM publication").fetchone()[0]


def refresh(root, monkeypatch, limit: int | None) -> dg.ExecuteInProcessResult:
    if limit is None:
        monkeypatch.delenv("OBSERVATOIRE_MAX_PUBLICATION_BYTES", raising=False)
    else:
        monkeypatch.setenv("OBSERVATOIRE_MAX_PUBLICATION_BYTES", str(limit))
    return materialize_groups(root, *GROUPS, raise_on_error=False)


def size_check(result: dg.ExecuteInProcessResult) -> dg.AssetCheckEvaluation:
    return next(
        evaluation
        for evaluation in result.get_asset_check_evaluations()
        if evaluation.check_name == "publication_fits_its_size_limit"
    )


def test_a_publication_beyond_the_size_limit_is_refused_and_the_last_one_kept(
    small_pipeline_run, tmp_path, monkeypatch
):
    root = tmp_path / "observatoire"
    shutil.copytree(small_pipeline_run.warehouse.parent, root)
    published = root / "published" / "observatoire.duckdb"
    before, size = publication_run(published), published.stat().st_size
    editions = {m: edition_path(published, m).read_bytes() for m in archived_millesimes(published)}
    assert editions, "the first publication archived the editions of its millésimes"

    refused = refresh(root, monkeypatch, size // 2)
    check = size_check(refused)
    assert not check.passed
    assert "OBSERVATOIRE_MAX_PUBLICATION_BYTES" in check.description
    assert check.metadata["limit_bytes"].value == size // 2
    # The trial copy measures what would be published: about the size of the last one.
    assert abs(check.metadata["size_bytes"].value - size) < size // 4
    assert publication_run(published) == before
    assert not refused.asset_materializations_for_node("out_published_snapshot")
    assert sorted(p.name for p in published.parent.iterdir()) == [EDITIONS_FOLDER, published.name]
    # A refused copy archives nothing.
    assert {m: edition_path(published, m).read_bytes() for m in editions} == editions
    assert not [p for p in editions_dir(published).iterdir() if p.name.startswith(".")]

    accepted = refresh(root, monkeypatch, None)
    assert accepted.success
    assert publication_run(published) == accepted.run_id
    # The copy accepted becomes the edition of its latest millésime; the others stay.
    latest = max(editions)
    (materialization,) = accepted.asset_materializations_for_node("out_published_snapshot")
    assert materialization.metadata["editions_archived"].value == [latest]
    assert edition_path(published, latest).read_bytes() == published.read_bytes()
    assert all(
        edition_path(published, m).read_bytes() == editions[m] for m in editions if m != latest
    )


def test_the_achievements_job_checks_the_size_before_publishing(
    small_pipeline_run, tmp_path, monkeypatch
):
    """The job the contributions sensor starts publishes too: refused above the limit,
    and its accepted copy is the one it measured (written once, then moved into place)."""
    root = tmp_path / "observatoire"
    shutil.copytree(small_pipeline_run.warehouse.parent, root)
    published = root / "published" / "observatoire.duckdb"
    before, size = publication_run(published), published.stat().st_size

    monkeypatch.setenv("OBSERVATOIRE_MAX_PUBLICATION_BYTES", str(size // 2))
    refused = publish_achievements(root, raise_on_error=False)
    assert not refused.success and not size_check(refused).passed
    assert publication_run(published) == before
    assert sorted(p.name for p in published.parent.iterdir()) == [EDITIONS_FOLDER, published.name]

    monkeypatch.delenv("OBSERVATOIRE_MAX_PUBLICATION_BYTES")
    accepted = publish_achievements(root)
    check = size_check(accepted)
    assert check.passed
    assert publication_run(published) == accepted.run_id
    (materialization,) = accepted.asset_materializations_for_node("out_published_snapshot")
    assert check.metadata["size_bytes"].value == materialization.metadata["size_bytes"].value
    assert sorted(p.name for p in published.parent.iterdir()) == [
        EDITIONS_FOLDER,
        published.name,
    ], "no copy left"
