"""Access to the published DuckDB file: read-only, one short connection per query, cached.

The pipeline replaces the published file atomically (``os.replace``), so a connection is
opened for each query and closed right after: a long-lived connection would keep reading
the old file. Results are cached with Flask-Caching's ``FileSystemCache`` (shared by every
gunicorn worker, unlike an in-process cache), under keys that carry the file's mtime and
size, so a new publication is picked up at the next request without clearing anything.

Every reader built on :func:`read` raises :class:`PublicationError` (with a French message
a page can show as is) when the published file is missing or unreadable.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import numpy as np
import pandas as pd
from flask_caching.backends.filesystemcache import FileSystemCache

from domain.settings import env_path

#: Settings (environment variables, defaults in :mod:`domain.settings`).
PUBLISHED_ENV = "OBSERVATOIRE_PUBLISHED"
CACHE_DIR_ENV = "OBSERVATOIRE_CACHE_DIR"

MISSING_MESSAGE = (
    "Aucune donnée publiée pour l'instant : lancez `make run` ou `observatoire refresh`."
)

T = TypeVar("T")
#: Query parameters: positional (``?``) or named (``$name``).
Parameters = Sequence[Any] | dict[str, Any]


class PublicationError(RuntimeError):
    """The published file cannot be used; ``str(error)`` is a French sentence for visitors."""


class PublicationMissing(PublicationError):
    """No published file exists yet at the configured path."""


class PublicationUnreadable(PublicationError):
    """The published file exists but cannot be queried (corrupt, or an older schema)."""


def published_path() -> Path:
    """Path of the published DuckDB file (env ``OBSERVATOIRE_PUBLISHED``, cwd-relative default)."""
    return env_path(PUBLISHED_ENV)


def cache_dir() -> Path:
    """Directory of the file-system cache (env ``OBSERVATOIRE_CACHE_DIR``)."""
    return env_path(CACHE_DIR_ENV)


def publication_version() -> str:
    """Identify the current publication by the published file's mtime and size.

    Raises :class:`PublicationMissing` when there is no published file.
    """
    path = published_path()
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise PublicationMissing(MISSING_MESSAGE) from None
    return f"{stat.st_mtime_ns}-{stat.st_size}"


_caches: dict[Path, FileSystemCache] = {}


def _cache() -> FileSystemCache:
    directory = cache_dir().resolve()
    if directory not in _caches:
        # Keys are versioned by the publication, so entries never go stale: no expiry,
        # the threshold alone prunes the entries of past publications.
        _caches[directory] = FileSystemCache(str(directory), threshold=5000, default_timeout=0)
    return _caches[directory]


def cached(name: str, arguments: Parameters, compute: Callable[[], T]) -> T:
    """Return ``compute()``, cached under ``name``, ``arguments`` and the publication version."""
    version = publication_version()
    raw_key = json.dumps(
        [name, arguments, str(published_path().resolve()), version], default=str, sort_keys=True
    )
    key = hashlib.sha256(raw_key.encode()).hexdigest()
    cache = _cache()
    hit = cache.get(key)
    if hit is not None:
        return hit[0]
    value = compute()
    cache.set(key, (value,))  # wrapped, so that a cached None is told from a miss
    return value


def query(sql: str, parameters: Parameters = ()) -> pd.DataFrame:
    """Run ``sql`` on a short-lived read-only connection to the published file (uncached)."""
    path = published_path()
    if not path.exists():
        raise PublicationMissing(MISSING_MESSAGE)
    try:
        with duckdb.connect(str(path), read_only=True) as connection:
            bound = parameters if isinstance(parameters, dict) else list(parameters)
            return connection.execute(sql, bound).df()
    except duckdb.Error as error:
        raise PublicationUnreadable(
            f"Le fichier publié {path} ne peut pas être lu ({error}). "
            "Relancez la publication avec `observatoire refresh`."
        ) from error


def read(name: str, sql: str, parameters: Parameters = ()) -> pd.DataFrame:
    """Run ``sql`` on the published file, cached until the next publication."""
    # The query text is part of the key, so a deploy that changes a query never reads the
    # results of the old one from the shared cache.
    digest = hashlib.sha256(sql.encode()).hexdigest()[:12]
    return cached(f"{name}:{digest}", parameters, lambda: query(sql, parameters))


def plain(value: Any) -> Any:
    """A cell as a plain Python value: None for NULL, ``int``/``float`` for NumPy scalars."""
    if is_na(value):
        return None
    return value.item() if isinstance(value, np.generic) else value


def is_na(value: Any) -> bool:
    """Whether a cell is NULL (None, NaN, NA), without failing on lists or arrays."""
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False
