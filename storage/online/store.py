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

    @abstractmethod
    def records_version(self, dataset_arn: str) -> object:
        """A cheap token that changes whenever a record of ``dataset_arn`` is written.

        Readers that cache what they built from the records (the runtime's filter columns)
        compare it on every request and rebuild only when it differs.
        """

    @abstractmethod
    def forget_users(
        self,
        dataset_group_arn: str,
        user_ids: Sequence[str],
        users_dataset_arns: Sequence[str] = (),
    ) -> None:
        """Stop serving what the store keeps of users whose data a deletion job removed.

        Called after the job deleted the users' rows from the event log, ``session_users`` and
        ``dataset_records`` (``storage.streamed.deletion``). Afterwards the users' histories are
        empty, the sessions linked to them are anonymous again without their anonymous events,
        and their records in ``users_dataset_arns`` are gone (the records version changes).
        Other users' events, also in those sessions, stay. Idempotent.

        Args:
            dataset_group_arn: The dataset group.
            user_ids: The users.
            users_dataset_arns: The group's Users datasets.

        """

    def close(self) -> None:  # noqa: B027 - a backend without resources needs no cleanup
        """Release connections."""


def open_online_store(url: str, engine: Engine) -> OnlineStore:
    """The online store named by ``url``.

    Args:
        url: Empty for the SQL store on the metadata database; ``redis://host:port/db`` (or
            ``rediss://``) for Redis, optionally with ``?key_prefix=...`` (default ``tailor:``).
        engine: The metadata database, read by the SQL store (and by the Redis store to catch
            up from the event log after a failed write).

    Raises:
        ValueError: an unknown scheme; the message lists the known ones.

    """
    scheme = url.split("://", 1)[0].lower() if "://" in url else url
    if not url:
        from storage.online.sql_store import SqlOnlineStore

        return SqlOnlineStore(engine)
    if scheme in ("redis", "rediss"):
        from storage.online.redis_store import RedisOnlineStore

        return RedisOnlineStore.from_url(url, engine=engine)
    raise ValueError(
        f"online store URL scheme {scheme!r} is not supported; use one of: {', '.join(SCHEMES)}"
    )
