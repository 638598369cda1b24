"""A dataset's bulk-imported data as one Arrow table, as training sees it.

All visible segments are read (columnar, whole row groups), in commit order, and shaped to the
dataset's current schema (a field added later by UpdateDataset is null in older segments). Then:

* Items, Users and Actions keep one row per id: the last one written, so that a later import (or
  a later row of the same file) replaces an earlier record with that id (upsert).
* Interactions and action interactions are de-duplicated as spec §5.3 says: rows equal in every
  column (same user, item, timestamp, event type and other properties) count once, and when the
  schema has an EVENT_ID field, only the first row of each event id is kept.

Everything is vectorised (``group_by`` aggregations and ``take``); row order is otherwise kept.
Events streamed with PutEvents/PutItems/PutUsers are not part of this table.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from domain.dataset_schema import DatasetSchema, parse_dataset_schema
from domain.errors import ResourceNotFoundException
from storage.data import SegmentStore
from storage.metadata.store import MetadataStore
from trainer.import_columns import column_rules, segment_schema

ID_FIELD_OF = {"ITEMS": "ITEM_ID", "USERS": "USER_ID", "ACTIONS": "ACTION_ID"}
INTERACTION_TYPES = ("INTERACTIONS", "ACTION_INTERACTIONS")
_ROW = "__tailor_row"


def read_dataset(store: MetadataStore, segment_store: SegmentStore, dataset_arn: str) -> pa.Table:
    """Read a dataset's visible segments as one de-duplicated table.

    Args:
        store: The metadata store (dataset, schema and segment records).
        segment_store: Where the segments are.
        dataset_arn: The dataset.

    Returns:
        A table with the schema's fields in schema order (types as stored by imports); empty
        when nothing was imported.

    Raises:
        ResourceNotFoundException: the dataset (or its schema) does not exist.

    """
    schema = dataset_schema(store, dataset_arn)
    target = segment_schema(column_rules(schema))
    tables = [
        conform_to_schema(segment_store.read(segment.uri), target)
        for segment in store.segments.visible_segments(dataset_arn)
    ]
    if not tables:
        return target.empty_table()
    table = pa.concat_tables(tables)
    id_field = ID_FIELD_OF.get(schema.dataset_type)
    if id_field is not None:
        return latest_row_per_id(table, id_field)
    if schema.dataset_type in INTERACTION_TYPES:
        return deduplicate_interactions(table)
    return table


def conform_to_schema(table: pa.Table, target: pa.Schema) -> pa.Table:
    """``table`` with exactly ``target``'s columns, in its order; missing ones all null."""
    columns = []
    for field in target:
        if field.name in table.column_names:
            column = table.column(field.name)
            columns.append(column if column.type == field.type else column.cast(field.type))
        else:
            columns.append(pa.nulls(table.num_rows, field.type))
    return pa.Table.from_arrays(columns, schema=target)


def latest_row_per_id(table: pa.Table, id_field: str) -> pa.Table:
    """Keep, for each id, its last row; the kept rows stay in their order.

    Args:
        table: Rows in write order (older segments first); ``id_field`` holds the record id.
        id_field: ``ITEM_ID``, ``USER_ID`` or ``ACTION_ID``.

    """
    numbered = table.append_column(_ROW, pa.array(np.arange(table.num_rows, dtype=np.int64)))
    last = numbered.group_by(id_field).aggregate([(_ROW, "max")])
    return table.take(np.sort(last.column(f"{_ROW}_max").to_numpy()))


def deduplicate_interactions(table: pa.Table) -> pa.Table:
    """Drop repeated interactions (spec §5.3); the kept rows stay in their order.

    Rows equal in every column count once (the first is kept). Then, if there is an
    ``EVENT_ID`` column, later rows repeating a (non-null) event id are dropped.

    """
    numbered = table.append_column(_ROW, pa.array(np.arange(table.num_rows, dtype=np.int64)))
    first = numbered.group_by(table.column_names).aggregate([(_ROW, "min")])
    keep = np.sort(first.column(f"{_ROW}_min").to_numpy())
    if "EVENT_ID" in table.column_names:
        distinct = numbered.take(keep)
        with_id = distinct.filter(distinct.column("EVENT_ID").is_valid())
        firsts = with_id.group_by("EVENT_ID").aggregate([(_ROW, "min")])
        no_id = distinct.filter(distinct.column("EVENT_ID").is_null()).column(_ROW).to_numpy()
        keep = np.sort(np.concatenate([firsts.column(f"{_ROW}_min").to_numpy(), no_id]))
    return table.take(keep)


def dataset_schema(store: MetadataStore, dataset_arn: str) -> DatasetSchema:
    """The parsed schema of a dataset.

    Raises:
        ResourceNotFoundException: the dataset or its schema does not exist.

    """
    dataset = store.get_resource(dataset_arn)
    if dataset is None or dataset.kind != "dataset":
        raise ResourceNotFoundException(f"dataset {dataset_arn} does not exist")
    schema = store.get_resource(dataset.document["schemaArn"])
    if schema is None:
        raise ResourceNotFoundException(f"schema {dataset.document['schemaArn']} does not exist")
    return parse_dataset_schema(schema.document["schema"], schema.document.get("domain"))
