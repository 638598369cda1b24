"""Campaigns with ``syncWithLatestSolutionVersion`` follow their solution's newest ACTIVE version.

A campaign created or updated with ``solutionVersionArn={solutionArn}/$LATEST`` and
``campaignConfig.syncWithLatestSolutionVersion=true`` is moved to each newer version of its
solution (FULL, UPDATE or automatic) that becomes ACTIVE. "Newest" is what ``$LATEST`` resolves
to: the ACTIVE version created last.

The move is recorded as AWS shows it, a campaign update: ``latestCampaignUpdate`` with the new
``solutionVersionArn`` (and the campaign's current ``minProvisionedTPS`` and ``campaignConfig``)
in CREATE PENDING. The runtime's deployer loads the new model beside the old one, swaps it in,
then sets ``Campaign.solutionVersionArn`` and the update ACTIVE; the old version serves until
then. A pending update (the user's or an earlier sync's) is re-targeted, keeping its other
members. A campaign still being created is pointed at the new version directly (nothing is
served yet). A sync update that failed to deploy is not retried for the same version.

The trainer syncs a solution's campaigns right after one of its versions turns ACTIVE, and the
worker re-runs :func:`sync_all_campaigns` periodically, so that a move lost to a race (two
versions finishing together, a deployer applying an older update meanwhile, a trainer dying
between the two writes) is made on the next pass. Every write is a compare-and-set on the
campaign's status, and a pass re-checks the newest version after writing, so concurrent
trainers converge on the newest version.
"""

from __future__ import annotations

import logging
from typing import Any

from domain.errors import TailorError
from domain.resources import ACTIVE, CREATE_FAILED, CREATE_PENDING, CREATING, Resource, now
from storage.metadata.store import MetadataStore

log = logging.getLogger(__name__)

CAMPAIGN_KIND = "campaign"
VERSION_KIND = "solution-version"
UPDATE_MEMBER = "latestCampaignUpdate"
#: Passes of :func:`sync_solution_campaigns` when newer versions keep turning ACTIVE meanwhile.
_MAX_PASSES = 3


def follows_latest(campaign: Resource) -> bool:
    """Whether the campaign has ``campaignConfig.syncWithLatestSolutionVersion`` on."""
    config = campaign.document.get("campaignConfig") or {}
    return bool(config.get("syncWithLatestSolutionVersion"))


def latest_active_version(store: MetadataStore, solution_arn: str) -> Resource | None:
    """The solution's ACTIVE version created last (what ``$LATEST`` names), or None."""
    active = store.find_resources([VERSION_KIND], parent_arn=solution_arn, statuses=[ACTIVE])
    return max(active, key=lambda version: version.created_at) if active else None


def sync_solution_campaigns(store: MetadataStore, solution_arn: str) -> list[str]:
    """Move the solution's syncing campaigns to its newest ACTIVE version.

    Args:
        store: The metadata store.
        solution_arn: The solution whose campaigns to move.

    Returns:
        The ARNs of the campaigns moved (or whose pending update was re-targeted).

    """
    moved: list[str] = []
    for _ in range(_MAX_PASSES):
        latest = latest_active_version(store, solution_arn)
        if latest is None:
            return moved
        for campaign in store.find_resources([CAMPAIGN_KIND], parent_arn=solution_arn):
            if follows_latest(campaign) and _follow(store, campaign, latest.arn):
                moved.append(campaign.arn)
                log.info("campaign %s syncs to %s", campaign.arn, latest.arn)
        newest = latest_active_version(store, solution_arn)
        if newest is None or newest.arn == latest.arn:
            return moved
    return moved


def sync_all_campaigns(store: MetadataStore) -> list[str]:
    """:func:`sync_solution_campaigns` for every solution with a syncing campaign."""
    solutions = {
        campaign.parent_arn
        for campaign in store.find_resources([CAMPAIGN_KIND])
        if campaign.parent_arn and follows_latest(campaign)
    }
    moved: list[str] = []
    for solution_arn in sorted(solutions):
        moved.extend(sync_solution_campaigns(store, solution_arn))
    return moved


def _follow(store: MetadataStore, campaign: Resource, target: str) -> bool:
    """Point one campaign at ``target``; False when it already is (or changed meanwhile)."""
    document = campaign.document
    current = document.get("solutionVersionArn")
    update = document.get(UPDATE_MEMBER) or {}
    changes: dict[str, Any]
    if campaign.status in CREATING:
        if current == target:
            return False
        changes, links = {"solutionVersionArn": target}, [target]
    elif campaign.status in (ACTIVE, CREATE_FAILED):
        stamp = now()
        if update.get("status") in CREATING:
            if update.get("solutionVersionArn") == target:
                return False
            changes = {UPDATE_MEMBER: {**update, "solutionVersionArn": target}}
            changes[UPDATE_MEMBER]["lastUpdatedDateTime"] = stamp
        else:
            if current == target:
                return False
            if update.get("solutionVersionArn") == target and update.get("status") == CREATE_FAILED:
                return False  # this version failed to deploy already: do not retry it forever
            changes = {UPDATE_MEMBER: _new_update(document, target, stamp)}
        links = [link for link in (current, target) if link]
    else:
        return False
    try:
        store.update_resource(
            campaign.arn, changes=changes, expected_statuses=[campaign.status], links=links
        )
    except TailorError:
        return False  # deleted, or its status moved on: the next pass sees the new state
    return True


def _new_update(document: dict[str, Any], target: str, stamp: float) -> dict[str, Any]:
    """A ``CampaignUpdateSummary`` moving the campaign, as deployed, to ``target``."""
    update: dict[str, Any] = {
        "solutionVersionArn": target,
        "minProvisionedTPS": document.get("minProvisionedTPS", 1),
        "status": CREATE_PENDING,
        "creationDateTime": stamp,
        "lastUpdatedDateTime": stamp,
    }
    if document.get("campaignConfig"):
        update["campaignConfig"] = document["campaignConfig"]
    return update
