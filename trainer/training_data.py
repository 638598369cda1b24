"""A solution's training data: bulk and streamed interactions, filtered, as recipe arrays.

Interactions are the Interactions dataset's imported segments (``read_dataset``, de-duplicated)
followed by the events streamed with PutEvents up to a given event-log ``seq`` (so that events
arriving during training do not change what is trained on). An event id counts once: a streamed
event repeating an imported EVENT_ID or an earlier ``eventId`` is left out (``trainer.event_ids``).

The solution's filters apply to both (spec §6.4): ``solutionConfig.eventsConfig`` (v2 recipes)
keeps the listed event types, each above its own threshold, weighted by its weight; otherwise the
top-level ``eventType`` keeps one type; ``solutionConfig.eventValueThreshold`` keeps events with
EVENT_VALUE at or above it.

``solutionConfig.trainingDataConfig`` leaves columns out of training: a column named in
``excludedDatasetColumns`` (or, when ``includedDatasetColumns`` lists a dataset type, a column it
does not list) reads as null. The ids and TIMESTAMP are always kept (CreateSolution refuses to
exclude them); columns stay usable for filters, which read the datasets themselves.

The item catalogue is every item with an interaction plus every item of the Items dataset (bulk
and PutItems records; a streamed record replaces the imported one with its id; see
``trainer.item_data``). Item codes follow first appearance: items with interactions first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import scipy.sparse as sp

from domain.dataset_schema import DATASET_TYPES, DatasetSchema
from domain.errors import InvalidInputException
from recipes.interactions import Interactions, encode_ids, make_interactions
from recipes.semantic_similarity import RECIPE as SEMANTIC_SIMILARITY
from storage.data import SegmentStore
from storage.metadata.store import SqlMetadataStore
from storage.streamed.training_tables import read_streamed_interactions
from trainer.dataset_reader import dataset_schema, read_dataset
from trainer.event_ids import streamed_events_to_keep
from trainer.item_data import item_arrays, items_table, require_item_text
from trainer.minimum_data import TrainingDataCounts, require_minimum_training_data

#: The interaction columns training reads, with the type both sources are cast to.
COLUMNS = {
    "USER_ID": pa.string(),
    "ITEM_ID": pa.string(),
    "TIMESTAMP": pa.int64(),
    "EVENT_TYPE": pa.string(),
    "EVENT_VALUE": pa.float64(),
}
#: Columns training always keeps, per dataset type.
KEPT_COLUMNS = {"INTERACTIONS": {"USER_ID", "ITEM_ID", "TIMESTAMP"}, "ITEMS": {"ITEM_ID"}}


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
        item_rewards: float64 (n_items,) the ``optimizationObjective`` column by item code, NaN
            where unknown; None without an objective (``recipes.metrics.objective_metrics``).
        event_weighted: Whether ``eventsConfig`` weighted the events (adds the event-weighted
            NDCG metric).

    """

    interactions: Interactions
    user_ids: np.ndarray
    item_ids: np.ndarray
    item_creation_timestamps: np.ndarray | None
    item_features: sp.csr_matrix | None
    counts: TrainingDataCounts
    bulk_rows: int
    streamed_rows: int
    item_rewards: np.ndarray | None = None
    event_weighted: bool = False


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

    Streamed events repeating an event id already seen are dropped (``trainer.event_ids``).

    Returns:
        ``(table, bulk rows, streamed rows)``; the row counts are before filtering, after
        de-duplication.

    """
    schema = dataset_schema(store, dataset_arn)
    bulk = read_dataset(store, segments, dataset_arn)
    streamed = read_streamed_interactions(store, group_arn, seq, schema=schema)
    bulk_ids = bulk["EVENT_ID"] if "EVENT_ID" in bulk.column_names else None
    keep = streamed_events_to_keep(store, group_arn, seq, bulk_ids, streamed.num_rows)
    streamed = streamed.filter(pa.array(keep))
    bulk, streamed = _conform(bulk), _conform(streamed)
    return pa.concat_tables([bulk, streamed]), bulk.num_rows, streamed.num_rows


def _conform(table: pa.Table) -> pa.Table:
    columns = []
    for name, arrow_type in COLUMNS.items():
        if name in table.column_names:
            columns.append(pc.cast(table[name], arrow_type))
        else:
            columns.append(pa.nulls(table.num_rows, arrow_type))
    return pa.Table.from_arrays(columns, names=list(COLUMNS))


def excluded_columns(
    version: dict[str, Any], dataset_type: str, schema: DatasetSchema
) -> frozenset[str]:
    """The columns of a dataset that ``solutionConfig.trainingDataConfig`` leaves out.

    Args:
        version: The solution version document.
        dataset_type: Canonical type (``INTERACTIONS``, ``ITEMS``, ...).
        schema: That dataset's schema.

    Returns:
        Excluded field names (never the ids or TIMESTAMP).

    """
    config = (version.get("solutionConfig") or {}).get("trainingDataConfig") or {}

    def named(member: str) -> set[str] | None:
        for key, columns in (config.get(member) or {}).items():
            if DATASET_TYPES.get(key) == dataset_type:
                return set(columns)
        return None

    excluded = named("excludedDatasetColumns") or set()
    included = named("includedDatasetColumns")
    if included is not None:
        excluded |= set(schema.field_names) - included
    return frozenset(excluded - KEPT_COLUMNS.get(dataset_type, set()))


def without_columns(table: pa.Table, excluded: frozenset[str]) -> pa.Table:
    """``table`` with the ``excluded`` columns it has set to null (same schema)."""
    for name in excluded & set(table.column_names):
        index = table.schema.get_field_index(name)
        table = table.set_column(
            index, name, pa.nulls(table.num_rows, table.schema.field(name).type)
        )
    return table


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
    if keep.all():  # filtering nothing out would still copy the whole table
        return table, weights, " and ".join(described)
    return table.filter(pa.array(keep)), weights[keep], " and ".join(described)


def build_training_data(
    table: pa.Table,
    weights: np.ndarray,
    counts: TrainingDataCounts,
    items: pa.Table | None,
    items_schema: DatasetSchema | None,
    bulk_rows: int,
    streamed_rows: int,
    *,
    excluded_item_columns: frozenset[str] = frozenset(),
    objective_column: str | None = None,
    event_weighted: bool = False,
    text_features: bool = False,
    encoded_users: tuple[np.ndarray, np.ndarray] | None = None,
) -> TrainingData:
    """Encode filtered interactions (and the Items catalogue) as recipe arrays.

    Args:
        table: The filtered interactions (:data:`COLUMNS`).
        weights: float32 (n,) their event weights.
        counts: What the minimum-data rule counted.
        items: The Items dataset (one row per item), or None.
        items_schema: Its schema, or None.
        bulk_rows: Imported interactions read.
        streamed_rows: Streamed interactions read.
        excluded_item_columns: Items columns not to use as features.
        objective_column: The ``optimizationObjective.itemAttribute`` column (read for
            ``item_rewards`` even when excluded from training).
        event_weighted: Whether the solution has an ``eventsConfig``.
        text_features: Make ``item_features`` the term counts of the items' text and categorical
            values (``aws-semantic-similarity``) instead of the categorical multi-hot matrix.
        encoded_users: ``encode_ids(table["USER_ID"])`` when the caller has it already.

    """
    user_codes, user_ids = encoded_users or encode_ids(table["USER_ID"])
    all_items = [table["ITEM_ID"].combine_chunks()]
    if items is not None and items.num_rows:
        all_items.append(pc.cast(items["ITEM_ID"], pa.string()).combine_chunks())
    item_codes, item_ids = encode_ids(pa.concat_arrays(all_items))
    n_events, n_items = table.num_rows, len(item_ids)
    interactions = make_interactions(
        user_codes,
        item_codes[:n_events],
        table["TIMESTAMP"].to_numpy(zero_copy_only=False),
        weights,
        n_users=len(user_ids),
        n_items=n_items,
    )
    created, features, rewards = None, None, None
    if items is not None and items_schema is not None and items.num_rows:
        created, features, rewards = item_arrays(
            items,
            items_schema,
            item_codes[n_events:],
            n_items,
            excluded_item_columns=excluded_item_columns,
            objective_column=objective_column,
            text_features=text_features,
        )
    return TrainingData(
        interactions,
        user_ids,
        item_ids,
        created,
        features,
        counts,
        bulk_rows,
        streamed_rows,
        item_rewards=rewards,
        event_weighted=event_weighted,
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
    interactions_schema = dataset_schema(store, datasets["INTERACTIONS"])
    table = without_columns(table, excluded_columns(version, "INTERACTIONS", interactions_schema))
    table, weights, filtering = filter_events(table, version)
    users = encode_ids(table["USER_ID"])
    counts = _require_minimum(users[0], len(users[1]), filtering)
    items, items_schema, excluded_items = None, None, frozenset[str]()
    if "ITEMS" in datasets:
        items_schema = dataset_schema(store, datasets["ITEMS"])
        items = items_table(store, segments, datasets["ITEMS"])
        excluded_items = excluded_columns(version, "ITEMS", items_schema)
    semantic = str(version.get("recipeArn", "")).endswith(f"/{SEMANTIC_SIMILARITY}")
    if semantic:
        require_item_text(items_schema, excluded_items, dataset_group_arn)
    config = version.get("solutionConfig") or {}
    objective = (config.get("optimizationObjective") or {}).get("itemAttribute")
    if objective and items_schema is None:
        raise InvalidInputException(
            f"solutionConfig.optimizationObjective.itemAttribute: {objective!r} needs an Items "
            f"dataset; dataset group {dataset_group_arn} has none"
        )
    return build_training_data(
        table,
        weights,
        counts,
        items,
        items_schema,
        bulk_rows,
        streamed_rows,
        excluded_item_columns=excluded_items,
        objective_column=objective or None,
        event_weighted=bool((config.get("eventsConfig") or {}).get("eventParametersList")),
        text_features=semantic,
        encoded_users=users,
    )


def _require_minimum(user_codes: np.ndarray, n_users: int, filtering: str) -> TrainingDataCounts:
    """``require_minimum_training_data`` counted from user codes (int (n,)) with a bincount.

    Hashing the user id strings again would cost more than encoding them did. When the data
    falls short, ``require_minimum_training_data`` itself raises, so the message is its own.
    """
    per_user = np.bincount(user_codes, minlength=n_users)
    counts = TrainingDataCounts(
        interactions=int(user_codes.size),
        users=int(np.count_nonzero(per_user)),
        repeat_users=int(np.count_nonzero(per_user >= 2)),
    )
    if counts.shortfalls():
        require_minimum_training_data(pa.array(user_codes), filtering)
    return counts
