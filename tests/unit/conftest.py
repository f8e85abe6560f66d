"""Unit tests: milliseconds each, no materialization, no server, no browser (``make
test-fast``). The reference they get is a small subset of the real one."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.helpers import read_small_reference


@pytest.fixture(scope="session")
def territories() -> pd.DataFrame:
    """A small subset of the real reference (``tests/fixtures/territories_small.csv``, a few
    régions, départements, EPCI and communes): unit tests never build the whole of France."""
    return read_small_reference()


@pytest.fixture(scope="session")
def pipeline_run():
    pytest.fail("A unit test does not materialize the pipeline: move it to tests/integration.")


@pytest.fixture(scope="session")
def dashboard_url():
    pytest.fail("A unit test starts no dashboard server: move it to tests/integration.")
