"""The AWS limits of PutEvents members, read once from the rules on the .proto fields.

The PutEvents hot path checks them inline while it reads each event (one pass over the message)
instead of walking the request with the generic validator first. The quick checks only decide
*whether* a limit is broken; the message of the error always comes from the generic validator
(:func:`servicekit.request_validation.validate_request`), which PutEvents runs whenever anything
fails, so callers see exactly the errors every other operation gives.

If the .proto grows a rule these quick checks do not know, importing this module fails: a new
AWS constraint can never be skipped silently by the hot path.
"""

from __future__ import annotations

from google.protobuf.descriptor import Descriptor

from tailor_api.v1 import constraints_pb2
from tailor_api.v1 import personalize_events_pb2 as events_pb

# What each field's rule may hold for the quick checks below to cover it.
_LENGTH_ONLY = {"required", "value.min_length", "value.max_length"}
_KNOWN_RULES = {
    "tailor.personalize_events.v1.PutEventsRequest": {
        "tracking_id": _LENGTH_ONLY,
        "user_id": _LENGTH_ONLY,
        "session_id": _LENGTH_ONLY,
        "event_list": {"required", "min_items", "max_items"},
    },
    "tailor.personalize_events.v1.Event": {
        "event_id": _LENGTH_ONLY,
        "event_type": _LENGTH_ONLY,
        "item_id": _LENGTH_ONLY,
        "properties": _LENGTH_ONLY,
        "sent_at": {"required"},
        "recommendation_id": _LENGTH_ONLY,
        "impression": {"min_items", "max_items", "value.min_length", "value.max_length"},
        # Checked with the generic validator whenever an event carries it (rare).
        "metric_attribution": set(),
    },
}


def _rule(descriptor: Descriptor, name: str) -> constraints_pb2.FieldRule:
    return descriptor.fields_by_name[name].GetOptions().Extensions[constraints_pb2.rule]


def _rule_members(rule: constraints_pb2.FieldRule) -> set[str]:
    members = set()
    for field, value in rule.ListFields():
        if field.message_type is None:
            members.add(field.name)
        else:
            members.update(f"{field.name}.{inner.name}" for inner, _ in value.ListFields())
    return members


def _check_known_rules() -> None:
    for descriptor in (events_pb.PutEventsRequest.DESCRIPTOR, events_pb.Event.DESCRIPTOR):
        known = _KNOWN_RULES[descriptor.full_name]
        for field in descriptor.fields:
            members = _rule_members(_rule(field.containing_type, field.name))
            unknown = members - known.get(field.name, set())
            if unknown:
                raise RuntimeError(
                    f"{descriptor.full_name}.{field.name} has rules {sorted(unknown)} that the "
                    "PutEvents quick checks do not cover; extend events_service/put_events_limits"
                )


def _lengths(descriptor: Descriptor, name: str) -> tuple[int, int]:
    value = _rule(descriptor, name).value
    return value.min_length, value.max_length if value.HasField("max_length") else 1 << 62


def _items(descriptor: Descriptor, name: str) -> tuple[int, int]:
    rule = _rule(descriptor, name)
    return rule.min_items, rule.max_items if rule.HasField("max_items") else 1 << 62


_check_known_rules()
_REQUEST = events_pb.PutEventsRequest.DESCRIPTOR
_EVENT = events_pb.Event.DESCRIPTOR

TRACKING_ID = _lengths(_REQUEST, "tracking_id")
USER_ID = _lengths(_REQUEST, "user_id")
SESSION_ID = _lengths(_REQUEST, "session_id")
EVENT_LIST = _items(_REQUEST, "event_list")
EVENT_ID = _lengths(_EVENT, "event_id")
EVENT_TYPE = _lengths(_EVENT, "event_type")
ITEM_ID = _lengths(_EVENT, "item_id")
PROPERTIES = _lengths(_EVENT, "properties")
RECOMMENDATION_ID = _lengths(_EVENT, "recommendation_id")
IMPRESSION_ITEMS = _items(_EVENT, "impression")
IMPRESSION_ID = _lengths(_EVENT, "impression")
# Fields every request / event must carry (``required`` in the rules).
REQUIRED_REQUEST_FIELDS = tuple(
    f.name for f in _REQUEST.fields if _rule(_REQUEST, f.name).required and not f.is_repeated
)
REQUIRED_EVENT_FIELDS = tuple(
    f.name for f in _EVENT.fields if _rule(_EVENT, f.name).required and not f.is_repeated
)
