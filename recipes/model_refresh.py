"""Refresh an evaluation-split ALS model on all the data instead of fitting it a second time.

A FULL training fits the model on the AWS split's training users (the GetSolutionMetrics model)
and used to fit it again on every event to serve. For the ALS core the second fit is replaced by
one ALS iteration on every event, warm-started from the evaluation model's item factors:

1. user half-step: every user's factors solved against the fixed item factors,
   ``x_u = (Y^T Y + lambda I + sum_j (c_uj - 1) y_j y_j^T)^-1 sum_j c_uj y_j``;
2. item half-step: every item's factors solved against those user factors,
   ``y_i = (X^T X + lambda I + sum_u (c_ui - 1) x_u x_u^T)^-1 sum_u c_ui x_u``.

Both are solved with implicit's conjugate-gradient solver, the fit's own. The evaluation fit
keeps no user factors, so the user step starts from zero and takes :data:`USER_CG_STEPS` steps
(measured on the 1M bench data: 0.2% relative error against the exact solve at 5 steps, 0.003%
at 8); the item step starts from the evaluation model's factors and takes the fit's 3 steps
(0.24% from the exact solve). The exact Cholesky solve costs 5-7 times as much as both together
at 64 factors. The evaluation model already saw 90% of the users through 15 sweeps, so its item
factors are close to a fixed point of the full data's ALS; the held-out users and the items seen
only by them enter through the two half-steps. Cost: about 1.5 of the fit's 15 iterations.

EASE has no such warm start (its closed form re-inverts the item Gram matrix whatever the
starting point) and its catalogues are small (at most ``EASE_MAX_ITEMS``), so EASE models are
still fitted twice. The calibrated recent-popularity prior weight of the evaluation fit is kept;
popularity, item ages and the popularity half-life are recomputed on every event, exactly as a
full fit computes them. The popularity matrix of every event and the ALS matrix share one merge
of the events' cells when the events are unweighted (:func:`refresh_inputs`).
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import scipy.sparse as sp
from implicit.cpu import _als
from threadpoolctl import threadpool_limits

from recipes.als import factor_gram
from recipes.interactions import (
    Interactions,
    interaction_matrix,
    time_decay_weights,
    user_history_length_mask,
)

# Module-private in recipes.personalization: the popularity arrays exactly as a full fit
# computes them (to be made public there; that module has another owner).
from recipes.personalization import _popularity
from recipes.personalization_model import PersonalizationModel, PersonalizationOptions

#: Conjugate-gradient steps of the user half-step (from zero).
USER_CG_STEPS = 6
#: Conjugate-gradient steps of the item half-step (from the evaluation model; the fit's number).
ITEM_CG_STEPS = 3


def refresh_als_item_factors(
    item_factors: np.ndarray,
    confidence: sp.csr_matrix,
    regularization: float,
    num_threads: int = 0,
    *,
    user_cg_steps: int = USER_CG_STEPS,
    item_cg_steps: int = ITEM_CG_STEPS,
) -> np.ndarray:
    """One ALS iteration (user half-step, then item half-step) from ``item_factors``.

    Args:
        item_factors: float32 (n_items, f) the warm start (not modified).
        confidence: float32 CSR (n_users, n_items) confidences ``1 + alpha * weight``.
        regularization: the fit's lambda.
        num_threads: solver threads (0 = OpenMP's current limit).
        user_cg_steps: CG steps of the user half-step, which starts from zero (f steps solve
            it exactly, up to rounding).
        item_cg_steps: CG steps of the item half-step, which starts from ``item_factors``.

    Returns:
        float32 (n_items, f) the refreshed item factors; items without events move toward zero.

    Raises:
        ValueError: the factor and confidence shapes disagree.

    """
    n_users, n_items = confidence.shape
    if item_factors.shape[0] != n_items:
        raise ValueError(f"{item_factors.shape[0]} item factors for {n_items} matrix columns")
    items = np.array(item_factors, dtype=np.float32, order="C", copy=True)
    users = np.zeros((n_users, items.shape[1]), np.float32)
    by_user = sp.csr_matrix(confidence, dtype=np.float32)
    by_user.sort_indices()
    by_item = by_user.T.tocsr()
    # implicit's solver is multithreaded itself; BLAS threads on top only contend.
    with threadpool_limits(1, "blas"):
        _als.least_squares_cg(
            by_user, users, items, regularization, num_threads=num_threads, cg_steps=user_cg_steps
        )
        _als.least_squares_cg(
            by_item, items, users, regularization, num_threads=num_threads, cg_steps=item_cg_steps
        )
    return items


def refresh_als_item_factors_reference(
    item_factors: np.ndarray, confidence: sp.csr_matrix, regularization: float
) -> np.ndarray:
    """Slow, obviously correct :func:`refresh_als_item_factors`: dense weighted least squares.

    Solves both half-steps exactly, as the fast path does with f CG steps each.

    Args:
        item_factors: float32 (n_items, f).
        confidence: float32 CSR (n_users, n_items) confidences (stored cells are observed).
        regularization: lambda.

    Returns:
        float32 (n_items, f).

    """
    observed = confidence.toarray() > 0
    weights = np.where(observed, confidence.toarray(), 1.0).astype(np.float64)
    eye = np.eye(item_factors.shape[1])

    def solve(fixed: np.ndarray, weights: np.ndarray, observed: np.ndarray) -> np.ndarray:
        rows = []
        for row_weights, row_observed in zip(weights, observed, strict=True):
            system = fixed.T @ (row_weights[:, np.newaxis] * fixed) + regularization * eye
            rows.append(np.linalg.solve(system, fixed.T @ (row_weights * row_observed)))
        return np.asarray(rows).reshape(-1, fixed.shape[1])

    users = solve(item_factors.astype(np.float64), weights, observed)
    return solve(users, weights.T, observed.T).astype(np.float32)


def refresh_personalization(
    model: PersonalizationModel,
    interactions: Interactions,
    *,
    item_creation_timestamps: np.ndarray | None = None,
    options: PersonalizationOptions | None = None,
) -> PersonalizationModel:
    """The ALS ``model`` fitted on a subset of ``interactions``, refreshed on all of them.

    The core gets one ALS iteration on the events a full fit would fit (the same
    history-length percentiles); popularity, item ages and the popularity half-life come from
    every event; the other hyperparameters, the calibrated prior weight included, are kept.

    Args:
        model: an ALS personalization model fitted on a subset of ``interactions``, over the same
            user and item codes (``aws_split``'s ``train`` keeps them).
        interactions: every training event.
        item_creation_timestamps: int64 (n_items,) creation times, negative = unknown.
        options: the knobs the model was fitted with (popularity half-life fraction, threads);
            None uses the defaults, as ``fit_recipe`` does.

    Returns:
        The refreshed model, over the same items.

    Raises:
        ValueError: ``model`` is not ALS, or its catalogue differs from ``interactions``'.

    """
    if model.algorithm != "als":
        raise ValueError(f"only ALS models are refreshed, not {model.algorithm}")
    if model.n_items != interactions.n_items:
        raise ValueError(f"model has {model.n_items} items, the events {interactions.n_items}")
    options = options or PersonalizationOptions()
    hyperparameters = dict(model.hyperparameters)
    confidence, popularity = refresh_inputs(
        interactions,
        hyperparameters["min_user_history_length_percentile"],
        hyperparameters["max_user_history_length_percentile"],
        options.popularity_half_life_fraction,
    )
    confidence.data = 1.0 + hyperparameters["als_alpha"] * confidence.data
    factors = refresh_als_item_factors(
        np.asarray(model.item_factors, np.float32),
        confidence,
        hyperparameters["als_regularization"],
        options.num_threads,
    )
    del confidence
    hyperparameters["popularity_half_life_seconds"] = float(popularity.pop("half_life"))
    hyperparameters["core_held_out_events"] = 0
    hyperparameters["core_refreshed"] = True
    first_seen = np.full(interactions.n_items, np.iinfo(np.int64).max, np.int64)
    np.minimum.at(first_seen, interactions.item_codes, interactions.timestamps)
    if item_creation_timestamps is not None:
        created = np.asarray(item_creation_timestamps, np.int64)
        first_seen = np.where(created >= 0, created, first_seen)
    return dataclasses.replace(
        model,
        hyperparameters=hyperparameters,
        item_factors=factors,
        item_gram=factor_gram(factors),
        item_first_seen=first_seen,
        **popularity,
    )


def refresh_inputs(
    interactions: Interactions,
    low_percentile: float,
    high_percentile: float,
    half_life_fraction: float,
) -> tuple[sp.csr_matrix, dict[str, Any]]:
    """The refresh's interaction matrix and popularity arrays, sharing one cell merge.

    Popularity needs every (user, item) cell of all events (time-decayed); the ALS matrix needs
    the cells of the users the history-length percentiles keep, each with its largest event
    weight. The percentiles keep or drop whole users, so when every event has the same weight
    (no ``eventsConfig`` weighting: the common case) the ALS matrix is the popularity matrix's
    kept rows with that weight, and the second merge of all events (a sort of every event)
    is not needed. Otherwise it is built as :func:`refresh_inputs_reference` builds it.

    Args:
        interactions: every training event.
        low_percentile: ``min_user_history_length_percentile``.
        high_percentile: ``max_user_history_length_percentile``.
        half_life_fraction: the popularity half-life as a fraction of the events' time span.

    Returns:
        ``(weights, popularity)``: float32 CSR (n_users, n_items) the largest weight of each
        kept user's (user, item) cell, sorted columns; and ``item_popularity``,
        ``recent_popularity``, ``latest_timestamp`` and ``half_life`` exactly as
        ``recipes.personalization`` computes them for a full fit.

    """
    kept_events = user_history_length_mask(interactions, low_percentile, high_percentile)
    weights = interactions.weights
    if len(interactions) == 0 or not (weights == weights[0]).all():
        return interaction_matrix(interactions.select(kept_events)), _popularity(
            interactions, half_life_fraction
        )
    latest = int(interactions.timestamps.max())
    earliest = int(interactions.timestamps.min())
    half_life = max(1.0, (latest - earliest) * half_life_fraction)
    decayed = interaction_matrix(
        interactions, time_decay_weights(interactions.timestamps, latest, half_life)
    )
    # As recipes.personalization._popularity: every cell is stored (decayed weights are never
    # dropped as zeros), so column counts are distinct users.
    popularity = {
        "item_popularity": np.bincount(decayed.indices, minlength=interactions.n_items).astype(
            np.float32
        ),
        "recent_popularity": np.asarray(decayed.sum(axis=0), np.float32).ravel(),
        "latest_timestamp": latest,
        "half_life": half_life,
    }
    keep_user = np.zeros(interactions.n_users, bool)
    keep_user[interactions.user_codes[kept_events]] = True
    row_lengths = np.diff(decayed.indptr)
    in_kept_row = np.repeat(keep_user, row_lengths)
    indptr = np.zeros(interactions.n_users + 1, np.int64)
    np.cumsum(np.where(keep_user, row_lengths, 0), out=indptr[1:])
    indices = decayed.indices[in_kept_row]
    del decayed
    data = np.full(indices.size, weights[0], np.float32)
    shape = (interactions.n_users, interactions.n_items)
    matrix = sp.csr_matrix((data, indices, indptr), shape=shape)
    matrix.has_sorted_indices = True
    return matrix, popularity


def refresh_inputs_reference(
    interactions: Interactions,
    low_percentile: float,
    high_percentile: float,
    half_life_fraction: float,
) -> tuple[sp.csr_matrix, dict[str, Any]]:
    """Slow, obviously correct :func:`refresh_inputs`: each built on its own."""
    kept = interactions.select(
        user_history_length_mask(interactions, low_percentile, high_percentile)
    )
    return interaction_matrix(kept), _popularity(interactions, half_life_fraction)
