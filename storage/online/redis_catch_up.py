"""Catching the Redis online store up from the event log after Redis failed.

The events service commits every call durably first and applies it to Redis second. When that
second step fails (Redis down, a broken connection), the call is still acknowledged: its events
ARE stored, and answering an error would make a client retry store them twice. Instead the Redis
store notes what it missed here, and a thread beside it replays the missed part of the database
into Redis as soon as Redis answers again, so read-your-writes comes back by itself:

* events from the lowest ``seq`` missed on (every event at or after it is replayed, this process's
  and others'; a member encodes its ``seq``, so writing it again changes nothing);
* session links and records updated since a little before the earliest miss, at their current
  state in the database.

While a catch-up is due, this process applies nothing to Redis directly: its calls join the next
replay, so an older state replayed can never overwrite a newer one written by this process.
(Another serving process writing the same record or session link during the replay's few
milliseconds can still be overwritten by the replayed, older state until its next write.)

What is missed is held in memory: a process that ends while Redis is down leaves the gap to the
next process that misses a write, or to the next retrain (the event log itself is complete).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence

from sqlalchemy import Engine, select

from domain.streamed_data import DatasetRecord, SessionLink, StreamedEvent
from storage.metadata.models import DatasetRecordRow, EventRow, SessionUserRow
from storage.streamed.event_rows import READ_COLUMNS, event_from_row, record_from_row

log = logging.getLogger(__name__)

_EVENTS = EventRow.__table__
_LINKS = SessionUserRow.__table__
_RECORDS = DatasetRecordRow.__table__
DEFAULT_RETRY_SECONDS = 0.5
# Records and links are replayed from this long before the earliest miss: their timestamps are
# taken when a call arrives, a little before its commit (and on other processes' clocks).
CLOCK_MARGIN_SECONDS = 60.0
REPLAY_CHUNK = 2000

#: Writes one batch to Redis (the store's apply without catch-up); raises on a Redis error.
ApplyBatch = Callable[
    [Sequence[StreamedEvent], Sequence[SessionLink], Sequence[DatasetRecord]], None
]


class _Missed:
    """The lowest event ``seq`` and earliest timestamp missed (None: nothing)."""

    __slots__ = ("from_seq", "from_time")

    def __init__(self) -> None:
        self.from_seq: int | None = None
        self.from_time: float | None = None

    def add(self, seq: int | None, at: float | None) -> None:
        if seq is not None:
            self.from_seq = seq if self.from_seq is None else min(self.from_seq, seq)
        if at is not None:
            self.from_time = at if self.from_time is None else min(self.from_time, at)

    def empty(self) -> bool:
        return self.from_seq is None and self.from_time is None


class RedisCatchUp:
    """What Redis missed, and the thread that replays it from the database."""

    def __init__(
        self,
        engine: Engine,
        apply_batch: ApplyBatch,
        *,
        retry_seconds: float = DEFAULT_RETRY_SECONDS,
    ) -> None:
        """Prepare (the thread starts at the first miss).

        Args:
            engine: The metadata database holding the event log.
            apply_batch: Writes a batch to Redis, raising on failure.
            retry_seconds: Pause between replay attempts while Redis fails.

        """
        self._engine = engine
        self._apply_batch = apply_batch
        self._retry_seconds = retry_seconds
        self._lock = threading.Lock()
        self._missed = _Missed()
        self._due = False  # a replay is due or running: apply nothing directly
        self._closing = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def due(self) -> bool:
        """Whether a replay is due (callers then only :meth:`note` their data)."""
        return self._due

    def note(
        self,
        events: Sequence[StreamedEvent],
        link: SessionLink | None,
        records: Sequence[DatasetRecord],
    ) -> None:
        """Remember committed data that Redis did not get; start the replay thread if needed."""
        seqs = [event.seq for event in events if event.seq is not None]
        times = [record.updated_at for record in records]
        if link is not None:
            times.append(link.linked_at)
        with self._lock:
            self._missed.add(min(seqs) if seqs else None, min(times) if times else None)
            self._due = True
            if self._thread is None and not self._closing.is_set():
                self._thread = threading.Thread(
                    target=self._run, name="redis-catch-up", daemon=True
                )
                self._thread.start()
        self._wake.set()

    def close(self, timeout: float = 5.0) -> None:
        """Stop the thread (what is still missed stays missed; see the module docstring)."""
        self._closing.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        while not self._closing.is_set():
            self._wake.wait()
            self._wake.clear()
            with self._lock:
                missed, self._missed = self._missed, _Missed()
                if missed.empty():
                    self._due = False
                    self._thread = None
                    return
            try:
                self._replay(missed)
                log.info("the Redis online store caught up from the event log")
            except Exception as exc:  # noqa: BLE001 - Redis or the database still failing: retry
                log.warning("the Redis online store cannot catch up yet (%s); retrying", exc)
                with self._lock:
                    self._missed.add(missed.from_seq, missed.from_time)
                self._closing.wait(self._retry_seconds)
            self._wake.set()  # look again: calls may have missed Redis during the replay

    def _replay(self, missed: _Missed) -> None:
        if missed.from_seq is not None:
            after = missed.from_seq - 1
            while True:
                events = self._events_after(after)
                if not events:
                    break
                self._apply_batch(events, (), ())
                after = events[-1].seq or after
        if missed.from_time is not None:
            since = missed.from_time - CLOCK_MARGIN_SECONDS
            with self._engine.connect() as connection:
                link_rows = connection.execute(select(_LINKS).where(_LINKS.c.updated_at >= since))
                links = [
                    SessionLink(row.dataset_group_arn, row.session_id, row.user_id, row.updated_at)
                    for row in link_rows
                ]
                records = [
                    record_from_row(row._mapping)
                    for row in connection.execute(
                        select(_RECORDS).where(_RECORDS.c.updated_at >= since)
                    )
                ]
            for start in range(0, max(len(links), len(records)), REPLAY_CHUNK):
                self._apply_batch(
                    (), links[start : start + REPLAY_CHUNK], records[start : start + REPLAY_CHUNK]
                )

    def _events_after(self, after: int) -> list[StreamedEvent]:
        statement = (
            select(*(_EVENTS.c[name] for name in READ_COLUMNS))
            .where(_EVENTS.c.seq > after)
            .order_by(_EVENTS.c.seq)
            .limit(REPLAY_CHUNK)
        )
        with self._engine.connect() as connection:
            return [event_from_row(row._mapping) for row in connection.execute(statement)]
