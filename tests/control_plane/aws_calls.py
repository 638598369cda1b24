"""Call control-plane operations with AWS-shaped dicts and get AWS-shaped dicts back."""

from __future__ import annotations

from typing import Any

import grpc
import pytest
from google.protobuf import json_format
from google.rpc import error_details_pb2
from grpc_status import rpc_status

from servicekit.aws_json import message_to_aws
from tailor_api.v1 import personalize_pb2


def call(stub: Any, operation: str, **request: Any) -> dict[str, Any]:
    """Call ``operation`` with AWS member names; return the response with AWS member names."""
    request_class = getattr(personalize_pb2, f"{operation}Request")
    message = json_format.ParseDict(request, request_class())
    response = getattr(stub, operation)(message, timeout=30)
    return message_to_aws(response)


def aws_error_name(error: grpc.RpcError) -> str:
    """The AWS exception name carried in the status details' ErrorInfo."""
    status = rpc_status.from_call(error)
    assert status is not None, f"no rich status on {error!r}"
    for detail in status.details:
        info = error_details_pb2.ErrorInfo()
        if detail.Unpack(info):
            return info.reason
    raise AssertionError(f"no ErrorInfo in {status}")


def expect_error(
    stub: Any, operation: str, aws_name: str, code: grpc.StatusCode, **request: Any
) -> str:
    """Call ``operation`` expecting ``aws_name``/``code``; return the message for further checks."""
    with pytest.raises(grpc.RpcError) as caught:
        call(stub, operation, **request)
    error = caught.value
    assert error.code() == code, f"{operation}: {error.code()} {error.details()}"
    assert aws_error_name(error) == aws_name
    assert error.details().startswith(f"{aws_name}: ")
    return error.details()
