"""Group-commit writers in two processes on one SQLite event log (TAILOR_SERVING_PROCESSES).

Real processes, real SQLite file: the writers take turns, a third writer holding the database
past the writers' busy timeout only delays them, and every acknowledged event is stored once.
"""

from __future__ import annotations

import multiprocessing
import sqlite3
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

from domain.streamed_data import SessionLink, StreamedEvent
from storage.metadata.store import open_metadata_store
from storage.streamed.group_commit import GroupCommitWriter

GROUP = "arn:aws:personalize:us-east-1:000000000000:dataset-group/shop"
THREADS = 6
CALLS_PER_THREAD = 40


def _event(event_id: str) -> StreamedEvent:
    return StreamedEvent(
        dataset_group_arn=GROUP,
        session_id="s1",
        user_id="u1",
        item_id="i1",
        event_type="click",
        sent_at=1_700_000_000.0,
        event_id=event_id,
        received_at=1_700_000_000.0,
    )


def write_from_process(url: str, name: str, ready: Any, start: Any, out: Any) -> None:
    """One serving process's writer: threads append calls; report (acked ids, failures)."""
    store = open_metadata_store(url, migrate=False)
    writer = GroupCommitWriter(store.engine)
    ready.put(name)
    acked: list[str] = []
    failures: list[str] = []
    lock = threading.Lock()

    def caller(thread: int) -> None:
        for number in range(CALLS_PER_THREAD):
            ids = [f"{name}-{thread}-{number}-{k}-{uuid.uuid4().hex[:6]}" for k in range(10)]
            # Every few calls a session link too: those batches run BEGIN IMMEDIATE .. COMMIT.
            link = (
                SessionLink(GROUP, f"s-{thread}", f"u-{number}", time.time())
                if number % 4 == 0
                else None
            )
            try:
                writer.append([_event(event_id) for event_id in ids], link)
            except Exception as exc:  # noqa: BLE001 - reported to the test
                with lock:
                    failures.append(repr(exc))
                continue
            with lock:
                acked.extend(ids)

    start.wait(60)
    threads = [threading.Thread(target=caller, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    writer.close()
    store.close()
    out.put((acked, failures))


def test_writers_in_two_processes_store_every_acknowledged_event_once(tmp_path: Path):
    database = tmp_path / "tailor.db"
    url = f"sqlite:///{database}"
    open_metadata_store(url).close()  # migrated once, before the processes start
    context = multiprocessing.get_context("spawn")
    ready, start, out = context.Queue(), context.Event(), context.Queue()
    processes = [
        context.Process(target=write_from_process, args=(url, name, ready, start, out))
        for name in ("a", "b")
    ]
    for process in processes:
        process.start()
    for _ in processes:
        ready.get(timeout=60)
    # A third writer (as the control plane might) holds the database past the writers' own
    # busy timeout as they start: they retry instead of failing their calls.
    blocker = sqlite3.connect(database, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    start.set()
    time.sleep(1.5)
    blocker.execute("COMMIT")
    blocker.close()
    results = [out.get(timeout=120) for _ in processes]
    for process in processes:
        process.join(30)
    acked = [event_id for ids, _ in results for event_id in ids]
    failures = [failure for _, found in results for failure in found]
    assert failures == [], failures[:3]
    assert len(acked) == 2 * THREADS * CALLS_PER_THREAD * 10

    with sqlite3.connect(database) as connection:
        stored = Counter(row[0] for row in connection.execute("SELECT event_id FROM events"))
    assert sorted(stored) == sorted(acked)
    assert max(stored.values()) == 1
