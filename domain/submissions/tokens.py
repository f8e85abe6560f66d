"""Tokens: one secret per territory (upload tokens) or per analyst (analyst tokens), issued
and revoked by ops, stored hashed.

An upload token lets a territory upload files, write sheets, supports and comments for
itself only. An analyst token lets a named analyst (a person or a service) review sheets
and comments; it is kept in a table of its own, so that no upload token is ever an
analyst's. Only the SHA-256 of each token is stored (tokens are long random secrets, so a
fast hash is enough); the token itself is shown once, when it is created.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS upload_tokens (
    token_sha256 TEXT PRIMARY KEY,
    territory TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE TABLE IF NOT EXISTS analyst_tokens (
    token_sha256 TEXT PRIMARY KEY,
    analyst TEXT NOT NULL CHECK (trim(analyst) <> ''),
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
"""


@dataclass(frozen=True)
class IssuedToken:
    territory: str
    token: str


@dataclass(frozen=True)
class IssuedAnalystToken:
    analyst: str
    token: str


def _connect(store: Path) -> sqlite3.Connection:
    store.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(store, timeout=10)
    con.executescript(SCHEMA)
    return con


def _digest(token: str) -> str:
    return hashlib.sha256(token.strip().encode()).hexdigest()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


#: The table of each kind of token, and its owner column (never user input).
TERRITORY_TOKENS = ("upload_tokens", "territory")
ANALYST_TOKENS = ("analyst_tokens", "analyst")


def new_token() -> str:
    """A new random secret (32 URL-safe characters) that never begins with ``-``.

    ``secrets.token_urlsafe`` begins one token in 64 with ``-``; typed after ``--jeton`` on
    the command line, such a token would be read as an option and refused."""
    while (token := secrets.token_urlsafe(24)).startswith("-"):
        pass
    return token


def _insert(store: Path, table: tuple[str, str], owner: str) -> str:
    """Store the hash of a new token of ``owner`` in ``table``; returns the token."""
    token = new_token()
    with closing(_connect(store)) as con, con:
        con.execute(
            f"INSERT INTO {table[0]} VALUES (?, ?, ?, NULL)", [_digest(token), owner, _now()]
        )
    return token


def _revoke(store: Path, table: tuple[str, str], owner: str) -> int:
    """Revoke every valid token of ``owner`` in ``table``; returns how many were revoked."""
    name, column = table
    with closing(_connect(store)) as con, con:
        cursor = con.execute(
            f"UPDATE {name} SET revoked_at = ? WHERE {column} = ? AND revoked_at IS NULL",
            [_now(), owner],
        )
        return cursor.rowcount


def _owner(store: Path, table: tuple[str, str], token: str) -> str | None:
    """The owner of a valid token of ``table``, or ``None`` (unknown or revoked)."""
    if not token or not token.strip() or not store.exists():
        return None
    name, column = table
    with closing(_connect(store)) as con:
        row = con.execute(
            f"SELECT {column} FROM {name} WHERE token_sha256 = ? AND revoked_at IS NULL",
            [_digest(token)],
        ).fetchone()
    return row[0] if row else None


def create_token(store: Path, territory: str) -> IssuedToken:
    """Issue a new token for ``territory``; earlier tokens of the territory stay valid."""
    return IssuedToken(territory, _insert(store, TERRITORY_TOKENS, territory))


def revoke_tokens(store: Path, territory: str) -> int:
    """Revoke every valid token of ``territory``; returns how many were revoked."""
    return _revoke(store, TERRITORY_TOKENS, territory)


def territory_of_token(store: Path, token: str) -> str | None:
    """The territory a valid token belongs to, or ``None`` (unknown or revoked)."""
    return _owner(store, TERRITORY_TOKENS, token)


def create_analyst_token(store: Path, analyst: str) -> IssuedAnalystToken:
    """Issue a new token for ``analyst`` (a name or a service, recorded as the author of its
    decisions); earlier tokens of the same analyst stay valid."""
    name = " ".join(analyst.split())
    if not name:
        raise ValueError("Nom de l'analyste vide : donnez un nom ou un service.")
    return IssuedAnalystToken(name, _insert(store, ANALYST_TOKENS, name))


def revoke_analyst_tokens(store: Path, analyst: str) -> int:
    """Revoke every valid token of ``analyst``; returns how many were revoked."""
    return _revoke(store, ANALYST_TOKENS, " ".join(analyst.split()))


def analyst_of_token(store: Path, token: str) -> str | None:
    """The analyst a valid analyst token belongs to, or ``None`` (unknown, revoked, or a
    territory's upload token)."""
    return _owner(store, ANALYST_TOKENS, token)
