"""Validations kept: a received file is read and validated once per (its bytes, the
questionnaire versions of the millésimes it holds, the territory reference), and what was
found is kept in the warehouse, to be reused as long as none of the three changes.

Four tables of the schema ``kept`` (apart from the tables that are assets), keyed by the file's SHA-256 (unique in the archive) and holding the versions it
was validated with: ``file_validations`` (one row per file: its keys and what its status is
computed from), ``file_validation_answers`` (the answers of the file's rows that passed),
``file_validation_issues`` (the first lines of its report) and
``file_validation_rule_counts`` (its issues counted by rule). They are not published.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from domain.fingerprints import KEPT_SCHEMA, digest, questionnaire_version, tables_in
from domain.questionnaire import Questionnaires

#: One row per file: the keys it was validated with and what its status is computed from.
FILE_COLUMNS = [
    "sha256", "questionnaire_version", "reference_version", "rules_version", "accepted",
    "errors", "warnings", "territories", "millesimes", "declared",
]  # fmt: skip
#: The answers of a file, in the order of the file (``position``).
ANSWER_COLUMNS = [
    "sha256", "position", "line", "territory", "millesime", "question", "answer", "value",
    "comment",
]  # fmt: skip
ISSUE_COLUMNS = [
    "sha256", "position", "line", "column", "question", "value", "severity", "message", "rule",
]  # fmt: skip
RULE_COUNT_COLUMNS = ["sha256", "position", "rule", "label", "severity", "issues"]

#: Table of the warehouse (schema ``kept``) of each frame of :class:`KeptValidations`.
TABLES = {
    "files": "file_validations",
    "answers": "file_validation_answers",
    "issues": "file_validation_issues",
    "rule_counts": "file_validation_rule_counts",
}
COLUMNS = {
    "files": FILE_COLUMNS,
    "answers": ANSWER_COLUMNS,
    "issues": ISSUE_COLUMNS,
    "rule_counts": RULE_COUNT_COLUMNS,
}
#: Type of each column in the warehouse (``BIGINT`` for counts, lines and millésimes).
_TYPES = {
    "accepted": "BOOLEAN", "errors": "BIGINT", "warnings": "BIGINT", "position": "BIGINT",
    "line": "BIGINT", "millesime": "BIGINT", "value": "DOUBLE", "issues": "BIGINT",
}  # fmt: skip

#: Modules whose code decides what a file's validation finds: a new release of any of them
#: validates every file again (its messages or rules may have changed).
_RULE_MODULES = (
    "domain/submissions/validation.py",
    "domain/submissions/reading.py",
    "domain/submissions/dialects.py",
    "domain/submissions/answers.py",
    "domain/submissions/report.py",
    "schemas/submission.py",
    "schemas/reference.py",
    "schemas/vocabulary.py",
)
_ROOT = Path(__file__).resolve().parent.parent.parent


def rules_version(report_line_limit: int) -> str:
    """A hash of the code of the validation rules and of the report's length limit."""
    code = hashlib.sha256()
    for module in _RULE_MODULES:
        code.update((_ROOT / module).read_bytes())
    return digest("règles", code.hexdigest(), report_line_limit)[:16]


def questionnaire_key(
    questionnaires: Questionnaires,
    millesimes: Iterable[int],
    versions: Mapping[str, str] | None = None,
) -> str:
    """What a file's validation read from the questionnaires, given the millésimes written in
    it: for an open millésime, the version that validates it (id and content hash); for a
    millésime not open, the list of open ones (its message names them). A file without a
    readable millésime read nothing from them (empty key).

    ``versions`` maps each version id to its :func:`questionnaire_version`, when already
    computed (it hashes the whole version).
    """
    versions = versions or questionnaire_versions(questionnaires)
    opened = questionnaires.open_millesimes
    parts = []
    for millesime in sorted(set(millesimes)):
        if millesime in opened:
            parts.append(f"{millesime}={versions[questionnaires.for_millesime(millesime).version]}")
        else:
            parts.append(f"{millesime}=fermé:{','.join(map(str, opened))}")
    return ";".join(parts)


def questionnaire_versions(questionnaires: Questionnaires) -> dict[str, str]:
    """Each version id → its :func:`questionnaire_version` (id and content hash)."""
    return {q.version: questionnaire_version(q) for q in questionnaires.versions}


@dataclass(frozen=True)
class KeptValidations:
    """Validations of files, one entry per file (its rows in each frame share its SHA-256)."""

    files: pd.DataFrame
    answers: pd.DataFrame
    issues: pd.DataFrame
    rule_counts: pd.DataFrame

    @classmethod
    def empty(cls) -> KeptValidations:
        return cls(**{name: pd.DataFrame(columns=columns) for name, columns in COLUMNS.items()})

    def __post_init__(self) -> None:
        for name, frame in self.frames().items():  # the same types, read or made
            object.__setattr__(self, name, _typed(name, frame))

    def frames(self) -> dict[str, pd.DataFrame]:
        return {name: getattr(self, name) for name in COLUMNS}

    def only(self, sha256s: Iterable[str]) -> KeptValidations:
        """The entries of the files ``sha256s`` only."""
        keep = set(sha256s)
        return KeptValidations(
            **{
                name: frame.loc[frame["sha256"].isin(keep)].reset_index(drop=True)
                for name, frame in self.frames().items()
            }
        )

    def without(self, *sha256s: str) -> KeptValidations:
        """Every entry but those of the files ``sha256s``."""
        return self.only(set(self.files["sha256"]) - set(sha256s))

    def plus(self, other: KeptValidations) -> KeptValidations:
        """These entries and ``other``'s (files in neither twice)."""
        return KeptValidations(
            **{
                name: pd.concat(
                    [frame for frame in (mine, getattr(other, name)) if len(frame)] or [mine],
                    ignore_index=True,
                )
                for name, mine in self.frames().items()
            }
        )


def reusable_files(
    kept: KeptValidations,
    questionnaires: Questionnaires,
    reference: str,
    rules: str,
) -> set[str]:
    """The files whose kept validation still holds: validated with this reference, these
    rules and the current questionnaire versions of the millésimes written in them."""
    files = kept.files
    same = files.loc[(files["reference_version"] == reference) & (files["rules_version"] == rules)]
    versions = questionnaire_versions(questionnaires)
    expected = {
        written: questionnaire_key(questionnaires, json.loads(written), versions)
        for written in same["millesimes"].unique()
    }
    current = same["questionnaire_version"] == same["millesimes"].map(expected)
    return set(same.loc[current, "sha256"])


def read_kept_validations(con: duckdb.DuckDBPyConnection) -> KeptValidations:
    """The validations kept in the warehouse (none in a warehouse that has none yet)."""
    if not set(TABLES.values()) <= tables_in(con, KEPT_SCHEMA):
        return KeptValidations.empty()
    return KeptValidations(
        **{
            name: con.execute(
                f"SELECT {', '.join(map(_quoted, COLUMNS[name]))} FROM {KEPT_SCHEMA}.{table}"
            ).df()
            for name, table in TABLES.items()
        }
    )


def write_kept_validations(
    con: duckdb.DuckDBPyConnection, new: KeptValidations, kept: Iterable[str]
) -> None:
    """Keep the validations ``new`` beside those of the files ``kept``; drop the others
    (files validated again, or gone), in one transaction."""
    kept = sorted(set(kept) - set(new.files["sha256"]))
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {KEPT_SCHEMA}")
    con.execute("BEGIN TRANSACTION")
    try:
        for name, table in TABLES.items():
            frame = getattr(new, name)[COLUMNS[name]]
            view = f"_new_{table}"
            con.register(view, frame)
            try:
                con.execute(_table_ddl(name))
                con.execute(
                    f"DELETE FROM {KEPT_SCHEMA}.{table} WHERE NOT list_contains(?, sha256)", [kept]
                )
                if len(frame):
                    con.execute(f"INSERT INTO {KEPT_SCHEMA}.{table} BY NAME SELECT * FROM {view}")
            finally:
                con.unregister(view)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise


#: Type of each column in pandas (the others are ``object``: text or missing).
_PANDAS_TYPES = {
    "accepted": "bool", "errors": "int64", "warnings": "int64", "position": "int64",
    "millesime": "int64", "value": "float64", "issues": "int64",
}  # fmt: skip


def _typed(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with the columns of the frame ``name``, each of its one type."""
    frame = frame[COLUMNS[name]]
    types = {
        column: _PANDAS_TYPES.get(column, object)
        for column in COLUMNS[name]
        if not (name == "issues" and column == "value")
    }
    types["line"] = "Int64" if name == "issues" else "int64"
    types = {column: kind for column, kind in types.items() if column in frame.columns}
    typed = frame.astype(types)
    if name == "issues":
        typed = typed.astype({"value": object})
    return typed


def _table_ddl(name: str) -> str:
    """``CREATE TABLE IF NOT EXISTS`` of the table of the frame ``name``."""
    types = dict(_TYPES, value="VARCHAR") if name == "issues" else _TYPES
    columns = ", ".join(f"{_quoted(c)} {types.get(c, 'VARCHAR')}" for c in COLUMNS[name])
    return f"CREATE TABLE IF NOT EXISTS {KEPT_SCHEMA}.{TABLES[name]} ({columns})"


def _quoted(column: str) -> str:
    return f'"{column}"'
