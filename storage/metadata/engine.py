"""Database engines and the one session scope that commits, rolls back and translates errors."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from domain.errors import LimitExceededException, ResourceAlreadyExistsException

SUPPORTED_SCHEMES = ("sqlite", "postgresql")


def create_metadata_engine(url: str) -> Engine:
    """Create an engine for ``url``: SQLite (WAL, foreign keys, busy timeout) or PostgreSQL.

    Raises:
        ValueError: for a URL scheme Tailor does not support (the message lists the known ones).

    """
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        _configure_sqlite(engine)
        return engine
    if backend == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        return create_engine(parsed, pool_pre_ping=True, pool_size=10, max_overflow=10)
    raise ValueError(
        f"metadata store URL scheme {parsed.drivername!r} is not supported; "
        f"use one of: {', '.join(SUPPORTED_SCHEMES)}"
    )


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's own is unreliable).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:  # type: ignore[no-untyped-def]
        # Writers take the lock up front so that read-then-write transactions cannot deadlock.
        immediate = connection.get_execution_options().get("tailor_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


class SessionScopes:
    """Read and write session scopes over one engine."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._read = sessionmaker(engine, expire_on_commit=False)
        self._write = sessionmaker(
            engine.execution_options(tailor_write=True), expire_on_commit=False
        )
        # SQLite has one writer at a time; queueing this process's writers on a lock is fairer
        # and far faster than SQLite's busy handler, which sleeps and retries.
        self._write_lock = threading.Lock() if engine.dialect.name == "sqlite" else nullcontext()

    @contextmanager
    def write(self, conflict_message: str = "the resource already exists") -> Iterator[Session]:
        """A transaction that commits on success, rolls back on error, and translates errors.

        Args:
            conflict_message: message of the ResourceAlreadyExistsException raised when a unique
                constraint is violated inside the transaction.

        """
        with self._write_lock, self._write() as session:
            try:
                with session.begin():
                    yield session
            except IntegrityError as exc:
                raise ResourceAlreadyExistsException(conflict_message) from exc
            except OperationalError as exc:
                if _is_busy(exc):
                    raise LimitExceededException("the metadata store is busy; retry") from exc
                raise

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only session."""
        with self._read() as session, session.begin():
            yield session


def _is_busy(exc: DBAPIError) -> bool:
    return "database is locked" in str(exc.orig)
