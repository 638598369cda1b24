"""Histories and history cells: users' events as rows, and the row x item matrices built from them.

A :class:`Histories` holds several users' item codes, oldest first; :func:`history_cells` turns
them into the weighted row x item matrix every personalization scorer reads (training builds one
row per user, serving one row per request). :func:`max_merge_cells` is the shared matrix builder
(also behind ``recipes.interactions.interaction_matrix``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp

if TYPE_CHECKING:
    from recipes.interactions import Interactions


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


def max_merge_cells(
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
        return max_merge_cells(rows, codes, values, (n_rows, n_items))
    return max_merge_cells(rows[known], codes[known], values[known], (n_rows, n_items))


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
