"""The bridge and server mechanics over real gRPC: error mapping, validation, health."""

from __future__ import annotations

import logging

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

from domain import errors
from servicekit.errors import GRPC_CODES
from servicekit.rpc_bridge import bridge_handler
from servicekit.server import ServedService, start_server
from tailor_api.v1 import personalize_pb2, personalize_pb2_grpc
from tests.control_plane.aws_calls import aws_error_name

SERVICE = personalize_pb2.DESCRIPTOR.services_by_name["Personalize"]


@pytest.fixture
def serve():
    started = []

    def _serve(operations):
        server = start_server(
            [ServedService(SERVICE.full_name, bridge_handler(SERVICE, operations))]
        )
        started.append(server)
        channel = grpc.insecure_channel(f"127.0.0.1:{server.port}")
        return server, personalize_pb2_grpc.PersonalizeStub(channel)

    yield _serve
    for server in started:
        server.stop(0)


def _describe(stub, arn="arn:aws:personalize:us-east-1:000000000000:dataset-group/x"):
    return stub.DescribeDatasetGroup(
        personalize_pb2.DescribeDatasetGroupRequest(dataset_group_arn=arn), timeout=10
    )


@pytest.mark.parametrize("error_class", sorted(GRPC_CODES, key=lambda c: c.__name__))
def test_each_error_maps_once_to_its_code_and_aws_name(serve, error_class):
    def fail(request):
        raise error_class("datasetGroupArn: something about it")

    _server, stub = serve({"DescribeDatasetGroup": fail})
    with pytest.raises(grpc.RpcError) as caught:
        _describe(stub)
    assert caught.value.code() == GRPC_CODES[error_class]
    assert aws_error_name(caught.value) == error_class.aws_name
    assert caught.value.details() == f"{error_class.aws_name}: datasetGroupArn: something about it"


def test_vocabulary_is_closed_and_fully_mapped():
    assert set(GRPC_CODES) == set(errors.ALL_ERRORS)
    assert GRPC_CODES[errors.ResourceNotFoundException] == grpc.StatusCode.NOT_FOUND
    assert GRPC_CODES[errors.ResourceInUseException] == grpc.StatusCode.FAILED_PRECONDITION
    assert GRPC_CODES[errors.InvalidNextTokenException] == grpc.StatusCode.INVALID_ARGUMENT
    assert GRPC_CODES[errors.LimitExceededException] == grpc.StatusCode.RESOURCE_EXHAUSTED


def test_unexpected_error_is_logged_and_answers_internal_without_internals(serve, caplog):
    def crash(request):
        raise RuntimeError("password=hunter2 at /secret/path")

    _server, stub = serve({"DescribeDatasetGroup": crash})
    with caplog.at_level(logging.ERROR), pytest.raises(grpc.RpcError) as caught:
        _describe(stub)
    assert caught.value.code() == grpc.StatusCode.INTERNAL
    assert "hunter2" not in caught.value.details()
    assert "DescribeDatasetGroup" in caught.value.details()
    assert aws_error_name(caught.value) == "InternalFailure"
    logged = [r for r in caplog.records if r.exc_info]
    assert logged and "hunter2" in str(logged[0].exc_info[1])


def test_request_violating_a_model_constraint_never_reaches_the_operation(serve):
    reached = []
    _server, stub = serve({"DescribeDatasetGroup": lambda request: reached.append(request) or {}})
    with pytest.raises(grpc.RpcError) as caught:
        _describe(stub, arn="not-an-arn")
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "datasetGroupArn" in caught.value.details()
    assert reached == []
    _describe(stub)
    assert reached == [
        {"datasetGroupArn": "arn:aws:personalize:us-east-1:000000000000:dataset-group/x"}
    ]


def test_operation_without_implementation_answers_unimplemented_naming_it(serve):
    _server, stub = serve({})
    with pytest.raises(grpc.RpcError) as caught:
        _describe(stub)
    assert caught.value.code() == grpc.StatusCode.UNIMPLEMENTED
    assert "DescribeDatasetGroup" in caught.value.details()


def test_health_is_not_serving_until_ready(serve):
    server, _stub = serve({})
    channel = grpc.insecure_channel(f"127.0.0.1:{server.port}")
    health = health_pb2_grpc.HealthStub(channel)
    for name in ("", SERVICE.full_name):
        status = health.Check(health_pb2.HealthCheckRequest(service=name), timeout=5).status
        assert status == health_pb2.HealthCheckResponse.NOT_SERVING
    server.set_serving()
    status = health.Check(health_pb2.HealthCheckRequest(service=SERVICE.full_name), timeout=5)
    assert status.status == health_pb2.HealthCheckResponse.SERVING
    server.stop(0)
    channel.close()
