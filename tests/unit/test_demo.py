"""The demo generator: deterministic."""

from __future__ import annotations

from pipelines.demo import write_demo_submissions
from tests.helpers import demo_subset


def test_the_same_seed_writes_the_same_bytes(territories, questionnaire, tmp_path):
    subset = demo_subset(territories).head(5)
    first = write_demo_submissions(subset, questionnaire, tmp_path / "a", millesimes=(2026,))
    second = write_demo_submissions(subset, questionnaire, tmp_path / "b", millesimes=(2026,))
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
