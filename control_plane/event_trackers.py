"""Event trackers: one per dataset group, each with a trackingId for PutEvents."""

from __future__ import annotations

import uuid
from typing import Any

from control_plane.context import ControlPlane
from control_plane.resource_access import (
    create_in_group,
    delete_when_idle,
    list_page,
    require,
    require_active,
)

KIND = "event-tracker"


def create_event_tracker(cp: ControlPlane, request: dict[str, Any]) -> dict[str, Any]:
    """CreateEventTracker: ACTIVE at once; a second tracker in the group is refused."""
    group = require_active(cp, request.get("datasetGroupArn"), "dataset-group", "datasetGroupArn")
    name = request["name"]
    arn = cp.arns.build(KIND, name)
    tracking_id = str(uuid.uuid4())
    document = {
        "name": name,
        "eventTrackerArn": arn,
        "accountId": cp.arns.account_id,
        "trackingId": tracking_id,
        "datasetGroupArn": group.arn,
    }
    existing = cp.store.find_resources([KIND], dataset_group_arn=group.arn)
    conflict = (
        f"dataset group {group.arn} already has an event tracker ({existing[0].arn})"
        if existing
        else f"an event tracker named {name!r} already exists ({arn})"
    )
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
    return {"eventTrackerArn": arn, "trackingId": tracking_id}


def describe_event_tracker(cp: ControlPlane, request: dict[str, Any]) -> dict[str, Any]:
    """DescribeEventTracker."""
    tracker = require(cp, request.get("eventTrackerArn"), KIND, "eventTrackerArn")
    return {"eventTracker": tracker.to_aws()}


def list_event_trackers(cp: ControlPlane, request: dict[str, Any]) -> dict[str, Any]:
    """ListEventTrackers, optionally of one dataset group."""
    return list_page(
        cp,
        request,
        KIND,
        "eventTrackers",
        lambda r: r.summary("name", "eventTrackerArn"),
        parent_field="datasetGroupArn",
        parent_kind="dataset-group",
    )


def delete_event_tracker(cp: ControlPlane, request: dict[str, Any]) -> dict[str, Any]:
    """DeleteEventTracker: the interactions dataset and its data are kept."""
    return delete_when_idle(cp, request, KIND, "eventTrackerArn")


OPERATIONS = {
    "CreateEventTracker": create_event_tracker,
    "DescribeEventTracker": describe_event_tracker,
    "ListEventTrackers": list_event_trackers,
    "DeleteEventTracker": delete_event_tracker,
}
