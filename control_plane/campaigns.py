"""Campaigns: a deployed solution version for real-time recommendations."""

from __future__ import annotations

import math
from typing import Any

from control_plane import solution_versions, solutions
from control_plane.context import ControlPlane
from control_plane.resource_access import (
    list_page,
    omit_empty,
    require,
    require_active,
    tags_of,
)
from domain.errors import InvalidInputException, LimitExceededException, ResourceInUseException
from domain.resources import ACTIVE, CREATE_FAILED, CREATE_PENDING, CREATING, Resource, now

KIND = "campaign"
#: ``{solutionArn}/$LATEST`` names the solution's newest ACTIVE version.
LATEST_SUFFIX = "/$LATEST"
#: Per dataset group (§13, adjustable on AWS).
MAX_CAMPAIGNS_PER_GROUP = 5
#: Statuses from which UpdateCampaign is allowed.
UPDATABLE = (ACTIVE, CREATE_FAILED)
EXPLORATION_KEYS = ("explorationWeight", "explorationItemAgeCutOff")


def resolve_version(cp: ControlPlane, arn: str | None, field: str) -> tuple[Resource, bool]:
    """The ACTIVE solution version ``arn`` names, and whether it was given as ``$LATEST``.

    Raises:
        ResourceNotFoundException: no such solution version (or solution, for ``$LATEST``).
        ResourceInUseException: the version is not ACTIVE, or the solution has no ACTIVE one.

    """
    if arn and arn.endswith(LATEST_SUFFIX):
        solution = require(cp, arn[: -len(LATEST_SUFFIX)], solutions.KIND, field)
        active = cp.store.find_resources(
            [solution_versions.KIND], parent_arn=solution.arn, statuses=[ACTIVE]
        )
        if not active:
            raise ResourceInUseException(
                f"{field}: solution {solution.arn} has no ACTIVE solution version yet"
            )
        return max(active, key=lambda version: version.created_at), True
    return require_active(cp, arn, solution_versions.KIND, field), False


def _number(field: str, value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        raise InvalidInputException(f"{field}: {value!r} is not a number")
    return number


def check_campaign_config(config: dict[str, Any], latest: bool) -> None:
    """Validate ``campaignConfig`` for a campaign on a version given as ``$LATEST`` or not.

    Raises:
        InvalidInputException: an unknown or out-of-range exploration setting, or
            ``syncWithLatestSolutionVersion`` without a ``$LATEST`` solution version ARN.

    """
    exploration = config.get("itemExplorationConfig") or {}
    for key, value in exploration.items():
        field = f"campaignConfig.itemExplorationConfig.{key}"
        if key not in EXPLORATION_KEYS:
            raise InvalidInputException(
                f"{field}: unknown key; expected {', '.join(EXPLORATION_KEYS)}"
            )
        number = _number(field, value)
        if key == "explorationWeight" and not 0.0 <= number <= 1.0:
            raise InvalidInputException(f"{field}: {value!r} must be between 0 and 1")
        if key == "explorationItemAgeCutOff" and number <= 0:
            raise InvalidInputException(f"{field}: {value!r} must be greater than 0")
    if config.get("syncWithLatestSolutionVersion") and not latest:
        raise InvalidInputException(
            "campaignConfig.syncWithLatestSolutionVersion: needs solutionVersionArn in the form "
            "{solutionArn}/$LATEST"
        )


def create_campaign(cp: ControlPlane, request: dict[str, Any]) -> dict[str, Any]:
    """CreateCampaign: deploy an ACTIVE version (CREATE PENDING until a runtime replica serves)."""
    version, latest = resolve_version(cp, request.get("solutionVersionArn"), "solutionVersionArn")
    config = request.get("campaignConfig")
    check_campaign_config(config or {}, latest)
    group_arn = version.dataset_group_arn
    if len(cp.store.find_resources([KIND], dataset_group_arn=group_arn)) >= MAX_CAMPAIGNS_PER_GROUP:
        raise LimitExceededException(
            f"dataset group {group_arn} already has {MAX_CAMPAIGNS_PER_GROUP} campaigns"
        )
    name = request["name"]
    arn = cp.arns.build(KIND, name)
    document = omit_empty(
        {
            "name": name,
            "campaignArn": arn,
            "solutionVersionArn": version.arn,
            "minProvisionedTPS": request.get("minProvisionedTPS", 1),
            "campaignConfig": config,
        }
    )
    cp.store.create_resource(
        Resource(
            arn=arn,
            kind=KIND,
            name=name,
            status=CREATE_PENDING,
            document=document,
            parent_arn=version.parent_arn,
            dataset_group_arn=group_arn,
        ),
        links=[version.arn],
        tags=tags_of(request),
        conflict_message=f"a campaign named {name!r} already exists ({arn})",
    )
    return {"campaignArn": arn}


def describe_campaign(cp: ControlPlane, request: dict[str, Any]) -> dict[str, Any]:
    """DescribeCampaign."""
    return {"campaign": require(cp, request.get("campaignArn"), KIND, "campaignArn").to_aws()}


def list_campaigns(cp: ControlPlane, request: dict[str, Any]) -> dict[str, Any]:
    """ListCampaigns, optionally of one solution (campaigns deploying one of its versions)."""
    return list_page(
        cp,
        request,
        KIND,
        "campaigns",
        lambda r: r.summary("name", "campaignArn"),
        parent_field="solutionArn",
        parent_kind=solutions.KIND,
    )


def update_campaign(cp: ControlPlane, request: dict[str, Any]) -> dict[str, Any]:
    """UpdateCampaign: record the new deployment as ``latestCampaignUpdate`` (CREATE PENDING).

    The campaign keeps serving its current version and settings until a runtime replica
    completes the update.
    """
    campaign = require(cp, request.get("campaignArn"), KIND, "campaignArn")
    if campaign.status not in UPDATABLE:
        raise ResourceInUseException(
            f"campaign {campaign.arn} is {campaign.status}; it can be updated only when ACTIVE "
            "or CREATE FAILED"
        )
    document = campaign.document
    if (document.get("latestCampaignUpdate") or {}).get("status") in CREATING:
        raise ResourceInUseException(f"campaign {campaign.arn} already has an update in progress")
    if not any(
        key in request for key in ("solutionVersionArn", "minProvisionedTPS", "campaignConfig")
    ):
        raise InvalidInputException(
            "give at least one of solutionVersionArn, minProvisionedTPS and campaignConfig"
        )
    current_config = document.get("campaignConfig") or {}
    if "solutionVersionArn" in request:
        version, latest = resolve_version(cp, request["solutionVersionArn"], "solutionVersionArn")
        if version.parent_arn != campaign.parent_arn:
            raise InvalidInputException(
                f"solutionVersionArn: {version.arn} is not a version of the campaign's solution "
                f"{campaign.parent_arn}"
            )
        version_arn = version.arn
    else:
        version_arn = document["solutionVersionArn"]
        latest = bool(current_config.get("syncWithLatestSolutionVersion"))
    config = request.get("campaignConfig", current_config)
    check_campaign_config(config, latest)
    stamp = now()
    update = omit_empty(
        {
            "solutionVersionArn": version_arn,
            "minProvisionedTPS": request.get("minProvisionedTPS", document["minProvisionedTPS"]),
            "campaignConfig": config or None,
            "status": CREATE_PENDING,
            "creationDateTime": stamp,
            "lastUpdatedDateTime": stamp,
        }
    )
    cp.store.update_resource(
        campaign.arn,
        changes={"latestCampaignUpdate": update},
        expected_statuses=UPDATABLE,
        links=[document["solutionVersionArn"], version_arn],
    )
    return {"campaignArn": campaign.arn}


def delete_campaign(cp: ControlPlane, request: dict[str, Any]) -> dict[str, Any]:
    """DeleteCampaign: removes the deployment; the solution version remains.

    Allowed in every status: a campaign no replica has loaded yet holds no work to interrupt,
    and replicas unload campaigns that disappear.
    """
    campaign = require(cp, request.get("campaignArn"), KIND, "campaignArn")
    cp.store.delete_resource(campaign.arn)
    return {}


OPERATIONS = {
    "CreateCampaign": create_campaign,
    "DescribeCampaign": describe_campaign,
    "ListCampaigns": list_campaigns,
    "UpdateCampaign": update_campaign,
    "DeleteCampaign": delete_campaign,
}
