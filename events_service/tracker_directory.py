"""trackingId -> dataset group and Interactions rules, cached for the PutEvents hot path.

The directory keeps a snapshot of every ACTIVE event tracker with its group's Interactions schema,
loaded in three queries. A snapshot older than ``refresh_seconds`` is reloaded by one caller
while the others keep using it; none is used when older than twice that, so a deleted tracker stops
working within ``2 * refresh_seconds``. A trackingId missing from the snapshot triggers a reload
(unless one started after the call did), so a tracker works as soon as CreateEventTracker returned.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from domain.dataset_schema import parse_dataset_schema
from domain.errors import ResourceNotFoundException
from domain.resources import ACTIVE
from events_service.event_validation import InteractionRules
from storage.metadata.store import MetadataStore

DEFAULT_REFRESH_SECONDS = 0.5


@dataclass(frozen=True)
class TrackedGroup:
    """What a trackingId leads to.

    Attributes:
        event_tracker_arn: The tracker.
        dataset_group_arn: Its dataset group.
        rules: The group's Interactions rules; None while the group has no Interactions dataset.

    """

    event_tracker_arn: str
    dataset_group_arn: str
    rules: InteractionRules | None


@dataclass(frozen=True)
class _Snapshot:
    loaded_at: float
    groups: dict[str, TrackedGroup] = field(default_factory=dict)


class TrackerDirectory:
    """Resolves trackingIds to ACTIVE event trackers, refreshing a shared snapshot."""

    def __init__(
        self,
        store: MetadataStore,
        refresh_seconds: float = DEFAULT_REFRESH_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._store = store
        self._refresh_seconds = refresh_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._snapshot = _Snapshot(loaded_at=-float("inf"))
        # Parsed schemas by (schema ARN, creation time): a schema never changes, but a deleted
        # one's name (and so its ARN) can be reused.
        self._rules: dict[tuple[str, float], InteractionRules] = {}

    def resolve(self, tracking_id: str) -> TrackedGroup:
        """The ACTIVE tracker with this trackingId and its group's Interactions rules.

        Raises:
            ResourceNotFoundException: no ACTIVE tracker has that id, or its group has no
                Interactions dataset.

        """
        started = self._clock()
        snapshot = self._fresh_snapshot(started)
        found = snapshot.groups.get(tracking_id)
        if found is None or found.rules is None:
            found = self._reload(needed_since=started).groups.get(tracking_id)
        if found is None:
            raise ResourceNotFoundException(
                f"trackingId: no ACTIVE event tracker has trackingId {tracking_id!r}"
            )
        if found.rules is None:
            raise ResourceNotFoundException(
                f"trackingId: dataset group {found.dataset_group_arn} of event tracker "
                f"{found.event_tracker_arn} has no Interactions dataset; create one first"
            )
        return found

    def _fresh_snapshot(self, now: float) -> _Snapshot:
        snapshot = self._snapshot
        age = now - snapshot.loaded_at
        if age <= self._refresh_seconds:
            return snapshot
        if age > 2 * self._refresh_seconds:
            return self._reload(needed_since=now - self._refresh_seconds)
        if self._lock.acquire(blocking=False):
            try:
                self._snapshot = self._load()
            finally:
                self._lock.release()
        return self._snapshot

    def _reload(self, needed_since: float) -> _Snapshot:
        with self._lock:
            if self._snapshot.loaded_at >= needed_since:
                return self._snapshot
            self._snapshot = self._load()
            return self._snapshot

    def _load(self) -> _Snapshot:
        loaded_at = self._clock()
        trackers = self._store.find_resources(["event-tracker"], statuses=[ACTIVE])
        datasets = self._store.find_resources(["dataset"], statuses=[ACTIVE])
        schema_by_group = {
            d.dataset_group_arn: d.document["schemaArn"]
            for d in datasets
            if d.document.get("datasetType") == "INTERACTIONS"
        }
        rules_by_schema: dict[str, InteractionRules] = {}
        if schema_by_group:
            wanted = set(schema_by_group.values())
            for schema in self._store.find_resources(["schema"]):
                if schema.arn in wanted:
                    rules_by_schema[schema.arn] = self._rules_for(
                        schema.arn, schema.created_at, schema.document
                    )
        groups = {}
        for tracker in trackers:
            group_arn = tracker.document["datasetGroupArn"]
            schema_arn = schema_by_group.get(group_arn)
            groups[tracker.document["trackingId"]] = TrackedGroup(
                event_tracker_arn=tracker.arn,
                dataset_group_arn=group_arn,
                rules=rules_by_schema.get(schema_arn) if schema_arn else None,
            )
        return _Snapshot(loaded_at=loaded_at, groups=groups)

    def _rules_for(self, arn: str, created_at: float, document: dict) -> InteractionRules:  # type: ignore[type-arg]
        key = (arn, created_at)
        rules = self._rules.get(key)
        if rules is None:
            rules = InteractionRules(
                parse_dataset_schema(document["schema"], document.get("domain"))
            )
            self._rules[key] = rules
        return rules
