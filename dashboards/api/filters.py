"""The API's filters, as pure functions over the rows of an open dataset.

The views read a dataset (the rows of :func:`dashboards.downloads.dataset_frame`, as the
download files hold them), check each filter's values against what is published — a value
that does not exist is a 400 that names the accepted ones, or says where to find them —
and keep the matching rows. Nothing here reads the publication: the accepted values are
given, so that every rule is tested in milliseconds.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from dashboards.api.responses import bad_request

#: At most this many accepted values are listed in an error message.
LISTED_VALUES_MAX = 30
#: Where a reuser finds the codes of the territories.
TERRITORIES_PATH = "/api/v1/territoires"
#: Parents of a territory, from the largest: (column of its row, kind of the parent).
PARENT_COLUMNS = (
    ("code_region", "REG"),
    ("code_departement", "DEP"),
    ("code_epci", "EPCI"),
)


def folded(text: Any) -> str:
    """``text`` in lower case without accents (« Île-de-France » → « ile-de-france »);
    an empty string for a missing value."""
    if not isinstance(text, str):
        return ""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def contains_words(frame: pd.DataFrame, column: str, text: str | None) -> pd.DataFrame:
    """The rows whose ``column`` holds every word of ``text``, accents and case aside
    (every row when ``text`` is empty)."""
    words = folded(text or "").split()
    if not words:
        return frame
    haystack = frame[column].map(folded)
    keep = pd.Series(True, index=frame.index)
    for word in words:
        keep &= haystack.str.contains(word, regex=False)
    return frame[keep]


def _listed(values: Iterable[Any]) -> str:
    return ", ".join(str(value) for value in values)


def unknown_values(values: Sequence[Any], accepted: Iterable[Any]) -> list[Any]:
    """The values of ``values`` that are not among ``accepted``, in the order given."""
    known = set(accepted)
    return [value for value in values if value not in known]


@dataclass(frozen=True)
class Wording:
    """How a 400 names the values of a filter that are not accepted, in French.

    ``one`` and ``many`` (one value, several) hold ``{values}``: « catégorie inconnue :
    {values} », « le millésime {values} n'est pas publié »; ``accepted`` introduces the list
    of the accepted values (« millésimes publiés »), ``nothing`` stands for an empty list;
    ``hint``, when given, replaces the list by where to find the values (the codes of the
    territories are too many to list).
    """

    one: str
    many: str
    accepted: str = "valeurs acceptées"
    hint: str | None = None
    #: Said in place of the list when nothing is accepted.
    nothing: str = "aucune"


KIND = Wording("catégorie inconnue : {values}", "catégories inconnues : {values}")
REGION = Wording("région inconnue : {values}", "régions inconnues : {values}")
AXIS = Wording("axe inconnu : {values}", "axes inconnus : {values}")
LEVEL = Wording("niveau inconnu : {values}", "niveaux inconnus : {values}")
MILLESIME = Wording(
    "le millésime {values} n'est pas publié",
    "les millésimes {values} ne sont pas publiés",
    accepted="millésimes publiés",
    nothing="aucun",
)
TERRITORY = Wording(
    "code de territoire inconnu : {values}",
    "codes de territoire inconnus : {values}",
    hint=f"Les codes sont ceux de {TERRITORIES_PATH} (champ code_territoire, par exemple "
    "DEP-13 ou REG-93).",
)


def require_accepted(
    values: Sequence[Any] | None,
    accepted: Iterable[Any],
    *,
    parameter: str,
    unknown: Wording,
) -> None:
    """Raise a 400 naming ``parameter``, the values of ``values`` that are not ``accepted``
    (worded by ``unknown``) and the accepted ones (at most :data:`LISTED_VALUES_MAX`), or
    where to find them; nothing when every value is accepted or none is given.

    « Paramètre « millesime » : le millésime 1999 n'est pas publié (millésimes publiés :
    2023, 2024, 2025). »
    """
    allowed = list(accepted)
    wrong = unknown_values(values or (), allowed)
    if not wrong:
        return
    said = (unknown.one if len(wrong) == 1 else unknown.many).format(values=_listed(wrong))
    if unknown.hint is not None:
        tail = f". {unknown.hint}"
    else:
        listed = _listed(allowed[:LISTED_VALUES_MAX]) or unknown.nothing
        more = "…" if len(allowed) > LISTED_VALUES_MAX else ""
        tail = f" ({unknown.accepted} : {listed}{more})."
    message = f"Paramètre « {parameter} » : {said}{tail}"
    raise bad_request(message, {parameter: [message]})


def keep_values(frame: pd.DataFrame, column: str, values: Sequence[Any] | None) -> pd.DataFrame:
    """The rows whose ``column`` is one of ``values`` (every row when no value is given)."""
    if not values:
        return frame
    return frame[frame[column].isin(list(values))]


def keep_listed(
    frame: pd.DataFrame, column: str, values: Sequence[str] | None, separator: str = "|"
) -> pd.DataFrame:
    """The rows whose ``column`` — codes joined by ``separator`` (``LAB|DATA``) — holds one of
    ``values`` at least (every row when no value is given)."""
    if not values:
        return frame
    wanted = set(values)
    keep = frame[column].map(
        lambda cell: isinstance(cell, str) and bool(wanted.intersection(cell.split(separator)))
    )
    return frame[keep.astype(bool)]


def keep_in_regions(
    frame: pd.DataFrame,
    regions: Sequence[str] | None,
    region_of: Mapping[str, Any],
    *,
    column: str = "code_territoire",
) -> pd.DataFrame:
    """The rows of territories in one of ``regions`` (the régions themselves included);
    ``region_of`` maps a territory code to its région's code."""
    if not regions:
        return frame
    wanted = set(regions)
    keep = frame[column].map(lambda code: code in wanted or region_of.get(code) in wanted)
    return frame[keep.astype(bool)]


def parents(territory: Mapping[str, Any], territories: pd.DataFrame) -> list[dict[str, Any]]:
    """The territories ``territory`` belongs to, from the largest (région, département, EPCI),
    each as ``{code_territoire, nom, categorie}``; a parent missing from ``territories`` (out
    of the observatory's scope) is left out, and so is the territory itself."""
    by_code = territories.set_index("code_territoire")
    found = []
    for column, _kind in PARENT_COLUMNS:
        code = territory.get(column)
        if not isinstance(code, str) or not code or code == territory.get("code_territoire"):
            continue
        if code not in by_code.index:
            continue
        row = by_code.loc[code]
        found.append({"code_territoire": code, "nom": row["nom"], "categorie": row["categorie"]})
    return found
