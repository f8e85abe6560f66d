"""Answers: what each answer type accepts, and a typed answer turned into its question's
numeric value or a French reason why not.

The accepted forms are data (:data:`ANSWER_FORMS`, :data:`YES_WORDS`…): the parser reads
them, the template's help column and instructions sheet show them, and
``docs/formats-de-reponse.md`` lists them (a test keeps it true). Nothing is guessed: a form
that two readings fit — ``1.200`` for a count (1 200, or 1,2?), ``0,45`` for a percentage
(45 %, or 0,45 %?) — is an error that says how to write the answer.

A ``nombre`` question is a count (every one of them asks "Nombre de …" things, scored per
10,000 inhabitants against ``target_per_10000``): its answer is a whole number, 0 or more.
"""

import re
import unicodedata
from dataclasses import dataclass

import pandas as pd

#: Words read as "yes" / "no" (compared without accents, case or surrounding spaces).
YES_WORDS = ("oui", "o", "vrai", "x", "1", "yes", "y", "true")
NO_WORDS = ("non", "n", "faux", "0", "no", "false")
#: Words that, alone, mean "none of the choices" in a multiple-choice answer.
NONE_CHOSEN_WORDS = ("aucun", "aucune", "néant", "rien")
#: Separators between the choices of a multiple-choice answer.
CHOICE_SEPARATORS = ("|", ";")
#: Spaces accepted between groups of three digits: space, no-break space (U+00A0), narrow
#: no-break space (U+202F, French typography), thin space (U+2009).
GROUP_SPACES = (" ", "\u00a0", "\u202f", "\u2009")
#: Characters written between a scale's level and its label (``3 = Déployé en partie``).
LEVEL_LABEL_SEPARATORS = ("=", ":", "-", "–", "—")


@dataclass(frozen=True)
class AnswerForm:
    """What an answer type accepts, in French, with examples accepted and refused."""

    label: str
    accepted: str
    examples: tuple[str, ...]
    #: (answer, why it is refused and how to write it instead)
    refused: tuple[tuple[str, str], ...]


ANSWER_FORMS: dict[str, AnswerForm] = {
    "oui_non": AnswerForm(
        "oui / non",
        "« oui » ou « non » ; sont aussi lus : vrai / faux, 1 / 0, x (case cochée) pour oui, "
        "o / n, yes / no, true / false.",
        ("oui", "Non", "OUI", "vrai", "1", "x"),
        (("peut-être", "ni oui ni non : répondez « oui » ou « non »"),),
    ),
    "echelle": AnswerForm(
        "niveau de 0 à 4",
        "le numéro du niveau (0, 1, 2, 3 ou 4), son intitulé, ou les deux comme dans la "
        "colonne valeurs_possibles (« 3 = Déployé en partie »).",
        ("3", "Déployé en partie", "deploye EN  partie", "3 = Déployé en partie"),
        (
            ("2,5", "un niveau est entier : choisissez 2 ou 3"),
            ("7", "les niveaux vont de 0 à 4"),
            ("2 = Déployé en partie", "le numéro et l'intitulé désignent deux niveaux différents"),
        ),
    ),
    "pourcentage": AnswerForm(
        "pourcentage de 0 à 100",
        "un nombre de 0 à 100, virgule ou point décimal, suivi ou non de « % » (ou une "
        "cellule Excel au format pourcentage). Un nombre décimal entre 0 et 1 doit porter "
        "« % » : sinon, rien ne dit s'il s'agit d'une part (0,45 pour 45 %).",
        ("45", "45,5", "45.5", "45 %", "45%", "0,5 %", "100"),
        (
            ("0,45", "s'agit-il de 45 % ? écrivez 45 ; pour 0,45 %, écrivez « 0,45 % »"),
            ("120", "un pourcentage ne dépasse pas 100"),
            ("-5", "un pourcentage n'est pas négatif"),
        ),
    ),
    "nombre": AnswerForm(
        "nombre entier, 0 ou plus",
        "un nombre entier positif ou nul (un décompte), écrit sans séparateur de milliers ou "
        "avec des espaces entre les milliers (espace ordinaire, insécable ou fine insécable).",
        ("1200", "1 200", "0", "12"),
        (
            ("1.200", "s'agit-il de 1 200 ? écrivez 1200 ou 1 200"),
            ("2,500", "s'agit-il de 2 500 ou de 2,5 ? un décompte est entier : écrivez 2500"),
            ("12,5", "un décompte est entier"),
            ("1.200.000", "les milliers se séparent par des espaces : écrivez 1200000"),
            ("-3", "un décompte n'est pas négatif"),
        ),
    ),
    "choix_multiple": AnswerForm(
        "un ou plusieurs choix",
        "les codes ou les intitulés des choix, séparés par « | » (ou « ; »), "
        "sans tenir compte des accents ni des majuscules ; ou « aucun » si aucun choix ne "
        "s'applique.",
        ("prise_rdv|paiement", "Prise de rendez-vous en ligne | PAIEMENT", "aucun"),
        (
            ("fax", "choix inconnu : reprenez un code de la colonne valeurs_possibles"),
            ("aucun | paiement", "« aucun » ne se combine pas avec d'autres choix"),
            ("prise_rdv, paiement", "séparez les choix par « | »"),
        ),
    ),
}

#: More digits than this is no count or percentage anyone means (and a float's precision).
MAX_DIGITS = 15

_NUMBER = re.compile(
    r"^(?P<sign>[+-]?)(?P<whole>\d{1,3}(?:[ ](?:\d{3}))+|\d+)(?:(?P<separator>[.,])(?P<fraction>\d+))?$",
    re.ASCII,
)
_DOTTED_GROUPS = re.compile(r"^\d{1,3}(?:([.,])\d{3})(?:\1\d{3})+$", re.ASCII)
_TYPOGRAPHY = str.maketrans({"’": "'", "ʼ": "'", "‘": "'", "−": "-"})
_CONTROL_NAMES = {"\r": "retour chariot", "\n": "saut de ligne", "\t": "tabulation"}


def comparable(text: str) -> str:
    """``" Déployé  EN partie "`` → ``"deploye en partie"``: without accents, case, typographic
    apostrophes or extra spaces, for comparing what was typed with a label."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_TYPOGRAPHY))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


def visible(text: str) -> str:
    """The text with its control characters written out (``1\\r2``), safe in a report."""
    return "".join(c.encode("unicode_escape").decode() if _is_control(c) else c for c in str(text))


def _is_control(character: str) -> bool:
    return unicodedata.category(character) in ("Cc", "Cf", "Zl", "Zp")


def _control_problem(text: str) -> str | None:
    found = sorted({c for c in text if _is_control(c)})
    if not found:
        return None
    names = ", ".join(
        f"{_CONTROL_NAMES.get(c, 'caractère invisible')} ({visible(c)})" for c in found
    )
    return (
        f"Elle contient un caractère de contrôle : {names}. Retapez la réponse sur une seule "
        "ligne, sans retour à la ligne."
    )


@dataclass(frozen=True)
class Number:
    """A number as written: sign, whole part (group spaces removed), decimal part."""

    negative: bool
    whole: str
    grouped: bool
    separator: str
    fraction: str

    @property
    def value(self) -> float:
        magnitude = float(f"{self.whole}.{self.fraction or '0'}")
        return -magnitude if self.negative else magnitude

    @property
    def thousands_reading(self) -> int | None:
        """``1.200`` → 1200: the value if the separator were a thousands separator, when
        that reading is possible (groups of three digits after the first)."""
        well_grouped = self.grouped or (len(self.whole) <= 3 and not self.whole.startswith("0"))
        if self.separator and len(self.fraction) == 3 and well_grouped:
            return int(self.whole + self.fraction)
        return None


def read_number(text: str) -> Number | None:
    """Read ``45``, ``-3``, ``45,5``, ``45.5``, ``1 200`` (with any group space); ``None``
    when it is no number of this grammar."""
    text = text.translate(_TYPOGRAPHY).strip()
    for space in GROUP_SPACES[1:]:
        text = text.replace(space, " ")
    match = _NUMBER.match(text)
    if not match or sum(c.isdigit() for c in text) > MAX_DIGITS:
        return None
    whole = match["whole"]
    return Number(
        negative=match["sign"] == "-",
        whole=whole.replace(" ", ""),
        grouped=" " in whole,
        separator=match["separator"] or "",
        fraction=match["fraction"] or "",
    )


def parse_french_number(raw: str) -> float | None:
    """Parse ``45``, ``45,5``, ``45.5``, ``1 200`` or ``45 %``; ``None`` when it is no number.

    No ambiguity is resolved here: :func:`normalise_answer` refuses the ambiguous forms.
    """
    number = read_number(_without_percent_sign(raw.strip())[0])
    return None if number is None else number.value


def _without_percent_sign(text: str) -> tuple[str, bool]:
    """``"45 %"`` → ``("45", True)`` (a plain string method: no regex to backtrack)."""
    if text.endswith("%"):
        return text[:-1].rstrip(), True
    return text, False


def french(value: float) -> str:
    """``1200`` → ``1 200``, ``2.5`` → ``2,5``: a number as a French reader writes it."""
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", " ")
    return f"{value:,.6f}".rstrip("0").replace(",", " ").replace(".", ",")


def normalise_answer(question: pd.Series, raw: str) -> tuple[float | None, str | None]:
    """Turn a typed answer into the question's numeric value, or explain in French what is
    wrong and how to write it.

    Returns ``(value, None)`` when the answer is valid and ``(None, message)`` otherwise.
    """
    kind = question["answer_type"]
    text = raw.strip()
    control = _control_problem(text)
    if control:
        return None, control
    if kind == "oui_non":
        return _yes_no(text)
    if kind == "echelle":
        return _scale(text, question["scale_labels"])
    if kind == "pourcentage":
        return _percentage(text)
    if kind == "nombre":
        unit = question.get("unit")
        return _count(text, unit if isinstance(unit, str) and unit else None)
    if kind == "choix_multiple":
        return _choices(text, question["options"])
    raise ValueError(f"unknown answer type {kind!r}")


def _yes_no(text: str) -> tuple[float | None, str | None]:
    key = comparable(text)
    if key in YES_WORDS:
        return 1.0, None
    if key in NO_WORDS:
        return 0.0, None
    return None, "Réponse attendue : « oui » ou « non »."


def _scale(text: str, labels: dict[int, str]) -> tuple[float | None, str | None]:
    levels = sorted(labels)
    by_label = {comparable(label): level for level, label in labels.items()}
    expected = (
        f"Réponse attendue : un niveau de {levels[0]} à {levels[-1]} (son numéro ou son "
        "intitulé) : " + " ; ".join(f"{level} = {labels[level]}" for level in levels) + "."
    )
    key = comparable(text)
    if key.isascii() and key.isdecimal():
        level = int(key) if len(key) <= MAX_DIGITS else None
        return (float(level), None) if level in labels else (None, expected)
    if key in by_label:
        return float(by_label[key]), None
    separators = "".join(re.escape(s) for s in LEVEL_LABEL_SEPARATORS)
    both = re.match(rf"^(\d{{1,3}})\s*[{separators}]\s*(.+)$", key, re.ASCII)
    if both and int(both[1]) in labels and both[2] in by_label:
        level = int(both[1])
        if by_label[both[2]] == level:
            return float(level), None
        return None, (
            f"Le numéro {level} et l'intitulé « {labels[by_label[both[2]]]} » désignent deux "
            f"niveaux différents (le niveau {level} est « {labels[level]} ») : écrivez le "
            "numéro seul."
        )
    number = read_number(text)
    if number is not None and number.fraction:
        return None, f"Un niveau est entier. {expected}"
    return None, expected


def _percentage(text: str) -> tuple[float | None, str | None]:
    expected = "Réponse attendue : un pourcentage entre 0 et 100, par exemple 45 ou 45,5."
    written, percent = _without_percent_sign(text)
    number = read_number(written)
    if number is None:
        return None, expected
    value = number.value + 0.0  # -0 is 0
    if value < 0:
        return None, f"Un pourcentage n'est pas négatif. {expected}"
    if value > 100:
        return None, f"Un pourcentage ne dépasse pas 100. {expected}"
    if not percent and number.separator and 0 < value <= 1:
        return None, (
            f"{written} : s'agit-il de {french(round(value * 100, 6))} % ? Écrivez "
            f"{french(round(value * 100, 6))} ; pour {written} %, écrivez « {written} % »."
        )
    return value, None


def _count(text: str, unit: str | None) -> tuple[float | None, str | None]:
    things = f"un nombre de {unit}" if unit else "ce nombre"
    expected = f"Réponse attendue : un nombre entier positif ou nul ({things}), par exemple 12."
    if len(text) <= 2 * MAX_DIGITS and _DOTTED_GROUPS.match(text):
        plain = re.sub(r"[.,]", "", text)
        return None, (
            f"{text} : s'agit-il de {french(int(plain))} ? Écrivez {plain} ou "
            f"{french(int(plain))} : les milliers se séparent par des espaces."
        )
    number = read_number(text)
    if number is None:
        return None, expected
    if number.negative and number.value != 0:
        return None, f"{things.capitalize()} est positif ou nul. {expected}"
    thousands = number.thousands_reading
    if thousands is not None and number.separator == ".":
        return None, (
            f"{text} : s'agit-il de {french(thousands)} ? Écrivez {thousands} ou "
            f"{french(thousands)} ({things} est entier ; les milliers se séparent par des "
            "espaces)."
        )
    if thousands is not None:
        return None, (
            f"{text} : s'agit-il de {french(thousands)} ou de {french(number.value)} ? "
            f"{things.capitalize()} est entier : écrivez {thousands} s'il s'agit de "
            f"{french(thousands)}."
        )
    if number.fraction.strip("0"):
        return None, f"{things.capitalize()} est entier : {text} n'en est pas un. {expected}"
    if number.fraction:
        return None, f"{things.capitalize()} est entier : écrivez {int(number.whole)}."
    return float(int(number.whole)), None


def _choices(text: str, options: tuple[tuple[str, str], ...]) -> tuple[float | None, str | None]:
    by_name = {}
    for code, label in options:
        by_name[comparable(code)] = code
        by_name[comparable(label)] = code
    codes = ", ".join(code for code, _ in options)
    allowed = f"Choix possibles, séparés par « | » : {codes} (ou « aucun »)."
    pattern = "|".join(re.escape(s) for s in CHOICE_SEPARATORS)
    parts = [part.strip() for part in re.split(pattern, text) if part.strip()]
    keys = [comparable(part) for part in parts]
    none_words = {comparable(word) for word in NONE_CHOSEN_WORDS}
    if keys and all(key in none_words for key in keys):
        return 0.0, None
    if any(key in none_words for key in keys):
        return None, f"« aucun » ne se combine pas avec d'autres choix. {allowed}"
    unknown = [part for part, key in zip(parts, keys, strict=True) if key not in by_name]
    if unknown:
        comma_split = [comparable(p) for u in unknown for p in u.split(",") if p.strip()]
        if all(key in by_name for key in comma_split):
            return None, f"Séparez les choix par « | » et non par des virgules. {allowed}"
        return None, f"Choix inconnu(s) : {', '.join(unknown)}. {allowed}"
    return float(len({by_name[key] for key in keys})), None
