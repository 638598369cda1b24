"""Contract tests of the online store, run against SQL on SQLite, SQL on PostgreSQL (when
TAILOR_TEST_POSTGRES_URL is set) and Redis (when TAILOR_TEST_REDIS_URL is set).

Every write goes the way the events service writes: the durable group commit first, then
``OnlineStore.apply``; reads must see it as soon as both returned.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass

import pytest
import redis
from sqlalchemy import Engine

from domain.streamed_data import DatasetRecord, SessionLink, StreamedEvent
from storage.metadata.store import open_metadata_store
from storage.online.redis_store import RedisOnlineStore
from storage.online.store import OnlineStore, open_online_store
from storage.streamed.deletion import delete_streamed_user_data
from storage.streamed.group_commit import GroupCommitWriter

REDIS_URL = os.environ.get("TAILOR_TEST_REDIS_URL", "")
SKIP_REDIS = "TAILOR_TEST_REDIS_URL is not set (e.g. redis://127.0.0.1:6379/15)"
GROUP = "arn:aws:personalize:us-east-1:000000000000:dataset-group/shop"
OTHER_GROUP = "arn:aws:personalize:us-east-1:000000000000:dataset-group/other"
ITEMS = "arn:aws:personalize:us-east-1:000000000000:dataset/shop/ITEMS"
USERS = "arn:aws:personalize:us-east-1:000000000000:dataset/shop/USERS"


@pytest.fixture
def redis_url():
    """A Redis URL with a key prefix private to the test (its keys are deleted afterwards)."""
    if not REDIS_URL:
        pytest.skip(SKIP_REDIS)
    prefix = f"test-{uuid.uuid4().hex[:12]}:"
    yield f"{REDIS_URL}?key_prefix={prefix}"
    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(match=f"{prefix}*"))
    if keys:
        client.delete(*keys)
    client.close()


@dataclass
class Backend:
    """An online store and the durable writer that goes before it."""

    online: OnlineStore
    writer: GroupCommitWriter
    engine: Engine

    def put(self, *events: StreamedEvent, link: SessionLink | None = None) -> list[StreamedEvent]:
        stored = self.writer.append(events, link)
        self.online.apply(events=stored, link=link)
        return stored

    def put_records(self, *records: DatasetRecord) -> None:
        self.writer.append(records=records)
        self.online.apply(records=records)

    def forget(self, group: str, *user_ids: str) -> None:
        """What a data deletion job does: delete the rows, then tell the online store."""
        with self.engine.begin() as connection:
            delete_streamed_user_data(connection, group, user_ids, [USERS])
        self.online.forget_users(group, user_ids, [USERS])


@pytest.fixture(params=["sql-on-sqlite", "sql-on-postgresql", "redis"])
def backend(request, tmp_path):
    """Each backend; Redis with SQLite as the durable store before it."""
    metadata_url = f"sqlite:///{tmp_path / 'tailor.db'}"
    if request.param == "sql-on-postgresql":
        metadata_url = request.getfixturevalue("postgres_url")
    online_url = request.getfixturevalue("redis_url") if request.param == "redis" else ""
    store = open_metadata_store(metadata_url)
    writer = GroupCommitWriter(store.engine)
    online = open_online_store(online_url, store.engine)
    yield Backend(online, writer, store.engine)
    writer.close()
    online.close()
    store.close()


def _event(item: str, *, user: str | None = None, session: str = "s1", group: str = GROUP, **extra):
    return StreamedEvent(
        dataset_group_arn=group,
        session_id=session,
        user_id=user,
        item_id=item,
        event_type="click",
        sent_at=1_700_000_000.0,
        event_id=uuid.uuid4().hex,
        received_at=1_700_000_001.0,
        **extra,
    )


def _items(events) -> list[str]:
    return [event.item_id for event in events]


def test_recent_events_of_a_user_newest_first_up_to_the_limit(backend):
    backend.put(*(_event(f"i{n}", user="u1") for n in range(5)))
    backend.put(_event("other", user="u2", session="s2"))
    assert _items(backend.online.recent_events(GROUP, user_id="u1")) == [
        "i4",
        "i3",
        "i2",
        "i1",
        "i0",
    ]
    assert _items(backend.online.recent_events(GROUP, user_id="u1", limit=2)) == ["i4", "i3"]
    assert backend.online.recent_events(GROUP, user_id="nobody") == []


def test_every_member_of_an_event_round_trips(backend):
    sent = _event(
        "i1",
        user="u1",
        event_value=2.5,
        recommendation_id="rec-1",
        impression=("i1", "i2", "i3"),
        properties={"NUM_RATINGS": 12, "LOCATION": "home", "PREMIUM": True, "SCORE": None},
        metric_attribution_source="email",
    )
    (stored,) = backend.put(sent)
    (read,) = backend.online.recent_events(GROUP, user_id="u1")
    assert read == stored
    assert read.seq is not None


def test_an_anonymous_session_then_its_link_to_a_user(backend):
    backend.put(_event("a1"), _event("a2"))
    assert _items(backend.online.recent_events(GROUP, session_id="s1")) == ["a2", "a1"]
    assert backend.online.session_user(GROUP, "s1") is None
    assert backend.online.recent_events(GROUP, user_id="u1") == []

    link = SessionLink(GROUP, "s1", "u1", 1_700_000_002.0)
    backend.put(_event("k1", user="u1"), link=link)
    assert backend.online.session_user(GROUP, "s1") == "u1"
    assert _items(backend.online.recent_events(GROUP, user_id="u1")) == ["k1", "a2", "a1"]
    assert _items(backend.online.recent_events(GROUP, session_id="s1")) == ["k1", "a2", "a1"]


def test_a_user_history_leaves_out_other_users_events_of_a_linked_session(backend):
    backend.put(_event("theirs", user="u2"))
    backend.put(_event("anon"))
    backend.put(_event("mine", user="u1"), link=SessionLink(GROUP, "s1", "u1", 2.0))
    assert _items(backend.online.recent_events(GROUP, user_id="u1")) == ["mine", "anon"]


def test_relinking_a_session_moves_its_anonymous_events(backend):
    backend.put(_event("anon"))
    backend.put(_event("first", user="u1"), link=SessionLink(GROUP, "s1", "u1", 2.0))
    backend.put(_event("second", user="u2"), link=SessionLink(GROUP, "s1", "u2", 3.0))
    assert backend.online.session_user(GROUP, "s1") == "u2"
    assert _items(backend.online.recent_events(GROUP, user_id="u2")) == ["second", "anon"]
    assert _items(backend.online.recent_events(GROUP, user_id="u1")) == ["first"]


def test_user_and_session_together_are_merged_without_repeats(backend):
    backend.put(_event("u-only", user="u1", session="s-phone"))
    backend.put(_event("s-only", session="s-web"))
    backend.put(_event("both", user="u1", session="s-web"))
    merged = backend.online.recent_events(GROUP, user_id="u1", session_id="s-web")
    assert _items(merged) == ["both", "s-only", "u-only"]


def test_dataset_groups_do_not_see_each_other(backend):
    backend.put(_event("here", user="u1"))
    backend.put(_event("there", user="u1", group=OTHER_GROUP))
    backend.put(link=SessionLink(OTHER_GROUP, "s1", "u9", 2.0))
    assert _items(backend.online.recent_events(GROUP, user_id="u1")) == ["here"]
    assert _items(backend.online.recent_events(OTHER_GROUP, session_id="s1")) == ["there"]
    assert backend.online.session_user(GROUP, "s1") is None
    assert backend.online.session_user(OTHER_GROUP, "s1") == "u9"


def test_records_are_upserted_by_id(backend):
    backend.put_records(
        DatasetRecord(ITEMS, "i1", {"GENRE": "drama", "PRICE": 3.5}, 1.0),
        DatasetRecord(ITEMS, "i2", {"GENRE": "comedy", "PRICE": 1.0}, 1.0),
    )
    backend.put_records(DatasetRecord(ITEMS, "i1", {"GENRE": "horror|action", "PRICE": None}, 2.0))
    found = backend.online.get_records(ITEMS, ["i1", "i2", "missing"])
    assert set(found) == {"i1", "i2"}
    assert found["i1"] == DatasetRecord(ITEMS, "i1", {"GENRE": "horror|action", "PRICE": None}, 2.0)
    assert found["i2"].properties == {"GENRE": "comedy", "PRICE": 1.0}
    assert backend.online.get_records(ITEMS + "-other", ["i1"]) == {}
    assert backend.online.get_records(ITEMS, []) == {}


def test_records_version_changes_with_every_records_write(backend):
    before = backend.online.records_version(ITEMS)
    assert backend.online.records_version(ITEMS) == before
    backend.put_records(DatasetRecord(ITEMS, "i1", {"GENRE": "drama"}, 1.0))
    first = backend.online.records_version(ITEMS)
    assert first != before
    backend.put_records(DatasetRecord(ITEMS, "i1", {"GENRE": "comedy"}, 2.0))
    second = backend.online.records_version(ITEMS)
    assert second not in (before, first)
    backend.put_records(DatasetRecord(ITEMS + "-other", "i1", {"GENRE": "comedy"}, 3.0))
    assert backend.online.records_version(ITEMS) == second


def test_forgotten_users_lose_their_events_sessions_and_records_others_keep_theirs(backend):
    backend.put(_event("anon-1", session="s1"))
    backend.put(_event("u1-a", user="u1", session="s1"), link=SessionLink(GROUP, "s1", "u1", 1.0))
    backend.put(_event("u2-a", user="u2", session="s2"), link=SessionLink(GROUP, "s2", "u2", 2.0))
    backend.put(_event("u1-b", user="u1", session="s3"), link=SessionLink(GROUP, "s3", "u1", 3.0))
    backend.put(_event("u2-b", user="u2", session="s3"), link=SessionLink(GROUP, "s3", "u2", 4.0))
    backend.put(_event("anon-3", session="s3"))  # s3 is u2's now
    backend.put(_event("elsewhere", user="u1", group=OTHER_GROUP))
    backend.put_records(
        DatasetRecord(USERS, "u1", {"AGE": 30}, 1.0), DatasetRecord(USERS, "u2", {"AGE": 40}, 1.0)
    )
    version = backend.online.records_version(USERS)

    backend.forget(GROUP, "u1", "nobody")

    online = backend.online
    assert online.recent_events(GROUP, user_id="u1") == []
    assert online.session_user(GROUP, "s1") is None
    assert online.recent_events(GROUP, session_id="s1") == []
    assert online.session_user(GROUP, "s3") == "u2"
    assert _items(online.recent_events(GROUP, session_id="s3")) == ["anon-3", "u2-b"]
    assert _items(online.recent_events(GROUP, user_id="u2")) == ["anon-3", "u2-b", "u2-a"]
    assert _items(online.recent_events(OTHER_GROUP, user_id="u1")) == ["elsewhere"]
    assert list(online.get_records(USERS, ["u1", "u2"])) == ["u2"]
    assert online.records_version(USERS) != version
    backend.forget(GROUP, "u1")  # idempotent
    assert _items(online.recent_events(GROUP, user_id="u2")) == ["anon-3", "u2-b", "u2-a"]


def test_redis_keeps_only_the_newest_events_per_key(redis_url, tmp_path):
    store = open_metadata_store(f"sqlite:///{tmp_path / 'tailor.db'}")
    writer = GroupCommitWriter(store.engine)
    online = RedisOnlineStore.from_url(redis_url, events_per_key=3)
    try:
        stored = writer.append([_event(f"i{n}", user="u1") for n in range(5)])
        online.apply(events=stored)
        assert _items(online.recent_events(GROUP, user_id="u1", limit=10)) == ["i4", "i3", "i2"]
        assert _items(online.recent_events(GROUP, session_id="s1", limit=10)) == ["i4", "i3", "i2"]
    finally:
        writer.close()
        online.close()
        store.close()


def test_an_unknown_url_scheme_lists_the_known_ones(tmp_path):
    store = open_metadata_store(f"sqlite:///{tmp_path / 'tailor.db'}")
    try:
        with pytest.raises(ValueError, match="memcached.*redis, rediss"):
            open_online_store("memcached://127.0.0.1:11211", store.engine)
    finally:
        store.close()
