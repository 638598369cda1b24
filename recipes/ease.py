"""EASE: closed-form item-item ridge regression with a zero diagonal (Steck, WWW 2019).

Fit: ``P = (X^T X + l2 I)^-1``, ``B = -P / diag(P)`` column-wise, ``diag(B) = 0``. Score: a user's
weighted history row times ``B``, so users unseen in training and events since training are
scored without refitting. Cost: O(n_items^3) time and n_items^2 float32 memory, which is why
EASE serves catalogues up to ``personalization.EASE_MAX_ITEMS`` items.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.linalg import lapack

_SYMMETRIZE_BLOCK = 2048


def item_gram(matrix: sp.csr_matrix) -> np.ndarray:
    """Dense item Gram matrix ``X^T X``.

    Args:
        matrix: float32 CSR (n_users, n_items).

    Returns:
        float32 (n_items, n_items).

    """
    matrix = matrix.astype(np.float32)
    return np.asarray((matrix.T @ matrix).toarray(), dtype=np.float32)


def fit_ease(matrix: sp.csr_matrix, l2: float) -> np.ndarray:
    """Fit the EASE item-item weights, in float32 via a Cholesky inverse.

    Args:
        matrix: float32 CSR (n_users, n_items) of (weighted) interactions.
        l2: ridge penalty (> 0); larger values shrink towards popularity-free smoothing.

    Returns:
        float32 (n_items, n_items) weights ``B`` with a zero diagonal; scores are ``x_u @ B``.

    Raises:
        np.linalg.LinAlgError: the Gram matrix plus penalty is not positive definite.

    """
    gram = item_gram(matrix)
    n_items = gram.shape[0]
    gram[np.diag_indices(n_items)] += np.float32(l2)
    factor, info = lapack.spotrf(gram, lower=1, overwrite_a=1, clean=0)
    if info != 0:
        raise np.linalg.LinAlgError(f"EASE Cholesky factorisation failed (info={info})")
    inverse, info = lapack.spotri(factor, lower=1, overwrite_c=1)
    if info != 0:
        raise np.linalg.LinAlgError(f"EASE inverse failed (info={info})")
    # spotri fills the lower triangle only; mirror it block by block to stay in place.
    for start in range(0, n_items, _SYMMETRIZE_BLOCK):
        end = min(start + _SYMMETRIZE_BLOCK, n_items)
        block = inverse[start:end, start:end]
        block[...] = np.tril(block) + np.tril(block, -1).T
        inverse[start:end, end:] = inverse[end:, start:end].T
    diagonal = inverse.diagonal().copy()
    inverse /= -diagonal[np.newaxis, :]
    inverse[np.diag_indices(n_items)] = 0.0
    return np.ascontiguousarray(inverse, dtype=np.float32)


def fit_ease_reference(matrix: sp.csr_matrix, l2: float) -> np.ndarray:
    """Slow, obviously correct :func:`fit_ease` (float64 ``np.linalg.inv``), for tests."""
    gram = (matrix.T @ matrix).toarray().astype(np.float64)
    inverse = np.linalg.inv(gram + l2 * np.eye(gram.shape[0]))
    weights = np.eye(gram.shape[0]) - inverse / np.diag(inverse)[np.newaxis, :]
    np.fill_diagonal(weights, 0.0)
    return weights.astype(np.float32)


def score_ease(weights: np.ndarray, history: sp.csr_matrix) -> np.ndarray:
    """Scores of every item for each history row.

    Args:
        weights: float32 (n_items, n_items) from :func:`fit_ease` (may be memory-mapped).
        history: float32 CSR (b, n_items) weighted histories.

    Returns:
        float32 (b, n_items).

    """
    return np.asarray(history @ weights, dtype=np.float32)


def score_ease_items(
    weights: np.ndarray, history: sp.csr_matrix, item_codes: np.ndarray
) -> np.ndarray:
    """Scores of only ``item_codes`` (int (m,)) for each history row: float32 (b, m)."""
    return np.asarray(history @ weights[:, item_codes], dtype=np.float32)
