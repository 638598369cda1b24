"""Contract test: the .proto API declares every AWS operation, shape, member and constraint.

The AWS service models shipped with botocore are the reference. For each service the generated
descriptors must hold one RPC per AWS operation, one message per AWS structure reachable from the
operations, one field per member (json_name = the AWS member name, compatible type, snake_case
name), and the AWS constraints of each member as the ``(tailor.api.v1.rule)`` option.

The only fields AWS does not have are Tailor's extension members, declared in the bootstrap's
``TAILOR_EXTENSIONS`` table: named ``tailor_*``, numbered from 1000, after the AWS members.
"""

from __future__ import annotations

import functools
import importlib.util
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import botocore.session
import pytest
from botocore.model import ListShape, MapShape, ServiceModel, Shape, StructureShape
from google.protobuf import descriptor as _descriptor
from google.protobuf import text_format

from tailor_api.v1 import (
    constraints_pb2,
    personalize_events_pb2,
    personalize_pb2,
    personalize_runtime_pb2,
)

FD = _descriptor.FieldDescriptor

# AWS scalar type -> proto field types that may carry it.
SCALAR_TYPES: dict[str, set[int]] = {
    "string": {FD.TYPE_STRING},
    "integer": {FD.TYPE_INT32, FD.TYPE_INT64},
    "long": {FD.TYPE_INT64},
    "float": {FD.TYPE_FLOAT},
    "double": {FD.TYPE_DOUBLE},
    "boolean": {FD.TYPE_BOOL},
    "timestamp": {FD.TYPE_DOUBLE},
    "blob": {FD.TYPE_BYTES},
}
LIST_VALUE = "google.protobuf.ListValue"
TYPE_NAMES = {getattr(FD, n): n[5:].lower() for n in dir(FD) if n.startswith("TYPE_")}


@dataclass(frozen=True)
class Service:
    boto_name: str
    module: ModuleType
    service_name: str
    operation_count: int


SERVICES = [
    Service("personalize", personalize_pb2, "Personalize", 71),
    Service("personalize-events", personalize_events_pb2, "PersonalizeEvents", 5),
    Service("personalize-runtime", personalize_runtime_pb2, "PersonalizeRuntime", 3),
]
_SESSION = botocore.session.get_session()
MODELS: dict[str, ServiceModel] = {
    s.boto_name: _SESSION.get_service_model(s.boto_name) for s in SERVICES
}


def _load_bootstrap() -> ModuleType:
    path = Path(__file__).resolve().parents[2] / "protos" / "bootstrap_from_botocore.py"
    spec = importlib.util.spec_from_file_location("bootstrap_from_botocore", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


BOOTSTRAP = _load_bootstrap()


def declared_extensions(
    table: dict[str, dict[str, list[tuple[str, str]]]], boto_name: str, shape_name: str
) -> dict[str, int]:
    """Extension field name -> field number, as an extension table declares them for a shape."""
    declarations = table.get(boto_name, {}).get(shape_name, [])
    return {
        declaration.split()[-1]: number
        for number, (declaration, _) in enumerate(
            declarations, start=BOOTSTRAP.EXTENSION_FIELD_BASE
        )
    }


def extension_problems(
    message: _descriptor.Descriptor,
    aws_members: set[str],
    declared: dict[str, int],
) -> list[str]:
    """Problems with the fields of ``message`` that are not AWS members (empty when none)."""
    problems = []
    extra = {f.name: f for f in message.fields if f.json_name not in aws_members}
    for name, field in extra.items():
        if name not in declared:
            problems.append(f"field {name} is neither an AWS member nor a declared extension")
        elif not name.startswith("tailor_") or declared[name] != field.number:
            problems.append(f"extension {name} must be tailor_* numbered {declared[name]}")
    absent = sorted(set(declared) - set(extra))
    problems += [f"declared extension {name} is missing" for name in absent]
    return problems


def _response_name(model: ServiceModel, op: str) -> str:
    output = model.operation_model(op).output_shape
    return output.name if output is not None else f"{op}Response"


def _structures_under(shape: Shape) -> list[StructureShape]:
    if isinstance(shape, StructureShape):
        return [shape]
    if isinstance(shape, ListShape):
        return _structures_under(shape.member)
    if isinstance(shape, MapShape):
        return _structures_under(shape.key) + _structures_under(shape.value)
    return []


@functools.cache
def reachable_structures(boto_name: str) -> dict[str, StructureShape]:
    """Every structure shape reachable from an operation's input or output, by name."""
    model = MODELS[boto_name]
    found: dict[str, StructureShape] = {}
    pending: list[StructureShape] = []
    for op in model.operation_names:
        op_model = model.operation_model(op)
        pending += [s for s in (op_model.input_shape, op_model.output_shape) if s is not None]
    while pending:
        shape = pending.pop()
        if shape.name in found:
            continue
        found[shape.name] = shape
        for member in shape.members.values():
            pending += _structures_under(member)
    return found


def _params(kind: str) -> list:
    params = []
    for service in SERVICES:
        model = MODELS[service.boto_name]
        if kind == "op":
            names = model.operation_names
        else:
            names = sorted(reachable_structures(service.boto_name))
        for name in names:
            params.append(pytest.param(service, name, id=f"{service.boto_name}:{name}"))
    return params


def _message(service: Service, name: str) -> _descriptor.Descriptor:
    messages = service.module.DESCRIPTOR.message_types_by_name
    assert name in messages, f"{service.boto_name}: no message {name} in the proto package"
    return messages[name]


def _is_map(field: FD) -> bool:
    return (
        field.type == FD.TYPE_MESSAGE
        and field.is_repeated
        and field.message_type.GetOptions().map_entry
    )


# ---------------------------------------------------------------------------------------------
# Services and operations
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("service", SERVICES, ids=[s.boto_name for s in SERVICES])
def test_service_has_exactly_the_aws_operations(service: Service) -> None:
    model = MODELS[service.boto_name]
    assert len(model.operation_names) == service.operation_count, (
        f"botocore {service.boto_name} now has {len(model.operation_names)} operations; "
        "re-run the bootstrap and update this count"
    )
    proto_service = service.module.DESCRIPTOR.services_by_name.get(service.service_name)
    assert proto_service is not None, f"no service {service.service_name} in the proto"
    rpcs = set(proto_service.methods_by_name)
    ops = set(model.operation_names)
    name = service.service_name
    assert not ops - rpcs, f"{name}: AWS operations without RPC: {sorted(ops - rpcs)}"
    assert not rpcs - ops, f"{name}: RPCs AWS does not have: {sorted(rpcs - ops)}"


@pytest.mark.parametrize(("service", "op"), _params("op"))
def test_operation_is_rpc_with_aws_shapes(service: Service, op: str) -> None:
    model = MODELS[service.boto_name]
    proto_service = service.module.DESCRIPTOR.services_by_name[service.service_name]
    assert op in proto_service.methods_by_name, f"{service.service_name}: no RPC {op}"
    method = proto_service.methods_by_name[op]
    op_model = model.operation_model(op)
    assert method.input_type.name == op_model.input_shape.name, (
        f"{op}: input is {method.input_type.name}, AWS input shape is {op_model.input_shape.name}"
    )
    expected_output = _response_name(model, op)
    assert method.output_type.name == expected_output, (
        f"{op}: output is {method.output_type.name}, expected {expected_output}"
    )
    for message in (method.input_type, method.output_type):
        assert message is _message(service, message.name), (
            f"{op}: {message.full_name} is not the package's top-level message {message.name}"
        )
    if op_model.output_shape is None:
        assert not method.output_type.fields, (
            f"{op} has no AWS output, but {expected_output} has fields"
        )
    assert not method.client_streaming and not method.server_streaming, f"{op} must be unary"


@pytest.mark.parametrize("service", SERVICES, ids=[s.boto_name for s in SERVICES])
def test_no_message_that_aws_does_not_have(service: Service) -> None:
    model = MODELS[service.boto_name]
    expected = set(reachable_structures(service.boto_name))
    expected |= {_response_name(model, op) for op in model.operation_names}
    actual = set(service.module.DESCRIPTOR.message_types_by_name)
    name = service.boto_name
    assert not actual - expected, f"{name}: messages AWS does not have: {sorted(actual - expected)}"
    assert not expected - actual, f"{name}: missing messages {sorted(expected - actual)}"


# ---------------------------------------------------------------------------------------------
# Shapes, members and constraints
# ---------------------------------------------------------------------------------------------


def _value_rule(shape: Shape) -> constraints_pb2.ValueRule:
    """The ValueRule that the AWS constraints of one scalar shape call for."""
    rule = constraints_pb2.ValueRule()
    meta = shape.metadata
    if shape.type_name in ("string", "blob"):
        if "min" in meta:
            rule.min_length = meta["min"]
        if "max" in meta:
            rule.max_length = meta["max"]
    elif shape.type_name in ("integer", "long", "float", "double"):
        if "min" in meta:
            rule.min = meta["min"]
        if "max" in meta:
            rule.max = meta["max"]
    if "pattern" in meta:
        rule.pattern = meta["pattern"]
    if meta.get("enum"):
        rule.allowed.extend(meta["enum"])
    return rule


def _set_value_rule(target: constraints_pb2.ValueRule, source: constraints_pb2.ValueRule) -> None:
    if source.ListFields():  # an empty ValueRule is not written into the option at all
        target.CopyFrom(source)


def _set_items(rule: constraints_pb2.FieldRule, shape: Shape) -> None:
    if "min" in shape.metadata:
        rule.min_items = shape.metadata["min"]
    if "max" in shape.metadata:
        rule.max_items = shape.metadata["max"]


def expected_rule(member_shape: Shape, required: bool) -> constraints_pb2.FieldRule:
    """The FieldRule that the AWS model calls for on a member of shape ``member_shape``."""
    rule = constraints_pb2.FieldRule(required=required)
    if isinstance(member_shape, ListShape):
        _set_items(rule, member_shape)
        _set_value_rule(rule.value, _value_rule(member_shape.member))
    elif isinstance(member_shape, MapShape):
        _set_items(rule, member_shape)
        _set_value_rule(rule.key, _value_rule(member_shape.key))
        value = member_shape.value
        if isinstance(value, ListShape):
            assert "min" not in value.metadata, "FieldRule cannot express a minimum inner list size"
            if "max" in value.metadata:
                rule.inner_max_items = value.metadata["max"]
            _set_value_rule(rule.value, _value_rule(value.member))
        else:
            _set_value_rule(rule.value, _value_rule(value))
    elif not isinstance(member_shape, StructureShape):
        _set_value_rule(rule.value, _value_rule(member_shape))
    return rule


def _check_element(field_type: int, message: _descriptor.Descriptor | None, shape: Shape) -> str:
    """Return a problem description if a proto element type cannot carry ``shape``, else ''."""
    if isinstance(shape, StructureShape):
        if field_type != FD.TYPE_MESSAGE or message.name != shape.name:
            got = message.full_name if message is not None else TYPE_NAMES[field_type]
            return f"expected message {shape.name}, got {got}"
        return ""
    if isinstance(shape, ListShape | MapShape):
        return f"nested {shape.type_name} {shape.name} has no proto mapping"
    allowed = SCALAR_TYPES[shape.type_name]
    if field_type not in allowed:
        want = sorted(TYPE_NAMES[t] for t in allowed)
        got = TYPE_NAMES[field_type]
        return f"AWS {shape.type_name} cannot be proto {got} (want one of {want})"
    return ""


def check_member_type(field: FD, shape: Shape) -> str:
    """Return a problem description if ``field`` cannot carry AWS ``shape``, else ''."""
    if isinstance(shape, MapShape):
        if not _is_map(field):
            return f"AWS map {shape.name} must be a proto map"
        entry = field.message_type.fields_by_name
        key, value = entry["key"], entry["value"]
        if key.type != FD.TYPE_STRING or shape.key.type_name != "string":
            return f"map key must be string (AWS {shape.key.type_name})"
        if isinstance(shape.value, ListShape):
            if value.type != FD.TYPE_MESSAGE or value.message_type.full_name != LIST_VALUE:
                return f"map of lists must have {LIST_VALUE} values"
            if shape.value.member.type_name != "string":
                return f"ListValue elements must be strings, AWS has {shape.value.member.type_name}"
            return ""
        return _check_element(value.type, value.message_type, shape.value)
    if isinstance(shape, ListShape):
        if not field.is_repeated or _is_map(field):
            return f"AWS list {shape.name} must be a repeated field"
        return _check_element(field.type, field.message_type, shape.member)
    if field.is_repeated:
        return f"AWS {shape.type_name} must not be repeated"
    problem = _check_element(field.type, field.message_type, shape)
    if not problem and not isinstance(shape, StructureShape) and not field.has_presence:
        problem = "scalar members must be `optional` (explicit presence)"
    return problem


@pytest.mark.parametrize(("service", "shape_name"), _params("shape"))
def test_shape_members_are_fields(service: Service, shape_name: str) -> None:
    shape = reachable_structures(service.boto_name)[shape_name]
    message = _message(service, shape_name)
    by_json = {field.json_name: field for field in message.fields}
    missing = [member for member in shape.members if member not in by_json]
    assert not missing, f"{shape_name}: AWS members without field (by json_name): {missing}"
    declared = declared_extensions(BOOTSTRAP.TAILOR_EXTENSIONS, service.boto_name, shape_name)
    extra = extension_problems(message, set(shape.members), declared)
    assert not extra, f"{shape_name}: fields AWS does not have: {extra}"
    problems = []
    for member, member_shape in shape.members.items():
        field = by_json[member]
        where = f"{shape_name}.{member} (field {field.name})"
        if field.name.replace("_", "") != member.lower() or field.name != field.name.lower():
            problems.append(f"{where}: field name is not the snake_case of the member")
        if problem := check_member_type(field, member_shape):
            problems.append(f"{where}: {problem}")
        if isinstance(member_shape, StructureShape) and field.message_type is not None:
            if field.message_type is not _message(service, member_shape.name):
                problems.append(f"{where}: must use the top-level message {member_shape.name}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("service", "shape_name"), _params("shape"))
def test_shape_constraints_are_rule_options(service: Service, shape_name: str) -> None:
    shape = reachable_structures(service.boto_name)[shape_name]
    message = _message(service, shape_name)
    by_json = {field.json_name: field for field in message.fields}
    problems = []
    for member, member_shape in shape.members.items():
        if member not in by_json:
            continue  # reported by test_shape_members_are_fields
        field = by_json[member]
        actual = field.GetOptions().Extensions[constraints_pb2.rule]
        expected = expected_rule(member_shape, member in shape.required_members)
        actual_text = text_format.MessageToString(actual, as_one_line=True)
        expected_text = text_format.MessageToString(expected, as_one_line=True)
        if actual_text != expected_text:
            problems.append(
                f"{shape_name}.{member}: rule is {{{actual_text}}}, "
                f"AWS model says {{{expected_text}}}"
            )
    assert not problems, "\n".join(problems)


def test_contract_checks_catch_defects() -> None:
    """The comparison helpers above must reject a wrong type, a missing rule and a wrong name."""
    model = MODELS["personalize"]
    shape = model.shape_for("CreateDatasetGroupRequest")
    fields = personalize_pb2.CreateDatasetGroupRequest.DESCRIPTOR.fields_by_name
    # A string field cannot carry a list of tags, nor a tag list a string.
    assert check_member_type(fields["name"], shape.members["tags"])
    assert check_member_type(fields["tags"], shape.members["name"])
    assert not check_member_type(fields["tags"], shape.members["tags"])
    # The rule of `name` differs from what `domain` calls for.
    name_rule = fields["name"].GetOptions().Extensions[constraints_pb2.rule]
    assert name_rule != expected_rule(shape.members["domain"], True)
    assert name_rule == expected_rule(shape.members["name"], True)
    assert name_rule != expected_rule(shape.members["name"], False)


def test_extension_fields_are_only_the_declared_ones() -> None:
    """DatasetImportJob's tailor_* fields pass only because the extension table declares them."""
    message = personalize_pb2.DatasetImportJob.DESCRIPTOR
    members = set(MODELS["personalize"].shape_for("DatasetImportJob").members)
    declared = declared_extensions(BOOTSTRAP.TAILOR_EXTENSIONS, "personalize", "DatasetImportJob")
    assert declared == {"tailor_records_imported": 1000, "tailor_progress": 1001}
    assert extension_problems(message, members, declared) == []
    assert {f.json_name for f in message.fields} - members == {
        "tailorRecordsImported",
        "tailorProgress",
    }
    undeclared = extension_problems(message, members, {})
    assert len(undeclared) == 2 and all("neither an AWS member" in p for p in undeclared)
    renumbered = extension_problems(
        message, members, {"tailor_records_imported": 1001, "tailor_progress": 1001}
    )
    assert renumbered == ["extension tailor_records_imported must be tailor_* numbered 1001"]
    other_shape = personalize_pb2.DatasetExportJob.DESCRIPTOR
    export_members = set(MODELS["personalize"].shape_for("DatasetExportJob").members)
    assert extension_problems(other_shape, export_members, declared) == [
        "declared extension tailor_progress is missing",
        "declared extension tailor_records_imported is missing",
    ]
