"""Import/export/deletion jobs, batch jobs, recommenders and metric attributions, on each backend.

Most tests go through the real gRPC server (whose trainer worker runs the jobs it has handlers
for). Where a test needs a status the worker cannot produce yet
(an ACTIVE solution version or recommender) or must look before the worker claims a job, it works
on the store directly: with the module functions (``cp`` fixture), or with a second store on the
server's own database.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import grpc
import pytest
from google.protobuf import json_format

from control_plane import (
    batch_jobs,
    data_jobs,
    dataset_groups,
    datasets,
    filters,
    metric_attributions,
    recommenders,
    schemas,
    solution_versions,
    solutions,
)
from control_plane.context import ControlPlane
from domain.arns import ArnFactory
from domain.errors import (
    InvalidInputException,
    LimitExceededException,
    ResourceInUseException,
    ResourceNotFoundException,
)
from domain.resources import ACTIVE
from storage.metadata.store import SqlMetadataStore, open_metadata_store
from tailor_api.v1 import personalize_pb2
from tests.control_plane.aws_calls import call, expect_error
from tests.control_plane.fixtures_data import (
    INTERACTIONS_SCHEMA,
    ITEMS_SCHEMA,
    make_group_with_datasets,
)
from trainer.worker import NO_HANDLER, Worker

NOT_FOUND = grpc.StatusCode.NOT_FOUND
INVALID = grpc.StatusCode.INVALID_ARGUMENT
EXISTS = grpc.StatusCode.ALREADY_EXISTS
IN_USE = grpc.StatusCode.FAILED_PRECONDITION
LIMIT = grpc.StatusCode.RESOURCE_EXHAUSTED

ROLE = "arn:aws:iam::000000000000:role/personalize"
# A local location that does not exist: import jobs the server runs fail at once, offline.
DATA = {"dataLocation": "file:///nonexistent/tailor-tests/interactions.csv"}
PREFIX = "arn:aws:personalize:us-east-1:000000000000"
RECIPE = "arn:aws:personalize:::recipe/"
BATCH_IO = {
    "jobInput": {"s3DataSource": {"path": "s3://bucket/in.json"}},
    "jobOutput": {"s3DataDestination": {"path": "s3://bucket/out/"}},
    "roleArn": ROLE,
}
OUTPUT_CONFIG = {"roleArn": ROLE, "s3DataDestination": {"path": "s3://bucket/metrics/"}}
REVENUE = {"eventType": "purchase", "metricName": "revenue", "expression": "SUM(Items.PRICE)"}
CLICKS = {"eventType": "click", "metricName": "clicks", "expression": "SAMPLECOUNT()"}


def wait_for(stub: Any, operation: str, result: str, until: set[str], **request: Any) -> dict:
    """Describe until the status is one of ``until`` (10 s at most); every status seen is kept."""
    deadline = time.monotonic() + 10
    seen: list[str] = []
    while True:
        document = call(stub, operation, **request)[result]
        seen.append(document["status"])
        if document["status"] in until:
            document["seen"] = seen
            return document
        assert time.monotonic() < deadline, f"{operation}: still {seen[-1]} after 10 s ({seen})"
        time.sleep(0.05)


def as_wire(operation: str, response: dict[str, Any]) -> dict[str, Any]:
    """``response`` after a trip through the gRPC response message (fails on a wrong shape)."""
    message = json_format.ParseDict(response, getattr(personalize_pb2, f"{operation}Response")())
    return json_format.MessageToDict(message)


def make_domain_group(stub: Any, name: str = "store", domain: str = "ECOMMERCE") -> str:
    """A domain dataset group with an Interactions dataset (EVENT_TYPE is required there)."""
    group = call(stub, "CreateDatasetGroup", name=name, domain=domain)["datasetGroupArn"]
    schema = call(
        stub, "CreateSchema", name=f"{name}-interactions", schema=INTERACTIONS_SCHEMA, domain=domain
    )["schemaArn"]
    call(
        stub,
        "CreateDataset",
        name=f"{name}-interactions",
        schemaArn=schema,
        datasetGroupArn=group,
        datasetType="Interactions",
    )
    return group


@pytest.fixture
def cp(metadata_url: str) -> Iterator[ControlPlane]:
    """The control plane over a store with no trainer worker: jobs stay queued."""
    store = open_metadata_store(metadata_url)
    yield ControlPlane(store=store, arns=ArnFactory("us-east-1", "000000000000"))
    store.close()


@pytest.fixture
def server_store(metadata_url: str, personalize: Any) -> Iterator[SqlMetadataStore]:
    """A second handle on the database the gRPC server uses (to set statuses by hand)."""
    store = open_metadata_store(metadata_url, migrate=False)
    yield store
    store.close()


def build_group(cp: ControlPlane, name: str = "shop") -> dict[str, str]:
    """A custom dataset group with Interactions and Items datasets, through the module functions."""
    group = dataset_groups.create_dataset_group(cp, {"name": name})["datasetGroupArn"]
    arns = {"group": group}
    for dataset_type, schema in (("Interactions", INTERACTIONS_SCHEMA), ("Items", ITEMS_SCHEMA)):
        schema_arn = schemas.create_schema(cp, {"name": f"{name}-{dataset_type}", "schema": schema})
        arns[dataset_type] = datasets.create_dataset(
            cp,
            {
                "name": f"{name}-{dataset_type}",
                "schemaArn": schema_arn["schemaArn"],
                "datasetGroupArn": group,
                "datasetType": dataset_type,
            },
        )["datasetArn"]
    return arns


def active_version(cp: ControlPlane, group: str, recipe: str) -> str:
    """A solution version of ``recipe``, set ACTIVE by hand (this stands in for training)."""
    solution = solutions.create_solution(
        cp, {"name": recipe, "datasetGroupArn": group, "recipeArn": RECIPE + recipe}
    )["solutionArn"]
    version = solution_versions.create_solution_version(cp, {"solutionArn": solution})
    cp.store.update_resource(version["solutionVersionArn"], status=ACTIVE)
    return version["solutionVersionArn"]


def run_worker(cp: ControlPlane) -> None:
    """Let a trainer worker work through every queued job."""
    worker = Worker(cp.store)
    while worker.run_once():
        pass


# --- dataset import, export and data deletion jobs ------------------------------------------------


def test_import_job_recorded_then_run_by_worker(personalize, tmp_path):
    arns = make_group_with_datasets(personalize)
    dataset = arns["InteractionsDatasetArn"]
    source = tmp_path / "interactions.csv"
    rows = [f"u{i % 30},i{i % 50},click,{1_700_000_000 + i}" for i in range(1000)]
    source.write_text("USER_ID,ITEM_ID,EVENT_TYPE,TIMESTAMP\n" + "\n".join(rows) + "\n")
    data = {"dataLocation": f"file://{source}"}
    arn = call(
        personalize,
        "CreateDatasetImportJob",
        jobName="first",
        datasetArn=dataset,
        dataSource=data,
        roleArn=ROLE,
        publishAttributionMetricsToS3=True,
    )["datasetImportJobArn"]
    assert arn == f"{PREFIX}:dataset-import-job/first"
    job = wait_for(
        personalize,
        "DescribeDatasetImportJob",
        "datasetImportJob",
        {"ACTIVE", "CREATE FAILED"},
        datasetImportJobArn=arn,
    )
    assert set(job["seen"]) <= {"CREATE PENDING", "CREATE IN_PROGRESS", "ACTIVE"}
    assert job["status"] == "ACTIVE", job.get("failureReason")
    assert "failureReason" not in job
    assert (job["tailorRecordsImported"], job["tailorProgress"]) == (1000, 1.0)
    assert job["jobName"] == "first"
    assert job["datasetArn"] == dataset
    assert job["dataSource"] == data
    assert job["importMode"] == "FULL"
    assert job["roleArn"] == ROLE
    assert job["publishAttributionMetricsToS3"] is True
    assert job["lastUpdatedDateTime"] >= job["creationDateTime"]
    listed = call(personalize, "ListDatasetImportJobs", datasetArn=dataset)["datasetImportJobs"]
    assert [(j["jobName"], j["status"], j["importMode"]) for j in listed] == [
        ("first", "ACTIVE", "FULL")
    ]
    assert (
        call(personalize, "ListDatasetImportJobs", datasetArn=arns["ItemsDatasetArn"])[
            "datasetImportJobs"
        ]
        == []
    )
    failed = call(
        personalize, "CreateDatasetImportJob", jobName="gone", datasetArn=dataset, dataSource=DATA
    )["datasetImportJobArn"]
    job = wait_for(
        personalize,
        "DescribeDatasetImportJob",
        "datasetImportJob",
        {"ACTIVE", "CREATE FAILED"},
        datasetImportJobArn=failed,
    )
    assert job["failureReason"] == f"dataSource.dataLocation: {DATA['dataLocation']} does not exist"


def test_import_job_refusals(personalize):
    arns = make_group_with_datasets(personalize)
    dataset = arns["ItemsDatasetArn"]
    expect_error(
        personalize,
        "CreateDatasetImportJob",
        "ResourceNotFoundException",
        NOT_FOUND,
        jobName="ghost",
        datasetArn=dataset + "-missing",
        dataSource=DATA,
    )
    message = expect_error(
        personalize,
        "CreateDatasetImportJob",
        "InvalidInputException",
        INVALID,
        jobName="nowhere",
        datasetArn=dataset,
        dataSource={},
    )
    assert "dataSource.dataLocation" in message
    message = expect_error(
        personalize,
        "CreateDatasetImportJob",
        "InvalidInputException",
        INVALID,
        jobName="append",
        datasetArn=dataset,
        dataSource=DATA,
        importMode="INCREMENTAL",
    )
    assert "INCREMENTAL" in message
    call(personalize, "CreateDatasetImportJob", jobName="once", datasetArn=dataset, dataSource=DATA)
    message = expect_error(
        personalize,
        "CreateDatasetImportJob",
        "ResourceAlreadyExistsException",
        EXISTS,
        jobName="once",
        datasetArn=arns["UsersDatasetArn"],
        dataSource=DATA,
    )
    assert "once" in message
    listed = call(personalize, "ListDatasetImportJobs")["datasetImportJobs"]
    assert [j["jobName"] for j in listed] == ["once"]


def test_import_job_pending_quota_incremental_and_busy_dataset(cp):
    arns = build_group(cp)
    dataset = arns["Interactions"]
    first = data_jobs.create_dataset_import_job(
        cp, {"jobName": "j0", "datasetArn": dataset, "dataSource": DATA}
    )["datasetImportJobArn"]
    job = cp.store.get_resource(first)
    assert job.status == "CREATE PENDING"
    assert job.parent_arn == dataset
    with pytest.raises(ResourceInUseException, match="j0"):
        datasets.delete_dataset(cp, {"datasetArn": dataset})
    with pytest.raises(InvalidInputException, match="INCREMENTAL"):
        data_jobs.create_dataset_import_job(
            cp,
            {
                "jobName": "inc",
                "datasetArn": dataset,
                "dataSource": DATA,
                "importMode": "INCREMENTAL",
            },
        )
    cp.store.update_resource(first, status=ACTIVE)  # stands in for a completed import
    incremental = data_jobs.create_dataset_import_job(
        cp,
        {"jobName": "inc", "datasetArn": dataset, "dataSource": DATA, "importMode": "INCREMENTAL"},
    )["datasetImportJobArn"]
    assert cp.store.get_resource(incremental).document["importMode"] == "INCREMENTAL"
    for index in range(1, 5):
        data_jobs.create_dataset_import_job(
            cp, {"jobName": f"j{index}", "datasetArn": arns["Items"], "dataSource": DATA}
        )
    with pytest.raises(LimitExceededException, match="5"):
        data_jobs.create_dataset_import_job(
            cp, {"jobName": "j5", "datasetArn": arns["Items"], "dataSource": DATA}
        )
    cp.store.update_resource(arns["Items"], status="CREATE PENDING")
    with pytest.raises(ResourceInUseException, match="CREATE PENDING"):
        data_jobs.create_dataset_import_job(
            cp, {"jobName": "j6", "datasetArn": arns["Items"], "dataSource": DATA}
        )
    run_worker(cp)  # no import handler in this worker: the jobs fail, which frees the quota
    assert cp.store.get_resource(incremental).status == "CREATE FAILED"
    data_jobs.create_dataset_import_job(
        cp, {"jobName": "j5", "datasetArn": dataset, "dataSource": DATA}
    )


def test_export_job_recorded_then_run_by_worker(personalize, tmp_path):
    arns = make_group_with_datasets(personalize)
    dataset = arns["UsersDatasetArn"]
    output = {"s3DataDestination": {"path": f"file://{tmp_path}/export/"}}
    arn = call(
        personalize,
        "CreateDatasetExportJob",
        jobName="dump",
        datasetArn=dataset,
        roleArn=ROLE,
        jobOutput=output,
    )["datasetExportJobArn"]
    assert arn == f"{PREFIX}:dataset-export-job/dump"
    job = wait_for(
        personalize,
        "DescribeDatasetExportJob",
        "datasetExportJob",
        {"ACTIVE", "CREATE FAILED"},
        datasetExportJobArn=arn,
    )
    assert job["status"] == "ACTIVE", job.get("failureReason")
    assert "failureReason" not in job
    assert (tmp_path / "export" / "part-00000.csv").read_text() == "USER_ID,AGE\n"
    assert job["ingestionMode"] == "PUT"
    assert job["jobOutput"] == output
    assert job["datasetArn"] == dataset
    call(
        personalize,
        "CreateDatasetExportJob",
        jobName="bulk",
        datasetArn=dataset,
        roleArn=ROLE,
        jobOutput=output,
        ingestionMode="BULK",
    )
    listed = call(personalize, "ListDatasetExportJobs", datasetArn=dataset)["datasetExportJobs"]
    assert [j["jobName"] for j in listed] == ["bulk", "dump"]
    assert (
        call(
            personalize,
            "DescribeDatasetExportJob",
            datasetExportJobArn=listed[0]["datasetExportJobArn"],
        )["datasetExportJob"]["ingestionMode"]
        == "BULK"
    )
    expect_error(
        personalize,
        "CreateDatasetExportJob",
        "ResourceNotFoundException",
        NOT_FOUND,
        jobName="ghost",
        datasetArn=dataset + "-missing",
        roleArn=ROLE,
        jobOutput=output,
    )
    expect_error(
        personalize,
        "CreateDatasetExportJob",
        "ResourceAlreadyExistsException",
        EXISTS,
        jobName="dump",
        datasetArn=dataset,
        roleArn=ROLE,
        jobOutput=output,
    )


def test_data_deletion_job_runs_to_completed_or_failed(personalize, tmp_path):
    group = make_group_with_datasets(personalize)["datasetGroupArn"]
    source = tmp_path / "users.csv"
    source.write_text("USER_ID\nu1\nu2\n")
    arn = call(
        personalize,
        "CreateDataDeletionJob",
        jobName="forget",
        datasetGroupArn=group,
        dataSource={"dataLocation": source.as_uri()},
        roleArn=ROLE,
    )["dataDeletionJobArn"]
    assert arn == f"{PREFIX}:data-deletion-job/forget"
    job = wait_for(
        personalize,
        "DescribeDataDeletionJob",
        "dataDeletionJob",
        {"COMPLETED", "FAILED"},
        dataDeletionJobArn=arn,
    )
    assert set(job["seen"]) <= {"PENDING", "IN_PROGRESS", "COMPLETED"}
    assert job["status"] == "COMPLETED"
    assert job["numDeleted"] == 0  # nothing of theirs was imported or streamed
    assert job["datasetGroupArn"] == group
    assert job["roleArn"] == ROLE
    missing = call(
        personalize,
        "CreateDataDeletionJob",
        jobName="nowhere-file",
        datasetGroupArn=group,
        dataSource=DATA,
        roleArn=ROLE,
    )["dataDeletionJobArn"]
    failed = wait_for(
        personalize,
        "DescribeDataDeletionJob",
        "dataDeletionJob",
        {"COMPLETED", "FAILED"},
        dataDeletionJobArn=missing,
    )
    assert failed["status"] == "FAILED"
    assert DATA["dataLocation"] in failed["failureReason"]
    assert "numDeleted" not in failed
    listed = call(personalize, "ListDataDeletionJobs", datasetGroupArn=group)["dataDeletionJobs"]
    assert [(j["jobName"], j["status"], j["datasetGroupArn"]) for j in listed] == [
        ("nowhere-file", "FAILED", group),
        ("forget", "COMPLETED", group),
    ]
    expect_error(
        personalize,
        "CreateDataDeletionJob",
        "ResourceNotFoundException",
        NOT_FOUND,
        jobName="ghost",
        datasetGroupArn=group + "-missing",
        dataSource=DATA,
        roleArn=ROLE,
    )
    message = expect_error(
        personalize,
        "CreateDataDeletionJob",
        "InvalidInputException",
        INVALID,
        jobName="nowhere",
        datasetGroupArn=group,
        dataSource={},
        roleArn=ROLE,
    )
    assert "dataSource.dataLocation" in message


def test_data_deletion_jobs_five_pending_per_group(cp):
    group = build_group(cp)["group"]
    other = build_group(cp, "other")["group"]
    request = {"datasetGroupArn": group, "dataSource": DATA, "roleArn": ROLE}
    for index in range(5):
        arn = data_jobs.create_data_deletion_job(cp, {**request, "jobName": f"d{index}"})
        assert cp.store.get_resource(arn["dataDeletionJobArn"]).status == "PENDING"
    with pytest.raises(LimitExceededException, match="PENDING"):
        data_jobs.create_data_deletion_job(cp, {**request, "jobName": "d5"})
    data_jobs.create_data_deletion_job(cp, {**request, "datasetGroupArn": other, "jobName": "o"})
    run_worker(cp)
    assert cp.store.get_resource(arn["dataDeletionJobArn"]).status == "FAILED"
    data_jobs.create_data_deletion_job(cp, {**request, "jobName": "d5"})


# --- batch inference and batch segment jobs -------------------------------------------------------


def test_batch_jobs_need_an_active_solution_version(personalize):
    arns = make_group_with_datasets(personalize)
    solution = call(
        personalize,
        "CreateSolution",
        name="up",
        datasetGroupArn=arns["datasetGroupArn"],
        recipeArn=RECIPE + "aws-user-personalization",
    )["solutionArn"]
    version = call(personalize, "CreateSolutionVersion", solutionArn=solution)["solutionVersionArn"]
    for operation in ("CreateBatchInferenceJob", "CreateBatchSegmentJob"):
        expect_error(
            personalize,
            operation,
            "ResourceNotFoundException",
            NOT_FOUND,
            jobName="ghost",
            solutionVersionArn=version + "0",
            **BATCH_IO,
        )
        message = expect_error(
            personalize,
            operation,
            "ResourceInUseException",
            IN_USE,
            jobName="early",
            solutionVersionArn=version,
            **BATCH_IO,
        )
        assert "ACTIVE" in message
    assert call(personalize, "ListBatchInferenceJobs")["batchInferenceJobs"] == []
    assert call(personalize, "ListBatchSegmentJobs")["batchSegmentJobs"] == []


def test_batch_inference_job_through_grpc(personalize, server_store):
    arns = make_group_with_datasets(personalize)
    solution = call(
        personalize,
        "CreateSolution",
        name="up",
        datasetGroupArn=arns["datasetGroupArn"],
        recipeArn=RECIPE + "aws-user-personalization",
    )["solutionArn"]
    version = call(personalize, "CreateSolutionVersion", solutionArn=solution)["solutionVersionArn"]
    wait_for(
        personalize,
        "DescribeSolutionVersion",
        "solutionVersion",
        {"CREATE FAILED"},
        solutionVersionArn=version,
    )
    server_store.update_resource(version, status=ACTIVE)  # stands in for training
    arn = call(
        personalize,
        "CreateBatchInferenceJob",
        jobName="nightly",
        solutionVersionArn=version,
        batchInferenceJobConfig={"itemExplorationConfig": {"explorationWeight": "0.5"}},
        **BATCH_IO,
    )["batchInferenceJobArn"]
    assert arn == f"{PREFIX}:batch-inference-job/nightly"
    job = wait_for(
        personalize,
        "DescribeBatchInferenceJob",
        "batchInferenceJob",
        {"CREATE FAILED"},
        batchInferenceJobArn=arn,
    )
    assert job["failureReason"] == f"solutionVersionArn: {version} has no trained model"
    assert job["numResults"] == 25
    assert job["batchInferenceJobMode"] == "BATCH_INFERENCE"
    assert job["jobInput"] == BATCH_IO["jobInput"]
    assert job["batchInferenceJobConfig"]["itemExplorationConfig"] == {"explorationWeight": "0.5"}
    listed = call(personalize, "ListBatchInferenceJobs", solutionVersionArn=version)
    assert [(j["jobName"], j["status"]) for j in listed["batchInferenceJobs"]] == [
        ("nightly", "CREATE FAILED")
    ]


def test_batch_inference_job_lifecycle_on_the_store(cp):
    arns = build_group(cp)
    group = arns["group"]
    version = active_version(cp, group, "aws-user-personalization")
    item_filter = filters.create_filter(
        cp,
        {
            "name": "no-comedy",
            "datasetGroupArn": group,
            "filterExpression": 'EXCLUDE ItemID WHERE Items.GENRE IN ("comedy")',
        },
    )["filterArn"]
    request = {"solutionVersionArn": version, "filterArn": item_filter, **BATCH_IO}
    arn = batch_jobs.create_batch_inference_job(cp, {"jobName": "b0", **request})[
        "batchInferenceJobArn"
    ]
    job = as_wire(
        "DescribeBatchInferenceJob",
        batch_jobs.describe_batch_inference_job(cp, {"batchInferenceJobArn": arn}),
    )["batchInferenceJob"]
    assert job["status"] == "CREATE PENDING"
    assert job["filterArn"] == item_filter
    assert job["solutionVersionArn"] == version
    assert job["numResults"] == 25
    assert job["roleArn"] == ROLE
    with pytest.raises(ResourceInUseException, match="b0"):
        filters.delete_filter(cp, {"filterArn": item_filter})
    with pytest.raises(ResourceInUseException, match="b0"):
        solutions.delete_solution(cp, {"solutionArn": version.rsplit("/", 1)[0]})
    for index in range(1, 5):
        batch_jobs.create_batch_inference_job(
            cp, {"jobName": f"b{index}", **request, "numResults": 10}
        )
    with pytest.raises(LimitExceededException, match="5"):
        batch_jobs.create_batch_inference_job(cp, {"jobName": "b5", **request})
    listed = as_wire(
        "ListBatchInferenceJobs",
        batch_jobs.list_batch_inference_jobs(cp, {"solutionVersionArn": version, "maxResults": 2}),
    )
    assert [j["jobName"] for j in listed["batchInferenceJobs"]] == ["b4", "b3"]
    assert "nextToken" in listed
    run_worker(cp)
    job = cp.store.get_resource(arn)
    assert job.status == "CREATE FAILED"
    assert job.document["failureReason"] == NO_HANDLER.format(kind="batch-inference")
    filters.delete_filter(cp, {"filterArn": item_filter})


def test_batch_inference_job_refusals(cp):
    group = build_group(cp)["group"]
    other = build_group(cp, "other")["group"]
    version = active_version(cp, group, "aws-user-personalization")
    foreign = filters.create_filter(
        cp,
        {
            "name": "elsewhere",
            "datasetGroupArn": other,
            "filterExpression": 'EXCLUDE ItemID WHERE Items.GENRE IN ("x")',
        },
    )["filterArn"]
    base = {"jobName": "job", "solutionVersionArn": version, **BATCH_IO}
    with pytest.raises(ResourceNotFoundException, match="filterArn"):
        batch_jobs.create_batch_inference_job(cp, {**base, "filterArn": foreign + "-missing"})
    with pytest.raises(InvalidInputException, match="another dataset group"):
        batch_jobs.create_batch_inference_job(cp, {**base, "filterArn": foreign})
    with pytest.raises(InvalidInputException, match="numResults"):
        batch_jobs.create_batch_inference_job(cp, {**base, "numResults": 0})
    with pytest.raises(InvalidInputException, match="explorationWeight"):
        batch_jobs.create_batch_inference_job(
            cp,
            {
                **base,
                "batchInferenceJobConfig": {"itemExplorationConfig": {"explorationWeight": "2"}},
            },
        )
    with pytest.raises(InvalidInputException, match="THEME_GENERATION"):
        batch_jobs.create_batch_inference_job(
            cp,
            {
                **base,
                "batchInferenceJobMode": "THEME_GENERATION",
                "themeGenerationConfig": {"fieldsForThemeGeneration": {"itemName": "GENRE"}},
            },
        )
    for recipe in ("aws-trending-now", "aws-next-best-action", "aws-item-affinity"):
        unsupported = active_version(cp, group, recipe)
        with pytest.raises(InvalidInputException, match=recipe):
            batch_jobs.create_batch_inference_job(cp, {**base, "solutionVersionArn": unsupported})
    similar = active_version(cp, group, "aws-similar-items")
    theme = {"batchInferenceJobMode": "THEME_GENERATION", "solutionVersionArn": similar}
    with pytest.raises(InvalidInputException, match="itemName"):
        batch_jobs.create_batch_inference_job(cp, {**base, **theme})
    with pytest.raises(InvalidInputException, match="TITLE"):
        batch_jobs.create_batch_inference_job(
            cp,
            {
                **base,
                **theme,
                "themeGenerationConfig": {"fieldsForThemeGeneration": {"itemName": "TITLE"}},
            },
        )
    with pytest.raises(InvalidInputException, match="item exploration"):
        batch_jobs.create_batch_inference_job(
            cp,
            {
                **base,
                "solutionVersionArn": similar,
                "batchInferenceJobConfig": {"itemExplorationConfig": {"explorationWeight": "0.1"}},
            },
        )
    created = batch_jobs.create_batch_inference_job(
        cp,
        {
            **base,
            **theme,
            "themeGenerationConfig": {"fieldsForThemeGeneration": {"itemName": "GENRE"}},
        },
    )
    document = cp.store.get_resource(created["batchInferenceJobArn"]).document
    assert document["batchInferenceJobMode"] == "THEME_GENERATION"
    assert cp.store.find_resources(["batch-inference-job"]) == [
        cp.store.get_resource(created["batchInferenceJobArn"])
    ]


def test_batch_segment_jobs_need_a_user_segmentation_recipe(cp):
    group = build_group(cp)["group"]
    personal = active_version(cp, group, "aws-user-personalization")
    affinity = active_version(cp, group, "aws-item-affinity")
    with pytest.raises(InvalidInputException, match="USER_SEGMENTATION"):
        batch_jobs.create_batch_segment_job(
            cp, {"jobName": "s", "solutionVersionArn": personal, **BATCH_IO}
        )
    with pytest.raises(InvalidInputException, match="numResults"):
        batch_jobs.create_batch_segment_job(
            cp,
            {"jobName": "s", "solutionVersionArn": affinity, "numResults": 5_000_001, **BATCH_IO},
        )
    arn = batch_jobs.create_batch_segment_job(
        cp, {"jobName": "s0", "solutionVersionArn": affinity, **BATCH_IO}
    )["batchSegmentJobArn"]
    assert arn == f"{PREFIX}:batch-segment-job/s0"
    job = as_wire(
        "DescribeBatchSegmentJob",
        batch_jobs.describe_batch_segment_job(cp, {"batchSegmentJobArn": arn}),
    )["batchSegmentJob"]
    assert job["status"] == "CREATE PENDING"
    assert "numResults" not in job
    assert job["jobOutput"] == BATCH_IO["jobOutput"]
    for index in range(1, 5):
        batch_jobs.create_batch_segment_job(
            cp,
            {"jobName": f"s{index}", "solutionVersionArn": affinity, "numResults": 100, **BATCH_IO},
        )
    with pytest.raises(LimitExceededException):
        batch_jobs.create_batch_segment_job(
            cp, {"jobName": "s5", "solutionVersionArn": affinity, **BATCH_IO}
        )
    # Batch inference jobs have a quota of their own.
    batch_jobs.create_batch_inference_job(
        cp, {"jobName": "b", "solutionVersionArn": personal, **BATCH_IO}
    )
    listed = batch_jobs.list_batch_segment_jobs(cp, {"solutionVersionArn": affinity})
    assert len(as_wire("ListBatchSegmentJobs", listed)["batchSegmentJobs"]) == 5
    run_worker(cp)
    job = cp.store.get_resource(arn)
    assert (job.status, job.document["failureReason"]) == (
        "CREATE FAILED",
        NO_HANDLER.format(kind="batch-segment"),
    )


# --- recommenders ---------------------------------------------------------------------------------


def test_recommender_without_interactions_fails_naming_what_is_missing(personalize):
    group = make_domain_group(personalize)
    arn = call(
        personalize,
        "CreateRecommender",
        name="views",
        datasetGroupArn=group,
        recipeArn=RECIPE + "aws-ecomm-popular-items-by-views",
        tags=[{"tagKey": "team", "tagValue": "shop"}],
    )["recommenderArn"]
    assert arn == f"{PREFIX}:recommender/views"
    recommender = wait_for(
        personalize, "DescribeRecommender", "recommender", {"CREATE FAILED"}, recommenderArn=arn
    )
    assert set(recommender["seen"]) <= {"CREATE PENDING", "CREATE IN_PROGRESS", "CREATE FAILED"}
    # The group has no interactions (tests/trainer trains recommenders on data).
    assert recommender["failureReason"] == (
        "aws-ecomm-popular-items-by-views trains on 'View' events (EVENT_TYPE): not enough "
        "training data after filtering by eventType 'View': the dataset group has 0 "
        "interactions; at least 1000 are needed; 0 users with 2 or more interactions; at least "
        "25 are needed"
    )
    assert recommender["recommenderConfig"] == {"minRecommendationRequestsPerSecond": 1}
    assert recommender["recipeArn"] == RECIPE + "aws-ecomm-popular-items-by-views"
    assert recommender["datasetGroupArn"] == group
    listed = call(personalize, "ListRecommenders", datasetGroupArn=group)["recommenders"]
    assert [(r["name"], r["status"], r["recipeArn"]) for r in listed] == [
        ("views", "CREATE FAILED", RECIPE + "aws-ecomm-popular-items-by-views")
    ]
    assert listed[0]["recommenderConfig"] == {"minRecommendationRequestsPerSecond": 1}
    assert call(personalize, "ListTagsForResource", resourceArn=arn)["tags"] == [
        {"tagKey": "team", "tagValue": "shop"}
    ]
    for operation in ("StartRecommender", "StopRecommender"):
        message = expect_error(
            personalize, operation, "ResourceInUseException", IN_USE, recommenderArn=arn
        )
        assert "CREATE FAILED" in message
    expect_error(
        personalize,
        "UpdateRecommender",
        "ResourceInUseException",
        IN_USE,
        recommenderArn=arn,
        recommenderConfig={"minRecommendationRequestsPerSecond": 2},
    )
    expect_error(
        personalize, "DeleteDatasetGroup", "ResourceInUseException", IN_USE, datasetGroupArn=group
    )
    call(personalize, "DeleteRecommender", recommenderArn=arn)
    expect_error(
        personalize,
        "DescribeRecommender",
        "ResourceNotFoundException",
        NOT_FOUND,
        recommenderArn=arn,
    )


def test_recommender_refusals(personalize):
    group = make_domain_group(personalize)
    custom = make_group_with_datasets(personalize)["datasetGroupArn"]
    views = RECIPE + "aws-ecomm-popular-items-by-views"
    cases = [
        (
            "ResourceNotFoundException",
            NOT_FOUND,
            group + "-missing",
            views,
            None,
            "datasetGroupArn",
        ),
        ("InvalidInputException", INVALID, custom, views, None, "no domain"),
        ("ResourceNotFoundException", NOT_FOUND, group, RECIPE + "aws-nope", None, "aws-nope"),
        ("InvalidInputException", INVALID, group, RECIPE + "aws-vod-top-picks", None, "VIDEO"),
        ("InvalidInputException", INVALID, group, RECIPE + "aws-sims", None, "custom recipe"),
        (
            "InvalidInputException",
            INVALID,
            group,
            views,
            {"itemExplorationConfig": {"explorationWeight": "0.3"}},
            "User-Personalization",
        ),
        (
            "InvalidInputException",
            INVALID,
            group,
            RECIPE + "aws-ecomm-recommended-for-you",
            {"itemExplorationConfig": {"explorationWeight": "1.5"}},
            "explorationWeight",
        ),
        (
            "InvalidInputException",
            INVALID,
            group,
            RECIPE + "aws-ecomm-recommended-for-you",
            {"itemExplorationConfig": {"explorationItemAgeCutOff": "0.5"}},
            "at least 1",
        ),
        (
            "InvalidInputException",
            INVALID,
            group,
            views,
            {"trainingDataConfig": {"excludedDatasetColumns": {"Interactions": ["NOPE"]}}},
            "NOPE",
        ),
        (
            "InvalidInputException",
            INVALID,
            group,
            views,
            {"trainingDataConfig": {"includedDatasetColumns": {"Items": ["PRICE"]}}},
            "Items",
        ),
    ]
    for aws_name, code, group_arn, recipe, config, needle in cases:
        request = {"name": "r", "datasetGroupArn": group_arn, "recipeArn": recipe}
        if config is not None:
            request["recommenderConfig"] = config
        message = expect_error(personalize, "CreateRecommender", aws_name, code, **request)
        assert needle in message, (needle, message)
    assert call(personalize, "ListRecommenders")["recommenders"] == []
    config = {
        "itemExplorationConfig": {"explorationWeight": "0.2", "explorationItemAgeCutOff": "7"},
        "trainingDataConfig": {"excludedDatasetColumns": {"Interactions": ["EVENT_TYPE"]}},
        "minRecommendationRequestsPerSecond": 3,
        "enableMetadataWithRecommendations": True,
    }
    arn = call(
        personalize,
        "CreateRecommender",
        name="for-you",
        datasetGroupArn=group,
        recipeArn=RECIPE + "aws-ecomm-recommended-for-you",
        recommenderConfig=config,
    )["recommenderArn"]
    stored = call(personalize, "DescribeRecommender", recommenderArn=arn)["recommender"]
    assert stored["recommenderConfig"] == config
    message = expect_error(
        personalize,
        "CreateRecommender",
        "ResourceAlreadyExistsException",
        EXISTS,
        name="for-you",
        datasetGroupArn=group,
        recipeArn=views,
    )
    assert "for-you" in message
    for index in range(4):
        call(
            personalize,
            "CreateRecommender",
            name=f"r{index}",
            datasetGroupArn=group,
            recipeArn=views,
        )
    expect_error(
        personalize,
        "CreateRecommender",
        "LimitExceededException",
        LIMIT,
        name="sixth",
        datasetGroupArn=group,
        recipeArn=views,
    )


def test_recommender_update_stop_start_through_grpc(personalize, server_store):
    group = make_domain_group(personalize, "video", "VIDEO_ON_DEMAND")
    arn = call(
        personalize,
        "CreateRecommender",
        name="top",
        datasetGroupArn=group,
        recipeArn=RECIPE + "aws-vod-top-picks",
        recommenderConfig={"itemExplorationConfig": {"explorationWeight": "0.1"}},
    )["recommenderArn"]
    wait_for(
        personalize, "DescribeRecommender", "recommender", {"CREATE FAILED"}, recommenderArn=arn
    )
    server_store.update_resource(arn, status=ACTIVE, removals=["failureReason"])  # as if trained
    result = call(
        personalize,
        "UpdateRecommender",
        recommenderArn=arn,
        recommenderConfig={"minRecommendationRequestsPerSecond": 4},
    )
    assert result == {"recommenderArn": arn}
    recommender = call(personalize, "DescribeRecommender", recommenderArn=arn)["recommender"]
    expected = {
        "itemExplorationConfig": {"explorationWeight": "0.1"},
        "minRecommendationRequestsPerSecond": 4,
    }
    assert recommender["recommenderConfig"] == expected
    update = recommender["latestRecommenderUpdate"]
    assert update["status"] == "ACTIVE"
    assert update["recommenderConfig"] == expected
    assert update["creationDateTime"] >= recommender["creationDateTime"]
    message = expect_error(
        personalize,
        "UpdateRecommender",
        "InvalidInputException",
        INVALID,
        recommenderArn=arn,
        recommenderConfig={"itemExplorationConfig": {"colour": "red"}},
    )
    assert "colour" in message
    message = expect_error(
        personalize,
        "UpdateRecommender",
        "InvalidInputException",
        INVALID,
        recommenderArn=arn,
        recommenderConfig={
            "trainingDataConfig": {"excludedDatasetColumns": {"Interactions": ["EVENT_TYPE"]}}
        },
    )
    assert "trainingDataConfig" in message and "create a new recommender" in message
    unchanged = call(personalize, "DescribeRecommender", recommenderArn=arn)["recommender"]
    assert unchanged["recommenderConfig"] == expected
    expect_error(
        personalize, "StartRecommender", "ResourceInUseException", IN_USE, recommenderArn=arn
    )
    assert call(personalize, "StopRecommender", recommenderArn=arn) == {"recommenderArn": arn}
    stopped = call(personalize, "DescribeRecommender", recommenderArn=arn)["recommender"]
    assert stopped["status"] == "INACTIVE"
    expect_error(
        personalize, "StopRecommender", "ResourceInUseException", IN_USE, recommenderArn=arn
    )
    expect_error(
        personalize,
        "UpdateRecommender",
        "ResourceInUseException",
        IN_USE,
        recommenderArn=arn,
        recommenderConfig={"minRecommendationRequestsPerSecond": 5},
    )
    call(personalize, "StartRecommender", recommenderArn=arn)
    started = call(personalize, "DescribeRecommender", recommenderArn=arn)["recommender"]
    assert started["status"] == "ACTIVE"
    assert started["recommenderConfig"] == expected
    call(personalize, "DeleteRecommender", recommenderArn=arn)
    assert call(personalize, "ListRecommenders", datasetGroupArn=group)["recommenders"] == []


def test_recommender_cannot_be_deleted_or_switched_while_creating(cp):
    group = dataset_groups.create_dataset_group(cp, {"name": "shop", "domain": "ECOMMERCE"})
    arn = recommenders.create_recommender(
        cp,
        {
            "name": "best",
            "datasetGroupArn": group["datasetGroupArn"],
            "recipeArn": RECIPE + "aws-ecomm-popular-items-by-purchases",
        },
    )["recommenderArn"]
    created = cp.store.get_resource(arn)
    assert created.status == "CREATE PENDING"
    update = created.to_aws()["latestRecommenderUpdate"]
    assert update["status"] == "CREATE PENDING"
    assert update["recommenderConfig"] == {"minRecommendationRequestsPerSecond": 1}
    job = cp.store.claim_job("test-worker")
    assert (job.kind, job.resource_arn) == ("recommender", arn)
    for operation in (
        recommenders.delete_recommender,
        recommenders.start_recommender,
        recommenders.stop_recommender,
    ):
        with pytest.raises(ResourceInUseException, match="CREATE PENDING"):
            operation(cp, {"recommenderArn": arn})
    assert cp.store.get_resource(arn).status == "CREATE PENDING"


def test_recommender_stop_and_start_walk_the_spec_statuses(cp):
    group = dataset_groups.create_dataset_group(cp, {"name": "shop", "domain": "ECOMMERCE"})
    arn = recommenders.create_recommender(
        cp,
        {
            "name": "best",
            "datasetGroupArn": group["datasetGroupArn"],
            "recipeArn": RECIPE + "aws-ecomm-popular-items-by-purchases",
        },
    )["recommenderArn"]
    cp.store.update_resource(arn, status=ACTIVE)  # as if trained
    assert recommenders.STOP_STEPS == ("ACTIVE", "STOP PENDING", "STOP IN_PROGRESS", "INACTIVE")
    assert recommenders.START_STEPS == (
        "INACTIVE",
        "START PENDING",
        "START IN_PROGRESS",
        "ACTIVE",
    )
    request = {"recommenderArn": arn}
    recommenders.stop_recommender(cp, request)
    assert cp.store.get_resource(arn).status == "INACTIVE"
    recommenders.start_recommender(cp, request)
    assert cp.store.get_resource(arn).status == "ACTIVE"
    # A stop or start cut off half-way (the process died between steps) is finished by the
    # same call; the other call, delete and update are refused meanwhile.
    stop, start = recommenders.stop_recommender, recommenders.start_recommender
    for status, finish, refused, final in (
        ("STOP PENDING", stop, start, "INACTIVE"),
        ("STOP IN_PROGRESS", stop, start, "INACTIVE"),
        ("START PENDING", start, stop, "ACTIVE"),
        ("START IN_PROGRESS", start, stop, "ACTIVE"),
    ):
        cp.store.update_resource(arn, status=status)
        with pytest.raises(ResourceInUseException, match=status):
            refused(cp, request)
        with pytest.raises(ResourceInUseException, match=status):
            recommenders.delete_recommender(cp, request)
        with pytest.raises(ResourceInUseException, match=status):
            recommenders.update_recommender(
                cp, {**request, "recommenderConfig": {"minRecommendationRequestsPerSecond": 2}}
            )
        assert finish(cp, request) == request
        assert cp.store.get_resource(arn).status == final


# --- metric attributions --------------------------------------------------------------------------


def test_metric_attribution_lifecycle(personalize):
    group = make_group_with_datasets(personalize)["datasetGroupArn"]
    arn = call(
        personalize,
        "CreateMetricAttribution",
        name="impact",
        datasetGroupArn=group,
        metrics=[REVENUE, CLICKS],
        metricsOutputConfig=OUTPUT_CONFIG,
    )["metricAttributionArn"]
    assert arn == f"{PREFIX}:metric-attribution/impact"
    attribution = call(personalize, "DescribeMetricAttribution", metricAttributionArn=arn)[
        "metricAttribution"
    ]
    assert attribution["status"] == "ACTIVE"
    assert attribution["datasetGroupArn"] == group
    assert attribution["metricsOutputConfig"] == OUTPUT_CONFIG
    assert "metrics" not in attribution
    listed = call(personalize, "ListMetricAttributions", datasetGroupArn=group)
    assert [(a["name"], a["status"]) for a in listed["metricAttributions"]] == [
        ("impact", "ACTIVE")
    ]
    metrics = call(personalize, "ListMetricAttributionMetrics", metricAttributionArn=arn)
    assert metrics["metrics"] == [REVENUE, CLICKS]
    first = call(
        personalize, "ListMetricAttributionMetrics", metricAttributionArn=arn, maxResults=1
    )
    assert first["metrics"] == [REVENUE]
    second = call(
        personalize,
        "ListMetricAttributionMetrics",
        metricAttributionArn=arn,
        nextToken=first["nextToken"],
    )
    assert second["metrics"] == [CLICKS]
    assert "nextToken" not in second
    expect_error(
        personalize,
        "ListMetricAttributionMetrics",
        "InvalidNextTokenException",
        INVALID,
        metricAttributionArn=arn,
        nextToken="nope",
    )
    message = expect_error(
        personalize,
        "CreateMetricAttribution",
        "ResourceAlreadyExistsException",
        EXISTS,
        name="second",
        datasetGroupArn=group,
        metrics=[CLICKS],
        metricsOutputConfig=OUTPUT_CONFIG,
    )
    assert arn in message
    expect_error(
        personalize, "DeleteDatasetGroup", "ResourceInUseException", IN_USE, datasetGroupArn=group
    )
    call(personalize, "DeleteMetricAttribution", metricAttributionArn=arn)
    expect_error(
        personalize,
        "DescribeMetricAttribution",
        "ResourceNotFoundException",
        NOT_FOUND,
        metricAttributionArn=arn,
    )
    call(
        personalize,
        "CreateMetricAttribution",
        name="second",
        datasetGroupArn=group,
        metrics=[CLICKS],
        metricsOutputConfig={"roleArn": ROLE},
    )


def test_metric_attribution_refusals(personalize):
    group = make_group_with_datasets(personalize)["datasetGroupArn"]
    base = {"name": "m", "datasetGroupArn": group, "metricsOutputConfig": OUTPUT_CONFIG}
    expect_error(
        personalize,
        "CreateMetricAttribution",
        "ResourceNotFoundException",
        NOT_FOUND,
        **{**base, "datasetGroupArn": group + "-missing"},
        metrics=[CLICKS],
    )
    for expression, needle in (
        ("AVG(Items.PRICE)", "SAMPLECOUNT()"),
        ("SUM(Users.AGE)", "SUM(Items.COLUMN)"),
        ("SUM(Items.GENRE)", "numeric"),
        ("SUM(Items.WEIGHT)", "WEIGHT"),
        ("SUM(Interactions.EVENT_VALUE)", "EVENT_VALUE"),
    ):
        metric = {**REVENUE, "expression": expression}
        message = expect_error(
            personalize,
            "CreateMetricAttribution",
            "InvalidInputException",
            INVALID,
            **base,
            metrics=[metric],
        )
        assert needle in message and "metrics[0].expression" in message, message
    message = expect_error(
        personalize,
        "CreateMetricAttribution",
        "InvalidInputException",
        INVALID,
        **base,
        metrics=[CLICKS, {**REVENUE, "metricName": "clicks"}],
    )
    assert "metrics[1].metricName" in message
    assert call(personalize, "ListMetricAttributions")["metricAttributions"] == []
    empty = call(personalize, "CreateDatasetGroup", name="empty")["datasetGroupArn"]
    message = expect_error(
        personalize,
        "CreateMetricAttribution",
        "InvalidInputException",
        INVALID,
        **{**base, "datasetGroupArn": empty},
        metrics=[REVENUE],
    )
    assert "no ITEMS dataset" in message


def test_update_metric_attribution(personalize):
    group = make_group_with_datasets(personalize)["datasetGroupArn"]
    arn = call(
        personalize,
        "CreateMetricAttribution",
        name="impact",
        datasetGroupArn=group,
        metrics=[REVENUE, CLICKS],
        metricsOutputConfig=OUTPUT_CONFIG,
    )["metricAttributionArn"]
    message = expect_error(
        personalize,
        "UpdateMetricAttribution",
        "InvalidInputException",
        INVALID,
        addMetrics=[CLICKS],
    )
    assert "metricAttributionArn" in message
    expect_error(
        personalize,
        "UpdateMetricAttribution",
        "ResourceNotFoundException",
        NOT_FOUND,
        metricAttributionArn=arn + "-missing",
        removeMetrics=["clicks"],
    )
    expect_error(
        personalize,
        "UpdateMetricAttribution",
        "InvalidInputException",
        INVALID,
        metricAttributionArn=arn,
    )
    message = expect_error(
        personalize,
        "UpdateMetricAttribution",
        "InvalidInputException",
        INVALID,
        metricAttributionArn=arn,
        removeMetrics=["views"],
    )
    assert "views" in message
    message = expect_error(
        personalize,
        "UpdateMetricAttribution",
        "ResourceAlreadyExistsException",
        EXISTS,
        metricAttributionArn=arn,
        addMetrics=[{**CLICKS, "eventType": "view"}],
    )
    assert "clicks" in message
    many = [{**CLICKS, "metricName": f"m{i}"} for i in range(9)]
    expect_error(
        personalize,
        "UpdateMetricAttribution",
        "LimitExceededException",
        LIMIT,
        metricAttributionArn=arn,
        addMetrics=many,
    )
    views = {"eventType": "view", "metricName": "clicks", "expression": "SAMPLECOUNT()"}
    new_output = {"roleArn": ROLE}
    result = call(
        personalize,
        "UpdateMetricAttribution",
        metricAttributionArn=arn,
        removeMetrics=["clicks"],
        addMetrics=[views, *many[:2]],
        metricsOutputConfig=new_output,
    )
    assert result == {"metricAttributionArn": arn}
    metrics = call(personalize, "ListMetricAttributionMetrics", metricAttributionArn=arn)
    assert metrics["metrics"] == [REVENUE, views, *many[:2]]
    attribution = call(personalize, "DescribeMetricAttribution", metricAttributionArn=arn)[
        "metricAttribution"
    ]
    assert attribution["metricsOutputConfig"] == new_output
    assert attribution["lastUpdatedDateTime"] >= attribution["creationDateTime"]


def test_metric_attribution_limits_on_the_store(cp):
    group = build_group(cp)["group"]
    eleven = [{**CLICKS, "metricName": f"m{i}"} for i in range(11)]
    request = {"name": "m", "datasetGroupArn": group, "metricsOutputConfig": OUTPUT_CONFIG}
    with pytest.raises(LimitExceededException, match="10"):
        metric_attributions.create_metric_attribution(cp, {**request, "metrics": eleven})
    arn = metric_attributions.create_metric_attribution(cp, {**request, "metrics": eleven[:10]})
    listed = metric_attributions.list_metric_attribution_metrics(cp, arn)
    assert [
        m["metricName"] for m in as_wire("ListMetricAttributionMetrics", listed)["metrics"]
    ] == [f"m{i}" for i in range(10)]
    with pytest.raises(InvalidInputException, match="metricAttributionArn"):
        metric_attributions.list_metric_attribution_metrics(cp, {})
    with pytest.raises(LimitExceededException):
        metric_attributions.update_metric_attribution(
            cp, {**arn, "addMetrics": [{**CLICKS, "metricName": "extra"}]}
        )
    metric_attributions.update_metric_attribution(
        cp, {**arn, "removeMetrics": ["m0"], "addMetrics": [{**CLICKS, "metricName": "extra"}]}
    )
    stored = cp.store.get_resource(arn["metricAttributionArn"])
    assert [m["metricName"] for m in stored.document["metrics"]][-1] == "extra"
    assert stored.document["metricsOutputConfig"] == OUTPUT_CONFIG
