"""Events and records as rows of the ``events``/``dataset_records`` tables, and back."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from domain.streamed_data import DatasetRecord, StreamedEvent

# The columns a writer fills in, in insert order (``seq`` is assigned by the database).
EVENT_COLUMNS: tuple[str, ...] = (
    "dataset_group_arn",
    "user_id",
    "session_id",
    "item_id",
    "event_type",
    "event_value",
    "sent_at",
    "event_id",
    "recommendation_id",
    "impression",
    "properties",
    "metric_attribution_source",
    "received_at",
)
# The columns read back, ``seq`` first.
READ_COLUMNS: tuple[str, ...] = ("seq", *EVENT_COLUMNS)
IMPRESSION_SEPARATOR = "|"


def properties_text(properties: Mapping[str, Any]) -> str | None:
    """Typed properties as stored (compact JSON), or None when there are none."""
    return json.dumps(properties, separators=(",", ":")) if properties else None


def event_to_row(event: StreamedEvent) -> tuple[Any, ...]:
    """The event's values in ``EVENT_COLUMNS`` order."""
    return (
        event.dataset_group_arn,
        event.user_id,
        event.session_id,
        event.item_id,
        event.event_type,
        event.event_value,
        event.sent_at,
        event.event_id,
        event.recommendation_id,
        IMPRESSION_SEPARATOR.join(event.impression) if event.impression else None,
        properties_text(event.properties),
        event.metric_attribution_source,
        event.received_at,
    )


def event_from_row(row: Mapping[str, Any]) -> StreamedEvent:
    """An event from a row holding ``READ_COLUMNS``."""
    impression = row["impression"]
    properties = row["properties"]
    return StreamedEvent(
        dataset_group_arn=row["dataset_group_arn"],
        session_id=row["session_id"],
        user_id=row["user_id"],
        item_id=row["item_id"],
        event_type=row["event_type"],
        sent_at=row["sent_at"],
        event_id=row["event_id"],
        event_value=row["event_value"],
        recommendation_id=row["recommendation_id"],
        impression=tuple(impression.split(IMPRESSION_SEPARATOR)) if impression else (),
        properties=json.loads(properties) if properties else {},
        metric_attribution_source=row["metric_attribution_source"],
        received_at=row["received_at"],
        seq=row["seq"],
    )


def record_to_row(record: DatasetRecord) -> dict[str, Any]:
    """The record as a ``dataset_records`` row."""
    return {
        "dataset_arn": record.dataset_arn,
        "record_id": record.record_id,
        "properties": json.dumps(record.properties, separators=(",", ":")),
        "updated_at": record.updated_at,
    }


def record_from_row(row: Mapping[str, Any]) -> DatasetRecord:
    """A record from a ``dataset_records`` row."""
    return DatasetRecord(
        dataset_arn=row["dataset_arn"],
        record_id=row["record_id"],
        properties=json.loads(row["properties"]),
        updated_at=row["updated_at"],
    )
