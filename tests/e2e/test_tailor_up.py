"""`tailor up` as a user runs it: a separate process configured by TAILOR_* variables, found by
gRPC reflection, called with AWS-shaped JSON, scraped by Prometheus, stopped by SIGTERM.
The client side uses nothing of this project: only reflection and protobuf's JSON mapping."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import grpc
import pytest
from google.protobuf import descriptor_pool, json_format, message_factory
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha.proto_reflection_descriptor_database import (
    ProtoReflectionDescriptorDatabase,
)

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def tailor_process(tmp_path):
    grpc_port, metrics_port = _free_port(), _free_port()
    env = {
        **os.environ,
        "TAILOR_HOME": str(tmp_path / "home"),
        "TAILOR_GRPC_PORT": str(grpc_port),
        "TAILOR_METRICS_PORT": str(metrics_port),
    }
    env.pop("TAILOR_DATABASE_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "cli.main", "up"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    channel = grpc.insecure_channel(f"127.0.0.1:{grpc_port}")
    health = health_pb2_grpc.HealthStub(channel)
    deadline = time.monotonic() + 60
    while True:
        try:
            status = health.Check(health_pb2.HealthCheckRequest(service=""), timeout=1).status
            if status == health_pb2.HealthCheckResponse.SERVING:
                break
        except grpc.RpcError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise AssertionError(f"tailor up did not become healthy:\n{process.stdout.read()}")
        time.sleep(0.1)
    yield process, channel, metrics_port, tmp_path / "home"
    channel.close()
    if process.poll() is None:
        process.kill()
        process.wait(10)


def _aws_call(channel, pool, service: str, operation: str, body: dict) -> dict:
    method = pool.FindServiceByName(service).FindMethodByName(operation)
    request_class = message_factory.GetMessageClass(method.input_type)
    response_class = message_factory.GetMessageClass(method.output_type)
    rpc = channel.unary_unary(
        f"/{service}/{operation}",
        request_serializer=lambda m: m.SerializeToString(),
        response_deserializer=response_class.FromString,
    )
    response = rpc(json_format.ParseDict(body, request_class()), timeout=30)
    return json_format.MessageToDict(response, always_print_fields_with_no_presence=True)


def test_tailor_up_serves_aws_json_found_by_reflection(tailor_process):
    process, channel, metrics_port, home = tailor_process
    database = ProtoReflectionDescriptorDatabase(channel)
    services = set(database.get_services())
    assert {
        "tailor.personalize.v1.Personalize",
        "tailor.personalize_events.v1.PersonalizeEvents",
        "tailor.personalize_runtime.v1.PersonalizeRuntime",
        "grpc.health.v1.Health",
    } <= services
    pool = descriptor_pool.DescriptorPool(database)
    personalize = "tailor.personalize.v1.Personalize"
    assert len(pool.FindServiceByName(personalize).methods) == 71
    created = _aws_call(channel, pool, personalize, "CreateDatasetGroup", {"name": "shop"})
    arn = created["datasetGroupArn"]
    described = _aws_call(
        channel, pool, personalize, "DescribeDatasetGroup", {"datasetGroupArn": arn}
    )
    assert described["datasetGroup"]["status"] == "ACTIVE"
    schemas = _aws_call(channel, pool, personalize, "ListSchemas", {"maxResults": 5})
    assert schemas == {"schemas": []}
    assert (home / "tailor.db").exists()

    with urllib.request.urlopen(f"http://127.0.0.1:{metrics_port}/metrics", timeout=10) as reply:
        metrics = reply.read().decode()
    assert 'tailor_grpc_requests_total{code="OK",operation="CreateDatasetGroup"' in metrics
    # The serving metrics of monitoring.md are exported by the real process, before any campaign.
    for exported in (
        "tailor_runtime_loaded_campaigns 0.0",
        "tailor_runtime_model_load_failures_total 0.0",
        "tailor_runtime_model_load_seconds_count 0.0",
        "tailor_events_group_commit_seconds_count",
    ):
        assert f"\n{exported}" in metrics, exported

    process.send_signal(signal.SIGTERM)
    assert process.wait(30) == 0


def test_cli_calls_operations_like_the_aws_cli(tailor_process):
    _process, channel, _metrics_port, _home = tailor_process
    target = channel._channel.target().decode()
    port = target.rsplit(":", 1)[1]
    env = {**os.environ, "TAILOR_GRPC_PORT": port}

    def tailor(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "cli.main", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )

    created = tailor("personalize", "create-dataset-group", "--name", "shop")
    assert created.returncode == 0, created.stderr
    arn = json.loads(created.stdout)["datasetGroupArn"]
    request = json.dumps({"datasetGroupArn": arn})
    described = tailor("personalize", "describe-dataset-group", "--cli-input-json", request)
    assert json.loads(described.stdout)["datasetGroup"]["name"] == "shop"
    again = tailor("personalize", "create-dataset-group", "--name", "shop")
    assert again.returncode != 0
    assert "ResourceAlreadyExistsException" in again.stderr
    unbuilt = tailor(
        "personalize-runtime",
        "get-recommendations",
        "--campaign-arn",
        "arn:aws:personalize:us-east-1:000000000000:campaign/c",
        "--user-id",
        "u1",
    )
    assert unbuilt.returncode != 0
    assert "GetRecommendations" in unbuilt.stderr
