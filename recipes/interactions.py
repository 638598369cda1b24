"""Training input as arrays: id <-> code maps, interactions and user x item matrices.

Codes are dense ``int32`` positions into an id index (a numpy unicode array), assigned in order of
first appearance. Encoding uses ``pyarrow.compute.dictionary_encode`` (a hash table, linear time);
``np.unique`` is avoided because it sorts the whole id array. Matrices are built by one sort of a
combined (row, column) key, with duplicates merged by their largest weight. Users' histories and
the matrices scorers build from them are in ``recipes.histories`` (re-exported here).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import scipy.sparse as sp

# Histories moved to recipes.histories; re-exported for the modules that import them from here.
from recipes.histories import (
    Histories,
    HistoryCells,
    histories_from_interactions,
    histories_from_lists,
    history_cells,
    history_matrix,
    history_matrix_reference,
    max_merge_cells,
)

IdArray = Sequence[str] | np.ndarray | pa.Array | pa.ChunkedArray


def _as_arrow(ids: IdArray) -> pa.Array:
    if isinstance(ids, pa.ChunkedArray):
        return ids.combine_chunks()
    if isinstance(ids, pa.Array):
        return ids
    return pa.array(np.asarray(ids) if isinstance(ids, np.ndarray) else list(ids))


def encode_ids(ids: IdArray) -> tuple[np.ndarray, np.ndarray]:
    """Give each distinct id a dense code, in order of first appearance.

    Args:
        ids: (n,) ids (strings, or integers which are turned into their decimal strings).

    Returns:
        ``(codes, index)``: codes int32 (n,) with ``index[codes] == ids``; index (d,) numpy
        unicode array of the distinct ids.

    """
    array = _as_arrow(ids)
    if not pa.types.is_string(array.type) and not pa.types.is_large_string(array.type):
        array = pc.cast(array, pa.string())
    encoded = pc.dictionary_encode(array)
    codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int32, copy=False)
    index = np.asarray(encoded.dictionary.to_pylist(), dtype=str)
    return codes, index


def lookup_codes(ids: IdArray, index: np.ndarray) -> np.ndarray:
    """Map ids to their codes in an existing index.

    Args:
        ids: (n,) ids to look up.
        index: (d,) unicode array, the id index of a fitted model.

    Returns:
        int32 (n,) codes; -1 where the id is not in ``index``.

    """
    array = _as_arrow(ids)
    if not pa.types.is_string(array.type):
        array = pc.cast(array, pa.string())
    positions = pc.index_in(array, value_set=pa.array(index.tolist(), type=pa.string()))
    return positions.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int32, copy=False)


@dataclass(frozen=True)
class Interactions:
    """Interactions as parallel arrays, one element per event.

    Attributes:
        user_codes: int32 (n,) in ``[0, n_users)``.
        item_codes: int32 (n,) in ``[0, n_items)``.
        timestamps: int64 (n,) epoch seconds.
        weights: float32 (n,) event weights (1.0 unless events are weighted by type/value).
        n_users: number of user codes.
        n_items: number of item codes (the catalogue, including items without events).

    """

    user_codes: np.ndarray
    item_codes: np.ndarray
    timestamps: np.ndarray
    weights: np.ndarray
    n_users: int
    n_items: int

    def __len__(self) -> int:
        return int(self.user_codes.shape[0])

    def select(self, mask: np.ndarray) -> Interactions:
        """Return the events where ``mask`` (bool (n,)) holds, in the same code spaces."""
        return Interactions(
            self.user_codes[mask],
            self.item_codes[mask],
            self.timestamps[mask],
            self.weights[mask],
            self.n_users,
            self.n_items,
        )


def make_interactions(
    user_codes: np.ndarray,
    item_codes: np.ndarray,
    timestamps: np.ndarray | None = None,
    weights: np.ndarray | None = None,
    *,
    n_users: int | None = None,
    n_items: int | None = None,
) -> Interactions:
    """Build :class:`Interactions` from code arrays, casting dtypes and checking ranges.

    Args:
        user_codes: (n,) integer user codes.
        item_codes: (n,) integer item codes.
        timestamps: (n,) epoch seconds; None means all zero.
        weights: (n,) event weights; None means 1.0.
        n_users: size of the user code space; None means ``max + 1``.
        n_items: size of the item code space; None means ``max + 1``.

    Returns:
        The interactions.

    Raises:
        ValueError: lengths differ or a code is negative or out of range.

    """
    users = np.asarray(user_codes, dtype=np.int32)
    items = np.asarray(item_codes, dtype=np.int32)
    n = users.shape[0]
    times = np.zeros(n, np.int64) if timestamps is None else np.asarray(timestamps, np.int64)
    event_weights = np.ones(n, np.float32) if weights is None else np.asarray(weights, np.float32)
    if not (items.shape[0] == times.shape[0] == event_weights.shape[0] == n):
        raise ValueError("user_codes, item_codes, timestamps and weights differ in length")
    n_users = int(users.max()) + 1 if n_users is None and n else int(n_users or 0)
    n_items = int(items.max()) + 1 if n_items is None and n else int(n_items or 0)
    if n and (users.min() < 0 or users.max() >= n_users or items.min() < 0):
        raise ValueError("user codes must lie in [0, n_users) and item codes be >= 0")
    if n and items.max() >= n_items:
        raise ValueError("item codes must lie in [0, n_items)")
    return Interactions(users, items, times, event_weights, n_users, n_items)


def time_decay_weights(
    timestamps: np.ndarray, reference_time: int, half_life_seconds: float
) -> np.ndarray:
    """Weight events by age: 1.0 at ``reference_time``, halving every ``half_life_seconds``.

    Args:
        timestamps: int64 (n,) epoch seconds.
        reference_time: epoch seconds of weight 1.0 (later events are clipped to 1.0).
        half_life_seconds: positive half-life.

    Returns:
        float32 (n,) weights in (0, 1].

    """
    age = np.maximum(reference_time - timestamps, 0).astype(np.float64)
    return np.exp2(-age / half_life_seconds).astype(np.float32)


def interaction_matrix(
    interactions: Interactions, weights: np.ndarray | None = None
) -> sp.csr_matrix:
    """User x item matrix of the interactions; a repeated (user, item) keeps its largest weight.

    Args:
        interactions: the events.
        weights: float32 (n,) per-event weights (e.g. ``time_decay_weights`` times event-type
            weights); None uses ``interactions.weights``.

    Returns:
        float32 CSR (n_users, n_items) with sorted column indices.

    """
    values = interactions.weights if weights is None else np.asarray(weights, np.float32)
    shape = (interactions.n_users, interactions.n_items)
    return max_merge_cells(interactions.user_codes, interactions.item_codes, values, shape).to_csr()


def interaction_matrix_reference(
    interactions: Interactions, weights: np.ndarray | None = None
) -> sp.csr_matrix:
    """Slow, obviously correct :func:`interaction_matrix` (a dict of cells), for tests."""
    values = interactions.weights if weights is None else weights
    cells: dict[tuple[int, int], float] = {}
    for user, item, value in zip(
        interactions.user_codes.tolist(),
        interactions.item_codes.tolist(),
        values.tolist(),
        strict=True,
    ):
        cells[(user, item)] = max(cells.get((user, item), -np.inf), value)
    dense = np.zeros((interactions.n_users, interactions.n_items), np.float32)
    for (user, item), value in cells.items():
        dense[user, item] = value
    return sp.csr_matrix(dense)


def user_history_length_mask(
    interactions: Interactions, low_percentile: float, high_percentile: float
) -> np.ndarray:
    """Events of users whose history length lies within the given percentiles of all users'.

    Implements ``min/max_user_history_length_percentile``: dropping the longest histories
    (crawlers, shared accounts) and the shortest.

    Args:
        interactions: the events.
        low_percentile: in [0, 1]; users below this quantile of history length are dropped.
        high_percentile: in [0, 1]; users above this quantile are dropped.

    Returns:
        bool (n,) mask of the events to keep.

    """
    lengths = np.bincount(interactions.user_codes, minlength=interactions.n_users)
    active = lengths[lengths > 0]
    if active.size == 0:
        return np.ones(len(interactions), bool)
    low, high = np.quantile(active, [low_percentile, high_percentile], method="nearest")
    keep_user = (lengths >= low) & (lengths <= high)
    return keep_user[interactions.user_codes]


__all__ = [
    "Histories",
    "HistoryCells",
    "IdArray",
    "Interactions",
    "encode_ids",
    "histories_from_interactions",
    "histories_from_lists",
    "history_cells",
    "history_matrix",
    "history_matrix_reference",
    "interaction_matrix",
    "interaction_matrix_reference",
    "lookup_codes",
    "make_interactions",
    "max_merge_cells",
    "time_decay_weights",
    "user_history_length_mask",
]
