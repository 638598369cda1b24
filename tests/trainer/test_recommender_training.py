"""CreateRecommender trains: through real gRPC, the job run by a real trainer worker.

The test server runs without its own trainer part; the worker here runs the server's job
handlers plus ``RecommenderTrainingHandler`` (what ``trainer/handlers.py`` registers), so the
tests hold with or without that registration.

The interactions have planted structure: four shopper groups, each viewing only its own block
of items, and 30 buyers who never view but each buy ``b0-i0`` and ``b0-i1`` (60 purchases: too
few for the purchase-based use cases, and enough to make ``b0-i0`` the most popular item when
purchases count).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import grpc
import numpy as np
import pytest

from cli.up import start_tailor
from domain.recipe_catalogue import RECIPES
from recipes.artifact_format import load_extra_arrays, load_model, read_manifest
from recipes.fitting import RECIPE_FAMILIES
from recipes.histories import histories_from_lists
from recipes.interactions import lookup_codes
from recipes.personalization import PersonalizationModel, recommend
from recipes.popularity import PopularityModel, recommend_popular
from recipes.related_items import RelatedItemsModel, related
from storage.artifacts import open_artifact_store
from storage.data import open_segment_store
from storage.metadata.store import SqlMetadataStore, open_metadata_store
from tailor_api.v1 import personalize_pb2_grpc
from tests.conftest import tailor_settings
from tests.control_plane.aws_calls import call, expect_error
from tests.trainer.import_fixtures import HEADER, INTERACTIONS_SCHEMA, T0, run_import, write
from trainer.handlers import job_handlers
from trainer.recommender_training import USE_CASES, RecommenderTrainingHandler
from trainer.solution_training import ARTIFACT_MEMBER, EVENT_SEQ_MEMBER
from trainer.worker import Worker

RECIPE = "arn:aws:personalize:::recipe/"
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
BLOCKS, USERS_PER_BLOCK, ITEMS_PER_BLOCK, VIEWS_PER_USER, BUYERS = 4, 30, 20, 12, 30
FINAL = {"ACTIVE", "CREATE FAILED"}


@dataclass
class Shop:
    """The test server, a store handle on its database, and its artifacts directory."""

    stub: personalize_pb2_grpc.PersonalizeStub
    store: SqlMetadataStore
    artifacts: Path


@pytest.fixture
def shop(metadata_url: str, tmp_path: Path) -> Iterator[Shop]:
    """A server (control plane, events) and a worker that also trains recommenders."""
    settings = tailor_settings(tmp_path / "home", metadata_url)
    server = start_tailor(settings, parts=("control-plane", "events"))
    store = open_metadata_store(settings.metadata_url, migrate=False)
    handlers = job_handlers(settings, store)
    handlers["recommender"] = RecommenderTrainingHandler(
        open_segment_store(settings.data_location),
        open_artifact_store(settings.artifacts_location),
    )
    worker = Worker(store, handlers, poll_seconds=0.05)
    worker.start()
    with grpc.insecure_channel(f"127.0.0.1:{server.port}") as channel:
        yield Shop(
            personalize_pb2_grpc.PersonalizeStub(channel), store, tmp_path / "home" / "artifacts"
        )
    worker.stop()
    store.close()
    server.stop(grace=1)


def block_of(item_id: str) -> str:
    """``b2`` for item ``b2-i7``."""
    return item_id.split("-")[0]


def planted_lines() -> list[str]:
    """1,440 views (user ``b{k}-u{j}`` views 12 items of block ``b{k}``) and 60 purchases."""
    rng = np.random.default_rng(7)
    lines = [HEADER]
    n = 0
    for block in range(BLOCKS):
        for user in range(USERS_PER_BLOCK):
            for item in rng.choice(ITEMS_PER_BLOCK, VIEWS_PER_USER, replace=False):
                lines.append(f"b{block}-u{user},b{block}-i{item},{T0 + n},View,,,e{n}")
                n += 1
    for buyer in range(BUYERS):
        for item in ("b0-i0", "b0-i1"):
            lines.append(f"buyer-u{buyer},{item},{T0 + n},Purchase,,,e{n}")
            n += 1
    return lines


def viewers_of(item_id: str) -> int:
    """How many users view ``item_id`` in :func:`planted_lines`."""
    rows = [line.split(",") for line in planted_lines()[1:]]
    return len({row[0] for row in rows if row[1] == item_id and row[3] == "View"})


def domain_group(stub: Any, name: str, domain: str = "ECOMMERCE") -> tuple[str, str]:
    """A domain dataset group with an Interactions dataset: (group ARN, dataset ARN)."""
    group = call(stub, "CreateDatasetGroup", name=name, domain=domain)["datasetGroupArn"]
    schema = call(
        stub, "CreateSchema", name=f"{name}-interactions", schema=INTERACTIONS_SCHEMA, domain=domain
    )["schemaArn"]
    dataset = call(
        stub,
        "CreateDataset",
        name=f"{name}-interactions",
        schemaArn=schema,
        datasetGroupArn=group,
        datasetType="Interactions",
    )["datasetArn"]
    return group, dataset


@pytest.fixture
def planted(shop: Shop, tmp_path: Path) -> str:
    """An ECOMMERCE dataset group holding the planted interactions; its ARN."""
    group, dataset = domain_group(shop.stub, "store")
    job = run_import(shop.stub, dataset, write(tmp_path / "in.csv", planted_lines()), "bulk")
    assert job["status"] == "ACTIVE", job
    return group


def create(stub: Any, group: str, name: str, use_case: str) -> tuple[str, dict]:
    """Create a recommender and wait (60 s at most) until ACTIVE or CREATE FAILED."""
    arn = call(
        stub, "CreateRecommender", name=name, datasetGroupArn=group, recipeArn=RECIPE + use_case
    )["recommenderArn"]
    deadline = time.monotonic() + 60
    while True:
        recommender = call(stub, "DescribeRecommender", recommenderArn=arn)["recommender"]
        if recommender["status"] in FINAL:
            return arn, recommender
        assert "modelMetrics" not in recommender
        assert time.monotonic() < deadline, f"{name} still {recommender['status']}"
        time.sleep(0.05)


def artifact_directory(shop: Shop, arn: str) -> Path:
    """The local directory of the recommender's artifact (its URI checked on the way)."""
    document = shop.store.get_resource(arn).document
    uri = document[ARTIFACT_MEMBER]
    name = arn.rsplit("/", 1)[-1]
    parent = (shop.artifacts / f"recommender.{name}").resolve()
    assert uri.startswith(f"file://{parent}/training-"), uri
    return Path(uri.removeprefix("file://"))


def test_every_use_case_trains_as_the_custom_recipe_of_its_family():
    domain_recipes = {name for name, entry in RECIPES.items() if entry.domain}
    assert set(USE_CASES) == domain_recipes
    for name, use_case in USE_CASES.items():
        assert RECIPE_FAMILIES[use_case.custom_recipe] == RECIPE_FAMILIES[name], name
        assert RECIPES[use_case.custom_recipe].domain is None


def test_recommended_for_you_trains_to_active_and_recommends_the_planted_block(shop, planted):
    arn, recommender = create(shop.stub, planted, "for-you", "aws-ecomm-recommended-for-you")
    assert recommender["status"] == "ACTIVE", recommender.get("failureReason")
    metrics = recommender["modelMetrics"]
    assert set(metrics) == METRIC_KEYS
    assert all(0.0 <= value <= 1.0 for value in metrics.values()), metrics
    assert metrics["normalized_discounted_cumulative_gain_at_10"] > 0.3, metrics
    update = recommender["latestRecommenderUpdate"]
    assert update["status"] == "ACTIVE"
    assert update["recommenderConfig"] == {"minRecommendationRequestsPerSecond": 1}
    assert update["lastUpdatedDateTime"] >= update["creationDateTime"]
    assert ARTIFACT_MEMBER not in recommender and EVENT_SEQ_MEMBER not in recommender
    assert "failureReason" not in recommender

    directory = artifact_directory(shop, arn)
    manifest = read_manifest(directory)
    assert manifest["extra"]["useCase"] == "aws-ecomm-recommended-for-you"
    assert manifest["extra"]["recommenderArn"] == arn
    assert manifest["extra"]["metrics"] == metrics
    model = load_model(directory)
    assert isinstance(model, PersonalizationModel)
    assert model.recipe == "aws-user-personalization"
    item_ids = load_extra_arrays(directory)["item_ids"]
    assert len(item_ids) == BLOCKS * ITEMS_PER_BLOCK
    for block in range(BLOCKS):
        seen = [f"b{block}-i{i}" for i in range(3)]
        codes, _ = recommend(model, histories_from_lists([lookup_codes(seen, item_ids)]), 5)
        assert {block_of(item_ids[c]) for c in codes[0]} == {f"b{block}"}

    # Stopping and starting keep the trained model and its metrics.
    call(shop.stub, "StopRecommender", recommenderArn=arn)
    call(shop.stub, "StartRecommender", recommenderArn=arn)
    started = call(shop.stub, "DescribeRecommender", recommenderArn=arn)["recommender"]
    assert started["status"] == "ACTIVE"
    assert started["modelMetrics"] == metrics
    assert artifact_directory(shop, arn) == directory


def test_view_use_cases_train_on_views(shop, planted):
    viewed, also = create(
        shop.stub, planted, "also-viewed", "aws-ecomm-customers-who-viewed-x-also-viewed"
    )
    most, popular = create(shop.stub, planted, "most-viewed", "aws-ecomm-popular-items-by-views")
    for recommender in (also, popular):
        assert recommender["status"] == "ACTIVE", recommender.get("failureReason")
        assert set(recommender["modelMetrics"]) == METRIC_KEYS
    related_model = load_model(artifact_directory(shop, viewed))
    assert isinstance(related_model, RelatedItemsModel)
    assert related_model.recipe == "aws-sims"
    item_ids = load_extra_arrays(artifact_directory(shop, viewed))["item_ids"]
    query = np.array([lookup_codes(["b2-i0"], item_ids)[0]], np.int64)
    codes, _ = related(related_model, query, 5)
    assert {block_of(item_ids[c]) for c in codes[0] if c >= 0} == {"b2"}
    popularity = load_model(artifact_directory(shop, most))
    assert isinstance(popularity, PopularityModel)
    assert popularity.recipe == "aws-popularity-count"
    # Only views count: b0-i0's 30 buyers would make it the most popular item.
    item_ids = load_extra_arrays(artifact_directory(shop, most))["item_ids"].tolist()
    for item in ("b0-i0", "b1-i3"):
        assert popularity.item_scores[item_ids.index(item)] == viewers_of(item)
    top, _ = recommend_popular(popularity, 1)
    assert popularity.item_scores[top[0, 0]] == max(viewers_of(i) for i in item_ids)
    assert read_manifest(artifact_directory(shop, most))["extra"]["eventType"] == "View"


def test_too_little_data_fails_naming_what_is_missing(shop, planted):
    arn, best = create(shop.stub, planted, "best", "aws-ecomm-popular-items-by-purchases")
    assert best["status"] == "CREATE FAILED"
    reason = best["failureReason"]
    assert reason.startswith(
        "aws-ecomm-popular-items-by-purchases trains on 'Purchase' events (EVENT_TYPE): "
        "not enough training data after filtering by eventType 'Purchase'"
    ), reason
    assert "60 interactions; at least 1000 are needed" in reason
    assert "30 users with 2 or more interactions" not in reason  # 30 buyers are enough
    assert best["latestRecommenderUpdate"]["status"] == "CREATE FAILED"
    assert best["latestRecommenderUpdate"]["failureReason"] == reason
    assert "modelMetrics" not in best
    assert ARTIFACT_MEMBER not in shop.store.get_resource(arn).document
    assert not (shop.artifacts / "recommender.best").exists()
    for operation in ("StartRecommender", "StopRecommender"):
        expect_error(
            shop.stub,
            operation,
            "ResourceInUseException",
            grpc.StatusCode.FAILED_PRECONDITION,
            recommenderArn=arn,
        )

    empty, _ = domain_group(shop.stub, "video", "VIDEO_ON_DEMAND")
    _, top = create(shop.stub, empty, "top", "aws-vod-top-picks")
    assert top["status"] == "CREATE FAILED"
    assert top["failureReason"] == (
        "aws-vod-top-picks trains: not enough training data: the dataset group has "
        "0 interactions; at least 1000 are needed; 0 users with 2 or more interactions; "
        "at least 25 are needed"
    )


def test_every_video_use_case_trains_on_watches(shop, tmp_path):
    group, dataset = domain_group(shop.stub, "video", "VIDEO_ON_DEMAND")
    views = [line for line in planted_lines() if "Purchase" not in line]
    lines = [line.replace(",View,", ",Watch,") for line in views]
    job = run_import(shop.stub, dataset, write(tmp_path / "watch.csv", lines), "watches")
    assert job["status"] == "ACTIVE", job
    expected = {
        "aws-vod-top-picks": PersonalizationModel,
        "aws-vod-because-you-watched-x": RelatedItemsModel,
        "aws-vod-more-like-x": RelatedItemsModel,
        "aws-vod-most-popular": PopularityModel,
        "aws-vod-trending-now": PopularityModel,
    }
    for use_case, model_type in expected.items():
        arn, recommender = create(shop.stub, group, use_case.removeprefix("aws-vod-"), use_case)
        assert recommender["status"] == "ACTIVE", (use_case, recommender.get("failureReason"))
        assert set(recommender["modelMetrics"]) == METRIC_KEYS
        model = load_model(artifact_directory(shop, arn))
        assert isinstance(model, model_type)
        assert model.recipe == USE_CASES[use_case].custom_recipe
