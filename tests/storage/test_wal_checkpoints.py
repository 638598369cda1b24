"""The SQLite event log's WAL is copied back into the database file beside the writer."""

from __future__ import annotations

import shutil
import sqlite3
import time
import uuid
from pathlib import Path

from domain.streamed_data import StreamedEvent
from storage.metadata.store import open_metadata_store
from storage.streamed.group_commit import GroupCommitWriter
from storage.streamed.wal_checkpoints import WalCheckpoints

GROUP = "arn:aws:personalize:us-east-1:000000000000:dataset-group/shop"


def _event() -> StreamedEvent:
    return StreamedEvent(
        dataset_group_arn=GROUP,
        session_id="s1",
        user_id="u1",
        item_id="i1",
        event_type="click",
        sent_at=1_700_000_000.0,
        event_id=uuid.uuid4().hex,
        received_at=1_700_000_000.0,
    )


def _events_in_database_file_alone(database: Path, copy: Path) -> int:
    """Events in the database file without its WAL: what checkpoints copied back."""
    shutil.copyfile(database, copy)
    with sqlite3.connect(copy) as connection:
        return connection.execute("SELECT count(*) FROM events").fetchone()[0]


def test_committed_events_reach_the_database_file_beside_the_writer(tmp_path: Path):
    database = tmp_path / "tailor.db"
    store = open_metadata_store(f"sqlite:///{database}")
    writer = GroupCommitWriter(store.engine)
    try:
        writer.append([_event()])
        for _ in range(20):
            writer.append([_event() for _ in range(10)])
        deadline = time.monotonic() + 20
        while _events_in_database_file_alone(database, tmp_path / "copy.db") < 201:
            assert time.monotonic() < deadline, "the WAL was not checkpointed beside the writer"
            time.sleep(0.05)
    finally:
        writer.close()
        store.close()


def test_a_long_wal_asks_the_writer_for_one_checkpoint(tmp_path: Path):
    database = tmp_path / "tailor.db"
    store = open_metadata_store(f"sqlite:///{database}")
    checkpoints = WalCheckpoints(store.engine, min_interval_seconds=0, rewind_frames=1)
    writer = GroupCommitWriter(store.engine)
    try:
        assert not checkpoints.wants_writer_checkpoint()
        deadline = time.monotonic() + 20
        while not checkpoints.wants_writer_checkpoint():
            assert time.monotonic() < deadline, "the WAL length was never reported"
            writer.append([_event() for _ in range(10)])
            checkpoints.committed()
            time.sleep(0.01)
        checkpoints.close()  # no report can come after the reset below
        checkpoints.writer_checkpointed()
        assert not checkpoints.wants_writer_checkpoint()
    finally:
        writer.close()
        checkpoints.close()
        store.close()
