"""Fingerprints: short, stable hashes of what a computation reads, so that work already done
is recognised and not done again (a file's validation, a millésime's scores).

Each fingerprint changes exactly when what it stands for changes: the same inputs give the
same text in any process, on any day.
"""

import hashlib
import json

import duckdb
import pandas as pd

from domain.questionnaire import Questionnaire

#: Schema of the warehouse holding what was done and from which inputs (kept validations,
#: fingerprints of millésimes): bookkeeping, apart from the tables that are assets (``main``).
KEPT_SCHEMA = "kept"


def digest(*parts: object) -> str:
    """The SHA-256 (hex) of ``parts`` written as canonical JSON (sorted keys; anything JSON
    does not know written as its ``str``)."""
    text = json.dumps(parts, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def reference_version(territories: pd.DataFrame) -> str:
    """What validation reads from the territory reference (each territory's code and kind),
    as a hash: it changes when a territory appears, disappears or changes kind, and only
    then."""
    pairs = sorted(
        zip(territories["code"].astype(str), territories["kind"].astype(str), strict=True)
    )
    return digest("territoires", pairs)


def questionnaire_version(questionnaire: Questionnaire) -> str:
    """A questionnaire version's id and a hash of its whole content (questions, axes,
    millésimes, methodology…): editing the version's file changes it, even under the same id."""
    content = digest(
        questionnaire.title,
        questionnaire.millesimes,
        questionnaire.territory_kinds,
        questionnaire.scale_labels,
        questionnaire.axes.to_json(orient="split", index=False),
        questionnaire.questions.to_json(orient="split", index=False),
        questionnaire.methodology,
        questionnaire.previous_version,
        questionnaire.comparability,
    )
    return f"{questionnaire.version}:{content[:16]}"


def tables_in(con: duckdb.DuckDBPyConnection, schema: str) -> set[str]:
    """Names of the tables of ``schema`` in the database of ``con``."""
    rows = con.execute(
        "SELECT table_name FROM duckdb_tables() "
        "WHERE schema_name = ? AND database_name = current_database()",
        [schema],
    ).fetchall()
    return {name for (name,) in rows}
