"""Read-back de-duplication against slow, obviously correct references, on random tables."""

from __future__ import annotations

import dataclasses
import random

import pyarrow as pa
import pytest

from storage.metadata.segments import DatasetSegment
from trainer.dataset_reader import (
    conform_to_schema,
    deduplicate_interactions,
    first_of_each_key,
    known_repeated_rows,
    latest_row_per_id,
    repeated_rows_by_segment,
    row_key,
)


def reference_latest_per_id(rows: list[dict], id_field: str) -> list[dict]:
    last = {row[id_field]: index for index, row in enumerate(rows)}
    return [row for index, row in enumerate(rows) if last[row[id_field]] == index]


def reference_deduplicate(rows: list[dict]) -> list[dict]:
    seen_rows, seen_ids, kept = set(), set(), []
    for row in rows:
        key = tuple(sorted(row.items()))
        if key in seen_rows:
            continue
        seen_rows.add(key)
        event_id = row.get("EVENT_ID")
        if event_id is not None and event_id in seen_ids:
            continue
        seen_ids.add(event_id)
        kept.append(row)
    return kept


def _random_interactions(seed: int, rows: int, with_event_id: bool) -> list[dict]:
    rng = random.Random(seed)
    out = []
    for _ in range(rows):
        row = {
            "USER_ID": f"u{rng.randrange(5)}",
            "ITEM_ID": f"i{rng.randrange(4)}",
            "TIMESTAMP": rng.randrange(3),
            "EVENT_TYPE": rng.choice(["click", "buy"]),
            "EVENT_VALUE": rng.choice([None, 1.5, 2.0]),
        }
        if with_event_id:
            row["EVENT_ID"] = rng.choice([None, None, *(f"e{k}" for k in range(30))])
        out.append(row)
    return out


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("with_event_id", [False, True])
def test_interaction_deduplication_matches_the_reference(seed, with_event_id):
    rows = _random_interactions(seed, 400, with_event_id)
    got = deduplicate_interactions(pa.Table.from_pylist(rows)).to_pylist()
    expected = reference_deduplicate(rows)
    assert got == expected
    assert len(expected) < len(rows)  # the data did have duplicates to drop


@pytest.mark.parametrize("seed", range(5))
def test_latest_row_per_id_matches_the_reference(seed):
    rng = random.Random(seed)
    rows = [
        {"ITEM_ID": f"i{rng.randrange(60)}", "GENRE": rng.choice([None, "a", "b"]), "n": n}
        for n in range(300)
    ]
    got = latest_row_per_id(pa.Table.from_pylist(rows), "ITEM_ID").to_pylist()
    assert got == reference_latest_per_id(rows, "ITEM_ID")
    assert len({row["ITEM_ID"] for row in got}) == len(got) < len(rows)


def test_conform_to_schema_orders_casts_and_fills_missing_columns():
    old = pa.table({"GENRE": ["a"], "ITEM_ID": ["i1"], "PRICE": pa.array([2], pa.int64())})
    target = pa.schema(
        [
            ("ITEM_ID", pa.string()),
            ("GENRE", pa.string()),
            ("PRICE", pa.float32()),
            ("BRAND", pa.string()),
        ]
    )
    conformed = conform_to_schema(old, target)
    assert conformed.schema == target
    assert conformed.to_pylist() == [{"ITEM_ID": "i1", "GENRE": "a", "PRICE": 2.0, "BRAND": None}]


@pytest.mark.parametrize("seed", range(3))
def test_row_keys_are_equal_exactly_for_equal_rows(seed):
    rng = random.Random(seed)
    rows = [
        {
            "USER_ID": rng.choice([None, "u1", "u2"]),
            "TIMESTAMP": rng.choice([None, -5, 0, 7]),
            "COUNT": rng.choice([None, 3, 4]),
            "FLAG": rng.choice([None, True, False]),
            "EVENT_VALUE": rng.choice([None, 1.5, -2.0]),
        }
        for _ in range(300)
    ]
    table = pa.Table.from_pylist(rows).cast(
        pa.schema(
            [
                ("USER_ID", pa.string()),
                ("TIMESTAMP", pa.int64()),
                ("COUNT", pa.uint8()),
                ("FLAG", pa.bool_()),
                ("EVENT_VALUE", pa.float32()),
            ]
        )
    )
    keys = row_key(table).to_pylist()
    for left in range(0, 300, 7):
        for right in range(300):
            same_row = rows[left] == rows[right]
            assert (keys[left] == keys[right]) == same_row
    assert deduplicate_interactions(table).to_pylist() == reference_deduplicate(table.to_pylist())


def test_rows_too_varied_for_one_key_are_compared_column_by_column():
    rows = [
        {"USER_ID": "u", "TIMESTAMP": -(2**62), "ITEM_ID": "a"},
        {"USER_ID": "u", "TIMESTAMP": 2**62, "ITEM_ID": "a"},
        {"USER_ID": "u", "TIMESTAMP": 2**62, "ITEM_ID": "a"},
    ]
    table = pa.Table.from_pylist(rows)
    assert row_key(table) is None
    assert deduplicate_interactions(table).to_pylist() == rows[:2]


def test_tables_without_repeats_come_back_unchanged():
    table = pa.Table.from_pylist(_random_interactions(1, 1, False) * 1)
    assert deduplicate_interactions(table) is table


@pytest.mark.parametrize("distinct", [3, 50, 10_000])
def test_first_of_each_key_matches_a_dictionary_of_first_positions(distinct):
    import numpy as np

    key = np.random.default_rng(distinct).integers(-5, distinct, 2_000).astype(np.int64)
    first: dict[int, int] = {}
    for position, value in enumerate(key.tolist()):
        first.setdefault(value, position)
    assert first_of_each_key(key).tolist() == sorted(first.values())


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("with_event_id", [False, True])
def test_recorded_repeated_rows_drop_what_deduplication_drops(seed, with_event_id):
    rows = _random_interactions(seed, 300, with_event_id)
    cuts = sorted(random.Random(seed).sample(range(1, 300), 2))
    tables = [
        pa.Table.from_pylist(part)
        for part in (rows[: cuts[0]], rows[cuts[0] : cuts[1]], rows[cuts[1] :])
    ]
    recorded = repeated_rows_by_segment(tables)
    segments = [
        DatasetSegment(k, "dataset", "job", f"s{k}", t.num_rows, "FULL", 0.0, tuple(r))
        for k, (t, r) in enumerate(zip(tables, recorded, strict=True))
    ]
    dropped = known_repeated_rows(segments, [t.num_rows for t in tables])
    kept = [row for index, row in enumerate(rows) if index not in set(dropped.tolist())]
    assert kept == reference_deduplicate(rows)
    other_job = [*segments[:2], dataclasses.replace(segments[2], import_job_arn="other")]
    assert known_repeated_rows(other_job, [t.num_rows for t in tables]) is None
    unknown = [*segments[:2], dataclasses.replace(segments[2], repeated_rows=None)]
    assert known_repeated_rows(unknown, [t.num_rows for t in tables]) is None
