"""An operation that takes the request message itself is served without the dict round trip."""

from __future__ import annotations

import grpc
import pytest
from google.protobuf.message import Message
from prometheus_client import REGISTRY

from domain import errors
from servicekit.rpc_bridge import bridge_handler
from servicekit.server import ServedService, start_server
from tailor_api.v1 import personalize_pb2, personalize_pb2_grpc

SERVICE = personalize_pb2.DESCRIPTOR.services_by_name["Personalize"]
ARN = "arn:aws:personalize:us-east-1:000000000000:dataset-group/x"


class _Describe:
    """Answers DescribeDatasetGroup from the message; fails when told to."""

    def __init__(self, error: Exception | None = None) -> None:
        self.error = error
        self.seen: list[Message] = []

    def __call__(self, request: dict) -> dict:  # type: ignore[type-arg]
        raise AssertionError("the dict path is not used for a message operation")

    def call_message(self, request: Message) -> Message:
        self.seen.append(request)
        if self.error is not None:
            raise self.error
        assert isinstance(request, personalize_pb2.DescribeDatasetGroupRequest)
        response = personalize_pb2.DescribeDatasetGroupResponse()
        response.dataset_group.dataset_group_arn = request.dataset_group_arn
        return response


def _count(code: str) -> float:
    labels = {"service": "Personalize", "operation": "DescribeDatasetGroup", "code": code}
    return REGISTRY.get_sample_value("tailor_grpc_requests_total", labels) or 0.0


@pytest.fixture
def serve():  # type: ignore[no-untyped-def]
    started = []

    def _serve(operation: _Describe) -> personalize_pb2_grpc.PersonalizeStub:
        handler = bridge_handler(SERVICE, {"DescribeDatasetGroup": operation})
        server = start_server([ServedService(SERVICE.full_name, handler)])
        started.append(server)
        return personalize_pb2_grpc.PersonalizeStub(
            grpc.insecure_channel(f"127.0.0.1:{server.port}")
        )

    yield _serve
    for server in started:
        server.stop(0)


def test_the_message_goes_in_and_the_response_message_comes_out(serve):
    operation = _Describe()
    stub = serve(operation)
    ok = _count("OK")
    reply = stub.DescribeDatasetGroup(
        personalize_pb2.DescribeDatasetGroupRequest(dataset_group_arn=ARN), timeout=10
    )
    assert reply.dataset_group.dataset_group_arn == ARN
    assert len(operation.seen) == 1
    assert _count("OK") - ok == 1


def test_its_errors_are_answered_and_counted_like_any_other(serve):
    stub = serve(_Describe(errors.InvalidInputException("datasetGroupArn: bad")))
    before = _count("INVALID_ARGUMENT")
    with pytest.raises(grpc.RpcError) as caught:
        stub.DescribeDatasetGroup(personalize_pb2.DescribeDatasetGroupRequest(), timeout=10)
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert caught.value.details() == "InvalidInputException: datasetGroupArn: bad"
    assert _count("INVALID_ARGUMENT") - before == 1
