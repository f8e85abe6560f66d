"""Where the observatory keeps its state, read from environment variables with demo defaults.

Every path can be overridden by an environment variable, so that a deployment points the
warehouse, the published copy, the incoming folder and the archive wherever it wants.
Relative defaults are resolved against the current working directory (the project root
when started through ``make``).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

#: Environment variable → default value, for every path where the observatory keeps state.
PATH_DEFAULTS: dict[str, str] = {
    "OBSERVATOIRE_WAREHOUSE": "var/warehouse.duckdb",
    "OBSERVATOIRE_PUBLISHED": "var/published/observatoire.duckdb",
    "OBSERVATOIRE_INCOMING": "var/incoming",
    "OBSERVATOIRE_ARCHIVE": "var/archive",
    "OBSERVATOIRE_TOKENS": "var/tokens.sqlite",
    "OBSERVATOIRE_CONTRIBUTIONS": "var/contributions.sqlite",
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


# --- The scope: which territories answer the survey ----------------------------------------

#: Environment variable naming the scope (« périmètre ») of the survey.
SCOPE_ENV = "OBSERVATOIRE_PERIMETRE"

#: EPCI types answering in the default scope: métropoles, communautés urbaines and
#: communautés d'agglomération (not the communautés de communes, CC).
DEFAULT_EPCI_TYPES: tuple[str, ...] = ("ME", "CU", "CA")
#: Every type of EPCI à fiscalité propre.
ALL_EPCI_TYPES: tuple[str, ...] = ("ME", "CU", "CA", "CC")
#: Smallest population municipale of a commune answering in the default scope.
DEFAULT_COMMUNE_MIN_POPULATION = 50_000


@dataclass(frozen=True)
class Scope:
    """Which territories answer: every région and département, the EPCI of ``epci_types``
    and the communes of at least ``commune_min_population`` inhabitants (population
    municipale; with ``1``, every inhabited commune, those of unknown population included)."""

    name: str
    epci_types: tuple[str, ...]
    commune_min_population: int

    @property
    def every_commune(self) -> bool:
        """Whether every inhabited commune answers (down to the smallest)."""
        return self.commune_min_population <= 1


#: The named scopes, from the narrowest to the widest; ``communes-<N>`` names any other
#: threshold (every EPCI and the communes of at least N inhabitants).
SCOPES: dict[str, Scope] = {
    scope.name: scope
    for scope in (
        Scope("defaut", DEFAULT_EPCI_TYPES, DEFAULT_COMMUNE_MIN_POPULATION),
        Scope("epci", ALL_EPCI_TYPES, DEFAULT_COMMUNE_MIN_POPULATION),
        Scope("communes-10000", ALL_EPCI_TYPES, 10_000),
        Scope("toutes", ALL_EPCI_TYPES, 1),
    )
}
DEFAULT_SCOPE = SCOPES["defaut"]
_COMMUNES_THRESHOLD = re.compile(r"communes-([1-9][0-9]*)")


def parse_scope(text: str) -> Scope:
    """The scope named ``text`` (``defaut``, ``epci``, ``communes-10000``, ``toutes`` or
    ``communes-<N>``); anything else is refused with a French message saying what is allowed."""
    name = text.strip()
    if name in SCOPES:
        return SCOPES[name]
    threshold = _COMMUNES_THRESHOLD.fullmatch(name)
    if threshold:
        return Scope(name, ALL_EPCI_TYPES, int(threshold.group(1)))
    raise ValueError(
        f"Périmètre inconnu : « {text} ». Valeurs possibles : {', '.join(SCOPES)}, ou "
        "communes-<N> (toutes les intercommunalités et les communes d'au moins N habitants, "
        "par exemple communes-3500)."
    )


def territory_scope() -> Scope:
    """The scope configured by ``OBSERVATOIRE_PERIMETRE`` (``defaut`` when unset or empty)."""
    return parse_scope(os.environ.get(SCOPE_ENV) or DEFAULT_SCOPE.name)
