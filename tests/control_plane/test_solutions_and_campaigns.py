"""Solutions, solution versions and campaigns: through real gRPC and, where a trained (ACTIVE)
version is needed, directly against the store on each backend with no trainer running."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any

import grpc
import pytest

from control_plane import campaigns, dataset_groups, solution_versions, solutions
from control_plane.context import ControlPlane
from domain.arns import ArnFactory
from domain.errors import (
    InvalidInputException,
    LimitExceededException,
    ResourceAlreadyExistsException,
    ResourceInUseException,
    ResourceNotFoundException,
)
from domain.resources import (
    ACTIVE,
    CREATE_FAILED,
    CREATE_IN_PROGRESS,
    CREATE_PENDING,
    CREATE_STOPPED,
    CREATE_STOPPING,
    Resource,
)
from storage.metadata.store import open_metadata_store
from tests.control_plane.aws_calls import call, expect_error
from tests.control_plane.fixtures_data import make_group_with_datasets
from trainer.worker import Worker

NOT_FOUND = grpc.StatusCode.NOT_FOUND
INVALID = grpc.StatusCode.INVALID_ARGUMENT
EXISTS = grpc.StatusCode.ALREADY_EXISTS
IN_USE = grpc.StatusCode.FAILED_PRECONDITION
LIMIT = grpc.StatusCode.RESOURCE_EXHAUSTED
ACCOUNT_PREFIX = "arn:aws:personalize:us-east-1:000000000000:"
USER_PERSONALIZATION = "arn:aws:personalize:::recipe/aws-user-personalization"
UP_V2 = "arn:aws:personalize:::recipe/aws-user-personalization-v2"
SIMS = "arn:aws:personalize:::recipe/aws-sims"
SEMANTIC = "arn:aws:personalize:::recipe/aws-semantic-similarity"
TRENDING = "arn:aws:personalize:::recipe/aws-trending-now"
EVENTS_CONFIG = {"eventParametersList": [{"eventType": "click", "weight": 0.5}]}


def wait_for_status(stub: Any, arn: str, status: str, seconds: float = 10.0) -> dict[str, Any]:
    """Poll DescribeSolutionVersion until it reports ``status``."""
    deadline = time.monotonic() + seconds
    while True:
        version = call(stub, "DescribeSolutionVersion", solutionVersionArn=arn)["solutionVersion"]
        if version["status"] == status or time.monotonic() > deadline:
            return version
        time.sleep(0.05)


# --- through gRPC, with the in-process trainer worker running -------------------------------


def test_solution_lifecycle(personalize):
    arns = make_group_with_datasets(personalize)
    group = arns["datasetGroupArn"]
    config = {"algorithmHyperParameters": {"hidden_dimension": "64"}, "eventValueThreshold": "0.5"}
    created = call(
        personalize,
        "CreateSolution",
        name="picks",
        datasetGroupArn=group,
        recipeArn=USER_PERSONALIZATION,
        eventType="click",
        solutionConfig=config,
        tags=[{"tagKey": "team", "tagValue": "growth"}],
    )
    arn = created["solutionArn"]
    assert arn == ACCOUNT_PREFIX + "solution/picks"
    solution = call(personalize, "DescribeSolution", solutionArn=arn)["solution"]
    assert solution["status"] == "ACTIVE"
    assert solution["performAutoTraining"] is True
    assert solution["performHPO"] is False
    assert solution["performAutoML"] is False
    assert solution["performIncrementalUpdate"] is False
    assert solution["recipeArn"] == USER_PERSONALIZATION
    assert solution["datasetGroupArn"] == group
    assert solution["eventType"] == "click"
    assert solution["solutionConfig"]["algorithmHyperParameters"] == {"hidden_dimension": "64"}
    assert solution["solutionConfig"]["eventValueThreshold"] == "0.5"
    assert "latestSolutionVersion" not in solution
    assert call(personalize, "ListTagsForResource", resourceArn=arn)["tags"] == [
        {"tagKey": "team", "tagValue": "growth"}
    ]
    listed = call(personalize, "ListSolutions", datasetGroupArn=group)["solutions"]
    assert [(s["solutionArn"], s["recipeArn"], s["status"]) for s in listed] == [
        (arn, USER_PERSONALIZATION, "ACTIVE")
    ]
    other = call(personalize, "CreateDatasetGroup", name="other")["datasetGroupArn"]
    assert call(personalize, "ListSolutions", datasetGroupArn=other)["solutions"] == []
    message = expect_error(
        personalize,
        "CreateSolution",
        "ResourceAlreadyExistsException",
        EXISTS,
        name="picks",
        datasetGroupArn=other,
        recipeArn=SIMS,
    )
    assert "picks" in message
    expect_error(
        personalize, "DeleteDatasetGroup", "ResourceInUseException", IN_USE, datasetGroupArn=group
    )
    call(personalize, "DeleteSolution", solutionArn=arn)
    expect_error(
        personalize, "DescribeSolution", "ResourceNotFoundException", NOT_FOUND, solutionArn=arn
    )
    expect_error(
        personalize, "DeleteSolution", "ResourceNotFoundException", NOT_FOUND, solutionArn=arn
    )


def test_create_solution_refusals(personalize):
    group = call(personalize, "CreateDatasetGroup", name="shop")["datasetGroupArn"]

    def refused(aws_name: str, code: grpc.StatusCode, **request: Any) -> str:
        request = {"name": "s", "datasetGroupArn": group, **request}
        return expect_error(personalize, "CreateSolution", aws_name, code, **request)

    refused("ResourceNotFoundException", NOT_FOUND, datasetGroupArn=group + "x", recipeArn=SIMS)
    assert "aws-nope" in refused(
        "ResourceNotFoundException", NOT_FOUND, recipeArn="arn:aws:personalize:::recipe/aws-nope"
    )
    assert "no longer available" in refused(
        "InvalidInputException", INVALID, recipeArn="arn:aws:personalize:::recipe/aws-hrnn"
    )
    assert "CreateRecommender" in refused(
        "InvalidInputException",
        INVALID,
        recipeArn="arn:aws:personalize:::recipe/aws-ecomm-recommended-for-you",
    )
    assert "AutoML" in refused("InvalidInputException", INVALID, performAutoML=True)
    assert "mutually exclusive" in refused(
        "InvalidInputException", INVALID, performAutoML=True, recipeArn=SIMS
    )
    assert "recipeArn" in refused("InvalidInputException", INVALID)
    assert "eventsConfig" in refused(
        "InvalidInputException",
        INVALID,
        recipeArn=USER_PERSONALIZATION,
        solutionConfig={"eventsConfig": EVENTS_CONFIG},
    )
    assert "aws-semantic-similarity" in refused(
        "InvalidInputException", INVALID, recipeArn=SIMS, performIncrementalUpdate=True
    )
    assert "bptt" in refused(
        "InvalidInputException",
        INVALID,
        recipeArn=USER_PERSONALIZATION,
        solutionConfig={"algorithmHyperParameters": {"bptt": "64"}},
    )
    assert "min_cointensity" in refused(
        "InvalidInputException",
        INVALID,
        recipeArn=SIMS,
        solutionConfig={"algorithmHyperParameters": {"min_cointensity": "3"}},
    )
    hpo_ranges = {"integerHyperParameterRanges": [{"name": "bptt", "minValue": 1, "maxValue": 8}]}
    assert "bptt" in refused(
        "InvalidInputException",
        INVALID,
        recipeArn=USER_PERSONALIZATION,
        performHPO=True,
        solutionConfig={"hpoConfig": {"algorithmHyperParameterRanges": hpo_ranges}},
    )
    assert "maxParallelTrainingJobs" in refused(
        "InvalidInputException",
        INVALID,
        recipeArn=USER_PERSONALIZATION,
        performHPO=True,
        solutionConfig={"hpoConfig": {"hpoResourceConfig": {"maxParallelTrainingJobs": "11"}}},
    )
    assert "tunable" in refused(
        "InvalidInputException", INVALID, recipeArn=TRENDING, performHPO=True
    )
    assert "rate(31 days)" in refused(
        "InvalidInputException",
        INVALID,
        recipeArn=SIMS,
        solutionConfig={"autoTrainingConfig": {"schedulingExpression": "rate(31 days)"}},
    )
    assert "eventValueThreshold" in refused(
        "InvalidInputException",
        INVALID,
        recipeArn=SIMS,
        solutionConfig={"eventValueThreshold": "high"},
    )
    assert call(personalize, "ListSolutions")["solutions"] == []


def test_create_solution_recipe_options_accepted(personalize):
    group = call(personalize, "CreateDatasetGroup", name="shop")["datasetGroupArn"]
    v2 = call(
        personalize,
        "CreateSolution",
        name="v2",
        datasetGroupArn=group,
        recipeArn=UP_V2,
        performAutoTraining=False,
        solutionConfig={"eventsConfig": EVENTS_CONFIG},
    )["solutionArn"]
    solution = call(personalize, "DescribeSolution", solutionArn=v2)["solution"]
    assert solution["performAutoTraining"] is False
    assert solution["solutionConfig"]["eventsConfig"] == EVENTS_CONFIG
    semantic = call(
        personalize,
        "CreateSolution",
        name="sem",
        datasetGroupArn=group,
        recipeArn=SEMANTIC,
        performIncrementalUpdate=True,
    )["solutionArn"]
    described = call(personalize, "DescribeSolution", solutionArn=semantic)["solution"]
    assert described["performIncrementalUpdate"] is True
    hpo = {
        "hpoResourceConfig": {"maxNumberOfTrainingJobs": "40", "maxParallelTrainingJobs": "10"},
        "algorithmHyperParameterRanges": {
            "integerHyperParameterRanges": [
                {"name": "training.bptt", "minValue": 2, "maxValue": 16}
            ],
        },
    }
    tuned = call(
        personalize,
        "CreateSolution",
        name="tuned",
        datasetGroupArn=group,
        recipeArn=USER_PERSONALIZATION,
        performHPO=True,
        solutionConfig={"hpoConfig": hpo},
    )["solutionArn"]
    assert call(personalize, "DescribeSolution", solutionArn=tuned)["solution"]["performHPO"]


def test_list_solutions_pages_and_quota(personalize):
    group = call(personalize, "CreateDatasetGroup", name="shop")["datasetGroupArn"]
    for index in range(10):
        call(personalize, "CreateSolution", name=f"s{index}", datasetGroupArn=group, recipeArn=SIMS)
    message = expect_error(
        personalize,
        "CreateSolution",
        "LimitExceededException",
        LIMIT,
        name="s10",
        datasetGroupArn=group,
        recipeArn=SIMS,
    )
    assert "10 solutions" in message
    seen: list[str] = []
    request: dict[str, Any] = {"datasetGroupArn": group, "maxResults": 4}
    pages = 0
    while True:
        page = call(personalize, "ListSolutions", **request)
        pages += 1
        assert all(s["recipeArn"] == SIMS for s in page["solutions"])
        seen += [s["name"] for s in page["solutions"]]
        if not page.get("nextToken"):
            break
        request["nextToken"] = page["nextToken"]
    assert pages == 3
    assert seen == [f"s{index}" for index in range(9, -1, -1)]
    expect_error(personalize, "ListSolutions", "InvalidNextTokenException", INVALID, nextToken="x")


def test_update_solution(personalize):
    group = call(personalize, "CreateDatasetGroup", name="shop")["datasetGroupArn"]
    arn = call(
        personalize,
        "CreateSolution",
        name="up",
        datasetGroupArn=group,
        recipeArn=USER_PERSONALIZATION,
        solutionConfig={"algorithmHyperParameters": {"bptt": "16"}},
    )["solutionArn"]
    schedule = {"schedulingExpression": "rate(3 days)"}
    call(
        personalize,
        "UpdateSolution",
        solutionArn=arn,
        performAutoTraining=False,
        solutionUpdateConfig={"autoTrainingConfig": schedule},
    )
    solution = call(personalize, "DescribeSolution", solutionArn=arn)["solution"]
    assert solution["performAutoTraining"] is False
    assert solution["solutionConfig"]["autoTrainingConfig"] == schedule
    assert solution["solutionConfig"]["algorithmHyperParameters"] == {"bptt": "16"}
    update = solution["latestSolutionUpdate"]
    assert update["status"] == "ACTIVE"
    assert update["performAutoTraining"] is False
    assert update["solutionUpdateConfig"]["autoTrainingConfig"] == schedule
    assert update["creationDateTime"] >= solution["creationDateTime"]
    assert "eventsConfig" in expect_error(
        personalize,
        "UpdateSolution",
        "InvalidInputException",
        INVALID,
        solutionArn=arn,
        solutionUpdateConfig={"eventsConfig": EVENTS_CONFIG},
    )
    expect_error(
        personalize,
        "UpdateSolution",
        "InvalidInputException",
        INVALID,
        solutionArn=arn,
        performIncrementalUpdate=True,
    )
    expect_error(
        personalize,
        "UpdateSolution",
        "InvalidInputException",
        INVALID,
        solutionArn=arn,
        solutionUpdateConfig={"autoTrainingConfig": {"schedulingExpression": "rate(0 days)"}},
    )
    expect_error(
        personalize,
        "UpdateSolution",
        "ResourceNotFoundException",
        NOT_FOUND,
        solutionArn=arn + "x",
        performAutoTraining=True,
    )
    v2 = call(personalize, "CreateSolution", name="v2", datasetGroupArn=group, recipeArn=UP_V2)[
        "solutionArn"
    ]
    call(
        personalize,
        "UpdateSolution",
        solutionArn=v2,
        solutionUpdateConfig={"eventsConfig": EVENTS_CONFIG},
    )
    solution = call(personalize, "DescribeSolution", solutionArn=v2)["solution"]
    assert solution["solutionConfig"]["eventsConfig"] == EVENTS_CONFIG
    assert solution["performAutoTraining"] is True


def test_solution_version_fails_without_interactions(personalize):
    group = call(personalize, "CreateDatasetGroup", name="shop")["datasetGroupArn"]
    config = {"algorithmHyperParameters": {"bptt": "16"}}
    solution = call(
        personalize,
        "CreateSolution",
        name="up",
        datasetGroupArn=group,
        recipeArn=USER_PERSONALIZATION,
        solutionConfig=config,
    )["solutionArn"]
    arn = call(personalize, "CreateSolutionVersion", solutionArn=solution, name="first")[
        "solutionVersionArn"
    ]
    assert re.fullmatch(re.escape(ACCOUNT_PREFIX) + r"solution/up/[0-9a-f]{8}", arn)
    first = call(personalize, "DescribeSolutionVersion", solutionVersionArn=arn)["solutionVersion"]
    # The worker polls every 0.05 s, so it may already have failed the version.
    assert first["status"] in (CREATE_PENDING, CREATE_IN_PROGRESS, CREATE_FAILED)
    version = wait_for_status(personalize, arn, CREATE_FAILED)
    assert version["status"] == CREATE_FAILED
    assert "has no Interactions dataset" in version["failureReason"]
    assert version["name"] == "first"
    assert version["solutionArn"] == solution
    assert version["trainingMode"] == "FULL"
    assert version["trainingType"] == "MANUAL"
    assert version["recipeArn"] == USER_PERSONALIZATION
    assert version["datasetGroupArn"] == group
    assert version["solutionConfig"]["algorithmHyperParameters"] == {"bptt": "16"}
    latest = call(personalize, "DescribeSolution", solutionArn=solution)["solution"][
        "latestSolutionVersion"
    ]
    assert latest["solutionVersionArn"] == arn
    assert latest["status"] == CREATE_FAILED
    assert "has no Interactions dataset" in latest["failureReason"]
    listed = call(personalize, "ListSolutionVersions", solutionArn=solution)["solutionVersions"]
    assert [(v["solutionVersionArn"], v["status"], v["trainingMode"]) for v in listed] == [
        (arn, CREATE_FAILED, "FULL")
    ]
    assert "CREATE FAILED" in expect_error(
        personalize, "GetSolutionMetrics", "ResourceInUseException", IN_USE, solutionVersionArn=arn
    )
    expect_error(
        personalize,
        "StopSolutionVersionCreation",
        "ResourceInUseException",
        IN_USE,
        solutionVersionArn=arn,
    )
    expect_error(
        personalize,
        "CreateCampaign",
        "ResourceInUseException",
        IN_USE,
        name="web",
        solutionVersionArn=arn,
    )
    call(personalize, "DeleteSolution", solutionArn=solution)
    expect_error(
        personalize,
        "DescribeSolutionVersion",
        "ResourceNotFoundException",
        NOT_FOUND,
        solutionVersionArn=arn,
    )


def test_solution_version_refusals(personalize):
    group = call(personalize, "CreateDatasetGroup", name="shop")["datasetGroupArn"]
    sims = call(personalize, "CreateSolution", name="sims", datasetGroupArn=group, recipeArn=SIMS)[
        "solutionArn"
    ]
    up = call(
        personalize,
        "CreateSolution",
        name="up",
        datasetGroupArn=group,
        recipeArn=USER_PERSONALIZATION,
    )["solutionArn"]
    expect_error(
        personalize,
        "CreateSolutionVersion",
        "ResourceNotFoundException",
        NOT_FOUND,
        solutionArn=sims + "x",
    )
    assert "aws-sims" in expect_error(
        personalize,
        "CreateSolutionVersion",
        "InvalidInputException",
        INVALID,
        solutionArn=sims,
        trainingMode="UPDATE",
    )
    assert "FULL" in expect_error(
        personalize,
        "CreateSolutionVersion",
        "InvalidInputException",
        INVALID,
        solutionArn=up,
        trainingMode="UPDATE",
    )
    expect_error(
        personalize,
        "CreateSolutionVersion",
        "InvalidInputException",
        INVALID,
        solutionArn=up,
        trainingMode="AUTOTRAIN",
    )
    call(personalize, "CreateSolutionVersion", solutionArn=up, name="v1")
    expect_error(
        personalize,
        "CreateSolutionVersion",
        "ResourceAlreadyExistsException",
        EXISTS,
        solutionArn=up,
        name="v1",
    )
    call(personalize, "CreateSolutionVersion", solutionArn=sims, name="v1")
    assert len(call(personalize, "ListSolutionVersions")["solutionVersions"]) == 2
    expect_error(
        personalize,
        "ListSolutionVersions",
        "ResourceNotFoundException",
        NOT_FOUND,
        solutionArn=up + "x",
    )
    for operation in ("DescribeSolutionVersion", "GetSolutionMetrics"):
        expect_error(
            personalize,
            operation,
            "ResourceNotFoundException",
            NOT_FOUND,
            solutionVersionArn=up + "/0000000",
        )


def test_campaign_needs_an_active_version(personalize):
    group = call(personalize, "CreateDatasetGroup", name="shop")["datasetGroupArn"]
    solution = call(
        personalize,
        "CreateSolution",
        name="up",
        datasetGroupArn=group,
        recipeArn=USER_PERSONALIZATION,
    )["solutionArn"]
    version = call(personalize, "CreateSolutionVersion", solutionArn=solution)["solutionVersionArn"]
    expect_error(
        personalize,
        "CreateCampaign",
        "ResourceNotFoundException",
        NOT_FOUND,
        name="web",
        solutionVersionArn=solution + "/deadbeef",
    )
    expect_error(
        personalize,
        "CreateCampaign",
        "ResourceInUseException",
        IN_USE,
        name="web",
        solutionVersionArn=version,
    )
    assert "no ACTIVE" in expect_error(
        personalize,
        "CreateCampaign",
        "ResourceInUseException",
        IN_USE,
        name="web",
        solutionVersionArn=solution + "/$LATEST",
    )
    expect_error(
        personalize,
        "CreateCampaign",
        "ResourceNotFoundException",
        NOT_FOUND,
        name="web",
        solutionVersionArn=solution + "x/$LATEST",
    )
    for operation in ("DescribeCampaign", "UpdateCampaign", "DeleteCampaign"):
        expect_error(
            personalize,
            operation,
            "ResourceNotFoundException",
            NOT_FOUND,
            campaignArn=ACCOUNT_PREFIX + "campaign/web",
        )
    assert call(personalize, "ListCampaigns", solutionArn=solution)["campaigns"] == []


# --- against the store, no trainer running ----------------------------------------------------


@pytest.fixture
def cp(metadata_url: str) -> Iterator[ControlPlane]:
    """The control plane over a fresh store; no worker claims the queued jobs."""
    store = open_metadata_store(metadata_url)
    yield ControlPlane(store=store, arns=ArnFactory("us-east-1", "000000000000"))
    store.close()


def new_solution(cp: ControlPlane, name: str = "up", recipe: str = USER_PERSONALIZATION) -> str:
    group_arn = ACCOUNT_PREFIX + "dataset-group/shop"
    if cp.store.get_resource(group_arn) is None:
        dataset_groups.create_dataset_group(cp, {"name": "shop"})
    request = {"name": name, "datasetGroupArn": group_arn, "recipeArn": recipe}
    return solutions.create_solution(cp, request)["solutionArn"]


def new_version(cp: ControlPlane, solution: str, **request: Any) -> str:
    request = {"solutionArn": solution, **request}
    return solution_versions.create_solution_version(cp, request)["solutionVersionArn"]


def trained(cp: ControlPlane, solution: str, metrics: dict[str, float] | None = None) -> str:
    """A new version of ``solution`` marked ACTIVE.

    Setting the status here stands in for the trainer until training lands in a later issue.
    """
    arn = new_version(cp, solution)
    changes = {"trainingHours": 0.25, "metrics": metrics or {"coverage": 0.5}}
    cp.store.update_resource(arn, status=ACTIVE, changes=changes)
    return arn


def describe_version(cp: ControlPlane, arn: str) -> dict[str, Any]:
    request = {"solutionVersionArn": arn}
    return solution_versions.describe_solution_version(cp, request)["solutionVersion"]


def describe_campaign(cp: ControlPlane, arn: str) -> dict[str, Any]:
    return campaigns.describe_campaign(cp, {"campaignArn": arn})["campaign"]


def test_create_solution_needs_active_group(cp):
    group = ACCOUNT_PREFIX + "dataset-group/busy"
    cp.store.create_resource(
        Resource(arn=group, kind="dataset-group", name="busy", status=CREATE_PENDING)
    )
    with pytest.raises(ResourceInUseException, match="must be ACTIVE"):
        solutions.create_solution(cp, {"name": "s", "datasetGroupArn": group, "recipeArn": SIMS})


def test_version_is_pending_with_its_job_queued_and_stops(cp):
    solution = new_solution(cp)
    arn = new_version(cp, solution)
    version = describe_version(cp, arn)
    assert version["status"] == CREATE_PENDING
    assert "failureReason" not in version
    job = cp.store.claim_job("test", kinds=["solution-version"])
    assert job is not None
    assert (job.resource_arn, job.payload["trainingMode"]) == (arn, "FULL")
    assert job.payload["solutionArn"] == solution
    cp.store.finish_job(job.job_id)
    with pytest.raises(ResourceInUseException, match=re.escape(arn)):
        solutions.delete_solution(cp, {"solutionArn": solution})
    solution_versions.stop_solution_version_creation(cp, {"solutionVersionArn": arn})
    assert describe_version(cp, arn)["status"] == CREATE_STOPPED
    with pytest.raises(ResourceInUseException, match="CREATE STOPPED"):
        solution_versions.stop_solution_version_creation(cp, {"solutionVersionArn": arn})

    # A version the trainer has claimed goes CREATE STOPPING and still blocks DeleteSolution.
    running = new_version(cp, solution)
    cp.store.update_resource(running, status=CREATE_IN_PROGRESS)
    solution_versions.stop_solution_version_creation(cp, {"solutionVersionArn": running})
    assert describe_version(cp, running)["status"] == CREATE_STOPPING
    with pytest.raises(ResourceInUseException, match=re.escape(running)):
        solutions.delete_solution(cp, {"solutionArn": solution})
    cp.store.update_resource(running, status=CREATE_STOPPED)
    solutions.delete_solution(cp, {"solutionArn": solution})
    assert cp.store.get_resource(arn) is None
    assert cp.store.get_resource(running) is None


def test_worker_leaves_a_stopped_version_stopped(cp):
    arn = new_version(cp, new_solution(cp))
    solution_versions.stop_solution_version_creation(cp, {"solutionVersionArn": arn})
    assert Worker(cp.store).run_once()
    version = describe_version(cp, arn)
    assert version["status"] == CREATE_STOPPED
    assert "failureReason" not in version


class ClaimsBeforeStop:
    """A store whose first compare-and-set from CREATE PENDING loses to a trainer claim."""

    def __init__(self, store: Any) -> None:
        self._store = store
        self.raced = False

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def update_resource(self, arn: str, **changes: Any) -> Resource:
        if not self.raced and changes.get("expected_statuses") == [CREATE_PENDING]:
            self.raced = True
            self._store.update_resource(arn, status=CREATE_IN_PROGRESS)
        return self._store.update_resource(arn, **changes)


def test_stop_rereads_a_version_claimed_meanwhile(cp):
    arn = new_version(cp, new_solution(cp))
    racing = ControlPlane(store=ClaimsBeforeStop(cp.store), arns=cp.arns)  # type: ignore[arg-type]
    solution_versions.stop_solution_version_creation(racing, {"solutionVersionArn": arn})
    assert racing.store.raced
    assert describe_version(cp, arn)["status"] == CREATE_STOPPING


def test_metrics_and_update_training_mode(cp):
    solution = new_solution(cp)
    full = trained(cp, solution, {"coverage": 0.4, "precision_at_25": 0.1})
    metrics = solution_versions.get_solution_metrics(cp, {"solutionVersionArn": full})
    assert metrics == {
        "solutionVersionArn": full,
        "metrics": {"coverage": 0.4, "precision_at_25": 0.1},
    }
    assert "metrics" not in describe_version(cp, full)
    while cp.store.claim_job("test") is not None:
        pass
    update = new_version(cp, solution, trainingMode="UPDATE")
    assert describe_version(cp, update)["trainingMode"] == "UPDATE"
    job = cp.store.claim_job("test")
    assert job is not None and job.kind == "solution-version"
    assert job.payload["baseSolutionVersionArn"] == full
    with pytest.raises(ResourceInUseException, match="CREATE PENDING"):
        solution_versions.get_solution_metrics(cp, {"solutionVersionArn": update})
    # An ACTIVE UPDATE version does not count as a FULL base for another UPDATE.
    other = new_solution(cp, "other")
    partial = new_version(cp, other)
    cp.store.update_resource(partial, status=ACTIVE, changes={"trainingMode": "UPDATE"})
    with pytest.raises(InvalidInputException, match="FULL"):
        new_version(cp, other, trainingMode="UPDATE")


def test_pending_versions_quota(cp):
    solution = new_solution(cp)
    versions = [new_version(cp, solution) for _ in range(20)]
    with pytest.raises(LimitExceededException):
        new_version(cp, solution)
    cp.store.update_resource(versions[0], status=CREATE_FAILED)
    new_version(cp, solution)
    page = solution_versions.list_solution_versions(cp, {"solutionArn": solution, "maxResults": 15})
    assert len(page["solutionVersions"]) == 15 and page["nextToken"]


def test_delete_solution_refused_while_a_batch_job_reads_a_version(cp):
    solution = new_solution(cp)
    version = trained(cp, solution)
    job = ACCOUNT_PREFIX + "batch-inference-job/nightly"
    cp.store.create_resource(
        Resource(arn=job, kind="batch-inference-job", name="nightly", status=CREATE_IN_PROGRESS),
        links=[version],
    )
    with pytest.raises(ResourceInUseException, match=re.escape(job)):
        solutions.delete_solution(cp, {"solutionArn": solution})
    cp.store.update_resource(job, status=ACTIVE)
    solutions.delete_solution(cp, {"solutionArn": solution})


def test_campaign_lifecycle(cp):
    solution = new_solution(cp)
    first = trained(cp, solution)
    config = {
        "itemExplorationConfig": {"explorationWeight": "0.3", "explorationItemAgeCutOff": "30"},
        "enableMetadataWithRecommendations": True,
    }
    request = {"name": "web", "solutionVersionArn": first, "campaignConfig": config}
    arn = campaigns.create_campaign(cp, request)["campaignArn"]
    assert arn == ACCOUNT_PREFIX + "campaign/web"
    campaign = describe_campaign(cp, arn)
    assert campaign["status"] == CREATE_PENDING
    assert campaign["solutionVersionArn"] == first
    assert campaign["minProvisionedTPS"] == 1
    assert campaign["campaignConfig"] == config
    assert "latestCampaignUpdate" not in campaign
    assert [c.arn for c in cp.store.find_resources(["campaign"], linked_to=first)] == [arn]
    with pytest.raises(ResourceAlreadyExistsException):
        campaigns.create_campaign(cp, request)
    listed = campaigns.list_campaigns(cp, {"solutionArn": solution})["campaigns"]
    assert [(c["campaignArn"], c["status"]) for c in listed] == [(arn, CREATE_PENDING)]
    other = new_solution(cp, "other", SIMS)
    assert campaigns.list_campaigns(cp, {"solutionArn": other})["campaigns"] == []
    with pytest.raises(ResourceInUseException, match=re.escape(arn)):
        solutions.delete_solution(cp, {"solutionArn": solution})
    with pytest.raises(ResourceInUseException, match="CREATE PENDING"):
        campaigns.update_campaign(cp, {"campaignArn": arn, "minProvisionedTPS": 2})

    # Marking the campaign ACTIVE stands in for the runtime replica of a later issue.
    cp.store.update_resource(arn, status=ACTIVE)
    second = trained(cp, solution)
    campaigns.update_campaign(
        cp, {"campaignArn": arn, "solutionVersionArn": second, "minProvisionedTPS": 5}
    )
    campaign = describe_campaign(cp, arn)
    assert campaign["status"] == ACTIVE
    assert campaign["solutionVersionArn"] == first
    assert campaign["minProvisionedTPS"] == 1
    update = campaign["latestCampaignUpdate"]
    assert update["status"] == CREATE_PENDING
    assert update["solutionVersionArn"] == second
    assert update["minProvisionedTPS"] == 5
    assert update["campaignConfig"] == config
    # The old deployment serves until the update completes, so both versions are in use.
    for version in (first, second):
        assert [c.arn for c in cp.store.find_resources(["campaign"], linked_to=version)] == [arn]
    with pytest.raises(ResourceInUseException, match="in progress"):
        campaigns.update_campaign(cp, {"campaignArn": arn, "minProvisionedTPS": 3})
    campaigns.delete_campaign(cp, {"campaignArn": arn})
    with pytest.raises(ResourceNotFoundException):
        campaigns.describe_campaign(cp, {"campaignArn": arn})
    solutions.delete_solution(cp, {"solutionArn": solution})
    assert cp.store.get_resource(first) is None


def test_undeployed_campaign_can_be_deleted_and_frees_its_solution(cp):
    solution = new_solution(cp)
    version = trained(cp, solution)
    arn = campaigns.create_campaign(cp, {"name": "web", "solutionVersionArn": version})[
        "campaignArn"
    ]
    assert describe_campaign(cp, arn)["status"] == CREATE_PENDING
    with pytest.raises(ResourceInUseException, match=re.escape(arn)):
        solutions.delete_solution(cp, {"solutionArn": solution})
    campaigns.delete_campaign(cp, {"campaignArn": arn})
    with pytest.raises(ResourceNotFoundException):
        campaigns.describe_campaign(cp, {"campaignArn": arn})
    solutions.delete_solution(cp, {"solutionArn": solution})
    assert cp.store.get_resource(version) is None


def test_campaign_config_and_latest_alias(cp):
    solution = new_solution(cp)
    older = trained(cp, solution)
    newest = trained(cp, solution)
    new_version(cp, solution)  # still pending: $LATEST skips it

    def refused(config: dict[str, Any], version: str = older) -> str:
        request = {"name": "web", "solutionVersionArn": version, "campaignConfig": config}
        with pytest.raises(InvalidInputException) as caught:
            campaigns.create_campaign(cp, request)
        return caught.value.message

    assert "explorationWeight" in refused({"itemExplorationConfig": {"explorationWeight": "1.5"}})
    assert "explorationItemAgeCutOff" in refused(
        {"itemExplorationConfig": {"explorationItemAgeCutOff": "0"}}
    )
    assert "not a number" in refused({"itemExplorationConfig": {"explorationWeight": "lots"}})
    assert "unknown key" in refused({"itemExplorationConfig": {"exploration_weight": "0.1"}})
    assert "$LATEST" in refused({"syncWithLatestSolutionVersion": True})
    latest = {"syncWithLatestSolutionVersion": True}
    request = {"name": "web", "solutionVersionArn": solution + "/$LATEST", "campaignConfig": latest}
    arn = campaigns.create_campaign(cp, request)["campaignArn"]
    assert describe_campaign(cp, arn)["solutionVersionArn"] == newest
    cp.store.update_resource(arn, status=ACTIVE)
    with pytest.raises(InvalidInputException, match="at least one"):
        campaigns.update_campaign(cp, {"campaignArn": arn})
    foreign = trained(cp, new_solution(cp, "other", SIMS))
    with pytest.raises(InvalidInputException, match="not a version of"):
        campaigns.update_campaign(cp, {"campaignArn": arn, "solutionVersionArn": foreign})
    with pytest.raises(ResourceInUseException):
        pending = new_version(cp, solution)
        campaigns.update_campaign(cp, {"campaignArn": arn, "solutionVersionArn": pending})
    with pytest.raises(InvalidInputException, match="LATEST"):
        campaigns.update_campaign(
            cp, {"campaignArn": arn, "solutionVersionArn": older, "campaignConfig": latest}
        )
    # The campaign already follows $LATEST, so a config-only update may keep syncing.
    campaigns.update_campaign(cp, {"campaignArn": arn, "campaignConfig": latest})
    assert describe_campaign(cp, arn)["latestCampaignUpdate"]["solutionVersionArn"] == newest


def test_campaigns_per_group_quota(cp):
    version = trained(cp, new_solution(cp))
    for index in range(5):
        campaigns.create_campaign(cp, {"name": f"c{index}", "solutionVersionArn": version})
    with pytest.raises(LimitExceededException, match="5 campaigns"):
        campaigns.create_campaign(cp, {"name": "c5", "solutionVersionArn": version})
