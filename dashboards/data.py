"""The dashboard's single door to data: the published DuckDB file, read-only, cached.

The pipeline replaces the published file atomically (``os.replace``), so a connection is
opened for each query and closed right after: a long-lived connection would keep reading
the old file. Results are cached with Flask-Caching's ``FileSystemCache`` (shared by every
gunicorn worker, unlike an in-process cache), under keys that carry the file's mtime and
size, so a new publication is picked up at the next request without clearing anything.

Every public function raises :class:`PublicationError` (with a French message a page can
show as is) when the published file is missing or unreadable.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import numpy as np
import pandas as pd
from flask_caching.backends.filesystemcache import FileSystemCache

from domain.questionnaire import Questionnaires, load_questionnaires
from domain.settings import QUESTIONNAIRE_DIR

PUBLISHED_ENV = "OBSERVATOIRE_PUBLISHED"
DEFAULT_PUBLISHED = "var/published/observatoire.duckdb"
CACHE_DIR_ENV = "OBSERVATOIRE_CACHE_DIR"
DEFAULT_CACHE_DIR = "var/cache/dash"

#: Kinds of territory, from the largest to the smallest, as pages list them.
KIND_ORDER = ("REG", "DEP", "ME", "CU", "CA", "COM")
#: Levels of the national map.
MAP_LEVELS = ("DEP", "REG")

MISSING_MESSAGE = (
    "Aucune donnée publiée pour l'instant : lancez `make run` ou `observatoire refresh`."
)

T = TypeVar("T")
#: Query parameters: positional (``?``) or named (``$name``).
Parameters = Sequence[Any] | dict[str, Any]


class PublicationError(RuntimeError):
    """The published file cannot be used; ``str(error)`` is a French sentence for visitors."""


class PublicationMissing(PublicationError):
    """No published file exists yet at the configured path."""


class PublicationUnreadable(PublicationError):
    """The published file exists but cannot be queried (corrupt, or an older schema)."""


def published_path() -> Path:
    """Path of the published DuckDB file (env ``OBSERVATOIRE_PUBLISHED``, cwd-relative default)."""
    return Path(os.environ.get(PUBLISHED_ENV) or DEFAULT_PUBLISHED)


def cache_dir() -> Path:
    """Directory of the file-system cache (env ``OBSERVATOIRE_CACHE_DIR``)."""
    return Path(os.environ.get(CACHE_DIR_ENV) or DEFAULT_CACHE_DIR)


def publication_version() -> str:
    """Identify the current publication by the published file's mtime and size.

    Raises :class:`PublicationMissing` when there is no published file.
    """
    path = published_path()
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise PublicationMissing(MISSING_MESSAGE) from None
    return f"{stat.st_mtime_ns}-{stat.st_size}"


_caches: dict[Path, FileSystemCache] = {}


def _cache() -> FileSystemCache:
    directory = cache_dir().resolve()
    if directory not in _caches:
        # Keys are versioned by the publication, so entries never go stale: no expiry,
        # the threshold alone prunes the entries of past publications.
        _caches[directory] = FileSystemCache(str(directory), threshold=5000, default_timeout=0)
    return _caches[directory]


def _cached(name: str, arguments: Parameters, compute: Callable[[], T]) -> T:
    """Return ``compute()``, cached under ``name``, ``arguments`` and the publication version."""
    version = publication_version()
    raw_key = json.dumps(
        [name, arguments, str(published_path().resolve()), version], default=str, sort_keys=True
    )
    key = hashlib.sha256(raw_key.encode()).hexdigest()
    cache = _cache()
    hit = cache.get(key)
    if hit is not None:
        return hit[0]
    value = compute()
    cache.set(key, (value,))  # wrapped, so that a cached None is told from a miss
    return value


def _query(sql: str, parameters: Parameters = ()) -> pd.DataFrame:
    """Run ``sql`` on a short-lived read-only connection to the published file."""
    path = published_path()
    if not path.exists():
        raise PublicationMissing(MISSING_MESSAGE)
    try:
        with duckdb.connect(str(path), read_only=True) as connection:
            bound = parameters if isinstance(parameters, dict) else list(parameters)
            return connection.execute(sql, bound).df()
    except duckdb.Error as error:
        raise PublicationUnreadable(
            f"Le fichier publié {path} ne peut pas être lu ({error}). "
            "Relancez la publication avec `observatoire refresh`."
        ) from error


def _read(name: str, sql: str, parameters: Parameters = ()) -> pd.DataFrame:
    # The query text is part of the key, so a deploy that changes a query never reads the
    # results of the old one from the shared cache.
    digest = hashlib.sha256(sql.encode()).hexdigest()[:12]
    return _cached(f"{name}:{digest}", parameters, lambda: _query(sql, parameters))


# --- Reference data -------------------------------------------------------------------


def publication() -> dict[str, Any] | None:
    """Date and run of the current publication: ``{"published_at", "run_id"}``, or None."""
    frame = _read("publication", "select published_at, run_id from publication limit 1")
    if frame.empty:
        return None
    row = frame.iloc[0]
    published_at = row["published_at"]
    return {
        "published_at": None
        if pd.isna(published_at)
        else pd.Timestamp(published_at).to_pydatetime(),
        "run_id": row["run_id"],
    }


def millesimes() -> list[int]:
    """Millésimes present in the publication (scores or files received), oldest first."""
    frame = _read(
        "millesimes",
        """
        select millesime from territory_scores
        union
        select millesime from submission_files where millesime is not null
        order by millesime
        """,
    )
    return [int(value) for value in frame["millesime"]]


def maturity_levels() -> pd.DataFrame:
    """The five maturity levels: ``level``, ``label``, ``min_score``, ``max_score``."""
    return _read(
        "maturity_levels",
        "select level, label, min_score, max_score from maturity_levels order by level",
    )


def axes() -> pd.DataFrame:
    """The ten axes in display order: ``code``, ``label``, ``description``, ``position``."""
    return _read("axes", "select code, label, description, position from axes order by position")


def territories() -> pd.DataFrame:
    """Every territory, ordered by kind (régions first) then name."""
    return _read(
        "territories",
        """
        select code, kind, kind_label, name, population, region, departement, epci,
               insee_code, longitude, latitude
        from territories
        order by list_position(?, kind), name collate nocase, code
        """,
        [list(KIND_ORDER)],
    )


def territory(code: str) -> dict[str, Any] | None:
    """One territory as a dict (columns of ``territories``), or None when the code is unknown."""
    frame = _read("territory", "select * from territories where code = ?", [code])
    if frame.empty:
        return None
    return {key: _plain(value) for key, value in frame.iloc[0].items()}


# --- Vue nationale --------------------------------------------------------------------


@dataclass(frozen=True)
class NationalSummary:
    """Headline figures of one millésime."""

    millesime: int
    territories_scored: int
    territories_insufficient: int
    median_index: float | None
    share_advanced: float | None
    files_received: int
    files_rejected: int


def national_summary(millesime: int) -> NationalSummary:
    """KPIs of ``millesime``: territories scored, median index, share at level ≥ 4, files."""
    scores = _read(
        "national_summary.scores",
        """
        select
            count(*) filter (where global_index is not null) as territories_scored,
            count(*) filter (where global_index is null) as territories_insufficient,
            median(global_index) as median_index,
            avg(case when maturity_level >= 4 then 1.0 else 0.0 end)
                filter (where global_index is not null) as share_advanced
        from territory_scores
        where millesime = ?
        """,
        [millesime],
    ).iloc[0]
    files = _read(
        "national_summary.files",
        """
        select count(*) as received, count(*) filter (where status = 'rejetée') as rejected
        from submission_files
        where millesime = ?
        """,
        [millesime],
    ).iloc[0]
    return NationalSummary(
        millesime=millesime,
        territories_scored=int(scores["territories_scored"]),
        territories_insufficient=int(scores["territories_insufficient"]),
        median_index=None if _is_na(scores["median_index"]) else float(scores["median_index"]),
        share_advanced=None
        if _is_na(scores["share_advanced"])
        else float(scores["share_advanced"]),
        files_received=int(files["received"]),
        files_rejected=int(files["rejected"]),
    )


def scores(millesime: int) -> pd.DataFrame:
    """Every territory with its score of ``millesime`` (NULL columns when it did not answer).

    Columns: ``code``, ``kind``, ``kind_label``, ``name``, ``population``, ``global_index``,
    ``maturity_level``, ``maturity_label``, ``coverage``, ``answered`` (a score row exists).
    """
    return _read(
        "scores",
        """
        select t.code, t.kind, t.kind_label, t.name, t.population,
               s.global_index, s.maturity_level, s.maturity_label, s.coverage,
               s.territory is not null as answered
        from territories t
        left join territory_scores s on s.territory = t.code and s.millesime = ?
        order by list_position(?, t.kind), t.name collate nocase, t.code
        """,
        [millesime, list(KIND_ORDER)],
    )


def map_geojson(level: str) -> dict[str, Any]:
    """GeoJSON FeatureCollection of the régions or départements; feature ``id`` = code."""
    if level not in MAP_LEVELS:
        raise ValueError(f"Échelon de carte inconnu : {level!r} (attendu : REG ou DEP).")

    def build() -> dict[str, Any]:
        frame = _query(
            "select code, geojson from map_geometries where level = ? order by code", [level]
        )
        return {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "id": row.code,
                    "properties": {"code": row.code},
                    "geometry": json.loads(row.geojson),
                }
                for row in frame.itertuples(index=False)
            ],
        }

    return _cached("map_geojson", [level], build)


# --- Fiche territoire -----------------------------------------------------------------


def territory_history(code: str) -> pd.DataFrame:
    """Global index of ``code`` across millésimes: ``millesime``, ``global_index``, level."""
    return _read(
        "territory_history",
        """
        select millesime, global_index, maturity_level, maturity_label, coverage, axes_scored
        from territory_scores
        where territory = ?
        order by millesime
        """,
        [code],
    )


def axis_history(code: str) -> pd.DataFrame:
    """Axis scores of ``code`` across millésimes: ``millesime``, ``axis``, ``label``, ``score``."""
    return _read(
        "axis_history",
        """
        select s.millesime, s.axis, a.label, a.position, s.score, s.coverage
        from axis_scores s
        join axes a on a.code = s.axis
        where s.territory = ?
        order by s.millesime, a.position
        """,
        [code],
    )


def peer_median_index(kind: str, millesime: int) -> float | None:
    """Median global index of the territories of ``kind`` in ``millesime``."""
    frame = _read(
        "peer_median_index",
        """
        select median(s.global_index) as median_index
        from territory_scores s
        join territories t on t.code = s.territory
        where t.kind = ? and s.millesime = ?
        """,
        [kind, millesime],
    )
    value = frame.iloc[0]["median_index"]
    return None if _is_na(value) else float(value)


def peer_median_history(kind: str) -> pd.DataFrame:
    """Median global index of the territories of ``kind``, by millésime."""
    return _read(
        "peer_median_history",
        """
        select s.millesime, median(s.global_index) as median_index
        from territory_scores s
        join territories t on t.code = s.territory
        where t.kind = ?
        group by s.millesime
        order by s.millesime
        """,
        [kind],
    )


def axis_profile(code: str, millesime: int) -> pd.DataFrame:
    """The ten axes of ``code`` in ``millesime`` beside the median of its peers (same kind).

    One row per axis, in display order: ``axis``, ``label``, ``position``, ``score``,
    ``coverage``, ``peer_median``, ``peers_scored``. Scores are NULL where the territory did
    not answer enough; peer medians ignore NULL scores.
    """
    return _read(
        "axis_profile",
        """
        with peers as (
            select s.axis, median(s.score) as peer_median, count(s.score) as peers_scored
            from axis_scores s
            join territories t on t.code = s.territory
            where s.millesime = $millesime
              and t.kind = (select kind from territories where code = $code)
            group by s.axis
        )
        select a.code as axis, a.label, a.position, s.score, s.coverage,
               p.peer_median, coalesce(p.peers_scored, 0) as peers_scored
        from axes a
        left join axis_scores s
            on s.axis = a.code and s.territory = $code and s.millesime = $millesime
        left join peers p on p.axis = a.code
        order by a.position
        """,
        {"code": code, "millesime": millesime},
    )


def _plain(value: Any) -> Any:
    """A cell as a plain Python value: None for NULL, ``int``/``float`` for NumPy scalars."""
    if _is_na(value):
        return None
    return value.item() if isinstance(value, np.generic) else value


def _is_na(value: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


# --- Qualité des données --------------------------------------------------------------

#: Statuses of a file that was accepted: the current one, or one a later file replaced.
ACCEPTED_STATUSES = ("acceptée", "remplacée")
#: A rejected file waiting in quarantine for its corrected version.
QUARANTINE_STATUS = "rejetée"
#: A rejected file whose corrected version has been accepted since.
CORRECTED_STATUS = "corrigée"

# Territories with an accepted file for $millesime. ``territory`` lists every territory of
# a file (comma-separated); a file holding several millésimes has no millésime, so it counts
# for the millésimes its territories were scored in.
_ANSWERED_SQL = """
    with accepted as (
        select trim(unnest(string_split(territory, ','))) as code, millesime
        from submission_files
        where status in ('acceptée', 'remplacée') and territory is not null
    )
    select distinct a.code
    from accepted a
    where a.millesime = $millesime
       or (a.millesime is null and exists (
            select 1 from territory_scores s
            where s.territory = a.code and s.millesime = $millesime))
"""


@dataclass(frozen=True)
class QualitySummary:
    """Files received for one millésime and how many territories of the reference answered."""

    millesime: int
    #: Files of the millésime (files holding several millésimes, or none readable, aside).
    files_received: int
    #: Files whose millésime is unknown (unreadable, or several millésimes in one file).
    files_undated: int
    #: Files accepted, current or replaced since by a later version.
    files_accepted: int
    files_superseded: int
    #: Rejected files in quarantine, of the millésime or of no known millésime.
    files_rejected: int
    files_rejected_undated: int
    #: Rejected files whose corrected version has been accepted since.
    files_corrected: int
    territories_answered: int
    territories_expected: int

    @property
    def response_rate(self) -> float | None:
        """Share of the territories of the reference that answered (None when none expected)."""
        if not self.territories_expected:
            return None
        return self.territories_answered / self.territories_expected


def response_status(millesime: int) -> pd.DataFrame:
    """Every territory of the reference and whether it has an accepted file for ``millesime``.

    Columns: ``code``, ``kind``, ``kind_label``, ``name``, ``answered``; ordered by kind
    (régions first) then name. A territory answered when a file with its answers for that
    millésime was accepted (``acceptée`` or ``remplacée``).
    """
    return _read(
        "response_status",
        f"""
        with answered as ({_ANSWERED_SQL})
        select t.code, t.kind, t.kind_label, t.name,
               t.code in (select code from answered) as answered
        from territories t
        order by list_position($kinds, t.kind), t.name collate nocase, t.code
        """,
        {"millesime": millesime, "kinds": list(KIND_ORDER)},
    )


def quality_summary(millesime: int) -> QualitySummary:
    """Counts of files by status and of territories that answered, for ``millesime``."""
    files = _read(
        "quality_summary.files",
        """
        select
            count(*) filter (where millesime = $millesime) as received,
            count(*) filter (where millesime is null) as undated,
            count(*) filter (where millesime = $millesime
                             and status in ('acceptée', 'remplacée')) as accepted,
            count(*) filter (where millesime = $millesime and status = 'remplacée')
                as superseded,
            count(*) filter (where status = 'rejetée'
                             and (millesime = $millesime or millesime is null)) as rejected,
            count(*) filter (where status = 'rejetée' and millesime is null)
                as rejected_undated,
            count(*) filter (where status = 'corrigée'
                             and (millesime = $millesime or millesime is null)) as corrected
        from submission_files
        """,
        {"millesime": millesime},
    ).iloc[0]
    status = response_status(millesime)
    return QualitySummary(
        millesime=millesime,
        files_received=int(files["received"]),
        files_undated=int(files["undated"]),
        files_accepted=int(files["accepted"]),
        files_superseded=int(files["superseded"]),
        files_rejected=int(files["rejected"]),
        files_rejected_undated=int(files["rejected_undated"]),
        files_corrected=int(files["corrected"]),
        territories_answered=int(status["answered"].sum()),
        territories_expected=len(status),
    )


def problem_files(millesime: int | None = None) -> pd.DataFrame:
    """Rejected files, in quarantine (``rejetée``) or corrected since (``corrigée``), newest first.

    With ``millesime``, only the files of that millésime and those whose millésime is
    unknown. Columns: those of ``submission_files`` (``sha256``, ``file_name``,
    ``received_at``, ``territory``, ``millesime``, ``status``, ``errors``, ``warnings``).
    """
    return _read(
        "problem_files",
        """
        select sha256, file_name, received_at, territory, millesime, status, errors, warnings
        from submission_files
        where status in ('rejetée', 'corrigée')
          and ($millesime is null or millesime = $millesime or millesime is null)
        order by received_at desc, file_name
        """,
        {"millesime": millesime},
    )


def validation_report(sha256: str) -> pd.DataFrame:
    """The validation report of one file, in the order of the file.

    Columns: ``line``, ``column``, ``question``, ``value``, ``severity``, ``message``.
    """
    return _read(
        "validation_report",
        """
        select line, "column", question, value, severity, message
        from validation_issues
        where sha256 = ?
        order by line nulls last, "column", question
        """,
        [sha256],
    )


def territory_submissions(code: str) -> pd.DataFrame:
    """Every version of every file received for territory ``code``, newest first.

    Columns: ``sha256``, ``file_name``, ``received_at``, ``millesime``, ``status``,
    ``errors``, ``warnings``, ``submitter``, ``size_bytes`` (the last two from the archive
    register, NULL for a file missing from it).
    """
    return _read(
        "territory_submissions",
        """
        select f.sha256, f.file_name, f.received_at, f.millesime, f.status, f.errors,
               f.warnings, r.submitter, r.size_bytes
        from submission_files f
        left join raw_submission_files r using (sha256)
        where list_contains(string_split(replace(f.territory, ' ', ''), ','), ?)
        order by f.received_at desc, f.file_name
        """,
        [code],
    )


# --- Résultats : rangs, forces et faiblesses, contributions ------------------------------


def territory_rank(code: str, millesime: int) -> dict[str, Any] | None:
    """Rank of ``code`` among its peers in ``millesime``, or None when it has no index.

    Keys: ``peer_group`` (kind), ``rank`` (1 = best), ``peers``, ``percentile`` (share, 0–100,
    of the other peers scoring lower), ``population_band`` (French label), ``band_rank``,
    ``band_peers``, ``band_percentile``, and the Monte Carlo ``rank_median``, ``rank_p05``
    and ``rank_p95`` (NULL when the uncertainty analysis gave no interval).
    """
    frame = _read(
        "territory_rank",
        """
        select peer_group, rank, peers, percentile, population_band, band_rank, band_peers,
               band_percentile, rank_median, rank_p05, rank_p95
        from territory_ranks
        where territory = ? and millesime = ? and rank is not null
        """,
        [code, millesime],
    )
    if frame.empty:
        return None
    return {key: _plain(value) for key, value in frame.iloc[0].items()}


def axis_positions(code: str, millesime: int) -> pd.DataFrame:
    """Each axis of ``code`` in ``millesime`` against the median of its peers (same kind).

    Columns: ``axis``, ``label``, ``score``, ``peer_median``, ``gap`` and ``position``
    (``force``, ``faiblesse`` or NULL: 10 points or more above / below the median), in
    display order.
    """
    return _read(
        "axis_positions",
        """
        select p.axis, a.label, p.score, p.peer_median, p.gap, p.position
        from axis_positions p
        join axes a on a.code = p.axis
        where p.territory = ? and p.millesime = ?
        order by a.position
        """,
        [code, millesime],
    )


def peers_to_learn_from(code: str, millesime: int) -> pd.DataFrame:
    """For each weak axis of ``code`` in ``millesime``, the best territories of its kind on it.

    Columns: ``axis``, ``axis_label``, ``score`` (of ``code``), ``peer`` (territory code),
    ``peer_name``, ``peer_score``, ``peer_rank`` (1 = best); axes in display order.
    """
    return _read(
        "peers_to_learn_from",
        """
        select l.axis, a.label as axis_label, l.score, l.peer,
               coalesce(t.name, l.peer) as peer_name, l.peer_score, l.peer_rank
        from peers_to_learn_from l
        join axes a on a.code = l.axis
        left join territories t on t.code = l.peer
        where l.territory = ? and l.millesime = ?
        order by a.position, l.peer_rank
        """,
        [code, millesime],
    )


def answer_contributions(code: str, millesime: int) -> pd.DataFrame:
    """Answers of ``code`` in ``millesime`` with what each brings to its axis score.

    The columns of :func:`answers`, plus the question's ``answer_type``, ``options`` and
    ``scale_labels`` (JSON text), ``weight`` (of the question), ``weight_share`` (its
    share of the answered weight of the axis, 0–1), ``contribution`` (points of the axis
    score it brings) and ``points_lost`` (points of the axis score lost because it is below
    100). The last three are NULL for a question without an answer, which the score leaves
    out.
    """
    return _read(
        "answer_contributions",
        """
        select a.code as axis, a.label as axis_label, a.position, q.code as question,
               q.label as question_label, q.answer_type, q.options, q.scale_labels,
               s.answer, s.score, s.weight, c.weight_share, c.contribution, c.points_lost
        from question_scores s
        join questions q on q.code = s.question
        join axes a on a.code = q.axis
        left join score_contributions c
            on c.territory = s.territory and c.millesime = s.millesime
           and c.parent = q.axis and c.child = s.question and c.child_score is not null
        where s.territory = ? and s.millesime = ?
          and q.version = coalesce(
              (select version from methodology_versions where millesime = s.millesime),
              q.version)
        order by a.position, q.code
        """,
        [code, millesime],
    )


#: Node of the global index in ``score_contributions`` (its children are the axes).
INDEX_NODE = "indice_global"


def index_contributions(code: str, millesime: int) -> pd.DataFrame:
    """What each axis brings to the global index of ``code`` in ``millesime``.

    Columns: ``axis``, ``weight_share`` (0–1), ``contribution`` and ``points_lost`` (points
    of the index); NULL for an axis without a score.
    """
    return _read(
        "index_contributions",
        """
        select c.child as axis, c.weight_share, c.contribution, c.points_lost
        from score_contributions c
        where c.territory = ? and c.millesime = ? and c.parent = ?
          and c.child_score is not null
        """,
        [code, millesime, INDEX_NODE],
    )


def series_breaks() -> pd.DataFrame:
    """Breaks in the axis series: one row per axis not comparable with the previous version.

    Columns: ``millesime`` (first millésime of the new version), ``version``,
    ``previous_version``, ``axis``, ``axis_label``, ``changes`` (French text); ordered by
    millésime then axis display order. Empty when every series is comparable.
    """
    return _read(
        "series_breaks",
        """
        select b.millesime::integer as millesime, b.version::varchar as version,
               b.previous_version::varchar as previous_version, b.axis::varchar as axis,
               coalesce(a.label, b.axis::varchar) as axis_label, b.changes::varchar as changes
        from series_breaks b
        left join axes a on a.code = b.axis::varchar
        where b.comparable::boolean = false
        order by b.millesime, a.position nulls last, b.axis
        """,
    )


def open_millesimes() -> list[int]:
    """Every millésime open in a questionnaire version (whether or not answered yet)."""
    frame = _read(
        "open_millesimes", "select millesime from methodology_versions order by millesime"
    )
    return [int(m) for m in frame["millesime"]]


def methodology_version(millesime: int) -> str | None:
    """Version of the methodology (questionnaire) used to score ``millesime``, if known."""
    frame = _read(
        "methodology_version",
        "select version from methodology_versions where millesime = ?",
        [millesime],
    )
    return None if frame.empty else str(frame.iloc[0]["version"])


def rank_sensitivity(millesime: int | None = None) -> pd.DataFrame:
    """Share of the rank variance explained by each uncertain choice (Sobol indices, 0–1).

    For ``millesime``, or the latest millésime analysed when None. Columns: ``factor``,
    ``label`` (French), ``first_order``, ``total``, ``millesime``; in the order of the
    analysis.
    """
    return _read(
        "rank_sensitivity",
        """
        select factor, label, first_order, total, millesime
        from rank_sensitivity
        where millesime = coalesce($millesime, (select max(millesime) from rank_sensitivity))
        order by list_position($factors, factor) nulls last, factor
        """,
        {"millesime": millesime, "factors": list(SENSITIVITY_FACTORS)},
    )


#: The uncertain choices of the rank robustness analysis, in the order pages list them.
SENSITIVITY_FACTORS = ("question_weights", "axis_weights", "index_aggregation")


# --- Méthodologie (fichiers du questionnaire) -------------------------------------------


class MethodologyUnavailable(RuntimeError):
    """The methodology files cannot be read; ``str(error)`` is a French sentence."""


def questionnaires() -> Questionnaires:
    """Every version of the questionnaire, the methodology the pipeline scores with.

    The files ship with the code and change rarely, so they are parsed once per process
    and again only when a file is added, removed or modified (mtime and size). This is an
    in-process cache on purpose: the parsed versions hold code objects (dataclasses, data
    frames) that a shared file cache would keep, pickled, across deployments of new code.
    Raises :class:`MethodologyUnavailable` when no version can be read.
    """
    directory = Path(QUESTIONNAIRE_DIR)
    try:
        signature = tuple(
            (path.name, path.stat().st_mtime_ns, path.stat().st_size)
            for path in sorted(directory.glob("*.yaml"))
        )
    except OSError as error:
        raise MethodologyUnavailable(
            f"Le dossier de la méthodologie {directory} ne peut pas être lu ({error})."
        ) from error
    if not signature:
        raise MethodologyUnavailable(
            f"Aucun fichier de méthodologie (questionnaire) dans {directory}."
        )
    return _parsed_questionnaires(str(directory), signature)


@functools.lru_cache(maxsize=4)
def _parsed_questionnaires(directory: str, signature: tuple[Any, ...]) -> Questionnaires:
    try:
        return load_questionnaires(Path(directory))
    except Exception as error:  # YAML, schema or consistency error: say which, in French
        raise MethodologyUnavailable(
            f"Les fichiers de méthodologie de {directory} ne peuvent pas être lus ({error}). "
            "Corrigez le fichier YAML en cause."
        ) from error


# --- Vue nationale: map by axis, markers ---------------------------------------------


def axis_scores_of(millesime: int) -> pd.DataFrame:
    """Every score of ``millesime`` in wide form: one row per scored territory (``code``),
    one column per axis code, NULL where the axis has too few answers."""
    frame = _read(
        "axis_scores_of",
        "select territory as code, axis, score from axis_scores where millesime = ?",
        [millesime],
    )
    wide = frame.pivot_table(index="code", columns="axis", values="score", dropna=False)
    return wide.reindex(columns=list(axes()["code"])).reset_index().rename_axis(columns=None)


def measure(millesime: int, axis: str | None) -> pd.DataFrame:
    """Every territory with the measure the map shows: the global index, or one axis score.

    Columns of :func:`scores` plus ``longitude``, ``latitude`` (the seat, for markers) and
    ``value`` (the measure, NULL when not scored).
    """
    places = territories()[["code", "longitude", "latitude"]]
    frame = scores(millesime).merge(places, on="code", how="left")
    if axis is None:
        return frame.assign(value=frame["global_index"])
    wide = axis_scores_of(millesime)
    if axis not in wide.columns:
        raise ValueError(f"Axe inconnu : {axis!r}.")
    values = wide.set_index("code")[axis]
    return frame.assign(value=frame["code"].map(values).astype("Float64"))


# --- Classements ----------------------------------------------------------------------


def rankings(millesime: int) -> pd.DataFrame:
    """One row per territory that answered in ``millesime``, with everything the rankings
    grid shows: identity, région, population and band, global index and level, rank among
    its kind with the Monte Carlo 5–95 % rank interval, the index of the previous millésime
    the territory answered in and the change since, and one column per axis score."""
    frame = _read(
        "rankings",
        """
        with previous as (
            select s.territory, arg_max(s.global_index, s.millesime) as previous_index,
                   max(s.millesime) as previous_millesime
            from territory_scores s
            where s.millesime < $millesime
            group by s.territory
        )
        select t.code, t.name, t.kind, t.kind_label, t.region, r.name as region_name,
               t.population, k.population_band,
               s.global_index, s.maturity_level, s.maturity_label, s.coverage,
               k.rank, k.peers, k.rank_p05, k.rank_p95,
               p.previous_index, p.previous_millesime,
               s.global_index - p.previous_index as change
        from territory_scores s
        join territories t on t.code = s.territory
        left join territories r on r.code = t.region
        left join territory_ranks k on k.territory = s.territory and k.millesime = s.millesime
        left join previous p on p.territory = s.territory
        where s.millesime = $millesime
        order by s.global_index desc nulls last, t.name
        """,
        {"millesime": millesime},
    )
    return frame.merge(axis_scores_of(millesime), on="code", how="left")


def regions() -> pd.DataFrame:
    """The régions (``code``, ``name``), by name."""
    frame = territories()
    return frame.loc[frame["kind"] == "REG", ["code", "name"]].sort_values("name")


# --- Comparer -------------------------------------------------------------------------


def index_histories(codes: Sequence[str]) -> pd.DataFrame:
    """Global index of each of ``codes`` across millésimes: ``territory``, ``millesime``,
    ``global_index``."""
    return _read(
        "index_histories",
        """
        select territory, millesime, global_index from territory_scores
        where list_contains(?, territory) order by territory, millesime
        """,
        [list(codes)],
    )


# --- Axes -----------------------------------------------------------------------------


def axis_distribution(axis: str, millesime: int) -> pd.DataFrame:
    """Score of ``axis`` of every territory scored in ``millesime``: ``code``, ``name``,
    ``kind``, ``kind_label``, ``score`` (NULL when too few answers)."""
    return _read(
        "axis_distribution",
        """
        select t.code, t.name, t.kind, t.kind_label, s.score
        from axis_scores s join territories t on t.code = s.territory
        where s.axis = ? and s.millesime = ?
        order by s.score desc nulls last, t.name
        """,
        [axis, millesime],
    )


def axis_medians(millesime: int) -> pd.DataFrame:
    """National median of each axis in ``millesime``: ``axis``, ``label``, ``median``,
    ``scored`` (territories with a score), in display order."""
    return _read(
        "axis_medians",
        """
        select a.code as axis, a.label, a.position, median(s.score) as median,
               count(s.score) as scored
        from axes a left join axis_scores s on s.axis = a.code and s.millesime = ?
        group by all order by a.position
        """,
        [millesime],
    )


def question_spread(axis: str, millesime: int) -> pd.DataFrame:
    """Scores of the questions of ``axis`` in ``millesime``, one row per territory and
    question: ``question``, ``label``, ``territory``, ``score`` (questions of the millésime's
    own questionnaire version)."""
    return _read(
        "question_spread",
        """
        select s.question, q.label, s.territory, s.score
        from question_scores s
        join methodology_versions v on v.millesime = s.millesime
        join questions q on q.code = s.question and q.version = v.version
        where s.axis = ? and s.millesime = ?
        """,
        [axis, millesime],
    )


# --- Téléchargements ------------------------------------------------------------------


def export_indices(millesime: int | None) -> pd.DataFrame:
    """The ``indices`` open dataset: one row per territory and millésime (all when None)."""
    frame = _read(
        "export_indices",
        """
        select s.millesime, t.code as code_territoire, t.name as nom, t.kind as categorie,
               t.kind_label as categorie_libelle, t.region as code_region,
               r.name as region, t.population,
               s.global_index as indice_global, s.maturity_level as niveau,
               s.maturity_label as niveau_libelle, s.coverage as couverture,
               k.rank as rang_categorie, k.peers as effectif_categorie,
               k.rank_p05 as rang_p05, k.rank_p95 as rang_p95,
               k.population_band as tranche_population
        from territory_scores s
        join territories t on t.code = s.territory
        left join territories r on r.code = t.region
        left join territory_ranks k on k.territory = s.territory and k.millesime = s.millesime
        where $millesime is null or s.millesime = $millesime
        order by s.millesime, t.code
        """,
        {"millesime": millesime},
    )
    wide = _read(
        "export_axes_wide",
        """
        select millesime, territory as code_territoire, axis, score from axis_scores
        where $millesime is null or millesime = $millesime
        """,
        {"millesime": millesime},
    )
    pivot = wide.pivot_table(
        index=["millesime", "code_territoire"], columns="axis", values="score", dropna=False
    )
    pivot = pivot.reindex(columns=list(axes()["code"]))
    pivot.columns = [f"axe_{code.lower()}" for code in pivot.columns]
    return frame.merge(pivot.reset_index(), on=["millesime", "code_territoire"], how="left")


def export_axes(millesime: int | None) -> pd.DataFrame:
    """The ``axes`` open dataset: one row per territory, millésime and axis."""
    return _read(
        "export_axes",
        """
        select p.millesime, p.territory as code_territoire, t.name as nom,
               t.kind as categorie, p.axis as code_axe, a.label as axe, p.score as score,
               p.peer_median as mediane_categorie, p.gap as ecart_mediane,
               p.position as position
        from axis_positions p
        join territories t on t.code = p.territory
        join axes a on a.code = p.axis
        where $millesime is null or p.millesime = $millesime
        order by p.millesime, p.territory, a.position
        """,
        {"millesime": millesime},
    )


def export_answers(millesime: int | None) -> pd.DataFrame:
    """The ``reponses`` open dataset: each answer and the score it earned."""
    return _read(
        "export_answers",
        """
        select s.millesime, s.territory as code_territoire, t.name as nom,
               s.axis as code_axe, s.question as code_question, q.label as question,
               s.answer as reponse, s.score as score, s.weight as poids
        from question_scores s
        join territories t on t.code = s.territory
        join methodology_versions v on v.millesime = s.millesime
        join questions q on q.code = s.question and q.version = v.version
        where $millesime is null or s.millesime = $millesime
        order by s.millesime, s.territory, s.question
        """,
        {"millesime": millesime},
    )
