"""PutEvents events checked against the dataset group's Interactions schema (spec §9.1).

A call is accepted or refused whole: the first problem raises InvalidInputException naming the
event and member (``eventList[3].properties: ...``) and nothing of the call is stored.

Decisions where AWS is silent:
* ``itemId`` is required because every Interactions schema has ITEM_ID; the legacy
  ``properties.itemId`` (and ``properties.eventValue``) are accepted, and must agree with the
  member when both are sent.
* ``eventValue`` is refused when the schema has no EVENT_VALUE field; a non-nullable column
  (EVENT_VALUE, IMPRESSION, RECOMMENDATION_ID, EVENT_ATTRIBUTION_SOURCE or a custom field) must get
  a value in every event, as a bulk import would require.
* ``properties`` may not name the columns that event members set (USER_ID, TIMESTAMP, ...).
* Item ids in ``impression`` may not contain ``|`` (IMPRESSION joins them with it).
* ``sentAt`` must be a finite, non-negative number of epoch seconds.
* Two events of one call may not share an ``eventId``; events without one get a UUID.
"""

from __future__ import annotations

import math
import uuid
from typing import Any

from google.protobuf.internal.type_checkers import ToShortestFloat

from domain.dataset_schema import DatasetSchema
from domain.errors import InvalidInputException
from domain.streamed_data import StreamedEvent
from events_service import put_events_limits as limits
from events_service.record_properties import (
    column_key,
    columns_by_key,
    parse_properties_object,
    read_properties,
    require_columns,
    typed_value,
)
from servicekit.request_validation import validate_request
from tailor_api.v1.personalize_events_pb2 import Event, PutEventsRequest

# Columns that event members (not ``properties``) fill in, with the member that does.
MEMBER_COLUMNS = {
    "USER_ID": "userId",
    "ITEM_ID": "itemId",
    "TIMESTAMP": "sentAt",
    "EVENT_TYPE": "eventType",
    "EVENT_VALUE": "eventValue",
    "IMPRESSION": "impression",
    "RECOMMENDATION_ID": "recommendationId",
    "EVENT_ATTRIBUTION_SOURCE": "metricAttribution.eventAttributionSource",
}
# Reserved columns a schema may declare non-nullable: then every event must fill them in.
_OPTIONAL_MEMBER_COLUMNS = (
    "EVENT_VALUE",
    "IMPRESSION",
    "RECOMMENDATION_ID",
    "EVENT_ATTRIBUTION_SOURCE",
)
# Keys spec §9.1 forbids in properties (compared case-insensitively).
FORBIDDEN_KEYS = ("userId", "sessionId", "eventType", "timestamp", "recommendationId", "impression")
_LEGACY_KEYS = (column_key("itemId"), column_key("eventValue"))
_MAX_ID_LENGTH = 256


class InteractionRules:
    """How the events of PutEvents map onto one Interactions schema (built once per schema)."""

    def __init__(self, schema: DatasetSchema) -> None:
        self.schema = schema
        extra = [f for f in schema.fields if f.name not in MEMBER_COLUMNS]
        self._columns = columns_by_key(extra)
        self._required_columns = [f for f in extra if not f.nullable]
        self._event_value = schema.field("EVENT_VALUE")
        self._needs_item = schema.field("ITEM_ID") is not None
        self._required_members = [
            MEMBER_COLUMNS[column]
            for column in _OPTIONAL_MEMBER_COLUMNS
            if (field := schema.field(column)) is not None and not field.nullable
        ]
        self._reserved = {column_key(key): "properties cannot set it" for key in FORBIDDEN_KEYS}
        for column, member in MEMBER_COLUMNS.items():
            key = column_key(column)
            if key not in _LEGACY_KEYS:
                self._reserved.setdefault(key, f"{column} is set by the event's {member}")

    def events(
        self, request: PutEventsRequest, dataset_group_arn: str, received_at: float
    ) -> list[StreamedEvent]:
        """Check a PutEvents request and return its events, in order.

        One pass over the message: the spec's rules and, inline, the AWS limits of every member
        (see :mod:`events_service.put_events_limits`). A broken AWS limit raises an error whose
        message is not the one to show: the caller runs the generic validator first whenever this
        raises (:class:`~events_service.put_events.PutEvents` does).

        Args:
            request: The PutEvents request message.
            dataset_group_arn: The group of the request's event tracker.
            received_at: Server time of the call, epoch seconds.

        Raises:
            InvalidInputException: naming the first event and member that is wrong.

        """
        has = request.HasField
        if not (has("tracking_id") and has("session_id")):
            raise _LimitBroken()
        session_id = request.session_id
        user_id = request.user_id if has("user_id") else None
        event_list = request.event_list
        if not (
            _in(len(request.tracking_id), limits.TRACKING_ID)
            and _in(len(session_id), limits.SESSION_ID)
            and (user_id is None or _in(len(user_id), limits.USER_ID))
            and _in(len(event_list), limits.EVENT_LIST)
        ):
            raise _LimitBroken()
        first_index: dict[str, int] = {}
        events = []
        for index, raw in enumerate(event_list):
            event = self._event(raw, index, dataset_group_arn, session_id, user_id, received_at)
            first = first_index.setdefault(event.event_id, index)
            if first != index:
                raise InvalidInputException(
                    f"eventList[{index}].eventId: {event.event_id!r} is also the eventId of "
                    f"eventList[{first}]"
                )
            events.append(event)
        return events

    def _event(
        self,
        raw: Event,
        index: int,
        dataset_group_arn: str,
        session_id: str,
        user_id: str | None,
        received_at: float,
    ) -> StreamedEvent:
        has = raw.HasField
        if not (has("event_type") and has("sent_at")):
            raise _LimitBroken()
        event_type = raw.event_type
        event_id = raw.event_id if has("event_id") else None
        item_id = raw.item_id if has("item_id") else None
        recommendation_id = raw.recommendation_id if has("recommendation_id") else None
        if not (
            _in(len(event_type), limits.EVENT_TYPE)
            and (event_id is None or _in(len(event_id), limits.EVENT_ID))
            and (item_id is None or _in(len(item_id), limits.ITEM_ID))
            and (recommendation_id is None or _in(len(recommendation_id), limits.RECOMMENDATION_ID))
        ):
            raise _LimitBroken()
        attribution = None
        if has("metric_attribution"):
            validate_request(raw.metric_attribution, f"eventList[{index}].metricAttribution.")
            attribution = raw.metric_attribution.event_attribution_source
        sent_at = raw.sent_at
        if not 0 <= sent_at < math.inf:  # False for NaN too
            raise InvalidInputException(
                f"eventList[{index}].sentAt: must be a non-negative number of epoch seconds, "
                f"got {sent_at}"
            )
        event_value = _json_float(raw.event_value) if has("event_value") else None
        properties: dict[str, Any] = {}
        if has("properties"):
            text = raw.properties
            if not _in(len(text), limits.PROPERTIES):
                raise _LimitBroken()
            where = f"eventList[{index}]"
            props_where = f"{where}.properties"
            parsed = parse_properties_object(text, props_where)
            properties, legacy = read_properties(
                parsed, props_where, self._columns, reserved=self._reserved, legacy=_LEGACY_KEYS
            )
            item_id = _legacy_item_id(legacy, item_id, props_where, where)
            event_value = _legacy_event_value(legacy, event_value, props_where, where)
        if self._required_columns:
            require_columns(properties, self._required_columns, f"eventList[{index}].properties")
        if item_id is None and self._needs_item:
            raise InvalidInputException(
                f"eventList[{index}].itemId: is required (the Interactions schema has ITEM_ID)"
            )
        if event_value is not None:
            event_value = self._checked_event_value(event_value, f"eventList[{index}]")
        impression: tuple[str, ...] = ()
        if raw.impression:
            impression = tuple(raw.impression)
            _check_impression(impression, index)
        if self._required_members:
            self._require_members(index, event_value, impression, recommendation_id, attribution)
        return StreamedEvent(  # positional, in field order: this runs for every event
            dataset_group_arn,
            session_id,
            user_id,
            item_id,
            event_type,
            sent_at,
            event_id or str(uuid.uuid4()),
            event_value,
            recommendation_id,
            impression,
            properties,
            attribution,
            received_at,
        )

    def _require_members(
        self,
        index: int,
        event_value: Any,
        impression: tuple[str, ...],
        recommendation_id: str | None,
        attribution: str | None,
    ) -> None:
        given = {
            "eventValue": event_value,
            "impression": impression or None,
            "recommendationId": recommendation_id,
            "metricAttribution.eventAttributionSource": attribution,
        }
        for member in self._required_members:
            if given[member] is None:
                raise InvalidInputException(
                    f"eventList[{index}].{member}: is required (the Interactions schema's field "
                    "for it does not allow null)"
                )

    def _checked_event_value(self, value: Any, where: str) -> float:
        if self._event_value is None:
            raise InvalidInputException(
                f"{where}.eventValue: the Interactions schema has no EVENT_VALUE field"
            )
        return typed_value(self._event_value, value, f"{where}.eventValue")


class _LimitBroken(InvalidInputException):
    """An AWS limit is broken; the generic validator words the error (see ``events``)."""

    def __init__(self) -> None:
        super().__init__("a member breaks an AWS limit")


def _in(length: int, bounds: tuple[int, int]) -> bool:
    return bounds[0] <= length <= bounds[1]


def _check_impression(impression: tuple[str, ...], index: int) -> None:
    low, high = limits.IMPRESSION_ID
    if not _in(len(impression), limits.IMPRESSION_ITEMS) or not all(
        low <= len(item) <= high for item in impression
    ):
        raise _LimitBroken()
    for position, impressed in enumerate(impression):
        if "|" in impressed:
            raise InvalidInputException(
                f"eventList[{index}].impression[{position}]: item ids in an impression cannot "
                "contain |"
            )


def _json_float(value: float) -> float | str:
    """A float32 member as the AWS JSON shape has it (what ``MessageToDict`` gives)."""
    if math.isfinite(value):
        return ToShortestFloat(value)
    if math.isnan(value):
        return "NaN"
    return "Infinity" if value > 0 else "-Infinity"


def _legacy_item_id(legacy: dict[str, Any], item_id: Any, props_where: str, where: str) -> Any:
    if "itemid" not in legacy:
        return item_id
    value = legacy["itemid"]
    if not isinstance(value, str) or not 1 <= len(value) <= _MAX_ID_LENGTH:
        raise InvalidInputException(
            f"{props_where}: itemId must be a string of 1 to {_MAX_ID_LENGTH} characters"
        )
    if item_id is not None and item_id != value:
        raise InvalidInputException(
            f"{props_where}: itemId {value!r} differs from {where}.itemId {item_id!r}"
        )
    return value


def _legacy_event_value(
    legacy: dict[str, Any], event_value: Any, props_where: str, where: str
) -> Any:
    if "eventvalue" not in legacy:
        return event_value
    value = legacy["eventvalue"]
    if event_value is None:
        return value
    # The member travels as a 32-bit float: compare at that precision.
    same = isinstance(value, int | float) and math.isclose(value, event_value, rel_tol=1e-6)
    if not same:
        raise InvalidInputException(
            f"{props_where}: eventValue {value!r} differs from {where}.eventValue {event_value!r}"
        )
    return event_value
