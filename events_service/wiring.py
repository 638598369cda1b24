"""Builds the PersonalizeEvents service (operations and what they share) from settings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from events_service.events_metrics import observe_commit
from events_service.put_events import PutEvents
from events_service.put_records import RECORD_KINDS, PutRecords
from events_service.tracker_directory import TrackerDirectory
from servicekit.settings import Settings
from storage.metadata.store import SqlMetadataStore
from storage.online.store import open_online_store
from storage.streamed.group_commit import GroupCommitWriter

Operation = Callable[[dict[str, Any]], dict[str, Any]]


@dataclass
class EventsService:
    """The operations of PersonalizeEvents and the resources to release on shutdown."""

    operations: dict[str, Operation]
    close: Callable[[], None]


def open_events_service(settings: Settings, store: SqlMetadataStore) -> EventsService:
    """Start the group-commit writer, open the online store and build the operations.

    Raises:
        ValueError: ``TAILOR_ONLINE_STORE_URL`` has an unknown scheme.

    """
    online = open_online_store(settings.online_store_url, store.engine)
    writer = GroupCommitWriter(store.engine, on_commit=observe_commit)
    operations: dict[str, Operation] = {
        "PutEvents": PutEvents(TrackerDirectory(store), writer, online),
    }
    for kind in RECORD_KINDS:
        operations[kind.operation] = PutRecords(kind, store, writer, online)

    def close() -> None:
        writer.close()
        online.close()

    return EventsService(operations=operations, close=close)
