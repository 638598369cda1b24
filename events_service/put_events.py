"""PutEvents: resolve the tracker, validate the call, store it durably, then make it visible.

The hot path of the events service. It reads the request message directly (no dict round trip)
and checks the AWS limits inline while reading the events; whenever anything is refused, the
generic validator runs first, so a call breaking an AWS limit gets the same error as before and
as every other operation (the AWS limits are checked before the tracker and the spec's rules).
"""

from __future__ import annotations

import time
from typing import Any

from google.protobuf import json_format
from google.protobuf.message import Message

from domain.errors import InvalidInputException
from domain.streamed_data import SessionLink
from events_service.events_metrics import EVENTS_APPLIED
from events_service.tracker_directory import TrackerDirectory
from servicekit.request_validation import validate_request
from storage.online.store import OnlineStore
from storage.streamed.group_commit import GroupCommitWriter
from tailor_api.v1.personalize_events_pb2 import PutEventsRequest, PutEventsResponse

_RESPONSE = PutEventsResponse()  # empty and never changed: shared by every reply


class PutEvents:
    """The PutEvents operation, over the request message (or an AWS-shaped dict)."""

    def __init__(
        self, trackers: TrackerDirectory, writer: GroupCommitWriter, online: OnlineStore
    ) -> None:
        self._trackers = trackers
        self._writer = writer
        self._online = online
        self._applied = EVENTS_APPLIED.labels("PutEvents")

    def __call__(self, request: dict[str, Any]) -> dict[str, Any]:
        """Record an AWS-shaped request (see :meth:`call_message`).

        Raises:
            InvalidInputException: the request does not have the PutEvents shape, or as
                :meth:`call_message`.

        """
        try:
            message = json_format.ParseDict(request, PutEventsRequest())
        except json_format.ParseError as exc:
            raise InvalidInputException(f"the request is not a PutEvents request: {exc}") from None
        self.call_message(message)
        return {}

    def call_message(self, request: Message) -> PutEventsResponse:
        """Record the call's events; reply only once they are durable and visible.

        Raises:
            InvalidInputException: a member breaks an AWS limit, or an event is invalid for the
                Interactions schema (nothing of the call is stored).
            ResourceNotFoundException: the trackingId is not an ACTIVE tracker's (or its group
                has no Interactions dataset).

        """
        assert isinstance(request, PutEventsRequest)
        received_at = time.time()
        try:
            tracked = self._trackers.resolve(request.tracking_id)
            assert tracked.rules is not None  # resolve() refuses groups without Interactions
            events = tracked.rules.events(request, tracked.dataset_group_arn, received_at)
        except Exception:
            # The AWS limits come first, worded by the generic validator, as for every call.
            validate_request(request)
            raise
        link = None
        if request.HasField("user_id"):
            link = SessionLink(
                tracked.dataset_group_arn, request.session_id, request.user_id, received_at
            )
        stored = self._writer.append(events, link)
        self._applied.inc(len(stored))
        self._online.apply(events=stored, link=link)
        return _RESPONSE
