"""An acknowledged PutEvents is visible to the online store at once, with the SQL store and with
Redis, for known users, new users and anonymous sessions."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from storage.metadata.models import EventRow
from tests.events_service.events_calls import call_events


@pytest.fixture(params=["sql", "redis"])
def online_store_url(request) -> str:  # type: ignore[no-untyped-def]
    return request.getfixturevalue("redis_online_url") if request.param == "redis" else ""


def _put(events, shop, session: str, items: list[str], user: str | None = None) -> None:
    request = {
        "trackingId": shop["trackingId"],
        "sessionId": session,
        "eventList": [{"eventType": "click", "itemId": i, "sentAt": 1_700_000_000} for i in items],
    }
    if user is not None:
        request["userId"] = user
    call_events(events, "PutEvents", **request)


def _items(recent) -> list[str]:
    return [event.item_id for event in recent]


def test_each_acknowledged_call_is_read_back_at_once(events, shop, online):
    group = shop["datasetGroupArn"]
    _put(events, shop, "s-new", ["first"], user="new-user")
    assert _items(online.recent_events(group, user_id="new-user")) == ["first"]
    for n in range(30):
        _put(events, shop, "s-known", [f"a{n}", f"b{n}"], user="known")
        assert _items(online.recent_events(group, user_id="known", limit=2)) == [f"b{n}", f"a{n}"]


def test_an_anonymous_session_is_visible_then_joins_the_user_it_links_to(events, shop, online):
    group = shop["datasetGroupArn"]
    _put(events, shop, "visit-1", ["x1", "x2"])
    assert _items(online.recent_events(group, session_id="visit-1")) == ["x2", "x1"]
    assert online.session_user(group, "visit-1") is None

    _put(events, shop, "visit-1", ["x3"], user="alice")
    assert online.session_user(group, "visit-1") == "alice"
    assert _items(online.recent_events(group, user_id="alice")) == ["x3", "x2", "x1"]
    stored_users = {e.item_id: e.user_id for e in online.recent_events(group, session_id="visit-1")}
    assert stored_users == {"x1": None, "x2": None, "x3": "alice"}


def test_concurrent_callers_each_read_their_own_writes(events, shop, online, metadata_store):
    group = shop["datasetGroupArn"]
    failures: list[str] = []

    def caller(user: str) -> None:
        for n in range(15):
            _put(events, shop, f"s-{user}", [f"{user}-{n}"] * 3, user=user)
            newest = _items(online.recent_events(group, user_id=user, limit=3))
            if newest != [f"{user}-{n}"] * 3:
                failures.append(f"{user} call {n} read {newest}")

    threads = [threading.Thread(target=caller, args=(f"u{t}",)) for t in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert failures == []
    with metadata_store.engine.connect() as connection:
        stored = connection.scalar(select(func.count()).select_from(EventRow))
    assert stored == 8 * 15 * 3
