"""The personalization model and how it scores a history (shared by every personalization recipe).

Score of item i for a history h (the same in training metrics and serving)::

    s = core(h) / max|core(h)|  +  1e-4 * pop / max(pop)  [+ gamma * recent / max(recent)]

``core`` is EASE (``history @ B``) or ALS (fold-in, then ``x_u @ Y^T``). ``pop`` (distinct users)
orders ties and empty histories. With ``recency_mask`` the history is weighted by
``0.5 ** (events_back / bptt)`` and the time-decayed popularity ``recent`` is added with weight
``gamma`` (``recent_popularity_weight``, calibrated at fit time by default); without it every
history event weighs 1. Fitting, exploration, ``recommend`` and ``rank`` are in
``recipes.personalization``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp

from recipes.als import fold_in_user_factors
from recipes.ease import score_ease, score_ease_items
from recipes.interactions import Histories, history_matrix

#: Largest catalogue fitted with EASE (its float32 item x item matrix is 900 MB at 15k items).
EASE_MAX_ITEMS = 15_000
#: Weight of the all-time popularity prior: orders ties and users without history.
_TIE_BREAK_WEIGHT = 1e-4


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
    half_life = model.hyperparameters["bptt"] if model.hyperparameters["recency_mask"] else None
    return history_matrix(histories, model.n_items, half_life)


def core_scores(model: PersonalizationModel, history: sp.csr_matrix) -> np.ndarray:
    """Unnormalised EASE/ALS scores: float32 (b, n_items) for a weighted history matrix."""
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


def core_scores_for_items(
    model: PersonalizationModel, history: sp.csr_matrix, item_codes: np.ndarray
) -> np.ndarray:
    """Unnormalised scores of ``item_codes`` (int (m,)) only: float32 (b, m)."""
    if model.algorithm == "ease":
        return score_ease_items(model.item_weights, history, item_codes)
    users = fold_in_user_factors(
        model.item_factors,
        model.item_gram,
        history,
        model.hyperparameters["als_regularization"],
        model.hyperparameters["als_alpha"],
    )
    return users @ model.item_factors[item_codes].T


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
        float32 (n_items,).

    """
    prior = _TIE_BREAK_WEIGHT * _unit(model.item_popularity)
    if model.hyperparameters["recency_mask"]:
        if recent_weight is None:
            recent_weight = model.hyperparameters["recent_popularity_weight"]
        prior += np.float32(recent_weight) * _unit(model.recent_popularity)
    return prior


def score_histories(model: PersonalizationModel, histories: Histories) -> np.ndarray:
    """Score every item for each history (the function serving and evaluation both use).

    Args:
        model: a fitted model.
        histories: b histories (item codes, -1 for items unknown to the model).

    Returns:
        float32 (b, n_items): normalised core scores plus the popularity prior.

    """
    scores = scale_rows_to_unit(core_scores(model, weighted_history(model, histories)))
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
