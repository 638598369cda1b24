"""AWS-CLI-like commands for Tailor, generated from the proto service descriptors.

Every RPC of the three services becomes a kebab-case operation (``CreateDatasetGroup`` ->
``create-dataset-group``) and every top-level request field an option named after the kebab
of its AWS member (``datasetGroupArn`` -> ``--dataset-group-arn``). Option values are turned
into an AWS-shaped dict and parsed with ``json_format.ParseDict``, the call goes over a real
gRPC channel, and the response is printed as JSON with AWS member names. Errors are reported
the way the AWS CLI reports them, with the same exit codes.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import grpc
from google.protobuf import json_format, message_factory
from google.protobuf.descriptor import FieldDescriptor, MethodDescriptor, ServiceDescriptor
from google.protobuf.message import Message
from google.rpc import error_details_pb2
from grpc_status import rpc_status

from servicekit.aws_json import message_to_aws
from tailor_api.v1 import (
    constraints_pb2,
    personalize_events_pb2,
    personalize_pb2,
    personalize_runtime_pb2,
)

SERVICES: dict[str, ServiceDescriptor] = {
    "personalize": personalize_pb2.DESCRIPTOR.services_by_name["Personalize"],
    "personalize-events": personalize_events_pb2.DESCRIPTOR.services_by_name["PersonalizeEvents"],
    "personalize-runtime": personalize_runtime_pb2.DESCRIPTOR.services_by_name[
        "PersonalizeRuntime"
    ],
}
DEFAULT_READ_TIMEOUT_S = 60.0
EXIT_OK = 0
EXIT_USAGE = 2
EXIT_SERVICE_ERROR = 254
EXIT_CONNECTION_ERROR = 255

_WORD_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_TYPE_NAMES = {  # option type by FieldDescriptor.cpp_type; anything else is a string
    FieldDescriptor.CPPTYPE_INT32: "integer",
    FieldDescriptor.CPPTYPE_INT64: "integer",
    FieldDescriptor.CPPTYPE_UINT32: "integer",
    FieldDescriptor.CPPTYPE_UINT64: "integer",
    FieldDescriptor.CPPTYPE_FLOAT: "double",
    FieldDescriptor.CPPTYPE_DOUBLE: "double",
    FieldDescriptor.CPPTYPE_BOOL: "boolean",
}


class UsageError(Exception):
    """A bad command line; the message names the operation or option at fault."""


@dataclass(frozen=True)
class AwsCommand:
    """A parsed command line: the RPC, its request and the read timeout (None: no limit)."""

    method: MethodDescriptor
    request: Message
    timeout: float | None


def kebab(name: str) -> str:
    """Kebab-case a name like the AWS CLI: ``minProvisionedTPS`` -> ``min-provisioned-tps``."""
    return _WORD_BOUNDARY.sub("-", name).lower()


def operations(service: str) -> dict[str, MethodDescriptor]:
    """Map the kebab-case operation names of a CLI service (e.g. ``personalize``) to RPCs."""
    if service not in SERVICES:
        raise UsageError(f"unknown service {service!r}; choose from {', '.join(SERVICES)}")
    return {kebab(method.name): method for method in SERVICES[service].methods}


def _operation(service: str, name: str) -> MethodDescriptor:
    ops = operations(service)
    if name not in ops:
        raise UsageError(f"unknown operation {name!r} for {service}; see 'tailor {service} help'")
    return ops[name]


def is_required(field: FieldDescriptor) -> bool:
    """Return whether the AWS model marks the field as required."""
    return field.GetOptions().Extensions[constraints_pb2.rule].required


def _is_flag(field: FieldDescriptor) -> bool:
    return field.cpp_type == FieldDescriptor.CPPTYPE_BOOL and not field.is_repeated


def _type_name(field: FieldDescriptor) -> str:
    if field.message_type is not None:
        return field.message_type.name
    return _TYPE_NAMES.get(field.cpp_type, "string")


def describe_type(field: FieldDescriptor) -> str:
    """Describe the value an option takes, e.g. ``integer`` or ``JSON list of Tag``."""
    if field.message_type is not None and field.message_type.GetOptions().map_entry:
        key, value = field.message_type.fields
        return f"JSON map<{_type_name(key)}, {_type_name(value)}>"
    if field.message_type is not None:
        return f"JSON {'list of ' if field.is_repeated else ''}{_type_name(field)}"
    allowed = field.GetOptions().Extensions[constraints_pb2.rule].value.allowed
    choices = f": {'|'.join(allowed)}" if allowed else ""
    return f"{_type_name(field)}{choices}{' ...' if field.is_repeated else ''}"


def _read_value(option: str, text: str) -> str:
    """Return the value itself, or the contents of the file it names with ``file://``."""
    if not text.startswith("file://"):
        return text
    try:
        return Path(text[len("file://") :]).expanduser().read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"argument --{option}: cannot read {text}: {exc}") from exc


def _convert(option: str, field: FieldDescriptor, text: str) -> Any:
    """Parse one option value per the field's type."""
    text = _read_value(option, text)
    kind = "JSON" if field.message_type is not None else _type_name(field)
    try:
        return _PARSERS.get(kind, str)(text)
    except ValueError as exc:
        raise UsageError(f"argument --{option}: invalid {kind} value {text!r}: {exc}") from exc


def _bool(text: str) -> bool:
    if text.lower() not in ("true", "false"):
        raise ValueError("expected true or false")
    return text.lower() == "true"


_PARSERS: dict[str, Any] = {"JSON": json.loads, "integer": int, "double": float, "boolean": _bool}


def _split_options(argv: list[str]) -> list[tuple[str, list[str]]]:
    """Group ``--name [value ...]`` and ``--name=value`` tokens."""
    groups: list[tuple[str, list[str]]] = []
    for token in argv:
        if token.startswith("--"):
            name, has_value, value = token[2:].partition("=")
            groups.append((name, [value] if has_value else []))
        elif not groups:
            raise UsageError(f"unexpected argument {token!r}; options start with --")
        else:
            groups[-1][1].append(token)
    return groups


def _one_value(option: str, values: list[str]) -> str:
    if len(values) != 1:
        raise UsageError(f"argument --{option}: expected one value, got {len(values)}")
    return values[0]


def build_request(service: str, argv: list[str]) -> AwsCommand:
    """Parse an operation's command line into its request message.

    Args:
        service: CLI service name: ``personalize``, ``personalize-events`` or
            ``personalize-runtime``.
        argv: The kebab-case operation followed by its options.

    Returns:
        The method to call, its request and the read timeout.

    Raises:
        UsageError: For an unknown operation or option, or a value that does not parse.

    """
    method = _operation(service, argv[0] if argv else "")
    request_class = message_factory.GetMessageClass(method.input_type)
    flags: dict[str, tuple[FieldDescriptor, bool]] = {}
    for field in method.input_type.fields:
        flags[kebab(field.json_name)] = (field, True)
        if _is_flag(field):
            flags["no-" + kebab(field.json_name)] = (field, False)
    base: dict[str, Any] = {}
    explicit: dict[FieldDescriptor, Any] = {}
    timeout: float | None = DEFAULT_READ_TIMEOUT_S
    for option, values in _split_options(argv[1:]):
        if option == "cli-input-json":
            text = _read_value(option, _one_value(option, values))
            try:
                base = json.loads(text)
            except ValueError as exc:
                raise UsageError(f"argument --{option}: invalid JSON: {exc}") from exc
            if not isinstance(base, dict):
                raise UsageError("argument --cli-input-json: expected a JSON object")
        elif option == "cli-read-timeout":
            text = _one_value(option, values)
            try:
                seconds = float(text)
            except ValueError:
                seconds = -1.0
            if seconds < 0:
                raise UsageError(f"argument --cli-read-timeout: invalid seconds {text!r}")
            timeout = seconds or None
        elif option in flags:
            field, flag_value = flags[option]
            if _is_flag(field):
                if values:
                    raise UsageError(f"argument --{option}: takes no value, got {values!r}")
                value: Any = flag_value
            elif field.is_repeated and field.message_type is None:
                if not values:
                    raise UsageError(f"argument --{option}: expected at least one value")
                value = [_convert(option, field, text) for text in values]
            else:
                value = _convert(option, field, _one_value(option, values))
            try:
                json_format.ParseDict({field.json_name: value}, request_class())
            except json_format.ParseError as exc:
                raise UsageError(f"argument --{option}: invalid value: {exc}") from exc
            explicit[field] = value
        else:
            raise UsageError(f"unknown option --{option} for {argv[0]}")
    body = dict(base)
    for field, value in explicit.items():
        body.pop(field.name, None)
        body[field.json_name] = value
    try:
        request = json_format.ParseDict(body, request_class())
    except json_format.ParseError as exc:
        raise UsageError(f"argument --cli-input-json: invalid request: {exc}") from exc
    return AwsCommand(method=method, request=request, timeout=timeout)


def service_help(service: str) -> str:
    """Return the help text listing a service's operations."""
    lines = [f"usage: tailor {service} <operation> [options]", "", "Operations:"]
    lines += [f"  {name}" for name in sorted(operations(service))]
    return "\n".join(lines) + "\n"


def operation_help(method: MethodDescriptor) -> str:
    """Return the help text listing an operation's options, types and required flags."""
    lines = [f"{kebab(method.name)} (AWS operation {method.name})", "", "Options:"]
    for field in method.input_type.fields:
        name = kebab(field.json_name)
        usage = (
            f"--{name} | --no-{name}" if _is_flag(field) else f"--{name} <{describe_type(field)}>"
        )
        lines.append(f"  {usage}{'  (required)' if is_required(field) else ''}")
    lines.append("  --cli-input-json <JSON object or file://path>  (whole request, AWS names)")
    lines.append(f"  --cli-read-timeout <seconds>  (default {DEFAULT_READ_TIMEOUT_S:g}, 0 = none)")
    return "\n".join(lines) + "\n"


def aws_error_reason(error: grpc.RpcError) -> str | None:
    """Return the ErrorInfo reason (the AWS exception name) carried by a failed call."""
    try:
        status = rpc_status.from_call(error)
    except (AttributeError, ValueError):
        return None
    for detail in status.details if status is not None else ():
        if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
            info = error_details_pb2.ErrorInfo()
            detail.Unpack(info)
            return info.reason or None
    return None


def _report_rpc_error(
    error: grpc.RpcError, command: AwsCommand, endpoint: str, stderr: TextIO
) -> int:
    code, message, reason = error.code(), error.details() or "", aws_error_reason(error)
    if reason is None and code == grpc.StatusCode.UNAVAILABLE:
        print(f"Could not connect to Tailor at {endpoint}: {message}", file=stderr)
        return EXIT_CONNECTION_ERROR
    if reason is None and code == grpc.StatusCode.DEADLINE_EXCEEDED:
        print(f"Read timeout on Tailor at {endpoint}: {message}", file=stderr)
        return EXIT_CONNECTION_ERROR
    name = reason or code.name
    message = message.removeprefix(f"{name}: ")
    print(
        f"An error occurred ({name}) when calling the {command.method.name} operation: {message}",
        file=stderr,
    )
    return EXIT_SERVICE_ERROR


def run_aws_command(
    service: str, argv: list[str], *, endpoint: str, stdout: TextIO, stderr: TextIO
) -> int:
    """Run one AWS-CLI-style command against a Tailor endpoint.

    Args:
        service: ``personalize``, ``personalize-events`` or ``personalize-runtime``.
        argv: The kebab-case operation and its options, or ``help``/``--help``.
        endpoint: The gRPC ``host:port`` of Tailor.
        stdout: Where the response JSON and help go.
        stderr: Where errors go.

    Returns:
        The exit code: 0 on success, 2 for a bad command line, 254 when the service returns
        an error, 255 when Tailor cannot be reached or does not answer in time.

    """
    try:
        if not argv or argv[0] in ("help", "--help"):
            print(service_help(service), end="", file=stdout if argv else stderr)
            return EXIT_OK if argv else EXIT_USAGE
        if argv[1:] == ["help"] or "--help" in argv[1:]:
            print(operation_help(_operation(service, argv[0])), end="", file=stdout)
            return EXIT_OK
        command = build_request(service, argv)
    except UsageError as exc:
        print(f"tailor {service}: error: {exc}", file=stderr)
        return EXIT_USAGE
    method = command.method
    response_class = message_factory.GetMessageClass(method.output_type)
    with grpc.insecure_channel(endpoint) as channel:
        call = channel.unary_unary(
            f"/{method.containing_service.full_name}/{method.name}",
            request_serializer=type(command.request).SerializeToString,
            response_deserializer=response_class.FromString,
        )
        try:
            response = call(command.request, timeout=command.timeout)
        except grpc.RpcError as error:
            return _report_rpc_error(error, command, endpoint, stderr)
    print(json.dumps(message_to_aws(response), indent=4), file=stdout)
    return EXIT_OK
