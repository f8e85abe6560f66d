"""The observatory's shared vocabulary, defined once: kinds of territory and their French
names, file statuses, report severities, the index node, maturity levels, population bands
and the names of an axis's position among peers.

Every layer (domain logic, assets, the CLI and the dashboard) reads these names from here,
so that a label changed here changes everywhere, and a status written by the pipeline is
the status the dashboard filters on.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TerritoryKind:
    """A kind of territory that answers the survey, with the ways pages name it."""

    code: str
    #: "Région", "Communauté d'agglomération" (a territory's kind, on its fiche).
    label: str
    #: "régions", "communautés d'agglomération" (its peers: "médiane des régions").
    plural: str
    #: "Régions", "Agglomérations" (chart axes and legends, where room is short).
    short_plural: str

    @property
    def singular(self) -> str:
        """The label in running text: "1er sur 12 régions", "1 département"."""
        return self.label[0].lower() + self.label[1:]


#: Kinds of territory, from the largest to the smallest, as pages list them.
TERRITORY_KIND_LIST: tuple[TerritoryKind, ...] = (
    TerritoryKind("REG", "Région", "régions", "Régions"),
    TerritoryKind("DEP", "Département", "départements", "Départements"),
    TerritoryKind("ME", "Métropole", "métropoles", "Métropoles"),
    TerritoryKind("CU", "Communauté urbaine", "communautés urbaines", "Communautés urbaines"),
    TerritoryKind(
        "CA", "Communauté d'agglomération", "communautés d'agglomération", "Agglomérations"
    ),
    TerritoryKind("CC", "Communauté de communes", "communautés de communes", "Comm. de communes"),
    # Which communes answer is the scope's (OBSERVATOIRE_PERIMETRE): 50,000 inhabitants or
    # more by default, down to every commune.
    TerritoryKind("COM", "Commune", "communes", "Communes"),
)
TERRITORY_KINDS: tuple[str, ...] = tuple(kind.code for kind in TERRITORY_KIND_LIST)
KIND_LABELS: dict[str, str] = {kind.code: kind.label for kind in TERRITORY_KIND_LIST}
KIND_PLURALS: dict[str, str] = {kind.code: kind.plural for kind in TERRITORY_KIND_LIST}
KIND_SINGULARS: dict[str, str] = {kind.code: kind.singular for kind in TERRITORY_KIND_LIST}
KIND_SHORT_PLURALS: dict[str, str] = {kind.code: kind.short_plural for kind in TERRITORY_KIND_LIST}

# --- Received files --------------------------------------------------------------------

#: Statuses of a received file. A file is accepted or rejected when validated; later files
#: make an accepted one superseded ("remplacée") or a rejected one corrected ("corrigée").
ACCEPTED = "acceptée"
REJECTED = "rejetée"
SUPERSEDED = "remplacée"
CORRECTED = "corrigée"
FILE_STATUSES: tuple[str, ...] = (ACCEPTED, SUPERSEDED, REJECTED, CORRECTED)
#: Statuses of files whose answers were accepted at some point.
ACCEPTED_STATUSES: tuple[str, ...] = (ACCEPTED, SUPERSEDED)
#: An upload refused before being kept (bad token, too big, not a table, another territory).
REFUSED = "refusée"

#: Severities of a validation report's lines: an error rejects the file, a warning does not.
ERROR = "erreur"
WARNING = "avertissement"

# --- Scores ------------------------------------------------------------------------------

#: Node of the methodology tree that holds the global index.
INDEX_NODE = "indice_global"
INDEX_LABEL = "Indice global de maturité numérique"

#: Maturity levels: (level, French label, lower bound included, upper bound excluded).
MATURITY_LEVELS: tuple[tuple[int, str, float, float], ...] = (
    (1, "Découverte", 0.0, 20.0),
    (2, "Émergent", 20.0, 40.0),
    (3, "Structuré", 40.0, 60.0),
    (4, "Avancé", 60.0, 80.0),
    (5, "Exemplaire", 80.0, 100.0),
)
#: Label of a territory whose answers cover too little to be scored.
INSUFFICIENT_DATA_LABEL = "Données insuffisantes"

#: Population bands (lower bound included), for a second peer group.
POPULATION_BANDS: tuple[tuple[float, str], ...] = (
    (0, "moins de 100 000 habitants"),
    (100_000, "100 000 à 250 000 habitants"),
    (250_000, "250 000 à 500 000 habitants"),
    (500_000, "500 000 à 1 million d'habitants"),
    (1_000_000, "plus d'1 million d'habitants"),
)

#: The groups of uncertain choices of the rank robustness analysis, in the order pages list
#: them, with their French names.
UNCERTAINTY_FACTORS: dict[str, str] = {
    "question_weights": "Poids des questions dans chaque axe",
    "axis_weights": "Poids des axes dans l'indice",
    "index_aggregation": "Agrégation de l'indice (moyenne arithmétique ou géométrique)",
}

#: An axis this many points above (below) the peer median is a strength (weakness).
STRENGTH_GAP = 10.0
STRENGTH, WEAKNESS = "force", "faiblesse"

# --- Achievements ("réalisations exemplaires") and peer feedback ------------------------

#: Statuses of an achievement sheet: proposed until an analyst decides on its current
#: version; published, returned to its territory with a message, or withdrawn.
SHEET_PROPOSED = "proposée"
SHEET_PUBLISHED = "publiée"
SHEET_RETURNED = "à revoir"
SHEET_WITHDRAWN = "retirée"
SHEET_STATUSES: tuple[str, ...] = (
    SHEET_PROPOSED,
    SHEET_PUBLISHED,
    SHEET_RETURNED,
    SHEET_WITHDRAWN,
)
#: What an analyst may decide on a version of a sheet.
SHEET_DECISIONS: tuple[str, ...] = (SHEET_PUBLISHED, SHEET_RETURNED, SHEET_WITHDRAWN)

#: Statuses of a comment on a sheet: visible only once published by an analyst.
COMMENT_PROPOSED = "proposé"
COMMENT_PUBLISHED = "publié"
COMMENT_WITHDRAWN = "retiré"
COMMENT_STATUSES: tuple[str, ...] = (COMMENT_PROPOSED, COMMENT_PUBLISHED, COMMENT_WITHDRAWN)
COMMENT_DECISIONS: tuple[str, ...] = (COMMENT_PUBLISHED, COMMENT_WITHDRAWN)

#: Kinds of feedback a territory gives a published sheet: it supports it, or adapts it
#: ("nous l'adaptons"). One of each per territory and sheet.
SUPPORT = "soutien"
ADAPTATION = "adaptation"
FEEDBACK_KINDS: tuple[str, ...] = (SUPPORT, ADAPTATION)
