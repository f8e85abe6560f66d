"""How the values of an achievement sheet are written, read and written back.

People write numbers, amounts, dates and fundings the French way, in a spreadsheet or a
form: ``120 000 €``, ``1 200,5``, ``03/2024``, ``Région : 40 % | FEDER : 36 000 €``. Each
function here reads one such form, or raises :class:`ValueProblem` with a French sentence
saying how to fix it (an ambiguous form, such as ``1.200``, is refused, never guessed); the
``format_`` functions write a value the way it reads back exactly.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from decimal import Decimal
from urllib.parse import urlsplit

# Rules a sheet can break (identifiers of the report's counts; French names in
# domain.submissions.report.RULE_LABELS).
UNKNOWN_FIELD = "champ_inconnu"
DUPLICATE_FIELD = "champ_en_double"
MISSING_FIELD = "champ_obligatoire"
MALFORMED = "valeur_mal_formee"
OUT_OF_BOUNDS = "valeur_hors_limites"
UNKNOWN_VALUE = "valeur_inconnue"
UNKNOWN_TERRITORY = "territoire_inconnu"
UNKNOWN_QUESTION = "question_inconnue"
PERSONAL_DATA = "coordonnees_personnelles"
INCONSISTENT = "valeurs_incoherentes"

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
SLUG_LENGTH = (3, 60)
#: Personal contact data a sheet must not publish.
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+|mailto:", re.IGNORECASE)
PHONE = re.compile(r"(?:\+\s?\d|\b\d)(?:[\s.\-/]?\d){7,}")
#: Spaces, no-break ones included (thousands separators).
SPACES = re.compile(r"[\s\u00a0\u202f]+")
DATE_FORMS = "2024, 03/2024, 2024-03, 15/03/2024 ou 2024-03-15"


class ValueProblem(Exception):
    """A value breaks its field's rule; the message says how to fix it (French)."""

    def __init__(self, message: str, rule: str = MALFORMED):
        super().__init__(message)
        self.message, self.rule = message, rule


def plural(count: int, word: str) -> str:
    """``3 éléments``, ``1 élément``."""
    return f"{count} {word}{'s' if count > 1 else ''}"


def integer_text(value: int) -> str:
    """``4000`` → ``4 000`` (narrow no-break space, as French prints thousands)."""
    return f"{value:,}".replace(",", "\u202f")


def clean_text(text: str) -> str:
    """Line breaks as ``\\n``, trailing spaces of each line and blank edges removed; a
    control character other than a line break or a tab is refused."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("_x000D_", "")
    for character in text:
        if unicodedata.category(character) in ("Cc", "Cs") and character not in "\n\t":
            raise ValueProblem(
                f"il contient un caractère de contrôle invisible (U+{ord(character):04X}) : "
                "retapez le texte ou collez-le sans mise en forme"
            )
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


#: Largest number a sheet may write (far above any budget; keeps every number exact).
MAX_NUMBER = 1e12


def parse_number(text: str) -> float:
    """A French-written number: ``120 000``, ``120000,50``, ``1 200,5``; ``1.200`` (a
    thousands point or a decimal one?) is refused with the fix, never guessed."""
    value = _parse_number(text)
    if abs(value) > MAX_NUMBER:
        raise ValueProblem(f"« {text[:40]} » est trop grand : vérifiez le nombre", OUT_OF_BOUNDS)
    return value


def _parse_number(text: str) -> float:
    compact = SPACES.sub("", text)
    if re.fullmatch(r"-?\d+", compact):
        return float(compact)
    if re.fullmatch(r"-?\d+,\d+", compact):
        return float(compact.replace(",", "."))
    if re.fullmatch(r"-?\d{1,3}(\.\d{3})+", compact):
        raise ValueProblem(
            f"« {text} » est ambigu (point des milliers ou décimal ?) : écrivez "
            f"{compact.replace('.', '')} ou {compact.replace('.', ' ')} pour des milliers, "
            f"{compact.replace('.', ',')} pour des décimales"
        )
    if re.fullmatch(r"-?\d+\.\d+", compact):
        return float(compact)
    raise ValueProblem(
        f"« {text} » n'est pas un nombre : écrivez-le en chiffres, par exemple 120 000"
    )


def format_number(value: float) -> str:
    """A number as the sheet's files write it: ``120 000``, ``1 234,5`` (read back exactly)."""
    if float(value).is_integer() and abs(value) < 1e15:
        return f"{int(value):,}".replace(",", " ")
    whole, _, decimals = format(Decimal(repr(float(value))), "f").partition(".")
    return f"{int(whole):,}".replace(",", " ") + (f",{decimals}" if decimals else "")


AMOUNT_UNIT = re.compile(r"\s*(€|euros?|eur)\s*$", re.IGNORECASE)


def parse_amount(text: str, maximum: float | None = None) -> float:
    """``120 000 €`` → ``120000.0``; ``120 k€`` and negative amounts refused."""
    if re.search(r"\d\s*(k|m|md)\s*(€|euros?)?\s*$", text, re.IGNORECASE):
        raise ValueProblem(
            f"« {text} » : écrivez le montant en chiffres, sans « k » ni « M » "
            "(120 000 pour 120 k€, 1 500 000 pour 1,5 M€)"
        )
    value = parse_number(AMOUNT_UNIT.sub("", text))
    if value < 0:
        raise ValueProblem(
            f"montant négatif ({text}) : écrivez un montant de 0 ou plus", OUT_OF_BOUNDS
        )
    if maximum is not None and value > maximum:
        raise ValueProblem(
            f"{text} € dépasse {integer_text(int(maximum))} € : vérifiez le montant "
            "(en euros, pas en centimes)",
            OUT_OF_BOUNDS,
        )
    return value


def parse_date(text: str, first: float | None = None, last: float | None = None) -> str:
    """``03/2024`` → ``2024-03``; ``15/03/2024`` → ``2024-03-15``; ``2024`` stays."""
    compact = re.sub(r"T00:00(:00(\.0+)?)?$", "", text.strip())  # a spreadsheet's date cell
    patterns = (
        (r"(?P<y>\d{4})", "y"),
        (r"(?P<y>\d{4})-(?P<m>\d{1,2})", "m"),
        (r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})", "d"),
        (r"(?P<m>\d{1,2})[/.](?P<y>\d{4})", "m"),
        (r"(?P<d>\d{1,2})[/.](?P<m>\d{1,2})[/.](?P<y>\d{4})", "d"),
    )
    for pattern, precision in patterns:
        match = re.fullmatch(pattern, compact)
        if match is None:
            continue
        year = int(match["y"])
        low, high = int(first or 1), int(last or 9999)
        if not low <= year <= high:
            raise ValueProblem(
                f"année {year} hors de {low} à {high} : vérifiez la date", OUT_OF_BOUNDS
            )
        if precision == "y":
            return f"{year:04d}"
        month = int(match["m"])
        if not 1 <= month <= 12:
            raise ValueProblem(f"« {text} » : le mois doit aller de 1 à 12 (formes : {DATE_FORMS})")
        if precision == "m":
            return f"{year:04d}-{month:02d}"
        try:
            return dt.date(year, month, int(match["d"])).isoformat()
        except ValueError:
            raise ValueProblem(
                f"« {text} » n'est pas une date du calendrier : vérifiez le jour"
            ) from None
    raise ValueProblem(f"« {text} » n'est pas une date : écrivez {DATE_FORMS}")


def parse_year(text: str, first: float | None = None, last: float | None = None) -> int:
    """``2025`` (or ``2025.0``, a spreadsheet's number) → ``2025``, within ``first``–``last``."""
    compact = re.sub(r"\.0+$", "", SPACES.sub("", text))
    if not re.fullmatch(r"\d{4}", compact):
        raise ValueProblem(
            f"« {text} » n'est pas une année : écrivez-la sur quatre chiffres (2025)"
        )
    year = int(compact)
    low, high = int(first or 0), int(last or 9999)
    if not low <= year <= high:
        raise ValueProblem(f"année {year} hors de {low} à {high}", OUT_OF_BOUNDS)
    return year


PERCENT = re.compile(r"(-?\d[\d\s\u00a0\u202f.,]*?)\s*%")
EUROS = re.compile(r"(-?\d[\d\s\u00a0\u202f.,]*?)\s*(?:€|euros?\b|eur\b)", re.IGNORECASE)
FUNDING_FORM = "« Région : 40 % », « FEDER : 36 000 € » ou « Ville : 30 % (36 000 €) »"


def parse_funding(item: str) -> dict[str, object]:
    """``FEDER : 30 % (36 000 €)`` → ``{"financeur": "FEDER", "part": 30.0, "montant_euros": 36000.0}``."""
    name, colon, rest = item.rpartition(":")
    if not colon:
        name, rest = item, ""
        if PERCENT.search(item) or EUROS.search(item):
            raise ValueProblem(
                f"« {item} » : séparez le financeur de sa part par « : », par exemple {FUNDING_FORM}"
            )
    name = name.strip()
    if not name:
        raise ValueProblem(
            f"« {item} » : nommez le financeur avant « : », par exemple {FUNDING_FORM}"
        )
    shares = PERCENT.findall(rest)
    amounts = EUROS.findall(rest)
    leftover = EUROS.sub("", PERCENT.sub("", rest))
    if len(shares) > 1 or len(amounts) > 1 or re.sub(r"[\s()/;,+]|\bet\b", "", leftover):
        raise ValueProblem(
            f"« {item} » : écrivez pour chaque financeur une part en % et/ou un montant en €, "
            f"par exemple {FUNDING_FORM}"
        )
    share = parse_number(shares[0]) if shares else None
    if share is not None and not 0 < share <= 100:
        raise ValueProblem(f"« {item} » : une part va de 0 à 100 %", OUT_OF_BOUNDS)
    amount = parse_number(amounts[0]) if amounts else None
    if amount is not None and amount < 0:
        raise ValueProblem(f"« {item} » : un montant est de 0 € ou plus", OUT_OF_BOUNDS)
    return {"financeur": name, "part": share, "montant_euros": amount}


def format_funding(funding: Mapping[str, object]) -> str:
    """``{"financeur": "FEDER", "part": 30.0, "montant_euros": 36000.0}`` →
    ``FEDER : 30 % (36 000 €)``."""
    share, amount = funding.get("part"), funding.get("montant_euros")
    parts = []
    if share is not None:
        parts.append(f"{format_number(share)} %")
    if amount is not None:
        text = f"{format_number(amount)} €"
        parts.append(f"({text})" if share is not None else text)
    return str(funding["financeur"]) + (" : " + " ".join(parts) if parts else "")


def parse_link(item: str) -> str:
    """A complete ``http(s)://`` address, else :class:`ValueProblem`."""
    parts = urlsplit(item)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise ValueProblem(
            f"« {item} » n'est pas une adresse complète : écrivez-la en entier, commençant par "
            "https:// (ou http://)"
        )
    return item


def slug(text: str, length: int = SLUG_LENGTH[1]) -> str:
    """``"Un guichet numérique, enfin !"`` → ``un-guichet-numerique-enfin`` (cut at a hyphen
    within ``length`` characters)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(words) <= length:
        return words
    cut = words[: length + 1]
    return (cut.rsplit("-", 1)[0] if "-" in cut else cut[:length]).strip("-")


def looks_like_contact(text: str) -> bool:
    """Whether ``text`` holds an e-mail address or a phone number (personal data a sheet
    must not publish)."""
    return bool(EMAIL.search(text) or PHONE.search(text))
