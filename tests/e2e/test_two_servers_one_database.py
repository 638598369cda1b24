"""Two control-plane servers sharing one PostgreSQL database stay consistent."""

from __future__ import annotations

import threading

import grpc

from cli.up import start_tailor
from tailor_api.v1 import personalize_pb2, personalize_pb2_grpc
from tests.conftest import tailor_settings


def test_concurrent_create_with_one_name_yields_one_group(postgres_url, tmp_path):
    servers = [
        start_tailor(tailor_settings(tmp_path / f"home{i}", postgres_url), ["control-plane"])
        for i in range(2)
    ]
    try:
        for round_number in range(5):
            name = f"shop-{round_number}"
            barrier = threading.Barrier(8)
            outcomes: list[object] = []
            lock = threading.Lock()

            def create(server_index, name=name, barrier=barrier, outcomes=outcomes, lock=lock):
                port = servers[server_index % 2].port
                with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
                    stub = personalize_pb2_grpc.PersonalizeStub(channel)
                    barrier.wait()
                    try:
                        stub.CreateDatasetGroup(
                            personalize_pb2.CreateDatasetGroupRequest(name=name), timeout=30
                        )
                        outcome: object = "created"
                    except grpc.RpcError as error:
                        outcome = error.code()
                with lock:
                    outcomes.append(outcome)

            threads = [threading.Thread(target=create, args=(i,)) for i in range(8)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(60)
            assert outcomes.count("created") == 1, outcomes
            assert outcomes.count(grpc.StatusCode.ALREADY_EXISTS) == 7, outcomes
        with grpc.insecure_channel(f"127.0.0.1:{servers[1].port}") as channel:
            stub = personalize_pb2_grpc.PersonalizeStub(channel)
            listed = stub.ListDatasetGroups(personalize_pb2.ListDatasetGroupsRequest(), timeout=30)
        assert sorted(g.name for g in listed.dataset_groups) == [f"shop-{i}" for i in range(5)]
    finally:
        for server in servers:
            server.stop(grace=1)
