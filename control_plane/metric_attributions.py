"""Metric attributions: one per dataset group, reporting up to ten metrics per event type."""

from __future__ import annotations

import re
from typing import Any

from control_plane.context import ControlPlane
from control_plane.resource_access import (
    create_in_group,
    delete_when_idle,
    list_page,
    require,
    require_active,
)
from domain.dataset_schema import parse_dataset_schema
from domain.errors import (
    InvalidInputException,
    InvalidNextTokenException,
    LimitExceededException,
    ResourceAlreadyExistsException,
    ResourceInUseException,
)
from domain.resources import ACTIVE, Resource

KIND = "metric-attribution"
MAX_METRICS = 10
#: Document member holding the metrics; MetricAttribution itself has no such member.
METRICS = "metrics"
_SUM = re.compile(
    r"^\s*SUM\(\s*(Items|Interactions)\s*\.\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)\s*$", re.I
)
_SAMPLECOUNT = re.compile(r"^\s*SAMPLECOUNT\(\s*\)\s*$", re.I)
_NUMERIC = frozenset({"int", "long", "float", "double"})


def _check_expression(cp: ControlPlane, group: Resource, where: str, expression: str) -> None:
    """``SAMPLECOUNT()`` or ``SUM(Items.COL)`` / ``SUM(Interactions.COL)`` on a numeric column."""
    if _SAMPLECOUNT.match(expression):
        return
    match = _SUM.match(expression)
    if match is None:
        raise InvalidInputException(
            f"{where}.expression: {expression!r} must be SAMPLECOUNT() or SUM(Items.COLUMN) / "
            "SUM(Interactions.COLUMN)"
        )
    dataset_type, column = match.group(1).upper(), match.group(2)
    datasets = cp.store.find_resources(["dataset"], dataset_group_arn=group.arn)
    dataset = next((d for d in datasets if d.document["datasetType"] == dataset_type), None)
    schema = cp.store.get_resource(dataset.document["schemaArn"]) if dataset else None
    if schema is None:
        raise InvalidInputException(
            f"{where}.expression: dataset group {group.arn} has no {dataset_type} dataset"
        )
    parsed = parse_dataset_schema(schema.document["schema"], schema.document.get("domain"))
    field = next((f for f in parsed.fields if f.name.upper() == column.upper()), None)
    if field is None or field.base_type not in _NUMERIC:
        problem = "has no column" if field is None else "has no numeric column"
        raise InvalidInputException(
            f"{where}.expression: the {dataset_type} schema {problem} {column!r}"
        )


def _checked_metrics(
    cp: ControlPlane, group: Resource, metrics: list[dict[str, Any]], member: str
) -> list[dict[str, str]]:
    """The metrics validated: names unique, expressions over existing numeric columns."""
    seen: set[str] = set()
    checked = []
    for index, metric in enumerate(metrics):
        where = f"{member}[{index}]"
        for key in ("eventType", "metricName", "expression"):
            if not metric.get(key):
                raise InvalidInputException(f"{where}.{key} is required")
        if metric["metricName"] in seen:
            raise InvalidInputException(
                f"{where}.metricName: {metric['metricName']!r} appears more than once"
            )
        seen.add(metric["metricName"])
        _check_expression(cp, group, where, metric["expression"])
        checked.append({k: metric[k] for k in ("eventType", "metricName", "expression")})
    return checked


def _check_count(count: int) -> None:
    if count > MAX_METRICS:
        raise LimitExceededException(
            f"a metric attribution holds at most {MAX_METRICS} metrics, this would make {count}"
        )


def create_metric_attribution(cp: ControlPlane, request: dict[str, Any]) -> dict[str, Any]:
    """CreateMetricAttribution: the group's only attribution, ACTIVE at once.

    Raises:
        ResourceNotFoundException: the dataset group does not exist.
        ResourceInUseException: the dataset group is not ACTIVE.
        ResourceAlreadyExistsException: the group already has an attribution, or the name is taken.
        LimitExceededException: more than ten metrics.
        InvalidInputException: a metric is invalid.

    """
    group = require_active(cp, request.get("datasetGroupArn"), "dataset-group", "datasetGroupArn")
    metrics = request.get("metrics") or []
    _check_count(len(metrics))
    checked = _checked_metrics(cp, group, metrics, "metrics")
    name = request["name"]
    arn = cp.arns.build(KIND, name)
    existing = cp.store.find_resources([KIND], dataset_group_arn=group.arn)
    conflict = (
        f"dataset group {group.arn} already has a metric attribution ({existing[0].arn})"
        if existing
        else f"a metric attribution named {name!r} already exists ({arn})"
    )
    document = {
        "name": name,
        "metricAttributionArn": arn,
        "datasetGroupArn": group.arn,
        "metricsOutputConfig": request["metricsOutputConfig"],
        METRICS: checked,
    }
    create_in_group(
        cp,
        request,
        group,
        kind=KIND,
        arn=arn,
        name=name,
        document=document,
        singleton_key=f"{KIND}:{group.arn}",
        conflict_message=conflict,
    )
    return {"metricAttributionArn": arn}


def _aws(resource: Resource) -> dict[str, Any]:
    body = resource.to_aws()
    body.pop(METRICS, None)
    return body


def describe_metric_attribution(cp: ControlPlane, request: dict[str, Any]) -> dict[str, Any]:
    """DescribeMetricAttribution."""
    item = require(cp, request.get("metricAttributionArn"), KIND, "metricAttributionArn")
    return {"metricAttribution": _aws(item)}


def list_metric_attributions(cp: ControlPlane, request: dict[str, Any]) -> dict[str, Any]:
    """ListMetricAttributions, optionally of one dataset group, newest first."""
    return list_page(
        cp,
        request,
        KIND,
        "metricAttributions",
        lambda r: r.summary("name", "metricAttributionArn"),
        parent_field="datasetGroupArn",
        parent_kind="dataset-group",
    )


def list_metric_attribution_metrics(cp: ControlPlane, request: dict[str, Any]) -> dict[str, Any]:
    """ListMetricAttributionMetrics: one attribution's metrics, in the order they were added.

    The model leaves ``metricAttributionArn`` optional, but metrics only exist per attribution.
    """
    item = require(cp, request.get("metricAttributionArn"), KIND, "metricAttributionArn")
    metrics = item.document.get(METRICS, [])
    start = 0
    token = request.get("nextToken")
    if token:
        names = [metric["metricName"] for metric in metrics]
        if token not in names:
            raise InvalidNextTokenException(f"nextToken {token[:40]!r} is not valid")
        start = names.index(token)
    size = int(request.get("maxResults", 100))
    response: dict[str, Any] = {METRICS: metrics[start : start + size]}
    if start + size < len(metrics):
        response["nextToken"] = metrics[start + size]["metricName"]
    return response


def update_metric_attribution(cp: ControlPlane, request: dict[str, Any]) -> dict[str, Any]:
    """UpdateMetricAttribution: remove metrics, then add metrics, and/or replace the output.

    Raises:
        InvalidInputException: no ARN, nothing to change, an unknown metric to remove, or an
            invalid metric to add.
        ResourceAlreadyExistsException: an added metric's name is already in use.
        LimitExceededException: the attribution would hold more than ten metrics.

    """
    item = require(cp, request.get("metricAttributionArn"), KIND, "metricAttributionArn")
    if item.status != ACTIVE:
        raise ResourceInUseException(
            f"metric attribution {item.arn} is {item.status}; it must be ACTIVE to be updated"
        )
    add, remove = request.get("addMetrics") or [], request.get("removeMetrics") or []
    output = request.get("metricsOutputConfig")
    if not add and not remove and not output:
        raise InvalidInputException(
            "nothing to update: give addMetrics, removeMetrics or metricsOutputConfig"
        )
    group = require(cp, item.dataset_group_arn, "dataset-group", "datasetGroupArn")
    metrics = list(item.document.get(METRICS, []))
    names = [metric["metricName"] for metric in metrics]
    unknown = [name for name in remove if name not in names]
    if unknown:
        raise InvalidInputException(
            f"removeMetrics: metric attribution {item.arn} has no metric {', '.join(unknown)}"
        )
    metrics = [metric for metric in metrics if metric["metricName"] not in set(remove)]
    added = _checked_metrics(cp, group, add, "addMetrics")
    taken = {metric["metricName"] for metric in metrics} & {m["metricName"] for m in added}
    if taken:
        raise ResourceAlreadyExistsException(
            f"addMetrics: metric attribution {item.arn} already has a metric named "
            f"{', '.join(sorted(taken))}"
        )
    metrics += added
    _check_count(len(metrics))
    changes: dict[str, Any] = {METRICS: metrics}
    if output:
        changes["metricsOutputConfig"] = output
    cp.store.update_resource(item.arn, changes=changes, expected_statuses=[ACTIVE])
    return {"metricAttributionArn": item.arn}


def delete_metric_attribution(cp: ControlPlane, request: dict[str, Any]) -> dict[str, Any]:
    """DeleteMetricAttribution."""
    return delete_when_idle(cp, request, KIND, "metricAttributionArn")


OPERATIONS = {
    "CreateMetricAttribution": create_metric_attribution,
    "DescribeMetricAttribution": describe_metric_attribution,
    "ListMetricAttributions": list_metric_attributions,
    "ListMetricAttributionMetrics": list_metric_attribution_metrics,
    "UpdateMetricAttribution": update_metric_attribution,
    "DeleteMetricAttribution": delete_metric_attribution,
}
