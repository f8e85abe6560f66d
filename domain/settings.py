"""Where the observatory keeps its state, read from environment variables with demo defaults.

Every path can be overridden by an environment variable, so that a deployment points the
warehouse, the published copy, the incoming folder and the archive wherever it wants.
Relative defaults are resolved against the current working directory (the project root
when started through ``make``).
"""

from __future__ import annotations

import os
from pathlib import Path

#: Environment variable → default value, for every path where the observatory keeps state.
PATH_DEFAULTS: dict[str, str] = {
    "OBSERVATOIRE_WAREHOUSE": "var/warehouse.duckdb",
    "OBSERVATOIRE_PUBLISHED": "var/published/observatoire.duckdb",
    "OBSERVATOIRE_INCOMING": "var/incoming",
    "OBSERVATOIRE_ARCHIVE": "var/archive",
    "OBSERVATOIRE_TOKENS": "var/tokens.sqlite",
    "OBSERVATOIRE_ALERTS": "var/alerts.jsonl",
    "OBSERVATOIRE_INCIDENTS": "var/incidents.log",
    "OBSERVATOIRE_CACHE_DIR": "var/cache/dash",
}

PROJECT_ROOT = Path(__file__).resolve().parent.parent
#: Folder of the questionnaire versions shipped with the code, one YAML file each
#: (``v1.yaml``, ``v2.yaml``…); a deployment may point ``OBSERVATOIRE_QUESTIONNAIRES``
#: elsewhere.
QUESTIONNAIRE_DIR = PROJECT_ROOT / "data" / "questionnaire"

#: Inputs the observatory reads but never writes, with their defaults (shipped with the code).
INPUT_DEFAULTS: dict[str, str] = {"OBSERVATOIRE_QUESTIONNAIRES": str(QUESTIONNAIRE_DIR)}


def env_path(name: str) -> Path:
    """Return the path configured by environment variable ``name``, or its demo default."""
    return Path(os.environ.get(name) or {**PATH_DEFAULTS, **INPUT_DEFAULTS}[name])


#: Largest published copy accepted, in bytes (env ``OBSERVATOIRE_MAX_PUBLICATION_BYTES``):
#: a refresh whose copy would be larger is refused by a blocking check, and the dashboard
#: keeps serving the last good one. The demo's copy weighs about 8 MB.
DEFAULT_MAX_PUBLICATION_BYTES = 200_000_000


def max_publication_bytes() -> int:
    """The size limit of the published copy, in bytes."""
    return int(
        os.environ.get("OBSERVATOIRE_MAX_PUBLICATION_BYTES") or DEFAULT_MAX_PUBLICATION_BYTES
    )
