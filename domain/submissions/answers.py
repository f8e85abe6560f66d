"""Answers: a typed answer turned into its question's numeric value, or a French reason why not."""

import re

import pandas as pd

_YES = {"oui", "o", "yes", "y", "vrai", "true", "1", "x"}
_NO = {"non", "n", "no", "faux", "false", "0"}
_NONE_CHOSEN = {"aucun", "aucune", "néant", "neant", "rien"}
_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")


def parse_french_number(raw: str) -> float | None:
    """Parse ``45``, ``45,5``, ``45.5``, ``1 200`` or ``45 %``; ``None`` when it is no number."""
    cleaned = re.sub(r"[\s\u00a0\u202f]", "", raw).removesuffix("%")
    if not _NUMBER.match(cleaned):
        return None
    return float(cleaned.replace(",", "."))


def normalise_answer(question: pd.Series, raw: str) -> tuple[float | None, str | None]:
    """Turn a typed answer into the question's numeric value, or explain in French what is wrong.

    Returns ``(value, None)`` when the answer is valid and ``(None, message)`` otherwise.
    """
    kind = question["answer_type"]
    text = raw.strip()
    if kind == "oui_non":
        lowered = text.lower()
        if lowered in _YES:
            return 1.0, None
        if lowered in _NO:
            return 0.0, None
        return None, "Réponse attendue : « oui » ou « non »."
    if kind == "echelle":
        labels = {label.lower(): level for level, label in question["scale_labels"].items()}
        number = parse_french_number(text)
        if number is not None and number in {0, 1, 2, 3, 4}:
            return float(number), None
        if text.lower() in labels:
            return float(labels[text.lower()]), None
        return None, "Réponse attendue : un niveau de 0 à 4 (ou son intitulé)."
    if kind == "pourcentage":
        number = parse_french_number(text)
        if number is None or not 0 <= number <= 100:
            return None, "Réponse attendue : un pourcentage entre 0 et 100, par exemple 45 ou 45,5."
        return number, None
    if kind == "nombre":
        number = parse_french_number(text)
        if number is None or number < 0:
            return None, "Réponse attendue : un nombre positif ou nul, par exemple 12."
        return number, None
    if kind == "choix_multiple":
        by_name = {}
        for code, label in question["options"]:
            by_name[code.lower()] = code
            by_name[label.lower()] = code
        chosen = [part.strip().lower() for part in re.split(r"[|;]", text) if part.strip()]
        if chosen and all(part in _NONE_CHOSEN for part in chosen):
            return 0.0, None
        unknown = [part for part in chosen if part not in by_name]
        if unknown:
            allowed = ", ".join(code for code, _ in question["options"])
            return None, (
                f"Choix inconnu(s) : {', '.join(unknown)}. Choix possibles, séparés par « | » : "
                f"{allowed} (ou « aucun »)."
            )
        return float(len({by_name[part] for part in chosen})), None
    raise ValueError(f"unknown answer type {kind!r}")
