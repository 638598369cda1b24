"""PutEvents: resolve the tracker, validate the call, store it durably, then make it visible."""

from __future__ import annotations

import time
from typing import Any

from domain.streamed_data import SessionLink
from events_service.events_metrics import EVENTS_APPLIED
from events_service.tracker_directory import TrackerDirectory
from storage.online.store import OnlineStore
from storage.streamed.group_commit import GroupCommitWriter


class PutEvents:
    """The PutEvents operation over AWS-shaped requests."""

    def __init__(
        self, trackers: TrackerDirectory, writer: GroupCommitWriter, online: OnlineStore
    ) -> None:
        self._trackers = trackers
        self._writer = writer
        self._online = online
        self._applied = EVENTS_APPLIED.labels("PutEvents")

    def __call__(self, request: dict[str, Any]) -> dict[str, Any]:
        """Record the call's events; reply only once they are durable and visible.

        Raises:
            ResourceNotFoundException: the trackingId is not an ACTIVE tracker's (or its group
                has no Interactions dataset).
            InvalidInputException: an event is invalid (nothing of the call is stored).

        """
        tracked = self._trackers.resolve(request["trackingId"])
        received_at = time.time()
        assert tracked.rules is not None  # resolve() refuses groups without Interactions rules
        events = tracked.rules.events(request, tracked.dataset_group_arn, received_at)
        user_id = request.get("userId")
        link = None
        if user_id is not None:
            link = SessionLink(
                tracked.dataset_group_arn, request["sessionId"], user_id, received_at
            )
        stored = self._writer.append(events, link)
        self._applied.inc(len(stored))
        self._online.apply(events=stored, link=link)
        return {}
