"""A solution's training data: bulk and streamed interactions, filtered, as recipe arrays.

Interactions are the Interactions dataset's imported segments (``read_dataset``, de-duplicated)
followed by the events streamed with PutEvents up to a given event-log ``seq`` (so that events
arriving during training do not change what is trained on). The solution's filters apply to both
(spec §6.4): ``solutionConfig.eventsConfig`` (v2 recipes) keeps the listed event types, each above
its own threshold, weighted by its weight; otherwise the top-level ``eventType`` keeps one type;
``solutionConfig.eventValueThreshold`` keeps events with EVENT_VALUE at or above it.

The item catalogue is every item with an interaction plus every item of the Items dataset (bulk
and PutItems records; a streamed record replaces the imported one with its id). Item codes follow
first appearance: items with interactions first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import scipy.sparse as sp

from domain.dataset_schema import DatasetSchema
from domain.errors import InvalidInputException
from recipes.interactions import Interactions, encode_ids, make_interactions
from recipes.item_features import categorical_feature_matrix
from storage.data import SegmentStore
from storage.metadata.store import SqlMetadataStore
from storage.streamed.training_tables import read_streamed_interactions, read_streamed_records
from trainer.dataset_reader import dataset_schema, read_dataset
from trainer.minimum_data import TrainingDataCounts, require_minimum_training_data

#: The interaction columns training reads, with the type both sources are cast to.
COLUMNS = {
    "USER_ID": pa.string(),
    "ITEM_ID": pa.string(),
    "TIMESTAMP": pa.int64(),
    "EVENT_TYPE": pa.string(),
    "EVENT_VALUE": pa.float64(),
}


@dataclass(frozen=True)
class TrainingData:
    """What a recipe is fitted on.

    Attributes:
        interactions: The filtered events as codes.
        user_ids: (n_users,) unicode user ids by code.
        item_ids: (n_items,) unicode item ids by code (the catalogue).
        item_creation_timestamps: int64 (n_items,) CREATION_TIMESTAMP, -1 where unknown; None
            without an Items dataset.
        item_features: float32 CSR (n_items, n_features) of categorical Items columns, or None.
        counts: What the minimum-data rule counted.
        bulk_rows: Interactions read from imports (before filtering).
        streamed_rows: Interactions read from the event log (before filtering).

    """

    interactions: Interactions
    user_ids: np.ndarray
    item_ids: np.ndarray
    item_creation_timestamps: np.ndarray | None
    item_features: sp.csr_matrix | None
    counts: TrainingDataCounts
    bulk_rows: int
    streamed_rows: int


def group_datasets(store: SqlMetadataStore, dataset_group_arn: str) -> dict[str, str]:
    """The group's dataset ARNs by dataset type (``INTERACTIONS``, ``ITEMS``, ...)."""
    return {
        str(d.document.get("datasetType", "")).upper(): d.arn
        for d in store.find_resources(["dataset"], dataset_group_arn=dataset_group_arn)
    }


def interactions_table(
    store: SqlMetadataStore, segments: SegmentStore, dataset_arn: str, group_arn: str, seq: int
) -> tuple[pa.Table, int, int]:
    """Bulk then streamed interactions as one table of :data:`COLUMNS` (nulls where absent).

    Returns:
        ``(table, bulk rows, streamed rows)``.

    """
    schema = dataset_schema(store, dataset_arn)
    bulk = _conform(read_dataset(store, segments, dataset_arn))
    streamed = _conform(read_streamed_interactions(store, group_arn, seq, schema=schema))
    return pa.concat_tables([bulk, streamed]), bulk.num_rows, streamed.num_rows


def _conform(table: pa.Table) -> pa.Table:
    columns = []
    for name, arrow_type in COLUMNS.items():
        if name in table.column_names:
            columns.append(pc.cast(table[name], arrow_type))
        else:
            columns.append(pa.nulls(table.num_rows, arrow_type))
    return pa.Table.from_arrays(columns, names=list(COLUMNS))


def filter_events(table: pa.Table, solution: dict[str, Any]) -> tuple[pa.Table, np.ndarray, str]:
    """Apply the solution's event filters.

    Args:
        table: Interactions with :data:`COLUMNS`.
        solution: The version document (``eventType``, ``solutionConfig``).

    Returns:
        ``(kept rows, float32 weights of the kept rows, description of the filtering)``; the
        description is empty when nothing was filtered.

    """
    config = solution.get("solutionConfig") or {}
    parameters = (config.get("eventsConfig") or {}).get("eventParametersList") or []
    weights = np.ones(table.num_rows, np.float32)
    described = []
    if parameters:
        keep = np.zeros(table.num_rows, bool)
        types = pc.fill_null(table["EVENT_TYPE"], "").to_numpy(zero_copy_only=False)
        values = pc.fill_null(table["EVENT_VALUE"], np.nan).to_numpy(zero_copy_only=False)
        largest = max(float(p.get("weight", 1.0)) for p in parameters) or 1.0
        for parameter in parameters:
            match = types == parameter["eventType"]
            threshold = parameter.get("eventValueThreshold")
            if threshold is not None:
                match &= values >= float(threshold)
            weights[match] = float(parameter.get("weight", 1.0)) / largest
            keep |= match
        described.append("eventsConfig " + ", ".join(repr(p["eventType"]) for p in parameters))
    elif solution.get("eventType"):
        keep = pc.fill_null(pc.equal(table["EVENT_TYPE"], solution["eventType"]), False)
        keep = keep.to_numpy(zero_copy_only=False)
        described.append(f"eventType {solution['eventType']!r}")
    else:
        keep = np.ones(table.num_rows, bool)
    threshold = config.get("eventValueThreshold")
    if threshold is not None:
        above = pc.fill_null(pc.greater_equal(table["EVENT_VALUE"], float(threshold)), False)
        keep &= above.to_numpy(zero_copy_only=False)
        described.append(f"eventValueThreshold {threshold}")
    keep &= pc.is_valid(table["USER_ID"]).to_numpy(zero_copy_only=False)
    keep &= pc.is_valid(table["ITEM_ID"]).to_numpy(zero_copy_only=False)
    return table.filter(pa.array(keep)), weights[keep], " and ".join(described)


def items_table(store: SqlMetadataStore, segments: SegmentStore, dataset_arn: str) -> pa.Table:
    """The Items dataset: imported rows, replaced by PutItems records with the same id."""
    schema = dataset_schema(store, dataset_arn)
    bulk = read_dataset(store, segments, dataset_arn)
    streamed = read_streamed_records(store, dataset_arn, schema=schema)
    if streamed.num_rows:
        replaced = pc.is_in(bulk["ITEM_ID"], value_set=streamed["ITEM_ID"].combine_chunks())
        bulk = bulk.filter(pc.invert(replaced))
        streamed = streamed.select(bulk.column_names).cast(bulk.schema)
        bulk = pa.concat_tables([bulk, streamed])
    return bulk


def build_training_data(
    table: pa.Table,
    weights: np.ndarray,
    counts: TrainingDataCounts,
    items: pa.Table | None,
    items_schema: DatasetSchema | None,
    bulk_rows: int,
    streamed_rows: int,
) -> TrainingData:
    """Encode filtered interactions (and the Items catalogue) as recipe arrays."""
    user_codes, user_ids = encode_ids(table["USER_ID"])
    all_items = [table["ITEM_ID"].combine_chunks()]
    if items is not None and items.num_rows:
        all_items.append(pc.cast(items["ITEM_ID"], pa.string()).combine_chunks())
    item_codes, item_ids = encode_ids(pa.concat_arrays(all_items))
    n_events = table.num_rows
    interactions = make_interactions(
        user_codes,
        item_codes[:n_events],
        table["TIMESTAMP"].to_numpy(zero_copy_only=False),
        weights,
        n_users=len(user_ids),
        n_items=len(item_ids),
    )
    created, features = None, None
    if items is not None and items_schema is not None and items.num_rows:
        rows = item_codes[n_events:]
        if "CREATION_TIMESTAMP" in items.column_names:
            created = np.full(len(item_ids), -1, np.int64)
            stamps = pc.fill_null(pc.cast(items["CREATION_TIMESTAMP"], pa.int64()), -1)
            created[rows] = stamps.to_numpy(zero_copy_only=False)
        categorical = [f.name for f in items_schema.fields if f.categorical]
        if categorical:
            columns = {}
            for name in categorical:
                by_code = np.full(len(item_ids), None, dtype=object)
                by_code[rows] = np.asarray(items[name].to_pylist(), dtype=object)
                columns[name] = pa.array(by_code.tolist(), type=pa.string())
            features, _ = categorical_feature_matrix(columns, len(item_ids))
    return TrainingData(
        interactions, user_ids, item_ids, created, features, counts, bulk_rows, streamed_rows
    )


def load_training_data(
    store: SqlMetadataStore,
    segments: SegmentStore,
    version: dict[str, Any],
    dataset_group_arn: str,
    seq: int,
) -> TrainingData:
    """Read, filter, check and encode a solution version's training data.

    Args:
        store: The metadata store (datasets, segments, event log).
        segments: The dataset segment store.
        version: The solution version document (its copied solution configuration).
        dataset_group_arn: The group the solution belongs to.
        seq: Read streamed events up to this event-log ``seq``.

    Raises:
        InvalidInputException: no Interactions dataset, or too little data (the message names
            what is missing).

    """
    datasets = group_datasets(store, dataset_group_arn)
    if "INTERACTIONS" not in datasets:
        raise InvalidInputException(
            f"not enough training data: dataset group {dataset_group_arn} has no Interactions "
            "dataset"
        )
    table, bulk_rows, streamed_rows = interactions_table(
        store, segments, datasets["INTERACTIONS"], dataset_group_arn, seq
    )
    table, weights, filtering = filter_events(table, version)
    counts = require_minimum_training_data(table["USER_ID"], filtering)
    items, items_schema = None, None
    if "ITEMS" in datasets:
        items_schema = dataset_schema(store, datasets["ITEMS"])
        items = items_table(store, segments, datasets["ITEMS"])
    return build_training_data(
        table, weights, counts, items, items_schema, bulk_rows, streamed_rows
    )
