"""Deterministic demo of the réalisations exemplaires: about sixty sheets over the ten axes,
their reviews, the supports, adaptations and comments of peer territories.

The sheets are assembled from the per-axis building blocks of
:mod:`pipelines.demo_achievement_texts`. Their authors are territories of the default scope
that the demo answers make strong on the sheet's axes (latent maturity plus the territory's
offset on the axis, the same draws as :mod:`pipelines.demo`), so that most territories weak
on an axis find "ce que vos pairs ont fait". Everything is drawn from generators seeded by
the demo seed, and every time is fixed (2024–2026): :func:`demo_plan` is a pure function of
the territories and the questionnaire.

:func:`write_demo_achievements` plays the plan into the contributions store through
:mod:`domain.achievements.ledger`, each sheet rendered as its canonical Markdown file,
checked by :func:`domain.achievements.sheet.read_sheet` and archived byte for byte first.
An event already in the store is not written again: a second run writes nothing.
"""

from __future__ import annotations

import math
import string
import unicodedata
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from domain.achievements.ledger import (
    ledger_frames,
    record_comment,
    record_comment_review,
    record_feedback,
    record_review,
    record_sheet_version,
)
from domain.achievements.references import questionnaire_codes
from domain.achievements.sheet import achievement_id, read_sheet, render_sheet_markdown
from domain.questionnaire import Questionnaire, Questionnaires, as_questionnaires
from domain.submissions.archive import archive_bytes
from pipelines.demo import DEMO_SEED, _rng, axis_offsets, in_default_scope, territory_maturity
from pipelines.demo_achievement_texts import (
    COMMENTS,
    COMMON_LESSONS,
    COMMON_TRANSFERS,
    PROJECTS,
    RETURN_MESSAGES,
    WITHDRAWAL_MESSAGE,
    ProjectKind,
)
from schemas.vocabulary import KIND_LABELS

#: Who wrote the demo sheets, and through which channel (as the store records them).
DEMO_AUTHOR = "démonstration"
DEMO_CHANNEL = "démo"
#: The analyst who decides on the demo sheets and comments.
DEMO_ANALYST = "Équipe de l'observatoire (démo)"

#: How many sheets an author writes at most.
MAX_SHEETS_PER_AUTHOR = 2
#: Sheets left waiting for a decision, sent back, withdrawn after publication, and
#: published then replaced by a second version.
PROPOSED_SHEETS, RETURNED_SHEETS, WITHDRAWN_SHEETS, SECOND_VERSIONS = 5, 2, 1, 3
#: Supports and adaptations recorded by peers, comments left (of which some await review
#: and one is withdrawn).
SUPPORTS, ADAPTATIONS = 120, 30
COMMENTS_WAITING, COMMENTS_WITHDRAWN = 4, 1

#: The demo's time window: sheets arrive from FIRST to LAST_SUBMISSION; nothing after END.
FIRST_SUBMISSION = datetime(2024, 3, 4, 9, 0)
LAST_SUBMISSION = datetime(2026, 8, 31, 17, 0)
END = datetime(2026, 10, 30, 18, 0)

#: University and city of each région (academic partners, IUT).
REGION_UNIVERSITIES = {
    "REG-01": ("Université des Antilles", "Pointe-à-Pitre"),
    "REG-02": ("Université des Antilles", "Fort-de-France"),
    "REG-03": ("Université de Guyane", "Cayenne"),
    "REG-04": ("Université de La Réunion", "Saint-Pierre"),
    "REG-06": ("Université de Mayotte", "Dembéni"),
    "REG-11": ("Université Paris-Saclay", "Paris"),
    "REG-24": ("Université de Tours", "Tours"),
    "REG-27": ("Université de Bourgogne", "Dijon"),
    "REG-28": ("Université de Caen Normandie", "Caen"),
    "REG-32": ("Université de Lille", "Lille"),
    "REG-44": ("Université de Strasbourg", "Strasbourg"),
    "REG-52": ("Nantes Université", "Nantes"),
    "REG-53": ("Université de Rennes", "Rennes"),
    "REG-75": ("Université de Bordeaux", "Bordeaux"),
    "REG-76": ("Université de Toulouse", "Toulouse"),
    "REG-84": ("Université Grenoble Alpes", "Grenoble"),
    "REG-93": ("Aix-Marseille Université", "Marseille"),
    "REG-94": ("Université de Corse", "Corte"),
}

#: Funders a sheet may name besides the author itself.
OTHER_FUNDERS = (
    "FEDER",
    "Banque des Territoires",
    "État (DSIL)",
    "État (France 2030)",
    "ANCT",
)

LICENCES = ("Licence Ouverte 2.0", "CC BY 4.0", "CC BY-SA 4.0")


@dataclass(frozen=True)
class SheetVersionEvent:
    """A version of a sheet arrives in the store."""

    at: datetime
    sheet: dict


@dataclass(frozen=True)
class ReviewEvent:
    """An analyst decides on a version of a sheet."""

    at: datetime
    achievement_id: str
    version: int
    status: str
    message: str = ""


@dataclass(frozen=True)
class FeedbackEvent:
    """A territory supports a sheet or says it adapts it."""

    at: datetime
    achievement_id: str
    territory: str
    kind: str


@dataclass(frozen=True)
class CommentEvent:
    """A territory comments a sheet."""

    at: datetime
    achievement_id: str
    territory: str
    text: str


@dataclass(frozen=True)
class CommentReviewEvent:
    """An analyst decides on a comment (named by its sheet, territory and text)."""

    at: datetime
    achievement_id: str
    territory: str
    text: str
    status: str


Event = SheetVersionEvent | ReviewEvent | FeedbackEvent | CommentEvent | CommentReviewEvent


@dataclass(frozen=True)
class DemoWriteSummary:
    """What one run of :func:`write_demo_achievements` wrote (zeros: it was all there)."""

    sheets: int
    versions: int
    reviews: int
    feedback: int
    comments: int
    comment_reviews: int

    @property
    def written(self) -> int:
        return self.versions + self.reviews + self.feedback + self.comments + self.comment_reviews


# --------------------------------------------------------------------------- text helpers


def slugify(text: str) -> str:
    """Lower-case ASCII words joined by hyphens (``Métropole de Lyon`` → ``metropole-de-lyon``)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = "".join(c if c.isalnum() else " " for c in ascii_text.lower()).split()
    return "-".join(words)


def french_number(value: float) -> str:
    """A whole number with the French thousands separator (a non-breaking space)."""
    return f"{int(round(value)):,}".replace(",", "\u00a0")


def of_place(name: str) -> str:
    """``de Rennes``, ``d'Angers``, ``du Mans``, ``des Sables``, ``de La Rochelle``."""
    if name.startswith("Le "):
        return f"du {name[3:]}"
    if name.startswith("Les "):
        return f"des {name[4:]}"
    if unicodedata.normalize("NFKD", name[:1]).lower()[:1] in set("aeiouy"):
        return f"d'{name}"
    return f"de {name}"


MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip


def _month_words(month: str) -> str:
    """``2025-03`` → ``mars 2025``."""
    year, number = month.split("-")
    return f"{MONTHS[int(number) - 1]} {year}"


def _from_month(month: str) -> str:
    """``de mars 2025``, ``d'août 2025``."""
    words = _month_words(month)
    return f"d'{words}" if words[0] in "ao" else f"de {words}"


def site_name(territory_name: str) -> str:
    """The host name part of a territory's site: ``Communauté urbaine du Grand Poitiers`` →
    ``grand-poitiers``."""
    words = slugify(territory_name)
    for prefix in ("communaute-urbaine-", "communaute-d-agglomeration-", "communaute-de-communes-"):
        words = words.removeprefix(prefix)
    for article in ("de-la-", "du-", "des-", "de-", "d-"):
        words = words.removeprefix(article)
    return words


def _in_sentence(partner: str) -> str:
    """A partner's name inside a sentence: ``Une coopérative…`` → ``une coopérative…``."""
    first = partner.partition(" ")[0]
    if first in {"Un", "Une", "Des", "Les", "La", "Le"} or partner.startswith("L'"):
        return partner[0].lower() + partner[1:]
    return partner


def _month(at: datetime) -> str:
    return f"{at.year:04d}-{at.month:02d}"


def _add_months(at: datetime, months: int) -> datetime:
    index = at.year * 12 + at.month - 1 + months
    return datetime(index // 12, index % 12 + 1, 1)


def _size_factor(population: float) -> float:
    """How a count grows with the author's size (1 for 150,000 inhabitants)."""
    if not population or math.isnan(population):
        return 1.0
    return float(np.clip(math.sqrt(population / 150_000), 0.35, 3.0))


def _figures(project: ProjectKind, population: float, rng: np.random.Generator) -> dict[str, str]:
    """The figure slots of a project's results, drawn within their ranges."""
    values = {}
    for name, (low, high) in project.slots.items():
        value = float(rng.integers(low, high + 1))
        if name.startswith("n"):
            value = max(low, value * _size_factor(population))
            value = round(value, -1) if value >= 1000 else round(value)
        values[name] = french_number(value)
    return values


# --------------------------------------------------------------------------- authors


def axis_levels(
    territories: pd.DataFrame, axes: Iterable[str], seed: int = DEMO_SEED
) -> pd.DataFrame:
    """The latent level of each territory on each axis (index: code), as the demo answers
    are drawn: maturity plus the territory's offset on the axis."""
    axes = list(axes)
    maturity = territory_maturity(territories, seed).to_numpy()
    offsets = [axis_offsets(code, axes, seed) for code in territories["code"]]
    levels = pd.DataFrame(offsets, index=territories["code"].to_numpy(), columns=axes)
    return levels.add(maturity, axis=0)


def _choose_authors(
    candidates: pd.DataFrame, levels: pd.DataFrame, strong: pd.DataFrame, seed: int
) -> list[tuple[str, ProjectKind, str]]:
    """(axis, project, author code) for every project: of the project's kinds, the one with
    the fewest sheets so far; of that kind, one of the three territories strongest on the
    project's axes, with at most MAX_SHEETS_PER_AUTHOR sheets each and the régions spread.

    An author is at or above its kind's median on the project's axis (``strong``) whenever
    such a territory is there: on a small reference, the limit of sheets per author gives
    way first."""
    rng = _rng(seed, "achievement-authors")
    sheets_of: Counter[str] = Counter()
    sheets_in_region: Counter[str] = Counter()
    sheets_of_kind: Counter[str] = Counter()
    kind_of = candidates.set_index("code")["kind"]
    region_of = candidates.set_index("code")["region"].fillna("")
    chosen = []
    for axis, projects in PROJECTS.items():
        on_axis: set[str] = set()
        for project in projects:
            project_axes = [axis, *([project.also] if project.also else [])]
            fitting = [c for c in kind_of.index[kind_of.isin(project.kinds)] if c not in on_axis]
            strong_ones = [c for c in fitting if strong.at[c, axis]]
            eligible = next(
                (
                    tier
                    for tier in (
                        [c for c in strong_ones if sheets_of[c] < MAX_SHEETS_PER_AUTHOR],
                        strong_ones,
                        [c for c in fitting if sheets_of[c] < MAX_SHEETS_PER_AUTHOR],
                        fitting,
                    )
                    if tier
                ),
                [],
            )
            if not eligible:
                continue
            # The kind with the fewest sheets so far, so that every kind writes some.
            present = sorted({kind_of[c] for c in eligible})
            draws = rng.random(len(present))
            kind = min(
                zip(present, draws, strict=True), key=lambda k: (sheets_of_kind[k[0]], k[1])
            )[0]
            codes = [c for c in eligible if kind_of[c] == kind]
            strength = levels.loc[codes, project_axes].mean(axis=1)
            spread = pd.Series([0.03 * sheets_in_region[region_of[c]] for c in codes], index=codes)
            ranked = (strength - spread).sort_values(ascending=False, kind="stable")
            author = str(ranked.index[int(rng.integers(0, min(3, len(ranked))))])
            chosen.append((axis, project, author))
            sheets_of[author] += 1
            sheets_in_region[region_of[author]] += 1
            sheets_of_kind[kind] += 1
            on_axis.add(author)
    return chosen


# --------------------------------------------------------------------------- one sheet


def _partners(project: ProjectKind, author: pd.Series, rng: np.random.Generator) -> dict:
    """The project's partners by kind, with, drawn, the author's région, the Banque des
    Territoires and the université of the région."""
    university, city = REGION_UNIVERSITIES.get(str(author["region"]), ("", ""))
    public = list(project.public)
    if author["kind"] != "REG" and region_name(author) and rng.random() < 0.5:
        public.append(f"Région {region_name(author)}")
    if rng.random() < 0.3 and "Banque des Territoires" not in public:
        public.append("Banque des Territoires")
    academic = [f"IUT {of_place(city)}" if a == "IUT" and city else a for a in project.academic]
    academic = [a for a in academic if a != "IUT"]
    if university and rng.random() < 0.45 and university not in academic:
        academic.append(university)
    return {
        "partenaires_publics": public,
        "partenaires_academiques": academic,
        "partenaires_prives": list(project.private),
        "partenaires_associatifs": list(project.associative),
    }


def region_name(author: pd.Series) -> str:
    """The name of the author's région (kept on the frame by :func:`demo_plan`)."""
    return str(author.get("region_name") or "")


def _fundings(author: pd.Series, budget: float, rng: np.random.Generator) -> list[dict]:
    """Two to four funders whose shares (multiples of 5) sum to 100."""
    others = list(OTHER_FUNDERS)
    if author["kind"] != "REG" and region_name(author):
        others.insert(0, f"Région {region_name(author)}")
    count = int(rng.integers(1, 4))
    picked = [others[i] for i in sorted(rng.choice(len(others), size=count, replace=False))]
    own = int(rng.integers(4, 12)) * 5  # 20 to 55 %
    rest = 100 - own
    cuts = sorted(rng.choice(np.arange(1, rest // 5), size=count - 1, replace=False) * 5)
    shares = np.diff([0, *cuts, rest]).tolist()
    funders = [("Autofinancement", own), *zip(picked, shares, strict=True)]
    return [
        {"financeur": name, "part": float(share), "montant_euros": None} for name, share in funders
    ]


def _dates(submitted: datetime, rng: np.random.Generator) -> tuple[str, str | None, int]:
    """Start, end (``None``: still running) and year of a project submitted at ``submitted``:
    the year is 2024 or later and never after the submission."""
    floor = datetime(2024, 1, 1)
    if rng.random() < 0.2:
        start = max(floor, _add_months(submitted, -int(rng.integers(4, 24))))
        return _month(start), None, start.year
    end = max(floor, _add_months(submitted, -int(rng.integers(1, 9))))
    start = _add_months(end, -int(rng.integers(6, 31)))
    return _month(start), _month(end), end.year


def build_sheet(
    axis: str,
    project: ProjectKind,
    author: pd.Series,
    submitted: datetime,
    questions: pd.DataFrame,
    seed: int = DEMO_SEED,
) -> dict:
    """The sheet (as :func:`domain.achievements.sheet.read_sheet` returns it) of ``author``
    for ``project``, submitted at ``submitted``."""
    rng = _rng(seed, "achievement", author["code"], project.slug)
    population = float(author["population"]) if pd.notna(author["population"]) else math.nan
    asked = set(questions.loc[questions["asked_of"].map(lambda k: author["kind"] in k), "code"])
    start, end, year = _dates(submitted, rng)
    low, high = project.budget_k
    budget = float(rng.integers(low, high + 1)) * 1000
    budget = round(budget, -4) if budget >= 100_000 else round(budget, -3)
    size = KIND_LABELS[author["kind"]]
    if pd.notna(population):
        size = f"{size} de {french_number(population)} habitants"
    period = (
        f"{_from_month(start)} à {_month_words(end)}"
        if end
        else f"depuis {_month_words(start)}, toujours en cours"
    )
    partners = _partners(project, author, rng)
    named = [_in_sentence(p) for group in partners.values() for p in group]
    with_whom = ""
    if named:
        listed = f"{', '.join(named[:-1])} et {named[-1]}" if len(named) > 1 else named[0]
        with_whom = f"\n\nPartenaires : {listed}."
    lesson = COMMON_LESSONS[int(rng.integers(len(COMMON_LESSONS)))]
    transfer = COMMON_TRANSFERS[int(rng.integers(len(COMMON_TRANSFERS)))]
    adaptation_cost = round(budget * float(rng.uniform(0.25, 0.7)), -3)
    site = site_name(str(author["name"]))
    identifier = project.slug
    links = [f"https://data.{site}.fr/explore/dataset/{identifier}/"]
    if rng.random() < 0.5:
        links.append(f"https://www.{site}.fr/projets/{identifier}")
    results = string.Formatter().vformat(project.results, (), _figures(project, population, rng))
    licence_draw = rng.random()
    licence = LICENCES[0] if licence_draw < 0.75 else LICENCES[1 if licence_draw < 0.92 else 2]
    return {
        "code_territoire": str(author["code"]),
        "identifiant": identifier,
        "titre": project.title,
        "axes": [axis, *([project.also] if project.also else [])],
        "questions": [q for q in project.questions if q in asked],
        "contexte": f"{size}. {project.context}\n\nObjectif : {project.objective}",
        "realisation": f"{project.done}{with_whom}\n\nCalendrier : {period}.",
        **partners,
        "budget_euros": budget,
        "financements": _fundings(author, budget, rng),
        "date_debut": start,
        "date_fin": end,
        "annee": year,
        "resultats": results,
        "retours_experience": f"{project.lesson}\n\n{lesson}",
        "transferabilite": f"{project.transfer} {transfer}",
        "territoires_cibles": list(project.kinds),
        "cout_adaptation_euros": adaptation_cost,
        "liens": links,
        "contact_fonction": project.contact,
        "licence": licence,
    }


def second_version(sheet: dict, updated: datetime, seed: int = DEMO_SEED) -> dict:
    """The sheet updated by its author a few months later: results completed."""
    rng = _rng(seed, "second-version", sheet["code_territoire"], sheet["identifiant"])
    gain = int(rng.integers(10, 35))
    return {
        **sheet,
        "resultats": (
            f"{sheet['resultats']}\n\nMise à jour de {_month_words(_month(updated))} : l'usage "
            f"a encore progressé de {gain} % depuis la première publication de la fiche."
        ),
    }


# --------------------------------------------------------------------------- the plan


def _between(rng: np.random.Generator, start: datetime, end: datetime) -> datetime:
    """A time between ``start`` and ``end``, on a working hour, to the minute."""
    if end <= start:
        return start
    minutes = int((end - start).total_seconds() // 60)
    at = start + timedelta(minutes=int(rng.integers(0, minutes + 1)))
    return at.replace(hour=8 + at.hour % 10, second=0, microsecond=0)


def _after(rng: np.random.Generator, start: datetime, low_days: int, high_days: int) -> datetime:
    """A time ``low_days`` to ``high_days`` after ``start`` (never after END)."""
    at = start + timedelta(days=int(rng.integers(low_days, high_days + 1)), hours=1)
    return min(_between(rng, at, at + timedelta(hours=8)), END)


def demo_plan(
    territories: pd.DataFrame,
    questionnaires: Questionnaires | Questionnaire,
    seed: int = DEMO_SEED,
) -> list[Event]:
    """Every event of the demo, in time order: sheet versions, reviews, supports and
    adaptations, comments and their reviews. Authors and peers are territories of the
    default scope among ``territories``."""
    questionnaire = as_questionnaires(questionnaires).current
    axes = list(questionnaire.axes["code"])
    names = territories.set_index("code")["name"]
    frame = territories.loc[in_default_scope(territories)].copy()
    frame["region_name"] = frame["region"].map(names)
    levels = axis_levels(territories, axes, seed)
    rng = _rng(seed, "achievement-plan")

    kinds = territories.set_index("code")["kind"]
    strong = levels >= levels.groupby(kinds.loc[levels.index].to_numpy()).transform("median")
    chosen = _choose_authors(frame, levels, strong, seed)
    by_code = frame.set_index("code", drop=False)
    count = len(chosen)
    submitted = sorted(_between(rng, FIRST_SUBMISSION, LAST_SUBMISSION) for _ in range(count))
    order = rng.permutation(count)  # which project arrives when

    # Statuses: the sheets left unpublished are on different axes, never an axis's first.
    unpublished_slots = PROPOSED_SHEETS + RETURNED_SHEETS + WITHDRAWN_SHEETS
    by_axis: dict[str, list[int]] = {}
    for position, (axis, _, _) in enumerate(chosen):
        by_axis.setdefault(axis, []).append(position)
    axis_lists = list(by_axis.values())
    picked = rng.choice(
        len(axis_lists), size=min(unpublished_slots, len(axis_lists)), replace=False
    )
    unpublished = [
        axis_lists[i][int(rng.integers(1, len(axis_lists[i])))]
        for i in picked
        if len(axis_lists[i]) > 1
    ]
    proposed = set(unpublished[:PROPOSED_SHEETS])
    returned = set(unpublished[PROPOSED_SHEETS : PROPOSED_SHEETS + RETURNED_SHEETS])
    withdrawn = set(unpublished[PROPOSED_SHEETS + RETURNED_SHEETS :])
    published = [p for p in range(count) if p not in proposed | returned | withdrawn]

    events: list[Event] = []
    published_at: dict[str, datetime] = {}
    sheet_axes: dict[str, list[str]] = {}
    authors: dict[str, str] = {}
    # The proposed sheets arrived last; the others in a drawn order.
    late = [p for p in range(count) if p in proposed]
    early = [p for p in order if p not in proposed]
    first_half = [p for p in early[: count // 2] if p in published]
    second = set(
        rng.choice(first_half, min(SECOND_VERSIONS, len(first_half)), replace=False).tolist()
    )
    for arrival, position in enumerate([*early, *late]):
        axis, project, code = chosen[position]
        at = submitted[arrival]
        if position in proposed:
            at = _between(rng, datetime(2026, 9, 1, 9), datetime(2026, 10, 23, 17))
        sheet = build_sheet(axis, project, by_code.loc[code], at, questionnaire.questions, seed)
        achievement_id = f"{sheet['code_territoire']}/{sheet['identifiant']}"
        authors[achievement_id] = code
        sheet_axes[achievement_id] = sheet["axes"]
        events.append(SheetVersionEvent(at, sheet))
        if position in proposed:
            continue
        decided = _after(rng, at, 2, 20)
        if position in returned:
            message = RETURN_MESSAGES[sorted(returned).index(position) % len(RETURN_MESSAGES)]
            events.append(ReviewEvent(decided, achievement_id, 1, "à revoir", message))
            continue
        events.append(ReviewEvent(decided, achievement_id, 1, "publiée"))
        if position in withdrawn:
            gone = _after(rng, decided, 30, 90)
            events.append(ReviewEvent(gone, achievement_id, 1, "retirée", WITHDRAWAL_MESSAGE))
            continue
        published_at[achievement_id] = decided
        if position in second:
            updated = _after(rng, decided, 120, 300)
            events.append(SheetVersionEvent(updated, second_version(sheet, updated, seed)))
            republished = _after(rng, updated, 2, 10)
            events.append(ReviewEvent(republished, achievement_id, 2, "publiée"))

    events.extend(_peer_events(frame, levels, published_at, sheet_axes, authors, seed))
    return sorted(events, key=_event_order)


def _event_order(event: Event) -> tuple:
    """Time order; at equal times a sheet before its review, a comment before its review."""
    rank = {SheetVersionEvent: 0, ReviewEvent: 1, CommentEvent: 2, CommentReviewEvent: 3}
    return (event.at, rank.get(type(event), 4))


def _peer_events(
    frame: pd.DataFrame,
    levels: pd.DataFrame,
    published_at: dict[str, datetime],
    sheet_axes: dict[str, list[str]],
    authors: dict[str, str],
    seed: int,
) -> list[Event]:
    """Supports and adaptations of published sheets by other territories (adaptations by
    territories below their kind's median on the sheet's axis), and comments, most of them
    published, the latest waiting, one withdrawn."""
    rng = _rng(seed, "achievement-peers")
    codes = frame["code"].to_numpy()
    kinds = frame.set_index("code")["kind"]
    ids = sorted(published_at)
    if not ids or len(codes) < 2:
        return []
    popularity = rng.gamma(1.5, 1.0, len(ids))
    popularity /= popularity.sum()
    events: list[Event] = []
    seen: set[tuple[str, str, str]] = set()

    def record(kind: str, wanted: int, eligible) -> None:
        attempts = 0
        while sum(1 for s in seen if s[2] == kind) < wanted and attempts < wanted * 50:
            attempts += 1
            achievement_id = ids[int(rng.choice(len(ids), p=popularity))]
            pool = eligible(achievement_id)
            if len(pool) == 0:
                continue
            territory = str(pool[int(rng.integers(len(pool)))])
            key = (achievement_id, territory, kind)
            if key in seen:
                continue
            seen.add(key)
            at = _between(rng, published_at[achievement_id] + timedelta(days=1), END)
            events.append(FeedbackEvent(at, achievement_id, territory, kind))

    own_level = levels.loc[codes]
    median_of_kind = own_level.groupby(kinds.loc[codes].to_numpy()).transform("median")
    weak = own_level < median_of_kind

    def anyone(achievement_id: str) -> np.ndarray:
        return codes[codes != authors[achievement_id]]

    def weak_on_axis(achievement_id: str) -> np.ndarray:
        axis = sheet_axes[achievement_id][0]
        mask = weak[axis].to_numpy() & (codes != authors[achievement_id])
        return codes[mask]

    record("soutien", SUPPORTS, anyone)
    record("adaptation", ADAPTATIONS, weak_on_axis)

    commented = [ids[int(i)] for i in rng.choice(len(ids), size=len(COMMENTS), p=popularity)]
    comments = []
    commenters: set[tuple[str, str]] = set()
    for text, sheet_id in zip(COMMENTS, commented, strict=True):
        pool = anyone(sheet_id)
        territory = str(pool[int(rng.integers(len(pool)))])
        while (sheet_id, territory) in commenters and len(pool) > 1:  # one comment each
            territory = str(pool[int(rng.integers(len(pool)))])
        commenters.add((sheet_id, territory))
        at = _between(rng, published_at[sheet_id] + timedelta(days=2), END)
        comments.append(CommentEvent(at, sheet_id, territory, text))
    comments.sort(key=lambda c: c.at)
    waiting = comments[len(comments) - COMMENTS_WAITING :]
    decided = comments[: len(comments) - COMMENTS_WAITING]
    withdrawn = {int(i) for i in rng.choice(len(decided), COMMENTS_WITHDRAWN, replace=False)}
    for index, comment in enumerate(decided):
        status = "retiré" if index in withdrawn else "publié"
        at = _after(rng, comment.at, 1, 6)
        events.append(comment)
        events.append(
            CommentReviewEvent(at, comment.achievement_id, comment.territory, comment.text, status)
        )
    events.extend(waiting)
    return events


# --------------------------------------------------------------------------- writing


def sheet_file(sheet: dict) -> tuple[str, bytes]:
    """The name and bytes of a sheet's canonical Markdown file."""
    name = f"{sheet['code_territoire']}_{sheet['identifiant']}.md"
    return name, render_sheet_markdown(sheet).encode("utf-8")


def checked_sheet(
    sheet: dict,
    territories: Mapping[str, str],
    axes: Collection[str],
    questions: Collection[str],
) -> tuple[str, bytes, dict]:
    """A sheet's file, read back as any deposited file is: the sheet recorded is the one
    :func:`read_sheet` returns, which must be the sheet drawn (the demo never writes a
    sheet a territory could not have deposited)."""
    name, content = sheet_file(sheet)
    reading = read_sheet(content, name, territories, axes, questions)
    if not reading.accepted:
        problems = "; ".join(f"{issue.field}: {issue.message}" for issue in reading.issues)
        raise ValueError(f"Fiche de démonstration refusée ({name}) : {problems}")
    if reading.sheet != sheet:
        changed = sorted(k for k in sheet if reading.sheet.get(k) != sheet[k])
        raise ValueError(f"Fiche de démonstration relue autrement ({name}) : {changed}")
    return name, content, reading.sheet


def write_demo_achievements(
    territories: pd.DataFrame,
    questionnaires: Questionnaires | Questionnaire,
    store: Path,
    archive_dir: Path,
    seed: int = DEMO_SEED,
) -> DemoWriteSummary:
    """Play :func:`demo_plan` into the contributions ``store``: each sheet version archived
    in ``archive_dir`` and recorded (channel "démo", author "démonstration"), then the
    analyst's decisions, the peers' supports, adaptations and comments, each at its fixed
    time.

    What the store already holds is not written again, whatever the demo's texts were when
    it was written: the n-th version of a sheet is there when the sheet has n versions, a
    decision when that version has it, a comment when that territory commented that sheet.
    A run stopped halfway is completed by the next one."""
    plan = demo_plan(territories, questionnaires, seed)
    axes, questions = questionnaire_codes(as_questionnaires(questionnaires))
    kinds = dict(zip(territories["code"], territories["kind"], strict=True))
    frames = ledger_frames(store)
    stored_versions = Counter(frames.versions["achievement_id"])
    known_reviews = {
        (row.achievement_id, int(row.version), row.status) for row in frames.reviews.itertuples()
    }
    known_feedback = {
        (row.achievement_id, row.territory, row.kind) for row in frames.feedback.itertuples()
    }
    comment_ids = {
        (row.achievement_id, row.territory): row.comment_id for row in frames.comments.itertuples()
    }
    known_comment_reviews = {
        (row.comment_id, row.status) for row in frames.comment_reviews.itertuples()
    }
    counts: Counter[str] = Counter()
    planned_versions: Counter[str] = Counter()
    for event in plan:
        if isinstance(event, SheetVersionEvent):
            sheet_id = achievement_id(event.sheet)
            planned_versions[sheet_id] += 1
            if planned_versions[sheet_id] <= stored_versions[sheet_id]:
                continue
            name, content, sheet = checked_sheet(event.sheet, kinds, axes, questions)
            archived = archive_bytes(content, name, archive_dir, DEMO_AUTHOR, event.at)
            record_sheet_version(
                store, sheet, archived.sha256, name, DEMO_CHANNEL, DEMO_AUTHOR, event.at
            )
            counts["versions"] += 1
        elif isinstance(event, ReviewEvent):
            if (event.achievement_id, event.version, event.status) in known_reviews:
                continue
            record_review(
                store, event.achievement_id, event.version, event.status, DEMO_ANALYST,
                event.message, event.at,
            )  # fmt: skip
            counts["reviews"] += 1
        elif isinstance(event, FeedbackEvent):
            if (event.achievement_id, event.territory, event.kind) in known_feedback:
                continue
            if record_feedback(store, event.achievement_id, event.territory, event.kind, event.at):
                counts["feedback"] += 1
        elif isinstance(event, CommentEvent):
            if (event.achievement_id, event.territory) in comment_ids:
                continue
            comment_ids[(event.achievement_id, event.territory)] = record_comment(
                store, event.achievement_id, event.territory, event.text, event.at
            )
            counts["comments"] += 1
        else:
            comment_id = comment_ids[(event.achievement_id, event.territory)]
            if (comment_id, event.status) in known_comment_reviews:
                continue
            record_comment_review(store, comment_id, event.status, DEMO_ANALYST, event.at)
            counts["comment_reviews"] += 1
    return DemoWriteSummary(
        sheets=len(planned_versions),
        versions=counts["versions"],
        reviews=counts["reviews"],
        feedback=counts["feedback"],
        comments=counts["comments"],
        comment_reviews=counts["comment_reviews"],
    )
