"""A validation report: what is wrong in a received file, where, and how to fix it (French)."""

from dataclasses import asdict, dataclass

import pandas as pd


@dataclass(frozen=True)
class ValidationIssue:
    """One row of a validation report, as the user sees their spreadsheet."""

    line: int | None
    column: str | None
    question: str | None
    value: str | None
    severity: str
    message: str


def issues_frame(issues: list[ValidationIssue], sha256: str, file_name: str) -> pd.DataFrame:
    """A validation report as a table, tagged with its file."""
    frame = pd.DataFrame(
        [asdict(issue) for issue in issues],
        columns=["line", "column", "question", "value", "severity", "message"],
    )
    frame.insert(0, "file_name", file_name)
    frame.insert(0, "sha256", sha256)
    return frame.astype({"line": "Int64"})
