"""Dataset groups: Create, Describe, List, Delete."""

from __future__ import annotations

from typing import Any

from control_plane.context import ControlPlane
from control_plane.resource_access import (
    ensure_deletable,
    ensure_no_dependents,
    list_page,
    omit_empty,
    require,
    tags_of,
)
from domain.resources import ACTIVE, Resource

KIND = "dataset-group"
#: Kinds that keep a dataset group from being deleted.
DEPENDENT_KINDS = (
    "dataset",
    "event-tracker",
    "solution",
    "recommender",
    "filter",
    "metric-attribution",
)


def create_dataset_group(cp: ControlPlane, request: dict[str, Any]) -> dict[str, Any]:
    """CreateDatasetGroup: a new, immediately ACTIVE group (there is no work to wait for)."""
    name = request["name"]
    arn = cp.arns.build(KIND, name)
    document = omit_empty(
        {
            "name": name,
            "datasetGroupArn": arn,
            "roleArn": request.get("roleArn"),
            "kmsKeyArn": request.get("kmsKeyArn"),
            "domain": request.get("domain"),
        }
    )
    cp.store.create_resource(
        Resource(arn=arn, kind=KIND, name=name, status=ACTIVE, document=document),
        tags=tags_of(request),
        conflict_message=f"a dataset group named {name!r} already exists ({arn})",
    )
    return omit_empty({"datasetGroupArn": arn, "domain": request.get("domain")})


def describe_dataset_group(cp: ControlPlane, request: dict[str, Any]) -> dict[str, Any]:
    """DescribeDatasetGroup."""
    group = require(cp, request.get("datasetGroupArn"), KIND, "datasetGroupArn")
    return {"datasetGroup": group.to_aws()}


def list_dataset_groups(cp: ControlPlane, request: dict[str, Any]) -> dict[str, Any]:
    """ListDatasetGroups, newest first."""
    return list_page(
        cp, request, KIND, "datasetGroups", lambda r: r.summary("name", "datasetGroupArn", "domain")
    )


def delete_dataset_group(cp: ControlPlane, request: dict[str, Any]) -> dict[str, Any]:
    """DeleteDatasetGroup: refused while it still holds datasets, trackers, solutions, ..."""
    group = require(cp, request.get("datasetGroupArn"), KIND, "datasetGroupArn")
    ensure_deletable(group)
    ensure_no_dependents(
        cp, group, cp.store.find_resources(DEPENDENT_KINDS, dataset_group_arn=group.arn)
    )
    cp.store.delete_resource(group.arn)
    return {}


OPERATIONS = {
    "CreateDatasetGroup": create_dataset_group,
    "DescribeDatasetGroup": describe_dataset_group,
    "ListDatasetGroups": list_dataset_groups,
    "DeleteDatasetGroup": delete_dataset_group,
}
