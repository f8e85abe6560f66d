"""Qualité des données: files received, their statuses and reports, territories that answered.

File statuses are those of :mod:`schemas.vocabulary` (the pipeline writes them there), passed
to the queries as parameters rather than spelled in the SQL.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboards.data.connection import read
from schemas.vocabulary import (
    ACCEPTED_STATUSES,
    CORRECTED,
    ERROR,
    REJECTED,
    SUPERSEDED,
    TERRITORY_KINDS,
    WARNING,
)

#: The statuses every query of this module is given as named parameters.
STATUS_PARAMETERS = {
    "accepted_statuses": list(ACCEPTED_STATUSES),
    "superseded": SUPERSEDED,
    "rejected": REJECTED,
    "corrected": CORRECTED,
}

# Territories with an accepted file for $millesime. ``territory`` lists every territory of
# a file (comma-separated); a file holding several millésimes has no millésime, so it counts
# for the millésimes its territories were scored in.
_ANSWERED_SQL = """
    with accepted as (
        select trim(unnest(string_split(territory, ','))) as code, millesime
        from submission_files
        where list_contains($accepted_statuses, status) and territory is not null
    )
    select distinct a.code
    from accepted a
    where a.millesime = $millesime
       or (a.millesime is null and exists (
            select 1 from territory_scores s
            where s.territory = a.code and s.millesime = $millesime))
"""


@dataclass(frozen=True)
class QualitySummary:
    """Files received for one millésime and how many territories of the reference answered."""

    millesime: int
    #: Files of the millésime (files holding several millésimes, or none readable, aside).
    files_received: int
    #: Files whose millésime is unknown (unreadable, or several millésimes in one file).
    files_undated: int
    #: Files accepted, current or replaced since by a later version.
    files_accepted: int
    files_superseded: int
    #: Rejected files in quarantine, of the millésime or of no known millésime.
    files_rejected: int
    files_rejected_undated: int
    #: Rejected files whose corrected version has been accepted since.
    files_corrected: int
    territories_answered: int
    territories_expected: int

    @property
    def response_rate(self) -> float | None:
        """Share of the territories of the reference that answered (None when none expected)."""
        if not self.territories_expected:
            return None
        return self.territories_answered / self.territories_expected


def response_status(millesime: int) -> pd.DataFrame:
    """Every territory of the reference and whether it has an accepted file for ``millesime``.

    Columns: ``code``, ``kind``, ``kind_label``, ``name``, ``answered``; ordered by kind
    (régions first) then name. A territory answered when a file with its answers for that
    millésime was accepted (a status of ``ACCEPTED_STATUSES``).
    """
    return read(
        "response_status",
        f"""
        with answered as ({_ANSWERED_SQL})
        select t.code, t.kind, t.kind_label, t.name,
               t.code in (select code from answered) as answered
        from territories t
        order by list_position($kinds, t.kind), t.name collate nocase, t.code
        """,
        {
            "millesime": millesime,
            "kinds": list(TERRITORY_KINDS),
            "accepted_statuses": list(ACCEPTED_STATUSES),
        },
    )


def quality_summary(millesime: int) -> QualitySummary:
    """Counts of files by status and of territories that answered, for ``millesime``."""
    files = read(
        "quality_summary.files",
        """
        select
            count(*) filter (where millesime = $millesime) as received,
            count(*) filter (where millesime is null) as undated,
            count(*) filter (where millesime = $millesime
                             and list_contains($accepted_statuses, status)) as accepted,
            count(*) filter (where millesime = $millesime and status = $superseded)
                as superseded,
            count(*) filter (where status = $rejected
                             and (millesime = $millesime or millesime is null)) as rejected,
            count(*) filter (where status = $rejected and millesime is null)
                as rejected_undated,
            count(*) filter (where status = $corrected
                             and (millesime = $millesime or millesime is null)) as corrected
        from submission_files
        """,
        {"millesime": millesime, **STATUS_PARAMETERS},
    ).iloc[0]
    status = response_status(millesime)
    return QualitySummary(
        millesime=millesime,
        files_received=int(files["received"]),
        files_undated=int(files["undated"]),
        files_accepted=int(files["accepted"]),
        files_superseded=int(files["superseded"]),
        files_rejected=int(files["rejected"]),
        files_rejected_undated=int(files["rejected_undated"]),
        files_corrected=int(files["corrected"]),
        territories_answered=int(status["answered"].sum()),
        territories_expected=len(status),
    )


def problem_files(
    millesime: int | None = None,
    statuses: tuple[str, ...] = (REJECTED, CORRECTED),
    limit: int | None = None,
) -> pd.DataFrame:
    """Rejected files, in quarantine (``REJECTED``) or corrected since (``CORRECTED``),
    newest first; the first ``limit`` of them when given.

    With ``millesime``, only the files of that millésime and those whose millésime is
    unknown. Columns: those of ``submission_files`` (``sha256``, ``file_name``,
    ``received_at``, ``territory``, ``millesime``, ``status``, ``errors``, ``warnings``).
    """
    return read(
        "problem_files",
        """
        select sha256, file_name, received_at, territory, millesime, status, errors, warnings
        from submission_files
        where list_contains($statuses, status)
          and ($millesime is null or millesime = $millesime or millesime is null)
        order by received_at desc, file_name, sha256
        limit $limit
        """,
        {"millesime": millesime, "statuses": list(statuses), "limit": limit},
    )


def rule_counts(sha256s: list[str]) -> pd.DataFrame:
    """How many issues each file of ``sha256s`` has, by rule and severity (every issue
    counted, not only the lines its report details).

    Columns: ``sha256``, ``rule``, ``label`` (French), ``severity``, ``issues``; errors
    first, then the most frequent.
    """
    return read(
        "rule_counts",
        """
        select sha256, rule, label, severity, issues
        from validation_rule_counts
        where list_contains($files, sha256)
        order by sha256, severity = $error desc, issues desc, rule
        """,
        {"files": list(sha256s), "error": ERROR},
    )


def report_sizes(sha256s: list[str]) -> pd.DataFrame:
    """How many lines of each file's report are published in detail, errors and warnings.

    Columns: ``sha256``, ``lines``, ``errors``, ``warnings`` (files without a line absent).
    """
    return read(
        "report_sizes",
        """
        select sha256, count(*) as lines,
               count(*) filter (where severity = $error) as errors,
               count(*) filter (where severity = $warning) as warnings
        from validation_issues
        where list_contains($files, sha256)
        group by sha256
        """,
        {"files": list(sha256s), "error": ERROR, "warning": WARNING},
    )


def validation_report_page(sha256: str, offset: int, limit: int) -> pd.DataFrame:
    """``limit`` lines of the published report of one file from line ``offset`` (0 for the
    first), in the order of the file (lines without a number last), for a grid that loads
    them page by page.

    Columns: ``line``, ``column``, ``question``, ``value``, ``severity``, ``message``.
    """
    return read(
        "validation_report_page",
        """
        select line, "column", question, value, severity, message
        from validation_issues
        where sha256 = $sha256
        order by line nulls last, "column", question, message
        limit $limit offset $offset
        """,
        {"sha256": sha256, "offset": max(int(offset), 0), "limit": max(int(limit), 0)},
    )


def territory_submissions(code: str) -> pd.DataFrame:
    """Every version of every file received for territory ``code``, newest first.

    Columns: ``sha256``, ``file_name``, ``received_at``, ``millesime``, ``status``,
    ``errors``, ``warnings``, ``submitter``, ``size_bytes`` (the last two from the archive
    register, NULL for a file missing from it).
    """
    return read(
        "territory_submissions",
        """
        select f.sha256, f.file_name, f.received_at, f.millesime, f.status, f.errors,
               f.warnings, r.submitter, r.size_bytes
        from submission_files f
        left join raw_submission_files r using (sha256)
        where list_contains(string_split(replace(f.territory, ' ', ''), ','), ?)
        order by f.received_at desc, f.file_name
        """,
        [code],
    )
