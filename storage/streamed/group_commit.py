"""The durable writer of streamed data: one thread per process, committing by group commit.

It stores the calls of PutEvents (events and session links) and of PutItems/PutUsers/PutActions
(records). Callers hand their data to :meth:`GroupCommitWriter.append` and block. The writer
thread takes everything queued (up to ``max_batch_events``, waiting at most ``max_wait_seconds``
for more when the queue is short), writes it in one transaction on its own connection, commits,
and only then wakes the callers of that batch. One fsync thus covers many calls ("durable before
the reply"). If the transaction fails, every call in the batch fails: nothing is acknowledged that
is not stored.

SQLite: the writer's connection runs ``PRAGMA synchronous=FULL`` (the WAL is fsynced at every
commit). PostgreSQL: a normal commit. The statements themselves are in ``batch_sql``. A session
link this process already recorded is not written again (most calls repeat their session's link).
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import OperationalError

from domain.errors import LimitExceededException
from domain.streamed_data import DatasetRecord, SessionLink, StreamedEvent
from storage.streamed.batch_sql import batch_sql_for

log = logging.getLogger(__name__)

DEFAULT_MAX_BATCH_EVENTS = 1000
DEFAULT_MAX_WAIT_SECONDS = 0.002


class EventLogWriteError(RuntimeError):
    """The batch holding this call could not be committed; none of its events is acknowledged."""


@dataclass(eq=False)
class _PendingAppend:
    events: Sequence[StreamedEvent]
    link: SessionLink | None
    records: Sequence[DatasetRecord]
    done: threading.Event = field(default_factory=threading.Event)
    error: BaseException | None = None


class GroupCommitWriter:
    """Appends events to ``events``; upserts session links and records by key."""

    def __init__(
        self,
        engine: Engine,
        *,
        max_batch_events: int = DEFAULT_MAX_BATCH_EVENTS,
        max_wait_seconds: float = DEFAULT_MAX_WAIT_SECONDS,
        on_commit: Callable[[int, int, float], None] | None = None,
        max_remembered_links: int = 100_000,
    ) -> None:
        """Start the writer thread.

        Args:
            engine: The metadata database (SQLite or PostgreSQL).
            max_batch_events: Most events in one transaction (a call is never split).
            max_wait_seconds: Longest the writer waits for more calls when fewer than
                ``max_batch_events`` events are queued (0: commit what is there at once; calls
                arriving during a commit form the next batch).
            on_commit: Called after each commit with (calls, events, seconds), for metrics.
            max_remembered_links: Session links kept in memory to skip rewriting unchanged ones.

        """
        self._engine = engine
        self._dialect = engine.dialect.name
        self._max_batch_events = max_batch_events
        self._max_wait_seconds = max_wait_seconds
        self._on_commit = on_commit
        self._cond = threading.Condition()
        self._queue: deque[_PendingAppend] = deque()
        self._queued_events = 0
        self._closing = False
        self._connection: Connection | None = None
        self._sql = batch_sql_for(engine)
        # Links this process recorded, so that a session's every call does not rewrite its link.
        # (Another process relinking the same session in between is not seen: then the older
        # of the two links can stay; both were true at some point.)
        self._linked: OrderedDict[tuple[str, str], str] = OrderedDict()
        self._max_remembered_links = max_remembered_links
        self._thread = threading.Thread(target=self._run, name="event-log-writer", daemon=True)
        self._thread.start()

    def append(
        self,
        events: Sequence[StreamedEvent] = (),
        link: SessionLink | None = None,
        records: Sequence[DatasetRecord] = (),
    ) -> list[StreamedEvent]:
        """Store ``events``, ``link`` and ``records`` durably; return the events, ``seq`` set.

        Blocks until the group commit holding them finished.

        Raises:
            LimitExceededException: the database stayed locked by other writers.
            EventLogWriteError: the batch failed or the writer is closed; nothing was
                acknowledged.

        """
        pending = _PendingAppend(events, link, records)
        with self._cond:
            if self._closing:
                raise EventLogWriteError("the event log writer is closed")
            self._queue.append(pending)
            self._queued_events += len(events)
            self._cond.notify()
        pending.done.wait()
        if pending.error is not None:
            if _is_busy(pending.error):
                raise LimitExceededException("the event log is busy; retry") from pending.error
            raise EventLogWriteError(f"the event log write failed: {pending.error}") from (
                pending.error
            )
        return list(pending.events)

    def close(self, timeout: float = 30.0) -> None:
        """Commit what is queued, stop the thread and release the connection."""
        with self._cond:
            self._closing = True
            self._cond.notify_all()
        self._thread.join(timeout)

    def _run(self) -> None:
        while (batch := self._next_batch()) is not None:
            self._commit(batch)
        self._discard_connection()

    def _next_batch(self) -> list[_PendingAppend] | None:
        with self._cond:
            while not self._queue and not self._closing:
                self._cond.wait()
            if not self._queue:
                return None
            if self._max_wait_seconds > 0:
                deadline = time.monotonic() + self._max_wait_seconds
                while self._queued_events < self._max_batch_events and not self._closing:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        break
                    self._cond.wait(remaining)
            batch: list[_PendingAppend] = []
            taken = 0
            while self._queue and (
                not batch or taken + len(self._queue[0].events) <= self._max_batch_events
            ):
                pending = self._queue.popleft()
                batch.append(pending)
                taken += len(pending.events)
            self._queued_events -= taken
            return batch

    def _commit(self, batch: list[_PendingAppend]) -> None:
        started = time.perf_counter()
        events = [event for pending in batch for event in pending.events]
        # One link per session and one record per id: the latest call wins (PostgreSQL refuses
        # to upsert one row twice in a statement).
        links = {(p.link.dataset_group_arn, p.link.session_id): p.link for p in batch if p.link}
        records = {(r.dataset_arn, r.record_id): r for p in batch for r in p.records}
        new_links = [link for key, link in links.items() if self._linked.get(key) != link.user_id]
        try:
            connection = self._connect()
            seqs = self._sql.commit_batch(connection, events, new_links, list(records.values()))
        except Exception as exc:  # noqa: BLE001 - every failure fails the whole batch
            log.exception("event log batch of %d calls failed", len(batch))
            self._discard_connection()
            for pending in batch:
                pending.error = exc
                pending.done.set()
            return
        for event, seq in zip(events, seqs, strict=True):
            event.seq = seq
        self._remember_links(new_links)
        for pending in batch:
            pending.done.set()
        if self._on_commit is not None:
            self._on_commit(len(batch), len(events), time.perf_counter() - started)

    def _remember_links(self, links: list[SessionLink]) -> None:
        for link in links:
            key = (link.dataset_group_arn, link.session_id)
            self._linked.pop(key, None)
            self._linked[key] = link.user_id
        while len(self._linked) > self._max_remembered_links:
            self._linked.popitem(last=False)

    def _connect(self) -> Connection:
        if self._connection is None:
            connection = self._engine.connect().execution_options(tailor_write=True)
            if self._dialect == "sqlite":
                # Autocommit mode on this driver connection: the pragma runs outside a transaction.
                connection.connection.driver_connection.execute("PRAGMA synchronous=FULL")
            self._connection = connection
        return self._connection

    def _discard_connection(self) -> None:
        if self._connection is not None:
            try:
                # Closed for good, not pooled: no other caller gets its pragmas or a bad state.
                self._connection.invalidate()
                self._connection.close()
            except Exception:  # noqa: BLE001 - the connection is gone either way
                log.debug("closing the event log connection failed", exc_info=True)
            self._connection = None


def _is_busy(exc: BaseException) -> bool:
    """Whether SQLite stayed locked by other writers past its busy timeout."""
    original = exc.orig if isinstance(exc, OperationalError) else exc
    return isinstance(original, sqlite3.OperationalError) and "database is locked" in str(original)
