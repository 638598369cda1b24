"""The item attribute columns filters read, built once per deployment and PutItems version.

Building the columns of a catalogue (bulk Items records overlaid with the PutItems records of the
model's items, one list per column aligned with the model's item codes) touches every item: tens
of milliseconds for 27,000 items. Filters read them on every filtered request, so they are kept
per deployment with the online store's ``records_version`` of the Items dataset they were built
from; a request whose version differs (a PutItems call since) rebuilds them first. The
pre-processed column views ``evaluate_filter`` derives are cached on the ``ItemMetadata``
instance, so they live exactly as long as the columns they come from.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

from recipes.filter_evaluation import ItemMetadata
from runtime_service.model_registry import Deployment
from storage.online.store import OnlineStore

#: Cached catalogues, least recently built dropped first (one per campaign in practice).
MAX_CACHED_DEPLOYMENTS = 32


class ItemColumnsCache:
    """``ItemMetadata`` per deployment, rebuilt when the Items dataset's records changed."""

    def __init__(self, online: OnlineStore) -> None:
        """Create an empty cache reading PutItems records from ``online``."""
        self.online = online
        self._lock = threading.Lock()
        # campaign ARN -> (deployment, records version, columns)
        self._entries: dict[str, tuple[Deployment, object, ItemMetadata]] = {}

    def columns(self, deployment: Deployment) -> ItemMetadata:
        """The item columns of ``deployment``, aligned with its item codes.

        Args:
            deployment: The served campaign.

        Returns:
            The columns (none when the dataset group has no Items dataset).

        """
        catalogue = deployment.items
        version = None if catalogue is None else self.online.records_version(catalogue.dataset_arn)
        entry = self._entries.get(deployment.campaign_arn)
        if entry is not None and entry[0] is deployment and entry[1] == version:
            return entry[2]
        built = ItemMetadata(columns=self._build(deployment))
        with self._lock:
            self._entries.pop(deployment.campaign_arn, None)
            while len(self._entries) >= MAX_CACHED_DEPLOYMENTS:
                self._entries.pop(next(iter(self._entries)))
            self._entries[deployment.campaign_arn] = (deployment, version, built)
        return built

    def records(self, deployment: Deployment, item_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """Bulk records of ``item_ids`` overlaid with their PutItems records.

        Args:
            deployment: The served campaign.
            item_ids: The items wanted.

        Returns:
            item id -> {column: value}; items without any record are left out.

        """
        catalogue = deployment.items
        if catalogue is None:
            return {}
        ids = [str(item) for item in item_ids]
        merged = {item: dict(catalogue.records[item]) for item in ids if item in catalogue.records}
        for item, record in self.online.get_records(catalogue.dataset_arn, ids).items():
            merged.setdefault(item, {}).update(record.properties)
        return merged

    def _build(self, deployment: Deployment) -> dict[str, list[Any]]:
        if deployment.items is None:
            return {}
        item_ids = deployment.item_ids.tolist()
        records = self.records(deployment, item_ids)
        names = sorted({column for record in records.values() for column in record})
        ordered = [records.get(item, {}) for item in item_ids]
        return {name: [record.get(name) for record in ordered] for name in names}
