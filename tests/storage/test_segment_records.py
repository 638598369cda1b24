"""Contract tests of the segment records (SQLite, and PostgreSQL when configured).

A dataset's data is exactly the segments of its committed imports since its last FULL import; an
import that fails or never commits changes nothing.
"""

from __future__ import annotations

import pytest

from domain.errors import ResourceInUseException, ResourceNotFoundException
from domain.resources import Resource
from storage.metadata.store import open_metadata_store

PREFIX = "arn:aws:personalize:us-east-1:000000000000"
DATASET = f"{PREFIX}:dataset/shop/INTERACTIONS"


@pytest.fixture
def store(metadata_url):
    opened = open_metadata_store(metadata_url)
    opened.create_resource(Resource(arn=DATASET, kind="dataset", name="d", status="ACTIVE"))
    yield opened
    opened.close()


def _running_job(store, name: str) -> str:
    arn = f"{PREFIX}:dataset-import-job/{name}"
    store.create_resource(
        Resource(
            arn=arn,
            kind="dataset-import-job",
            name=name,
            status="CREATE IN_PROGRESS",
            document={"jobName": name},
            parent_arn=DATASET,
        )
    )
    return arn


def _visible(store) -> list[tuple[str, int, str]]:
    return [(s.uri, s.row_count, s.import_mode) for s in store.segments.visible_segments(DATASET)]


def test_full_replaces_and_incremental_appends(store):
    first = _running_job(store, "first")
    committed = store.segments.commit_import(
        first, DATASET, [("s3://b/f-0", 10), ("s3://b/f-1", 5)], "FULL", {"tailorRecords": 15}
    )
    assert committed.status == "ACTIVE"
    assert committed.document == {"jobName": "first", "tailorRecords": 15}
    assert store.get_resource(first).status == "ACTIVE"
    assert _visible(store) == [("s3://b/f-0", 10, "FULL"), ("s3://b/f-1", 5, "FULL")]
    more = _running_job(store, "more")
    store.segments.commit_import(more, DATASET, [("s3://b/m-0", 3)], "INCREMENTAL")
    assert [uri for uri, _, _ in _visible(store)] == ["s3://b/f-0", "s3://b/f-1", "s3://b/m-0"]
    again = _running_job(store, "again")
    store.segments.commit_import(again, DATASET, [("s3://b/a-0", 7)], "FULL")
    assert _visible(store) == [("s3://b/a-0", 7, "FULL")]
    assert [s.uri for s in store.segments.segments_of_job(first)] == ["s3://b/f-0", "s3://b/f-1"]
    other = f"{PREFIX}:dataset/shop/ITEMS"
    assert store.segments.visible_segments(other) == []


def test_a_full_import_of_nothing_empties_the_dataset(store):
    store.segments.commit_import(_running_job(store, "one"), DATASET, [("u", 1)], "FULL")
    store.segments.commit_import(_running_job(store, "empty"), DATASET, [], "FULL")
    assert _visible(store) == []


@pytest.mark.parametrize("status", ["CREATE FAILED", "CREATE PENDING", "ACTIVE", "CREATE STOPPING"])
def test_a_job_not_in_progress_commits_nothing(store, status):
    store.segments.commit_import(_running_job(store, "base"), DATASET, [("base-0", 4)], "FULL")
    late = _running_job(store, "late")
    store.update_resource(late, status=status)
    # FULL supersedes the earlier segments first: the refusal must roll that back too.
    with pytest.raises(ResourceInUseException, match=status):
        store.segments.commit_import(late, DATASET, [("late-0", 9)], "FULL", {"x": 1})
    assert _visible(store) == [("base-0", 4, "FULL")]
    assert store.segments.segments_of_job(late) == []
    job = store.get_resource(late)
    assert job.status == status and "x" not in job.document


def test_a_deleted_job_commits_nothing(store):
    store.segments.commit_import(_running_job(store, "base"), DATASET, [("base-0", 4)], "FULL")
    gone = _running_job(store, "gone")
    store.delete_resource(gone)
    with pytest.raises(ResourceNotFoundException, match="no longer exists"):
        store.segments.commit_import(gone, DATASET, [("gone-0", 9)], "FULL")
    assert _visible(store) == [("base-0", 4, "FULL")]


def test_an_uncommitted_import_is_invisible(store):
    base = _running_job(store, "base")
    store.segments.commit_import(base, DATASET, [("base-0", 4)], "FULL")
    _running_job(store, "running")  # its files may exist; no record says they are data
    assert _visible(store) == [("base-0", 4, "FULL")]


def test_deleting_a_dataset_forgets_its_segments(store):
    store.segments.commit_import(_running_job(store, "one"), DATASET, [("one-0", 4)], "FULL")
    store.delete_resource(DATASET)
    assert _visible(store) == []
    store.create_resource(Resource(arn=DATASET, kind="dataset", name="d", status="ACTIVE"))
    assert _visible(store) == []
    with pytest.raises(ResourceNotFoundException, match="dataset"):
        store.segments.commit_import(
            _running_job(store, "orphan"), f"{DATASET}-gone", [("x", 1)], "FULL"
        )


def test_unknown_import_mode_is_refused(store):
    with pytest.raises(ValueError, match="REPLACE"):
        store.segments.commit_import(_running_job(store, "j"), DATASET, [], "REPLACE")
