"""Publications of a correction written straight into a copy of a published file, for the
tests of the editions: a millésime's scores changed, a new version, the copy moved into place
and its editions kept as the pipeline keeps them (:func:`domain.publication.archive_editions`).
"""

from __future__ import annotations

import os
import shutil
from datetime import datetime
from pathlib import Path

import duckdb

from domain.publication import archive_editions, version_of


def publish_correction(
    published: Path, millesime: int, territory: str, delta: float, published_at: datetime
) -> list[int]:
    """Publish at ``published`` a copy of itself where ``territory``'s global index of
    ``millesime`` grew by ``delta``, dated ``published_at``; returns the millésimes whose
    edition it wrote."""
    partial = published.with_name(f".{published.name}.correction")
    shutil.copyfile(published, partial)
    with duckdb.connect(str(partial)) as con:
        changed = con.execute(
            "UPDATE territory_scores SET global_index = global_index + ? "
            "WHERE millesime = ? AND territory = ? RETURNING territory",
            [delta, millesime, territory],
        ).fetchall()
        assert changed, f"{territory} has no score in {millesime}"
        con.execute(
            "UPDATE publication SET published_at = ?, version = ?, run_id = 'correction'",
            [published_at, version_of(published_at)],
        )
    os.replace(partial, published)
    return archive_editions(published)


def scored_territory(published: Path, millesime: int) -> tuple[str, float]:
    """A territory scored in ``millesime`` and its global index, in the copy at ``published``."""
    with duckdb.connect(str(published), read_only=True) as con:
        return con.execute(
            "SELECT territory, global_index FROM territory_scores "
            "WHERE millesime = ? AND global_index IS NOT NULL ORDER BY territory LIMIT 1",
            [millesime],
        ).fetchone()
