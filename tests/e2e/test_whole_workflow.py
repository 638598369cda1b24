"""The whole workflow through real gRPC, against all four parts composed as `tailor up` does.

One server (control plane, events, runtime, trainer; ``cli.up.start_tailor``) on port 0 with a
temporary TAILOR_HOME and SQLite. The module fixture walks a shop from nothing to a serving
campaign: dataset group, schemas, datasets, CSV imports, event tracker, filter, solutions,
solution versions and campaigns; the tests then use it as an application would.

The shop (``tests.e2e.planted_shop``) has planted structure: two equal user clusters, each
preferring one of two item categories. A model that knows who the user is can find their
category; a user-blind list (popularity) cannot, so only about half of it is in a user's category.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import grpc
import pytest
from google.protobuf import json_format

from cli.up import start_tailor
from servicekit.aws_json import message_to_aws
from tailor_api.v1 import (
    personalize_events_pb2,
    personalize_events_pb2_grpc,
    personalize_pb2,
    personalize_pb2_grpc,
    personalize_runtime_pb2,
    personalize_runtime_pb2_grpc,
)
from tests.conftest import tailor_settings
from tests.e2e.planted_shop import CATEGORIES, SCHEMA_FIELDS, PlantedShop, avro_schema, plant_shop

RECIPES = "arn:aws:personalize:::recipe"
TOP = 10
#: Out of TOP recommendations, at least this many in the user's category ("dominate").
DOMINANT = 8
EXCLUDE_PURCHASED = 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("purchase")'
METRIC_KEYS = {
    "coverage",
    "mean_reciprocal_rank_at_25",
    "normalized_discounted_cumulative_gain_at_5",
    "normalized_discounted_cumulative_gain_at_10",
    "normalized_discounted_cumulative_gain_at_25",
    "precision_at_5",
    "precision_at_10",
    "precision_at_25",
}
FINAL = {"ACTIVE", "CREATE FAILED", "CREATE STOPPED"}
# Bounded but generous: two cores shared with other work; the walk itself takes a few seconds.
IMPORT_SECONDS, TRAINING_SECONDS, DEPLOY_SECONDS = 60.0, 120.0, 60.0


# --- calls with AWS member names ----------------------------------------------------------------


def _call(module: Any, stub: Any, operation: str, request: dict[str, Any]) -> dict[str, Any]:
    message = json_format.ParseDict(request, getattr(module, f"{operation}Request")())
    return message_to_aws(getattr(stub, operation)(message, timeout=30))


@dataclass
class Shop:
    """The served shop: stubs on one channel, the planted data and every ARN created."""

    port: int
    personalize_stub: personalize_pb2_grpc.PersonalizeStub
    events_stub: personalize_events_pb2_grpc.PersonalizeEventsStub
    runtime_stub: personalize_runtime_pb2_grpc.PersonalizeRuntimeStub
    planted: PlantedShop
    arns: dict[str, str] = field(default_factory=dict)
    finished: dict[str, dict[str, Any]] = field(default_factory=dict)
    tracking_id: str = ""

    def personalize(self, operation: str, **request: Any) -> dict[str, Any]:
        return _call(personalize_pb2, self.personalize_stub, operation, request)

    def events(self, operation: str, **request: Any) -> dict[str, Any]:
        return _call(personalize_events_pb2, self.events_stub, operation, request)

    def runtime(self, operation: str, **request: Any) -> dict[str, Any]:
        return _call(personalize_runtime_pb2, self.runtime_stub, operation, request)

    def recommend(self, user: str, **extra: Any) -> list[tuple[str, str]]:
        """``(itemId, CATEGORY)`` of the user's top recommendations from the UP campaign, the
        category as the response's item metadata gives it."""
        response = self.runtime(
            "GetRecommendations",
            campaignArn=self.arns["campaign"],
            userId=user,
            numResults=TOP,
            metadataColumns={"ITEMS": ["CATEGORY"]},
            **extra,
        )
        assert response["recommendationId"].startswith("RID-"), response
        return [
            (e["itemId"], e.get("metadata", {}).get("CATEGORY", "")) for e in response["itemList"]
        ]

    def rank(self, user: str, items: list[str], **extra: Any) -> list[str]:
        """GetPersonalizedRanking from the personalized-ranking campaign: the item ids in order."""
        response = self.runtime(
            "GetPersonalizedRanking",
            campaignArn=self.arns["rankingCampaign"],
            userId=user,
            inputList=items,
            **extra,
        )
        return [entry["itemId"] for entry in response["personalizedRanking"]]

    def put_events(self, user: str, kind: str, items: list[str]) -> None:
        self.events(
            "PutEvents",
            trackingId=self.tracking_id,
            userId=user,
            sessionId=f"session-{user}",
            eventList=[
                {"eventType": kind, "itemId": item, "sentAt": time.time() + n / 1000}
                for n, item in enumerate(items)
            ],
        )


def wait_final(describe: Callable[[], dict[str, Any]], what: str, seconds: float) -> dict[str, Any]:
    """Poll ``describe`` until its ``status`` is final; fail with the last state at the deadline."""
    deadline = time.monotonic() + seconds
    while True:
        state = describe()
        if state.get("status") in FINAL:
            return state
        if time.monotonic() > deadline:
            pytest.fail(f"{what} not finished after {seconds:.0f}s; last state: {state}")
        time.sleep(0.05)


def wait_active(
    describe: Callable[[], dict[str, Any]], what: str, seconds: float
) -> dict[str, Any]:
    """:func:`wait_final`, then require ACTIVE (the failure reason in the message)."""
    state = wait_final(describe, what, seconds)
    assert state["status"] == "ACTIVE", f"{what}: {state['status']}: {state.get('failureReason')}"
    return state


def count_in(listed: list[tuple[str, str]], category: str) -> int:
    return sum(1 for _, cat in listed if cat == category)


# --- the walk -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Shop]:
    """The workflow up to ACTIVE campaigns, each step checked on the way."""
    root = tmp_path_factory.mktemp("whole-workflow")
    server = start_tailor(tailor_settings(root / "home"))
    try:
        with grpc.insecure_channel(f"127.0.0.1:{server.port}") as channel:
            walked = Shop(
                server.port,
                personalize_pb2_grpc.PersonalizeStub(channel),
                personalize_events_pb2_grpc.PersonalizeEventsStub(channel),
                personalize_runtime_pb2_grpc.PersonalizeRuntimeStub(channel),
                plant_shop(int(time.time())),
            )
            _create_and_import(walked, root / "csv")
            _train_and_deploy(walked)
            yield walked
    finally:
        server.stop(grace=1)


def _create_and_import(shop: Shop, csv_directory: Path) -> None:
    api, arns = shop.personalize, shop.arns
    arns["datasetGroup"] = api("CreateDatasetGroup", name="garden-and-books")["datasetGroupArn"]
    group = api("DescribeDatasetGroup", datasetGroupArn=arns["datasetGroup"])["datasetGroup"]
    assert group["status"] == "ACTIVE", group
    for dataset_type in SCHEMA_FIELDS:
        schema = avro_schema(dataset_type)
        schema_arn = api("CreateSchema", name=f"shop-{dataset_type.lower()}", schema=schema)[
            "schemaArn"
        ]
        arns[dataset_type] = api(
            "CreateDataset",
            name=f"shop-{dataset_type.lower()}",
            schemaArn=schema_arn,
            datasetGroupArn=arns["datasetGroup"],
            datasetType=dataset_type,
        )["datasetArn"]
    paths = shop.planted.write_csvs(csv_directory)
    jobs = {
        dataset_type: api(
            "CreateDatasetImportJob",
            jobName=f"import-{dataset_type.lower()}",
            datasetArn=arns[dataset_type],
            dataSource={"dataLocation": path.as_uri()},
        )["datasetImportJobArn"]
        for dataset_type, path in paths.items()
    }
    for dataset_type, job in jobs.items():
        shop.finished[f"import {dataset_type}"] = wait_active(
            lambda job=job: api("DescribeDatasetImportJob", datasetImportJobArn=job)[
                "datasetImportJob"
            ],
            f"import job {job}",
            IMPORT_SECONDS,
        )
    tracker = api("CreateEventTracker", name="shop-tracker", datasetGroupArn=arns["datasetGroup"])
    shop.tracking_id = tracker["trackingId"]
    arns["eventTracker"] = tracker["eventTrackerArn"]
    arns["filter"] = api(
        "CreateFilter",
        name="no-purchases",
        datasetGroupArn=arns["datasetGroup"],
        filterExpression=EXCLUDE_PURCHASED,
    )["filterArn"]
    for kind, member, describe in (
        ("eventTracker", "eventTrackerArn", "DescribeEventTracker"),
        ("filter", "filterArn", "DescribeFilter"),
    ):
        wait_active(
            lambda kind=kind, member=member, describe=describe: api(
                describe, **{member: arns[kind]}
            )[kind],
            kind,
            DEPLOY_SECONDS,
        )


def _train_and_deploy(shop: Shop) -> None:
    api, arns = shop.personalize, shop.arns
    trained = (
        ("solution", "solutionVersion", "aws-user-personalization"),
        ("popularitySolution", "popularitySolutionVersion", "aws-popularity-count"),
        ("rankingSolution", "rankingSolutionVersion", "aws-personalized-ranking"),
    )
    for key, version_key, recipe in trained:
        arns[key] = api(
            "CreateSolution",
            name=f"shop-{recipe.removeprefix('aws-')}",
            datasetGroupArn=arns["datasetGroup"],
            recipeArn=f"{RECIPES}/{recipe}",
        )["solutionArn"]
        arns[version_key] = api("CreateSolutionVersion", solutionArn=arns[key])[
            "solutionVersionArn"
        ]
    for _, version_key, _ in trained:
        shop.finished[version_key] = wait_active(
            lambda arn=arns[version_key]: api("DescribeSolutionVersion", solutionVersionArn=arn)[
                "solutionVersion"
            ],
            f"{version_key} {arns[version_key]}",
            TRAINING_SECONDS,
        )
    arns["campaign"] = api(
        "CreateCampaign",
        name="shop-for-you",
        solutionVersionArn=arns["solutionVersion"],
        minProvisionedTPS=1,
        campaignConfig={"enableMetadataWithRecommendations": True},
    )["campaignArn"]
    arns["rankingCampaign"] = api(
        "CreateCampaign", name="shop-ranking", solutionVersionArn=arns["rankingSolutionVersion"]
    )["campaignArn"]
    for key in ("campaign", "rankingCampaign"):
        shop.finished[key] = wait_active(
            lambda arn=arns[key]: api("DescribeCampaign", campaignArn=arn)["campaign"],
            f"campaign {arns[key]}",
            DEPLOY_SECONDS,
        )


# --- the tests ----------------------------------------------------------------------------------


def test_imports_and_training_finish_with_metrics_that_beat_popularity(shop: Shop) -> None:
    for dataset_type in SCHEMA_FIELDS:
        assert shop.finished[f"import {dataset_type}"]["status"] == "ACTIVE"
    metrics = {
        key: shop.personalize("GetSolutionMetrics", solutionVersionArn=shop.arns[key])
        for key in ("solutionVersion", "popularitySolutionVersion")
    }
    for key, answer in metrics.items():
        assert answer["solutionVersionArn"] == shop.arns[key]
        assert set(answer["metrics"]) == METRIC_KEYS, answer
        assert all(0.0 <= value <= 1.0 for value in answer["metrics"].values()), answer
    personal = metrics["solutionVersion"]["metrics"]
    popular = metrics["popularitySolutionVersion"]["metrics"]
    # Popularity shows everyone one list, about half of it in the other cluster's category;
    # knowing the user's cluster fills the list with their category, about doubling NDCG.
    ndcg = "normalized_discounted_cumulative_gain_at_10"
    assert popular[ndcg] > 0.0, popular
    assert personal[ndcg] >= 1.5 * popular[ndcg], (personal, popular)
    assert personal["mean_reciprocal_rank_at_25"] > popular["mean_reciprocal_rank_at_25"]
    assert personal["coverage"] > popular["coverage"], "popularity shows everyone one list"


def test_known_users_get_their_clusters_category(shop: Shop) -> None:
    for category in CATEGORIES:
        for user in shop.planted.users_in(category)[:3]:
            listed = shop.recommend(user)
            assert len(listed) == TOP, listed
            assert all(shop.planted.category_of[item] == cat for item, cat in listed), listed
            assert count_in(listed, category) >= DOMINANT, (user, category, listed)
            seen = {item for item, _ in shop.planted.history(user)}
            assert not seen & {item for item, _ in listed}, "the user's history is left out"


def test_a_new_users_clicks_personalise_their_very_next_recommendations(shop: Shop) -> None:
    user = "newcomer-1"
    before = shop.recommend(user)
    assert len(before) == TOP, "a user without history gets popular items"
    assert count_in(before, "garden") < DOMINANT, before
    clicked = shop.planted.items_in("garden")[3:6]
    shop.put_events(user, "click", clicked)
    after = shop.recommend(user)
    assert count_in(after, "garden") >= DOMINANT, after
    assert count_in(after, "garden") > count_in(before, "garden")
    assert not set(clicked) & {item for item, _ in after}, "clicked items are history now"


def test_a_purchase_is_filtered_out_of_the_next_call_but_still_ranked_unfiltered(
    shop: Shop,
) -> None:
    user = shop.planted.users_in("books")[5]
    purchased = shop.recommend(user)[0][0]
    assert purchased in {item for item, _ in shop.recommend(user, filterArn=shop.arns["filter"])}, (
        "nothing is filtered before the purchase"
    )
    shop.put_events(user, "purchase", [purchased])

    filtered = shop.recommend(user, filterArn=shop.arns["filter"])
    assert len(filtered) == TOP, filtered
    assert purchased not in {item for item, _ in filtered}
    # GetRecommendations leaves any interacted item out; ranking shows whether the item is
    # allowed: unfiltered it is ranked, filtered it is gone.
    seen = {item for item, _ in shop.planted.history(user)} | {purchased}
    others = [item for item in shop.planted.items_in("books") if item not in seen][:3]
    unfiltered_ranking = shop.rank(user, [*others, purchased])
    assert sorted(unfiltered_ranking) == sorted([*others, purchased])
    filtered_ranking = shop.rank(user, [*others, purchased], filterArn=shop.arns["filter"])
    assert sorted(filtered_ranking) == sorted(others)


def test_personalized_ranking_puts_the_users_category_first(shop: Shop) -> None:
    books, garden = (shop.planted.items_in(category)[:3] for category in CATEGORIES)
    input_list = [item for pair in zip(garden, books, strict=True) for item in pair]
    for category, mine in (("books", books), ("garden", garden)):
        user = shop.planted.users_in(category)[1]
        ranked = shop.rank(user, [*input_list, "never-seen-item"])
        assert sorted(ranked[:3]) == sorted(mine), (user, ranked)
        assert ranked[-1] == "never-seen-item", "unknown items come last"


def test_update_campaign_swaps_to_a_new_version_without_a_failed_request(shop: Shop) -> None:
    api, campaign = shop.personalize, shop.arns["campaign"]
    second = api("CreateSolutionVersion", solutionArn=shop.arns["solution"])["solutionVersionArn"]
    wait_active(
        lambda: api("DescribeSolutionVersion", solutionVersionArn=second)["solutionVersion"],
        f"second solution version {second}",
        TRAINING_SECONDS,
    )
    user = shop.planted.users_in("garden")[2]
    answered: list[float] = []
    failures: list[str] = []
    stop = threading.Event()

    def keep_asking() -> None:
        # A client of its own, as an application would have.
        with grpc.insecure_channel(f"127.0.0.1:{shop.port}") as channel:
            runtime = personalize_runtime_pb2_grpc.PersonalizeRuntimeStub(channel)
            request = personalize_runtime_pb2.GetRecommendationsRequest(
                campaign_arn=campaign, user_id=user, num_results=TOP
            )
            while not stop.is_set():
                try:
                    response = runtime.GetRecommendations(request, timeout=10)
                except grpc.RpcError as error:
                    failures.append(f"{error.code().name}: {error.details()}")
                    time.sleep(0.01)
                    continue
                if len(response.item_list) != TOP:
                    failures.append(f"{len(response.item_list)} items: {response}")
                answered.append(time.monotonic())

    asker = threading.Thread(target=keep_asking, name="keep-asking", daemon=True)
    asker.start()
    try:
        _wait_for_answers(answered, failures, 5)
        update_sent = time.monotonic()
        api("UpdateCampaign", campaignArn=campaign, solutionVersionArn=second)
        updated = wait_final(
            lambda: api("DescribeCampaign", campaignArn=campaign)["campaign"][
                "latestCampaignUpdate"
            ],
            f"update of campaign {campaign}",
            DEPLOY_SECONDS,
        )
        update_seen = time.monotonic()
        _wait_for_answers(answered, failures, len(answered) + 5)
    finally:
        stop.set()
        asker.join(30)
    assert not asker.is_alive(), "the asking thread did not stop"
    assert failures == [], f"{len(failures)} of {len(answered)} calls failed: {failures[:5]}"
    during = [stamp for stamp in answered if update_sent < stamp < update_seen]
    assert during, "no call was answered while the update was being deployed"
    assert updated["status"] == "ACTIVE", updated
    described = api("DescribeCampaign", campaignArn=campaign)["campaign"]
    assert described["status"] == "ACTIVE", described
    assert described["solutionVersionArn"] == second, described
    assert described["latestCampaignUpdate"]["solutionVersionArn"] == second, described
    listed = shop.recommend(user)
    assert count_in(listed, "garden") >= DOMINANT, listed


def _wait_for_answers(answered: list[float], failures: list[str], count: int) -> None:
    """Wait until the asking thread has ``count`` answers (it may also be failing)."""
    deadline = time.monotonic() + DEPLOY_SECONDS
    while len(answered) < count:
        assert time.monotonic() < deadline, f"{len(answered)} answers; failures {failures[:5]}"
        time.sleep(0.02)


def test_the_purchase_filter_covers_purchases_from_the_bulk_import(shop: Shop) -> None:
    # Spec §8.2: filters consider the user's latest item interactions per event type,
    # imported ones included (an import is picked up by filters within minutes, §5.2).
    user = next(
        user
        for user in shop.planted.users_in("garden")
        if any(kind == "purchase" for _, kind in shop.planted.history(user))
    )
    bought = sorted({item for item, kind in shop.planted.history(user) if kind == "purchase"})
    seen = {item for item, _ in shop.planted.history(user)}
    unseen = [item for item in shop.planted.items_in("garden") if item not in seen][:2]
    assert sorted(shop.rank(user, [*bought, *unseen])) == sorted([*bought, *unseen])
    filtered = shop.rank(user, [*bought, *unseen], filterArn=shop.arns["filter"])
    assert sorted(filtered) == sorted(unseen), f"{user} bought {bought} in the import"
