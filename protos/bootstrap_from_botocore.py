"""Write the first version of Tailor's .proto files from the AWS service models in botocore.

The .proto files under ``protos/tailor_api/v1`` are the API's source of truth; this script is how
they were bootstrapped, so that every AWS operation, shape and member is declared exactly once with
its constraints. Re-run it (``make protos-bootstrap``) only to pick up a newer AWS model; hand edits
to the generated .proto files are overwritten.

Mapping rules:
  * one proto package per AWS service, one RPC per operation, one message per structure shape;
  * a field is the snake_case of the AWS member; ``json_name`` is set wherever protobuf's own
    lowerCamelCase of that name would differ from the AWS member (``minProvisionedTPS``);
  * timestamps are ``double`` epoch seconds (the AWS JSON wire format); enums are ``string`` with
    their allowed values in the constraints option, so JSON carries the AWS spelling;
  * maps whose values are lists use ``google.protobuf.ListValue`` (JSON: a plain array);
  * scalar members are ``optional`` so that "not given" differs from "zero";
  * length, pattern, range and count constraints ride along as ``(tailor.api.v1.rule)`` options;
  * Tailor's own extension members (:data:`TAILOR_EXTENSIONS`) follow a shape's AWS members, with
    names starting ``tailor_`` and field numbers from 1000. AWS SDK clients ignore unknown members.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import botocore.session

SERVICES = {
    "personalize": ("personalize", "Personalize", "tailor.personalize.v1"),
    "personalize-events": (
        "personalize_events",
        "PersonalizeEvents",
        "tailor.personalize_events.v1",
    ),
    "personalize-runtime": (
        "personalize_runtime",
        "PersonalizeRuntime",
        "tailor.personalize_runtime.v1",
    ),
}
SCALARS = {
    "string": "string",
    "integer": "int32",
    "long": "int64",
    "float": "float",
    "double": "double",
    "boolean": "bool",
    "timestamp": "double",
    "blob": "bytes",
}
OUT_DIR = Path(__file__).resolve().parent / "tailor_api" / "v1"

#: First field number of Tailor's extension members (far above any AWS shape's member count).
EXTENSION_FIELD_BASE = 1000
_IMPORT_JOB_EXTENSIONS = [
    (
        "optional int64 tailor_records_imported",
        "records read and checked so far while the import runs; records imported once ACTIVE; "
        "0 after a failure",
    ),
    (
        "optional double tailor_progress",
        "fraction of the input read so far, 0 to 1 (1 once ACTIVE)",
    ),
]
#: Tailor extension members: AWS service -> AWS shape -> [(declaration without number, doc)].
#: Field numbers are assigned in order from EXTENSION_FIELD_BASE.
TAILOR_EXTENSIONS: dict[str, dict[str, list[tuple[str, str]]]] = {
    "personalize": {
        "DatasetImportJob": _IMPORT_JOB_EXTENSIONS,
        "DatasetImportJobSummary": _IMPORT_JOB_EXTENSIONS,
    },
}


def snake_case(member: str) -> str:
    """``minProvisionedTPS`` -> ``min_provisioned_tps``; ``s3DataSource`` -> ``s3_data_source``."""
    step = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", member)
    step = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", step)
    return step.lower()


def lower_camel(snake: str) -> str:
    """Protobuf's default JSON name for a field."""
    head, *rest = snake.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _value_rule(shape: dict) -> dict:
    rule: dict = {}
    if shape["type"] == "string":
        if "min" in shape:
            rule["min_length"] = shape["min"]
        if "max" in shape:
            rule["max_length"] = shape["max"]
    elif shape["type"] in ("integer", "long", "float", "double"):
        if "min" in shape:
            rule["min"] = shape["min"]
        if "max" in shape:
            rule["max"] = shape["max"]
    if "pattern" in shape:
        rule["pattern"] = shape["pattern"]
    if "enum" in shape:
        rule["allowed"] = list(shape["enum"])
    return rule


def _render_value_rule(name: str, rule: dict) -> list[str]:
    if not rule:
        return []
    parts = [f"{key}: {json.dumps(value)}" for key, value in rule.items()]
    return [f"{name}: {{{', '.join(parts)}}}"]


def field_decl(raw: dict, member: str, ref: dict, required: bool, number: int) -> tuple[str, str]:
    """Return (declaration, comment) for one member of a structure."""
    target = raw[ref["shape"]]
    kind = target["type"]
    rule_parts: list[str] = []
    if required:
        rule_parts.append("required: true")
    comment = f'AWS member "{member}" ({ref["shape"]}, {kind})'
    label = ""
    if kind == "list":
        elem_name = target["member"]["shape"]
        elem = raw[elem_name]
        proto_type = elem_name if elem["type"] == "structure" else SCALARS[elem["type"]]
        label = "repeated "
        if "min" in target:
            rule_parts.append(f"min_items: {target['min']}")
        if "max" in target:
            rule_parts.append(f"max_items: {target['max']}")
        rule_parts += _render_value_rule("value", _value_rule(elem))
    elif kind == "map":
        key = raw[target["key"]["shape"]]
        value_name = target["value"]["shape"]
        value = raw[value_name]
        if value["type"] == "list":
            value_type = "google.protobuf.ListValue"
            inner = raw[value["member"]["shape"]]
            if "max" in value:
                rule_parts.append(f"inner_max_items: {value['max']}")
            rule_parts += _render_value_rule("value", _value_rule(inner))
        elif value["type"] == "structure":
            value_type = value_name
        else:
            value_type = SCALARS[value["type"]]
            rule_parts += _render_value_rule("value", _value_rule(value))
        proto_type = f"map<string, {value_type}>"
        if "min" in target:
            rule_parts.append(f"min_items: {target['min']}")
        if "max" in target:
            rule_parts.append(f"max_items: {target['max']}")
        rule_parts += _render_value_rule("key", _value_rule(key))
    elif kind == "structure":
        proto_type = ref["shape"]
    else:
        proto_type = SCALARS[kind]
        label = "optional "
        rule_parts += _render_value_rule("value", _value_rule(target))
    name = snake_case(member)
    options = []
    if lower_camel(name) != member:
        options.append(f'json_name = "{member}"')
    if rule_parts:
        options.append("(tailor.api.v1.rule) = {" + ", ".join(rule_parts) + "}")
    suffix = f" [{', '.join(options)}]" if options else ""
    return f"{label}{proto_type} {name} = {number}{suffix};", comment


def render_service(boto_name: str) -> str:
    """Render one AWS service model as a .proto file."""
    file_stem, service_name, package = SERVICES[boto_name]
    model = botocore.session.get_session().get_service_model(boto_name)
    raw = model._shape_resolver._shape_map
    messages: dict[str, dict] = {}
    rpcs = []
    for op in model.operation_names:
        op_model = model.operation_model(op)
        request = op_model.input_shape.name
        response = op_model.output_shape.name if op_model.output_shape else f"{op}Response"
        if not op_model.output_shape:
            messages[response] = {"type": "structure", "members": {}}
        rpcs.append((op, request, response))
    pending = [op_model_shape for _, op_model_shape, _ in rpcs] + [r for _, _, r in rpcs]
    seen: set[str] = set()
    while pending:
        shape_name = pending.pop()
        if shape_name in seen:
            continue
        seen.add(shape_name)
        shape = messages.get(shape_name) or raw[shape_name]
        messages[shape_name] = shape
        for ref in shape.get("members", {}).values():
            target = raw[ref["shape"]]
            for nested in _structures_in(raw, ref["shape"], target):
                pending.append(nested)
    uses_list_value = any(
        raw[raw[ref["shape"]]["value"]["shape"]]["type"] == "list"
        for shape in messages.values()
        for ref in shape.get("members", {}).values()
        if raw.get(ref["shape"], {}).get("type") == "map"
    )
    lines = [
        "// Generated by protos/bootstrap_from_botocore.py from the botocore model",
        f"// {boto_name} {model.api_version}. Field names are the snake_case of the AWS members.",
        'syntax = "proto3";',
        "",
        f"package {package};",
        "",
        'import "tailor_api/v1/constraints.proto";',
    ]
    if uses_list_value:
        lines.append('import "google/protobuf/struct.proto";')
    lines += [
        "",
        f"// The AWS {boto_name} API ({model.api_version}), one RPC per operation.",
        f"service {service_name} {{",
    ]
    for op, request, response in rpcs:
        lines.append(f"  // AWS operation {op}.")
        lines.append(f"  rpc {op}({request}) returns ({response});")
    lines += ["}", ""]
    for shape_name in sorted(messages):
        shape = messages[shape_name]
        lines.append(f"// AWS shape {shape_name}.")
        lines.append(f"message {shape_name} {{")
        required = set(shape.get("required", []))
        for number, (member, ref) in enumerate(shape.get("members", {}).items(), start=1):
            decl, comment = field_decl(raw, member, ref, member in required, number)
            lines.append(f"  // {comment}")
            lines.append(f"  {decl}")
        extensions = TAILOR_EXTENSIONS.get(boto_name, {}).get(shape_name, [])
        for number, (declaration, doc) in enumerate(extensions, start=EXTENSION_FIELD_BASE):
            lines.append(f"  // Tailor extension, not in the AWS shape: {doc}.")
            lines.append(f"  {declaration} = {number};")
        lines += ["}", ""]
    return "\n".join(lines)


def _structures_in(raw: dict, name: str, shape: dict) -> list[str]:
    if shape["type"] == "structure":
        return [name]
    if shape["type"] == "list":
        member = shape["member"]["shape"]
        return _structures_in(raw, member, raw[member])
    if shape["type"] == "map":
        value = shape["value"]["shape"]
        return _structures_in(raw, value, raw[value])
    return []


def main() -> int:
    """Write one .proto per AWS service beside constraints.proto."""
    for boto_name, (file_stem, _, _) in SERVICES.items():
        (OUT_DIR / f"{file_stem}.proto").write_text(render_service(boto_name))
    return 0


if __name__ == "__main__":
    sys.exit(main())
