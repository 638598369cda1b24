"""Recommenders served by GetRecommendations (``recommenderArn``) through real gRPC.

The data is the recommender training tests' planted ECOMMERCE data: user ``b{k}-u{j}`` views 12
of the 20 items of block ``b{k}``; 30 buyers purchase ``b0-i0`` and ``b0-i1``.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import grpc
import pytest

from tests.control_plane.aws_calls import aws_error_name, call
from tests.events_service.events_calls import call_events
from tests.runtime_service.test_serving import INVALID, NOT_FOUND, ask, items_of, refused
from tests.trainer.import_fixtures import T0, run_import, write
from tests.trainer.test_recommender_training import block_of, create, domain_group, planted_lines


def wait_served(runtime: Any, arn: str, seconds: float = 30.0, **request: Any) -> dict[str, Any]:
    """Ask until the runtime serves the recommender (it loads ACTIVE ones in the background)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            return ask(runtime, "GetRecommendations", recommenderArn=arn, **request)
        except grpc.RpcError as error:
            assert aws_error_name(error) == NOT_FOUND[0], error.details()
            assert time.monotonic() < deadline, f"{arn} is not served: {error.details()}"
            time.sleep(0.05)


def wait_unserved(runtime: Any, arn: str, seconds: float = 30.0, **request: Any) -> str:
    """Ask until the runtime refuses the recommender as not found; the message."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            ask(runtime, "GetRecommendations", recommenderArn=arn, **request)
        except grpc.RpcError as error:
            if aws_error_name(error) == NOT_FOUND[0]:
                return error.details()
        assert time.monotonic() < deadline, f"{arn} is still served"
        time.sleep(0.05)


@pytest.fixture
def shop(personalize, tmp_path: Path) -> dict[str, str]:
    """An ECOMMERCE group with the planted data, an event tracker, and two ACTIVE recommenders
    (recommended-for-you and customers-who-viewed-x-also-viewed)."""
    group, dataset = domain_group(personalize, "store")
    job = run_import(personalize, dataset, write(tmp_path / "in.csv", planted_lines()), "bulk")
    assert job["status"] == "ACTIVE", job
    for_you, state = create(personalize, group, "for-you", "aws-ecomm-recommended-for-you")
    assert state["status"] == "ACTIVE", state
    viewed, state = create(
        personalize, group, "also-viewed", "aws-ecomm-customers-who-viewed-x-also-viewed"
    )
    assert state["status"] == "ACTIVE", state
    tracker = call(personalize, "CreateEventTracker", name="t", datasetGroupArn=group)
    return {
        "group": group,
        "for_you": for_you,
        "viewed": viewed,
        "tracking": tracker["trackingId"],
    }


def test_recommended_for_you_excludes_only_purchased_items(personalize, events, runtime, shop):
    arn = shop["for_you"]
    picks = wait_served(runtime, arn, userId="b1-u0", numResults=20)
    assert {block_of(item) for item in items_of(picks)[:10]} == {"b1"}
    assert all(0.0 < entry["score"] for entry in picks["itemList"])
    viewed = {line.split(",")[1] for line in planted_lines()[1:] if line.startswith("b1-u0,")}
    assert viewed & set(items_of(picks)), "viewed items are not excluded (only purchases are)"

    bought = items_of(picks)[:2]
    call_events(
        events,
        "PutEvents",
        trackingId=shop["tracking"],
        userId="b1-u0",
        sessionId="s-b1-u0",
        eventList=[
            {"eventType": "Purchase", "itemId": item, "sentAt": T0 + 100_000 + n}
            for n, item in enumerate(bought)
        ],
    )
    after = ask(runtime, "GetRecommendations", recommenderArn=arn, userId="b1-u0", numResults=20)
    assert not set(bought) & set(items_of(after)), "streamed purchases are excluded"
    buyer = ask(runtime, "GetRecommendations", recommenderArn=arn, userId="buyer-u0", numResults=80)
    assert not {"b0-i0", "b0-i1"} & set(items_of(buyer)), "imported purchases are excluded"

    message = refused(runtime, "GetRecommendations", INVALID, recommenderArn=arn)
    assert "userId" in message
    message = refused(
        runtime,
        "GetRecommendations",
        INVALID,
        recommenderArn=arn,
        userId="b1-u0",
        metadataColumns={"ITEMS": ["GENRES"]},
    )
    assert "recommenderConfig.enableMetadataWithRecommendations" in message
    both = refused(
        runtime, "GetRecommendations", INVALID, recommenderArn=arn, campaignArn=arn, userId="u"
    )
    assert "campaignArn, recommenderArn" in both
    as_campaign = refused(runtime, "GetRecommendations", NOT_FOUND, campaignArn=arn, userId="u")
    assert "campaignArn" in as_campaign


def test_also_viewed_needs_an_item_and_answers_its_block_without_scores(runtime, shop):
    arn = shop["viewed"]
    related = wait_served(runtime, arn, itemId="b2-i3", numResults=5)
    assert len(related["itemList"]) == 5
    assert {block_of(item) for item in items_of(related)} == {"b2"}
    assert "b2-i3" not in items_of(related)
    assert all("score" not in entry for entry in related["itemList"])
    message = refused(runtime, "GetRecommendations", INVALID, recommenderArn=arn, userId="b2-u0")
    assert "itemId" in message


def test_stopped_or_deleted_recommenders_are_not_served(personalize, runtime, shop):
    arn = shop["viewed"]
    wait_served(runtime, arn, itemId="b2-i3")
    call(personalize, "StopRecommender", recommenderArn=arn)
    assert "recommenderArn" in wait_unserved(runtime, arn, itemId="b2-i3")
    call(personalize, "StartRecommender", recommenderArn=arn)
    assert wait_served(runtime, arn, itemId="b2-i3")["itemList"]
    call(personalize, "DeleteRecommender", recommenderArn=arn)
    wait_unserved(runtime, arn, itemId="b2-i3")
    served = ask(runtime, "GetRecommendations", recommenderArn=shop["for_you"], userId="b0-u0")
    assert served["itemList"], "the other recommender keeps serving"


def test_popular_use_cases_need_neither_user_nor_item(personalize, runtime, shop):
    arn, state = create(
        personalize, shop["group"], "most-viewed", "aws-ecomm-popular-items-by-views"
    )
    assert state["status"] == "ACTIVE", state
    popular = wait_served(runtime, arn, numResults=10)
    assert len(popular["itemList"]) == 10
    assert all("score" not in entry for entry in popular["itemList"])
    bought = call(
        personalize,
        "CreateFilter",
        name="bought",
        datasetGroupArn=shop["group"],
        filterExpression='INCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("Purchase")',
    )["filterArn"]
    promotion = {"name": "again", "percentPromotedItems": 30, "filterArn": bought}
    answer = ask(
        runtime,
        "GetRecommendations",
        recommenderArn=arn,
        userId="buyer-u0",
        numResults=10,
        promotions=[promotion],
    )
    promoted = [e["itemId"] for e in answer["itemList"] if e.get("promotionName") == "again"]
    assert sorted(promoted) == ["b0-i0", "b0-i1"], "only two items match: both promoted"
    assert len(answer["itemList"]) == 10
