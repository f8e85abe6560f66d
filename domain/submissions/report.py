"""A validation report: what is wrong in a received file, where, and how to fix it (French).

A file can break the same rule a hundred thousand times: its report keeps the count of each
rule it breaks and only the first lines in detail (:func:`bounded_report`), wherever it is
shown or stored (upload page, command line, warehouse, publication).
"""

from collections import Counter
from dataclasses import asdict, dataclass

import pandas as pd

from schemas.vocabulary import ERROR, WARNING

#: Detailed lines kept in a file's report; the others are only counted, rule by rule.
REPORT_LINE_LIMIT = 200

#: Rule of an issue whose maker did not name one (reading and layout of the file).
FILE_RULE = "fichier"
#: Rule of a file that could not be validated because of a fault of the observatory.
INTERNAL_ERROR_RULE = "erreur_interne"

#: Identifier of each rule a file can break → its French name, as reports count them.
RULE_LABELS: dict[str, str] = {
    FILE_RULE: "Fichier illisible ou mal structuré",
    INTERNAL_ERROR_RULE: "Erreur interne de l'observatoire (le fichier n'est pas en cause)",
    "colonne_ignoree": "Colonne inconnue, ignorée",
    "aucune_reponse": "Aucune réponse",
    "valeur_mal_formee": "Valeur mal formée",
    "territoire_inconnu": "Territoire inconnu",
    "millesime_non_ouvert": "Millésime non ouvert",
    "question_inconnue": "Question inconnue",
    "question_non_posee": "Question non posée à ce type de territoire",
    "reponse_en_double": "Réponse en double",
    "reponse_invalide": "Réponse invalide",
    "commentaire_trop_long": "Commentaire trop long",
    "obligatoire_sans_reponse": "Question obligatoire sans réponse",
    "facultative_sans_reponse": "Question facultative sans réponse",
    # Achievement sheets (domain.achievements.sheet).
    "champ_inconnu": "Champ inconnu",
    "champ_en_double": "Champ en double",
    "champ_obligatoire": "Champ obligatoire vide",
    "valeur_hors_limites": "Valeur hors limites",
    "valeur_inconnue": "Valeur inconnue",
    "coordonnees_personnelles": "Coordonnées personnelles refusées",
    "valeurs_incoherentes": "Valeurs incohérentes",
}


def rule_label(rule: str) -> str:
    """The French name of ``rule`` (the identifier itself for a rule without a name)."""
    return RULE_LABELS.get(rule, rule)


@dataclass(frozen=True)
class ValidationIssue:
    """One row of a validation report, as the user sees their spreadsheet."""

    line: int | None
    column: str | None
    question: str | None
    value: str | None
    severity: str
    message: str
    #: Identifier of the rule broken (a key of :data:`RULE_LABELS`).
    rule: str = FILE_RULE


ISSUE_COLUMNS = ["line", "column", "question", "value", "severity", "message", "rule"]
RULE_COUNT_COLUMNS = ["rule", "label", "severity", "issues"]


@dataclass(frozen=True)
class RuleCount:
    """How many times a file breaks one rule, at one severity."""

    rule: str
    label: str
    severity: str
    issues: int


@dataclass(frozen=True)
class BoundedReport:
    """A file's report as it is kept and shown: every rule counted, the first lines detailed."""

    #: The first lines of the report, in the order of the file (lines without a number last).
    lines: list[ValidationIssue]
    #: Issues by rule and severity, errors first, then the most frequent.
    counts: list[RuleCount]
    errors: int
    warnings: int

    @property
    def total(self) -> int:
        return self.errors + self.warnings

    @property
    def omitted(self) -> int:
        """Issues counted but not detailed."""
        return self.total - len(self.lines)

    @property
    def omitted_errors(self) -> int:
        """Errors counted but not detailed."""
        return self.errors - sum(line.severity == ERROR for line in self.lines)

    @property
    def omitted_warnings(self) -> int:
        """Warnings counted but not detailed."""
        return self.warnings - sum(line.severity == WARNING for line in self.lines)

    @property
    def omitted_sentence(self) -> str | None:
        """``"… et 104 800 autres erreurs, comptés …"``, or ``None`` if none omitted."""
        return omitted_sentence(self.omitted_errors, self.omitted_warnings)


def omitted_sentence(errors: int, warnings: int) -> str | None:
    """The French line that closes a report whose other ``errors`` and ``warnings`` are
    only counted; ``None`` when nothing was left out."""
    parts = []
    if errors:
        parts.append(
            f"{_integer(errors)} autre{'s' if errors > 1 else ''} erreur{'s' if errors > 1 else ''}"
        )
    if warnings:
        parts.append(
            f"{_integer(warnings)} autre{'s' if warnings > 1 else ''} "
            f"avertissement{'s' if warnings > 1 else ''}"
        )
    if not parts:
        return None
    return (
        f"… et {' et '.join(parts)}, comptés dans le décompte par règle sans être détaillés "
        "ici. Corrigez les premières lignes : la même correction vaut souvent pour les "
        "suivantes."
    )


def _integer(value: int) -> str:
    """``104800`` → ``"104 800"`` (narrow no-break space, as French prints thousands)."""
    return f"{value:,}".replace(",", "\u202f")


def _file_order(issue: ValidationIssue) -> tuple[bool, int]:
    return (issue.line is None, issue.line or 0)


def bounded_report(issues: list[ValidationIssue], limit: int = REPORT_LINE_LIMIT) -> BoundedReport:
    """Count ``issues`` by rule and keep the first ``limit`` of them, in the order of the file.

    Pure and linear: a file with a hundred thousand errors gives ``limit`` lines and one
    count per rule broken.
    """
    ordered = sorted(issues, key=_file_order)  # stable: same line keeps its report order
    tally = Counter((issue.rule, issue.severity) for issue in issues)
    counts = [
        RuleCount(rule, rule_label(rule), severity, count)
        for (rule, severity), count in sorted(
            tally.items(), key=lambda item: (item[0][1] != ERROR, -item[1], item[0][0])
        )
    ]
    errors = sum(count.issues for count in counts if count.severity == ERROR)
    return BoundedReport(ordered[: max(limit, 0)], counts, errors, len(issues) - errors)


def issues_frame(issues: list[ValidationIssue], sha256: str, file_name: str) -> pd.DataFrame:
    """A validation report as a table, tagged with its file."""
    frame = pd.DataFrame([asdict(issue) for issue in issues], columns=ISSUE_COLUMNS)
    frame.insert(0, "file_name", file_name)
    frame.insert(0, "sha256", sha256)
    return frame.astype({"line": "Int64"})


def rule_counts_frame(report: BoundedReport, sha256: str, file_name: str) -> pd.DataFrame:
    """The counts by rule of a report as a table, tagged with its file."""
    frame = pd.DataFrame([asdict(count) for count in report.counts], columns=RULE_COUNT_COLUMNS)
    frame.insert(0, "file_name", file_name)
    frame.insert(0, "sha256", sha256)
    return frame.astype({"issues": "int64"})
