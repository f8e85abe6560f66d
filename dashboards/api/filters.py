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
from typing import Any

import pandas as pd

from dashboards.api.responses import bad_request

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


def require_accepted(
    values: Sequence[Any] | None,
    accepted: Sequence[Any],
    *,
    parameter: str,
    unknown: tuple[str, str],
) -> None:
    """Raise a 400 naming ``parameter``, the unknown values and the ``accepted`` ones when a
    value of ``values`` is not accepted; ``unknown`` words the unknown values in French,
    singular and plural (« catégorie inconnue », « catégories inconnues »)."""
    wrong = unknown_values(values or (), accepted)
    if wrong:
        wording = unknown[0] if len(wrong) == 1 else unknown[1]
        raise bad_request(
            f"Paramètre « {parameter} » : {wording} : {_listed(wrong)} "
            f"(valeurs acceptées : {_listed(accepted)}).",
            {parameter: [f"Valeurs acceptées : {_listed(accepted)}."]},
        )


def require_published(
    values: Sequence[int] | None, published: Sequence[int], *, parameter: str = "millesime"
) -> None:
    """Raise a 400 naming ``parameter`` and the published millésimes when a millésime of
    ``values`` is not published."""
    wrong = unknown_values(values or (), published)
    if wrong:
        listed = _listed(published) or "aucun"
        said = (
            f"le millésime {wrong[0]} n'est pas publié"
            if len(wrong) == 1
            else f"les millésimes {_listed(wrong)} ne sont pas publiés"
        )
        raise bad_request(
            f"Paramètre « {parameter} » : {said} (millésimes publiés : {listed}).",
            {parameter: [f"Millésimes publiés : {listed}."]},
        )


def require_territories(
    values: Sequence[str] | None, known: Iterable[str], *, parameter: str
) -> None:
    """Raise a 400 naming ``parameter`` and the unknown territory codes, and saying where the
    codes are listed, when a code of ``values`` is not among ``known``."""
    unknown = unknown_values(values or (), known)
    if unknown:
        plural = "s" if len(unknown) > 1 else ""
        raise bad_request(
            f"Paramètre « {parameter} » : code{plural} de territoire inconnu{plural} : "
            f"{_listed(unknown)}. Les codes sont ceux de {TERRITORIES_PATH} "
            "(champ code_territoire, par exemple DEP-13 ou REG-93).",
            {parameter: [f"Codes inconnus : {_listed(unknown)}; voir {TERRITORIES_PATH}."]},
        )


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
