"""Proto messages <-> the JSON bodies the AWS API sends, member names and all."""

from __future__ import annotations

from typing import Any

from google.protobuf import json_format
from google.protobuf.message import Message


def message_to_aws(message: Message) -> dict[str, Any]:
    """The message as AWS would send it.

    AWS member names, absent members omitted, and the top-level lists of a response always
    present (``{"schemas": []}``), as AWS sends them.
    """
    body = json_format.MessageToDict(message, preserving_proto_field_name=False)
    for field in message.DESCRIPTOR.fields:
        is_map = field.message_type is not None and field.message_type.GetOptions().map_entry
        if field.is_repeated and not is_map:
            body.setdefault(field.json_name, [])
    return body
