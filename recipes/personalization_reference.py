"""``recommend`` as first written: the slow, obviously correct twin the tests and benchmarks use.

Nothing is cached, the history is built twice with scipy, and normalised scores are the full
catalogue softmax (``recipes.score_normalization.softmax_reference``) of the scores the ranking
used, picked at the returned items; ``recipes.personalization.recommend`` must agree with it.
"""

from __future__ import annotations

import numpy as np

from recipes.histories import Histories, history_matrix
from recipes.personalization_model import (
    PersonalizationModel,
    exploration_freshness,
    score_histories_reference,
)
from recipes.score_normalization import softmax_reference
from recipes.top_k import top_k_rows


def recommend_reference(
    model: PersonalizationModel,
    histories: Histories,
    k: int,
    *,
    exclude_history: bool = True,
    candidate_mask: np.ndarray | None = None,
    exploration_weight: float = 0.0,
    exploration_item_age_cut_off: float = 30.0,
    normalised_scores: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`recipes.personalization.recommend` as first written, for tests and benchmarks.

    Args:
        model: a fitted model.
        histories: b histories.
        k: items per history.
        exclude_history: leave out items already in the history.
        candidate_mask: bool (n_items,) or (b, n_items) of allowed items, or None.
        exploration_weight: ``explorationWeight`` in [0, 1]; 0 disables exploration.
        exploration_item_age_cut_off: ``explorationItemAgeCutOff`` in days.
        normalised_scores: return the spec §10.4 softmax over the whole catalogue instead of
            the ranking score.

    Returns:
        ``(codes, scores)``: int32 (b, k) item codes padded with -1; float32 (b, k) ranking
        scores, or float64 (b, k) probabilities when ``normalised_scores``; NaN padding.

    """
    scores = score_histories_reference(model, histories)
    if exploration_weight > 0:
        freshness = exploration_freshness(model, exploration_item_age_cut_off)
        scores = (1.0 - exploration_weight) * scores + exploration_weight * freshness
    excluded = history_matrix(histories, model.n_items) if exclude_history else None
    codes, top_scores = top_k_rows(scores, k, excluded, candidate_mask)
    if not normalised_scores:
        return codes, top_scores
    probabilities = softmax_reference(scores)
    picked = np.full(codes.shape, np.nan)
    for row in range(codes.shape[0]):
        for column in range(codes.shape[1]):
            if codes[row, column] >= 0:
                picked[row, column] = probabilities[row, codes[row, column]]
    return codes, picked
