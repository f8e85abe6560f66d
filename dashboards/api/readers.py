"""What the API's collections read: the rows of the open datasets and the values a filter
accepts, all through :mod:`dashboards.data` (the published snapshot, cached per
publication) and :mod:`dashboards.downloads` (the rows of the download files).

The rows a view starts from are kept in the shared cache until the next publication
(:func:`api_cached`): a dataset's rows are assembled from several queries (the ``indices``
pivot the ten axis scores beside each index), work done once per publication rather than
once per request.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import pandas as pd

from dashboards import data, downloads
from dashboards.api.filters import AXIS, KIND, MILLESIME, REGION, TERRITORY, require_accepted
from dashboards.data.connection import cached
from schemas.vocabulary import TERRITORY_KINDS

T = TypeVar("T")


def api_cached(name: str, arguments: list[Any], compute: Callable[[], T]) -> T:
    """``compute()``, kept in the shared cache under ``name`` and ``arguments`` until the
    next publication (computed from other cached entries: a lock group of its own)."""
    return cached(f"api:{name}", arguments, compute, lock_group="api")


def typed(frame: pd.DataFrame, dataset: downloads.Dataset) -> pd.DataFrame:
    """``frame`` with each whole-number column of the dictionary (kind ``entier``) as
    integers, missing values kept: a column pandas widened to floats for a missing value
    (``3.0``) is served as the whole numbers it holds (``3``)."""
    converted = frame.copy()
    for field in dataset.fields:
        column = converted[field.name]
        if field.kind == "entier" and pd.api.types.is_float_dtype(column):
            present = column.dropna()
            if (present == present.round()).all():
                converted[field.name] = column.astype("Int64")
    return converted


def dataset_rows(name: str, millesimes: Sequence[int] | None = None) -> pd.DataFrame:
    """The rows of the open dataset ``name`` — the download files' rows and columns — for
    ``millesimes`` (every millésime when None or empty); each millésime asked must have been
    checked against :func:`published_millesimes`."""
    dataset = downloads.DATASETS[name]

    def read(millesime: int | None) -> pd.DataFrame:
        return typed(downloads.dataset_frame(dataset, millesime), dataset)

    wanted = sorted({int(millesime) for millesime in millesimes or ()})
    if not wanted or not dataset.per_millesime:
        return api_cached("dataset_rows", [name, None], lambda: read(None))
    frames = [
        api_cached("dataset_rows", [name, millesime], lambda m=millesime: read(m))
        for millesime in wanted
    ]
    return pd.concat(frames, ignore_index=True)


def published_millesimes() -> list[int]:
    """The millésimes of the publication, as the download files accept them."""
    return data.millesimes()


def check_millesimes(values: Sequence[int] | None, parameter: str = "millesime") -> None:
    """A 400 naming the published millésimes when a value of ``values`` is not one."""
    require_accepted(values, published_millesimes(), parameter=parameter, unknown=MILLESIME)


def check_kinds(values: Sequence[str] | None, parameter: str = "categorie") -> None:
    """A 400 naming the kinds of territory when a value of ``values`` is not one."""
    require_accepted(values, TERRITORY_KINDS, parameter=parameter, unknown=KIND)


def region_codes() -> list[str]:
    """Codes of the régions of the publication, in code order."""
    return sorted(data.regions()["code"])


def check_regions(values: Sequence[str] | None, parameter: str = "region") -> None:
    """A 400 naming the régions' codes when a value of ``values`` is not one."""
    require_accepted(values, region_codes(), parameter=parameter, unknown=REGION)


def region_of(territories: pd.DataFrame | None = None) -> dict[str, str]:
    """Each territory's code → the code of its région, from ``territories`` (the rows of
    :func:`dashboards.data.territories`; the publication's when None)."""
    frame = data.territories() if territories is None else territories
    return {
        code: region
        for code, region in zip(frame["code"], frame["region"], strict=True)
        if isinstance(region, str)
    }


def territory_codes() -> set[str]:
    """Codes of every territory of the publication."""
    return set(data.territories()["code"])


def check_territories(values: Sequence[str] | None, parameter: str = "territoire") -> None:
    """A 400 naming the unknown codes, and where the codes are listed, when a value of
    ``values`` is not the code of a territory of the publication."""
    require_accepted(values, territory_codes(), parameter=parameter, unknown=TERRITORY)


def axis_codes() -> list[str]:
    """Codes of the ten axes, in display order."""
    return list(data.axes()["code"])


def check_axes(values: Sequence[str] | None, parameter: str = "axe") -> None:
    """A 400 naming the axes' codes when a value of ``values`` is not one."""
    require_accepted(values, axis_codes(), parameter=parameter, unknown=AXIS)
