"""The dataset group's imported data a deployment serves with, read when it is loaded.

* the Interactions rows as per-user histories of the model's items (``bulk_histories``: shared
  between serving processes through a cache directory);
* the Items rows as records by item id (PutItems records overlay them: ``item_columns``);
* the Users rows as a columnar catalogue by user id (PutUsers records overlay them:
  ``user_attributes``).

A deployment records the segment versions of the datasets it read (``data_versions``); when an
import or a data deletion job changes them, the deployer reads the changed parts again beside the
served deployment and swaps them in (``runtime_service.data_refresh``).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from domain.errors import TailorError
from runtime_service.bulk_histories import cache_key, histories_from_table, shared_histories
from runtime_service.model_registry import BulkHistories, ItemCatalogue, UserCatalogue
from runtime_service.user_attributes import user_catalogue_from_table
from storage.data import SegmentStore
from storage.metadata.store import MetadataStore

DATASET_KIND = "dataset"
#: The dataset types a deployment reads, by the deployment member built from each.
SERVED_TYPES = ("INTERACTIONS", "ITEMS", "USERS")

#: Dataset type -> (dataset ARN, visible segments, largest segment id).
DataVersions = dict[str, tuple[str, int, int]]


class DeploymentError(TailorError):
    """A campaign's solution version cannot be loaded; the message is the failure reason."""


class GroupDatasets:
    """Reads a dataset group's imported datasets for a deployment."""

    def __init__(
        self, store: MetadataStore, segment_store: SegmentStore, cache_dir: Path | None
    ) -> None:
        """Create the reader.

        Args:
            store: The metadata store (datasets, their segments).
            segment_store: Where the imported segments are.
            cache_dir: Where bulk histories are kept for every serving process to map
                (None: built in memory by each).

        """
        self.store = store
        self.segment_store = segment_store
        self.cache_dir = cache_dir

    def dataset_arn(self, group_arn: str, dataset_type: str) -> str | None:
        """The group's dataset of ``dataset_type`` (``ITEMS``, ``USERS``, ...), or None."""
        datasets = self.store.find_resources([DATASET_KIND], dataset_group_arn=group_arn)
        found = [d.arn for d in datasets if d.document.get("datasetType") == dataset_type]
        return found[0] if found else None

    def data_versions(self, group_arns: Iterable[str]) -> dict[str, DataVersions]:
        """The segment versions of the groups' served datasets, in two queries.

        Args:
            group_arns: The dataset groups.

        Returns:
            Group ARN -> dataset type -> version; a type the group has no dataset of is absent.
            Equal versions mean the same visible segments.

        """
        wanted = set(group_arns)
        if not wanted:
            return {}
        datasets = [
            d
            for d in self.store.find_resources([DATASET_KIND])
            if d.dataset_group_arn in wanted and d.document.get("datasetType") in SERVED_TYPES
        ]
        segments = self.store.segments.segment_versions(d.arn for d in datasets)
        versions: dict[str, DataVersions] = {arn: {} for arn in wanted}
        for dataset in datasets:
            count, top = segments.get(dataset.arn, (0, 0))
            by_type = versions[dataset.dataset_group_arn or ""]
            by_type.setdefault(dataset.document["datasetType"], (dataset.arn, count, top))
        return versions

    def bulk_histories(
        self, group_arn: str, version_arn: str, item_ids: np.ndarray
    ) -> BulkHistories | None:
        """The Interactions dataset's bulk rows as per-user histories of known items.

        Memory-mapped from the cache shared by serving processes (``bulk_histories``).
        """
        dataset_arn = self.dataset_arn(group_arn, "INTERACTIONS")
        if dataset_arn is None:
            return None
        segments = self.store.segments.visible_segments(dataset_arn)
        if not segments:
            return None

        def build() -> BulkHistories:
            columns = ["USER_ID", "ITEM_ID", "TIMESTAMP", "EVENT_TYPE"]
            try:
                tables = [self.segment_store.read(segment.uri, columns) for segment in segments]
            except (pa.ArrowInvalid, KeyError):  # EVENT_TYPE is an optional column
                tables = [self.segment_store.read(s.uri, columns[:3]) for s in segments]
            return histories_from_table(pa.concat_tables(tables), item_ids)

        key = cache_key(version_arn, [segment.uri for segment in segments])
        try:
            return shared_histories(self.cache_dir, key, build)
        except OSError as exc:
            raise DeploymentError(f"cannot read the Interactions dataset: {exc}") from exc

    def item_catalogue(self, group_arn: str) -> ItemCatalogue | None:
        """The Items dataset's bulk records (the last row of each id wins), or None."""
        dataset_arn = self.dataset_arn(group_arn, "ITEMS")
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

    def user_catalogue(self, group_arn: str) -> UserCatalogue | None:
        """The Users dataset's bulk rows (the last row of each user wins), or None."""
        dataset_arn = self.dataset_arn(group_arn, "USERS")
        if dataset_arn is None:
            return None
        try:
            tables = [
                self.segment_store.read(segment.uri)
                for segment in self.store.segments.visible_segments(dataset_arn)
            ]
        except OSError as exc:
            raise DeploymentError(f"cannot read the Users dataset {dataset_arn}: {exc}") from exc
        if not tables:
            return UserCatalogue(dataset_arn, np.zeros(0, str), pa.table({}))
        table = pa.concat_tables(tables, promote_options="permissive")
        return user_catalogue_from_table(dataset_arn, table)
