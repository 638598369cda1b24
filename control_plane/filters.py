"""Filters: the expression is parsed and checked against the dataset group's schemas."""

from __future__ import annotations

from typing import Any

from control_plane.context import ControlPlane
from control_plane.resource_access import (
    create_in_group,
    ensure_deletable,
    ensure_no_dependents,
    list_page,
    require,
    require_active,
)
from domain.dataset_schema import parse_dataset_schema
from domain.errors import InvalidInputException, LimitExceededException
from domain.filter_expression import FilterExpression, parse_filter_expression
from domain.resources import CREATING, Resource

KIND = "filter"
MAX_FILTERS_PER_GROUP = 30
#: Filter dataset name -> dataset type of the group's dataset holding the field.
DATASET_TYPES = {
    "Items": "ITEMS",
    "Users": "USERS",
    "Interactions": "INTERACTIONS",
    "Actions": "ACTIONS",
    "Action_Interactions": "ACTION_INTERACTIONS",
}


def check_fields_exist(cp: ControlPlane, group: Resource, expression: FilterExpression) -> None:
    """Every dataset the expression reads must exist in the group, with the named fields.

    Raises:
        InvalidInputException: naming the missing dataset or field, or a field filters cannot use.

    """
    datasets = {
        d.document["datasetType"]: d
        for d in cp.store.find_resources(["dataset"], dataset_group_arn=group.arn)
    }
    for dataset_name, field_name in expression.fields:
        dataset_type = DATASET_TYPES[dataset_name]
        dataset = datasets.get(dataset_type)
        if dataset is None:
            raise InvalidInputException(
                f"filterExpression: dataset group {group.arn} has no {dataset_type} dataset "
                f"for {dataset_name}.{field_name}"
            )
        schema_resource = cp.store.get_resource(dataset.document["schemaArn"])
        if schema_resource is None:
            continue
        schema = parse_dataset_schema(
            schema_resource.document["schema"], schema_resource.document.get("domain")
        )
        field = next((f for f in schema.fields if f.name.upper() == field_name.upper()), None)
        if field is None:
            raise InvalidInputException(
                f"filterExpression: the {dataset_type} schema has no field {field_name!r}"
            )
        if field.textual or field.base_type == "boolean":
            kind = "textual" if field.textual else "boolean"
            raise InvalidInputException(
                f"filterExpression: {dataset_name}.{field_name} is {kind}; filters cannot use it"
            )


def create_filter(cp: ControlPlane, request: dict[str, Any]) -> dict[str, Any]:
    """CreateFilter: parse, check the fields, and store an ACTIVE filter."""
    group = require_active(cp, request.get("datasetGroupArn"), "dataset-group", "datasetGroupArn")
    text = request["filterExpression"]
    expression = parse_filter_expression(text)
    check_fields_exist(cp, group, expression)
    if len(cp.store.find_resources([KIND], dataset_group_arn=group.arn)) >= MAX_FILTERS_PER_GROUP:
        raise LimitExceededException(
            f"dataset group {group.arn} already has {MAX_FILTERS_PER_GROUP} filters"
        )
    name = request["name"]
    arn = cp.arns.build(KIND, name)
    document = {
        "name": name,
        "filterArn": arn,
        "datasetGroupArn": group.arn,
        "filterExpression": text,
    }
    create_in_group(
        cp,
        request,
        group,
        kind=KIND,
        arn=arn,
        name=name,
        document=document,
    )
    return {"filterArn": arn}


def describe_filter(cp: ControlPlane, request: dict[str, Any]) -> dict[str, Any]:
    """DescribeFilter."""
    return {"filter": require(cp, request.get("filterArn"), KIND, "filterArn").to_aws()}


def list_filters(cp: ControlPlane, request: dict[str, Any]) -> dict[str, Any]:
    """ListFilters (the AWS result member is ``Filters``, capital F)."""
    return list_page(
        cp,
        request,
        KIND,
        "Filters",
        lambda r: r.summary("name", "filterArn", "datasetGroupArn"),
        parent_field="datasetGroupArn",
        parent_kind="dataset-group",
    )


def delete_filter(cp: ControlPlane, request: dict[str, Any]) -> dict[str, Any]:
    """DeleteFilter: refused while a batch inference job using it is running."""
    item = require(cp, request.get("filterArn"), KIND, "filterArn")
    ensure_deletable(item)
    running = cp.store.find_resources(
        ["batch-inference-job", "batch-segment-job"], linked_to=item.arn, statuses=CREATING
    )
    ensure_no_dependents(cp, item, running)
    cp.store.delete_resource(item.arn)
    return {}


OPERATIONS = {
    "CreateFilter": create_filter,
    "DescribeFilter": describe_filter,
    "ListFilters": list_filters,
    "DeleteFilter": delete_filter,
}
