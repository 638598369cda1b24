"""Every bridged call is counted under its status code, failures of every kind included."""

from __future__ import annotations

import grpc
import pytest
from prometheus_client import REGISTRY

from domain import errors
from servicekit.rpc_bridge import bridge_handler
from servicekit.server import ServedService, start_server
from tailor_api.v1 import personalize_pb2, personalize_pb2_grpc

SERVICE = personalize_pb2.DESCRIPTOR.services_by_name["Personalize"]
ARN = "arn:aws:personalize:us-east-1:000000000000:dataset-group/x"


class _UnmappedError(errors.TailorError):
    """A service's own TailorError that escaped (the vocabulary does not map it)."""


class _NotFoundKind(errors.ResourceNotFoundException):
    """A subclass of a mapped error."""


def _count(code: str) -> float:
    labels = {"service": "Personalize", "operation": "DescribeDatasetGroup", "code": code}
    return REGISTRY.get_sample_value("tailor_grpc_requests_total", labels) or 0.0


def _timed() -> float:
    labels = {"service": "Personalize", "operation": "DescribeDatasetGroup"}
    return REGISTRY.get_sample_value("tailor_grpc_request_duration_seconds_count", labels) or 0.0


@pytest.fixture
def stub_of():  # type: ignore[no-untyped-def]
    started = []

    def _serve(operation):  # type: ignore[no-untyped-def]
        server = start_server(
            [
                ServedService(
                    SERVICE.full_name, bridge_handler(SERVICE, {"DescribeDatasetGroup": operation})
                )
            ]
        )
        started.append(server)
        channel = grpc.insecure_channel(f"127.0.0.1:{server.port}")
        return personalize_pb2_grpc.PersonalizeStub(channel)

    yield _serve
    for server in started:
        server.stop(0)


def _describe(stub) -> None:  # type: ignore[no-untyped-def]
    stub.DescribeDatasetGroup(
        personalize_pb2.DescribeDatasetGroupRequest(dataset_group_arn=ARN), timeout=10
    )


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (RuntimeError("boom"), grpc.StatusCode.INTERNAL),
        (_UnmappedError("escaped"), grpc.StatusCode.INTERNAL),
        (_NotFoundKind("gone"), grpc.StatusCode.NOT_FOUND),
        (errors.LimitExceededException("busy"), grpc.StatusCode.RESOURCE_EXHAUSTED),
    ],
)
def test_a_failed_call_answers_and_is_counted_under_its_code(stub_of, error, code):
    def fail(request):  # type: ignore[no-untyped-def]
        raise error

    stub = stub_of(fail)
    before, ok, timed = _count(code.name), _count("OK"), _timed()
    with pytest.raises(grpc.RpcError) as caught:
        _describe(stub)
    assert caught.value.code() == code
    assert _count(code.name) - before == 1
    assert _count("OK") == ok
    assert _timed() - timed == 1


def test_a_successful_call_is_counted_ok(stub_of):
    stub = stub_of(lambda request: {"datasetGroup": {"datasetGroupArn": ARN, "name": "x"}})
    ok, timed = _count("OK"), _timed()
    for _ in range(3):
        _describe(stub)
    assert _count("OK") - ok == 3
    assert _timed() - timed == 3


def test_a_call_is_counted_internal_even_when_building_its_status_fails(stub_of, monkeypatch):
    def broken_status_for(exc, operation):  # type: ignore[no-untyped-def]
        raise KeyError(type(exc))

    monkeypatch.setattr("servicekit.rpc_bridge.status_for", broken_status_for)

    def fail(request):  # type: ignore[no-untyped-def]
        raise RuntimeError("boom")

    stub = stub_of(fail)
    internal, ok = _count("INTERNAL"), _count("OK")
    with pytest.raises(grpc.RpcError):
        _describe(stub)
    assert _count("INTERNAL") - internal == 1
    assert _count("OK") == ok
