"""The contributions store: every achievement sheet version, rejection, review decision,
support and comment territories and analysts write, in one small SQLite file.

Why SQLite: these writes are small, frequent and concurrent (a page, the command line, the
pipeline's inbox), and must never be lost or overwritten. The warehouse (DuckDB) accepts one
writing process at a time and is held by pipeline runs; a SQLite file in WAL mode takes
short transactions from many processes, readers never blocking the writer.

Guarantees, enforced by the store itself:

- append-only: triggers refuse every UPDATE and DELETE, so the history is the data
  (a sheet's status is the latest decision recorded on its current version);
- every row carries who wrote it (an author, or the territory whose token wrote it) and
  when (UTC, ISO 8601);
- every write is one ``BEGIN IMMEDIATE`` transaction (the write lock taken first, so two
  writers never both read "version 3 is the latest" and write "version 4"), waiting up to
  :data:`BUSY_TIMEOUT_SECONDS` for another writer, committed with ``synchronous=FULL``;
- one support (or adaptation) per territory and sheet: ``UNIQUE(achievement_id, territory,
  kind)``;
- :func:`ledger_version` grows with every write, so a sensor can tell cheaply whether
  anything changed.

The dashboard's public pages never read this store: the pipeline turns it into published
tables (:func:`ledger_frames`, :func:`current_sheets`, :func:`current_comments`).
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Iterator, Mapping
from contextlib import closing, contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from domain.achievements.sheet import achievement_id
from domain.submissions.report import ValidationIssue
from schemas.vocabulary import (
    ADAPTATION,
    COMMENT_DECISIONS,
    COMMENT_PROPOSED,
    COMMENT_PUBLISHED,
    COMMENT_WITHDRAWN,
    FEEDBACK_KINDS,
    SHEET_DECISIONS,
    SHEET_PROPOSED,
    SHEET_PUBLISHED,
    SHEET_RETURNED,
    SHEET_WITHDRAWN,
    SUPPORT,
)

__all__ = [
    "ADAPTATION",
    "COMMENT_PROPOSED",
    "COMMENT_PUBLISHED",
    "COMMENT_WITHDRAWN",
    "SHEET_PROPOSED",
    "SHEET_PUBLISHED",
    "SHEET_RETURNED",
    "SHEET_WITHDRAWN",
    "SUPPORT",
    "LedgerError",
    "LedgerFrames",
    "SheetVersion",
    "achievement_id",
    "current_comments",
    "current_sheet",
    "current_sheets",
    "ledger_frames",
    "ledger_version",
    "record_comment",
    "record_comment_review",
    "record_feedback",
    "record_rejected_sheet",
    "record_review",
    "record_sheet_version",
]

#: How long a write waits for another process's write transaction before giving up.
BUSY_TIMEOUT_SECONDS = 30.0

#: Tables of the store, each append-only.
TABLES: tuple[str, ...] = (
    "sheet_versions",
    "sheet_rejections",
    "sheet_reviews",
    "feedback",
    "comments",
    "comment_reviews",
)

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS sheet_versions (
    achievement_id TEXT NOT NULL,
    version INTEGER NOT NULL CHECK (version >= 1),
    territory TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    file_name TEXT NOT NULL,
    channel TEXT NOT NULL,
    author TEXT NOT NULL CHECK (author <> ''),
    received_at TEXT NOT NULL,
    sheet_json TEXT NOT NULL,
    PRIMARY KEY (achievement_id, version)
);
CREATE TABLE IF NOT EXISTS sheet_rejections (
    sha256 TEXT NOT NULL,
    file_name TEXT NOT NULL,
    territory TEXT,
    channel TEXT NOT NULL,
    author TEXT NOT NULL CHECK (author <> ''),
    received_at TEXT NOT NULL,
    issues_json TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sheet_reviews (
    achievement_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ({", ".join(f"'{s}'" for s in SHEET_DECISIONS)})),
    message TEXT NOT NULL,
    author TEXT NOT NULL CHECK (author <> ''),
    decided_at TEXT NOT NULL,
    CHECK (status <> '{SHEET_RETURNED}' OR trim(message) <> ''),
    FOREIGN KEY (achievement_id, version) REFERENCES sheet_versions (achievement_id, version)
);
CREATE TABLE IF NOT EXISTS feedback (
    achievement_id TEXT NOT NULL,
    territory TEXT NOT NULL CHECK (territory <> ''),
    kind TEXT NOT NULL CHECK (kind IN ({", ".join(f"'{k}'" for k in FEEDBACK_KINDS)})),
    recorded_at TEXT NOT NULL,
    UNIQUE (achievement_id, territory, kind)
);
CREATE TABLE IF NOT EXISTS comments (
    comment_id TEXT PRIMARY KEY,
    achievement_id TEXT NOT NULL,
    territory TEXT NOT NULL CHECK (territory <> ''),
    text TEXT NOT NULL CHECK (trim(text) <> ''),
    recorded_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS comment_reviews (
    comment_id TEXT NOT NULL REFERENCES comments (comment_id),
    status TEXT NOT NULL CHECK (status IN ({", ".join(f"'{s}'" for s in COMMENT_DECISIONS)})),
    author TEXT NOT NULL CHECK (author <> ''),
    decided_at TEXT NOT NULL
);
""" + "".join(
    f"""
CREATE TRIGGER IF NOT EXISTS {table}_no_{action.lower()} BEFORE {action} ON {table}
BEGIN SELECT RAISE(ABORT, 'registre des contributions en ajout seul : {verb} refusée'); END;
"""
    for table in TABLES
    for action, verb in (("UPDATE", "modification"), ("DELETE", "suppression"))
)

#: Columns of each frame of :class:`LedgerFrames`, in order.
FRAME_COLUMNS: dict[str, list[str]] = {
    "versions": [
        "achievement_id", "version", "territory", "sha256", "file_name", "channel", "author",
        "received_at", "sheet_json",
    ],
    "rejections": [
        "sha256", "file_name", "territory", "channel", "author", "received_at", "issues_json"
    ],
    "reviews": ["achievement_id", "version", "status", "message", "author", "decided_at"],
    "feedback": ["achievement_id", "territory", "kind", "recorded_at"],
    "comments": ["comment_id", "achievement_id", "territory", "text", "recorded_at"],
    "comment_reviews": ["comment_id", "status", "author", "decided_at"],
}  # fmt: skip
_FRAME_TABLES = {
    "versions": "sheet_versions",
    "rejections": "sheet_rejections",
    "reviews": "sheet_reviews",
    "feedback": "feedback",
    "comments": "comments",
    "comment_reviews": "comment_reviews",
}
_TIME_COLUMNS = ("received_at", "decided_at", "recorded_at")


class LedgerError(ValueError):
    """A write the store refuses (unknown sheet or comment, a decision not allowed): the
    message is French, for the person who asked for it."""


@dataclass(frozen=True)
class SheetVersion:
    """One recorded version of a sheet."""

    achievement_id: str
    version: int
    territory: str
    sha256: str
    file_name: str
    channel: str
    author: str
    #: UTC, naive.
    received_at: datetime
    #: False when these bytes were already the latest version: nothing was written.
    created: bool = True


@dataclass(frozen=True)
class LedgerFrames:
    """The whole history of the store, one data frame per table (times: naive UTC)."""

    versions: pd.DataFrame
    rejections: pd.DataFrame
    reviews: pd.DataFrame
    feedback: pd.DataFrame
    comments: pd.DataFrame
    comment_reviews: pd.DataFrame


# --- Connections and time ---------------------------------------------------------------


def _utc(moment: datetime | None) -> datetime:
    """``moment`` (now by default) as naive UTC: aware times are converted, naive ones are
    taken as UTC already."""
    moment = moment or datetime.now(UTC)
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def _stamp(moment: datetime | None) -> str:
    return _utc(moment).isoformat(timespec="microseconds")


def _open(store: Path) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are explicit), waiting for writers."""
    con = sqlite3.connect(store, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
    con.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
    con.execute("PRAGMA foreign_keys = ON")
    return con


#: This thread's open write connections, by store: closing the last connection to a WAL
#: database checkpoints it (about 11 ms, more than the write itself), so each thread keeps
#: one open per store. Reset in a forked child (``pid``); reopened when the file at the path
#: is another one (``identity``: device and inode).
_threads = threading.local()
#: Stores a thread keeps a connection open to (one in production; tests use many).
_KEPT_CONNECTIONS = 4


def _identity(store: Path) -> tuple[int, int] | None:
    try:
        status = store.stat()
    except FileNotFoundError:
        return None
    return status.st_dev, status.st_ino


def _write_connection(store: Path) -> sqlite3.Connection:
    """This thread's connection to ``store``, opened (and the store created with its
    schema, in WAL mode) when there is none yet."""
    if getattr(_threads, "pid", None) != os.getpid():
        _threads.pid, _threads.connections = os.getpid(), {}
    key = str(store.absolute())
    known = _threads.connections.get(key)
    if known is not None:
        con, identity = known
        if identity == _identity(store):
            return con
        del _threads.connections[key]
        con.close()
    store.parent.mkdir(parents=True, exist_ok=True)
    con = _open(store)
    if con.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        con.execute("PRAGMA journal_mode = WAL")
    con.execute("PRAGMA synchronous = FULL")
    con.executescript(_SCHEMA)
    if len(_threads.connections) >= _KEPT_CONNECTIONS:  # the oldest store written to
        oldest = next(iter(_threads.connections))
        _threads.connections.pop(oldest)[0].close()
    _threads.connections[key] = (con, _identity(store))
    return con


@contextmanager
def _writing(store: Path) -> Iterator[sqlite3.Connection]:
    """One write transaction on ``store`` (created with its schema when missing): the write
    lock is taken at ``BEGIN IMMEDIATE``, the transaction committed whole or rolled back."""
    con = _write_connection(store)
    con.execute("BEGIN IMMEDIATE")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


@contextmanager
def _reading(store: Path) -> Iterator[sqlite3.Connection | None]:
    """A read transaction (one consistent snapshot of every table), or ``None`` when the
    store does not exist yet or has no tables."""
    if not store.exists():
        yield None
        return
    with closing(_open(store)) as con:
        con.execute("BEGIN")
        try:
            known = {name for (name,) in con.execute("SELECT name FROM sqlite_master")}
            yield con if set(TABLES) <= known else None
        finally:
            con.execute("COMMIT")


# --- Writes ------------------------------------------------------------------------------


def record_sheet_version(
    store: Path,
    sheet: Mapping[str, object],
    sha256: str,
    file_name: str,
    channel: str,
    author: str,
    received_at: datetime | None = None,
) -> SheetVersion:
    """Record ``sheet`` (read from the archived bytes of hash ``sha256``) as the next version
    of its achievement: version 1, then the previous version + 1. When ``sha256`` is the
    latest version's already, that version is returned (``created=False``) and nothing is
    written."""
    identifier = achievement_id(sheet)
    territory = str(sheet["code_territoire"])
    moment = _utc(received_at)
    with _writing(store) as con:
        latest = con.execute(
            "SELECT version, sha256, file_name, channel, author, received_at FROM sheet_versions "
            "WHERE achievement_id = ? ORDER BY version DESC LIMIT 1",
            [identifier],
        ).fetchone()
        if latest is not None and latest[1] == sha256:
            version, _, name, known_channel, known_author, at = latest
            return SheetVersion(
                identifier, version, territory, sha256, name, known_channel, known_author,
                datetime.fromisoformat(at), created=False,
            )  # fmt: skip
        version = (latest[0] if latest else 0) + 1
        con.execute(
            "INSERT INTO sheet_versions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                identifier, version, territory, sha256, file_name, channel, author,
                _stamp(moment), json.dumps(dict(sheet), ensure_ascii=False),
            ],
        )  # fmt: skip
    return SheetVersion(identifier, version, territory, sha256, file_name, channel, author, moment)


def record_rejected_sheet(
    store: Path,
    sha256: str,
    file_name: str,
    territory: str | None,
    issues: list[ValidationIssue],
    channel: str,
    author: str,
    received_at: datetime | None = None,
) -> None:
    """Record a sheet file that could not be accepted, with its French report: its bytes
    are in the archive under ``sha256``, and the history says who sent it, when, and why it
    was refused."""
    report = json.dumps([asdict(issue) for issue in issues], ensure_ascii=False)
    with _writing(store) as con:
        con.execute(
            "INSERT INTO sheet_rejections VALUES (?, ?, ?, ?, ?, ?, ?)",
            [sha256, file_name, territory, channel, author, _stamp(received_at), report],
        )


def record_review(
    store: Path,
    achievement_id: str,
    version: int,
    status: str,
    author: str,
    message: str = "",
    decided_at: datetime | None = None,
) -> None:
    """Record an analyst's decision on one version of a sheet: published, returned to its
    territory (``"à revoir"``, with a message saying what to change) or withdrawn."""
    if status not in SHEET_DECISIONS:
        raise LedgerError(
            f"Décision inconnue : « {status} » (possibles : {', '.join(SHEET_DECISIONS)})."
        )
    if status == SHEET_RETURNED and not message.strip():
        raise LedgerError(
            "Une fiche renvoyée « à revoir » doit porter un message qui dit quoi corriger."
        )
    with _writing(store) as con:
        if not con.execute(
            "SELECT 1 FROM sheet_versions WHERE achievement_id = ? AND version = ?",
            [achievement_id, version],
        ).fetchone():
            raise LedgerError(f"Aucune version {version} de la fiche « {achievement_id} ».")
        con.execute(
            "INSERT INTO sheet_reviews VALUES (?, ?, ?, ?, ?, ?)",
            [achievement_id, version, status, message.strip(), author, _stamp(decided_at)],
        )


def record_feedback(
    store: Path,
    achievement_id: str,
    territory: str,
    kind: str,
    recorded_at: datetime | None = None,
) -> bool:
    """Record that ``territory`` supports (``"soutien"``) or adapts (``"adaptation"``) a
    sheet; ``False`` when it already did (one of each per territory and sheet)."""
    if kind not in FEEDBACK_KINDS:
        raise LedgerError(f"Retour inconnu : « {kind} » (possibles : {', '.join(FEEDBACK_KINDS)}).")
    with _writing(store) as con:
        _require_sheet(con, achievement_id)
        cursor = con.execute(
            "INSERT INTO feedback VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
            [achievement_id, territory, kind, _stamp(recorded_at)],
        )
        return cursor.rowcount == 1


def record_comment(
    store: Path,
    achievement_id: str,
    territory: str,
    text: str,
    recorded_at: datetime | None = None,
) -> str:
    """Record a comment of ``territory`` on a sheet (proposed until an analyst publishes
    it); returns its identifier (``"com-1"``, ``"com-2"``… in the order received)."""
    with _writing(store) as con:
        _require_sheet(con, achievement_id)
        (count,) = con.execute("SELECT count(*) FROM comments").fetchone()
        comment_id = f"com-{count + 1}"
        con.execute(
            "INSERT INTO comments VALUES (?, ?, ?, ?, ?)",
            [comment_id, achievement_id, territory, text.strip(), _stamp(recorded_at)],
        )
    return comment_id


def record_comment_review(
    store: Path,
    comment_id: str,
    status: str,
    author: str,
    decided_at: datetime | None = None,
) -> None:
    """Record an analyst's decision on a comment: published (``"publié"``) or withdrawn."""
    if status not in COMMENT_DECISIONS:
        raise LedgerError(
            f"Décision inconnue : « {status} » (possibles : {', '.join(COMMENT_DECISIONS)})."
        )
    with _writing(store) as con:
        if not con.execute("SELECT 1 FROM comments WHERE comment_id = ?", [comment_id]).fetchone():
            raise LedgerError(f"Commentaire inconnu : « {comment_id} ».")
        con.execute(
            "INSERT INTO comment_reviews VALUES (?, ?, ?, ?)",
            [comment_id, status, author, _stamp(decided_at)],
        )


def _require_sheet(con: sqlite3.Connection, achievement_id: str) -> None:
    if not con.execute(
        "SELECT 1 FROM sheet_versions WHERE achievement_id = ? LIMIT 1", [achievement_id]
    ).fetchone():
        raise LedgerError(f"Fiche inconnue : « {achievement_id} ».")


# --- Reads -------------------------------------------------------------------------------


def ledger_version(store: Path) -> int:
    """A number that grows with every write to the store (0 when there is none).

    The sum of the largest row id of each table: rows are never deleted, so each insert
    raises its table's largest row id, and the sum, by at least one.
    """
    with _reading(store) as con:
        if con is None:
            return 0
        return sum(
            con.execute(f"SELECT coalesce(max(rowid), 0) FROM {table}").fetchone()[0]
            for table in TABLES
        )


def _frame(con: sqlite3.Connection | None, name: str, where: str = "", params=()) -> pd.DataFrame:
    columns = FRAME_COLUMNS[name]
    if con is None:
        frame = pd.DataFrame({column: pd.Series(dtype="object") for column in columns})
    else:
        frame = pd.read_sql_query(
            f"SELECT {', '.join(columns)} FROM {_FRAME_TABLES[name]} {where} ORDER BY rowid",
            con,
            params=list(params),
        )
    for column in columns:
        if column in _TIME_COLUMNS:
            frame[column] = pd.to_datetime(frame[column], format="ISO8601")
        elif column == "version":
            frame[column] = frame[column].astype("int64")
    return frame


def ledger_frames(store: Path) -> LedgerFrames:
    """The whole history of the store, read in one consistent snapshot (empty frames with
    their columns when the store does not exist)."""
    with _reading(store) as con:
        return LedgerFrames(**{name: _frame(con, name) for name in FRAME_COLUMNS})


def sheet_frames(store: Path, achievement_id: str) -> LedgerFrames:
    """The history of one sheet only (its versions, decisions, feedback and comments; its
    rejections cannot be told apart from others' and are left out)."""
    with _reading(store) as con:
        by_sheet = ("WHERE achievement_id = ?", [achievement_id])
        comment_ids = (
            "WHERE comment_id IN (SELECT comment_id FROM comments WHERE achievement_id = ?)"
        )
        return LedgerFrames(
            versions=_frame(con, "versions", *by_sheet),
            rejections=_frame(None, "rejections"),
            reviews=_frame(con, "reviews", *by_sheet),
            feedback=_frame(con, "feedback", *by_sheet),
            comments=_frame(con, "comments", *by_sheet),
            comment_reviews=_frame(con, "comment_reviews", comment_ids, [achievement_id]),
        )


def current_sheet(store: Path, achievement_id: str) -> dict[str, object] | None:
    """The row of :func:`current_sheets` for one sheet, or ``None`` when it is unknown."""
    sheets = current_sheets(sheet_frames(store, achievement_id))
    return None if sheets.empty else sheets.iloc[0].to_dict()


#: Columns :func:`current_sheets` adds to the latest version's row and its sheet's fields.
STATUS_COLUMNS = ["status", "decision_message", "decision_author", "decided_at", "published_at"]


def current_sheets(frames: LedgerFrames) -> pd.DataFrame:
    """One row per sheet: its latest version (the columns of ``frames.versions``, and each
    field of the sheet as a column of its own, lists as lists), and its status on that
    version.

    ``status`` is the latest decision recorded on the latest version, ``"proposée"`` until
    there is one (a new version is proposed again, whatever the earlier ones became);
    ``decision_message``, ``decision_author``, ``decided_at`` are that decision's (empty
    while proposed); ``published_at`` is when that version was last published (NaT if
    never). Sorted by ``achievement_id``.
    """
    versions = frames.versions
    latest = (
        versions.sort_values(["achievement_id", "version"])
        .drop_duplicates("achievement_id", keep="last")
        .reset_index(drop=True)
    )
    reviews = frames.reviews.merge(
        latest[["achievement_id", "version"]], on=["achievement_id", "version"]
    )
    decision = reviews.drop_duplicates("achievement_id", keep="last").set_index("achievement_id")
    published = (
        reviews.loc[reviews["status"] == SHEET_PUBLISHED]
        .drop_duplicates("achievement_id", keep="last")
        .set_index("achievement_id")["decided_at"]
    )
    rows = latest.set_index("achievement_id")
    rows["status"] = decision["status"].reindex(rows.index).fillna(SHEET_PROPOSED)
    rows["decision_message"] = decision["message"].reindex(rows.index).fillna("")
    rows["decision_author"] = decision["author"].reindex(rows.index).fillna("")
    rows["decided_at"] = pd.to_datetime(decision["decided_at"].reindex(rows.index))
    rows["published_at"] = pd.to_datetime(published.reindex(rows.index))
    fields = pd.DataFrame([json.loads(text) for text in rows["sheet_json"]], index=rows.index).drop(
        columns=[c for c in FRAME_COLUMNS["versions"] + STATUS_COLUMNS if c != "achievement_id"],
        errors="ignore",
    )
    return rows.join(fields).sort_index().reset_index()


def current_comments(frames: LedgerFrames) -> pd.DataFrame:
    """Every comment with its status: the latest decision on it, ``"proposé"`` until there
    is one; ``decision_author``, ``decided_at`` of that decision and ``published_at``, when
    it was last published (NaT if never). In the order received."""
    comments = frames.comments.copy()
    reviews = frames.comment_reviews.drop_duplicates("comment_id", keep="last").set_index(
        "comment_id"
    )
    published = (
        frames.comment_reviews.loc[frames.comment_reviews["status"] == COMMENT_PUBLISHED]
        .drop_duplicates("comment_id", keep="last")
        .set_index("comment_id")["decided_at"]
    )
    keys = comments["comment_id"]
    comments["status"] = keys.map(reviews["status"]).fillna(COMMENT_PROPOSED).to_numpy()
    comments["decision_author"] = keys.map(reviews["author"]).fillna("").to_numpy()
    comments["decided_at"] = pd.to_datetime(keys.map(reviews["decided_at"])).to_numpy()
    comments["published_at"] = pd.to_datetime(keys.map(published)).to_numpy()
    return comments.reset_index(drop=True)
