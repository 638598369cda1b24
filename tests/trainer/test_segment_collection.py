"""Segment collection: superseded and orphaned segment files are deleted, read files never are.

Real Parquet files in a temporary directory (and in a moto S3 bucket), real segment records on
SQLite and, when configured, PostgreSQL.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import boto3
import pyarrow as pa
import pytest

from domain.resources import Resource
from storage.data import SegmentStore, open_segment_store
from storage.metadata.segments import SegmentReplacement
from storage.metadata.store import MetadataStore, open_metadata_store
from trainer.segment_collection import SegmentCollector

PREFIX = "arn:aws:personalize:us-east-1:000000000000"
DATASET = f"{PREFIX}:dataset/shop/INTERACTIONS"
SCHEMA = pa.schema([("USER_ID", pa.string()), ("TIMESTAMP", pa.int64())])
HOUR = 3600.0


@pytest.fixture
def store(metadata_url: str):  # type: ignore[no-untyped-def]
    opened = open_metadata_store(metadata_url)
    opened.create_resource(Resource(arn=DATASET, kind="dataset", name="d", status="ACTIVE"))
    yield opened
    opened.close()


@pytest.fixture
def segments(tmp_path: Path) -> SegmentStore:
    return open_segment_store(str(tmp_path / "data"))


def _write(segments: SegmentStore, job_name: str, users: list[str]) -> list[tuple[str, int]]:
    writer = segments.writer(DATASET, job_name, SCHEMA)
    writer.write(
        pa.RecordBatch.from_pydict(
            {"USER_ID": users, "TIMESTAMP": list(range(len(users)))}, schema=SCHEMA
        )
    )
    return writer.finish()


def _import(
    store: MetadataStore,
    segments: SegmentStore,
    name: str,
    users: list[str],
    mode: str,
) -> list[str]:
    """Write and commit an import job's one segment; return its file URIs."""
    arn = f"{PREFIX}:dataset-import-job/{name}"
    store.create_resource(
        Resource(arn, "dataset-import-job", name, "CREATE IN_PROGRESS", parent_arn=DATASET)
    )
    written = _write(segments, name, users)
    store.segments.commit_import(arn, DATASET, written, mode)
    return [uri for uri, _ in written]


def _exists(segments: SegmentStore, uri: str) -> bool:
    return uri in {f.uri for f in segments.list_files(DATASET)}


def _read(store: MetadataStore, segments: SegmentStore) -> pa.Table:
    return pa.concat_tables(
        segments.read(s.uri) for s in store.segments.visible_segments(DATASET)
    ).combine_chunks()


def _age(uri: str, seconds: float) -> None:
    path = uri.removeprefix("file://")
    stamp = time.time() - seconds
    os.utime(path, (stamp, stamp))


def test_a_full_import_s_superseded_files_are_deleted_and_the_dataset_reads_the_same(
    store, segments
):
    first = _import(store, segments, "first", ["a", "b"], "FULL")
    second = _import(store, segments, "second", ["c"], "FULL")
    more = _import(store, segments, "more", ["d"], "INCREMENTAL")
    before = _read(store, segments)

    report = SegmentCollector(segments, grace_seconds=0).collect(store)

    assert report.superseded_files == 1 and report.forgotten_segments == 1
    assert not _exists(segments, first[0])
    assert all(_exists(segments, uri) for uri in second + more)
    assert _read(store, segments).equals(before)
    # Collected once: a second collection finds nothing left to do.
    again = SegmentCollector(segments, grace_seconds=0).collect(store)
    assert (again.superseded_files, again.forgotten_segments, again.orphan_files) == (0, 0, 0)


def test_incremental_segments_and_recent_supersessions_are_kept(store, segments):
    first = _import(store, segments, "first", ["a"], "FULL")
    more = _import(store, segments, "more", ["b"], "INCREMENTAL")
    newest = _import(store, segments, "newest", ["c"], "FULL")

    kept = SegmentCollector(segments, grace_seconds=HOUR).collect(store)
    assert (kept.superseded_files, kept.forgotten_segments) == (0, 0)
    assert all(_exists(segments, uri) for uri in first + more + newest)

    SegmentCollector(segments, grace_seconds=0).collect(store)
    assert not any(_exists(segments, uri) for uri in first + more)
    assert _exists(segments, newest[0])


def test_a_file_a_visible_segment_names_is_never_deleted(store, segments):
    kept = _import(store, segments, "kept", ["a"], "FULL")
    changed = _import(store, segments, "changed", ["b"], "INCREMENTAL")
    deletion = f"{PREFIX}:data-deletion-job/forget"
    store.create_resource(Resource(deletion, "data-deletion-job", "forget", "IN_PROGRESS"))
    visible = store.segments.visible_segments(DATASET)
    rewritten = _write(segments, "forget.del2", ["b2"])
    # Like a data deletion job: the first segment moves unchanged (its own file), the second
    # is rewritten.
    store.segments.replace_segments(
        deletion,
        "IN_PROGRESS",
        {
            DATASET: [
                SegmentReplacement(visible[0].segment_id, ((kept[0], 1),)),
                SegmentReplacement(visible[1].segment_id, tuple(rewritten)),
            ]
        },
        {DATASET: [s.segment_id for s in visible]},
    )
    before = _read(store, segments)

    report = SegmentCollector(segments, grace_seconds=0).collect(store)

    assert report.forgotten_segments == 2
    assert _exists(segments, kept[0])
    assert not _exists(segments, changed[0])
    assert _read(store, segments).equals(before)


def test_old_orphan_files_are_deleted_and_new_or_running_jobs_files_kept(store, segments):
    recorded = _import(store, segments, "recorded", ["a"], "FULL")
    _age(recorded[0], HOUR)
    old_orphan = _write(segments, "crashed", ["x"])[0][0]
    _age(old_orphan, HOUR)
    new_orphan = _write(segments, "fresh", ["y"])[0][0]
    running_arn = f"{PREFIX}:dataset-import-job/running"
    store.create_resource(
        Resource(running_arn, "dataset-import-job", "running", "CREATE IN_PROGRESS")
    )
    running_file = _write(segments, "running", ["z"])[0][0]
    _age(running_file, HOUR)

    report = SegmentCollector(segments, grace_seconds=600).collect(store)

    assert report.orphan_files == 1
    assert not _exists(segments, old_orphan)
    assert all(_exists(segments, uri) for uri in (recorded[0], new_orphan, running_file))


def test_collections_run_at_once_by_several_workers_all_succeed(metadata_url, store, segments):
    for n in range(6):
        _import(store, segments, f"full{n}", [f"u{n}"], "FULL")
    others = [open_metadata_store(metadata_url) for _ in range(3)]
    reports, errors = [], []

    def collect(worker_store: MetadataStore) -> None:
        try:
            reports.append(SegmentCollector(segments, grace_seconds=0).collect(worker_store))
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=collect, args=(s,)) for s in [store, *others]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for other in others:
        other.close()

    assert errors == []
    assert sum(r.forgotten_segments for r in reports) == 5
    assert [f.uri for f in segments.list_files(DATASET)] == [
        s.uri for s in store.segments.visible_segments(DATASET)
    ]


def test_the_collector_waits_between_collections(store, segments):
    collector = SegmentCollector(segments, grace_seconds=0, every_seconds=HOUR)
    assert collector(store) is not None
    assert collector(store) is None


def test_superseded_s3_segments_are_deleted(store, s3_endpoint):
    boto3.client("s3", endpoint_url=s3_endpoint).create_bucket(Bucket="data")
    segments = open_segment_store("s3://data/segments", s3_endpoint)
    first = _import(store, segments, "first", ["a"], "FULL")
    second = _import(store, segments, "second", ["b"], "FULL")
    orphan = _write(segments, "crashed", ["x"])[0][0]

    report = SegmentCollector(segments, grace_seconds=0).collect(store)

    assert (report.superseded_files, report.orphan_files) == (1, 1)
    assert [f.uri for f in segments.list_files(DATASET)] == second
    assert first[0] != orphan
