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

from domain.dataset_schema import DatasetSchema
from domain.errors import InvalidInputException
from domain.streamed_data import StreamedEvent
from events_service.record_properties import (
    column_key,
    columns_by_key,
    parse_properties_object,
    read_properties,
    require_columns,
    typed_value,
)

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
        self, request: dict[str, Any], dataset_group_arn: str, received_at: float
    ) -> list[StreamedEvent]:
        """Validate a PutEvents request and return its events, in order.

        Args:
            request: The AWS-shaped request (already checked against the API constraints).
            dataset_group_arn: The group of the request's event tracker.
            received_at: Server time of the call, epoch seconds.

        Raises:
            InvalidInputException: naming the first event and member that is wrong.

        """
        ids = (dataset_group_arn, request["sessionId"], request.get("userId"), received_at)
        first_index: dict[str, int] = {}
        events = []
        for index, raw in enumerate(request["eventList"]):
            event = self._event(raw, f"eventList[{index}]", *ids)
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
        raw: dict[str, Any],
        where: str,
        dataset_group_arn: str,
        session_id: str,
        user_id: str | None,
        received_at: float,
    ) -> StreamedEvent:
        sent_at = float(raw["sentAt"])
        if not math.isfinite(sent_at) or sent_at < 0:
            raise InvalidInputException(
                f"{where}.sentAt: must be a non-negative number of epoch seconds, got {sent_at}"
            )
        item_id = raw.get("itemId")
        event_value = raw.get("eventValue")
        properties: dict[str, Any] = {}
        if "properties" in raw:
            props_where = f"{where}.properties"
            parsed = parse_properties_object(raw["properties"], props_where)
            properties, legacy = read_properties(
                parsed, props_where, self._columns, reserved=self._reserved, legacy=_LEGACY_KEYS
            )
            item_id = _legacy_item_id(legacy, item_id, props_where, where)
            event_value = _legacy_event_value(legacy, event_value, props_where, where)
        require_columns(properties, self._required_columns, f"{where}.properties")
        if self._needs_item and item_id is None:
            raise InvalidInputException(
                f"{where}.itemId: is required (the Interactions schema has ITEM_ID)"
            )
        if event_value is not None:
            event_value = self._checked_event_value(event_value, where)
        impression = tuple(raw.get("impression", ()))
        for position, impressed in enumerate(impression):
            if "|" in impressed:
                raise InvalidInputException(
                    f"{where}.impression[{position}]: item ids in an impression cannot contain |"
                )
        attribution = raw.get("metricAttribution", {}).get("eventAttributionSource")
        given = {
            "eventValue": event_value,
            "impression": impression or None,
            "recommendationId": raw.get("recommendationId"),
            "metricAttribution.eventAttributionSource": attribution,
        }
        for member in self._required_members:
            if given[member] is None:
                raise InvalidInputException(
                    f"{where}.{member}: is required (the Interactions schema's field for it does "
                    "not allow null)"
                )
        return StreamedEvent(
            dataset_group_arn=dataset_group_arn,
            session_id=session_id,
            user_id=user_id,
            item_id=item_id,
            event_type=raw["eventType"],
            sent_at=sent_at,
            event_id=raw.get("eventId") or str(uuid.uuid4()),
            event_value=event_value,
            recommendation_id=raw.get("recommendationId"),
            impression=impression,
            properties=properties,
            metric_attribution_source=attribution,
            received_at=received_at,
        )

    def _checked_event_value(self, value: Any, where: str) -> float:
        if self._event_value is None:
            raise InvalidInputException(
                f"{where}.eventValue: the Interactions schema has no EVENT_VALUE field"
            )
        return typed_value(self._event_value, value, f"{where}.eventValue")


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
