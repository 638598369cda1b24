"""The statements of one group commit, per dialect.

They insert events (learning their ``seq``) and upsert session links and records.

SQLite: each table gets ONE multi-row statement built from the compiled Core insert, run on the
driver connection. Measured on this project's 2-core machines, Core ``executemany`` was several
times slower under load: the sqlite3 driver releases the GIL around every row's step, and with the
gRPC threads busy the writer then waits for the GIL again after each row (up to the 5 ms switch
interval), so a 70-event commit took 14 ms. Every statement costs such a wait, so a batch of events
alone (no session link, no record) is one autocommit statement: atomic, durable (the commit at
its end fsyncs the WAL) and one GIL release. ``seq`` values follow from ``lastrowid``: a statement
holds the database's write lock, so its rows get consecutive rowids.

PostgreSQL: Core ``insert`` with ``executemany`` (SQLAlchemy sends multi-row ``VALUES`` with
``RETURNING seq`` in parameter order); the driver waits on the network without the GIL.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from itertools import chain
from typing import Any

from sqlalchemy import Connection, Engine, Insert, insert
from sqlalchemy.dialects import postgresql, sqlite

from domain.streamed_data import DatasetRecord, SessionLink, StreamedEvent
from storage.metadata.models import DatasetRecordRow, EventRow, SessionUserRow
from storage.streamed.event_rows import EVENT_COLUMNS, event_to_row, record_to_row

_EVENTS = EventRow.__table__
_LINKS = SessionUserRow.__table__
_RECORDS = DatasetRecordRow.__table__
LINK_COLUMNS = ("dataset_group_arn", "session_id", "user_id", "updated_at")
RECORD_COLUMNS = ("dataset_arn", "record_id", "properties", "updated_at")


def _upsert(dialect_insert: Any, table: Any, key: list[str], updated: list[str]) -> Insert:
    statement = dialect_insert(table)
    return statement.on_conflict_do_update(
        index_elements=key, set_={name: statement.excluded[name] for name in updated}
    )


def _link_rows(links: Sequence[SessionLink]) -> list[tuple[Any, ...]]:
    return [(x.dataset_group_arn, x.session_id, x.user_id, x.linked_at) for x in links]


def _record_rows(records: Sequence[DatasetRecord]) -> list[tuple[Any, ...]]:
    return [tuple(record_to_row(r)[name] for name in RECORD_COLUMNS) for r in records]


class _MultiRowStatement:
    """A compiled one-row SQLite statement, repeated over many rows in one ``VALUES`` list."""

    def __init__(self, statement: Insert, columns: Sequence[str], engine: Engine) -> None:
        compiled = statement.compile(dialect=engine.dialect, column_keys=list(columns))
        if tuple(compiled.positiontup or ()) != tuple(columns):
            raise RuntimeError(f"unexpected parameter order in {compiled.string}")
        text = compiled.string
        start = text.index(" VALUES (") + len(" VALUES ")
        end = text.index(")", start) + 1
        self._head, self._row, self._tail = text[:start], text[start:end], text[end:]
        self._width = len(columns)

    def fits_one_statement(self, driver: sqlite3.Connection, rows: int) -> bool:
        """Whether ``rows`` rows fit in one statement's bound variables."""
        return rows * self._width <= driver.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)

    def execute(self, driver: sqlite3.Connection, rows: list[tuple[Any, ...]]) -> sqlite3.Cursor:
        """Run the statement for ``rows`` (each in column order); return the last cursor."""
        limit = driver.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        per_statement = max(1, limit // self._width)
        cursor = None
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            sql = self._head + ",".join([self._row] * len(chunk)) + self._tail
            cursor = driver.execute(sql, tuple(chain.from_iterable(chunk)))
        assert cursor is not None
        return cursor


class SqliteBatchSql:
    """One multi-row statement per table (see the module docstring)."""

    def __init__(self, engine: Engine) -> None:
        self._events = _MultiRowStatement(insert(_EVENTS), EVENT_COLUMNS, engine)
        self._links = _MultiRowStatement(
            _upsert(
                sqlite.insert,
                _LINKS,
                ["dataset_group_arn", "session_id"],
                ["user_id", "updated_at"],
            ),
            LINK_COLUMNS,
            engine,
        )
        self._records = _MultiRowStatement(
            _upsert(
                sqlite.insert, _RECORDS, ["dataset_arn", "record_id"], ["properties", "updated_at"]
            ),
            RECORD_COLUMNS,
            engine,
        )

    def commit_batch(
        self,
        connection: Connection,
        events: Sequence[StreamedEvent],
        links: Sequence[SessionLink],
        records: Sequence[DatasetRecord],
    ) -> list[int]:
        """Write and commit one batch; return the events' ``seq``.

        Runs on the driver connection in autocommit mode: a batch of events alone is one
        statement, atomic and durable by itself (one GIL release in all); otherwise the
        statements run between ``BEGIN IMMEDIATE`` and ``COMMIT``.
        """
        driver: sqlite3.Connection = connection.connection.driver_connection
        rows = [event_to_row(e) for e in events]
        if (
            rows
            and not links
            and not records
            and self._events.fits_one_statement(driver, len(rows))
        ):
            return self._seqs(self._events.execute(driver, rows), len(rows))
        driver.execute("BEGIN IMMEDIATE")
        try:
            seqs = self._seqs(self._events.execute(driver, rows), len(rows)) if rows else []
            if links:
                self._links.execute(driver, _link_rows(links))
            if records:
                self._records.execute(driver, _record_rows(records))
            driver.execute("COMMIT")
        except BaseException:
            if driver.in_transaction:
                driver.execute("ROLLBACK")
            raise
        return seqs

    @staticmethod
    def _seqs(cursor: sqlite3.Cursor, count: int) -> list[int]:
        last = cursor.lastrowid
        assert last is not None
        return list(range(last - count + 1, last + 1))


class PostgresBatchSql:
    """Core inserts with ``executemany`` (see the module docstring)."""

    def __init__(self, engine: Engine) -> None:
        self._events = insert(_EVENTS).returning(_EVENTS.c.seq, sort_by_parameter_order=True)
        self._links = _upsert(
            postgresql.insert,
            _LINKS,
            ["dataset_group_arn", "session_id"],
            ["user_id", "updated_at"],
        )
        self._records = _upsert(
            postgresql.insert, _RECORDS, ["dataset_arn", "record_id"], ["properties", "updated_at"]
        )

    def commit_batch(
        self,
        connection: Connection,
        events: Sequence[StreamedEvent],
        links: Sequence[SessionLink],
        records: Sequence[DatasetRecord],
    ) -> list[int]:
        """Write and commit one batch in one transaction; return the events' ``seq``."""
        seqs: list[int] = []
        with connection.begin():
            if events:
                rows = [dict(zip(EVENT_COLUMNS, event_to_row(e), strict=True)) for e in events]
                seqs = list(connection.execute(self._events, rows).scalars())
            if links:
                rows = [dict(zip(LINK_COLUMNS, row, strict=True)) for row in _link_rows(links)]
                connection.execute(self._links, rows)
            if records:
                connection.execute(self._records, [record_to_row(r) for r in records])
        return seqs


def batch_sql_for(engine: Engine) -> SqliteBatchSql | PostgresBatchSql:
    """The batch statements for the engine's dialect."""
    if engine.dialect.name == "postgresql":
        return PostgresBatchSql(engine)
    return SqliteBatchSql(engine)
