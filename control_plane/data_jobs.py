"""Dataset import, dataset export and data deletion jobs: recorded here, run by the trainer."""

from __future__ import annotations

from typing import Any

from control_plane.context import ControlPlane
from control_plane.resource_access import list_page, omit_empty, require, require_active, tags_of
from domain.errors import InvalidInputException, LimitExceededException
from domain.resources import ACTIVE, CREATE_PENDING, CREATING, Resource
from storage.metadata.store import NewJob

IMPORT_KIND = "dataset-import-job"
EXPORT_KIND = "dataset-export-job"
DELETION_KIND = "data-deletion-job"
#: Pending/in-progress dataset import jobs allowed per region (spec §13).
MAX_RUNNING_IMPORTS = 5
#: PENDING data deletion jobs allowed per dataset group (spec §5.5, §13).
MAX_PENDING_DELETIONS = 5
#: Dataset types CreateDatasetExportJob accepts (AWS exports no action data).
EXPORTABLE_DATASET_TYPES = ("INTERACTIONS", "ITEMS", "USERS")
#: Data deletion jobs have their own status vocabulary (spec §2.1).
DELETION_PENDING = "PENDING"


def _data_location(request: dict[str, Any]) -> str:
    """``dataSource.dataLocation``, which the model leaves optional but every job needs."""
    location = (request.get("dataSource") or {}).get("dataLocation")
    if not location:
        raise InvalidInputException("dataSource.dataLocation is required")
    return location


def _record(
    cp: ControlPlane,
    request: dict[str, Any],
    resource: Resource,
    job: NewJob,
    label: str,
) -> None:
    """Store a job resource and enqueue its work in one transaction."""
    cp.store.create_resource(
        resource,
        tags=tags_of(request),
        job=job,
        conflict_message=f"a {label} named {resource.name!r} already exists ({resource.arn})",
    )


# --- dataset import jobs --------------------------------------------------------------------------


def create_dataset_import_job(cp: ControlPlane, request: dict[str, Any]) -> dict[str, Any]:
    """CreateDatasetImportJob: queue a bulk import into an ACTIVE dataset.

    Raises:
        ResourceNotFoundException: the dataset does not exist.
        ResourceInUseException: the dataset is not ACTIVE.
        InvalidInputException: no data location, or INCREMENTAL before any completed import.
        LimitExceededException: five import jobs are already pending or in progress.

    """
    dataset = require_active(cp, request.get("datasetArn"), "dataset", "datasetArn")
    location = _data_location(request)
    mode = request.get("importMode") or "FULL"
    if mode == "INCREMENTAL" and not cp.store.find_resources(
        [IMPORT_KIND], parent_arn=dataset.arn, statuses=[ACTIVE]
    ):
        raise InvalidInputException(
            f"importMode: INCREMENTAL needs a completed import into dataset {dataset.arn}; "
            "the first import must be FULL"
        )
    running = cp.store.find_resources([IMPORT_KIND], statuses=CREATING)
    if len(running) >= MAX_RUNNING_IMPORTS:
        raise LimitExceededException(
            f"{len(running)} dataset import jobs are already pending or in progress "
            f"(at most {MAX_RUNNING_IMPORTS})"
        )
    name = request["jobName"]
    arn = cp.arns.build(IMPORT_KIND, name)
    document = omit_empty(
        {
            "jobName": name,
            "datasetImportJobArn": arn,
            "datasetArn": dataset.arn,
            "dataSource": {"dataLocation": location},
            "roleArn": request.get("roleArn"),
            "importMode": mode,
            "publishAttributionMetricsToS3": request.get("publishAttributionMetricsToS3"),
        }
    )
    resource = Resource(
        arn=arn,
        kind=IMPORT_KIND,
        name=name,
        status=CREATE_PENDING,
        document=document,
        parent_arn=dataset.arn,
        dataset_group_arn=dataset.dataset_group_arn,
    )
    payload = {"datasetArn": dataset.arn, "dataLocation": location, "importMode": mode}
    _record(cp, request, resource, NewJob("dataset-import", payload), "dataset import job")
    return {"datasetImportJobArn": arn}


def describe_dataset_import_job(cp: ControlPlane, request: dict[str, Any]) -> dict[str, Any]:
    """DescribeDatasetImportJob."""
    job = require(cp, request.get("datasetImportJobArn"), IMPORT_KIND, "datasetImportJobArn")
    return {"datasetImportJob": job.to_aws()}


def list_dataset_import_jobs(cp: ControlPlane, request: dict[str, Any]) -> dict[str, Any]:
    """ListDatasetImportJobs, optionally of one dataset, newest first."""
    return list_page(
        cp,
        request,
        IMPORT_KIND,
        "datasetImportJobs",
        lambda r: r.summary(
            "datasetImportJobArn",
            "jobName",
            "importMode",
            "tailorRecordsImported",  # Tailor extension members (see DatasetImportJob)
            "tailorProgress",
        ),
        parent_field="datasetArn",
        parent_kind="dataset",
    )


# --- dataset export jobs --------------------------------------------------------------------------


def create_dataset_export_job(cp: ControlPlane, request: dict[str, Any]) -> dict[str, Any]:
    """CreateDatasetExportJob: queue an export of an ACTIVE dataset's data.

    Raises:
        ResourceNotFoundException: the dataset does not exist.
        ResourceInUseException: the dataset is not ACTIVE.
        InvalidInputException: an Actions or Action interactions dataset (AWS exports neither).

    """
    dataset = require_active(cp, request.get("datasetArn"), "dataset", "datasetArn")
    dataset_type = dataset.document.get("datasetType")
    if dataset_type not in EXPORTABLE_DATASET_TYPES:
        raise InvalidInputException(
            f"datasetArn: {dataset.arn} is an {dataset_type} dataset; only Interactions, Items "
            "and Users datasets can be exported"
        )
    name = request["jobName"]
    arn = cp.arns.build(EXPORT_KIND, name)
    mode = request.get("ingestionMode") or "PUT"
    document = {
        "jobName": name,
        "datasetExportJobArn": arn,
        "datasetArn": dataset.arn,
        "ingestionMode": mode,
        "roleArn": request["roleArn"],
        "jobOutput": request["jobOutput"],
    }
    resource = Resource(
        arn=arn,
        kind=EXPORT_KIND,
        name=name,
        status=CREATE_PENDING,
        document=document,
        parent_arn=dataset.arn,
        dataset_group_arn=dataset.dataset_group_arn,
    )
    payload = {
        "datasetArn": dataset.arn,
        "ingestionMode": mode,
        "path": request["jobOutput"]["s3DataDestination"]["path"],
    }
    _record(cp, request, resource, NewJob("dataset-export", payload), "dataset export job")
    return {"datasetExportJobArn": arn}


def describe_dataset_export_job(cp: ControlPlane, request: dict[str, Any]) -> dict[str, Any]:
    """DescribeDatasetExportJob."""
    job = require(cp, request.get("datasetExportJobArn"), EXPORT_KIND, "datasetExportJobArn")
    return {"datasetExportJob": job.to_aws()}


def list_dataset_export_jobs(cp: ControlPlane, request: dict[str, Any]) -> dict[str, Any]:
    """ListDatasetExportJobs, optionally of one dataset, newest first."""
    return list_page(
        cp,
        request,
        EXPORT_KIND,
        "datasetExportJobs",
        lambda r: r.summary("datasetExportJobArn", "jobName"),
        parent_field="datasetArn",
        parent_kind="dataset",
    )


# --- data deletion jobs ---------------------------------------------------------------------------


def create_data_deletion_job(cp: ControlPlane, request: dict[str, Any]) -> dict[str, Any]:
    """CreateDataDeletionJob: queue the removal of the listed users' data from a dataset group.

    Raises:
        ResourceNotFoundException: the dataset group does not exist.
        ResourceInUseException: the dataset group is not ACTIVE.
        InvalidInputException: no data location.
        LimitExceededException: the group already has five PENDING deletion jobs.

    """
    group = require_active(cp, request.get("datasetGroupArn"), "dataset-group", "datasetGroupArn")
    location = _data_location(request)
    pending = cp.store.find_resources(
        [DELETION_KIND], parent_arn=group.arn, statuses=[DELETION_PENDING]
    )
    if len(pending) >= MAX_PENDING_DELETIONS:
        raise LimitExceededException(
            f"dataset group {group.arn} already has {len(pending)} PENDING data deletion jobs "
            f"(at most {MAX_PENDING_DELETIONS})"
        )
    name = request["jobName"]
    arn = cp.arns.build(DELETION_KIND, name)
    document = {
        "jobName": name,
        "dataDeletionJobArn": arn,
        "datasetGroupArn": group.arn,
        "dataSource": {"dataLocation": location},
        "roleArn": request["roleArn"],
    }
    resource = Resource(
        arn=arn,
        kind=DELETION_KIND,
        name=name,
        status=DELETION_PENDING,
        document=document,
        parent_arn=group.arn,
        dataset_group_arn=group.arn,
    )
    payload = {"datasetGroupArn": group.arn, "dataLocation": location}
    _record(cp, request, resource, NewJob("data-deletion", payload), "data deletion job")
    return {"dataDeletionJobArn": arn}


def describe_data_deletion_job(cp: ControlPlane, request: dict[str, Any]) -> dict[str, Any]:
    """DescribeDataDeletionJob."""
    job = require(cp, request.get("dataDeletionJobArn"), DELETION_KIND, "dataDeletionJobArn")
    return {"dataDeletionJob": job.to_aws()}


def list_data_deletion_jobs(cp: ControlPlane, request: dict[str, Any]) -> dict[str, Any]:
    """ListDataDeletionJobs, optionally of one dataset group, newest first."""
    return list_page(
        cp,
        request,
        DELETION_KIND,
        "dataDeletionJobs",
        lambda r: r.summary("dataDeletionJobArn", "datasetGroupArn", "jobName"),
        parent_field="datasetGroupArn",
        parent_kind="dataset-group",
    )


OPERATIONS = {
    "CreateDatasetImportJob": create_dataset_import_job,
    "DescribeDatasetImportJob": describe_dataset_import_job,
    "ListDatasetImportJobs": list_dataset_import_jobs,
    "CreateDatasetExportJob": create_dataset_export_job,
    "DescribeDatasetExportJob": describe_dataset_export_job,
    "ListDatasetExportJobs": list_dataset_export_jobs,
    "CreateDataDeletionJob": create_data_deletion_job,
    "DescribeDataDeletionJob": describe_data_deletion_job,
    "ListDataDeletionJobs": list_data_deletion_jobs,
}
