"""Serve a proto service from plain functions over AWS-shaped dicts.

Each RPC of a service descriptor becomes a handler that validates the request against the AWS
constraints, turns it into the AWS JSON shape (member names as AWS spells them), calls the
operation, and turns the returned dict back into the response message. RPCs without an operation
answer UNIMPLEMENTED naming the operation.

A hot operation can skip the dict round trip by being a :class:`MessageOperation`: it then gets
the request message itself and returns the response message.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any, Protocol, runtime_checkable

import grpc
from google.protobuf import json_format, message_factory
from google.protobuf.descriptor import ServiceDescriptor
from google.protobuf.message import Message

from domain.errors import NotImplementedOperation
from servicekit.errors import status_for
from servicekit.metrics import RPC_METRICS
from servicekit.request_validation import validate_request

Operation = Callable[[dict[str, Any]], dict[str, Any]]


@runtime_checkable
class MessageOperation(Protocol):
    """An operation served from the request message itself, without the dict round trip."""

    def call_message(self, request: Message) -> Message:
        """Answer ``request`` with the response message.

        The operation checks the AWS constraints itself, raising the very errors
        :func:`~servicekit.request_validation.validate_request` would.
        """
        ...


def bridge_handler(
    service: ServiceDescriptor, operations: Mapping[str, Operation]
) -> grpc.GenericRpcHandler:
    """A generic gRPC handler serving every RPC of ``service`` from ``operations`` by name."""
    handlers = {
        method.name: _unary_handler(service.name, method, operations.get(method.name))
        for method in service.methods
    }
    return grpc.method_handlers_generic_handler(service.full_name, handlers)


def _unary_handler(service_name: str, method, operation: Operation | None):  # type: ignore[no-untyped-def]
    request_class = message_factory.GetMessageClass(method.input_type)
    response_class = message_factory.GetMessageClass(method.output_type)
    name = method.name
    call_message = operation.call_message if isinstance(operation, MessageOperation) else None
    # The label children of a successful call, looked up once rather than per call.
    ok_requests = RPC_METRICS.requests.labels(service_name, name, grpc.StatusCode.OK.name)
    latency = RPC_METRICS.latency.labels(service_name, name)

    def handle(request, context: grpc.ServicerContext):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        code = grpc.StatusCode.OK
        try:
            if call_message is not None:
                return call_message(request)
            if operation is None:
                raise NotImplementedOperation(f"{name} is not implemented in this Tailor version")
            validate_request(request)
            params = json_format.MessageToDict(request, preserving_proto_field_name=False)
            result = operation(params)
            # The response shape decides what goes on the wire: a stored document may hold
            # members that one shape (a Summary) leaves out.
            return json_format.ParseDict(result or {}, response_class(), ignore_unknown_fields=True)
        except Exception as exc:  # noqa: BLE001 - every failure becomes a status, once, here
            # Counted as INTERNAL even if building the status itself fails.
            code = grpc.StatusCode.INTERNAL
            code, status = status_for(exc, name)
            context.abort_with_status(status)
        finally:
            if code is grpc.StatusCode.OK:
                ok_requests.inc()
                latency.observe(time.perf_counter() - started)
            else:
                RPC_METRICS.observe(service_name, name, code, time.perf_counter() - started)

    return grpc.unary_unary_rpc_method_handler(
        handle,
        request_deserializer=request_class.FromString,
        response_serializer=response_class.SerializeToString,
    )
