"""Keeps the registry in step with the recommenders (one pass of the campaign deployer).

A recommender is trained to ACTIVE by the trainer (``trainer.recommender_training``), which
records the model's artifact URI (``tailorArtifactUri``) on it; the runtime never changes a
recommender's status. Each pass

* loads every ACTIVE recommender with a model that is not served here yet, or whose artifact URI
  (a retraining) or ``recommenderConfig`` (UpdateRecommender) differ from the served ones; the
  new deployment is built beside the served one, then swapped in;
* unloads every served recommender that is no longer ACTIVE (STOP PENDING, STOP IN_PROGRESS,
  INACTIVE, START PENDING, START IN_PROGRESS, DELETE ...) or is deleted, so GetRecommendations
  answers ResourceNotFoundException for it (spec §2.3: "recommender must not be INACTIVE").

A recommender whose model cannot be loaded is logged once per artifact and not served; it stays
ACTIVE in the store (it has no status of the runtime's own to fail).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from domain.recipe_catalogue import recipe_by_arn
from domain.resources import ACTIVE, Resource
from runtime_service.model_registry import Deployment, ModelRegistry
from runtime_service.serving_metrics import REQUEST_METRICS, campaign_label
from storage.metadata.store import MetadataStore

log = logging.getLogger(__name__)

RECOMMENDER_KIND = "recommender"
ARTIFACT_MEMBER = "tailorArtifactUri"
CONFIG_MEMBER = "recommenderConfig"

#: ``CampaignDeployer._load``: (resource, version key, config, uri=, use_case=) -> Deployment.
Loader = Callable[..., Deployment]


class RecommenderSync:
    """Loads ACTIVE recommenders into the registry and unloads the others."""

    def __init__(
        self,
        store: MetadataStore,
        registry: ModelRegistry,
        load: Loader,
        stop: threading.Event,
    ) -> None:
        """Create the syncer.

        Args:
            store: The metadata store (recommenders).
            registry: What this replica serves.
            load: Builds a deployment (the campaign deployer's loader).
            stop: Set when the deployer stops (a pass ends early).

        """
        self.store = store
        self.registry = registry
        self.load = load
        self.stop = stop
        # recommender ARN -> (artifact URI, config) that failed to load (not retried every pass)
        self._failed: dict[str, tuple[str, dict[str, Any]]] = {}

    def sync_once(self) -> None:
        """One pass over all recommenders; failures are logged, never raised."""
        try:
            recommenders = self.store.find_resources([RECOMMENDER_KIND])
        except Exception:  # noqa: BLE001 - a store outage must not kill the deployer
            log.exception("runtime: cannot list recommenders")
            return
        servable = {
            r.arn: r for r in recommenders if r.status == ACTIVE and r.document.get(ARTIFACT_MEMBER)
        }
        for arn in self.registry.recommender_arns() - set(servable):
            self.registry.remove(arn)
            REQUEST_METRICS.forget(campaign_label(arn))
            log.info("runtime: recommender %s is not ACTIVE any more; unloaded", arn)
        for recommender in servable.values():
            if self.stop.is_set():
                return
            try:
                self._sync(recommender)
            except Exception:  # noqa: BLE001 - one recommender must not stop the others
                document = recommender.document
                attempt = (document[ARTIFACT_MEMBER], document.get(CONFIG_MEMBER) or {})
                self._failed[recommender.arn] = attempt
                log.exception("runtime: cannot serve recommender %s", recommender.arn)

    def _sync(self, recommender: Resource) -> None:
        document = recommender.document
        uri: str = document[ARTIFACT_MEMBER]
        config: dict[str, Any] = document.get(CONFIG_MEMBER) or {}
        served = self.registry.get(recommender.arn)
        if (
            served is not None
            and served.solution_version_arn == uri
            and dict(served.campaign_config) == config
        ):
            return
        if self._failed.get(recommender.arn) == (uri, config):
            return
        use_case = recipe_by_arn(document["recipeArn"]).name
        self.registry.put(self.load(recommender, uri, config, uri=uri, use_case=use_case))
        self._failed.pop(recommender.arn, None)
        log.info("runtime: recommender %s (%s) served from %s", recommender.arn, use_case, uri)
