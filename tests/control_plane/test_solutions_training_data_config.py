"""CreateSolution's ``solutionConfig.trainingDataConfig``: checked against the group's schemas."""

from __future__ import annotations

from typing import Any

import grpc

from tests.control_plane.aws_calls import call, expect_error
from tests.control_plane.fixtures_data import make_group_with_datasets

INVALID = grpc.StatusCode.INVALID_ARGUMENT
SIMS = "arn:aws:personalize:::recipe/aws-sims"
UP_V2 = "arn:aws:personalize:::recipe/aws-user-personalization-v2"


def config(member: str = "excludedDatasetColumns", **columns: list[str]) -> dict[str, Any]:
    return {"trainingDataConfig": {member: columns}}


def test_training_columns_must_exist_and_be_excludable(personalize):
    group = make_group_with_datasets(personalize)["datasetGroupArn"]

    def refused(solution_config: dict[str, Any], **request: Any) -> str:
        request = {"recipeArn": SIMS, **request}
        return expect_error(
            personalize,
            "CreateSolution",
            "InvalidInputException",
            INVALID,
            name="s",
            datasetGroupArn=group,
            solutionConfig=solution_config,
            **request,
        )

    message = refused(config(Items=["GENRE", "COLOUR"]))
    assert "excludedDatasetColumns.Items" in message and "'COLOUR'" in message
    assert "'NOPE'" in refused(config("includedDatasetColumns", Users=["NOPE"]))
    assert "no Actions dataset" in refused(config(Actions=["VALUE"]))
    assert "no Shoes dataset" in refused(config(Shoes=["X"]))
    assert "'ITEM_ID' is required" in refused(config(Interactions=["ITEM_ID"]))
    message = refused(config(Interactions=["EVENT_TYPE"]), eventType="click")
    assert "'EVENT_TYPE'" in message and "eventType filters" in message
    events = {"eventParametersList": [{"eventType": "click", "weight": 1.0}]}
    message = refused(
        {**config(Interactions=["EVENT_TYPE"]), "eventsConfig": events}, recipeArn=UP_V2
    )
    assert "'EVENT_TYPE'" in message and "eventsConfig" in message
    assert call(personalize, "ListSolutions")["solutions"] == []


def test_training_columns_are_accepted_and_echoed(personalize):
    group = make_group_with_datasets(personalize)["datasetGroupArn"]
    solution_config = {
        "trainingDataConfig": {
            "excludedDatasetColumns": {"Items": ["GENRE"], "INTERACTIONS": ["EVENT_TYPE"]},
            "includedDatasetColumns": {"Users": ["USER_ID", "AGE"]},
        }
    }
    arn = call(
        personalize,
        "CreateSolution",
        name="s",
        datasetGroupArn=group,
        recipeArn=SIMS,
        solutionConfig=solution_config,
    )["solutionArn"]
    solution = call(personalize, "DescribeSolution", solutionArn=arn)["solution"]
    assert solution["solutionConfig"]["trainingDataConfig"] == solution_config["trainingDataConfig"]


def test_update_cannot_filter_on_an_excluded_column(personalize):
    group = make_group_with_datasets(personalize)["datasetGroupArn"]
    arn = call(
        personalize,
        "CreateSolution",
        name="v2",
        datasetGroupArn=group,
        recipeArn=UP_V2,
        solutionConfig=config(Interactions=["EVENT_TYPE"]),
    )["solutionArn"]
    events = {"eventParametersList": [{"eventType": "click", "weight": 1.0}]}
    message = expect_error(
        personalize,
        "UpdateSolution",
        "InvalidInputException",
        INVALID,
        solutionArn=arn,
        solutionUpdateConfig={"eventsConfig": events},
    )
    assert "'EVENT_TYPE' cannot be excluded" in message
    solution = call(personalize, "DescribeSolution", solutionArn=arn)["solution"]
    assert "eventsConfig" not in solution["solutionConfig"]
