"""Bulk histories: built from Interactions rows, shared between processes through the cache."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa

from runtime_service.bulk_histories import cache_key, histories_from_table, shared_histories


def _table(n: int = 3000, with_types: bool = True) -> pa.Table:
    rng = np.random.default_rng(5)
    columns = {
        "USER_ID": [f"u{x}" for x in rng.integers(0, 200, n)],
        "ITEM_ID": [f"m{x}" for x in rng.integers(0, 60, n)],
        "TIMESTAMP": rng.integers(0, 40, n).tolist(),
    }
    if with_types:
        columns["EVENT_TYPE"] = [["click", "watch", None][x] for x in rng.integers(0, 3, n)]
    return pa.table(columns)


def test_histories_hold_each_users_known_items_oldest_first_with_their_types():
    table = _table()
    item_ids = np.array([f"m{x}" for x in range(50)])  # m50..m59 are unknown to the model
    histories = histories_from_table(table, item_ids)
    expected: dict[str, list[tuple[int, int, str]]] = {}
    for row, (user, item, stamp, kind) in enumerate(
        zip(*(table.column(c).to_pylist() for c in table.column_names), strict=True)
    ):
        if int(item[1:]) < 50:
            expected.setdefault(user, []).append((stamp, row, item, kind or ""))
    assert histories.user_ids.tolist() == sorted(expected)
    for user, events in expected.items():
        events.sort()  # by time, ties in input order
        codes, stamps = histories.of(user)
        assert [item_ids[c] for c in codes] == [item for _, _, item, _ in events]
        assert stamps.tolist() == [stamp for stamp, _, _, _ in events]
        typed = histories.typed_events(user, item_ids)
        assert typed == [(item, kind) for _, _, item, kind in reversed(events)]
    assert histories.of("nobody")[0].shape == (0,)


def test_the_cache_is_built_once_then_mapped_and_new_segments_replace_the_entry(tmp_path: Path):
    item_ids = np.array([f"m{x}" for x in range(60)])
    table = _table(with_types=False)
    builds = []

    def build():
        builds.append(1)
        return histories_from_table(table, item_ids)

    key = cache_key("arn:version/1", ["file:///segment-1"])
    first = shared_histories(tmp_path, key, build)
    second = shared_histories(tmp_path, key, build)
    assert len(builds) == 1, "the second process maps what the first wrote"
    assert first is not None and second is not None
    assert isinstance(second.item_codes.base, np.memmap), "mapped, not read"
    for name in ("user_ids", "indptr", "item_codes", "timestamps"):
        np.testing.assert_array_equal(getattr(first, name), getattr(second, name))
    assert second.event_types is None and second.typed_events("u1", item_ids) == []
    assert second.of("u1")[0].tolist() == build().of("u1")[0].tolist()
    other = cache_key("arn:version/1", ["file:///segment-1", "file:///segment-2"])
    assert other != key
    shared_histories(tmp_path, other, build)
    assert len(builds) == 3
    entries = sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("."))
    assert entries == [other], "the version's entry over the old segments is deleted"
    assert second.of("u1")[0].tolist() == build().of("u1")[0].tolist(), "a mapping outlives it"
    another_version = cache_key("arn:version/2", ["file:///segment-1"])
    shared_histories(tmp_path, another_version, build)
    entries = sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("."))
    assert entries == sorted([other, another_version]), "other versions' entries stay"
    assert shared_histories(None, key, build) is not None and len(builds) == 6
