"""Reads a served deployment's imported data again when the group's datasets change.

A deployment serves the Interactions (bulk histories), Items and Users rows visible when it was
loaded. An import commits new segments and a data deletion job replaces them (the deleted users'
rows must stop being served), so each pass of the deployer reads the segment versions of the
served groups' datasets (two queries in all) and, for every deployment whose recorded versions
differ, reads only the changed datasets beside it and swaps the result in, as a model update
does: a request holds the old deployment or the new one. The model object is kept (its serving
values were built when it was loaded).
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from typing import Any

import pyarrow as pa

from runtime_service.group_datasets import DataVersions, GroupDatasets
from runtime_service.model_registry import Deployment, ModelRegistry

log = logging.getLogger(__name__)


class DataRefresh:
    """Keeps the served deployments' imported data in step with the visible segments."""

    def __init__(
        self, datasets: GroupDatasets, registry: ModelRegistry, stop: threading.Event
    ) -> None:
        """Create the refresher (run by the campaign deployer after each pass).

        Args:
            datasets: Reads the groups' datasets.
            registry: What this replica serves.
            stop: Set when the deployer stops (a pass ends early).

        """
        self.datasets = datasets
        self.registry = registry
        self.stop = stop
        # deployment ARN -> versions whose read failed (logged once, retried when they change)
        self._failed: dict[str, DataVersions] = {}

    def sync_once(self) -> None:
        """Refresh every served deployment whose datasets changed; failures are logged."""
        served = self.registry.deployments()
        if not served:
            return
        try:
            versions = self.datasets.data_versions({d.dataset_group_arn for d in served})
        except Exception:  # noqa: BLE001 - a store outage must not kill the deployer
            log.exception("runtime: cannot read the datasets' segment versions")
            return
        refreshed = False
        for deployment in served:
            if self.stop.is_set():
                break
            current = versions.get(deployment.dataset_group_arn, {})
            if dict(deployment.data_versions) == current:
                continue
            if self._failed.get(deployment.campaign_arn) == current:
                continue
            try:
                fresh = self.refreshed(deployment, current)
            except Exception:  # noqa: BLE001 - one deployment must not stop the others
                self._failed[deployment.campaign_arn] = current
                log.exception("runtime: cannot read the new data of %s", deployment.campaign_arn)
                continue
            self._failed.pop(deployment.campaign_arn, None)
            if self.registry.swap(deployment, fresh):
                refreshed = True
                log.info("runtime: %s serves the group's new data", deployment.campaign_arn)
        if refreshed:
            pa.default_memory_pool().release_unused()  # as after a load

    def refreshed(self, deployment: Deployment, versions: DataVersions) -> Deployment:
        """``deployment`` with the datasets whose version differs from ``versions`` read again.

        The versions recorded are those read before the data, so a change committed while it
        is read is picked up by the next pass.

        Args:
            deployment: The deployment served.
            versions: The group's current versions (``GroupDatasets.data_versions``).

        Returns:
            A new deployment sharing the model; ``item_ids`` and settings unchanged.

        Raises:
            DeploymentError: a dataset cannot be read.

        """
        old = deployment.data_versions
        group_arn = deployment.dataset_group_arn
        changes: dict[str, Any] = {"data_versions": versions}
        if old.get("INTERACTIONS") != versions.get("INTERACTIONS"):
            changes["histories"] = self.datasets.bulk_histories(
                group_arn, deployment.solution_version_arn, deployment.item_ids
            )
        if old.get("ITEMS") != versions.get("ITEMS"):
            changes["items"] = self.datasets.item_catalogue(group_arn)
        if old.get("USERS") != versions.get("USERS"):
            changes["users"] = self.datasets.user_catalogue(group_arn)
        # The item-code maps are rebuilt by __post_init__: hand it empty ones to fill.
        return dataclasses.replace(deployment, **changes, _code_of={}, _id_of=[])
