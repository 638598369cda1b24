"""A dataset's bulk-imported data as one Arrow table, as training sees it.

All visible segments are read (columnar, whole row groups), in commit order, and shaped to the
dataset's current schema (a field added later by UpdateDataset is null in older segments). Then:

* Items, Users and Actions keep one row per id: the last one written, so that a later import (or
  a later row of the same file) replaces an earlier record with that id (upsert).
* Interactions and action interactions are de-duplicated as spec §5.3 says: rows equal in every
  column (same user, item, timestamp, event type and other properties) count once, and when the
  schema has an EVENT_ID field, only the first row of each event id is kept. An import finds the
  rows repeating an earlier row of its own and records them on its segments (``repeated_rows``);
  when the visible segments all come from one such import (one FULL import, the common case)
  those rows are dropped and nothing is compared. Otherwise the whole table is de-duplicated.

Everything is vectorised (``group_by`` aggregations and ``take``); row order is otherwise kept.
Events streamed with PutEvents/PutItems/PutUsers are not part of this table.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from domain.dataset_schema import DatasetSchema, parse_dataset_schema
from domain.errors import ResourceNotFoundException
from storage.data import SegmentStore
from storage.metadata.segments import DatasetSegment
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
    segments = store.segments.visible_segments(dataset_arn)
    tables = [conform_to_schema(segment_store.read(segment.uri), target) for segment in segments]
    if not tables:
        return target.empty_table()
    table = pa.concat_tables(tables)
    id_field = ID_FIELD_OF.get(schema.dataset_type)
    if id_field is not None:
        return latest_row_per_id(table, id_field)
    if schema.dataset_type in INTERACTION_TYPES:
        repeated = known_repeated_rows(segments, [t.num_rows for t in tables])
        if repeated is None:
            return deduplicate_interactions(table)
        if repeated.size == 0:
            return table
        keep = np.ones(table.num_rows, bool)
        keep[repeated] = False
        return table.filter(pa.array(keep))
    return table


def known_repeated_rows(
    segments: Sequence[DatasetSegment], row_counts: Sequence[int]
) -> np.ndarray | None:
    """The rows de-duplication would drop, when the segments' records already say which.

    Known when every segment was written by one and the same import job that recorded its
    repeated rows (``DatasetSegment.repeated_rows``), in that job's order: the reader's
    de-duplication of their concatenation drops exactly those. Rows of two imports may repeat
    each other, so several jobs are de-duplicated in full.

    Args:
        segments: The visible segments, in commit order.
        row_counts: Rows read from each segment.

    Returns:
        int64 (r,) ascending positions in the segments' concatenation, or None when unknown.

    """
    if not segments or len({segment.import_job_arn for segment in segments}) != 1:
        return None
    if any(segment.repeated_rows is None for segment in segments):
        return None
    starts = np.cumsum([0, *row_counts[:-1]])
    return np.concatenate(
        [
            np.asarray(s.repeated_rows, np.int64) + start
            for s, start in zip(segments, starts, strict=True)
        ]
    )


def repeated_rows_by_segment(tables: Sequence[pa.Table]) -> list[list[int]]:
    """For each table, its rows that repeat an earlier row of the tables in order (§5.3).

    Args:
        tables: One import job's segments, in write order.

    Returns:
        Per table, the 0-based positions :func:`deduplicate_interactions` of their
        concatenation drops, ascending.

    """
    table = pa.concat_tables(tables)
    dropped = np.ones(table.num_rows, bool)
    dropped[interaction_rows_to_keep(table)] = False
    out, start = [], 0
    for part in tables:
        out.append(np.flatnonzero(dropped[start : start + part.num_rows]).tolist())
        start += part.num_rows
    return out


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
    keep = interaction_rows_to_keep(table)
    return table if keep.size == table.num_rows else table.take(keep)


def interaction_rows_to_keep(table: pa.Table) -> np.ndarray:
    """int64 ascending positions of the rows :func:`deduplicate_interactions` keeps."""
    numbered = table.append_column(_ROW, pa.array(np.arange(table.num_rows, dtype=np.int64)))
    key = row_key(table)
    if key is None:
        first = numbered.group_by(table.column_names).aggregate([(_ROW, "min")])
        keep = np.sort(first.column(f"{_ROW}_min").to_numpy())
    else:
        keep = first_of_each_key(key.to_numpy())
    if "EVENT_ID" in table.column_names:
        distinct = numbered.take(keep)
        with_id = distinct.filter(distinct.column("EVENT_ID").is_valid())
        firsts = with_id.group_by("EVENT_ID").aggregate([(_ROW, "min")])
        no_id = distinct.filter(distinct.column("EVENT_ID").is_null()).column(_ROW).to_numpy()
        keep = np.sort(np.concatenate([firsts.column(f"{_ROW}_min").to_numpy(), no_id]))
    return keep


def row_key(table: pa.Table) -> pa.Array | None:
    """One int64 per row, equal exactly when the rows are equal in every column (nulls equal).

    Each column becomes a dense code (integers: offset from the column's minimum; others:
    ``dictionary_encode``), null its own code, and the codes are combined in mixed radix.
    Hashing one int64 is several times cheaper than hashing the rows' strings in ``group_by``.

    Returns:
        int64 (num_rows,), or None when the codes' product does not fit in 63 bits (or a column
        cannot be encoded): callers then compare the columns themselves.

    """
    key = np.zeros(table.num_rows, np.int64)
    radix = 1
    for column in table.columns:
        codes, size = _column_codes(column)
        if codes is None or radix * size >= 2**63:
            return None
        key *= size
        key += codes
        radix *= size
    return pa.array(key)


def first_of_each_key(key: np.ndarray) -> np.ndarray:
    """Positions of the first row of each distinct key, ascending.

    One sort finds the repeated values (usually none, or a handful); only the rows holding
    those are looked at again, so the common case costs a sort and no hash table.

    Args:
        key: int64 (n,) row keys (see :func:`row_key`).

    Returns:
        int64 (d,) row positions.

    """
    ordered = np.sort(key)
    repeated = ordered[1:][ordered[1:] == ordered[:-1]]
    if repeated.size == 0:
        return np.arange(key.size, dtype=np.int64)
    in_repeats = pc.is_in(pa.array(key), value_set=pa.array(np.unique(repeated)))
    rows = np.flatnonzero(in_repeats.to_numpy(zero_copy_only=False))
    _, first = np.unique(key[rows], return_index=True)
    keep = np.ones(key.size, bool)
    keep[rows] = False
    keep[rows[first]] = True
    return np.flatnonzero(keep).astype(np.int64)


def _column_codes(column: pa.ChunkedArray) -> tuple[np.ndarray | None, int]:
    """Dense int64 codes of a column's values (and null) and how many codes there are."""
    if column.null_count == len(column):
        return np.zeros(len(column), np.int64), 1
    if pa.types.is_integer(column.type):
        bounds = pc.min_max(column)
        low, high = bounds["min"].as_py(), bounds["max"].as_py()
        if high - low >= 2**62:
            return None, 0
        if column.type == pa.uint64():
            codes = pc.cast(pc.subtract(column, pa.scalar(low, pa.uint64())), pa.int64())
        else:
            codes = pc.subtract(pc.cast(column, pa.int64()), low)
        size = high - low + 2
    else:
        try:
            # One chunk first: encoding a chunked column leaves per-chunk dictionaries whose
            # unification costs more than the copy.
            encoded = pc.dictionary_encode(column.combine_chunks())
        except pa.ArrowNotImplementedError:
            return None, 0
        codes, size = pc.cast(encoded.indices, pa.int64()), len(encoded.dictionary) + 1
    filled = pc.fill_null(codes, size - 1) if column.null_count else codes
    if isinstance(filled, pa.ChunkedArray):
        filled = filled.combine_chunks()
    return filled.to_numpy(zero_copy_only=False), size


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
