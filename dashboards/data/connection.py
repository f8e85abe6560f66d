"""Access to the published DuckDB file: read-only, one short connection per query, cached.

The pipeline replaces the published file atomically (``os.replace``), so a connection is
opened for each query and closed right after: a long-lived connection would keep reading
the old file. Results are cached with Flask-Caching's ``FileSystemCache`` (shared by every
gunicorn worker, unlike an in-process cache), under keys that carry the file's mtime and
size, so a new publication is picked up at the next request without clearing anything.
A missing entry is computed by one process while the others wait for it (a file lock), and
the first process that sees a new publication runs the hooks of :func:`on_publication` in
a background thread (the app warms the cache by building every page once), so that the
first requests after a publication do not all compute the same queries at once.

Every reader built on :func:`read` raises :class:`PublicationError` (with a French message
a page can show as is) when the published file is missing or unreadable.

:func:`read`, :func:`query` and :func:`cached` read the current publication, or, with
``source``, another published file (an edition of a millésime, :mod:`dashboards.data.editions`):
the key of a cached entry then carries that file's path, mtime and size.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
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
logger = logging.getLogger(__name__)
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
    return source_version(published_path())


def source_version(path: Path) -> str:
    """Identify the published file at ``path`` by its mtime and size (the current
    publication or an edition); raises :class:`PublicationMissing` when it does not exist."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise PublicationMissing(_missing_message(path)) from None
    return f"{stat.st_mtime_ns}-{stat.st_size}"


def _missing_message(path: Path) -> str:
    if path == published_path():
        return MISSING_MESSAGE
    return f"Le fichier publié {path.name} n'existe pas (ou plus)."


_caches: dict[Path, FileSystemCache] = {}


def _cache() -> FileSystemCache:
    directory = cache_dir().resolve()
    if directory not in _caches:
        # Keys are versioned by the publication, so entries never go stale: no expiry,
        # the threshold alone prunes the entries of past publications.
        _caches[directory] = FileSystemCache(str(directory), threshold=5000, default_timeout=0)
    return _caches[directory]


#: Lock files that make one process compute a missing entry while the others wait for it:
#: keys share them by their first two hex digits (256 files, never pruned).
_LOCK_STRIPES = 2
_held = threading.local()


@contextmanager
def _computing(key: str, group: str = "") -> Iterator[None]:
    """Hold the lock of ``key``'s stripe, across the processes sharing the cache.

    Right after a publication every entry is missing: without it, each gunicorn worker that
    gets a request computes the same queries at the same time, on the same cores, and the
    slowest requests pass the workers' timeout. Reentrant within a thread. ``group`` names
    a separate set of locks, for entries whose computation reads other entries (a callback
    response reads queries): taken in one order only, they cannot wait on each other.
    """
    stripe = group + key[:_LOCK_STRIPES]
    held = getattr(_held, "stripes", None)
    if held is None:
        held = _held.stripes = set()
    if stripe in held:
        yield
        return
    directory = cache_dir() / "locks"
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / f"{stripe}.lock", "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        held.add(stripe)
        try:
            yield
        finally:
            held.discard(stripe)
            fcntl.flock(handle, fcntl.LOCK_UN)


#: Called once per publication, by the first process that sees it (see :func:`on_publication`).
_publication_hooks: list[Callable[[], None]] = []
_seen_versions: set[str] = set()


def on_publication(hook: Callable[[], None]) -> None:
    """Run ``hook`` in a background thread once per new publication, in one process only
    (the first that reads it): the dashboard warms the shared cache with it."""
    _publication_hooks.append(hook)


def _announce(version: str) -> None:
    """Start the publication hooks if this process is the first to see ``version``."""
    if version in _seen_versions:
        return
    _seen_versions.add(version)
    if not _publication_hooks:
        return
    directory = cache_dir()
    directory.mkdir(parents=True, exist_ok=True)
    marker = directory / f"publication-{hashlib.sha256(version.encode()).hexdigest()[:16]}"
    try:
        os.close(os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return  # another worker warms this publication

    def run() -> None:
        for hook in _publication_hooks:
            try:
                hook()
            except Exception:  # noqa: BLE001 - warming is an optimisation, never an outage
                logger.exception("Préchauffage du cache impossible")

    threading.Thread(target=run, name="cache-warm-up", daemon=True).start()


def cached(
    name: str,
    arguments: Parameters,
    compute: Callable[[], T],
    lock_group: str = "",
    source: Path | None = None,
) -> T:
    """Return ``compute()``, cached under ``name``, ``arguments`` and the publication version
    (of the published file ``source`` when given, else of the current publication).

    A missing entry is computed by one process at a time (the others wait, then read it);
    ``lock_group`` separates the locks of entries computed from other entries.
    """
    path = published_path() if source is None else Path(source)
    version = source_version(path)
    if source is None:
        _announce(version)
    raw_key = json.dumps(
        [name, arguments, str(path.resolve()), version], default=str, sort_keys=True
    )
    key = hashlib.sha256(raw_key.encode()).hexdigest()
    cache = _cache()
    hit = cache.get(key)
    if hit is not None:
        return hit[0]
    with _computing(key, lock_group):
        hit = cache.get(key)  # computed by another process while this one waited
        if hit is not None:
            return hit[0]
        value = compute()
        cache.set(key, (value,))  # wrapped, so that a cached None is told from a miss
    return value


def query(sql: str, parameters: Parameters = (), source: Path | None = None) -> pd.DataFrame:
    """Run ``sql`` on a short-lived read-only connection to the published file (uncached):
    the current publication, or ``source`` when given."""
    path = published_path() if source is None else Path(source)
    if not path.exists():
        raise PublicationMissing(_missing_message(path))
    try:
        with duckdb.connect(str(path), read_only=True) as connection:
            bound = parameters if isinstance(parameters, dict) else list(parameters)
            return connection.execute(sql, bound).df()
    except duckdb.Error as error:
        raise PublicationUnreadable(
            f"Le fichier publié {path} ne peut pas être lu ({error}). "
            "Relancez la publication avec `observatoire refresh`."
        ) from error


def read(
    name: str, sql: str, parameters: Parameters = (), source: Path | None = None
) -> pd.DataFrame:
    """Run ``sql`` on the published file (``source`` when given), cached until it changes."""
    # The query text is part of the key, so a deploy that changes a query never reads the
    # results of the old one from the shared cache.
    digest = hashlib.sha256(sql.encode()).hexdigest()[:12]
    return cached(
        f"{name}:{digest}", parameters, lambda: query(sql, parameters, source), source=source
    )


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
