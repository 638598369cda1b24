"""Datasets: one per type per dataset group, with a schema of the matching type."""

from __future__ import annotations

from typing import Any

from control_plane import schemas
from control_plane.context import ControlPlane
from control_plane.resource_access import (
    create_in_group,
    ensure_deletable,
    ensure_no_dependents,
    list_page,
    require,
    require_active,
)
from domain.dataset_schema import (
    DatasetSchema,
    canonical_dataset_type,
    parse_dataset_schema,
    schemas_compatible_for_update,
)
from domain.errors import InvalidInputException
from domain.resources import ACTIVE, CREATING, Resource, now

KIND = "dataset"


def _schema_of(cp: ControlPlane, schema_arn: str | None) -> tuple[Resource, DatasetSchema]:
    resource = require(cp, schema_arn, schemas.KIND, "schemaArn")
    document = resource.document
    return resource, parse_dataset_schema(document["schema"], document.get("domain"))


def create_dataset(cp: ControlPlane, request: dict[str, Any]) -> dict[str, Any]:
    """CreateDataset: the group must be ACTIVE and the schema of the dataset's type and domain."""
    dataset_type = canonical_dataset_type(request["datasetType"])
    group = require_active(cp, request.get("datasetGroupArn"), "dataset-group", "datasetGroupArn")
    schema_resource, schema = _schema_of(cp, request.get("schemaArn"))
    if schema.dataset_type != dataset_type:
        raise InvalidInputException(
            f"schemaArn: schema {schema_resource.arn} describes {schema.dataset_type} data, "
            f"not {dataset_type}"
        )
    group_domain = group.document.get("domain")
    if group_domain != schema.domain:
        raise InvalidInputException(
            f"schemaArn: schema domain {schema.domain or 'none'} does not match the dataset "
            f"group's domain {group_domain or 'none'}"
        )
    if group_domain and dataset_type in ("ACTIONS", "ACTION_INTERACTIONS"):
        raise InvalidInputException(
            f"datasetType: {dataset_type} datasets cannot be created in a domain dataset group"
        )
    arn = cp.arns.build(KIND, group.name, dataset_type)
    document = {
        "name": request["name"],
        "datasetArn": arn,
        "datasetGroupArn": group.arn,
        "datasetType": dataset_type,
        "schemaArn": schema_resource.arn,
    }
    create_in_group(
        cp,
        request,
        group,
        kind=KIND,
        arn=arn,
        name=request["name"],
        document=document,
        links=[schema_resource.arn],
        conflict_message=f"dataset group {group.arn} already has a {dataset_type} dataset ({arn})",
    )
    return {"datasetArn": arn}


def describe_dataset(cp: ControlPlane, request: dict[str, Any]) -> dict[str, Any]:
    """DescribeDataset."""
    return {"dataset": require(cp, request.get("datasetArn"), KIND, "datasetArn").to_aws()}


def list_datasets(cp: ControlPlane, request: dict[str, Any]) -> dict[str, Any]:
    """ListDatasets, optionally of one dataset group."""
    return list_page(
        cp,
        request,
        KIND,
        "datasets",
        lambda r: r.summary("name", "datasetArn", "datasetType"),
        parent_field="datasetGroupArn",
        parent_kind="dataset-group",
    )


def update_dataset(cp: ControlPlane, request: dict[str, Any]) -> dict[str, Any]:
    """UpdateDataset: replace an Items or Users dataset's schema with a compatible one."""
    dataset = require_active(cp, request.get("datasetArn"), KIND, "datasetArn")
    _, old_schema = _schema_of(cp, dataset.document["schemaArn"])
    new_resource, new_schema = _schema_of(cp, request.get("schemaArn"))
    schemas_compatible_for_update(old_schema, new_schema)
    stamp = now()
    update = {
        "schemaArn": new_resource.arn,
        "status": ACTIVE,
        "creationDateTime": stamp,
        "lastUpdatedDateTime": stamp,
    }
    cp.store.update_resource(
        dataset.arn,
        changes={"schemaArn": new_resource.arn, "latestDatasetUpdate": update},
        links=[new_resource.arn],
    )
    return {"datasetArn": dataset.arn}


def delete_dataset(cp: ControlPlane, request: dict[str, Any]) -> dict[str, Any]:
    """DeleteDataset: refused while an import into it or a training in its group is running."""
    dataset = require(cp, request.get("datasetArn"), KIND, "datasetArn")
    ensure_deletable(dataset)
    busy = cp.store.find_resources(
        ["dataset-import-job"], parent_arn=dataset.arn, statuses=CREATING
    ) + cp.store.find_resources(
        ["solution-version", "recommender"],
        dataset_group_arn=dataset.dataset_group_arn,
        statuses=CREATING,
    )
    ensure_no_dependents(cp, dataset, busy)
    cp.store.delete_resource(dataset.arn)
    return {}


OPERATIONS = {
    "CreateDataset": create_dataset,
    "DescribeDataset": describe_dataset,
    "ListDatasets": list_datasets,
    "UpdateDataset": update_dataset,
    "DeleteDataset": delete_dataset,
}
