"""Shared fixtures: the real reference, and one real run of the whole asset graph."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import pandas as pd
import pytest
from dagster_duckdb import DuckDBResource

from assets.partitions import all_millesimes_tags
from assets.resources import PublicationTarget, SubmissionStorage
from domain.questionnaire import Questionnaire, load_questionnaire
from domain.reference import load_territory_reference
from domain.settings import QUESTIONNAIRE_DIR
from pipelines.definitions import all_assets, all_checks
from pipelines.demo import write_demo_submissions

#: Millésimes of the demo used by the tests (two, to show an evolution).
TEST_MILLESIMES = (2025, 2026)


@dataclass(frozen=True)
class PipelineRun:
    """Where one real materialization of every asset left its files."""

    result: dg.ExecuteInProcessResult
    warehouse: Path
    published: Path
    incoming: Path
    archive: Path
    territories: pd.DataFrame
    demo_files: list[Path]


@pytest.fixture(scope="session")
def territories() -> pd.DataFrame:
    """The territory reference built from the installed INSEE tables."""
    return load_territory_reference()


@pytest.fixture(scope="session")
def questionnaire() -> Questionnaire:
    return load_questionnaire(QUESTIONNAIRE_DIR / "v1.yaml")


def demo_subset(territories: pd.DataFrame) -> pd.DataFrame:
    """Every région, département and métropole, plus a few agglomérations, CU and communes."""
    keep = territories["kind"].isin(["REG", "DEP", "ME"])
    for kind in ("CA", "CU", "COM"):
        keep |= territories.index.isin(territories.loc[territories["kind"] == kind].index[:6])
    return territories.loc[keep]


def materialize_everything(
    root: Path, raise_on_error: bool = True, **resources
) -> dg.ExecuteInProcessResult:
    """Materialize the whole asset graph, every millésime in one run, against the warehouse
    and folders under ``root``."""
    return dg.materialize(
        [*all_assets, *all_checks],
        resources={
            "warehouse": DuckDBResource(database=str(root / "warehouse.duckdb")),
            "storage": SubmissionStorage(
                incoming_dir=str(root / "incoming"), archive_dir=str(root / "archive")
            ),
            "publication": PublicationTarget(
                published_path=str(root / "published" / "observatoire.duckdb")
            ),
            **resources,
        },
        instance=dg.DagsterInstance.ephemeral(),
        raise_on_error=raise_on_error,
        tags=all_millesimes_tags(),
    )


@pytest.fixture(scope="session")
def pipeline_run(tmp_path_factory, territories, questionnaire) -> PipelineRun:
    """One real run of every asset on demo submissions, in a temporary folder."""
    root = tmp_path_factory.mktemp("observatoire")
    subset = demo_subset(territories)
    demo_files = write_demo_submissions(
        subset, questionnaire, root / "incoming", millesimes=TEST_MILLESIMES
    )
    result = materialize_everything(root)
    return PipelineRun(
        result=result,
        warehouse=root / "warehouse.duckdb",
        published=root / "published" / "observatoire.duckdb",
        incoming=root / "incoming",
        archive=root / "archive",
        territories=subset,
        demo_files=demo_files,
    )


@pytest.fixture(scope="session")
def published_database(pipeline_run: PipelineRun) -> Path:
    """A published copy produced by the real pipeline (what the dashboard reads)."""
    return pipeline_run.published
