"""The background deployer: makes campaigns ACTIVE once this replica can serve them.

(Recommenders are served beside them: ``runtime_service.recommender_sync``, same pass.)

Every ``poll_seconds`` it reads all campaigns from the metadata store and

* for a CREATE PENDING campaign, loads its solution version's model beside what is served,
  then marks the campaign ACTIVE with compare-and-set (several replicas may race: the first
  wins, the others see ACTIVE and simply serve it);
* for a campaign whose ``latestCampaignUpdate`` is CREATE PENDING, loads the update's version,
  applies the update (``solutionVersionArn``, ``minProvisionedTPS``, ``campaignConfig``) and
  sets the update ACTIVE; the old deployment serves until the new one is swapped in;
* for an ACTIVE campaign it does not serve yet (start-up, or another replica deployed it), or
  whose served version or config differ from the stored ones, loads it;
* unloads campaigns deleted from the store;
* reads a served deployment's Interactions, Items or Users rows again when an import or a data
  deletion job changed them, and swaps them in (``runtime_service.data_refresh``).

A load failure marks the campaign (or its update) CREATE FAILED with the reason; the replica
goes on serving everything else.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from domain.errors import TailorError
from domain.resources import ACTIVE, CREATE_FAILED, CREATING, Resource, now
from recipes.personalization import PersonalizationModel, prepare_serving
from runtime_service.data_refresh import DataRefresh
from runtime_service.group_datasets import DeploymentError, GroupDatasets
from runtime_service.model_registry import Deployment, ModelRegistry
from runtime_service.recommender_sync import RecommenderSync
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
ARTIFACT_MEMBER = "tailorArtifactUri"
UPDATE_MEMBER = "latestCampaignUpdate"


def _plain_arrays(model: Any) -> Any:
    """``model`` laid out for serving: plain ndarray views, its serving values built now.

    Every index into an ``np.memmap`` builds another memmap object (``__array_finalize__``):
    dozens per request. A plain view of the mapped buffer reads the same shared pages without
    that cost. A personalization model's per-model serving values (prior, column-major factors,
    fold-in base) are built here, so no request pays for them.
    """
    if not dataclasses.is_dataclass(model):
        return model
    views = {
        spec.name: np.asarray(getattr(model, spec.name))
        for spec in dataclasses.fields(model)
        if isinstance(getattr(model, spec.name), np.memmap)
    }
    served = dataclasses.replace(model, **views) if views else model
    if isinstance(served, PersonalizationModel):
        prepare_serving(served)
    return served


def _min_tps(resource: Resource, config: dict[str, Any], use_case: str | None) -> int:
    """``minProvisionedTPS`` of a campaign or ``minRecommendationRequestsPerSecond`` (default 1)."""
    if use_case is not None:
        value = config.get("minRecommendationRequestsPerSecond")
    else:
        value = resource.document.get("minProvisionedTPS")
    try:
        return int(value) if value is not None else 1
    except (TypeError, ValueError):
        return 1


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
        cache_dir: Path | None = None,
    ) -> None:
        """Create the deployer (call :meth:`start` to run it in the background).

        Args:
            store: The metadata store (campaigns, versions, datasets).
            artifact_store: Where solution versions' models are.
            segment_store: Where the Items dataset's imported segments are.
            registry: What this replica serves.
            poll_seconds: Pause between two passes (``TAILOR_RUNTIME_POLL_SECONDS``).
            cache_dir: Where bulk histories are kept for every serving process to map
                (None: built in memory by each).

        """
        self.store = store
        self.artifact_store = artifact_store
        self.segment_store = segment_store
        self.registry = registry
        self.poll_seconds = poll_seconds
        self.cache_dir = cache_dir
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.datasets = GroupDatasets(store, segment_store, cache_dir)
        self.recommenders = RecommenderSync(store, registry, self._load, self._stop)
        self.refresh = DataRefresh(self.datasets, registry, self._stop)

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
        self.recommenders.sync_once()
        self.refresh.sync_once()

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
                or served.min_tps != _min_tps(campaign, config, None)
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
        tps = update.get("minProvisionedTPS", document.get("minProvisionedTPS"))
        updated = dataclasses.replace(campaign, document={**document, "minProvisionedTPS": tps})
        try:
            deployment = self._load(updated, version_arn, config)
        except DeploymentError as exc:
            failed = {**update, "status": CREATE_FAILED, "failureReason": str(exc)}
            self._mark(campaign, changes={UPDATE_MEMBER: {**failed, "lastUpdatedDateTime": stamp}})
            return
        changes: dict[str, Any] = {
            "solutionVersionArn": version_arn,
            "minProvisionedTPS": tps,
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

    def _load(
        self,
        resource: Resource,
        version_key: str,
        config: dict[str, Any],
        *,
        uri: str | None = None,
        use_case: str | None = None,
    ) -> Deployment:
        """Load a campaign's (or recommender's) model, timed (failures counted).

        Args:
            resource: The campaign or recommender.
            version_key: The solution version ARN (a recommender: its artifact URI).
            config: ``campaignConfig`` (a recommender: ``recommenderConfig``) to serve with.
            uri: The artifact's URI, read from the solution version when None.
            use_case: A recommender's domain recipe name.

        Raises:
            DeploymentError: the version is gone, has no model, or its artifact is unreadable.

        """
        started = time.perf_counter()
        try:
            deployment = self._load_deployment(resource, version_key, config, uri, use_case)
        except Exception:
            MODEL_LOAD_FAILURES.inc()
            raise
        MODEL_LOAD_SECONDS.observe(time.perf_counter() - started)
        # Reading segments grows Arrow's allocator (mimalloc), which keeps freed memory: about
        # 240 MB per process after 2.8M interactions. Give it back.
        pa.default_memory_pool().release_unused()
        return deployment

    def _load_deployment(
        self,
        resource: Resource,
        version_key: str,
        config: dict[str, Any],
        uri: str | None,
        use_case: str | None,
    ) -> Deployment:
        """Load the model of ``version_key`` for ``resource`` (sharing one already loaded here).

        Raises:
            DeploymentError: the version is gone, has no model, or its artifact is unreadable.

        """
        group_arn = resource.dataset_group_arn or resource.document.get("datasetGroupArn") or ""
        # Read before the data: an import committed meanwhile is refreshed by the next pass.
        versions = self.datasets.data_versions([group_arn]).get(group_arn, {})
        items = self.datasets.item_catalogue(group_arn)
        settings = {
            "data_versions": versions,
            "users": self.datasets.user_catalogue(group_arn),
            "use_case": use_case,
            "min_tps": _min_tps(resource, config, use_case),
        }
        shared = self.registry.by_version(version_key)
        if shared is not None:
            histories = self.datasets.bulk_histories(group_arn, version_key, shared.item_ids)
            return Deployment(
                resource.arn,
                group_arn,
                version_key,
                config,
                shared.model,
                shared.item_ids,
                items,
                histories,
                **settings,
            )
        if uri is None:
            version = self.store.get_resource(version_key)
            if version is None:
                raise DeploymentError(f"solution version {version_key} does not exist")
            uri = version.document.get(ARTIFACT_MEMBER)
        if not uri:
            raise DeploymentError(f"solution version {version_key} has no trained model")
        try:
            artifact = self.artifact_store.open_artifact(uri)
            item_ids = np.asarray(artifact.arrays["item_ids"])
        except (OSError, ValueError, KeyError) as exc:
            raise DeploymentError(f"cannot load the model of {version_key}: {exc}") from exc
        histories = self.datasets.bulk_histories(group_arn, version_key, item_ids)
        model = _plain_arrays(artifact.model)
        return Deployment(
            resource.arn,
            group_arn,
            version_key,
            config,
            model,
            item_ids,
            items,
            histories,
            **settings,
        )
