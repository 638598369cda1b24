"""Item-Affinity and Item-Attribute-Affinity: the users most likely to interact with items.

Both run on a :class:`~recipes.personalization_model.PersonalizationModel` (fitted with the affinity
recipe's name) and serve batch segment jobs. A user's affinity for a set of items is the sum of
the model's unnormalised scores for those items from the user's history: the same core scores
GetRecommendations uses, without the per-user normalisation (so users are comparable) and
without the popularity prior (it is the same for every user).
"""

from __future__ import annotations

import numpy as np

from recipes.histories import Histories
from recipes.personalization_model import (
    PersonalizationModel,
    core_scores_for_items,
    weighted_history,
)

_USERS_PER_BATCH = 4096


def user_affinity(
    model: PersonalizationModel, histories: Histories, item_codes: np.ndarray
) -> np.ndarray:
    """Affinity of each history's user for the item set.

    Args:
        model: a fitted personalization model.
        histories: n_users histories (e.g. ``histories_from_interactions`` of the training data).
        item_codes: int (m,) items of the query; unknown codes (< 0) are ignored.

    Returns:
        float32 (n_users,); -inf when no query item is known.

    """
    codes = np.asarray(item_codes, np.int64)
    codes = codes[(codes >= 0) & (codes < model.n_items)]
    if codes.size == 0:
        return np.full(histories.n_rows, -np.inf, np.float32)
    affinity = np.zeros(histories.n_rows, np.float32)
    for start in range(0, histories.n_rows, _USERS_PER_BATCH):
        rows = np.arange(start, min(start + _USERS_PER_BATCH, histories.n_rows))
        history = weighted_history(model, histories.rows(rows))
        affinity[rows] = core_scores_for_items(model, history, codes).sum(axis=1)
    return affinity


def users_for_items(
    model: PersonalizationModel,
    histories: Histories,
    item_codes: np.ndarray,
    k: int,
    *,
    exclude_interacted: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """The k users with the highest affinity for the item set (a batch segment line).

    Args:
        model: a fitted personalization model.
        histories: n_users histories; row r is user code r.
        item_codes: int (m,) query items (for attribute affinity: the items having the
            attribute, see ``item_features.items_with_features``).
        k: users to return.
        exclude_interacted: leave out users who already interacted with any query item.

    Returns:
        ``(user_codes, scores)``: int32 (<= k,) best first, float32 affinities.

    """
    affinity = user_affinity(model, histories, item_codes)
    if exclude_interacted:
        query = np.zeros(model.n_items + 1, bool)
        codes = np.asarray(item_codes, np.int64)
        query[codes[(codes >= 0) & (codes < model.n_items)]] = True
        history_codes = histories.item_codes
        known = (history_codes >= 0) & (history_codes < model.n_items)
        hit = query[np.where(known, history_codes, model.n_items)]
        rows = np.repeat(np.arange(histories.n_rows), np.diff(histories.indptr))
        affinity[np.unique(rows[hit])] = -np.inf
    width = min(k, affinity.shape[0])
    if width == 0:
        return np.zeros(0, np.int32), np.zeros(0, np.float32)
    picked = np.argpartition(-affinity, width - 1)[:width]
    picked = picked[np.lexsort((picked, -affinity[picked]))]
    picked = picked[np.isfinite(affinity[picked])]
    return picked.astype(np.int32), affinity[picked]
