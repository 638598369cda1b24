"""Prometheus metrics of the events service around real PutEvents and PutItems calls."""

from __future__ import annotations

import json

import grpc
from prometheus_client import REGISTRY

from tests.control_plane.fixtures_data import make_group_with_datasets
from tests.events_service.events_calls import call_events, expect_events_error

INVALID = ("InvalidInputException", grpc.StatusCode.INVALID_ARGUMENT)


def value(name: str, **labels: str) -> float:
    """The sample's value now (0 when the series does not exist yet)."""
    return REGISTRY.get_sample_value(name, labels) or 0.0


def _click(item: str, second: int) -> dict:
    return {"eventType": "click", "itemId": item, "sentAt": 1_700_000_000 + second}


def test_put_events_counts_the_events_stored_and_their_group_commits(events, shop):
    applied = value("tailor_events_applied_total", operation="PutEvents")
    commits = value("tailor_events_group_commit_batch_size_count")
    batched = value("tailor_events_group_commit_batch_size_sum")
    timed = value("tailor_events_group_commit_seconds_count")

    for call_number in range(2):
        call_events(
            events,
            "PutEvents",
            trackingId=shop["trackingId"],
            userId="u1",
            sessionId="s1",
            eventList=[_click(f"i{n}", call_number * 10 + n) for n in range(3)],
        )
    expect_events_error(
        events,
        "PutEvents",
        *INVALID,
        trackingId=shop["trackingId"],
        sessionId="s1",
        eventList=[_click("i1", 1), {"eventType": "click", "sentAt": 1}],
    )

    assert value("tailor_events_applied_total", operation="PutEvents") - applied == 6
    assert value("tailor_events_group_commit_batch_size_sum") - batched == 6
    new_commits = value("tailor_events_group_commit_batch_size_count") - commits
    assert 1 <= new_commits <= 2
    assert value("tailor_events_group_commit_seconds_count") - timed == new_commits
    assert value("tailor_events_group_commit_seconds_sum") > 0


def test_put_items_counts_records_under_its_operation(events, personalize):
    items = make_group_with_datasets(personalize)["ItemsDatasetArn"]
    applied = value("tailor_events_applied_total", operation="PutItems")
    put_events = value("tailor_events_applied_total", operation="PutEvents")
    batched = value("tailor_events_group_commit_batch_size_sum")
    records = [
        {"itemId": f"i{n}", "properties": json.dumps({"genre": "horror", "price": 1.5})}
        for n in range(4)
    ]
    call_events(events, "PutItems", datasetArn=items, items=records)
    assert value("tailor_events_applied_total", operation="PutItems") - applied == 4
    assert value("tailor_events_applied_total", operation="PutEvents") == put_events
    assert value("tailor_events_group_commit_batch_size_sum") == batched, "records are not events"
    for metric in REGISTRY.collect():
        for sample in metric.samples:
            if sample.name.startswith("tailor_events_"):
                assert set(sample.labels) <= {"operation", "le"}, sample
