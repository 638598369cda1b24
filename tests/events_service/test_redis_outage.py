"""A Redis online store that fails after the durable commit: calls still succeed (their data IS
stored, once), and Redis catches up from the event log as soon as it is back.

The test runs its own redis-server on a free port (bound to 127.0.0.1), shuts it down mid-stream
and starts it again on the same data directory.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from sqlalchemy import select

from storage.metadata.models import EventRow
from tests.control_plane.aws_calls import call
from tests.control_plane.fixtures_data import make_group_with_datasets
from tests.events_service.conftest import REDIS_URL, SKIP_REDIS
from tests.events_service.events_calls import call_events


class _RedisServer:
    """A private redis-server that the test stops and starts."""

    def __init__(self, directory: Path) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self._directory = directory
        self._process: subprocess.Popen | None = None

    def start(self) -> None:
        self._process = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", ""]
            + ["--appendonly", "no", "--dir", str(self._directory)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                with redis.Redis(port=self.port, socket_timeout=1) as client:
                    client.ping()
                return
            except redis.ConnectionError:
                assert time.monotonic() < deadline, "redis-server did not start"
                time.sleep(0.05)

    def stop(self) -> None:
        """Shut down with a snapshot: started again, it holds what it held."""
        with redis.Redis(port=self.port) as client:
            try:
                client.shutdown(save=True)
            except redis.ConnectionError:
                pass
        assert self._process is not None
        self._process.wait(10)


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[_RedisServer]:
    if not REDIS_URL:
        pytest.skip(SKIP_REDIS)
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not on PATH")
    server = _RedisServer(tmp_path)
    server.start()
    yield server
    if server._process is not None and server._process.poll() is None:
        server._process.kill()
        server._process.wait(10)


@pytest.fixture
def metadata_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'tailor.db'}"


@pytest.fixture
def online_store_url(redis_server: _RedisServer) -> str:
    return f"redis://127.0.0.1:{redis_server.port}/0"


def _put(events, tracking_id: str, user: str, ids: list[str]) -> None:  # type: ignore[no-untyped-def]
    call_events(
        events,
        "PutEvents",
        trackingId=tracking_id,
        userId=user,
        sessionId=f"session-{user}",
        eventList=[
            {"eventId": event_id, "eventType": "click", "itemId": f"item-{n}", "sentAt": 1.7e9 + n}
            for n, event_id in enumerate(ids)
        ],
    )


def _visible(online, group: str, user: str) -> set[str]:  # type: ignore[no-untyped-def]
    try:
        return {event.event_id for event in online.recent_events(group, user_id=user)}
    except redis.ConnectionError:  # the reader's pooled connection died with the first server
        return set()


def test_calls_succeed_while_redis_is_down_and_become_visible_once_it_is_back(
    events, personalize, online, metadata_store, redis_server
):
    arns = make_group_with_datasets(personalize)
    group = arns["datasetGroupArn"]
    tracking_id = call(personalize, "CreateEventTracker", name="t", datasetGroupArn=group)[
        "trackingId"
    ]
    before = [f"before-{n}" for n in range(3)]
    _put(events, tracking_id, "u1", before)
    assert _visible(online, group, "u1") == set(before)

    redis_server.stop()
    during = [f"during-{n}" for n in range(5)]
    for event_id in during:
        _put(events, tracking_id, "u1", [event_id])  # each call answers OK
    _put(events, tracking_id, "u2", ["during-u2"])
    item = {"itemId": "i1", "properties": json.dumps({"GENRE": "drama", "PRICE": 9.5})}
    call_events(events, "PutItems", datasetArn=arns["ItemsDatasetArn"], items=[item])

    with metadata_store.engine.connect() as connection:
        stored = Counter(connection.execute(select(EventRow.event_id)).scalars())
    assert stored == Counter([*before, *during, "during-u2"]), "each event stored exactly once"

    redis_server.start()
    deadline = time.monotonic() + 15
    while _visible(online, group, "u1") != {*before, *during}:
        assert time.monotonic() < deadline, "Redis did not catch up from the event log"
        time.sleep(0.1)
    assert _visible(online, group, "u2") == {"during-u2"}
    records = online.get_records(arns["ItemsDatasetArn"], ["i1"])
    assert records["i1"].properties == {"GENRE": "drama", "PRICE": 9.5}
    client = redis.Redis(port=redis_server.port)
    user_keys = [key for key in client.scan_iter(match="*:u:u1")]
    assert [client.zcard(key) for key in user_keys] == [len(before) + len(during)], "no repeats"
    client.close()

    # Caught up: read-your-writes again, call by call.
    _put(events, tracking_id, "u1", ["after"])
    assert "after" in _visible(online, group, "u1")
