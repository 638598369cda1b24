"""PutEvents' inline AWS-limit checks answer exactly what the generic validator answers.

The hot path reads the request message once and checks the AWS limits inline; the generic
validator (``validate_request``) is the reference. Every request below is sent over real gRPC and
its answer compared with the reference's message for the same message.
"""

from __future__ import annotations

import json

import grpc
import pytest

from domain.errors import InvalidInputException
from servicekit.request_validation import validate_request
from storage.streamed.training_tables import latest_event_seq
from tailor_api.v1 import personalize_events_pb2 as events_pb
from tests.control_plane.aws_calls import aws_error_name
from tests.events_service.events_calls import call_events


def _click(**extra: object) -> events_pb.Event:
    fields: dict[str, object] = {"event_type": "click", "item_id": "i1", "sent_at": 1.7e9}
    fields.update(extra)
    return events_pb.Event(**fields)  # type: ignore[arg-type]


def _request(
    tracking_id: str, *events: events_pb.Event, **extra: object
) -> events_pb.PutEventsRequest:
    fields: dict[str, object] = {"tracking_id": tracking_id, "user_id": "u1", "session_id": "s1"}
    fields.update(extra)
    return events_pb.PutEventsRequest(event_list=events or [_click()], **fields)  # type: ignore[arg-type]


def _reference_error(request: events_pb.PutEventsRequest) -> str:
    with pytest.raises(InvalidInputException) as caught:
        validate_request(request)
    return caught.value.message


def _answer(events, request: events_pb.PutEventsRequest) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    with pytest.raises(grpc.RpcError) as caught:
        events.PutEvents(request, timeout=30)
    error = caught.value
    return aws_error_name(error), error.details().split(": ", 1)[1]


def _unset(message: events_pb.Event | events_pb.PutEventsRequest, name: str):  # type: ignore[no-untyped-def]
    message.ClearField(name)
    return message


BROKEN = {
    "no trackingId": lambda t: _unset(_request(t), "tracking_id"),
    "long trackingId": lambda t: _request("t" * 257),
    "empty userId": lambda t: _request(t, user_id=""),
    "long userId": lambda t: _request(t, user_id="u" * 257),
    "no sessionId": lambda t: _unset(_request(t), "session_id"),
    "empty sessionId": lambda t: _request(t, session_id=""),
    "no events": lambda t: events_pb.PutEventsRequest(tracking_id=t, session_id="s1"),
    "11 events": lambda t: _request(t, *[_click() for _ in range(11)]),
    "no eventType": lambda t: _request(t, _unset(_click(), "event_type")),
    "empty eventType": lambda t: _request(t, _click(event_type="")),
    "long eventType": lambda t: _request(t, _click(), _click(event_type="e" * 257)),
    "no sentAt": lambda t: _request(t, _unset(_click(), "sent_at")),
    "empty eventId": lambda t: _request(t, _click(event_id="")),
    "long eventId": lambda t: _request(t, _click(event_id="e" * 257)),
    "empty itemId": lambda t: _request(t, _click(item_id="")),
    "long itemId": lambda t: _request(t, _click(item_id="i" * 257)),
    "empty properties": lambda t: _request(t, _click(properties="")),
    "long properties": lambda t: _request(t, _click(properties=json.dumps({"x": "y" * 1030}))),
    "long recommendationId": lambda t: _request(t, _click(recommendation_id="r" * 41)),
    "26 impressions": lambda t: _request(t, _click(impression=[f"i{n}" for n in range(26)])),
    "empty impression id": lambda t: _request(t, _click(impression=["i1", ""])),
    "long impression id": lambda t: _request(t, _click(impression=["i" * 257])),
    "no attribution source": lambda t: _request(
        t, _click(metric_attribution=events_pb.MetricAttribution())
    ),
    "blank attribution source": lambda t: _request(
        t, _click(metric_attribution=events_pb.MetricAttribution(event_attribution_source="  "))
    ),
    # The AWS limits come first, even when an earlier event breaks a rule of the spec ...
    "spec rule before AWS limit": lambda t: _request(
        t, _click(sent_at=-1.0), _click(event_type="")
    ),
    "duplicate eventId before AWS limit": lambda t: _request(
        t, _click(event_id="e1"), _click(event_id="e1"), _click(item_id="")
    ),
    # ... and before the tracker is looked up.
    "unknown tracker and AWS limit": lambda t: _request("no-such-tracker", _click(item_id="")),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_a_broken_aws_limit_gets_the_generic_validators_error_and_stores_nothing(
    events, shop, metadata_store, name
):
    request = BROKEN[name](shop["trackingId"])
    expected = _reference_error(request)
    assert _answer(events, request) == ("InvalidInputException", expected)
    assert latest_event_seq(metadata_store, shop["datasetGroupArn"]) == 0


# 1024 characters, the longest properties AWS takes (padded with JSON whitespace).
_AT_MOST_PROPERTIES = '{"LOCATION":"' + "x" * 1000 + '"' + " " * 9 + "}"


def test_values_at_the_aws_limits_are_accepted(events, shop, metadata_store):
    request = _request(
        "t",
        *[
            _click(
                event_id=f"{n}" * 256,
                event_type="e" * 256,
                item_id="i" * 256,
                recommendation_id="r" * 40,
                impression=["i" * 256] * 25,
                properties=_AT_MOST_PROPERTIES,
                metric_attribution=events_pb.MetricAttribution(event_attribution_source="a b"),
            )
            for n in range(10)
        ],
        user_id="u" * 256,
        session_id="s" * 256,
    )
    request.tracking_id = shop["trackingId"]
    validate_request(request)
    events.PutEvents(request, timeout=30)
    assert latest_event_seq(metadata_store, shop["datasetGroupArn"]) > 0


def test_a_spec_rule_is_answered_when_the_aws_limits_hold(events, shop):
    request = _request(shop["trackingId"], _click(), _click(sent_at=float("nan")))
    validate_request(request)
    assert _answer(events, request) == (
        "InvalidInputException",
        "eventList[1].sentAt: must be a non-negative number of epoch seconds, got nan",
    )


def test_an_unknown_tracker_is_not_found_when_the_aws_limits_hold(events, shop):
    name, _ = _answer(events, _request("no-such-tracker"))
    assert name == "ResourceNotFoundException"


def test_a_float32_event_value_is_stored_as_its_shortest_decimal(events, shop, online):
    call_events(
        events,
        "PutEvents",
        trackingId=shop["trackingId"],
        sessionId="s1",
        eventList=[{"eventType": "click", "itemId": "i1", "sentAt": 1.7e9, "eventValue": 0.1}],
    )
    (event,) = online.recent_events(shop["datasetGroupArn"], session_id="s1")
    assert event.event_value == 0.1, "a float32 eventValue is kept as its shortest decimal"
