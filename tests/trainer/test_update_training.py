"""CreateSolutionVersion with ``trainingMode=UPDATE``: through real gRPC and the trainer worker.

The data is the planted data of ``test_solution_training`` (four user groups, each taking items of
its own block of 20). After the FULL version, half of each group's users click three new items of
their block (``b{k}-new{r}``), streamed with PutEvents ten thousand seconds later.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import grpc
import numpy as np

from recipes.artifact_format import load_model
from recipes.histories import histories_from_lists
from recipes.interactions import lookup_codes
from recipes.personalization import PersonalizationModel, recommend, score_histories
from storage.artifacts import open_artifact_store
from tests.control_plane.aws_calls import call, expect_error
from tests.events_service.events_calls import call_events
from tests.trainer import test_solution_training
from tests.trainer.import_fixtures import T0
from tests.trainer.test_solution_training import (
    BLOCKS,
    ITEMS_PER_BLOCK,
    UP,
    USERS_PER_BLOCK,
    block_of,
    train,
    wait_version,
)
from trainer.solution_training import ARTIFACT_MEMBER, BASE_MEMBER

#: The planted dataset group fixture, shared with the FULL training tests.
planted = test_solution_training.planted

NEW_ITEMS = 3
INVALID = grpc.StatusCode.INVALID_ARGUMENT


def new_items(block: int) -> list[str]:
    return [f"b{block}-new{r}" for r in range(NEW_ITEMS)]


def click_new_items(events: Any, tracking_id: str) -> None:
    """Half of each group's users click the three new items of their block."""
    for block in range(BLOCKS):
        for user in range(0, USERS_PER_BLOCK, 2):
            call_events(
                events,
                "PutEvents",
                trackingId=tracking_id,
                userId=f"b{block}-u{user}",
                sessionId=f"s-{block}-{user}",
                eventList=[
                    {"eventType": "click", "itemId": item, "sentAt": T0 + 10_000 + user}
                    for item in new_items(block)
                ],
            )


def model_of(data: Any, arn: str) -> tuple[PersonalizationModel, np.ndarray, Path]:
    """The version's model (loaded with ``recipes.artifact_format``), item ids, directory."""
    uri = data.store.get_resource(arn).document[ARTIFACT_MEMBER]
    directory = Path(uri.removeprefix("file://"))
    model = load_model(directory)
    assert isinstance(model, PersonalizationModel)
    item_ids = open_artifact_store(str(directory.parents[1])).open_artifact(uri).arrays["item_ids"]
    return model, item_ids, directory


def test_update_adds_new_items_to_the_latest_model(personalize, events, planted, data):
    full_arn, full = train(personalize, planted["group"], "up", UP)
    assert full["status"] == "ACTIVE", full.get("failureReason")
    solution = full["solutionArn"]
    tracker = call(personalize, "CreateEventTracker", name="t", datasetGroupArn=planted["group"])
    click_new_items(events, tracker["trackingId"])

    update_arn = call(
        personalize, "CreateSolutionVersion", solutionArn=solution, trainingMode="UPDATE"
    )["solutionVersionArn"]
    update = wait_version(personalize, update_arn)
    assert update["status"] == "ACTIVE", update.get("failureReason")
    assert update["trainingMode"] == "UPDATE" and update["trainingType"] == "MANUAL"
    assert 0 < update["trainingHours"] < 60 / 3600
    assert BASE_MEMBER not in update, "Tailor's own members stay out of the AWS shape"
    assert data.store.get_resource(update_arn).document[BASE_MEMBER] == full_arn
    full_metrics = call(personalize, "GetSolutionMetrics", solutionVersionArn=full_arn)
    update_metrics = call(personalize, "GetSolutionMetrics", solutionVersionArn=update_arn)
    assert update_metrics["metrics"] == full_metrics["metrics"], "an update has no new metrics"
    listed = call(personalize, "ListSolutionVersions", solutionArn=solution)["solutionVersions"]
    assert [(v["solutionVersionArn"], v["trainingMode"]) for v in listed] == [
        (update_arn, "UPDATE"),
        (full_arn, "FULL"),
    ]

    base, base_ids, _ = model_of(data, full_arn)
    model, item_ids, directory = model_of(data, update_arn)
    known = base.n_items
    assert item_ids[:known].tolist() == base_ids.tolist(), "known items keep their codes"
    assert sorted(item_ids[known:].tolist()) == sorted(
        item for block in range(BLOCKS) for item in new_items(block)
    )
    assert np.array_equal(model.item_weights[:known, :known], base.item_weights)
    assert directory.name == update_arn.rsplit("/", 1)[-1]
    for block in range(BLOCKS):
        seen = lookup_codes([f"b{block}-i{i}" for i in range(3)], item_ids)
        history = histories_from_lists([seen])
        scores = score_histories(model, history)[0]
        mine = lookup_codes(new_items(block), item_ids)
        strangers = [code for code, item in enumerate(item_ids) if block_of(item) != f"b{block}"]
        assert scores[mine].min() > scores[strangers].max()
        # As a campaign serves it, with exploration of items younger than an hour.
        codes, _ = recommend(
            model, history, 5, exploration_weight=0.3, exploration_item_age_cut_off=1 / 24
        )
        assert set(item_ids[codes[0]].tolist()) >= set(new_items(block))
    assert len(item_ids) == BLOCKS * (ITEMS_PER_BLOCK + NEW_ITEMS)

    # An update of the update builds on it.
    again = call(personalize, "CreateSolutionVersion", solutionArn=solution, trainingMode="UPDATE")
    assert wait_version(personalize, again["solutionVersionArn"])["status"] == "ACTIVE"
    document = data.store.get_resource(again["solutionVersionArn"]).document
    assert document[BASE_MEMBER] == update_arn


def test_update_is_refused_without_a_full_version_or_for_other_recipes(personalize, planted):
    group = planted["group"]
    fresh = call(personalize, "CreateSolution", name="fresh", datasetGroupArn=group, recipeArn=UP)
    message = expect_error(
        personalize,
        "CreateSolutionVersion",
        "InvalidInputException",
        INVALID,
        solutionArn=fresh["solutionArn"],
        trainingMode="UPDATE",
    )
    assert "trainingMode" in message and "FULL" in message
    for recipe in ("aws-user-personalization-v2", "aws-popularity-count", "aws-sims"):
        solution = call(
            personalize,
            "CreateSolution",
            name=recipe.removeprefix("aws-"),
            datasetGroupArn=group,
            recipeArn=f"arn:aws:personalize:::recipe/{recipe}",
        )["solutionArn"]
        message = expect_error(
            personalize,
            "CreateSolutionVersion",
            "InvalidInputException",
            INVALID,
            solutionArn=solution,
            trainingMode="UPDATE",
        )
        assert "trainingMode" in message and recipe in message
    assert call(personalize, "ListSolutionVersions")["solutionVersions"] == []
