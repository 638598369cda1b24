"""`tailor up` killed with SIGKILL mid-stream loses no acknowledged event and stores none twice.

Client threads send PutEvents with unique eventIds and note which calls were acknowledged; the
process is killed while they send, restarted on the same TAILOR_HOME, and the event log read.
With two serving processes (TAILOR_SERVING_PROCESSES=2) only the first is killed: the replica,
which acknowledged calls from its own writer, notices and stops by itself.
"""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

from tailor_api.v1 import personalize_events_pb2, personalize_events_pb2_grpc, personalize_pb2_grpc
from tests.control_plane.aws_calls import call
from tests.control_plane.fixtures_data import make_group_with_datasets

ROOT = Path(__file__).resolve().parents[2]
CALLERS = 6
ACKED_CALLS_BEFORE_KILL = 150


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _children(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in children.read_text().split()] if children.exists() else []


def _alive(pid: int) -> bool:
    status = Path(f"/proc/{pid}/status")
    try:
        return "State:\tZ" not in status.read_text()
    except FileNotFoundError:
        return False


def _start_tailor(home: Path, port: int, processes: int = 1) -> subprocess.Popen:
    env = {
        **os.environ,
        "TAILOR_HOME": str(home),
        "TAILOR_GRPC_PORT": str(port),
        "TAILOR_METRICS_PORT": "-1",
        "TAILOR_SERVING_PROCESSES": str(processes),
    }
    for name in ("TAILOR_DATABASE_URL", "TAILOR_ONLINE_STORE_URL"):
        env.pop(name, None)
    process = subprocess.Popen(
        [sys.executable, "-m", "cli.main", "up"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
        health = health_pb2_grpc.HealthStub(channel)
        deadline = time.monotonic() + 60
        while True:
            try:
                reply = health.Check(health_pb2.HealthCheckRequest(service=""), timeout=1)
                if reply.status == health_pb2.HealthCheckResponse.SERVING:
                    return process
            except grpc.RpcError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise AssertionError("tailor up did not become healthy")
            time.sleep(0.1)


def _request(tracking_id: str, caller: int, number: int) -> personalize_events_pb2.PutEventsRequest:
    return personalize_events_pb2.PutEventsRequest(
        tracking_id=tracking_id,
        user_id=f"user-{caller}",
        session_id=f"session-{caller}",
        event_list=[
            personalize_events_pb2.Event(
                event_id=f"c{caller}-n{number}-e{k}",
                event_type="click",
                item_id=f"item-{k}",
                sent_at=1_700_000_000 + number,
            )
            for k in range(10)
        ],
    )


def _stored_event_ids(home: Path) -> Counter:
    with sqlite3.connect(home / "tailor.db") as connection:
        return Counter(row[0] for row in connection.execute("SELECT event_id FROM events"))


@pytest.mark.parametrize("processes", [1, 2])
def test_sigkill_mid_stream_keeps_every_acknowledged_event_exactly_once(tmp_path, processes):
    home, port = tmp_path / "home", _free_port()
    process = _start_tailor(home, port, processes)
    try:
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            personalize = personalize_pb2_grpc.PersonalizeStub(channel)
            group = make_group_with_datasets(personalize)["datasetGroupArn"]
            tracking_id = call(
                personalize, "CreateEventTracker", name="tracker", datasetGroupArn=group
            )["trackingId"]

        acked: list[str] = []
        unacked: list[str] = []
        lock = threading.Lock()
        acked_calls = threading.Semaphore(0)

        def caller(index: int) -> None:
            # Each caller its own connection, which the kernel hands to either process.
            options = [("grpc.use_local_subchannel_pool", 1), ("tailor.test.channel", index)]
            with grpc.insecure_channel(f"127.0.0.1:{port}", options=options) as channel:
                stub = personalize_events_pb2_grpc.PersonalizeEventsStub(channel)
                for number in range(100_000):
                    request = _request(tracking_id, index, number)
                    ids = [event.event_id for event in request.event_list]
                    try:
                        stub.PutEvents(request, timeout=10)
                    except grpc.RpcError:
                        with lock:
                            unacked.extend(ids)
                        return  # the server is gone: this call's outcome is unknown
                    with lock:
                        acked.extend(ids)
                    acked_calls.release()

        threads = [threading.Thread(target=caller, args=(i,), daemon=True) for i in range(CALLERS)]
        for thread in threads:
            thread.start()
        for _ in range(ACKED_CALLS_BEFORE_KILL):
            assert acked_calls.acquire(timeout=60), "PutEvents calls are not being acknowledged"
        replicas = _children(process.pid)
        process.send_signal(signal.SIGKILL)
        process.wait(30)
        deadline = time.monotonic() + 30
        while any(_alive(pid) for pid in replicas):  # they stop by themselves
            assert time.monotonic() < deadline, "a serving replica outlived its parent"
            time.sleep(0.1)
        for thread in threads:
            thread.join(60)
        assert not any(thread.is_alive() for thread in threads)
        assert len(unacked) == CALLERS * 10, "every caller ends on a call that got no answer"

        process = _start_tailor(home, port)
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            stub = personalize_events_pb2_grpc.PersonalizeEventsStub(channel)
            after = _request(tracking_id, CALLERS, 0)
            stub.PutEvents(after, timeout=10)
        acked.extend(event.event_id for event in after.event_list)

        stored = _stored_event_ids(home)
        missing = [event_id for event_id in acked if stored[event_id] != 1]
        assert missing == [], f"{len(missing)} acknowledged events lost or repeated"
        assert max(stored.values()) == 1, "an event was stored twice"
        assert set(stored) <= set(acked) | set(unacked)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            process.wait(30)
