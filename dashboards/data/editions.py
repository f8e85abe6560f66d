"""Versions and editions: which publication the figures come from, and each millésime's
figures as they were published.

Every publication has a version (``AAAAMMJJ-HHMMSS``, the UTC second it was published at).
The pipeline keeps, beside the published copy, the *edition* of each millésime
(:func:`domain.publication.archive_editions`): a copy of the last publication in which that
millésime was the most recent one scored (or, for a millésime first published when already
past, of the first publication holding it). An edition is a published file like the current
one: every reader of :mod:`dashboards.data` that takes a ``source`` reads it, cached under
the edition file's own path, mtime and size.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from dashboards.data.connection import PublicationError, is_na, published_path, read

# Where the pipeline keeps the editions, and how it writes a version: one definition.
from domain.publication import VERSION_FORMAT, archived_millesimes, edition_path, editions_dir

#: Columns of :func:`editions`.
EDITION_COLUMNS = ["millesime", "version", "publiee_le", "version_methodologie"]


def publication_of(source: Path | None = None) -> dict[str, Any] | None:
    """Date, run and version of the current publication, or of the published file
    ``source`` (an edition): ``{"published_at", "run_id", "version"}``, or None. A file
    published before versions existed gets the version of its date."""
    frame = read("publication", "select * from publication limit 1", source=source)
    if frame.empty:
        return None
    row = frame.iloc[0]
    published_at = row["published_at"]
    published_at = None if is_na(published_at) else pd.Timestamp(published_at).to_pydatetime()
    version = row.get("version")
    if is_na(version) and published_at is not None:
        version = published_at.strftime(VERSION_FORMAT)
    return {
        "published_at": published_at,
        "run_id": row["run_id"],
        "version": None if is_na(version) else str(version),
    }


def edition_source(millesime: int) -> Path | None:
    """The file of ``millesime``'s edition, or None when it has none."""
    path = edition_path(published_path(), millesime)
    return path if path.exists() else None


def edition_publication(millesime: int) -> dict[str, Any] | None:
    """The edition of ``millesime``: ``{"millesime", "version", "publiee_le",
    "version_methodologie"}`` (``publiee_le``: naive UTC datetime), or None when it has none."""
    source = edition_source(millesime)
    if source is None:
        return None
    try:
        info = publication_of(source)
        methodology = read(
            "edition_methodology",
            "select version from methodology_versions where millesime = ?",
            [int(millesime)],
            source=source,
        )
    except PublicationError:
        return None  # removed, or unreadable: no edition to serve
    if info is None:
        return None
    return {
        "millesime": int(millesime),
        "version": info["version"],
        "publiee_le": info["published_at"],
        "version_methodologie": None if methodology.empty else str(methodology.iloc[0, 0]),
    }


def editions() -> pd.DataFrame:
    """The editions kept, oldest millésime first: ``millesime``, ``version``, ``publiee_le``,
    ``version_methodologie``. Editions of millésimes no longer published are listed too."""
    rows = [edition_publication(m) for m in archived_millesimes(published_path())]
    frame = pd.DataFrame([row for row in rows if row is not None], columns=EDITION_COLUMNS)
    return frame.astype({"millesime": "int64"})


def editions_signature() -> str:
    """A cheap identity of the editions kept (each file's name, mtime and size, no read):
    it changes whenever the pipeline writes an edition, which it does *after* replacing
    the published copy, so an answer listing the editions is told apart from the one
    served in between even though the publication version is the same."""
    folder = editions_dir(published_path())
    if not folder.is_dir():
        return ""
    parts = []
    for path in sorted(folder.glob("*.duckdb")):
        try:
            stat = path.stat()
        except OSError:
            continue  # removed meanwhile
        parts.append(f"{path.name}:{stat.st_mtime_ns}:{stat.st_size}")
    return ",".join(parts)
