"""French formatting of numbers, shares and dates for everything a visitor reads."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd

#: Thousands separator of French typography: a narrow no-break space.
THOUSANDS_SEPARATOR = "\u202f"
#: The time zone every time a visitor reads is given in.
PARIS = ZoneInfo("Europe/Paris")
#: Placeholder shown where a value is missing.
MISSING = "–"
#: Plotly ``layout.separators``: decimal comma, then the thousands separator.
PLOTLY_SEPARATORS = ", "

_MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def is_missing(value: object) -> bool:
    """Tell whether ``value`` is absent (None, NaN or pandas' NA)."""
    if value is None:
        return True
    try:
        return bool(math.isnan(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(value) in {"<NA>", "NaT"}


def format_number(value: float | int | None, decimals: int = 1) -> str:
    """Format ``value`` the French way: ``62.4`` → ``"62,4"``, ``12345.6`` → ``"12 345,6"``."""
    if is_missing(value):
        return MISSING
    text = f"{float(value):,.{decimals}f}"  # type: ignore[arg-type]
    return text.replace(",", THOUSANDS_SEPARATOR).replace(".", ",")


def format_integer(value: float | int | None) -> str:
    """Format a count with French thousands separators: ``1993177`` → ``"1 993 177"``."""
    return format_number(value, decimals=0)


def format_percent(share: float | None, decimals: int = 0) -> str:
    """Format a share between 0 and 1 as a French percentage: ``0.352`` → ``"35 %"``."""
    if is_missing(share):
        return MISSING
    return f"{format_number(100 * float(share), decimals)}\u00a0%"  # type: ignore[arg-type]


def format_date(moment: date | datetime | None) -> str:
    """Format a date in words: ``2026-05-12 09:30`` → ``"12 mai 2026 à 09:30"``."""
    if is_missing(moment) or moment is None:
        return MISSING
    day = "1er" if moment.day == 1 else str(moment.day)
    text = f"{day} {_MONTHS[moment.month - 1]} {moment.year}"
    if isinstance(moment, datetime):
        text += f" à {moment:%H:%M}"
    return text


def format_paris_time(moment: datetime | None) -> str:
    """A moment in UTC (naive or aware) in words, Paris time: ``2026-11-30 10:56`` (UTC) →
    ``"30 novembre 2026 à 11:56"``."""
    if is_missing(moment) or moment is None:
        return MISSING
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return format_date(moment.astimezone(PARIS))


def format_publication(published_at: datetime, version: str | None) -> str:
    """A publication's date (UTC) and version, as a visitor reads them:
    ``"30 novembre 2026 à 11:56 (heure de Paris), version 20261130-105629"``."""
    text = f"{format_paris_time(published_at)} (heure de Paris)"
    return f"{text}, version {version}" if version else text


def format_size(size_bytes: float | int | None) -> str:
    """Format a file size in French units (1 ko = 1 000 octets): ``1536`` → ``"1,5 ko"``."""
    if is_missing(size_bytes):
        return MISSING
    size = float(size_bytes)  # type: ignore[arg-type]
    if size < 1000:
        return f"{format_integer(size)}\u00a0octet{'s' if size >= 2 else ''}"
    units = (("ko", 1e3), ("Mo", 1e6), ("Go", 1e9))
    for unit, factor in units:
        if round(size / factor, 1) < 1000 or unit == units[-1][0]:
            return f"{format_number(size / factor)}\u00a0{unit}"
    return MISSING  # not reached: the last unit always returns


def format_euros(amount: float | int | None) -> str:
    """An amount in euros, whole: ``250000`` → ``"250 000 €"``."""
    if is_missing(amount):
        return MISSING
    return f"{format_integer(amount)}\u00a0€"


def format_range(
    low: float | int | None, high: float | int | None, number: Callable[[float | int], str] = str
) -> str:
    """Limits in words, each written by ``number``: ``"de 0 à 100"``, ``"au moins 1"``,
    ``"au plus 5"``, or ``""`` when there is none."""
    if low is not None and high is not None:
        return f"de {number(low)} à {number(high)}"
    if low is not None:
        return f"au moins {number(low)}"
    if high is not None:
        return f"au plus {number(high)}"
    return ""


def format_partial_date(value: str | None) -> str:
    """A date that may be a year, a month or a day (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``), in
    words: ``"2024"``, ``"mars 2024"``, ``"15 mars 2024"``; anything else as it is."""
    if is_missing(value) or not value:
        return MISSING
    parts = str(value).split("-")
    try:
        numbers = [int(part) for part in parts]
    except ValueError:
        return str(value)
    if len(numbers) == 2 and 1 <= numbers[1] <= 12:
        return f"{_MONTHS[numbers[1] - 1]} {numbers[0]}"
    if len(numbers) == 3:
        try:
            return format_date(date(*numbers))
        except ValueError:
            return str(value)
    return str(value)


def iso_utc(value: Any) -> str | None:
    """A date and time as ISO 8601 UTC with ``Z`` (to the second); naive ones are UTC."""
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    stamp = pd.Timestamp(value)
    if stamp is pd.NaT:
        return None
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert("UTC").tz_localize(None)
    return stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
