"""The one place where Tailor's error vocabulary becomes gRPC statuses."""

from __future__ import annotations

import logging
import uuid

import grpc
from google.protobuf import any_pb2
from google.rpc import code_pb2, error_details_pb2, status_pb2
from grpc_status import rpc_status

from domain import errors

log = logging.getLogger(__name__)

ERROR_DOMAIN = "personalize.tailor"
INTERNAL_NAME = "InternalFailure"

GRPC_CODES: dict[type[errors.TailorError], grpc.StatusCode] = {
    errors.InvalidInputException: grpc.StatusCode.INVALID_ARGUMENT,
    errors.ResourceNotFoundException: grpc.StatusCode.NOT_FOUND,
    errors.ResourceAlreadyExistsException: grpc.StatusCode.ALREADY_EXISTS,
    errors.ResourceInUseException: grpc.StatusCode.FAILED_PRECONDITION,
    errors.LimitExceededException: grpc.StatusCode.RESOURCE_EXHAUSTED,
    errors.InvalidNextTokenException: grpc.StatusCode.INVALID_ARGUMENT,
    errors.TooManyTagsException: grpc.StatusCode.RESOURCE_EXHAUSTED,
    errors.TooManyTagKeysException: grpc.StatusCode.RESOURCE_EXHAUSTED,
    errors.NotImplementedOperation: grpc.StatusCode.UNIMPLEMENTED,
}


def code_for(exc: BaseException) -> grpc.StatusCode:
    """The gRPC status code answering ``exc``: its error class's (or a base's), else INTERNAL.

    A TailorError subclass outside the vocabulary (a service's own error that escaped) answers
    INTERNAL rather than failing the lookup, so every failure is counted with a code.
    """
    for cls in type(exc).__mro__:
        code = GRPC_CODES.get(cls)
        if code is not None:
            return code
    return grpc.StatusCode.INTERNAL


def status_for(exc: BaseException, operation: str) -> tuple[grpc.StatusCode, grpc.Status]:
    """The gRPC status for an exception raised while serving ``operation``.

    A TailorError keeps its message, prefixed with its AWS name, and carries that name as the
    ErrorInfo reason. Anything else is logged with its stack and answers INTERNAL with an opaque
    incident id, never the exception text.
    """
    code = code_for(exc)
    if isinstance(exc, errors.TailorError) and code is not grpc.StatusCode.INTERNAL:
        name, message = exc.aws_name, f"{exc.aws_name}: {exc.message}"
    else:
        incident = uuid.uuid4().hex[:12]
        log.error("unexpected error in %s (incident %s)", operation, incident, exc_info=exc)
        name = INTERNAL_NAME
        message = f"{INTERNAL_NAME}: internal error while serving {operation} (incident {incident})"
    detail = any_pb2.Any()
    detail.Pack(error_details_pb2.ErrorInfo(reason=name, domain=ERROR_DOMAIN))
    proto_status = status_pb2.Status(
        code=getattr(code_pb2, code.name), message=message, details=[detail]
    )
    return code, rpc_status.to_status(proto_status)
