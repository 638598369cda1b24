"""The group-commit writer, against SQLite and (when configured) PostgreSQL."""

from __future__ import annotations

import threading
import time
import uuid

import pytest
from sqlalchemy import func, select

from domain.streamed_data import DatasetRecord, SessionLink, StreamedEvent
from storage.metadata.models import DatasetRecordRow, EventRow
from storage.metadata.store import open_metadata_store
from storage.online.store import open_online_store
from storage.streamed.group_commit import EventLogWriteError, GroupCommitWriter

GROUP = "arn:aws:personalize:us-east-1:000000000000:dataset-group/shop"


@pytest.fixture
def store(metadata_url):
    opened = open_metadata_store(metadata_url)
    yield opened
    opened.close()


def _event(event_type: str | None = "click", user: str | None = None) -> StreamedEvent:
    return StreamedEvent(
        dataset_group_arn=GROUP,
        session_id="s1",
        user_id=user,
        item_id="i1",
        event_type=event_type,  # type: ignore[arg-type]
        sent_at=1_700_000_000.0,
        event_id=uuid.uuid4().hex,
        received_at=1_700_000_000.0,
    )


def _stored_seq_by_event_id(store) -> dict[str, list[int]]:
    with store.engine.connect() as connection:
        rows = connection.execute(select(EventRow.event_id, EventRow.seq)).all()
    found: dict[str, list[int]] = {}
    for event_id, seq in rows:
        found.setdefault(event_id, []).append(seq)
    return found


def _in_threads(*targets) -> None:
    threads = [threading.Thread(target=target) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)


def test_concurrent_calls_share_commits_and_get_their_own_seqs(store):
    commits: list[int] = []
    writer = GroupCommitWriter(
        store.engine, on_commit=lambda calls, events, s: commits.append(calls)
    )
    returned: list[StreamedEvent] = []
    lock = threading.Lock()

    def caller() -> None:
        for _ in range(20):
            stored = writer.append([_event() for _ in range(10)])
            with lock:
                returned.extend(stored)

    try:
        _in_threads(*([caller] * 16))
    finally:
        writer.close()
    stored = _stored_seq_by_event_id(store)
    assert len(returned) == len(stored) == 16 * 20 * 10
    assert all(stored[event.event_id] == [event.seq] for event in returned)
    assert sum(commits) == 16 * 20
    assert len(commits) < 16 * 20, "no two calls ever shared a commit"


def test_a_failing_batch_fails_every_call_in_it_and_stores_none_of_it(store):
    writer = GroupCommitWriter(store.engine, max_wait_seconds=0.5)
    outcomes: dict[str, object] = {}

    def append(name: str, event: StreamedEvent, delay: float) -> None:
        time.sleep(delay)
        try:
            outcomes[name] = writer.append([event])
        except EventLogWriteError as error:
            outcomes[name] = error

    good, bad = _event(), _event(event_type=None)  # event_type is NOT NULL in the table
    try:
        _in_threads(lambda: append("good", good, 0), lambda: append("bad", bad, 0.05))
        assert isinstance(outcomes["good"], EventLogWriteError)
        assert isinstance(outcomes["bad"], EventLogWriteError)
        assert _stored_seq_by_event_id(store) == {}
        # The writer goes on with a fresh connection.
        (after,) = writer.append([_event()])
        assert _stored_seq_by_event_id(store) == {after.event_id: [after.seq]}
    finally:
        writer.close()


def test_the_latest_link_of_a_session_in_one_batch_wins(store):
    writer = GroupCommitWriter(store.engine, max_wait_seconds=0.5)
    first = SessionLink(GROUP, "s1", "u1", 1.0)
    second = SessionLink(GROUP, "s1", "u2", 2.0)
    try:
        _in_threads(
            lambda: writer.append([_event(user="u1")], first),
            lambda: (time.sleep(0.05), writer.append([_event(user="u2")], second)),
        )
    finally:
        writer.close()
    assert open_online_store("", store.engine).session_user(GROUP, "s1") == "u2"
    assert sum(len(seqs) for seqs in _stored_seq_by_event_id(store).values()) == 2


def test_records_are_upserted_with_the_events(store):
    writer = GroupCommitWriter(store.engine)
    items = "arn:aws:personalize:us-east-1:000000000000:dataset/shop/ITEMS"
    try:
        writer.append(records=[DatasetRecord(items, "i1", {"PRICE": 1.0}, 1.0)])
        writer.append(records=[DatasetRecord(items, "i1", {"PRICE": 2.0}, 2.0)])
    finally:
        writer.close()
    with store.engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(DatasetRecordRow)) == 1
        assert connection.scalar(select(DatasetRecordRow.properties)) == '{"PRICE":2.0}'


def test_close_commits_what_is_queued_then_refuses_appends(store):
    writer = GroupCommitWriter(store.engine, max_wait_seconds=5)
    result: list[StreamedEvent] = []
    caller = threading.Thread(target=lambda: result.extend(writer.append([_event()])))
    caller.start()
    time.sleep(0.1)
    writer.close()
    caller.join(10)
    assert len(result) == 1
    assert list(_stored_seq_by_event_id(store)) == [result[0].event_id]
    with pytest.raises(EventLogWriteError, match="closed"):
        writer.append([_event()])


def test_a_full_batch_is_committed_without_waiting_for_more(store):
    commits: list[int] = []
    writer = GroupCommitWriter(
        store.engine,
        max_batch_events=10,
        max_wait_seconds=30,
        on_commit=lambda calls, events, seconds: commits.append(calls),
    )
    started = time.monotonic()
    try:
        # The first call finds the writer idle (it then waits for company); the second fills
        # the batch and wakes it.
        _in_threads(
            lambda: writer.append([_event() for _ in range(5)]),
            lambda: (time.sleep(0.2), writer.append([_event() for _ in range(5)])),
        )
    finally:
        writer.close()
    assert time.monotonic() - started < 10
    assert commits == [2]
    assert sum(len(seqs) for seqs in _stored_seq_by_event_id(store).values()) == 10
