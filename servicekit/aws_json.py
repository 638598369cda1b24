"""Proto messages <-> the JSON bodies the AWS API sends, member names and all."""

from __future__ import annotations

import functools
from typing import Any

from google.protobuf import json_format
from google.protobuf.descriptor import Descriptor, FieldDescriptor
from google.protobuf.message import Message

_INT64_TYPES = frozenset(
    {
        FieldDescriptor.TYPE_INT64,
        FieldDescriptor.TYPE_UINT64,
        FieldDescriptor.TYPE_SINT64,
        FieldDescriptor.TYPE_FIXED64,
        FieldDescriptor.TYPE_SFIXED64,
    }
)


def message_to_aws(message: Message) -> dict[str, Any]:
    """The message as AWS would send it.

    AWS member names, absent members omitted, the top-level lists of a response always present
    (``{"schemas": []}``), and 64-bit integers as JSON numbers (proto3's JSON mapping writes
    them as strings; AWS sends ``long`` members as numbers).
    """
    body = json_format.MessageToDict(message, preserving_proto_field_name=False)
    for field in message.DESCRIPTOR.fields:
        is_map = field.message_type is not None and field.message_type.GetOptions().map_entry
        if field.is_repeated and not is_map:
            body.setdefault(field.json_name, [])
    _int64_as_numbers(message.DESCRIPTOR, body)
    return body


def _int64_as_numbers(descriptor: Descriptor, body: dict[str, Any]) -> None:
    if not _holds_int64(descriptor):
        return
    for field in descriptor.fields:
        value = body.get(field.json_name)
        if value is None:
            continue
        if field.type in _INT64_TYPES:
            body[field.json_name] = [int(v) for v in value] if field.is_repeated else int(value)
            continue
        nested = field.message_type
        if nested is None or nested.full_name.startswith("google.protobuf."):
            continue
        if nested.GetOptions().map_entry:
            value_field = nested.fields_by_name["value"]
            for key, item in value.items():
                if value_field.type in _INT64_TYPES:
                    value[key] = int(item)
                elif value_field.message_type is not None:
                    _int64_as_numbers(value_field.message_type, item)
        elif field.is_repeated:
            for item in value:
                _int64_as_numbers(nested, item)
        else:
            _int64_as_numbers(nested, value)


@functools.cache
def _holds_int64(descriptor: Descriptor, _seen: frozenset[str] = frozenset()) -> bool:
    """Whether a message (or any message inside it) has a 64-bit integer field."""
    seen = _seen | {descriptor.full_name}
    for field in descriptor.fields:
        if field.type in _INT64_TYPES:
            return True
        nested = field.message_type
        if nested is not None and nested.full_name not in seen and _holds_int64(nested, seen):
            return True
    return False
