"""A user's row in the sorted bulk arrays: exact matches only, whatever the id's length."""

from __future__ import annotations

import numpy as np

from runtime_service.model_registry import BulkHistories, sorted_row


def _reference_row(sorted_ids: np.ndarray, key: str) -> int:
    """The slow obvious answer: a linear scan."""
    matches = [row for row, value in enumerate(sorted_ids.tolist()) if value == key]
    return matches[0] if matches else -1


def test_sorted_row_matches_a_linear_scan_for_short_long_and_prefix_keys():
    ids = np.sort(np.array(["u1", "u10", "u2", "new-1", "abc", "ab"]))
    keys = ["u1", "u10", "u100", "u", "", "ab", "abc", "abcd", "new-1", "new-1-2345", "zz", "a"]
    for key in keys:
        assert sorted_row(ids, key) == _reference_row(ids, key), key


def test_sorted_row_handles_empty_and_object_arrays():
    assert sorted_row(np.array([], dtype=str), "u1") == -1
    objects = np.array(["a", "b", "c"], dtype=object)
    assert sorted_row(objects, "b") == 1
    assert sorted_row(objects, "bb") == -1


def test_unknown_long_user_id_has_no_bulk_history():
    histories = BulkHistories(
        user_ids=np.array(["u1", "u2"]),
        indptr=np.array([0, 2, 3], np.int64),
        item_codes=np.array([5, 6, 7], np.int32),
        timestamps=np.array([1, 2, 3], np.int64),
    )
    codes, stamps = histories.of("u2")
    assert codes.tolist() == [7] and stamps.tolist() == [3]
    assert histories.of("u2-and-much-longer")[0].shape == (0,)
    assert histories.of("u1")[0].tolist() == [5, 6]
