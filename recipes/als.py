"""Implicit-feedback ALS (Hu, Koren, Volinsky 2008) with least-squares fold-in.

Fit uses ``implicit``'s CPU solver. A history weight ``w`` becomes confidence ``c = 1 + alpha * w``
with preference 1; unobserved items have confidence 1 and preference 0. Only the item factors are
kept: a user's factors are solved from their history at scoring time (fold-in),

    x_u = (Y^T Y + lambda I + sum_j (c_j - 1) y_j y_j^T)^-1 sum_j c_j y_j,

which is exactly the user step of training, so scores for training users, unseen users and users
with new events all come from the same equation. Cost per user: O(m f^2 + f^3) for m history items
and f factors, independent of the catalogue size.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

# Imported with this module, not at fit time: threadpoolctl only limits libraries already
# loaded when a limit is entered, and implicit's solver brings OpenMP, so a caller's
# ``threadpool_limits`` (the trainer's TAILOR_TRAINER_THREADS) must find it loaded.
from implicit.cpu.als import AlternatingLeastSquares
from threadpoolctl import threadpool_limits


def fit_als_item_factors(
    matrix: sp.csr_matrix,
    factors: int,
    regularization: float,
    alpha: float,
    iterations: int,
    seed: int = 0,
    num_threads: int = 0,
) -> np.ndarray:
    """Fit ALS and return the item factors.

    Args:
        matrix: float32 CSR (n_users, n_items) of history weights in (0, 1].
        factors: latent dimension f.
        regularization: L2 penalty lambda.
        alpha: confidence slope; confidence is ``1 + alpha * weight``.
        iterations: alternating sweeps.
        seed: random initialisation seed.
        num_threads: solver threads (0 = OpenMP's current limit: all cores unless the caller
            holds a ``threadpool_limits``).

    Returns:
        float32 (n_items, f) item factors.

    """
    confidence = matrix.astype(np.float32, copy=True)
    confidence.data = 1.0 + alpha * confidence.data
    # implicit's solver is multithreaded itself; BLAS threads on top only contend (and implicit
    # warns when it is constructed with a BLAS thread pool).
    with threadpool_limits(1, "blas"):
        model = AlternatingLeastSquares(
            factors=factors,
            regularization=regularization,
            alpha=1.0,
            iterations=iterations,
            random_state=seed,
            num_threads=num_threads,
            calculate_training_loss=False,
        )
        model.fit(confidence, show_progress=False)
    return np.ascontiguousarray(model.item_factors, dtype=np.float32)


def factor_gram(item_factors: np.ndarray) -> np.ndarray:
    """``Y^T Y``: float32 (f, f), precomputed once per model (it costs O(n_items f^2))."""
    return (item_factors.T.astype(np.float64) @ item_factors).astype(np.float32)


def fold_in_user_factors(
    item_factors: np.ndarray,
    gram: np.ndarray,
    history: sp.csr_matrix,
    regularization: float,
    alpha: float,
) -> np.ndarray:
    """Solve each history row's user factors against fixed item factors.

    Args:
        item_factors: float32 (n_items, f).
        gram: float32 (f, f) from :func:`factor_gram`.
        history: float32 CSR (b, n_items) history weights in (0, 1].
        regularization: the fit's lambda.
        alpha: the fit's confidence slope.

    Returns:
        float32 (b, f); zero rows for empty histories.

    """
    n_factors = item_factors.shape[1]
    base = gram.astype(np.float64) + regularization * np.eye(n_factors)
    user_factors = np.zeros((history.shape[0], n_factors), np.float32)
    for row in range(history.shape[0]):
        start, end = history.indptr[row], history.indptr[row + 1]
        if start == end:
            continue
        rows = item_factors[history.indices[start:end]].astype(np.float64)
        confidence = 1.0 + alpha * history.data[start:end].astype(np.float64)
        system = base + (rows.T * (confidence - 1.0)) @ rows
        user_factors[row] = np.linalg.solve(system, rows.T @ confidence)
    return user_factors


def fold_in_reference(
    item_factors: np.ndarray, history_row: np.ndarray, regularization: float, alpha: float
) -> np.ndarray:
    """Slow, obviously correct fold-in of one user: the dense weighted least-squares problem.

    Minimises ``sum_i c_i (p_i - x . y_i)^2 + lambda |x|^2`` over all items, with ``c_i = 1 +
    alpha w_i`` and ``p_i = [w_i > 0]``.

    Args:
        item_factors: float32 (n_items, f).
        history_row: float32 (n_items,) dense history weights.
        regularization: lambda.
        alpha: confidence slope.

    Returns:
        float32 (f,).

    """
    factors = item_factors.astype(np.float64)
    confidence = 1.0 + alpha * history_row.astype(np.float64)
    preference = (history_row > 0).astype(np.float64)
    system = factors.T @ (confidence[:, np.newaxis] * factors)
    system += regularization * np.eye(factors.shape[1])
    return np.linalg.solve(system, factors.T @ (confidence * preference)).astype(np.float32)
