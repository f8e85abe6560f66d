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
