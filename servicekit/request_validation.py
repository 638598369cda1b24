"""Generic request validation from the AWS constraints carried by the .proto field options.

Every field of the API messages may carry a ``(tailor.api.v1.rule)`` option (a ``FieldRule``,
see ``protos/tailor_api/v1/constraints.proto``) holding what the AWS model says about the member:
required, length, pattern, range, allowed values and item counts. :func:`validate_request` walks a
request with its descriptor and raises :class:`InvalidInputException` for the first violation,
naming the field by its AWS (JSON) name and path, e.g. ``tags[3].tagKey``.

The checks of each message type are computed once from its descriptor and cached by full name.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import regex
from google.protobuf.descriptor import Descriptor, FieldDescriptor
from google.protobuf.message import Message

from domain.errors import InvalidInputException
from tailor_api.v1 import constraints_pb2

_LIST_VALUE = "google.protobuf.ListValue"
#: Where Tailor accepts more than AWS: (message, field) -> the pattern used instead of the AWS
#: one. Import, deletion and batch jobs also read and write local files (``file://``, spec §5.1).
PATTERN_OVERRIDES: dict[tuple[str, str], str] = {
    ("tailor.personalize.v1.DataSource", "data_location"): r"(s3|http|https|file)://.+",
    ("tailor.personalize.v1.S3DataConfig", "path"): r"(s3|http|https|file)://.+",
}
_PATTERN_TIMEOUT_S = 0.25  # guard against pathological backtracking on long values
_SCALAR, _MESSAGE, _LIST, _MAP = range(4)


@functools.cache
def compiled_pattern(pattern: str) -> regex.Pattern[str]:
    r"""Compile an AWS pattern (Java flavoured, with classes such as ``\p{L}``) once.

    Args:
        pattern: The regular expression from a ``ValueRule``.

    Returns:
        The compiled pattern; callers use ``fullmatch`` so it must match the whole value.

    """
    return regex.compile(pattern)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


@dataclass(frozen=True, slots=True)
class _ValueCheck:
    """The limits of one ``ValueRule``, unpacked for fast checking."""

    min_length: int | None
    max_length: int | None
    pattern: regex.Pattern[str] | None
    minimum: float | None
    maximum: float | None
    allowed: frozenset[str]
    allowed_text: str

    @classmethod
    def build(cls, rule: constraints_pb2.ValueRule) -> _ValueCheck | None:
        if not rule.ListFields():
            return None
        return cls(
            min_length=rule.min_length if rule.HasField("min_length") else None,
            max_length=rule.max_length if rule.HasField("max_length") else None,
            pattern=compiled_pattern(rule.pattern) if rule.HasField("pattern") else None,
            minimum=rule.min if rule.HasField("min") else None,
            maximum=rule.max if rule.HasField("max") else None,
            allowed=frozenset(rule.allowed),
            allowed_text=", ".join(rule.allowed),
        )

    def problem(self, value: object) -> str | None:
        """Return why ``value`` breaks this rule, or None when it does not."""
        if isinstance(value, str | bytes):
            if self.min_length is not None and len(value) < self.min_length:
                return f"length must be at least {self.min_length}, got {len(value)}"
            if self.max_length is not None and len(value) > self.max_length:
                return f"length must be at most {self.max_length}, got {len(value)}"
            if isinstance(value, str):
                if self.allowed and value not in self.allowed:
                    return f'must be one of {self.allowed_text}, got "{value}"'
                if self.pattern is not None:
                    try:
                        matched = self.pattern.fullmatch(value, timeout=_PATTERN_TIMEOUT_S)
                    except TimeoutError:
                        matched = None
                    if matched is None:
                        return f"must match pattern {self.pattern.pattern}"
        elif isinstance(value, int | float) and not isinstance(value, bool):
            if self.minimum is None and self.maximum is None:
                return None
            if isinstance(value, float) and math.isnan(value):
                return "must be a number, got NaN"
            if self.minimum is not None and value < self.minimum:
                return f"must be at least {_number(self.minimum)}, got {_number(value)}"
            if self.maximum is not None and value > self.maximum:
                return f"must be at most {_number(self.maximum)}, got {_number(value)}"
        return None


@dataclass(frozen=True, slots=True)
class _FieldCheck:
    """Everything to check on one field of a message type."""

    name: str
    json_name: str
    kind: int
    required: bool
    presence: bool
    min_items: int | None
    max_items: int | None
    inner_max_items: int | None
    value: _ValueCheck | None
    key: _ValueCheck | None
    nested: bool  # list elements / map values / the field itself are messages to walk into
    list_values: bool  # map values are google.protobuf.ListValue


def _build_check(field: FieldDescriptor) -> _FieldCheck | None:
    rule = field.GetOptions().Extensions[constraints_pb2.rule]
    entry = field.message_type
    if entry is not None and entry.GetOptions().map_entry:
        kind, value_field = _MAP, entry.fields_by_name["value"]
    elif field.is_repeated:
        kind, value_field = _LIST, field
    else:
        kind, value_field = (_MESSAGE if entry is not None else _SCALAR), field
    value_type = value_field.message_type
    list_values = kind == _MAP and value_type is not None and value_type.full_name == _LIST_VALUE
    override = PATTERN_OVERRIDES.get((field.containing_type.full_name, field.name))
    if override is not None:
        rule = _with_pattern(rule, override)
    check = _FieldCheck(
        name=field.name,
        json_name=field.json_name,
        kind=kind,
        required=rule.required,
        presence=field.has_presence,
        min_items=rule.min_items if rule.HasField("min_items") else None,
        max_items=rule.max_items if rule.HasField("max_items") else None,
        inner_max_items=rule.inner_max_items if rule.HasField("inner_max_items") else None,
        value=_ValueCheck.build(rule.value),
        key=_ValueCheck.build(rule.key),
        nested=value_type is not None and not list_values,
        list_values=list_values,
    )
    if kind == _SCALAR and not (check.required or check.value):
        return None
    if kind in (_LIST, _MAP) and not (rule.ListFields() or check.nested or list_values):
        return None
    return check


def _with_pattern(rule: constraints_pb2.FieldRule, pattern: str) -> constraints_pb2.FieldRule:
    changed = constraints_pb2.FieldRule()
    changed.CopyFrom(rule)
    changed.value.pattern = pattern
    return changed


_CHECKS: dict[str, tuple[_FieldCheck, ...]] = {}


def _checks_for(descriptor: Descriptor) -> tuple[_FieldCheck, ...]:
    checks = _CHECKS.get(descriptor.full_name)
    if checks is None:
        built = (_build_check(field) for field in descriptor.fields)
        checks = _CHECKS[descriptor.full_name] = tuple(c for c in built if c is not None)
    return checks


def _fail(path: str, reason: str) -> InvalidInputException:
    return InvalidInputException(f"{path}: {reason}")


def _check_count(path: str, count: int, low: int | None, high: int | None) -> None:
    if low is not None and count < low:
        raise _fail(path, f"must have at least {low} items, got {count}")
    if high is not None and count > high:
        raise _fail(path, f"must have at most {high} items, got {count}")


def _check_value(check: _ValueCheck | None, path: str, value: object) -> None:
    if check is not None and (reason := check.problem(value)) is not None:
        raise _fail(path, reason)


def _required(prefix: str, check: _FieldCheck) -> InvalidInputException:
    return InvalidInputException(f"{prefix}{check.json_name} is required")


def _validate(message: Message, prefix: str) -> None:
    for check in _checks_for(message.DESCRIPTOR):
        if check.kind == _SCALAR:  # the hot path: no string building unless it fails
            if check.presence and not message.HasField(check.name):
                if check.required:
                    raise _required(prefix, check)
                continue
            value = getattr(message, check.name)
            if check.required and not check.presence and not value:
                raise _required(prefix, check)
            if check.value is not None and (reason := check.value.problem(value)) is not None:
                raise _fail(prefix + check.json_name, reason)
        elif check.kind == _MESSAGE:
            if not message.HasField(check.name):
                if check.required:
                    raise _required(prefix, check)
                continue
            _validate(getattr(message, check.name), f"{prefix}{check.json_name}.")
        else:
            items = getattr(message, check.name)
            if not items:  # proto cannot tell an empty list or map from an absent one
                if check.required:
                    raise _required(prefix, check)
                continue
            path = prefix + check.json_name
            _check_count(path, len(items), check.min_items, check.max_items)
            if check.kind == _LIST:
                for index, item in enumerate(items):
                    if check.nested:
                        _validate(item, f"{path}[{index}].")
                    else:
                        _check_value(check.value, f"{path}[{index}]", item)
            else:
                _validate_map(check, path, items)


def _validate_map(check: _FieldCheck, path: str, entries: Mapping[str, Any]) -> None:
    for key in sorted(entries):
        if check.key is not None and (reason := check.key.problem(key)) is not None:
            raise _fail(f'{path} key "{key}"', reason)
        entry_path = f'{path}["{key}"]'
        value = entries[key]
        if check.list_values:
            elements = value.values
            _check_count(entry_path, len(elements), None, check.inner_max_items)
            for index, element in enumerate(elements):
                kind = element.WhichOneof("kind")
                if kind != "string_value":
                    raise _fail(f"{entry_path}[{index}]", f"must be a string, got {kind}")
                _check_value(check.value, f"{entry_path}[{index}]", element.string_value)
        elif check.nested:
            _validate(value, entry_path + ".")
        else:
            _check_value(check.value, entry_path, value)


def validate_request(message: Message, prefix: str = "") -> None:
    """Check a request message against the AWS constraints declared on its fields.

    Args:
        message: A generated request message (or any message of the Tailor API).
        prefix: Path of ``message`` inside its request, ending with a dot
            (``eventList[2].metricAttribution.``), when checking a part of a request.

    Raises:
        InvalidInputException: For the first violation, naming the field by its AWS name and path,
            e.g. ``name: length must be at most 63, got 70`` or ``datasetGroupArn is required``.

    """
    _validate(message, prefix)
