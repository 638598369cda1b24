"""The Redis online store, written after the durable commit and before the reply.

Keys (``P`` is the key prefix, ``G`` a dataset group ARN, ``D`` a dataset ARN):

* ``P{G}:u:{user}``, ``P{G}:s:{session}``, ``P{G}:a:{session}``: sorted sets of events scored by
  ``seq``: the events that carried the user's id; every event of the session; the session's
  anonymous events (no userId). Each keeps the newest ``events_per_key`` (trimmed on write).
* ``P{G}:sl``: hash session -> linked user; ``P{G}:ls:{user}``: sorted set of the sessions linked
  to a user, scored by link time (a session relinked elsewhere is filtered out on read by ``sl``).
* ``P{D}:r``: hash record id -> record JSON.

Events are stored as compact JSON arrays; ``seq`` makes every member unique.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import redis

from domain.streamed_data import DatasetRecord, SessionLink, StreamedEvent
from storage.online.store import DEFAULT_RECENT_EVENTS, MAX_LINKED_SESSIONS, OnlineStore

DEFAULT_KEY_PREFIX = "tailor:"
DEFAULT_EVENTS_PER_KEY = 500


class RedisOnlineStore(OnlineStore):
    """Recent events per user and session, and records, in Redis."""

    def __init__(
        self,
        client: redis.Redis,
        *,
        key_prefix: str = DEFAULT_KEY_PREFIX,
        events_per_key: int = DEFAULT_EVENTS_PER_KEY,
    ) -> None:
        self._client = client
        self._prefix = key_prefix
        self._events_per_key = events_per_key

    @classmethod
    def from_url(cls, url: str, **options: Any) -> RedisOnlineStore:
        """Connect to ``redis://host:port/db[?key_prefix=...]``."""
        parts = urlsplit(url)
        query = dict(parse_qsl(parts.query))
        prefix = query.pop("key_prefix", DEFAULT_KEY_PREFIX)
        plain_url = urlunsplit(parts._replace(query=urlencode(query)))
        return cls(redis.Redis.from_url(plain_url), key_prefix=prefix, **options)

    def close(self) -> None:
        """Close the Redis connection pool."""
        self._client.close()

    def apply(
        self,
        *,
        events: Sequence[StreamedEvent] = (),
        link: SessionLink | None = None,
        records: Sequence[DatasetRecord] = (),
    ) -> None:
        """See :meth:`OnlineStore.apply`."""
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
        if link is not None:
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
