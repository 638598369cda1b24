"""TAILOR_SERVING_PROCESSES with the events service: several processes, each with its own
group-commit writer, serve PutEvents on one port and store every acknowledged event once."""

from __future__ import annotations

import threading
import urllib.request
from collections import Counter
from pathlib import Path

import grpc
from sqlalchemy import select

from cli.up import start_tailor
from storage.metadata.models import EventRow
from storage.metadata.store import open_metadata_store
from tailor_api.v1 import personalize_events_pb2 as events_pb
from tailor_api.v1 import personalize_events_pb2_grpc, personalize_pb2_grpc
from tests.conftest import tailor_settings
from tests.control_plane.aws_calls import call
from tests.control_plane.fixtures_data import make_group_with_datasets

CLIENTS = 12
CALLS_PER_CLIENT = 60


def _request(tracking_id: str, client: int, number: int) -> events_pb.PutEventsRequest:
    return events_pb.PutEventsRequest(
        tracking_id=tracking_id,
        user_id=f"user-{client}",
        session_id=f"session-{client}-{number % 3}",  # relinks too: links and events per batch
        event_list=[
            events_pb.Event(
                event_id=f"c{client}-n{number}-e{k}",
                event_type="click",
                item_id=f"item-{k}",
                sent_at=1_700_000_000 + number,
            )
            for k in range(10)
        ],
    )


def _applied(metrics_port: int) -> float:
    with urllib.request.urlopen(f"http://127.0.0.1:{metrics_port}/metrics") as page:
        for line in page.read().decode().splitlines():
            if line.startswith('tailor_events_applied_total{operation="PutEvents"}'):
                return float(line.split()[-1])
    return 0.0


def test_two_processes_serve_put_events_and_store_every_acknowledged_event_once(
    metadata_url: str, tmp_path: Path
):
    settings = tailor_settings(tmp_path / "home", metadata_url, serving_processes=2, metrics_port=0)
    server = start_tailor(settings, ["control-plane", "events"])
    try:
        assert len(server.replica_pids) == 1
        with grpc.insecure_channel(f"127.0.0.1:{server.port}") as channel:
            personalize = personalize_pb2_grpc.PersonalizeStub(channel)
            group = make_group_with_datasets(personalize)["datasetGroupArn"]
            tracking_id = call(
                personalize, "CreateEventTracker", name="tracker", datasetGroupArn=group
            )["trackingId"]

        applied_before = _applied(server.metrics_port)  # this test process's counter
        acked: list[str] = []
        failures: list[str] = []
        lock = threading.Lock()
        start = threading.Barrier(CLIENTS)

        def client(index: int) -> None:
            # Each client its own connection, which the kernel hands to either process.
            options = [("grpc.use_local_subchannel_pool", 1), ("tailor.test.channel", index)]
            with grpc.insecure_channel(f"127.0.0.1:{server.port}", options=options) as channel:
                stub = personalize_events_pb2_grpc.PersonalizeEventsStub(channel)
                start.wait()
                for number in range(CALLS_PER_CLIENT):
                    request = _request(tracking_id, index, number)
                    try:
                        stub.PutEvents(request, timeout=30)
                    except grpc.RpcError as error:
                        with lock:
                            failures.append(f"{error.code()}: {error.details()}")
                        continue
                    with lock:
                        acked.extend(event.event_id for event in request.event_list)

        threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        assert not any(thread.is_alive() for thread in threads)
        assert failures == [], failures[:5]
        assert len(acked) == CLIENTS * CALLS_PER_CLIENT * 10

        applied_here = _applied(server.metrics_port) - applied_before
        applied_replica = _applied(server.replica_metrics_ports[0])
        assert applied_here > 0 and applied_replica > 0, "both processes stored calls"
        assert applied_here + applied_replica == len(acked)
    finally:
        server.stop(grace=1)

    store = open_metadata_store(metadata_url, migrate=False)
    try:
        with store.engine.connect() as connection:
            stored = Counter(connection.execute(select(EventRow.event_id)).scalars())
    finally:
        store.close()
    assert sorted(stored) == sorted(acked), "every acknowledged event stored, nothing else"
    assert max(stored.values()) == 1, "no event stored twice"
