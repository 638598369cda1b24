"""The durable writer of streamed data: one thread per process, committing by group commit.

It stores the calls of PutEvents (events and session links) and of PutItems/PutUsers/PutActions
(records). Callers hand their data to :meth:`GroupCommitWriter.append` and block. The writer
thread takes everything queued (up to ``max_batch_events``), writes it in one transaction on its
own connection, commits, and only then wakes the callers of that batch. Calls that arrive while a
commit runs form the next batch, committed as soon as that commit ends; only a writer that found
the queue empty waits (at most ``max_wait_seconds``) for company before committing a lone call.
One fsync thus covers many calls ("durable before the reply"). If the transaction fails, every
call in the batch fails: nothing is acknowledged that is not stored.

SQLite: the writer's connection runs ``PRAGMA synchronous=FULL`` (the WAL is fsynced at every
commit) and leaves WAL checkpoints to a thread beside it (``wal_checkpoints``). PostgreSQL: a
normal commit.

Several processes may serve PutEvents on one database (``TAILOR_SERVING_PROCESSES``), each with
its own writer. On SQLite the writers of all processes take turns on an exclusive ``flock`` of a
file beside the database around each commit: the kernel wakes the next writer the moment the
lock is free, where SQLite's busy handler would sleep and poll (1, 2, 5, 10 ms...) while the other
process commits again. Calls queued while a writer waits for its turn join its commit. Other
writers of the database (the control plane, the trainer) still meet the writer in SQLite's lock:
a batch that finds the database locked past the connection's busy timeout is retried, with
backoff, for at most ``max_busy_seconds`` in all; only then do its calls fail
(LimitExceededException, nothing acknowledged). A busy error means nothing of the batch was
written, so a retry can never store it twice.

The statements themselves are in ``batch_sql``. A session link this process already recorded is
not written again (most calls repeat their session's link).
"""

from __future__ import annotations

import fcntl
import logging
import os
import sqlite3
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import OperationalError

from domain.errors import LimitExceededException
from domain.streamed_data import DatasetRecord, SessionLink, StreamedEvent
from storage.streamed.batch_sql import batch_sql_for
from storage.streamed.wal_checkpoints import WalCheckpoints

log = logging.getLogger(__name__)

DEFAULT_MAX_BATCH_EVENTS = 1000
DEFAULT_MAX_WAIT_SECONDS = 0.002
DEFAULT_MAX_BUSY_SECONDS = 10.0
# The writer connection's own SQLite busy timeout; the retries above it bound the total wait.
_WRITER_BUSY_TIMEOUT_MS = 1000


class EventLogWriteError(RuntimeError):
    """The batch holding this call could not be committed; none of its events is acknowledged."""


class _PendingAppend:
    """One call waiting for its commit: ``done`` is held until the writer releases it."""

    __slots__ = ("events", "link", "records", "done", "error")

    def __init__(
        self,
        events: Sequence[StreamedEvent],
        link: SessionLink | None,
        records: Sequence[DatasetRecord],
    ) -> None:
        self.events = events
        self.link = link
        self.records = records
        # A plain lock, taken now and released by the writer: the cheapest one-shot signal.
        self.done = threading.Lock()
        self.done.acquire()
        self.error: BaseException | None = None


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
        max_busy_seconds: float = DEFAULT_MAX_BUSY_SECONDS,
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
            max_busy_seconds: Longest a batch keeps retrying while SQLite is locked by other
                writers before its calls fail.

        """
        self._engine = engine
        self._dialect = engine.dialect.name
        self._max_batch_events = max_batch_events
        self._max_wait_seconds = max_wait_seconds
        self._on_commit = on_commit
        self._cond = threading.Condition()
        self._queue: deque[_PendingAppend] = deque()
        self._writer_idle = False
        self._queued_events = 0
        self._closing = False
        self._connection: Connection | None = None
        self._sql = batch_sql_for(engine)
        # Links this process recorded, so that a session's every call does not rewrite its link.
        # (Another process relinking the same session in between is not seen: then the older
        # of the two links can stay; both were true at some point.)
        self._linked: OrderedDict[tuple[str, str], str] = OrderedDict()
        self._max_remembered_links = max_remembered_links
        self._max_busy_seconds = max_busy_seconds
        self._checkpoints: WalCheckpoints | None = None
        self._writers_lock_path: str | None = None
        if self._dialect == "sqlite" and engine.url.database not in (None, "", ":memory:"):
            self._checkpoints = WalCheckpoints(engine)
            self._writers_lock_path = f"{engine.url.database}.writers.lock"
        self._writers_lock_fd: int | None = None
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
            # Wake the writer only when it waits for a first call or a full batch is ready:
            # waking it for every call of a batch costs a GIL hand-over each.
            if self._writer_idle or self._queued_events >= self._max_batch_events:
                self._cond.notify()
        pending.done.acquire()
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
        if self._checkpoints is not None:
            self._checkpoints.close(timeout)

    def _run(self) -> None:
        while (batch := self._next_batch()) is not None:
            with self._writers_turn():
                # Calls queued while another process's writer had its turn join this commit.
                self._top_up(batch)
                connection = self._commit(batch)
            if (
                connection is not None
                and self._checkpoints is not None
                and self._checkpoints.wants_writer_checkpoint()
            ):
                self._checkpoint_in_writer(connection)
        self._discard_connection()
        if self._writers_lock_fd is not None:
            os.close(self._writers_lock_fd)
            self._writers_lock_fd = None

    def _next_batch(self) -> list[_PendingAppend] | None:
        with self._cond:
            if not self._queue and not self._closing:
                self._writer_idle = True
                while not self._queue and not self._closing:
                    self._cond.wait()
                self._writer_idle = False
                if self._queue and self._max_wait_seconds > 0:
                    # Idle until now: give the calls of other threads a moment to join this one.
                    deadline = time.monotonic() + self._max_wait_seconds
                    while self._queued_events < self._max_batch_events and not self._closing:
                        remaining = deadline - time.monotonic()
                        if remaining <= 0:
                            break
                        self._cond.wait(remaining)
            if not self._queue:
                return None
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

    def _top_up(self, batch: list[_PendingAppend]) -> None:
        with self._cond:
            taken = sum(len(pending.events) for pending in batch)
            added = 0
            while self._queue and taken + len(self._queue[0].events) <= self._max_batch_events:
                pending = self._queue.popleft()
                batch.append(pending)
                taken += len(pending.events)
                added += len(pending.events)
            self._queued_events -= added

    def _commit(self, batch: list[_PendingAppend]) -> Connection | None:
        """Commit ``batch`` and release its callers; the connection, None if it failed."""
        started = time.perf_counter()
        events = [event for pending in batch for event in pending.events]
        # One link per session and one record per id: the latest call wins (PostgreSQL refuses
        # to upsert one row twice in a statement).
        links = {(p.link.dataset_group_arn, p.link.session_id): p.link for p in batch if p.link}
        records = {(r.dataset_arn, r.record_id): r for p in batch for r in p.records}
        new_links = [link for key, link in links.items() if self._linked.get(key) != link.user_id]
        try:
            connection, seqs = self._write(events, new_links, list(records.values()))
        except Exception as exc:  # noqa: BLE001 - every failure fails the whole batch
            log.exception("event log batch of %d calls failed", len(batch))
            self._discard_connection()
            for pending in batch:
                pending.error = exc
                pending.done.release()
            return None
        for event, seq in zip(events, seqs, strict=True):
            event.seq = seq
        self._remember_links(new_links)
        for pending in batch:
            pending.done.release()
        if self._on_commit is not None:
            self._on_commit(len(batch), len(events), time.perf_counter() - started)
        if self._checkpoints is not None:
            self._checkpoints.committed()
        return connection

    def _write(
        self,
        events: list[StreamedEvent],
        links: list[SessionLink],
        records: list[DatasetRecord],
    ) -> tuple[Connection, list[int]]:
        """Commit one batch, retrying while SQLite stays locked (see the module docstring)."""
        deadline = time.monotonic() + self._max_busy_seconds
        delay = 0.001
        while True:
            connection = self._connect()
            try:
                return connection, self._sql.commit_batch(connection, events, links, records)
            except Exception as exc:  # noqa: BLE001 - only a busy database is retried
                if not _is_busy(exc) or time.monotonic() + delay > deadline:
                    raise
                log.warning("the event log is locked by another writer; retrying the batch")
            time.sleep(delay)
            delay = min(delay * 2, 0.1)

    @contextmanager
    def _writers_turn(self) -> Iterator[None]:
        """Hold the writers' file lock (SQLite files only) around one commit.

        The lock only spares the writers SQLite's polling; SQLite's own lock keeps commits
        correct without it, so a lock file that cannot be used is logged and done without.
        """
        if self._writers_lock_path is None:
            yield
            return
        try:
            if self._writers_lock_fd is None:
                flags = os.O_RDWR | os.O_CREAT
                self._writers_lock_fd = os.open(self._writers_lock_path, flags, 0o600)
            fcntl.flock(self._writers_lock_fd, fcntl.LOCK_EX)
        except OSError:
            log.warning("no writers' lock %s; relying on SQLite's", self._writers_lock_path)
            self._writers_lock_path = None
            yield
            return
        try:
            yield
        finally:
            fcntl.flock(self._writers_lock_fd, fcntl.LOCK_UN)

    def _checkpoint_in_writer(self, connection: Connection) -> None:
        """Copy the last WAL pages back, so that the next commit can rewind the WAL."""
        try:
            connection.connection.driver_connection.execute("PRAGMA wal_checkpoint(PASSIVE)")
        except sqlite3.Error:
            log.warning("the writer's WAL checkpoint failed", exc_info=True)
        assert self._checkpoints is not None
        self._checkpoints.writer_checkpointed()

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
                driver = connection.connection.driver_connection
                driver.execute("PRAGMA synchronous=FULL")
                driver.execute(f"PRAGMA busy_timeout={_WRITER_BUSY_TIMEOUT_MS}")
                if self._checkpoints is not None:
                    driver.execute("PRAGMA wal_autocheckpoint=0")
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
