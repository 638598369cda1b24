"""Campaigns become ACTIVE when the runtime serves them; GetRecommendations and
GetPersonalizedRanking through real gRPC, with the user's streamed events folded in.

The data is the trainer tests' planted data: four user groups, each interacting only with its own
block of 20 items (``b{k}-i{j}``).
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import grpc
import pytest
from google.protobuf import json_format

from servicekit.aws_json import message_to_aws
from tailor_api.v1 import personalize_runtime_pb2
from tests.control_plane.aws_calls import aws_error_name, call
from tests.events_service.events_calls import call_events
from tests.trainer.import_fixtures import T0, make_datasets, run_import, write
from tests.trainer.test_solution_training import UP, block_of, planted_lines, wait_version

INVALID = ("InvalidInputException", grpc.StatusCode.INVALID_ARGUMENT)
NOT_FOUND = ("ResourceNotFoundException", grpc.StatusCode.NOT_FOUND)


def ask(stub: Any, operation: str, **request: Any) -> dict[str, Any]:
    """Call a runtime operation with AWS member names; the response with AWS member names."""
    request_class = getattr(personalize_runtime_pb2, f"{operation}Request")
    message = json_format.ParseDict(request, request_class())
    return message_to_aws(getattr(stub, operation)(message, timeout=30))


def refused(stub: Any, operation: str, expected: tuple[str, grpc.StatusCode], **request) -> str:
    """Call expecting the AWS error ``expected``; return the status message."""
    with pytest.raises(grpc.RpcError) as caught:
        ask(stub, operation, **request)
    assert caught.value.code() == expected[1], caught.value.details()
    assert aws_error_name(caught.value) == expected[0]
    return caught.value.details()


def wait_campaign(stub: Any, arn: str, done: Any, seconds: float = 30.0) -> dict[str, Any]:
    """Poll DescribeCampaign until ``done(campaign)``."""
    deadline = time.monotonic() + seconds
    while True:
        campaign = call(stub, "DescribeCampaign", campaignArn=arn)["campaign"]
        if done(campaign):
            return campaign
        assert time.monotonic() < deadline, f"campaign still {campaign}"
        time.sleep(0.1)


def items_of(response: dict[str, Any], member: str = "itemList") -> list[str]:
    return [entry["itemId"] for entry in response.get(member, [])]


@pytest.fixture
def served(personalize, tmp_path: Path) -> dict[str, str]:
    """A dataset group with the planted data, a trained User-Personalization version, an
    event tracker, and an ACTIVE campaign of that version."""
    arns = make_datasets(personalize)
    job = run_import(
        personalize, arns["Interactions"], write(tmp_path / "in.csv", planted_lines()), "bulk"
    )
    assert job["status"] == "ACTIVE", job
    group = call(personalize, "DescribeDataset", datasetArn=arns["Interactions"])["dataset"][
        "datasetGroupArn"
    ]
    solution = call(personalize, "CreateSolution", name="up", datasetGroupArn=group, recipeArn=UP)[
        "solutionArn"
    ]
    version = call(personalize, "CreateSolutionVersion", solutionArn=solution)["solutionVersionArn"]
    assert wait_version(personalize, version)["status"] == "ACTIVE"
    campaign = call(personalize, "CreateCampaign", name="shop", solutionVersionArn=version)
    created = call(personalize, "DescribeCampaign", campaignArn=campaign["campaignArn"])
    assert created["campaign"]["status"] == "CREATE PENDING"
    active = wait_campaign(
        personalize, campaign["campaignArn"], lambda c: c["status"] != "CREATE PENDING"
    )
    assert active["status"] == "ACTIVE", active
    tracker = call(personalize, "CreateEventTracker", name="t", datasetGroupArn=group)
    return {
        **arns,
        "group": group,
        "solution": solution,
        "version": version,
        "campaign": campaign["campaignArn"],
        "tracking": tracker["trackingId"],
    }


def stream(events: Any, served: dict[str, str], user: str, items: list[str], kind: str) -> None:
    call_events(
        events,
        "PutEvents",
        trackingId=served["tracking"],
        userId=user,
        sessionId=f"s-{user}",
        eventList=[
            {"eventType": kind, "itemId": item, "sentAt": T0 + 10_000 + n}
            for n, item in enumerate(items)
        ],
    )


def test_recommendations_follow_history_and_streamed_events(personalize, events, runtime, served):
    campaign = served["campaign"]
    known = ask(runtime, "GetRecommendations", campaignArn=campaign, userId="b0-u0", numResults=5)
    assert len(known["itemList"]) == 5
    assert {block_of(item) for item in items_of(known)} == {"b0"}
    assert all(0.0 < entry["score"] for entry in known["itemList"])
    assert known["recommendationId"].startswith("RID-") and len(known["recommendationId"]) <= 40
    again = ask(runtime, "GetRecommendations", campaignArn=campaign, userId="b0-u0")
    assert again["recommendationId"] != known["recommendationId"]
    assert 0 < len(again["itemList"]) <= 25

    newcomer = ask(runtime, "GetRecommendations", campaignArn=campaign, userId="new-user")
    assert len(newcomer["itemList"]) == 25, "a user without history gets popular items"
    streamed = ["b2-i0", "b2-i1", "b2-i2"]
    stream(events, served, "new-user", streamed, "click")
    folded = ask(
        runtime, "GetRecommendations", campaignArn=campaign, userId="new-user", numResults=10
    )
    assert {block_of(item) for item in items_of(folded)} == {"b2"}
    assert not set(streamed) & set(items_of(folded)), "the user's history is excluded"

    refused(
        runtime, "GetRecommendations", INVALID, campaignArn=campaign, userId="u", numResults=501
    )
    refused(runtime, "GetRecommendations", INVALID, campaignArn=campaign)
    missing = campaign.replace("campaign/shop", "campaign/nope")
    refused(runtime, "GetRecommendations", NOT_FOUND, campaignArn=missing, userId="b0-u0")
    message = refused(
        runtime,
        "GetRecommendations",
        INVALID,
        campaignArn=campaign,
        recommenderArn=campaign.replace(":campaign/", ":recommender/"),
        userId="b0-u0",
    )
    assert "campaignArn, recommenderArn" in message
    refused(
        runtime,
        "GetRecommendations",
        INVALID,
        campaignArn=campaign,
        userId="b0-u0",
        metadataColumns={"ITEMS": ["GENRES"]},
    )


def test_filters_apply_to_streamed_purchases_and_item_parameters(
    personalize, events, runtime, served
):
    campaign, group = served["campaign"], served["group"]
    bought = call(
        personalize,
        "CreateFilter",
        name="no-purchases",
        datasetGroupArn=group,
        filterExpression='EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("purchase")',
    )["filterArn"]
    plain = ask(runtime, "GetRecommendations", campaignArn=campaign, userId="b1-u0", numResults=8)
    purchased = items_of(plain)[:3]
    stream(events, served, "b1-u0", purchased, "purchase")
    filtered = ask(
        runtime,
        "GetRecommendations",
        campaignArn=campaign,
        userId="b1-u0",
        numResults=100,
        filterArn=bought,
    )
    assert filtered["itemList"] and not set(purchased) & set(items_of(filtered))
    assert len(filtered["itemList"]) <= 100

    call_events(
        events,
        "PutItems",
        datasetArn=served["Items"],
        items=[
            {"itemId": item, "properties": json.dumps({"genres": "rare", "creationTimestamp": T0})}
            for item in ("b3-i1", "b3-i2", "b0-i5")
        ],
    )
    genre = call(
        personalize,
        "CreateFilter",
        name="genre",
        datasetGroupArn=group,
        filterExpression="INCLUDE ItemID WHERE Items.GENRES IN ($GENRE)",
    )["filterArn"]
    chosen = ask(
        runtime,
        "GetRecommendations",
        campaignArn=campaign,
        userId="b0-u1",
        filterArn=genre,
        filterValues={"GENRE": '"rare"'},
    )
    assert set(items_of(chosen)) <= {"b3-i1", "b3-i2", "b0-i5"}
    assert items_of(chosen), "the filter leaves items the user has not seen"
    refused(
        runtime,
        "GetRecommendations",
        INVALID,
        campaignArn=campaign,
        userId="b0-u1",
        filterArn=genre,
    )
    ranked = ask(
        runtime,
        "GetPersonalizedRanking",
        campaignArn=campaign,
        userId="b0-u1",
        inputList=["b3-i1", "b1-i1", "b0-i5"],
        filterArn=genre,
        filterValues={"GENRE": '"rare"'},
    )
    assert set(items_of(ranked, "personalizedRanking")) == {"b3-i1", "b0-i5"}


def test_personalized_ranking_puts_the_users_block_first_and_unknown_items_last(runtime, served):
    input_list = ["b1-i0", "never-seen", "b0-i1", "b2-i3", "b0-i2", "b3-i4"]
    ranked = ask(
        runtime,
        "GetPersonalizedRanking",
        campaignArn=served["campaign"],
        userId="b0-u3",
        inputList=input_list,
    )["personalizedRanking"]
    assert sorted(entry["itemId"] for entry in ranked) == sorted(input_list)
    assert {block_of(entry["itemId"]) for entry in ranked[:2]} == {"b0"}
    assert ranked[-1] == {"itemId": "never-seen"}
    assert all("score" in entry for entry in ranked[:-1])
    scores = [entry["score"] for entry in ranked[:-1]]
    assert scores == sorted(scores, reverse=True)


def test_update_swaps_the_version_while_serving_and_delete_unloads(personalize, runtime, served):
    campaign = served["campaign"]
    second = call(personalize, "CreateSolutionVersion", solutionArn=served["solution"])
    second_arn = second["solutionVersionArn"]
    assert wait_version(personalize, second_arn)["status"] == "ACTIVE"
    call(
        personalize,
        "UpdateCampaign",
        campaignArn=campaign,
        solutionVersionArn=second_arn,
        campaignConfig={"itemExplorationConfig": {"explorationWeight": "0.0"}},
    )
    deadline = time.monotonic() + 30
    while True:
        served_now = ask(runtime, "GetRecommendations", campaignArn=campaign, userId="b2-u0")
        assert {block_of(item) for item in items_of(served_now)[:5]} == {"b2"}
        state = call(personalize, "DescribeCampaign", campaignArn=campaign)["campaign"]
        if state["latestCampaignUpdate"]["status"] == "ACTIVE":
            break
        assert state["latestCampaignUpdate"]["status"] == "CREATE PENDING", state
        assert time.monotonic() < deadline, state
    assert state["status"] == "ACTIVE"
    assert state["solutionVersionArn"] == second_arn
    assert state["campaignConfig"]["itemExplorationConfig"] == {"explorationWeight": "0.0"}

    call(personalize, "DeleteCampaign", campaignArn=campaign)
    deadline = time.monotonic() + 10
    while True:
        try:
            ask(runtime, "GetRecommendations", campaignArn=campaign, userId="b2-u0")
        except grpc.RpcError as error:
            assert aws_error_name(error) == NOT_FOUND[0]
            break
        assert time.monotonic() < deadline, "the deleted campaign is still served"
        time.sleep(0.05)


def test_a_version_without_a_loadable_model_fails_the_campaign(
    personalize, runtime, served, tmp_path
):
    artifacts = tmp_path / "home" / "artifacts" / "up"
    second = call(personalize, "CreateSolutionVersion", solutionArn=served["solution"])
    second_arn = second["solutionVersionArn"]
    assert wait_version(personalize, second_arn)["status"] == "ACTIVE"
    manifest = artifacts / second_arn.rsplit("/", 1)[-1] / "manifest.json"
    manifest.unlink()
    arn = call(personalize, "CreateCampaign", name="broken", solutionVersionArn=second_arn)[
        "campaignArn"
    ]
    failed = wait_campaign(personalize, arn, lambda c: c["status"] != "CREATE PENDING")
    assert failed["status"] == "CREATE FAILED"
    assert "cannot load the model" in failed["failureReason"]
    refused(runtime, "GetRecommendations", NOT_FOUND, campaignArn=arn, userId="b0-u0")
    still = ask(runtime, "GetRecommendations", campaignArn=served["campaign"], userId="b0-u0")
    assert still["itemList"], "the other campaign keeps serving"
