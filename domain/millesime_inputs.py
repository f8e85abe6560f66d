"""What the scores and results of a millésime are computed from, as one fingerprint: a
millésime whose inputs did not change since its tables were written is not computed again.

A millésime's inputs are its current answers (the latest accepted file of each territory),
what scoring reads of the reference (code, kind, population of every territory), the
questionnaire version that scores it (id and content hash, its methodology included), its
Monte Carlo settings as run (``OBSERVATOIRE_MONTE_CARLO_BASE_SAMPLES`` included) and the
code of the engine. The fingerprint of each millésime an asset wrote is kept in the
warehouse table ``kept.millesime_fingerprints`` (asset, millésime, fingerprint), removed before
the asset rewrites that millésime and recorded once all its tables are written, so that an
interrupted write is never taken for a finished one.
"""

import hashlib
from collections.abc import Iterable, Mapping
from pathlib import Path

import duckdb
import pandas as pd

from domain.fingerprints import KEPT_SCHEMA, digest, questionnaire_version, tables_in
from domain.questionnaire import Questionnaires
from domain.robustness import uncertainty_settings
from domain.scoring import current_answers_query
from domain.storage import replace_rows

#: Where each asset's fingerprints are kept.
FINGERPRINTS_TABLE = f"{KEPT_SCHEMA}.millesime_fingerprints"
_FINGERPRINTS_DDL = f"""
    CREATE SCHEMA IF NOT EXISTS {KEPT_SCHEMA};
    CREATE TABLE IF NOT EXISTS {FINGERPRINTS_TABLE} (
        asset VARCHAR NOT NULL, millesime BIGINT NOT NULL, fingerprint VARCHAR NOT NULL,
        PRIMARY KEY (asset, millesime)
    )
"""

#: Modules whose code computes the scores and results: a new release rescores everything.
_ENGINE_MODULES = (
    "domain/composite.py",
    "domain/scoring.py",
    "domain/results.py",
    "domain/robustness.py",
    "domain/questionnaire.py",
    "schemas/scores.py",
    "schemas/vocabulary.py",
)
_ROOT = Path(__file__).resolve().parent.parent


def _engine_version() -> str:
    code = hashlib.sha256()
    for module in _ENGINE_MODULES:
        path = _ROOT / module
        if path.exists():
            code.update(path.read_bytes())
    return code.hexdigest()


def _answers_digests(con: duckdb.DuckDBPyConnection, millesimes: list[int]) -> dict[int, str]:
    """A hash of the current answers of each millésime (none: no entry), computed by DuckDB."""
    rows = con.execute(
        f"""
        SELECT millesime, md5(string_agg(
                   concat_ws('|', territory, question, coalesce(answer, '∅'),
                             coalesce(CAST(value AS VARCHAR), '∅')),
                   chr(10) ORDER BY territory, question))
        FROM ({current_answers_query()})
        WHERE list_contains(?, millesime)
        GROUP BY millesime
        """,
        [millesimes],
    ).fetchall()
    return {int(millesime): answers for millesime, answers in rows}


def _reference_digest(con: duckdb.DuckDBPyConnection) -> str:
    """A hash of what scoring reads of the reference, computed by DuckDB."""
    (reference,) = con.execute(
        """
        SELECT md5(coalesce(string_agg(
                   concat_ws('|', code, kind, coalesce(CAST(population AS VARCHAR), '∅')),
                   chr(10) ORDER BY code), ''))
        FROM territories
        """
    ).fetchone()
    return reference


def millesime_fingerprints(
    con: duckdb.DuckDBPyConnection, millesimes: Iterable[int], questionnaires: Questionnaires
) -> dict[int, str]:
    """The fingerprint of the inputs of each of ``millesimes``."""
    millesimes = sorted(set(millesimes))
    answers = _answers_digests(con, millesimes)
    shared = digest(_reference_digest(con), _engine_version())
    fingerprints = {}
    for millesime in millesimes:
        version = questionnaires.for_millesime(millesime)
        fingerprints[millesime] = digest(
            shared,
            answers.get(millesime, ""),
            questionnaire_version(version) if version else None,
            repr(uncertainty_settings(version)) if version else None,
        )
    return fingerprints


def unchanged_millesimes(
    con: duckdb.DuckDBPyConnection,
    asset: str,
    fingerprints: Mapping[int, str],
    tables: Iterable[str],
) -> set[int]:
    """The millésimes whose ``tables`` the ``asset`` wrote from these very inputs (their
    fingerprint kept is the one given), all of ``tables`` being there."""
    con.execute(_FINGERPRINTS_DDL)
    if not set(tables) <= tables_in(con, "main"):
        return set()
    kept = con.execute(
        f"SELECT millesime, fingerprint FROM {FINGERPRINTS_TABLE} WHERE asset = ?", [asset]
    ).fetchall()
    return {int(m) for m, fingerprint in kept if fingerprints.get(int(m)) == fingerprint}


def forget_fingerprints(
    con: duckdb.DuckDBPyConnection, asset: str, millesimes: Iterable[int]
) -> None:
    """Before rewriting ``millesimes``: their tables no longer stand for any inputs."""
    con.execute(_FINGERPRINTS_DDL)
    con.execute(
        f"DELETE FROM {FINGERPRINTS_TABLE} WHERE asset = ? AND list_contains(?, millesime)",
        [asset, sorted(set(millesimes))],
    )


def record_fingerprints(
    con: duckdb.DuckDBPyConnection, asset: str, fingerprints: Mapping[int, str]
) -> None:
    """Once every table of ``asset`` is written for these millésimes: what they stand for."""
    con.execute(_FINGERPRINTS_DDL)
    if not fingerprints:
        return
    con.executemany(
        f"INSERT OR REPLACE INTO {FINGERPRINTS_TABLE} VALUES (?, ?, ?)",
        [[asset, millesime, fingerprint] for millesime, fingerprint in fingerprints.items()],
    )


def rewrite_millesimes(
    con: duckdb.DuckDBPyConnection,
    asset: str,
    frames: Mapping[str, pd.DataFrame],
    fingerprints: Mapping[int, str],
) -> None:
    """Write the rows of the millésimes of ``fingerprints`` in each table of ``frames`` (table
    name → its rows), the other millésimes untouched, then record what they stand for: the
    fingerprints are forgotten first, so a write cut short is computed again next time."""
    millesimes = sorted(fingerprints)
    forget_fingerprints(con, asset, millesimes)
    for table, frame in frames.items():
        replace_rows(con, table, frame, millesimes)
    record_fingerprints(con, asset, fingerprints)
