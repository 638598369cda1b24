"""The scores Amazon Personalize returns: a softmax over the items a score is relative to.

Spec §10.4: User-Personalization scores are ``exp(s_i) / sum_j exp(s_j)`` over **all** catalogue
items j (so they lie in [0, 1], sum to 1 over the catalogue, and the top ones are small for big
catalogues); Personalized-Ranking uses the same function over the input list only. ``s`` is the
recipe's ranking score (for Tailor's user-personalization model the score ``recommend`` ranks
by, exploration included), so the softmax keeps the ranking's order.

The normaliser ``log sum_j exp(s_j)`` is computed once per scored row (it needs every item's
score, which serving computes anyway to rank); the returned top-k scores are then
``exp(s_i - normaliser)``. Items excluded from the answer (history, filters) still count in the
normaliser: the scores are the model's distribution over the catalogue, not over what is left.
"""

from __future__ import annotations

import numpy as np


def log_normalisers(scores: np.ndarray) -> np.ndarray:
    """``log(sum(exp(row)))`` of each row, computed stably (max subtracted first).

    Args:
        scores: float32 or float64 (b, n) finite scores; not modified.

    Returns:
        float64 (b,) the log-sum-exp of each row (-inf for an empty row).

    """
    scores = np.asarray(scores)
    if scores.shape[-1] == 0:
        return np.full(scores.shape[0], -np.inf)
    top = scores.max(axis=1, keepdims=True)
    # exp in the scores' own precision (float32 serving rows: ~1e-7 relative, plenty for
    # probabilities, and half the memory traffic); the sum in float64. One (b, n) temporary,
    # exponentiated in place: serving runs this on every scored row.
    shifted = scores - top
    np.exp(shifted, out=shifted)
    return top[:, 0].astype(np.float64) + np.log(shifted.sum(axis=1, dtype=np.float64))


def softmax_scores(scores: np.ndarray, normalisers: np.ndarray) -> np.ndarray:
    """Scores as softmax probabilities, given each row's normaliser.

    Args:
        scores: float (b, k) scores to convert (e.g. a top-k); NaN (padding) stays NaN.
        normalisers: float64 (b,) from :func:`log_normalisers` over the rows' full scores.

    Returns:
        float64 (b, k) ``exp(scores - normaliser)``.

    """
    return np.exp(np.asarray(scores, np.float64) - np.asarray(normalisers)[:, np.newaxis])


def softmax(scores: np.ndarray) -> np.ndarray:
    """The softmax of one score vector (Personalized-Ranking's input list).

    Args:
        scores: float (c,) finite scores.

    Returns:
        float64 (c,) probabilities summing to 1 (empty for empty input).

    """
    row = np.asarray(scores, np.float64).reshape(1, -1)
    if row.shape[1] == 0:
        return np.zeros(0)
    return softmax_scores(row, log_normalisers(row))[0]


def input_list_softmax(codes: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """Personalized-Ranking's scores (spec §10.4): the softmax over the input list's known items.

    Args:
        codes: int (c,) item codes of the ranked input list, -1 for items the model does not know.
        scores: float (c,) their ranking scores, in the same order.

    Returns:
        float64 (c,) probabilities of the known items (summing to 1), NaN for unknown ones.

    """
    known = np.asarray(codes) >= 0
    probabilities = np.full(np.asarray(scores).shape[0], np.nan)
    probabilities[known] = softmax(np.asarray(scores)[known])
    return probabilities


def softmax_reference(scores: np.ndarray) -> np.ndarray:
    """The obviously correct softmax of each row, in float64 (tests compare against it).

    Args:
        scores: float (b, n) scores.

    Returns:
        float64 (b, n) ``exp(s) / sum(exp(s))`` per row.

    """
    row = np.asarray(scores, np.float64)
    exp = np.exp(row - row.max(axis=1, keepdims=True))
    return exp / exp.sum(axis=1, keepdims=True)
