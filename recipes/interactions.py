"""Training input as arrays: id <-> code maps, interactions, user x item matrices, histories.

Codes are dense ``int32`` positions into an id index (a numpy unicode array), assigned in order of
first appearance. Encoding uses ``pyarrow.compute.dictionary_encode`` (a hash table, linear time);
``np.unique`` is avoided because it sorts the whole id array. Matrices are built by one sort of a
combined (row, column) key, with duplicates merged by their largest weight.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import scipy.sparse as sp

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


@dataclass(frozen=True)
class HistoryCells:
    """A row x item matrix as bare CSR arrays (columns sorted in each row), without scipy.

    Scoring reads a history through ``indptr``/``indices``/``data``/``shape`` as of a
    ``csr_matrix``, whose checks would cost about as much as the rest of a one-user build.

    Attributes:
        indptr: int64 (n_rows + 1,).
        indices: int32 (nnz,) item codes.
        data: float32 (nnz,) weights.
        shape: ``(n_rows, n_items)``.

    """

    indptr: np.ndarray
    indices: np.ndarray
    data: np.ndarray
    shape: tuple[int, int]

    def to_csr(self) -> sp.csr_matrix:
        """The same cells as a float32 ``scipy.sparse.csr_matrix``."""
        return sp.csr_matrix((self.data, self.indices, self.indptr), shape=self.shape)


def _max_merge(
    rows: np.ndarray, cols: np.ndarray, values: np.ndarray, shape: tuple[int, int]
) -> HistoryCells:
    """CSR arrays from (row, col, value) triplets; repeated cells keep their largest value.

    When every cell index fits in 32 bits and no value is negative or NaN, each triplet is
    packed into one uint64 (cell index high, the value's float32 bits low: for non-negative
    floats the bits order like the values), so one plain sort both groups the cells and puts
    each cell's largest value last; that is about twice as fast as the argsort and gathers of
    the general path. Columns come out sorted within each row.
    """
    values = np.asarray(values, np.float32)
    cells = shape[0] * shape[1]
    if cells <= 2**32 and not (np.signbit(values).any() or np.isnan(values).any()):
        packed = rows.astype(np.uint64) * np.uint64(shape[1]) + cols.astype(np.uint64)
        packed <<= np.uint64(32)
        packed |= values.view(np.uint32)
        packed.sort()
        key = (packed >> np.uint64(32)).astype(np.int64)
        last = np.ones(key.size, bool)  # each cell's last (largest) value
        np.not_equal(key[1:], key[:-1], out=last[:-1])
        unique_key = key[last]
        merged = packed[last].astype(np.uint32).view(np.float32)
    else:
        key = rows.astype(np.int64) * shape[1] + cols.astype(np.int64)
        order = np.argsort(key, kind="stable")
        key = key[order]
        starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if key.size else key[:0]
        merged = np.maximum.reduceat(values[order], starts) if key.size else values[:0]
        unique_key = key[starts]
    indptr = np.zeros(shape[0] + 1, np.int64)
    if shape[0] == 1:
        indptr[1] = unique_key.size
    else:
        np.cumsum(np.bincount(unique_key // shape[1], minlength=shape[0]), out=indptr[1:])
    indices = (unique_key % shape[1]).astype(np.int32)
    return HistoryCells(indptr, indices, merged.astype(np.float32, copy=False), shape)


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
    return _max_merge(interactions.user_codes, interactions.item_codes, values, shape).to_csr()


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


@dataclass(frozen=True)
class Histories:
    """Several users' histories, one row each, oldest event first within a row.

    Attributes:
        indptr: int64 (n_rows + 1,); row r is ``item_codes[indptr[r]:indptr[r + 1]]``.
        item_codes: int32 (nnz,); -1 marks an item the model does not know (ignored).
        timestamps: int64 (nnz,) epoch seconds.

    """

    indptr: np.ndarray
    item_codes: np.ndarray
    timestamps: np.ndarray

    @property
    def n_rows(self) -> int:
        """Number of histories."""
        return int(self.indptr.shape[0] - 1)

    def row(self, index: int) -> np.ndarray:
        """Item codes of history ``index`` (int32, oldest first)."""
        return self.item_codes[self.indptr[index] : self.indptr[index + 1]]

    def rows(self, indices: np.ndarray) -> Histories:
        """The histories at ``indices`` (int (m,)) as a new :class:`Histories`."""
        indices = np.asarray(indices, np.int64)
        lengths = np.diff(self.indptr)[indices]
        indptr = np.zeros(indices.shape[0] + 1, np.int64)
        np.cumsum(lengths, out=indptr[1:])
        take = np.repeat(self.indptr[indices] - indptr[:-1], lengths) + np.arange(indptr[-1])
        return Histories(indptr, self.item_codes[take], self.timestamps[take])


def histories_from_lists(
    item_codes: Sequence[np.ndarray], timestamps: Sequence[np.ndarray] | None = None
) -> Histories:
    """Pack per-user code arrays into :class:`Histories` (sorted by time when given).

    Args:
        item_codes: one int array per user (chronological if ``timestamps`` is None).
        timestamps: one int64 array per user, parallel to ``item_codes``; None keeps the order
            given and uses positions as timestamps.

    Returns:
        The packed histories.

    """
    lengths = np.array([len(codes) for codes in item_codes], np.int64)
    indptr = np.zeros(len(item_codes) + 1, np.int64)
    np.cumsum(lengths, out=indptr[1:])
    codes = [np.asarray(c, np.int32) for c in item_codes]
    if timestamps is None:
        times = [np.arange(len(c), dtype=np.int64) for c in codes]
    else:
        times = [np.asarray(t, np.int64) for t in timestamps]
        orders = [np.argsort(t, kind="stable") for t in times]
        codes = [c[o] for c, o in zip(codes, orders, strict=True)]
        times = [t[o] for t, o in zip(times, orders, strict=True)]
    empty_codes, empty_times = np.zeros(0, np.int32), np.zeros(0, np.int64)
    return Histories(
        indptr,
        np.concatenate(codes) if codes else empty_codes,
        np.concatenate(times) if times else empty_times,
    )


def histories_from_interactions(interactions: Interactions) -> Histories:
    """Every user's history (row = user code), chronological, ties kept in input order.

    Args:
        interactions: the events.

    Returns:
        Histories with ``n_users`` rows.

    """
    order = np.lexsort((interactions.timestamps, interactions.user_codes))
    indptr = np.zeros(interactions.n_users + 1, np.int64)
    np.cumsum(np.bincount(interactions.user_codes, minlength=interactions.n_users), out=indptr[1:])
    return Histories(indptr, interactions.item_codes[order], interactions.timestamps[order])


#: Longest single history built by :func:`_short_history_cells` rather than the sort.
_SHORT_HISTORY = 48


def history_matrix(
    histories: Histories, n_items: int, half_life_events: float | None = None
) -> sp.csr_matrix:
    """Histories as a weighted row x item matrix: :func:`history_cells` as a float32 CSR."""
    return history_cells(histories, n_items, half_life_events).to_csr()


def history_cells(
    histories: Histories, n_items: int, half_life_events: float | None = None
) -> HistoryCells:
    """Histories as a weighted row x item matrix, the input of every personalization scorer.

    With ``half_life_events`` the newest event weighs 1.0 and weight halves every that many
    events back; a repeated item keeps its largest (newest) weight. Unknown items (code < 0 or
    >= ``n_items``) are dropped. The cells do not depend on ``half_life_events``, only their
    weights do.

    Args:
        histories: n_rows histories.
        n_items: catalogue size of the model.
        half_life_events: positive half-life in events; None weighs every event 1.0.

    Returns:
        The (n_rows, n_items) cells.

    """
    n_rows, n_events = histories.n_rows, histories.item_codes.shape[0]
    if n_rows == 1:
        rows = np.zeros(n_events, np.int64)
    else:
        rows = np.repeat(np.arange(n_rows, dtype=np.int64), np.diff(histories.indptr))
    if half_life_events is None:
        values = np.ones(n_events, np.float32)
    else:
        from_end = histories.indptr[rows + 1] - 1 - np.arange(n_events)
        values = np.exp2(-from_end / float(half_life_events)).astype(np.float32)
    codes = histories.item_codes
    if n_rows == 1 and n_events <= _SHORT_HISTORY:
        return _short_history_cells(codes, values, n_items)
    known = (codes >= 0) & (codes < n_items)
    if known.all():
        return _max_merge(rows, codes, values, (n_rows, n_items))
    return _max_merge(rows[known], codes[known], values[known], (n_rows, n_items))


def _short_history_cells(codes: np.ndarray, values: np.ndarray, n_items: int) -> HistoryCells:
    """One short history's cells: a dict keeps each known item's largest weight.

    Up to a few dozen events this costs half of the sort-based merge, whose dozen
    numpy calls on tiny arrays are all overhead (serving builds one such history per request).
    """
    largest: dict[int, float] = {}
    for code, value in zip(codes.tolist(), values.tolist(), strict=True):
        if 0 <= code < n_items and value >= largest.get(code, -1.0):
            largest[code] = value
    items = sorted(largest)
    return HistoryCells(
        np.array([0, len(items)], np.int64),
        np.array(items, np.int32),
        np.array([largest[item] for item in items], np.float32),
        (1, n_items),
    )


def history_matrix_reference(
    histories: Histories, n_items: int, half_life_events: float | None = None
) -> np.ndarray:
    """Slow, obviously correct dense :func:`history_matrix`, for tests."""
    dense = np.zeros((histories.n_rows, n_items), np.float32)
    for row in range(histories.n_rows):
        codes = histories.row(row).tolist()
        for position, code in enumerate(codes):
            if 0 <= code < n_items:
                age = len(codes) - 1 - position
                weight = 1.0 if half_life_events is None else 0.5 ** (age / half_life_events)
                dense[row, code] = max(dense[row, code], weight)
    return dense
