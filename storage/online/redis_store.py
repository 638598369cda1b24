"""The Redis online store, written after the durable commit and before the reply.

Keys (``P`` is the key prefix, ``G`` a dataset group ARN, ``D`` a dataset ARN):

* ``P{G}:u:{user}``, ``P{G}:s:{session}``, ``P{G}:a:{session}``: sorted sets of events scored by
  ``seq``: the events that carried the user's id; every event of the session; the session's
  anonymous events (no userId). Each keeps the newest ``events_per_key`` (trimmed on write).
* ``P{G}:sl``: hash session -> linked user; ``P{G}:ls:{user}``: sorted set of the sessions linked
  to a user, scored by link time (a session relinked elsewhere is filtered out on read by ``sl``).
* ``P{D}:r``: hash record id -> record JSON; ``P{D}:rv``: a counter bumped by every write of
  the dataset's records (readers' cache token).

Events are stored as compact JSON arrays; ``seq`` makes every member unique.

Redis is written after the durable commit. When that write fails the call still succeeds (its
data is stored) and the store catches up from the event log once Redis answers again
(``redis_catch_up``); a store opened without the database raises instead.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import redis
from sqlalchemy import Engine

from domain.streamed_data import DatasetRecord, SessionLink, StreamedEvent
from storage.online.redis_catch_up import RedisCatchUp
from storage.online.store import DEFAULT_RECENT_EVENTS, MAX_LINKED_SESSIONS, OnlineStore

log = logging.getLogger(__name__)

DEFAULT_KEY_PREFIX = "tailor:"
DEFAULT_EVENTS_PER_KEY = 500
# A Redis that stops answering must not hold PutEvents calls (already committed) for long.
DEFAULT_SOCKET_TIMEOUT_SECONDS = 2.0
# Users forgotten per round of reads and one transaction (``forget_users``).
_FORGET_USERS_PER_ROUND = 500


class RedisOnlineStore(OnlineStore):
    """Recent events per user and session, and records, in Redis."""

    def __init__(
        self,
        client: redis.Redis,
        *,
        key_prefix: str = DEFAULT_KEY_PREFIX,
        events_per_key: int = DEFAULT_EVENTS_PER_KEY,
        engine: Engine | None = None,
    ) -> None:
        """Use ``client``.

        Args:
            client: The Redis client.
            key_prefix: Prefix of every key.
            events_per_key: Newest events kept per user or session.
            engine: The database holding the event log, to catch up from after a failed
                write; None: :meth:`apply` raises Redis errors.

        """
        self._client = client
        self._prefix = key_prefix
        self._events_per_key = events_per_key
        self._catch_up = RedisCatchUp(engine, self._write) if engine is not None else None

    @classmethod
    def from_url(cls, url: str, engine: Engine | None = None, **options: Any) -> RedisOnlineStore:
        """Connect to ``redis://host:port/db[?key_prefix=...]`` (see ``__init__`` for ``engine``).

        Socket timeouts default to ``DEFAULT_SOCKET_TIMEOUT_SECONDS`` unless the URL sets them.
        """
        parts = urlsplit(url)
        query = dict(parse_qsl(parts.query))
        prefix = query.pop("key_prefix", DEFAULT_KEY_PREFIX)
        plain_url = urlunsplit(parts._replace(query=urlencode(query)))
        timeouts = {
            name: DEFAULT_SOCKET_TIMEOUT_SECONDS
            for name in ("socket_timeout", "socket_connect_timeout")
            if name not in query
        }
        client = redis.Redis.from_url(plain_url, **timeouts)
        return cls(client, key_prefix=prefix, engine=engine, **options)

    def close(self) -> None:
        """Stop catching up and close the Redis connection pool."""
        if self._catch_up is not None:
            self._catch_up.close()
        self._client.close()

    def apply(
        self,
        *,
        events: Sequence[StreamedEvent] = (),
        link: SessionLink | None = None,
        records: Sequence[DatasetRecord] = (),
    ) -> None:
        """See :meth:`OnlineStore.apply`; a Redis failure is caught up later (module docstring).

        Raises:
            redis.RedisError: Redis failed and the store has no database to catch up from.

        """
        links = (link,) if link is not None else ()
        if self._catch_up is None:
            self._write(events, links, records)
            return
        if self._catch_up.due:  # this call joins the replay (never overtakes it)
            self._catch_up.note(events, link, records)
            return
        try:
            self._write(events, links, records)
        except redis.RedisError as exc:
            log.warning("Redis write failed after the commit (%s); catching up from the log", exc)
            self._catch_up.note(events, link, records)

    def _write(
        self,
        events: Sequence[StreamedEvent],
        links: Sequence[SessionLink],
        records: Sequence[DatasetRecord],
    ) -> None:
        """Write one batch in a MULTI/EXEC pipeline (idempotent: see the module docstring)."""
        pipe = self._client.pipeline(transaction=True)
        trimmed: set[str] = set()
        for event in events:
            member = _encode_event(event)
            group = event.dataset_group_arn
            keys = [self._session_key(group, event.session_id)]
            if event.user_id is not None:
                keys.append(self._user_key(group, event.user_id))
            else:
                keys.append(self._anonymous_key(group, event.session_id))
            for key in keys:
                pipe.zadd(key, {member: event.seq})
                trimmed.add(key)
        for key in trimmed:
            pipe.zremrangebyrank(key, 0, -self._events_per_key - 1)
        for link in links:
            group = link.dataset_group_arn
            pipe.hset(self._links_key(group), link.session_id, link.user_id)
            linked_key = self._linked_sessions_key(group, link.user_id)
            pipe.zadd(linked_key, {link.session_id: link.linked_at})
            pipe.zremrangebyrank(linked_key, 0, -MAX_LINKED_SESSIONS - 1)
        for record in records:
            pipe.hset(
                self._records_key(record.dataset_arn),
                record.record_id,
                json.dumps([record.properties, record.updated_at], separators=(",", ":")),
            )
        for dataset_arn in {record.dataset_arn for record in records}:
            pipe.incr(self._records_version_key(dataset_arn))
        pipe.execute()

    def recent_events(
        self,
        dataset_group_arn: str,
        *,
        user_id: str | None = None,
        session_id: str | None = None,
        limit: int = DEFAULT_RECENT_EVENTS,
    ) -> list[StreamedEvent]:
        """See :meth:`OnlineStore.recent_events`."""
        if limit <= 0:
            return []
        pipe = self._client.pipeline(transaction=False)
        if user_id is not None:
            pipe.zrevrange(self._user_key(dataset_group_arn, user_id), 0, limit - 1)
            pipe.zrevrange(self._linked_sessions_key(dataset_group_arn, user_id), 0, -1)
        if session_id is not None:
            pipe.zrevrange(self._session_key(dataset_group_arn, session_id), 0, limit - 1)
        replies = pipe.execute()
        members: list[bytes] = []
        if session_id is not None:
            members.extend(replies.pop())
        if user_id is not None:
            members.extend(replies[0])
            members.extend(self._anonymous_linked(dataset_group_arn, user_id, replies[1], limit))
        found: dict[int, StreamedEvent] = {}
        for member in members:
            event = _decode_event(dataset_group_arn, member)
            found.setdefault(event.seq or 0, event)
        return [found[seq] for seq in sorted(found, reverse=True)[:limit]]

    def session_user(self, dataset_group_arn: str, session_id: str) -> str | None:
        """See :meth:`OnlineStore.session_user`."""
        user = self._client.hget(self._links_key(dataset_group_arn), session_id)
        return user.decode() if user is not None else None

    def get_records(self, dataset_arn: str, record_ids: Iterable[str]) -> dict[str, DatasetRecord]:
        """See :meth:`OnlineStore.get_records`."""
        wanted = list(dict.fromkeys(record_ids))
        if not wanted:
            return {}
        values = self._client.hmget(self._records_key(dataset_arn), wanted)
        records = {}
        for record_id, value in zip(wanted, values, strict=True):
            if value is not None:
                properties, updated_at = json.loads(value)
                records[record_id] = DatasetRecord(dataset_arn, record_id, properties, updated_at)
        return records

    def records_version(self, dataset_arn: str) -> object:
        """See :meth:`OnlineStore.records_version`: the dataset's write counter."""
        value = self._client.get(self._records_version_key(dataset_arn))
        return int(value) if value is not None else 0

    def forget_users(
        self,
        dataset_group_arn: str,
        user_ids: Sequence[str],
        users_dataset_arns: Sequence[str] = (),
    ) -> None:
        """See :meth:`OnlineStore.forget_users`.

        The sessions of a user are those of its ``ls`` set (the newest ``MAX_LINKED_SESSIONS``
        linked; every event with a user id links its session). From each, the user's events
        leave the session's set, and so do its anonymous events while the user owns the
        session; then the owned sessions' anonymous sets and links, the users' own sets and
        their records go, in one transaction per round of users.
        """
        group = dataset_group_arn
        for start in range(0, len(user_ids), _FORGET_USERS_PER_ROUND):
            users = list(dict.fromkeys(user_ids[start : start + _FORGET_USERS_PER_ROUND]))
            forgotten = {user.encode() for user in users}
            reads = self._client.pipeline(transaction=False)
            for user in users:
                reads.zrange(self._linked_sessions_key(group, user), 0, -1)
            sessions = sorted({s.decode() for linked in reads.execute() for s in linked})
            owned: set[str] = set()
            session_members: list[list[bytes]] = []
            if sessions:
                owners = self._client.hmget(self._links_key(group), sessions)
                owned = {s for s, o in zip(sessions, owners, strict=True) if o in forgotten}
                reads = self._client.pipeline(transaction=False)
                for session in sessions:
                    reads.zrange(self._session_key(group, session), 0, -1)
                session_members = reads.execute()
            forgotten_ids = {user.decode() for user in forgotten}
            pipe = self._client.pipeline(transaction=True)
            for session, members in zip(sessions, session_members, strict=True):
                gone = [m for m in members if _forgotten(m, forgotten_ids, session in owned)]
                if gone:
                    pipe.zrem(self._session_key(group, session), *gone)
            for session in owned:
                pipe.delete(self._anonymous_key(group, session))
                pipe.hdel(self._links_key(group), session)
            for user in users:
                pipe.delete(self._user_key(group, user), self._linked_sessions_key(group, user))
            for dataset_arn in users_dataset_arns:
                pipe.hdel(self._records_key(dataset_arn), *users)
                pipe.incr(self._records_version_key(dataset_arn))
            pipe.execute()

    def _anonymous_linked(
        self, group: str, user_id: str, sessions: list[bytes], limit: int
    ) -> list[bytes]:
        if not sessions:
            return []
        owners = self._client.hmget(self._links_key(group), sessions)
        linked = [
            s.decode() for s, o in zip(sessions, owners, strict=True) if o == user_id.encode()
        ]
        if not linked:
            return []
        pipe = self._client.pipeline(transaction=False)
        for session in linked:
            pipe.zrevrange(self._anonymous_key(group, session), 0, limit - 1)
        return [member for members in pipe.execute() for member in members]

    def _user_key(self, group: str, user_id: str) -> str:
        return f"{self._prefix}{group}:u:{user_id}"

    def _session_key(self, group: str, session_id: str) -> str:
        return f"{self._prefix}{group}:s:{session_id}"

    def _anonymous_key(self, group: str, session_id: str) -> str:
        return f"{self._prefix}{group}:a:{session_id}"

    def _links_key(self, group: str) -> str:
        return f"{self._prefix}{group}:sl"

    def _linked_sessions_key(self, group: str, user_id: str) -> str:
        return f"{self._prefix}{group}:ls:{user_id}"

    def _records_key(self, dataset_arn: str) -> str:
        return f"{self._prefix}{dataset_arn}:r"

    def _records_version_key(self, dataset_arn: str) -> str:
        return f"{self._prefix}{dataset_arn}:rv"


def _forgotten(member: bytes, user_ids: set[str], anonymous_too: bool) -> bool:
    """Whether an encoded event is a forgotten user's (or anonymous in a session it owns)."""
    user_id = json.loads(member)[1]
    return user_id in user_ids if user_id is not None else anonymous_too


def _encode_event(event: StreamedEvent) -> str:
    return json.dumps(
        [
            event.seq,
            event.user_id,
            event.session_id,
            event.item_id,
            event.event_type,
            event.sent_at,
            event.event_id,
            event.event_value,
            event.recommendation_id,
            list(event.impression),
            event.properties,
            event.metric_attribution_source,
            event.received_at,
        ],
        separators=(",", ":"),
    )


def _decode_event(dataset_group_arn: str, member: bytes) -> StreamedEvent:
    (
        seq,
        user_id,
        session_id,
        item_id,
        event_type,
        sent_at,
        event_id,
        event_value,
        recommendation_id,
        impression,
        properties,
        attribution,
        received_at,
    ) = json.loads(member)
    return StreamedEvent(
        dataset_group_arn=dataset_group_arn,
        session_id=session_id,
        user_id=user_id,
        item_id=item_id,
        event_type=event_type,
        sent_at=sent_at,
        event_id=event_id,
        event_value=event_value,
        recommendation_id=recommendation_id,
        impression=tuple(impression),
        properties=properties,
        metric_attribution_source=attribution,
        received_at=received_at,
        seq=seq,
    )
