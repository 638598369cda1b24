"""The personalization model and how it scores a history (shared by every personalization recipe).

Score of item i for a history h (the same in training metrics and serving)::

    s = core(h) / max|core(h)|  +  1e-4 * pop / max(pop)  [+ gamma * recent / max(recent)]

``core`` is EASE (``history @ B``) or ALS (fold-in, then ``x_u @ Y^T``). ``pop`` (distinct users)
orders ties and empty histories. With ``recency_mask`` the history is weighted by
``0.5 ** (events_back / bptt)`` and the time-decayed popularity ``recent`` is added with weight
``gamma`` (``recent_popularity_weight``, calibrated at fit time by default); without it every
history event weighs 1. Item freshness for exploration (:func:`exploration_freshness`) is here;
fitting, ``recommend`` and ``rank`` are in ``recipes.personalization``.

What a call does not change (the prior, ``Y^T`` column-major, ``Y^T Y + lambda I``) is derived
once per model object (:func:`serving_cache`); ``score_histories_reference`` is the plain path the
tests and ``bench/recipe_scoring.py`` compare with.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.linalg import lapack

from recipes.als import fold_in_user_factors
from recipes.ease import score_ease, score_ease_items
from recipes.histories import Histories, HistoryCells, history_cells, history_matrix

_SECONDS_PER_DAY = 86_400.0
#: Largest catalogue fitted with EASE (its float32 item x item matrix is 900 MB at 15k items).
EASE_MAX_ITEMS = 15_000
#: Weight of the all-time popularity prior: orders ties and users without history.
_TIE_BREAK_WEIGHT = 1e-4
#: Where :func:`serving_cache` keeps a model's derived arrays (an attribute, not a field).
_CACHE_ATTRIBUTE = "_serving_cache"
_CACHE_LOCK = threading.Lock()
#: Most cached values per model before the cache starts over.
_CACHE_ENTRIES = 64


@dataclass(frozen=True)
class PersonalizationOptions:
    """Tailor's own knobs (not AWS hyperparameters); defaults chosen on validation splits.

    Attributes:
        algorithm: ``auto`` (EASE up to ``EASE_MAX_ITEMS`` items, else ALS), ``ease`` or ``als``.
        ease_l2: EASE ridge penalty.
        als_regularization: ALS lambda.
        als_alpha: ALS confidence slope (confidence ``1 + alpha * weight``).
        als_iterations: ALS sweeps.
        recent_popularity_weight: weight of the recent-popularity prior under ``recency_mask``;
            None calibrates it at fit time (see ``personalization.fit_personalization``).
        popularity_half_life_fraction: half-life of the recent popularity, as a fraction of the
            training data's time span.
        seed: random seed (ALS initialisation).
        num_threads: fitting threads for ALS (0 = all cores).

    """

    algorithm: str = "auto"
    ease_l2: float = 300.0
    als_regularization: float = 20.0
    als_alpha: float = 1.0
    als_iterations: int = 15
    recent_popularity_weight: float | None = None
    popularity_half_life_fraction: float = 0.1
    seed: int = 0
    num_threads: int = 0


@dataclass(frozen=True)
class PersonalizationModel:
    """A fitted personalization model (arrays + a small dict of hyperparameters).

    Attributes:
        recipe: recipe name.
        algorithm: ``ease`` or ``als``.
        hyperparameters: the typed values used (JSON-serialisable).
        item_weights: float32 (n_items, n_items) EASE weights; (0, 0) for ALS.
        item_factors: float32 (n_items, f) ALS item factors; (0, 0) for EASE.
        item_gram: float32 (f, f) ``item_factors^T item_factors``; (0, 0) for EASE.
        item_popularity: float32 (n_items,) distinct users per item.
        recent_popularity: float32 (n_items,) time-decayed distinct users per item.
        item_first_seen: int64 (n_items,) creation time, else first interaction time, else
            int64 max (unknown: treated as new).
        latest_timestamp: the latest training event time (epoch seconds); item ages for
            exploration are measured from it.

    """

    recipe: str
    algorithm: str
    hyperparameters: dict[str, Any]
    item_weights: np.ndarray = field(repr=False)
    item_factors: np.ndarray = field(repr=False)
    item_gram: np.ndarray = field(repr=False)
    item_popularity: np.ndarray = field(repr=False)
    recent_popularity: np.ndarray = field(repr=False)
    item_first_seen: np.ndarray = field(repr=False)
    latest_timestamp: int = 0

    @property
    def n_items(self) -> int:
        """Catalogue size."""
        return int(self.item_popularity.shape[0])


def weighted_history(model: PersonalizationModel, histories: Histories) -> sp.csr_matrix:
    """The model's history weighting: float32 CSR (b, n_items) (recency-decayed if masked)."""
    return weighted_cells(model, histories).to_csr()


def weighted_cells(model: PersonalizationModel, histories: Histories) -> HistoryCells:
    """:func:`weighted_history` as bare CSR arrays (serving builds the history once with it)."""
    half_life = model.hyperparameters["bptt"] if model.hyperparameters["recency_mask"] else None
    return history_cells(histories, model.n_items, half_life)


def serving_cache(
    model: PersonalizationModel, key: tuple[Any, ...], build: Callable[[], Any]
) -> Any:
    """A value derived from ``model`` alone, built once per model object (thread-safe).

    Scoring calls share the model between request threads; what does not change between calls
    (the prior, the transposed factors, the fold-in system) is built by the first call that needs
    it and kept on the model object (not a dataclass field: artifacts never store it, and
    ``dataclasses.replace`` starts a fresh cache). ``key`` must hold every hyperparameter the
    value depends on, so a changed hyperparameter never reads a stale value.

    Args:
        model: the model the value is derived from.
        key: hashable key, unique per kind of value and its inputs.
        build: computes the value.

    Returns:
        The cached value.

    """
    cache = model.__dict__.get(_CACHE_ATTRIBUTE)
    if cache is None:
        with _CACHE_LOCK:
            cache = model.__dict__.get(_CACHE_ATTRIBUTE)
            if cache is None:
                cache = {}
                object.__setattr__(model, _CACHE_ATTRIBUTE, cache)
    value = cache.get(key)
    if value is None:
        with _CACHE_LOCK:
            value = cache.get(key)
            if value is None:
                if len(cache) >= _CACHE_ENTRIES:  # e.g. many exploration settings
                    cache.clear()
                value = cache[key] = build()
    return value


def prepare_serving(model: PersonalizationModel) -> None:
    """Build the per-model values of :func:`serving_cache` now rather than in the first call.

    For a server to call once after loading a model, so no request pays for them (the
    column-major factors copy 7 MB at 27,000 x 64).
    """
    model_prior(model)
    if model.algorithm == "als":
        _factors_by_column(model)
        _fold_in_base(model)


def _factors_by_column(model: PersonalizationModel) -> np.ndarray:
    """float32 (f, n_items) C-contiguous ``item_factors.T`` (no copy if already column-major).

    ``users @ item_factors.T`` on row-major factors is a transposed GEMM, which OpenBLAS runs
    2-9 times slower per user for batches of 2-16; on this layout it is a plain one.
    """
    return serving_cache(
        model, ("factors_by_column",), lambda: np.ascontiguousarray(model.item_factors.T)
    )


def _fold_in_base(model: PersonalizationModel) -> np.ndarray:
    """float64 (f, f) ``Y^T Y + lambda I``, the part of every fold-in system that is shared."""
    regularization = model.hyperparameters["als_regularization"]

    def build() -> np.ndarray:
        n_factors = model.item_gram.shape[0]
        return model.item_gram.astype(np.float64) + regularization * np.eye(n_factors)

    return serving_cache(model, ("fold_in_base", regularization), build)


def fold_in(model: PersonalizationModel, history: HistoryCells | sp.csr_matrix) -> np.ndarray:
    """ALS user factors of each history row: ``recipes.als.fold_in_user_factors``, faster.

    The same systems as ``fold_in_user_factors``, with the shared part cached per model, solved
    by Cholesky (LAPACK ``dposv``: they are symmetric positive definite), which costs about
    half of ``np.linalg.solve``'s LU and its wrapper; the factors agree to float64 rounding.

    Args:
        model: a fitted ALS model.
        history: (b, n_items) weighted history cells or CSR.

    Returns:
        float32 (b, f); zero rows for empty histories.

    """
    base = _fold_in_base(model)
    alpha = model.hyperparameters["als_alpha"]
    indptr, indices, data = history.indptr, history.indices, history.data
    user_factors = np.zeros((history.shape[0], base.shape[0]), np.float32)
    for row in np.flatnonzero(indptr[1:] > indptr[:-1]).tolist():
        start, end = indptr[row], indptr[row + 1]
        rows = model.item_factors[indices[start:end]].astype(np.float64)
        confidence = 1.0 + alpha * data[start:end].astype(np.float64)
        system = (rows.T * (confidence - 1.0)) @ rows
        system += base
        target = rows.T @ confidence
        # The system is symmetric, so its transpose is the Fortran-ordered array LAPACK takes.
        _, solution, info = lapack.dposv(system.T, target, overwrite_a=1, overwrite_b=1)
        if info != 0:  # not positive definite (lambda 0 and degenerate factors): LU it is
            solution = np.linalg.solve(base + (rows.T * (confidence - 1.0)) @ rows, target)
        user_factors[row] = solution
    return user_factors


def _ease_scores(weights: np.ndarray, history: HistoryCells | sp.csr_matrix) -> np.ndarray:
    """``history @ weights`` row by row (each a small GEMV over the history's weight rows)."""
    scores = np.zeros((history.shape[0], weights.shape[1]), np.float32)
    for row in range(history.shape[0]):
        start, end = history.indptr[row], history.indptr[row + 1]
        if start < end:
            np.dot(history.data[start:end], weights[history.indices[start:end]], out=scores[row])
    return scores


def core_scores(model: PersonalizationModel, history: HistoryCells | sp.csr_matrix) -> np.ndarray:
    """Unnormalised EASE/ALS scores: float32 (b, n_items) for a weighted history matrix."""
    if model.algorithm == "ease":
        return _ease_scores(model.item_weights, history)
    return fold_in(model, history) @ _factors_by_column(model)


def core_scores_for_items(
    model: PersonalizationModel, history: HistoryCells | sp.csr_matrix, item_codes: np.ndarray
) -> np.ndarray:
    """Unnormalised scores of ``item_codes`` (int (m,)) only: float32 (b, m)."""
    if model.algorithm == "ease":
        if isinstance(history, HistoryCells):
            history = history.to_csr()
        return score_ease_items(model.item_weights, history, item_codes)
    return fold_in(model, history) @ model.item_factors[item_codes].T


def core_scores_reference(model: PersonalizationModel, history: sp.csr_matrix) -> np.ndarray:
    """:func:`core_scores` as first written (scipy EASE product, ``recipes.als`` fold-in)."""
    if model.algorithm == "ease":
        return score_ease(model.item_weights, history)
    users = fold_in_user_factors(
        model.item_factors,
        model.item_gram,
        history,
        model.hyperparameters["als_regularization"],
        model.hyperparameters["als_alpha"],
    )
    return users @ model.item_factors.T


def _unit(values: np.ndarray) -> np.ndarray:
    top = float(values.max()) if values.size else 0.0
    return (values / top if top > 0 else values * 0).astype(np.float32)


def popularity_prior(model: PersonalizationModel, recent_weight: float | None = None) -> np.ndarray:
    """The prior added to every score row: float32 (n_items,).

    ``1e-4 * popularity / max`` (orders ties and empty histories) plus, under ``recency_mask``,
    ``recent_weight * recent_popularity / max``.

    Args:
        model: a fitted model.
        recent_weight: overrides the model's ``recent_popularity_weight`` (calibration).

    Returns:
        float32 (n_items,), a new array.

    """
    prior = _TIE_BREAK_WEIGHT * _unit(model.item_popularity)
    if model.hyperparameters["recency_mask"]:
        if recent_weight is None:
            recent_weight = model.hyperparameters["recent_popularity_weight"]
        prior += np.float32(recent_weight) * _unit(model.recent_popularity)
    return prior


def model_prior(model: PersonalizationModel) -> np.ndarray:
    """:func:`popularity_prior` at the model's own weight, cached per model: read only."""
    key = (
        "prior",
        model.hyperparameters["recency_mask"],
        model.hyperparameters["recent_popularity_weight"],
    )
    return serving_cache(model, key, lambda: popularity_prior(model))


def score_cells(model: PersonalizationModel, history: HistoryCells | sp.csr_matrix) -> np.ndarray:
    """:func:`score_histories` of an already weighted history: float32 (b, n_items), new."""
    scores = scale_rows_to_unit(core_scores(model, history))
    scores += model_prior(model)
    return scores


def score_histories(model: PersonalizationModel, histories: Histories) -> np.ndarray:
    """Score every item for each history (the function serving and evaluation both use).

    Args:
        model: a fitted model.
        histories: b histories (item codes, -1 for items unknown to the model).

    Returns:
        float32 (b, n_items): normalised core scores plus the popularity prior.

    """
    return score_cells(model, weighted_cells(model, histories))


def score_histories_reference(model: PersonalizationModel, histories: Histories) -> np.ndarray:
    """:func:`score_histories` as first written (nothing cached, scipy history), for tests."""
    half_life = model.hyperparameters["bptt"] if model.hyperparameters["recency_mask"] else None
    history = history_matrix(histories, model.n_items, half_life)
    scores = scale_rows_to_unit(core_scores_reference(model, history))
    scores += popularity_prior(model)
    return scores


def scale_rows_to_unit(scores: np.ndarray) -> np.ndarray:
    """Divide each row by its largest absolute value (all-zero rows stay zero), in place.

    Args:
        scores: float32 (b, n), modified in place.

    Returns:
        ``scores``.

    """
    if scores.size == 0:
        return scores
    # max |x| as max(max x, -min x): two reductions instead of an (b, n) temporary.
    scale = np.maximum(scores.max(axis=1), -scores.min(axis=1))[:, np.newaxis]
    np.divide(scores, np.where(scale > 0, scale, 1), out=scores)
    return scores


def exploration_freshness(model: PersonalizationModel, item_age_cut_off_days: float) -> np.ndarray:
    """Freshness of each item: ``1 - age / cut_off`` for items younger than the cut-off, else 0.

    Age is measured from the latest training event to the item's creation (or first
    interaction); items of unknown age count as brand new.

    Args:
        model: a fitted model.
        item_age_cut_off_days: ``explorationItemAgeCutOff`` (> 0).

    Returns:
        float32 (n_items,) in [0, 1].

    """
    age_seconds = np.maximum(model.latest_timestamp - model.item_first_seen, 0)
    ratio = age_seconds / (item_age_cut_off_days * _SECONDS_PER_DAY)
    return np.clip(1.0 - ratio, 0.0, 1.0).astype(np.float32)
