"""Campaigns with ``syncWithLatestSolutionVersion`` follow their solution's newest ACTIVE version.

The first tests drive ``trainer.campaign_sync`` over a real SQLite store, with versions marked
ACTIVE by hand; the last runs the whole loop through gRPC: training, the trainer's sync, the
runtime's deployer and GetRecommendations.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from control_plane import campaigns
from control_plane.context import ControlPlane
from domain.resources import ACTIVE, CREATE_FAILED, CREATE_PENDING, Resource
from tests.control_plane import test_solutions_and_campaigns as control_plane_tests
from tests.control_plane.aws_calls import call
from tests.runtime_service.test_serving import ask, items_of, wait_campaign
from tests.trainer import test_solution_training
from tests.trainer.test_solution_training import BLOCKS, UP, train, wait_version
from tests.trainer.test_update_training import NEW_ITEMS, click_new_items, new_items
from trainer.campaign_sync import sync_all_campaigns, sync_solution_campaigns
from trainer.worker import Worker

#: Shared fixtures: a control plane over a fresh store; the planted dataset group.
cp = control_plane_tests.cp
planted = test_solution_training.planted
new_solution, trained = control_plane_tests.new_solution, control_plane_tests.trained
SYNC = {"syncWithLatestSolutionVersion": True}


def campaign_of(cp: ControlPlane, arn: str) -> dict[str, Any]:
    return campaigns.describe_campaign(cp, {"campaignArn": arn})["campaign"]


def syncing_campaign(cp: ControlPlane, solution: str, name: str = "web") -> str:
    """A campaign on ``solution/$LATEST`` with sync on and exploration set."""
    config = {**SYNC, "itemExplorationConfig": {"explorationWeight": "0.2"}}
    request = {
        "name": name,
        "solutionVersionArn": f"{solution}/$LATEST",
        "minProvisionedTPS": 3,
        "campaignConfig": config,
    }
    return campaigns.create_campaign(cp, request)["campaignArn"]


def test_a_newer_active_version_becomes_a_campaign_update(cp):
    solution = new_solution(cp)
    first = trained(cp, solution)
    web = syncing_campaign(cp, solution)
    fixed = campaigns.create_campaign(cp, {"name": "fixed", "solutionVersionArn": first})
    for arn in (web, fixed["campaignArn"]):
        cp.store.update_resource(arn, status=ACTIVE)  # stands in for the runtime's deployer
    assert sync_solution_campaigns(cp.store, solution) == []

    second = trained(cp, solution)
    assert sync_solution_campaigns(cp.store, solution) == [web]
    campaign = campaign_of(cp, web)
    assert campaign["status"] == ACTIVE
    assert campaign["solutionVersionArn"] == first, "the old version serves until the update"
    update = campaign["latestCampaignUpdate"]
    assert update["solutionVersionArn"] == second
    assert update["status"] == CREATE_PENDING
    assert update["minProvisionedTPS"] == 3
    assert update["campaignConfig"] == campaign["campaignConfig"]
    assert update["creationDateTime"] == update["lastUpdatedDateTime"]
    assert "latestCampaignUpdate" not in campaign_of(cp, fixed["campaignArn"])
    assert sync_solution_campaigns(cp.store, solution) == [], "a second pass changes nothing"
    assert [c.arn for c in cp.store.find_resources(["campaign"], linked_to=second)] == [web]

    # A newer version while the update is pending re-targets it.
    third = trained(cp, solution)
    assert sync_solution_campaigns(cp.store, solution) == [web]
    retargeted = campaign_of(cp, web)["latestCampaignUpdate"]
    assert retargeted["solutionVersionArn"] == third
    assert retargeted["creationDateTime"] == update["creationDateTime"]

    # A sync update that failed to deploy is not retried for the same version.
    failed = {**retargeted, "status": CREATE_FAILED, "failureReason": "cannot load"}
    cp.store.update_resource(web, changes={"latestCampaignUpdate": failed})
    assert sync_solution_campaigns(cp.store, solution) == []
    fourth = trained(cp, solution)
    assert sync_solution_campaigns(cp.store, solution) == [web]
    assert campaign_of(cp, web)["latestCampaignUpdate"]["solutionVersionArn"] == fourth


def test_a_campaign_being_created_is_pointed_at_the_newest_version(cp):
    solution = new_solution(cp)
    trained(cp, solution)
    web = syncing_campaign(cp, solution)
    newest = trained(cp, solution)
    assert sync_solution_campaigns(cp.store, solution) == [web]
    campaign = campaign_of(cp, web)
    assert campaign["status"] == CREATE_PENDING
    assert campaign["solutionVersionArn"] == newest
    assert "latestCampaignUpdate" not in campaign
    assert [c.arn for c in cp.store.find_resources(["campaign"], linked_to=newest)] == [web]


def test_the_worker_catches_up_on_syncs_it_missed(cp):
    solution, other = new_solution(cp), new_solution(cp, "other")
    trained(cp, solution)
    trained(cp, other)
    web, shop = syncing_campaign(cp, solution), syncing_campaign(cp, other, "shop")
    for arn in (web, shop):
        cp.store.update_resource(arn, status=ACTIVE)
    newest = trained(cp, solution), trained(cp, other)
    Worker(cp.store, housekeeping_seconds=0).housekeep()
    for arn, version in zip((web, shop), newest, strict=True):
        assert campaign_of(cp, arn)["latestCampaignUpdate"]["solutionVersionArn"] == version
    assert sync_all_campaigns(cp.store) == []


class FinishesAnotherVersion:
    """A store on which another trainer finishes ``version`` just as a campaign is written."""

    def __init__(self, store: Any, version: str) -> None:
        self._store = store
        self.version = version
        self.raced = False

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def update_resource(self, arn: str, **changes: Any) -> Resource:
        if not self.raced and arn.split(":")[-1].startswith("campaign/"):
            self.raced = True
            self._store.update_resource(self.version, status=ACTIVE)
        return self._store.update_resource(arn, **changes)


def test_versions_finishing_together_leave_the_campaign_on_the_newest(cp):
    solution = new_solution(cp)
    trained(cp, solution)
    web = syncing_campaign(cp, solution)
    cp.store.update_resource(web, status=ACTIVE)
    second = trained(cp, solution)
    third = control_plane_tests.new_version(cp, solution)  # still training
    racing = FinishesAnotherVersion(cp.store, third)
    assert sync_solution_campaigns(racing, solution) == [web, web]
    assert racing.raced
    update = campaign_of(cp, web)["latestCampaignUpdate"]
    assert update["solutionVersionArn"] == third != second


def test_a_synced_campaign_serves_the_updated_model(
    personalize, events, runtime, planted, tmp_path: Path
):
    full_arn, full = train(personalize, planted["group"], "up", UP)
    assert full["status"] == "ACTIVE", full.get("failureReason")
    solution = full["solutionArn"]
    # Items younger than ~1.2 hours are explored (the new items; the planted ones are older).
    config = {**SYNC, "itemExplorationConfig": {"explorationItemAgeCutOff": "0.05"}}
    arn = call(
        personalize,
        "CreateCampaign",
        name="shop",
        solutionVersionArn=f"{solution}/$LATEST",
        campaignConfig=config,
    )["campaignArn"]
    wait_campaign(personalize, arn, lambda c: c["status"] == "ACTIVE")
    every_new_item = {item for block in range(BLOCKS) for item in new_items(block)}
    before = ask(runtime, "GetRecommendations", campaignArn=arn, userId="b0-u1", numResults=5)
    assert not set(items_of(before)) & every_new_item

    tracker = call(personalize, "CreateEventTracker", name="t", datasetGroupArn=planted["group"])
    click_new_items(events, tracker["trackingId"])
    update_arn = call(
        personalize, "CreateSolutionVersion", solutionArn=solution, trainingMode="UPDATE"
    )["solutionVersionArn"]
    assert wait_version(personalize, update_arn)["status"] == "ACTIVE"
    campaign = wait_campaign(
        personalize,
        arn,
        lambda c: c.get("latestCampaignUpdate", {}).get("status") == "ACTIVE",
    )
    assert campaign["solutionVersionArn"] == update_arn
    assert campaign["latestCampaignUpdate"]["solutionVersionArn"] == update_arn
    assert campaign["campaignConfig"] == config

    # b0-u1 clicked no new item; its block's new items now reach it first (other blocks' new
    # items may follow: they are new and popular lately too).
    after = ask(runtime, "GetRecommendations", campaignArn=arn, userId="b0-u1", numResults=5)
    assert set(items_of(after)[:NEW_ITEMS]) == set(new_items(0)), items_of(after)
    assert full_arn != update_arn
