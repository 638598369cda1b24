"""PutEvents through real gRPC: validation, trackers, sessions, and what gets stored."""

from __future__ import annotations

import json
import time

import grpc
import pytest

from storage.streamed.training_tables import latest_event_seq
from tests.control_plane.aws_calls import call
from tests.control_plane.fixtures_data import make_group_with_datasets
from tests.events_service.events_calls import call_events, expect_events_error

PLAIN_INTERACTIONS = json.dumps(
    {
        "type": "record",
        "name": "Interactions",
        "fields": [
            {"name": "USER_ID", "type": "string"},
            {"name": "ITEM_ID", "type": "string"},
            {"name": "TIMESTAMP", "type": "long"},
        ],
    }
)


INVALID = ("InvalidInputException", grpc.StatusCode.INVALID_ARGUMENT)
NOT_FOUND = ("ResourceNotFoundException", grpc.StatusCode.NOT_FOUND)


def _click(item: str = "i1", **extra) -> dict:
    return {"eventType": "click", "itemId": item, "sentAt": 1_700_000_000.25, **extra}


def test_every_member_of_an_event_is_stored_typed_per_the_schema(events, shop, online):
    properties = {"numRatings": "12", "LOCATION": "home|work", "premium": True}
    call_events(
        events,
        "PutEvents",
        trackingId=shop["trackingId"],
        userId="u1",
        sessionId="s1",
        eventList=[
            _click(
                "i9",
                eventId="e-1",
                eventValue=4.5,
                properties=json.dumps(properties),
                recommendationId="rec-1",
                impression=["i9", "i8"],
                metricAttribution={"eventAttributionSource": "email campaign"},
            ),
            {"eventType": "view", "sentAt": 1_700_000_001, "properties": '{"itemId": "legacy"}'},
        ],
    )
    newest, first = online.recent_events(shop["datasetGroupArn"], user_id="u1")
    assert (first.event_id, first.user_id, first.session_id) == ("e-1", "u1", "s1")
    assert (first.item_id, first.event_type, first.sent_at) == ("i9", "click", 1_700_000_000.25)
    assert first.event_value == 4.5
    assert first.properties == {"NUM_RATINGS": 12, "LOCATION": "home|work", "PREMIUM": True}
    assert (first.recommendation_id, first.impression) == ("rec-1", ("i9", "i8"))
    assert first.metric_attribution_source == "email campaign"
    assert (newest.item_id, newest.event_type, newest.properties) == ("legacy", "view", {})
    assert len(newest.event_id) >= 32, "an event without eventId gets a generated one"


@pytest.mark.parametrize(
    ("event_list", "message"),
    [
        ([_click(), {"eventType": "click", "sentAt": 1}], "eventList[1].itemId: is required"),
        (
            [_click(properties='{"colour": "red"}')],
            "eventList[0].properties: key 'colour' matches no field of the schema",
        ),
        ([_click(properties="{not json")], "eventList[0].properties: is not valid JSON"),
        ([_click(properties="[1, 2]")], "eventList[0].properties: must be a JSON object"),
        (
            [_click(), _click(properties='{"USER_ID": "u2"}')],
            "eventList[1].properties: key 'USER_ID' is not allowed",
        ),
        (
            [_click(properties='{"sessionId": "s2"}')],
            "eventList[0].properties: key 'sessionId' is not allowed",
        ),
        (
            [_click(properties='{"timestamp": 5}')],
            "eventList[0].properties: key 'timestamp' is not allowed",
        ),
        (
            [_click(properties='{"numRatings": "many"}')],
            "eventList[0].properties: key 'numRatings' (NUM_RATINGS): NUM_RATINGS is of type int",
        ),
        (
            [_click(properties='{"numRatings": 3000000000}')],
            "eventList[0].properties: key 'numRatings' (NUM_RATINGS): 3000000000 is out of range",
        ),
        (
            [_click(properties='{"premium": "yes"}')],
            "eventList[0].properties: key 'premium' (PREMIUM): PREMIUM is of type boolean",
        ),
        (
            [_click(properties='{"location": ["a", "b"]}')],
            "join categorical values with |",
        ),
        (
            [_click(properties='{"location": "a", "LOCATION": "b"}')],
            "eventList[0].properties: more than one key sets LOCATION",
        ),
        (
            [_click("i1", properties='{"itemId": "i2"}')],
            "eventList[0].properties: itemId 'i2' differs from eventList[0].itemId 'i1'",
        ),
        (
            [_click(), _click(impression=["i1", "a|b"])],
            "eventList[1].impression[1]: item ids in an impression cannot contain |",
        ),
        (
            [_click(eventId="e1"), _click(eventId="e1")],
            "eventList[1].eventId: 'e1' is also the eventId of eventList[0]",
        ),
        ([_click(sentAt=-5)], "eventList[0].sentAt: must be a non-negative number"),
        ([_click(recommendationId="r" * 41)], "eventList[0].recommendationId: length must be at"),
        ([_click(impression=[f"i{n}" for n in range(26)])], "eventList[0].impression: must have"),
        ([_click() for _ in range(11)], "eventList: must have at most 10 items"),
    ],
)
def test_an_invalid_event_refuses_the_whole_call_and_stores_nothing(
    events, shop, online, metadata_store, event_list, message
):
    detail = expect_events_error(
        events,
        "PutEvents",
        *INVALID,
        trackingId=shop["trackingId"],
        userId="u1",
        sessionId="s1",
        eventList=event_list,
    )
    assert detail.startswith(message) or message in detail, detail
    assert latest_event_seq(metadata_store, shop["datasetGroupArn"]) == 0
    assert online.recent_events(shop["datasetGroupArn"], user_id="u1", session_id="s1") == []
    assert online.session_user(shop["datasetGroupArn"], "s1") is None


def test_event_value_needs_an_event_value_field(events, personalize, online):
    plain = make_group_with_datasets(personalize, name="plain")
    tracker = call(
        personalize, "CreateEventTracker", name="plain", datasetGroupArn=plain["datasetGroupArn"]
    )
    detail = expect_events_error(
        events,
        "PutEvents",
        *INVALID,
        trackingId=tracker["trackingId"],
        sessionId="s1",
        eventList=[_click(), _click(eventValue=1.0)],
    )
    assert detail.startswith("eventList[1].eventValue: the Interactions schema has no EVENT_VALUE")
    assert online.recent_events(plain["datasetGroupArn"], session_id="s1") == []


def test_an_unknown_tracking_id_is_not_found(events):
    detail = expect_events_error(
        events,
        "PutEvents",
        *NOT_FOUND,
        trackingId="no-such-id",
        sessionId="s1",
        eventList=[_click()],
    )
    assert detail == "trackingId: no ACTIVE event tracker has trackingId 'no-such-id'"


def test_a_tracker_works_at_once_and_stops_within_two_seconds_of_its_deletion(
    events, personalize, shop
):
    request = {"sessionId": "s1", "eventList": [_click()]}
    # Load the directory's snapshot, then create a tracker it has not seen.
    call_events(events, "PutEvents", trackingId=shop["trackingId"], **request)
    other = make_group_with_datasets(personalize, name="other")
    tracker = call(
        personalize, "CreateEventTracker", name="other", datasetGroupArn=other["datasetGroupArn"]
    )
    call_events(events, "PutEvents", trackingId=tracker["trackingId"], **request)

    call(personalize, "DeleteEventTracker", eventTrackerArn=tracker["eventTrackerArn"])
    deleted_at = time.monotonic()
    while True:
        try:
            call_events(events, "PutEvents", trackingId=tracker["trackingId"], **request)
        except grpc.RpcError as error:
            assert error.code() == grpc.StatusCode.NOT_FOUND
            break
        assert time.monotonic() - deleted_at < 2.0, "a deleted tracker still accepts events"
        time.sleep(0.05)
    expect_events_error(
        events, "PutEvents", *NOT_FOUND, trackingId=tracker["trackingId"], **request
    )


def test_a_group_without_interactions_dataset_refuses_until_one_exists(events, personalize):
    group = call(personalize, "CreateDatasetGroup", name="bare")["datasetGroupArn"]
    tracker = call(personalize, "CreateEventTracker", name="bare", datasetGroupArn=group)
    request = {"trackingId": tracker["trackingId"], "sessionId": "s1", "eventList": [_click()]}
    detail = expect_events_error(events, "PutEvents", *NOT_FOUND, **request)
    assert "has no Interactions dataset" in detail
    schema = call(
        personalize,
        "CreateSchema",
        name="bare-events",
        schema=PLAIN_INTERACTIONS,
    )
    call(
        personalize,
        "CreateDataset",
        name="bare-interactions",
        schemaArn=schema["schemaArn"],
        datasetGroupArn=group,
        datasetType="Interactions",
    )
    call_events(events, "PutEvents", **request)


def test_put_action_interactions_is_not_implemented_yet(events):
    with pytest.raises(grpc.RpcError) as caught:
        call_events(
            events,
            "PutActionInteractions",
            trackingId="t",
            actionInteractions=[
                {"actionId": "a", "sessionId": "s", "timestamp": 1, "eventType": "Taken"}
            ],
        )
    assert caught.value.code() == grpc.StatusCode.UNIMPLEMENTED
    assert "PutActionInteractions" in caught.value.details()
