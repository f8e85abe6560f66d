"""Rank robustness: how much a territory's rank depends on the methodology's choices.

A Monte Carlo uncertainty analysis over the choices the methodology declares uncertain —
the weights of the questions within each axis, the weights of the axes in the index (each
multiplied by a factor drawn in [1 − p, 1 + p]) and the index's aggregation (arithmetic or
geometric mean). Samples follow Saltelli's scheme (SALib) so that the same runs give each
territory a median rank and a 5–95 % rank interval within its peer group, and the share of
the rank variance each choice explains (first-order and total Sobol indices, by group).

Everything is vectorised with numpy over territories and questions; the only Python loop
is over the samples' kinds of territory.
"""

import os
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from domain.questionnaire import Questionnaire
from domain.scoring import MIN_AXIS_COVERAGE, MIN_INDEX_COVERAGE
from schemas.vocabulary import UNCERTAINTY_FACTORS

#: Environment variable that overrides every version's number of base samples (N): a
#: deployment may want more precision, the test suite fewer runs.
BASE_SAMPLES_ENV = "OBSERVATOIRE_MONTE_CARLO_BASE_SAMPLES"

FACTOR_LABELS = UNCERTAINTY_FACTORS


@dataclass(frozen=True)
class UncertaintySettings:
    """The uncertain choices and the size of the analysis, as declared by the methodology."""

    base_samples: int = 64
    weight_perturbation: float = 0.25
    seed: int = 2026
    min_axis_coverage: float = MIN_AXIS_COVERAGE
    min_index_coverage: float = MIN_INDEX_COVERAGE

    @classmethod
    def from_dict(cls, spec: dict | None, **defaults: float) -> "UncertaintySettings":
        spec = spec or {}
        return cls(
            base_samples=int(spec.get("base_samples", cls.base_samples)),
            weight_perturbation=float(spec.get("weight_perturbation", cls.weight_perturbation)),
            seed=int(spec.get("seed", cls.seed)),
            **defaults,
        )


def uncertainty_settings(questionnaire: Questionnaire) -> UncertaintySettings:
    """The Monte Carlo settings declared by a questionnaire version's methodology (the base
    samples overridden by ``OBSERVATOIRE_MONTE_CARLO_BASE_SAMPLES`` when it is set)."""
    settings = UncertaintySettings.from_dict(
        questionnaire.methodology.get("uncertainty"),
        min_axis_coverage=MIN_AXIS_COVERAGE,
        min_index_coverage=MIN_INDEX_COVERAGE,
    )
    override = os.environ.get(BASE_SAMPLES_ENV)
    return replace(settings, base_samples=int(override)) if override else settings


def simulations_per_millesime(settings: UncertaintySettings) -> int:
    """Runs of the analysis for one millésime: Saltelli's scheme runs N × (groups + 2)
    simulations without second-order indices (three groups of uncertain choices)."""
    return settings.base_samples * (len(FACTOR_LABELS) + 2)


@dataclass(frozen=True)
class RankUncertainty:
    """Per territory: its rank interval; per choice: the share of rank variance it explains."""

    ranks: pd.DataFrame
    sensitivity: pd.DataFrame


def _matrices(question_scores: pd.DataFrame) -> tuple:
    """Score matrix (territories × questions; NaN = unanswered) and the asked mask."""
    pivot = question_scores.pivot_table(
        index="territory", columns="question", values="score", aggfunc="first", dropna=False
    )
    asked = question_scores.assign(asked=1.0).pivot_table(
        index="territory", columns="question", values="asked", aggfunc="first"
    )
    asked = asked.reindex(index=pivot.index, columns=pivot.columns).notna()
    meta = question_scores.drop_duplicates("question").set_index("question").loc[pivot.columns]
    return pivot, asked.to_numpy(), meta["axis"].to_numpy(), meta["weight"].to_numpy(dtype=float)


def simulate_indices(
    scores: np.ndarray,
    asked: np.ndarray,
    axis_of_question: np.ndarray,
    question_weights: np.ndarray,
    axis_weights: np.ndarray,
    geometric: np.ndarray,
    settings: UncertaintySettings,
) -> np.ndarray:
    """Global index of every territory (columns) for every sample (rows).

    ``question_weights`` is samples × questions, ``axis_weights`` samples × axes and
    ``geometric`` a boolean per sample; the coverage rules are those of the methodology.
    """
    axes = list(dict.fromkeys(axis_of_question))
    filled = np.nan_to_num(scores)
    answered = ~np.isnan(scores)
    axis_scores = []
    for axis in axes:  # ten axes: a loop over the tree, not over data
        cols = axis_of_question == axis
        weights = question_weights[:, cols]
        numerator = weights @ (filled[:, cols] * answered[:, cols]).T
        available = weights @ answered[:, cols].T
        expected = weights @ asked[:, cols].T
        with np.errstate(divide="ignore", invalid="ignore"):
            score = numerator / available
            coverage = available / expected
        axis_scores.append(np.where(coverage >= settings.min_axis_coverage, score, np.nan))
    stacked = np.stack(axis_scores, axis=2)  # samples × territories × axes
    weights = axis_weights[:, None, :] * ~np.isnan(stacked)
    total = weights.sum(axis=2)
    with np.errstate(divide="ignore", invalid="ignore"):
        arithmetic = np.nansum(stacked * weights, axis=2) / total
        logs = np.log(np.where(stacked > 0, stacked, np.nan))
        geometric_mean = np.exp(np.nansum(logs * weights, axis=2) / total)
        geometric_mean = np.where(
            np.any((stacked <= 0) & (weights > 0), axis=2), 0.0, geometric_mean
        )
    index = np.where(geometric[:, None], geometric_mean, arithmetic)
    coverage = (~np.isnan(stacked)).sum(axis=2) / len(axes)
    return np.where(coverage >= settings.min_index_coverage, index, np.nan)


def peer_ranks(indices: np.ndarray, peer_group: np.ndarray) -> np.ndarray:
    """Rank (1 = best) of each territory within its peer group, for each sample."""
    frame = pd.DataFrame(indices)
    ranks = np.full(indices.shape, np.nan)
    for group in np.unique(peer_group):
        cols = np.flatnonzero(peer_group == group)
        ranks[:, cols] = frame.iloc[:, cols].rank(axis=1, ascending=False, method="min").to_numpy()
    return ranks


def rank_uncertainty(
    question_scores: pd.DataFrame, peer_group: pd.Series, settings: UncertaintySettings
) -> RankUncertainty:
    """Monte Carlo rank intervals and Sobol sensitivity shares for one millésime.

    ``question_scores`` has ``territory``, ``question``, ``axis``, ``weight`` and ``score``
    (NaN when unanswered; rows only for questions asked); ``peer_group`` maps territory
    codes to their peer group (kind of territory).
    """
    # SALib pulls in scipy.stats (seconds of import): imported by the runs that simulate,
    # not by every process that loads the code location (the daemon's sensors, each run).
    from SALib.sample import sobol as sobol_sample

    pivot, asked, axis_of_question, base_weights = _matrices(question_scores)
    axes = list(dict.fromkeys(axis_of_question))
    n_questions, n_axes = len(base_weights), len(axes)
    p = settings.weight_perturbation
    problem = {
        "num_vars": n_questions + n_axes + 1,
        "names": [f"q{i}" for i in range(n_questions)] + [f"a{i}" for i in range(n_axes)] + ["agg"],
        "bounds": [[1 - p, 1 + p]] * (n_questions + n_axes) + [[0.0, 1.0]],
        "groups": ["question_weights"] * n_questions
        + ["axis_weights"] * n_axes
        + ["index_aggregation"],
    }
    samples = sobol_sample.sample(
        problem, settings.base_samples, calc_second_order=False, seed=settings.seed
    )
    indices = simulate_indices(
        pivot.to_numpy(dtype=float),
        asked,
        axis_of_question,
        samples[:, :n_questions] * base_weights,
        samples[:, n_questions : n_questions + n_axes],
        samples[:, -1] >= 0.5,
        settings,
    )
    groups = pivot.index.map(peer_group).to_numpy()
    ranks = peer_ranks(indices, groups)
    rank_frame = pd.DataFrame(
        {
            "territory": pivot.index,
            "rank_median": np.nanmedian(ranks, axis=0),
            "rank_p05": np.nanpercentile(ranks, 5, axis=0),
            "rank_p95": np.nanpercentile(ranks, 95, axis=0),
        }
    )
    scored = ~np.isnan(ranks).any(axis=0)
    rank_frame.loc[~scored, ["rank_median", "rank_p05", "rank_p95"]] = np.nan
    return RankUncertainty(rank_frame, _sensitivity(problem, ranks[:, scored]))


def _sensitivity(problem: dict, ranks: np.ndarray) -> pd.DataFrame:
    """Mean first-order and total Sobol indices of the ranks, over territories whose rank varies."""
    from SALib.analyze import sobol as sobol_analyze

    varying = ranks.var(axis=0) > 0
    first, total = [], []
    for column in np.flatnonzero(varying):
        result = sobol_analyze.analyze(
            problem, ranks[:, column], calc_second_order=False, num_resamples=2, seed=1
        )
        first.append(np.clip(result["S1"], 0, 1))
        total.append(np.clip(result["ST"], 0, 1))
    names = list(dict.fromkeys(problem["groups"]))
    if not first:
        return pd.DataFrame(
            {
                "factor": names,
                "label": [FACTOR_LABELS[n] for n in names],
                "first_order": 0.0,
                "total": 0.0,
            }
        )
    return pd.DataFrame(
        {
            "factor": names,
            "label": [FACTOR_LABELS[n] for n in names],
            "first_order": np.mean(first, axis=0),
            "total": np.mean(total, axis=0),
        }
    )
