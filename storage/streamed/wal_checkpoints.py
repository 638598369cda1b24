"""WAL checkpoints of the SQLite event log, run beside the group-commit writer, not in its commits.

By default SQLite copies the write-ahead log back into the database file (a checkpoint) inside
the commit that takes the WAL past 1000 pages: that commit then lasted 10-65 ms instead of ~1 ms on
the project's machines, and every PutEvents call waiting on it with it (most of the p99 at 1,000
calls/s). The writer's connection turns automatic checkpoints off and this thread checkpoints on
its own connection instead, in PASSIVE mode, which never blocks the writer or readers.

A PASSIVE checkpoint cannot rewind the WAL while commits keep coming: the WAL restarts from its
beginning only when a write finds every frame already copied back. So once the WAL is longer than
``rewind_frames``, :meth:`WalCheckpoints.wants_writer_checkpoint` asks the writer to checkpoint
once itself, between two batches; that is cheap (this thread copied nearly everything already)
and lets the writer's next commit rewind the WAL. Checkpoints only copy committed pages: whether
they run, and where, changes nothing about what is durable.

With several serving processes on one database file, each process's writer has its own thread
here. That is safe as it is: PASSIVE checkpoints of two processes never block each other or any
writer (SQLite lets one run at a time and answers the other "busy", which is skipped here), the
WAL length each thread reads is the shared file's, and a writer's own checkpoint happens outside
the writers' turn-taking lock (``group_commit``), between its commits.
"""

from __future__ import annotations

import logging
import sqlite3
import threading

from sqlalchemy import Engine

log = logging.getLogger(__name__)

DEFAULT_MIN_INTERVAL_SECONDS = 0.05
DEFAULT_REWIND_FRAMES = 8192  # 32 MiB of 4 KiB pages


class WalCheckpoints:
    """A thread that checkpoints the WAL after commits, at most every ``min_interval_seconds``."""

    def __init__(
        self,
        engine: Engine,
        *,
        min_interval_seconds: float = DEFAULT_MIN_INTERVAL_SECONDS,
        rewind_frames: int = DEFAULT_REWIND_FRAMES,
    ) -> None:
        """Start the thread (it opens its connection from ``engine``, a file SQLite database)."""
        self._engine = engine
        self._min_interval_seconds = min_interval_seconds
        self._rewind_frames = rewind_frames
        self._due = threading.Event()
        self._closing = threading.Event()
        self._wal_frames = 0
        self._thread = threading.Thread(target=self._run, name="event-log-checkpoints", daemon=True)
        self._thread.start()

    def committed(self) -> None:
        """Note that the writer committed (a checkpoint becomes due)."""
        self._due.set()

    def wants_writer_checkpoint(self) -> bool:
        """Whether the WAL has grown past ``rewind_frames`` (see the module docstring)."""
        return self._wal_frames >= self._rewind_frames

    def writer_checkpointed(self) -> None:
        """Note that the writer ran its own checkpoint."""
        self._wal_frames = 0

    def close(self, timeout: float = 30.0) -> None:
        """Stop the thread and close its connection."""
        self._closing.set()
        self._due.set()
        self._thread.join(timeout)

    def _run(self) -> None:
        try:
            connection = self._engine.connect()
        except Exception:  # noqa: BLE001 - SQLite checkpoints automatically without this thread
            log.exception("no connection for WAL checkpoints; leaving them to SQLite")
            return
        driver: sqlite3.Connection = connection.connection.driver_connection
        try:
            while True:
                self._due.wait()
                if self._closing.is_set():
                    return
                self._due.clear()
                try:
                    busy, wal_frames, _copied = driver.execute(
                        "PRAGMA wal_checkpoint(PASSIVE)"
                    ).fetchone()
                    if not busy:  # busy: another connection was checkpointing (no figures)
                        self._wal_frames = wal_frames
                except sqlite3.Error:
                    log.warning("a WAL checkpoint failed; the next commit retries", exc_info=True)
                self._closing.wait(self._min_interval_seconds)
        finally:
            connection.close()
