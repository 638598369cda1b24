"""The online store interface, and the choice of backend by URL scheme."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence

from sqlalchemy import Engine

from domain.streamed_data import DatasetRecord, SessionLink, StreamedEvent

DEFAULT_RECENT_EVENTS = 100
# Linked sessions whose anonymous events join a user's history (the most recently linked).
MAX_LINKED_SESSIONS = 100
SCHEMES = ("(empty: the metadata database)", "redis", "rediss")


class OnlineStore(ABC):
    """What the runtime reads per request, kept current by the events service.

    A user's history is the events that carried the user's id, plus the anonymous events (no
    userId) of the sessions most recently linked to that user (spec §9.1: an event that carries
    both ids links its session to the user; a later link of the session to another user moves
    them). Events come newest first, by their position in the event log.
    """

    @abstractmethod
    def apply(
        self,
        *,
        events: Sequence[StreamedEvent] = (),
        link: SessionLink | None = None,
        records: Sequence[DatasetRecord] = (),
    ) -> None:
        """Make data that the durable writer just committed visible to readers.

        Args:
            events: Stored events (with ``seq``).
            link: The session link the same call recorded.
            records: Records just upserted (replacing earlier ones with the same id).

        """

    @abstractmethod
    def recent_events(
        self,
        dataset_group_arn: str,
        *,
        user_id: str | None = None,
        session_id: str | None = None,
        limit: int = DEFAULT_RECENT_EVENTS,
    ) -> list[StreamedEvent]:
        """The newest ``limit`` events of a user's history, a session, or both together.

        Args:
            dataset_group_arn: The dataset group.
            user_id: The user whose history is wanted.
            session_id: A session whose events are wanted (with or without a user).
            limit: At most this many events (a backend may keep fewer per user or session).

        Returns:
            Events newest first, each once.

        """

    @abstractmethod
    def session_user(self, dataset_group_arn: str, session_id: str) -> str | None:
        """The user a session is linked to, or None while it is anonymous."""

    @abstractmethod
    def get_records(self, dataset_arn: str, record_ids: Iterable[str]) -> dict[str, DatasetRecord]:
        """Records written by PutItems/PutUsers/PutActions, by id (unknown ids left out)."""

    def close(self) -> None:  # noqa: B027 - a backend without resources needs no cleanup
        """Release connections."""


def open_online_store(url: str, engine: Engine) -> OnlineStore:
    """The online store named by ``url``.

    Args:
        url: Empty for the SQL store on the metadata database; ``redis://host:port/db`` (or
            ``rediss://``) for Redis, optionally with ``?key_prefix=...`` (default ``tailor:``).
        engine: The metadata database, read by the SQL store.

    Raises:
        ValueError: an unknown scheme; the message lists the known ones.

    """
    scheme = url.split("://", 1)[0].lower() if "://" in url else url
    if not url:
        from storage.online.sql_store import SqlOnlineStore

        return SqlOnlineStore(engine)
    if scheme in ("redis", "rediss"):
        from storage.online.redis_store import RedisOnlineStore

        return RedisOnlineStore.from_url(url)
    raise ValueError(
        f"online store URL scheme {scheme!r} is not supported; use one of: {', '.join(SCHEMES)}"
    )
