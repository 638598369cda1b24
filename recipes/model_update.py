"""``trainingMode=UPDATE``: refresh a fitted personalization model with new items and events.

An update keeps what the base model learned about its items and adds what the new data says
about items it has not seen, without a full refit:

* ALS: the known items' factors stay. One user half-step (users' factors solved against the
  fixed item factors, new items contributing nothing yet) is followed by one item half-step for
  the new items only: exactly the ALS item step of training,

      y_j = (X^T X + lambda I + sum_u (c_uj - 1) x_u x_u^T)^-1 sum_u c_uj x_u.

  The users of new items are solved exactly; the others only enter through ``X^T X``, estimated
  from a sample of them (:data:`XTX_SAMPLED_USERS`, scaled up). Cost: O((takers + sample)
  f^3) instead of the fit's 2 x iterations sweeps over every user and item.
* EASE: the known items' block of ``B`` stays. A new item's column (how a history predicts it)
  and row (how it predicts the others) are the diagonal-ridge approximation of EASE's regression,
  ``N_ij = G_ij / (G_ii + l2)`` with ``G = X^T X``, scaled by the least-squares factor that maps
  ``N`` onto the known block of ``B``. Exact EASE would re-invert the (n_items x n_items) Gram
  matrix, the O(n^3) cost of a full fit; the approximation ignores correlations between
  predictors, which is why it is rescaled on the known block. Cost: O(nnz of the new columns of
  ``G``) plus a copy of ``B``.

Both refresh the popularity arrays and item ages from all events, so new items without events
are still reached by exploration and the popularity prior. The base's hyperparameters are kept,
except a calibrated recent-popularity prior weight, which is calibrated again on a trial update
(``personalization``'s calibration, reused through its module-private function until it is
public).
"""

from __future__ import annotations

import dataclasses
import functools

import numpy as np
import scipy.sparse as sp
from threadpoolctl import threadpool_limits

from recipes.als import factor_gram
from recipes.interactions import (
    Interactions,
    interaction_matrix,
    time_decay_weights,
    user_history_length_mask,
)
from recipes.metrics import aws_split

# Module-private in recipes.personalization; see the module docstring.
from recipes.personalization import _calibrate_prior_weight
from recipes.personalization_model import EASE_MAX_ITEMS, PersonalizationModel

#: Known-item columns sampled to fit the EASE extension's scale factor.
_SCALE_SAMPLE_COLUMNS = 2048
#: Users without new items solved to estimate the ALS item step's ``X^T X``.
XTX_SAMPLED_USERS = 8192
#: Users whose newest events calibrate the prior weight (as ``fit_personalization``).
_CALIBRATION_USERS = 2000


class ModelUpdateError(ValueError):
    """The base model cannot be updated (the message says why and what to do instead)."""


def new_als_item_factors(
    item_factors: np.ndarray,
    confidence: sp.csr_matrix,
    n_known: int,
    regularization: float,
    num_threads: int = 0,
    *,
    sampled_users: int | None = XTX_SAMPLED_USERS,
    seed: int = 0,
) -> np.ndarray:
    """Factors of the items from ``n_known`` on: one user half-step, then one item half-step.

    The users of new items get their factors solved exactly; the other users only enter the
    item step through ``X^T X``, which is estimated from ``sampled_users`` of them (scaled up;
    unbiased) when there are more.

    Args:
        item_factors: float32 (n_known, f) the known items' factors (kept).
        confidence: float32 CSR (n_users, n_items) confidences ``1 + alpha * weight``.
        n_known: number of known items; columns from it on are new.
        regularization: the fit's lambda.
        num_threads: solver threads (0 = all cores).
        sampled_users: users without new items solved for ``X^T X``; None solves them all.
        seed: the sample's seed.

    Returns:
        float32 (n_items - n_known, f); zero rows for new items without events.

    """
    from implicit.cpu.als import AlternatingLeastSquares

    n_items, n_factors = confidence.shape[1], item_factors.shape[1]
    if n_items == n_known:
        return np.zeros((0, n_factors), np.float32)
    new_columns = confidence[:, n_known:].tocsc()
    takes_new = np.bincount(new_columns.indices, minlength=confidence.shape[0]) > 0
    takers, others = np.flatnonzero(takes_new), np.flatnonzero(~takes_new)
    scale = 1.0
    if sampled_users is not None and others.size > sampled_users:
        scale = others.size / sampled_users
        others = np.sort(np.random.default_rng(seed).choice(others, sampled_users, False))
    padded = np.zeros((n_items, n_factors), np.float32)
    padded[:n_known] = item_factors
    # implicit's solver is multithreaded itself; BLAS threads on top only contend.
    with threadpool_limits(1, "blas"):
        solver = AlternatingLeastSquares(
            factors=n_factors, regularization=regularization, alpha=1.0, num_threads=num_threads
        )
        # New items have zero factors, so they add nothing to the users' systems.
        solver.item_factors = padded
        users = np.concatenate([takers, others])
        user_factors = solver.recalculate_user(users, confidence[users]).astype(np.float64)
    taker_factors, other_factors = user_factors[: takers.size], user_factors[takers.size :]
    gram = taker_factors.T @ taker_factors + scale * (other_factors.T @ other_factors)
    gram += regularization * np.eye(n_factors)
    by_item = confidence[takers][:, n_known:].tocsc()
    factors = np.zeros((n_items - n_known, n_factors), np.float32)
    for item in range(n_items - n_known):
        start, end = by_item.indptr[item], by_item.indptr[item + 1]
        if start == end:
            continue
        rows = taker_factors[by_item.indices[start:end]]
        weights = by_item.data[start:end].astype(np.float64)
        system = gram + (rows.T * (weights - 1.0)) @ rows
        factors[item] = np.linalg.solve(system, rows.T @ weights)
    return factors


def new_als_item_factors_reference(
    item_factors: np.ndarray,
    confidence: sp.csr_matrix,
    n_known: int,
    regularization: float,
) -> np.ndarray:
    """Slow, obviously correct :func:`new_als_item_factors`: dense weighted least squares."""
    dense = confidence.toarray().astype(np.float64)
    known = item_factors.astype(np.float64)
    eye = np.eye(known.shape[1])
    users = np.zeros((dense.shape[0], known.shape[1]))
    for user, row in enumerate(dense[:, :n_known]):
        weights = np.where(row > 0, row, 1.0)  # confidence 1 where unobserved
        system = known.T @ (weights[:, np.newaxis] * known) + regularization * eye
        users[user] = np.linalg.solve(system, known.T @ (weights * (row > 0)))
    factors = []
    for column in dense[:, n_known:].T:
        weights = np.where(column > 0, column, 1.0)
        system = users.T @ (weights[:, np.newaxis] * users) + regularization * eye
        factors.append(np.linalg.solve(system, users.T @ (weights * (column > 0))))
    return np.asarray(factors, np.float32).reshape(-1, known.shape[1])


def _ridge_columns(
    matrix: sp.csr_matrix, columns: np.ndarray, denominators: np.ndarray
) -> sp.csc_matrix:
    """``G[:, columns] / (diag(G) + l2)`` row-wise with a zero diagonal: CSC (n_items, c)."""
    csc = matrix.tocsc()
    gram = (sp.diags(1.0 / denominators) @ (csc.T @ csc[:, columns])).tocoo()
    off_diagonal = gram.row != columns[gram.col]
    return sp.csc_matrix(
        (gram.data[off_diagonal], (gram.row[off_diagonal], gram.col[off_diagonal])),
        shape=gram.shape,
    )


def extend_ease_weights(
    weights: np.ndarray, matrix: sp.csr_matrix, n_known: int, l2: float, seed: int = 0
) -> np.ndarray:
    """EASE weights for ``matrix``'s catalogue: the known block kept, new rows/columns added.

    Args:
        weights: float32 (n_known, n_known) the base ``B`` (may be memory-mapped).
        matrix: float32 CSR (n_users, n_items) history weights over the aligned catalogue.
        n_known: number of known items.
        l2: the fit's ridge penalty.
        seed: sampling of the known columns that fit the scale factor.

    Returns:
        float32 (n_items, n_items) with a zero diagonal.

    Raises:
        ModelUpdateError: the catalogue has grown past ``EASE_MAX_ITEMS``.

    """
    n_items = matrix.shape[1]
    if n_items > EASE_MAX_ITEMS:
        raise ModelUpdateError(
            f"the catalogue grew to {n_items} items, more than EASE's {EASE_MAX_ITEMS}; "
            "train a FULL version (it switches to ALS)"
        )
    extended = np.zeros((n_items, n_items), np.float32)
    extended[:n_known, :n_known] = weights
    if n_items == n_known:
        return extended
    squares = matrix.multiply(matrix)
    denominators = np.asarray(squares.sum(axis=0), np.float64).ravel() + l2
    scale = _ease_scale(weights, matrix, denominators[:n_known], n_known, seed)
    new = np.arange(n_known, n_items)
    columns = _ridge_columns(matrix, new, denominators)  # predictors of each new item
    extended[:, n_known:] = scale * columns.toarray()
    # G is symmetric, so G[new, :] / (G_new,new + l2) is columns' transpose re-scaled.
    rows = sp.diags(1.0 / denominators[new]) @ (sp.diags(denominators) @ columns).T
    rows = rows.toarray()
    extended[n_known:, :] = scale * rows
    extended[new, new] = 0.0
    return extended


def _ease_scale(
    weights: np.ndarray, matrix: sp.csr_matrix, denominators: np.ndarray, n_known: int, seed: int
) -> float:
    """Least-squares factor mapping the diagonal-ridge weights onto sampled known columns."""
    if n_known < 2:
        return 1.0
    rng = np.random.default_rng(seed)
    sample = np.arange(n_known)
    if n_known > _SCALE_SAMPLE_COLUMNS:
        sample = np.sort(rng.choice(n_known, _SCALE_SAMPLE_COLUMNS, replace=False))
    known = matrix[:, :n_known]
    ridge = _ridge_columns(known.tocsr(), sample, denominators).toarray()
    target = np.asarray(weights[:, sample], np.float64)
    norm = float(np.sum(ridge * ridge))
    if norm <= 0.0:
        return 1.0
    scale = float(np.sum(ridge * target)) / norm
    return scale if scale > 0.0 else 1.0


def extend_ease_weights_reference(
    weights: np.ndarray, matrix: sp.csr_matrix, n_known: int, l2: float
) -> np.ndarray:
    """Slow, obviously correct :func:`extend_ease_weights` (dense Gram, every known column)."""
    dense = matrix.toarray().astype(np.float64)
    gram = dense.T @ dense
    ridge = gram / (np.diag(gram) + l2)[:, np.newaxis]
    np.fill_diagonal(ridge, 0.0)
    known = ridge[:n_known, :n_known]
    norm = float(np.sum(known * known))
    scale = float(np.sum(known * weights)) / norm if norm > 0 else 1.0
    scale = scale if scale > 0 else 1.0
    extended = scale * ridge
    extended[:n_known, :n_known] = weights
    return extended.astype(np.float32)


def _popularity(events: Interactions, half_life: float) -> tuple[np.ndarray, np.ndarray, int]:
    """(distinct users per item, time-decayed users per item, latest event time)."""
    latest = int(events.timestamps.max()) if len(events) else 0
    decayed = interaction_matrix(events, time_decay_weights(events.timestamps, latest, half_life))
    ones = interaction_matrix(events, np.ones(len(events), np.float32))
    distinct = np.diff(ones.tocsc().indptr).astype(np.float32)
    return distinct, np.asarray(decayed.sum(axis=0), np.float32).ravel(), latest


def update_personalization(
    model: PersonalizationModel,
    interactions: Interactions,
    *,
    item_creation_timestamps: np.ndarray | None = None,
    num_threads: int = 0,
    seed: int = 0,
) -> PersonalizationModel:
    """Refresh ``model`` with all current events over a catalogue that may have grown.

    When the base calibrated its recent-popularity prior weight, the update calibrates it again
    much as ``fit_personalization`` does (events of up to 2,000 users held out of a trial
    update, the weight of ``PRIOR_WEIGHT_GRID`` that ranks them best kept), so new
    items that are catching on are recommended as a full refit would. Unlike the fit, it holds out
    only each test user's newest event, and draws test users among those with events after the
    base's data: the base's core learned from older events, which would make it look better than
    it is. Calibrating costs one extra update, not a fit.

    Args:
        model: the base model (its items are codes ``0 .. model.n_items - 1``).
        interactions: every training event, item codes aligned so that the model's items keep
            theirs (``recipes.catalogue_alignment``); ``n_items >= model.n_items``.
        item_creation_timestamps: int64 (n_items,) creation times, negative = unknown.
        num_threads: ALS solver threads (0 = all cores).
        seed: calibration split and EASE scale-factor sampling.

    Returns:
        The updated model over ``interactions.n_items`` items.

    Raises:
        ModelUpdateError: the catalogue shrank, or outgrew EASE.

    """
    n_known, n_items = model.n_items, interactions.n_items
    if n_items < n_known:
        raise ModelUpdateError(f"the catalogue has {n_items} items, the base model {n_known}")
    hyperparameters = dict(model.hyperparameters)
    kept = interactions.select(
        user_history_length_mask(
            interactions,
            hyperparameters["min_user_history_length_percentile"],
            hyperparameters["max_user_history_length_percentile"],
        )
    )
    core_of = functools.partial(_core, model, num_threads=num_threads, seed=seed)
    created = item_creation_timestamps
    assemble = functools.partial(_assemble, model, item_creation_timestamps=created)
    if hyperparameters["recency_mask"] and hyperparameters.get(
        "recent_popularity_weight_calibrated"
    ):
        calibrating = _users_with_events_after(kept, model.latest_timestamp)
        lengths = np.bincount(kept.user_codes[calibrating])
        eligible = int(np.count_nonzero(lengths >= 2))
        if eligible:
            # A holdout fraction this small holds out exactly each test user's newest event.
            split = aws_split(
                kept.select(calibrating),
                test_user_fraction=min(0.1, _CALIBRATION_USERS / eligible),
                holdout_fraction=0.49 / int(lengths.max()),
                seed=seed,
            )
            held_out = np.zeros(len(kept), bool)
            held_out[np.flatnonzero(calibrating)] = split.held_out_events
            trial_events = kept.select(~held_out)
            trial_core = core_of(trial_events, hyperparameters)
            trial = assemble(trial_core, trial_events, hyperparameters)
            # Unlike the fit, the trial's core is not reused: the held-out events are the newest,
            # the ones an update is for.
            hyperparameters["recent_popularity_weight"] = _calibrate_prior_weight(trial, split)
    return assemble(core_of(kept, hyperparameters), interactions, hyperparameters)


def _users_with_events_after(events: Interactions, base_latest: int) -> np.ndarray:
    """Mask (bool (n,)) of the events of users with an event after the base's latest one."""
    after = np.zeros(events.n_users, bool)
    after[events.user_codes[events.timestamps > base_latest]] = True
    return after[events.user_codes]


def _core(
    model: PersonalizationModel,
    core_events: Interactions,
    hyperparameters: dict,
    *,
    num_threads: int,
    seed: int,
) -> dict[str, np.ndarray]:
    """The EASE or ALS arrays of ``model`` extended on ``core_events``."""
    n_known = model.n_items
    matrix = interaction_matrix(core_events)
    empty = np.zeros((0, 0), np.float32)
    if model.algorithm == "ease":
        weights = extend_ease_weights(
            model.item_weights, matrix, n_known, hyperparameters["ease_l2"], seed
        )
        return {"item_weights": weights, "item_factors": empty, "item_gram": empty}
    confidence = matrix.copy()
    confidence.data = 1.0 + hyperparameters["als_alpha"] * confidence.data
    known = np.asarray(model.item_factors, np.float32)
    regularization = hyperparameters["als_regularization"]
    added = new_als_item_factors(known, confidence, n_known, regularization, num_threads, seed=seed)
    factors = np.concatenate([known, added])
    return {"item_weights": empty, "item_factors": factors, "item_gram": factor_gram(factors)}


def _assemble(
    model: PersonalizationModel,
    core: dict[str, np.ndarray],
    events: Interactions,
    hyperparameters: dict,
    *,
    item_creation_timestamps: np.ndarray | None,
) -> PersonalizationModel:
    """``model`` with ``core``, and popularity and item ages from ``events``."""
    n_known, n_items = model.n_items, events.n_items
    half_life = float(hyperparameters["popularity_half_life_seconds"])
    distinct, recent, latest = _popularity(events, half_life)
    first_seen = np.full(n_items, np.iinfo(np.int64).max, np.int64)
    np.minimum.at(first_seen, events.item_codes, events.timestamps)
    if item_creation_timestamps is not None:
        created = np.asarray(item_creation_timestamps, np.int64)
        first_seen = np.where(created >= 0, created, first_seen)
    first_seen[:n_known] = np.minimum(first_seen[:n_known], model.item_first_seen)
    return dataclasses.replace(
        model,
        hyperparameters=hyperparameters,
        **core,
        item_popularity=distinct,
        recent_popularity=recent,
        item_first_seen=first_seen,
        latest_timestamp=max(latest, int(model.latest_timestamp)),
    )
