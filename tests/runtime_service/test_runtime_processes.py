"""TAILOR_SERVING_PROCESSES: several processes serve the runtime on one port (SO_REUSEPORT)."""

from __future__ import annotations

import os
import urllib.request
from pathlib import Path

import grpc

from cli.up import start_tailor
from tailor_api.v1 import personalize_runtime_pb2_grpc
from tests.conftest import tailor_settings
from tests.runtime_service.test_serving import ask, items_of


def test_two_runtime_processes_share_the_port_and_both_answer(
    served, metadata_url: str, tmp_path: Path
):
    settings = tailor_settings(tmp_path / "home", metadata_url, serving_processes=2, metrics_port=0)
    server = start_tailor(settings, ["runtime"])
    try:
        assert len(server.replica_pids) == 1 and server.replica_pids[0] != os.getpid()
        answered_by: set[str] = set()
        for n in range(24):  # each channel its own connection, handed to either process
            with grpc.insecure_channel(
                f"127.0.0.1:{server.port}",
                options=[("grpc.use_local_subchannel_pool", 1), ("tailor.test.channel", n)],
            ) as channel:
                stub = personalize_runtime_pb2_grpc.PersonalizeRuntimeStub(channel)
                response = ask(
                    stub,
                    "GetRecommendations",
                    campaignArn=served["campaign"],
                    userId="b0-u0",
                    numResults=5,
                )
            assert len(items_of(response)) == 5
            answered_by.add(response["recommendationId"][4:20])  # the process's id prefix
        assert len(answered_by) == 2, "both processes served calls"
        replica_port = server.replica_metrics_ports[0]
        assert replica_port and replica_port != server.metrics_port
        with urllib.request.urlopen(f"http://127.0.0.1:{replica_port}/metrics") as page:
            assert "tailor_runtime_requests_total{" in page.read().decode()
    finally:
        server.stop(grace=1)
    for pid in server.replica_pids:
        assert not Path(f"/proc/{pid}").exists() or _zombie(pid), "replicas stop with the server"


def _zombie(pid: int) -> bool:
    status = Path(f"/proc/{pid}/status").read_text()
    return "State:\tZ" in status
