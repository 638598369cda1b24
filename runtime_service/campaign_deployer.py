"""The background deployer: makes campaigns ACTIVE once this replica can serve them.

Every ``poll_seconds`` it reads all campaigns from the metadata store and

* for a CREATE PENDING campaign, loads its solution version's model beside what is served,
  then marks the campaign ACTIVE with compare-and-set (several replicas may race: the first
  wins, the others see ACTIVE and simply serve it);
* for a campaign whose ``latestCampaignUpdate`` is CREATE PENDING, loads the update's version,
  applies the update (``solutionVersionArn``, ``minProvisionedTPS``, ``campaignConfig``) and
  sets the update ACTIVE; the old deployment serves until the new one is swapped in;
* for an ACTIVE campaign it does not serve yet (start-up, or another replica deployed it), or
  whose served version or config differ from the stored ones, loads it;
* unloads campaigns deleted from the store.

A load failure marks the campaign (or its update) CREATE FAILED with the reason; the replica
goes on serving everything else.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

import numpy as np
import pyarrow as pa

from domain.errors import TailorError
from domain.resources import ACTIVE, CREATE_FAILED, CREATING, Resource, now
from recipes.interactions import lookup_codes
from runtime_service.model_registry import BulkHistories, Deployment, ItemCatalogue, ModelRegistry
from runtime_service.serving_metrics import (
    MODEL_LOAD_FAILURES,
    MODEL_LOAD_SECONDS,
    REQUEST_METRICS,
    campaign_label,
)
from storage.artifacts import ArtifactStore
from storage.data import SegmentStore
from storage.metadata.store import MetadataStore

log = logging.getLogger(__name__)

CAMPAIGN_KIND = "campaign"
VERSION_KIND = "solution-version"
SOLUTION_KIND = "solution"
DATASET_KIND = "dataset"
ARTIFACT_MEMBER = "tailorArtifactUri"
UPDATE_MEMBER = "latestCampaignUpdate"


class DeploymentError(TailorError):
    """A campaign's solution version cannot be loaded; the message is the failure reason."""


class CampaignDeployer:
    """Polls the metadata store and keeps the registry in step with the campaigns."""

    def __init__(
        self,
        store: MetadataStore,
        artifact_store: ArtifactStore,
        segment_store: SegmentStore,
        registry: ModelRegistry,
        *,
        poll_seconds: float = 2.0,
    ) -> None:
        """Create the deployer (call :meth:`start` to run it in the background).

        Args:
            store: The metadata store (campaigns, versions, datasets).
            artifact_store: Where solution versions' models are.
            segment_store: Where the Items dataset's imported segments are.
            registry: What this replica serves.
            poll_seconds: Pause between two passes (``TAILOR_RUNTIME_POLL_SECONDS``).

        """
        self.store = store
        self.artifact_store = artifact_store
        self.segment_store = segment_store
        self.registry = registry
        self.poll_seconds = poll_seconds
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Deploy what is ACTIVE now, then keep polling in a daemon thread."""
        self.sync_once()
        self._thread = threading.Thread(target=self._loop, name="campaign-deployer", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop polling and wait for the current pass to end."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _loop(self) -> None:
        while not self._stop.wait(self.poll_seconds):
            self.sync_once()

    def sync_once(self) -> None:
        """One pass over all campaigns; failures are logged, never raised."""
        try:
            campaigns = self.store.find_resources([CAMPAIGN_KIND])
        except Exception:  # noqa: BLE001 - a store outage must not kill the deployer
            log.exception("runtime: cannot list campaigns")
            return
        present = {campaign.arn for campaign in campaigns}
        for arn in self.registry.campaign_arns() - present:
            self.registry.remove(arn)
            REQUEST_METRICS.forget(campaign_label(arn))
            log.info("runtime: campaign %s deleted; unloaded", arn)
        for campaign in campaigns:
            if self._stop.is_set():
                return
            try:
                self._sync(campaign)
            except Exception:  # noqa: BLE001 - one campaign must not stop the others
                log.exception("runtime: cannot deploy campaign %s", campaign.arn)

    def _sync(self, campaign: Resource) -> None:
        document = campaign.document
        update = document.get(UPDATE_MEMBER) or {}
        if update.get("status") in CREATING and campaign.status in (ACTIVE, CREATE_FAILED):
            self._apply_update(campaign, update)
        elif campaign.status in CREATING:
            self._create(campaign)
        elif campaign.status == ACTIVE:
            served = self.registry.get(campaign.arn)
            config = document.get("campaignConfig") or {}
            if (
                served is None
                or served.solution_version_arn != document["solutionVersionArn"]
                or dict(served.campaign_config) != config
            ):
                self.registry.put(self._load(campaign, document["solutionVersionArn"], config))

    def _create(self, campaign: Resource) -> None:
        document = campaign.document
        config = document.get("campaignConfig") or {}
        try:
            deployment = self._load(campaign, document["solutionVersionArn"], config)
        except DeploymentError as exc:
            self._mark(campaign, status=CREATE_FAILED, changes={"failureReason": str(exc)})
            return
        if self._mark(campaign, status=ACTIVE, removals=("failureReason",)):
            self.registry.put(deployment)
            log.info("runtime: campaign %s ACTIVE", campaign.arn)

    def _apply_update(self, campaign: Resource, update: dict[str, Any]) -> None:
        document = campaign.document
        config = update.get("campaignConfig", document.get("campaignConfig")) or {}
        version_arn = update.get("solutionVersionArn", document["solutionVersionArn"])
        stamp = now()
        try:
            deployment = self._load(campaign, version_arn, config)
        except DeploymentError as exc:
            failed = {**update, "status": CREATE_FAILED, "failureReason": str(exc)}
            self._mark(campaign, changes={UPDATE_MEMBER: {**failed, "lastUpdatedDateTime": stamp}})
            return
        changes: dict[str, Any] = {
            "solutionVersionArn": version_arn,
            "minProvisionedTPS": update.get("minProvisionedTPS", document.get("minProvisionedTPS")),
            UPDATE_MEMBER: {**update, "status": ACTIVE, "lastUpdatedDateTime": stamp},
        }
        removals = ["failureReason"]
        if config:
            changes["campaignConfig"] = config
        else:
            removals.append("campaignConfig")
        if self._mark(campaign, status=ACTIVE, changes=changes, removals=removals):
            self.registry.put(deployment)
            log.info("runtime: campaign %s updated to %s", campaign.arn, version_arn)

    def _mark(
        self,
        campaign: Resource,
        *,
        status: str | None = None,
        changes: dict[str, Any] | None = None,
        removals: tuple[str, ...] | list[str] = (),
    ) -> bool:
        """Compare-and-set the campaign from the status read; False when it changed meanwhile."""
        try:
            self.store.update_resource(
                campaign.arn,
                status=status,
                changes=changes,
                removals=removals,
                expected_statuses=[campaign.status],
            )
        except TailorError:
            # Deleted, or another replica got there first: the next pass sees the new state.
            return False
        return True

    def _load(self, campaign: Resource, version_arn: str, config: dict[str, Any]) -> Deployment:
        """Load ``version_arn``'s model for ``campaign``, timed (failures counted).

        Raises:
            DeploymentError: the version is gone, has no model, or its artifact is unreadable.

        """
        started = time.perf_counter()
        try:
            deployment = self._load_deployment(campaign, version_arn, config)
        except Exception:
            MODEL_LOAD_FAILURES.inc()
            raise
        MODEL_LOAD_SECONDS.observe(time.perf_counter() - started)
        return deployment

    def _load_deployment(
        self, campaign: Resource, version_arn: str, config: dict[str, Any]
    ) -> Deployment:
        """Load ``version_arn``'s model for ``campaign`` (sharing one already loaded here).

        Raises:
            DeploymentError: the version is gone, has no model, or its artifact is unreadable.

        """
        group_arn = campaign.dataset_group_arn or ""
        items = self._item_catalogue(group_arn)
        shared = self.registry.by_version(version_arn)
        if shared is not None:
            return Deployment(
                campaign.arn,
                group_arn,
                version_arn,
                config,
                shared.model,
                shared.item_ids,
                items,
                self._bulk_histories(group_arn, shared.item_ids),
            )
        version = self.store.get_resource(version_arn)
        if version is None:
            raise DeploymentError(f"solution version {version_arn} does not exist")
        uri = version.document.get(ARTIFACT_MEMBER)
        if not uri:
            raise DeploymentError(f"solution version {version_arn} has no trained model")
        try:
            artifact = self.artifact_store.open_artifact(uri)
            item_ids = artifact.arrays["item_ids"]
        except (OSError, ValueError, KeyError) as exc:
            raise DeploymentError(f"cannot load the model of {version_arn}: {exc}") from exc
        histories = self._bulk_histories(group_arn, item_ids)
        return Deployment(
            campaign.arn, group_arn, version_arn, config, artifact.model, item_ids, items, histories
        )

    def _dataset_arn(self, group_arn: str, dataset_type: str) -> str | None:
        datasets = self.store.find_resources([DATASET_KIND], dataset_group_arn=group_arn)
        found = [d.arn for d in datasets if d.document.get("datasetType") == dataset_type]
        return found[0] if found else None

    def _bulk_histories(self, group_arn: str, item_ids: np.ndarray) -> BulkHistories | None:
        """The Interactions dataset's bulk rows as per-user histories of known items."""
        dataset_arn = self._dataset_arn(group_arn, "INTERACTIONS")
        if dataset_arn is None:
            return None
        columns = ["USER_ID", "ITEM_ID", "TIMESTAMP"]
        try:
            tables = [
                self.segment_store.read(segment.uri, columns)
                for segment in self.store.segments.visible_segments(dataset_arn)
            ]
        except OSError as exc:
            raise DeploymentError(f"cannot read the Interactions dataset: {exc}") from exc
        if not tables:
            return None
        table = pa.concat_tables(tables)
        users = np.asarray(table.column("USER_ID").to_pylist(), dtype=str)
        codes = lookup_codes(table.column("ITEM_ID"), item_ids)
        stamps = np.asarray(table.column("TIMESTAMP").to_numpy(zero_copy_only=False), np.int64)
        known = codes >= 0
        users, codes, stamps = users[known], codes[known], stamps[known]
        order = np.lexsort((stamps, users))
        users, codes, stamps = users[order], codes[order], stamps[order]
        user_ids, starts = np.unique(users, return_index=True)
        indptr = np.append(starts, users.shape[0]).astype(np.int64)
        return BulkHistories(user_ids, indptr, codes.astype(np.int32), stamps)

    def _item_catalogue(self, group_arn: str) -> ItemCatalogue | None:
        """The Items dataset's bulk records (the last row of each id wins), or None."""
        dataset_arn = self._dataset_arn(group_arn, "ITEMS")
        if dataset_arn is None:
            return None
        records: dict[str, dict[str, Any]] = {}
        try:
            for segment in self.store.segments.visible_segments(dataset_arn):
                table: pa.Table = self.segment_store.read(segment.uri)
                for row in table.to_pylist():
                    records[str(row.get("ITEM_ID"))] = row
        except OSError as exc:
            raise DeploymentError(f"cannot read the Items dataset {dataset_arn}: {exc}") from exc
        return ItemCatalogue(dataset_arn, records)
