"""Interaction de-duplication across imports: the repeated rows an import records on its segments
let the reader skip a lone import's de-duplication, and change nothing it reads.

Real import jobs through the gRPC server into real segments (SQLite, and PostgreSQL when set);
what ``read_dataset`` returns is compared with the slow reference over every visible row.
"""

from __future__ import annotations

import pyarrow as pa

from tests.trainer.import_fixtures import interaction_lines, make_datasets, run_import, write
from tests.trainer.test_dataset_reader import reference_deduplicate
from trainer import dataset_import
from trainer.dataset_reader import (
    conform_to_schema,
    deduplicate_interactions,
    known_repeated_rows,
)


def _all_visible_rows(data, dataset: str) -> pa.Table:
    """Every visible segment's rows in commit order, not de-duplicated."""
    segments = data.store.segments.visible_segments(dataset)
    tables = [data.segments.read(segment.uri) for segment in segments]
    return pa.concat_tables(conform_to_schema(t, tables[0].schema) for t in tables)


def _flags(data, dataset: str) -> list[tuple[str, tuple[int, ...] | None]]:
    return [
        (segment.import_job_arn.rsplit("/", 1)[-1], segment.repeated_rows)
        for segment in data.store.segments.visible_segments(dataset)
    ]


def test_a_distinct_full_import_is_flagged_and_read_as_written(personalize, data, tmp_path):
    dataset = make_datasets(personalize)["Interactions"]
    job = run_import(personalize, dataset, write(tmp_path / "a.csv", interaction_lines(1200)), "a")
    assert job["status"] == "ACTIVE", job.get("failureReason")
    assert _flags(data, dataset) == [("a", ())]
    segments = data.store.segments.visible_segments(dataset)
    assert known_repeated_rows(segments, [1200]).tolist() == []
    everything = _all_visible_rows(data, dataset)
    assert data.read(dataset) == reference_deduplicate(everything.to_pylist())
    assert data.read(dataset) == everything.to_pylist()


def test_imports_repeating_rows_within_and_across_read_as_the_full_deduplication(
    personalize, data, tmp_path
):
    dataset = make_datasets(personalize)["Interactions"]
    first = interaction_lines(1000)
    first.append(first[7])  # repeated within the import
    first.append(first[9].replace(",click,", ",buy,"))  # repeats event id e8 within
    job = run_import(personalize, dataset, write(tmp_path / "1.csv", first), "one")
    assert job["status"] == "ACTIVE", job.get("failureReason")
    assert _flags(data, dataset) == [("one", (1000, 1001))]
    everything = _all_visible_rows(data, dataset)
    assert data.read(dataset) == reference_deduplicate(everything.to_pylist())

    # Distinct within itself, but half of it repeats the first import (rows and event ids).
    second = interaction_lines(1000, start=500)
    second[1] = second[1].replace(",click,", ",view,")  # only its event id e500 repeats
    job = run_import(personalize, dataset, write(tmp_path / "2.csv", second), "two", "INCREMENTAL")
    assert job["status"] == "ACTIVE", job.get("failureReason")

    # Distinct within itself too, repeating the second across: two flagged imports.
    third = interaction_lines(1000, start=1200)
    job = run_import(personalize, dataset, write(tmp_path / "3.csv", third), "three", "INCREMENTAL")
    assert job["status"] == "ACTIVE", job.get("failureReason")
    assert _flags(data, dataset) == [("one", (1000, 1001)), ("two", ()), ("three", ())]

    everything = _all_visible_rows(data, dataset)
    expected = reference_deduplicate(everything.to_pylist())
    assert data.read(dataset) == expected
    assert data.read(dataset) == deduplicate_interactions(everything).to_pylist()
    assert [r["EVENT_ID"] for r in expected] == [f"e{i}" for i in range(2200)]  # each once


def test_two_flagged_imports_repeating_each_other_are_still_deduplicated(
    personalize, data, tmp_path
):
    dataset = make_datasets(personalize)["Interactions"]
    lines = interaction_lines(1000)
    for name, mode in (("a", "FULL"), ("b", "INCREMENTAL")):
        job = run_import(personalize, dataset, write(tmp_path / f"{name}.csv", lines), name, mode)
        assert job["status"] == "ACTIVE", job.get("failureReason")
    assert _flags(data, dataset) == [("a", ()), ("b", ())]
    assert known_repeated_rows(data.store.segments.visible_segments(dataset), [1000, 1000]) is None
    assert [r["EVENT_ID"] for r in data.read(dataset)] == [f"e{i}" for i in range(1000)]


def test_imports_above_the_checked_size_record_nothing_and_read_fully_deduplicated(
    personalize, data, tmp_path, monkeypatch
):
    monkeypatch.setattr(dataset_import, "MAX_CHECKED_ROWS", 1000)  # this job has 1,001 rows
    dataset = make_datasets(personalize)["Interactions"]
    lines = interaction_lines(1000)
    lines.append(lines[7])  # repeated within the import
    job = run_import(personalize, dataset, write(tmp_path / "big.csv", lines), "big")
    assert job["status"] == "ACTIVE", job.get("failureReason")
    assert _flags(data, dataset) == [("big", None)]
    everything = _all_visible_rows(data, dataset)
    assert everything.num_rows == 1001
    assert data.read(dataset) == reference_deduplicate(everything.to_pylist())
    assert len(data.read(dataset)) == 1000
