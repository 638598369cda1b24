"""Top-k selection over score rows, with exclusions and candidate masks.

Every recipe's ``recommend`` ends here, so filter semantics are the same everywhere: an excluded or
masked-out item is never returned, and rows with fewer than k eligible items are padded with code
-1 and score NaN.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp


def mask_scores(
    scores: np.ndarray,
    excluded: sp.csr_matrix | None = None,
    candidate_mask: np.ndarray | None = None,
) -> np.ndarray:
    """Set the scores of ineligible items to -inf, in place.

    Args:
        scores: float32 (b, n) scores, modified in place.
        excluded: CSR (b, n); every stored cell is excluded (e.g. the user's history).
        candidate_mask: bool (n,) or (b, n); False cells are excluded (e.g. a filter's result).

    Returns:
        ``scores``.

    """
    if excluded is not None and excluded.nnz:
        rows = np.repeat(np.arange(excluded.shape[0]), np.diff(excluded.indptr))
        scores[rows, excluded.indices] = -np.inf
    if candidate_mask is not None:
        mask = np.asarray(candidate_mask, bool)
        scores[np.broadcast_to(~mask, scores.shape)] = -np.inf
    return scores


def top_k_rows(
    scores: np.ndarray,
    k: int,
    excluded: sp.csr_matrix | None = None,
    candidate_mask: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """The k best items of each row, best first.

    Uses ``argpartition`` then sorts only the k winners: O(n + k log k) per row. Among equal
    scores the lower code comes first (at the k-th boundary the pick among ties is arbitrary).

    Args:
        scores: float32 (b, n) scores; not modified.
        k: items per row (> 0).
        excluded: CSR (b, n) of excluded cells, or None.
        candidate_mask: bool (n,) or (b, n) of allowed items, or None.

    Returns:
        ``(codes, top_scores)``: int32 (b, k) item codes padded with -1, float32 (b, k) scores
        padded with NaN.

    """
    scores = np.array(scores, dtype=np.float32, copy=True, ndmin=2)
    mask_scores(scores, excluded, candidate_mask)
    n_rows, n_items = scores.shape
    width = min(k, n_items)
    if width < n_items:
        picked = np.argpartition(-scores, width - 1, axis=1)[:, :width]
    else:
        picked = np.broadcast_to(np.arange(n_items), (n_rows, n_items))
    picked_scores = np.take_along_axis(scores, picked, axis=1)
    order = np.lexsort((picked, -picked_scores), axis=1)
    codes = np.take_along_axis(picked, order, axis=1).astype(np.int32)
    top_scores = np.take_along_axis(picked_scores, order, axis=1)
    invalid = ~np.isfinite(top_scores)
    codes[invalid] = -1
    top_scores[invalid] = np.nan
    if width < k:
        codes = np.pad(codes, ((0, 0), (0, k - width)), constant_values=-1)
        top_scores = np.pad(top_scores, ((0, 0), (0, k - width)), constant_values=np.nan)
    return codes, top_scores


def top_k_rows_reference(
    scores: np.ndarray,
    k: int,
    excluded: sp.csr_matrix | None = None,
    candidate_mask: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Slow, obviously correct :func:`top_k_rows` (full sort of every row), for tests."""
    scores = np.array(scores, dtype=np.float32, copy=True, ndmin=2)
    excluded_dense = None if excluded is None else excluded.toarray() != 0
    codes = np.full((scores.shape[0], k), -1, np.int32)
    top_scores = np.full((scores.shape[0], k), np.nan, np.float32)
    for row in range(scores.shape[0]):
        ranked = sorted(range(scores.shape[1]), key=lambda item: (-scores[row, item], item))
        kept = []
        for item in ranked:
            if excluded_dense is not None and excluded_dense[row, item]:
                continue
            if candidate_mask is not None:
                mask = np.asarray(candidate_mask, bool)
                if not (mask[item] if mask.ndim == 1 else mask[row, item]):
                    continue
            if np.isfinite(scores[row, item]):
                kept.append(item)
        kept = kept[:k]
        codes[row, : len(kept)] = kept
        top_scores[row, : len(kept)] = scores[row, kept]
    return codes, top_scores
