"""The SQL online store, on the metadata database.

It reads the tables the durable writer commits to, so every acknowledged write is visible at once:
read-your-writes needs nothing beyond the commit.

On SQLite, a user's recent events (read on every GetRecommendations) are one plain SQL statement
on a DBAPI connection in autocommit mode: the SQLAlchemy statement path with its explicit
``BEGIN`` cost several times the query itself. On a database file, each thread keeps its own
read connection (checking one out of the engine's pool and back cost a third of an empty
user's read); an in-memory database uses the pool's. Other databases take the SQLAlchemy path.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Engine, func, select

from domain.streamed_data import DatasetRecord, SessionLink, StreamedEvent
from storage.metadata.models import DatasetRecordRow, EventRow, SessionUserRow
from storage.online.store import DEFAULT_RECENT_EVENTS, MAX_LINKED_SESSIONS, OnlineStore
from storage.streamed.event_rows import READ_COLUMNS, event_from_row, record_from_row

_EVENTS = EventRow.__table__
_LINKS = SessionUserRow.__table__
_RECORDS = DatasetRecordRow.__table__
_EVENT_SELECT = select(*(_EVENTS.c[name] for name in READ_COLUMNS))
_COLUMNS = ", ".join(READ_COLUMNS)
# The events that carried the user's id, and the anonymous events of the sessions most recently
# linked to the user: each leg newest first and limited, merged by the caller.
_USER_EVENTS_SQL = (
    f"SELECT * FROM (SELECT {_COLUMNS} FROM events WHERE dataset_group_arn = ? AND user_id = ? "
    "ORDER BY seq DESC LIMIT ?) "
    f"UNION ALL SELECT * FROM (SELECT {_COLUMNS} FROM events WHERE dataset_group_arn = ? "
    "AND user_id IS NULL AND session_id IN (SELECT session_id FROM session_users "
    "WHERE dataset_group_arn = ? AND user_id = ? ORDER BY updated_at DESC LIMIT ?) "
    "ORDER BY seq DESC LIMIT ?)"
)
_RECORDS_VERSION_SQL = "SELECT count(*), max(updated_at) FROM dataset_records WHERE dataset_arn = ?"


class SqlOnlineStore(OnlineStore):
    """Online reads of ``events``, ``session_users`` and ``dataset_records``."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._plain_sqlite = engine.dialect.name == "sqlite"
        database = engine.url.database or ""
        file_backed = database not in ("", ":memory:") and not engine.url.query
        self._sqlite_file = database if self._plain_sqlite and file_backed else None
        self._readers = threading.local()

    def apply(
        self,
        *,
        events: Sequence[StreamedEvent] = (),
        link: SessionLink | None = None,
        records: Sequence[DatasetRecord] = (),
    ) -> None:
        """Nothing to do: the durable writer's commit already wrote the tables read here."""

    def forget_users(
        self,
        dataset_group_arn: str,
        user_ids: Sequence[str],
        users_dataset_arns: Sequence[str] = (),
    ) -> None:
        """Nothing to do: this store reads the rows the deletion job already deleted."""

    def recent_events(
        self,
        dataset_group_arn: str,
        *,
        user_id: str | None = None,
        session_id: str | None = None,
        limit: int = DEFAULT_RECENT_EVENTS,
    ) -> list[StreamedEvent]:
        """See :meth:`OnlineStore.recent_events`."""
        if self._plain_sqlite and user_id is not None and session_id is None:
            return self._user_events_sqlite(dataset_group_arn, user_id, limit)
        in_group = _EVENTS.c.dataset_group_arn == dataset_group_arn
        newest = _EVENTS.c.seq.desc()
        found: dict[int, StreamedEvent] = {}
        with self._engine.connect() as connection:
            queries = []
            if user_id is not None:
                queries.append(_EVENT_SELECT.where(in_group, _EVENTS.c.user_id == user_id))
                linked = connection.scalars(
                    select(_LINKS.c.session_id)
                    .where(_LINKS.c.dataset_group_arn == dataset_group_arn)
                    .where(_LINKS.c.user_id == user_id)
                    .order_by(_LINKS.c.updated_at.desc())
                    .limit(MAX_LINKED_SESSIONS)
                ).all()
                if linked:
                    queries.append(
                        _EVENT_SELECT.where(
                            in_group, _EVENTS.c.session_id.in_(linked), _EVENTS.c.user_id.is_(None)
                        )
                    )
            if session_id is not None:
                queries.append(_EVENT_SELECT.where(in_group, _EVENTS.c.session_id == session_id))
            for query in queries:
                for row in connection.execute(query.order_by(newest).limit(limit)).mappings():
                    found.setdefault(row["seq"], event_from_row(row))
        return [found[seq] for seq in sorted(found, reverse=True)[:limit]]

    def _user_events_sqlite(
        self, dataset_group_arn: str, user_id: str, limit: int
    ) -> list[StreamedEvent]:
        """A user's history as one statement on a raw pooled connection (autocommit reads)."""
        if limit <= 0:
            return []
        rows = self._sqlite_rows(
            _USER_EVENTS_SQL,
            (
                dataset_group_arn,
                user_id,
                limit,
                dataset_group_arn,
                dataset_group_arn,
                user_id,
                MAX_LINKED_SESSIONS,
                limit,
            ),
        )
        rows.sort(key=lambda row: row[0], reverse=True)
        found: dict[int, StreamedEvent] = {}
        for row in rows:
            if row[0] not in found:
                found[row[0]] = event_from_row(dict(zip(READ_COLUMNS, row, strict=True)))
        return list(found.values())[:limit]

    def session_user(self, dataset_group_arn: str, session_id: str) -> str | None:
        """See :meth:`OnlineStore.session_user`."""
        with self._engine.connect() as connection:
            return connection.scalar(
                select(_LINKS.c.user_id).where(
                    _LINKS.c.dataset_group_arn == dataset_group_arn,
                    _LINKS.c.session_id == session_id,
                )
            )

    def records_version(self, dataset_arn: str) -> object:
        """See :meth:`OnlineStore.records_version`: (record count, newest ``updated_at``).

        One aggregate over the dataset's records (its primary-key range): cheap for the
        thousands of records PutItems typically holds.
        """
        if self._plain_sqlite:
            rows = self._sqlite_rows(_RECORDS_VERSION_SQL, (dataset_arn,))
            return (int(rows[0][0]), rows[0][1])
        with self._engine.connect() as connection:
            row = connection.execute(
                select(func.count(), func.max(_RECORDS.c.updated_at)).where(
                    _RECORDS.c.dataset_arn == dataset_arn
                )
            ).one()
        return (int(row[0]), row[1])

    def _sqlite_rows(self, sql: str, parameters: tuple[object, ...]) -> list[tuple[Any, ...]]:
        """Rows of one read statement on this thread's SQLite connection (autocommit).

        Every row is fetched, so no read transaction stays open between calls: each statement
        sees everything committed before it began.
        """
        if self._sqlite_file is not None:
            return self._thread_reader().execute(sql, parameters).fetchall()
        connection = self._engine.raw_connection()
        try:
            return connection.execute(sql, parameters).fetchall()
        finally:
            connection.close()

    def _thread_reader(self) -> sqlite3.Connection:
        """This thread's read-only use connection to the database file (opened on first use)."""
        reader = getattr(self._readers, "connection", None)
        if reader is None or reader[0] != os.getpid():  # never use a parent's after a fork
            connection = sqlite3.connect(
                self._sqlite_file, timeout=30, isolation_level=None, check_same_thread=False
            )
            reader = self._readers.connection = (os.getpid(), connection)
        return reader[1]

    def get_records(self, dataset_arn: str, record_ids: Iterable[str]) -> dict[str, DatasetRecord]:
        """See :meth:`OnlineStore.get_records`."""
        wanted = list(dict.fromkeys(record_ids))
        if not wanted:
            return {}
        with self._engine.connect() as connection:
            rows = connection.execute(
                select(_RECORDS).where(
                    _RECORDS.c.dataset_arn == dataset_arn, _RECORDS.c.record_id.in_(wanted)
                )
            ).mappings()
            return {row["record_id"]: record_from_row(row) for row in rows}
