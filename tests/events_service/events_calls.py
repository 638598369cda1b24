"""Call PersonalizeEvents operations with AWS-shaped dicts."""

from __future__ import annotations

from typing import Any

import grpc
import pytest
from google.protobuf import json_format

from tailor_api.v1 import personalize_events_pb2
from tests.control_plane.aws_calls import aws_error_name


def call_events(stub: Any, operation: str, **request: Any) -> None:
    """Call ``operation`` with AWS member names (events operations answer an empty body)."""
    request_class = getattr(personalize_events_pb2, f"{operation}Request")
    getattr(stub, operation)(json_format.ParseDict(request, request_class()), timeout=30)


def expect_events_error(
    stub: Any, operation: str, aws_name: str, code: grpc.StatusCode, **request: Any
) -> str:
    """Call ``operation`` expecting ``aws_name``/``code``; return the message after the name."""
    with pytest.raises(grpc.RpcError) as caught:
        call_events(stub, operation, **request)
    error = caught.value
    assert error.code() == code, f"{operation}: {error.code()} {error.details()}"
    assert aws_error_name(error) == aws_name
    assert error.details().startswith(f"{aws_name}: ")
    return error.details()[len(aws_name) + 2 :]
