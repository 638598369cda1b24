"""Segment replacement (data deletion jobs), on SQLite and PostgreSQL when configured.

Replacements swap in atomically, keep the commit order readers rely on, and refuse to apply to
segments that changed since they were computed, changing nothing.
"""

from __future__ import annotations

import pytest
from sqlalchemy import Connection, text

from domain.errors import ResourceInUseException
from domain.resources import Resource
from storage.metadata.segments import SegmentReplacement, SegmentsChanged
from storage.metadata.store import open_metadata_store

PREFIX = "arn:aws:personalize:us-east-1:000000000000"
DATASET = f"{PREFIX}:dataset/shop/USERS"
DELETION = f"{PREFIX}:data-deletion-job/forget"


@pytest.fixture
def store(metadata_url):
    opened = open_metadata_store(metadata_url)
    opened.create_resource(Resource(arn=DATASET, kind="dataset", name="d", status="ACTIVE"))
    opened.create_resource(
        Resource(DELETION, "data-deletion-job", "forget", "IN_PROGRESS", {"jobName": "forget"})
    )
    yield opened
    opened.close()


def _import(store, name: str, uris: list[str], mode: str) -> None:
    arn = f"{PREFIX}:dataset-import-job/{name}"
    store.create_resource(
        Resource(arn, "dataset-import-job", name, "CREATE IN_PROGRESS", parent_arn=DATASET)
    )
    store.segments.commit_import(arn, DATASET, [(uri, 10) for uri in uris], mode)


def _visible(store) -> list[tuple[str, int, str, str]]:
    return [
        (s.uri, s.row_count, s.import_mode, s.import_job_arn.rsplit("/", 1)[-1])
        for s in store.segments.visible_segments(DATASET)
    ]


def test_replacements_swap_in_after_the_kept_segments_with_their_import_and_job_changes(store):
    _import(store, "full", ["f-0", "f-1"], "FULL")
    _import(store, "more", ["m-0"], "INCREMENTAL")
    f0, f1, m0 = store.segments.visible_segments(DATASET)
    swaps = [
        SegmentReplacement(f1.segment_id, (("f-1.del-0", 4),)),
        SegmentReplacement(m0.segment_id, (("m-0", 10),)),  # unchanged, moved after f-1's
    ]

    def changes(connection: Connection) -> dict[str, int]:
        return {"numDeleted": connection.scalar(text("SELECT 6"))}

    expected = [f0.segment_id, f1.segment_id, m0.segment_id]
    job = store.segments.replace_segments(
        DELETION, "IN_PROGRESS", {DATASET: swaps}, {DATASET: expected}, changes
    )

    assert (job.status, job.document) == ("IN_PROGRESS", {"jobName": "forget", "numDeleted": 6})
    assert _visible(store) == [
        ("f-0", 10, "FULL", "full"),
        ("f-1.del-0", 4, "FULL", "full"),
        ("m-0", 10, "INCREMENTAL", "more"),
    ]
    replaced = [s.uri for s in store.segments.segments_of_job(f"{PREFIX}:dataset-import-job/full")]
    assert replaced == ["f-0", "f-1", "f-1.del-0"]
    # A segment left with no rows is simply dropped.
    dropped = store.segments.visible_segments(DATASET)[1]
    visible = [s.segment_id for s in store.segments.visible_segments(DATASET)]
    store.segments.replace_segments(
        DELETION,
        "IN_PROGRESS",
        {DATASET: [SegmentReplacement(dropped.segment_id, ())]},
        {DATASET: visible},
    )
    assert [uri for uri, *_ in _visible(store)] == ["f-0", "m-0"]


def test_segments_changed_meanwhile_or_a_job_not_running_change_nothing(store):
    _import(store, "full", ["f-0"], "FULL")
    (f0,) = store.segments.visible_segments(DATASET)
    _import(store, "late", ["l-0"], "INCREMENTAL")
    swap = {DATASET: [SegmentReplacement(f0.segment_id, (("f-0.del-0", 1),))]}
    with pytest.raises(SegmentsChanged, match="changed"):
        store.segments.replace_segments(DELETION, "IN_PROGRESS", swap, {DATASET: [f0.segment_id]})
    assert [uri for uri, *_ in _visible(store)] == ["f-0", "l-0"]

    store.update_resource(DELETION, status="FAILED")
    visible = [s.segment_id for s in store.segments.visible_segments(DATASET)]
    with pytest.raises(ResourceInUseException, match="FAILED, not IN_PROGRESS"):
        store.segments.replace_segments(
            DELETION, "IN_PROGRESS", swap, {DATASET: visible}, lambda c: {"numDeleted": 1}
        )
    assert [uri for uri, *_ in _visible(store)] == ["f-0", "l-0"]
    assert "numDeleted" not in store.get_resource(DELETION).document


def test_replacements_keep_only_an_empty_repeated_rows_record(store):
    arn = f"{PREFIX}:dataset-import-job/checked"
    store.create_resource(
        Resource(arn, "dataset-import-job", "checked", "CREATE IN_PROGRESS", parent_arn=DATASET)
    )
    segments = [("c-0", 10), ("c-1", 10)]
    store.segments.commit_import(arn, DATASET, segments, "FULL", repeated_rows=[[], [2, 7]])
    _import(store, "unchecked", ["u-0"], "INCREMENTAL")
    c0, c1, u0 = store.segments.visible_segments(DATASET)
    assert (c0.repeated_rows, c1.repeated_rows, u0.repeated_rows) == ((), (2, 7), None)
    swaps = [
        SegmentReplacement(c0.segment_id, (("c-0.del-0", 4),)),
        SegmentReplacement(c1.segment_id, (("c-1", 10),)),  # moved: its positions may not hold
        SegmentReplacement(u0.segment_id, (("u-0.del-0", 3),)),
    ]
    store.segments.replace_segments(
        DELETION,
        "IN_PROGRESS",
        {DATASET: swaps},
        {DATASET: [c0.segment_id, c1.segment_id, u0.segment_id]},
    )
    assert [(s.uri, s.repeated_rows) for s in store.segments.visible_segments(DATASET)] == [
        ("c-0.del-0", ()),
        ("c-1", None),
        ("u-0.del-0", None),
    ]
