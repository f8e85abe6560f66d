"""Property-based test: whatever bytes arrive, validation reports, never crashes."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings

from domain.submissions.validation import validate_submission
from tests.strategies import malformed_files

TERRITORIES = pd.DataFrame({"code": ["DEP-13"], "kind": ["DEP"]})


@settings(max_examples=300, deadline=None)
@given(content=malformed_files())
def test_validation_never_crashes_and_every_rejection_is_explained(content, questionnaire):
    result = validate_submission(content, TERRITORIES, questionnaire)
    if not result.accepted:
        errors = [issue for issue in result.issues if issue.severity == "erreur"]
        assert errors and all(issue.message.strip() for issue in errors)
