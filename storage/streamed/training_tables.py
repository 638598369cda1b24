"""Streamed data as training tables, read in bulk into Arrow.

The event log and the PutItems/PutUsers/PutActions records become tables with the dataset
schema's columns, for the trainer to concatenate with the bulk-import segments.

Reads go from SQL to Arrow without per-row Python objects where the driver allows: PostgreSQL
streams ``COPY ... TO STDOUT (FORMAT csv)`` into Arrow's CSV reader; SQLite's driver only yields
tuples, which are turned into columns a chunk at a time. ``properties`` (JSON objects typed per
the schema when they were written) become columns through Arrow's JSON reader.

Training semantics (spec §9.1):
* USER_ID is the event's userId; for an anonymous event, the user its session is linked to, or
  else the sessionId (the anonymous history is keyed by the session).
* Events repeating an earlier eventId of the same dataset group are left out.
* TIMESTAMP is ``sentAt`` in whole epoch seconds; IMPRESSION joins the item ids with ``|``.
"""

from __future__ import annotations

import io
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.json as pa_json
from sqlalchemy import Connection, Select, func, select
from sqlalchemy.sql import ColumnElement

from domain.dataset_schema import DatasetSchema, SchemaField, parse_dataset_schema
from domain.errors import ResourceNotFoundException
from storage.metadata.models import DatasetRecordRow, EventRow, SessionUserRow
from storage.metadata.store import SqlMetadataStore

ARROW_TYPES: dict[str, pa.DataType] = {
    "string": pa.string(),
    "long": pa.int64(),
    "int": pa.int32(),
    "float": pa.float32(),
    "double": pa.float64(),
    "boolean": pa.bool_(),
    "null": pa.null(),
}
# What Arrow's JSON reader parses each schema type as, before the cast to ``ARROW_TYPES``.
_JSON_TYPES = {"int": pa.int64(), "float": pa.float64()}
_RECORD_ID_COLUMNS = {"ITEMS": "ITEM_ID", "USERS": "USER_ID", "ACTIONS": "ACTION_ID"}
_CHUNK_ROWS = 65536
# Working columns, named so that no schema field (``[A-Za-z_][A-Za-z0-9_]*``) can clash.
_SEQ, _EVENT_ID, _PROPERTIES = "seq#", "event_id#", "properties#"
_EVENTS = EventRow.__table__
_LINKS = SessionUserRow.__table__
_RECORDS = DatasetRecordRow.__table__


def arrow_schema(schema: DatasetSchema) -> pa.Schema:
    """The Arrow schema of a dataset schema: its fields in order, typed, nullable."""
    return pa.schema([pa.field(f.name, ARROW_TYPES[f.base_type]) for f in schema.fields])


def latest_event_seq(store: SqlMetadataStore, dataset_group_arn: str) -> int:
    """The ``seq`` of the group's newest stored event (0 when there is none).

    Pass it as ``until_seq`` to read a stable snapshot while events keep arriving.
    """
    # Newest first, stopping at the group's first row: a walk back along the primary key (no
    # index leads with the group).
    with store.engine.connect() as connection:
        newest = connection.scalar(
            select(_EVENTS.c.seq)
            .where(_EVENTS.c.dataset_group_arn == dataset_group_arn)
            .order_by(_EVENTS.c.seq.desc())
            .limit(1)
        )
    return int(newest or 0)


def read_streamed_interactions(
    store: SqlMetadataStore,
    dataset_group_arn: str,
    until_seq: int | None = None,
    *,
    schema: DatasetSchema | None = None,
) -> pa.Table:
    """The group's PutEvents events as an Interactions table, oldest first.

    Args:
        store: The metadata store holding the event log.
        dataset_group_arn: The dataset group.
        until_seq: Read only events with ``seq`` up to this one (see :func:`latest_event_seq`).
        schema: The Interactions schema; looked up from the group's dataset when omitted.

    Returns:
        One column per schema field, in schema order, typed per :data:`ARROW_TYPES`.

    Raises:
        ResourceNotFoundException: no schema given and the group has no Interactions dataset.

    """
    schema = schema or _dataset_schema(store, dataset_group_arn, "INTERACTIONS")
    events, links = _EVENTS.c, _LINKS.c
    columns: dict[str, tuple[ColumnElement[Any], pa.DataType]] = {
        _SEQ: (events.seq, pa.int64()),
        _EVENT_ID: (events.event_id, pa.string()),
        "USER_ID": (func.coalesce(events.user_id, links.user_id, events.session_id), pa.string()),
        "ITEM_ID": (events.item_id, pa.string()),
        "TIMESTAMP": (events.sent_at, pa.float64()),
        "EVENT_TYPE": (events.event_type, pa.string()),
        "EVENT_VALUE": (events.event_value, pa.float64()),
        "IMPRESSION": (events.impression, pa.string()),
        "RECOMMENDATION_ID": (events.recommendation_id, pa.string()),
        "EVENT_ATTRIBUTION_SOURCE": (events.metric_attribution_source, pa.string()),
        _PROPERTIES: (events.properties, pa.string()),
    }
    query = (
        select(*(column.label(name) for name, (column, _) in columns.items()))
        .select_from(
            _EVENTS.outerjoin(
                _LINKS,
                (links.dataset_group_arn == events.dataset_group_arn)
                & (links.session_id == events.session_id),
            )
        )
        .where(events.dataset_group_arn == dataset_group_arn)
        .order_by(events.seq)
    )
    if until_seq is not None:
        query = query.where(events.seq <= until_seq)
    raw_schema = pa.schema([(name, arrow_type) for name, (_, arrow_type) in columns.items()])
    with store.engine.connect() as connection:
        raw = _query_to_arrow(connection, query, raw_schema)
    raw = _first_of_each_event_id(raw)
    raw = raw.set_column(
        raw.schema.get_field_index("TIMESTAMP"),
        "TIMESTAMP",
        pc.cast(pc.floor(raw["TIMESTAMP"]), pa.int64()),
    )
    return _schema_table(raw, schema)


def read_streamed_records(
    store: SqlMetadataStore, dataset_arn: str, *, schema: DatasetSchema | None = None
) -> pa.Table:
    """The dataset's PutItems/PutUsers/PutActions records as a table, by id.

    Each id appears once, with its latest properties; the trainer should let these rows replace
    bulk-imported rows with the same id.

    Args:
        store: The metadata store.
        dataset_arn: An Items, Users or Actions dataset.
        schema: The dataset's schema; looked up when omitted.

    Returns:
        One column per schema field, in schema order, typed per :data:`ARROW_TYPES`.

    Raises:
        ResourceNotFoundException: no schema given and the dataset does not exist.

    """
    if schema is None:
        dataset = store.get_resource(dataset_arn)
        if dataset is None or dataset.kind != "dataset":
            raise ResourceNotFoundException(f"dataset {dataset_arn} does not exist")
        schema = _schema_of(store, dataset.document["schemaArn"])
    id_column = _RECORD_ID_COLUMNS[schema.dataset_type]
    query = (
        select(_RECORDS.c.record_id.label(id_column), _RECORDS.c.properties.label(_PROPERTIES))
        .where(_RECORDS.c.dataset_arn == dataset_arn)
        .order_by(_RECORDS.c.record_id)
    )
    raw_schema = pa.schema([(id_column, pa.string()), (_PROPERTIES, pa.string())])
    with store.engine.connect() as connection:
        raw = _query_to_arrow(connection, query, raw_schema)
    return _schema_table(raw, schema)


def _schema_table(raw: pa.Table, schema: DatasetSchema) -> pa.Table:
    """Columns of ``raw`` named like schema fields, the others parsed from ``properties``."""
    from_properties = [f for f in schema.fields if f.name not in raw.column_names]
    parsed = _parse_properties(raw[_PROPERTIES], from_properties)
    arrays = []
    for field in schema.fields:
        column = raw[field.name] if field.name in raw.column_names else parsed[field.name]
        arrays.append(pc.cast(column, ARROW_TYPES[field.base_type]))
    return pa.Table.from_arrays(arrays, schema=arrow_schema(schema))


def _parse_properties(properties: pa.ChunkedArray, fields: list[SchemaField]) -> pa.Table:
    """JSON objects (one per row, null for none) as one column per field."""
    json_schema = pa.schema(
        [(f.name, _JSON_TYPES.get(f.base_type, ARROW_TYPES[f.base_type])) for f in fields]
    )
    rows = len(properties)
    if not fields or rows == 0:
        return pa.table({f.name: pa.nulls(rows, json_schema.field(f.name).type) for f in fields})
    lines = pc.fill_null(pc.cast(properties, pa.large_string()).combine_chunks(), "{}")
    offsets = pa.array([0, rows], pa.int64())
    newline = pa.scalar("\n", pa.large_string())
    document = pc.binary_join(pa.LargeListArray.from_arrays(offsets, lines), newline)[0]
    parsed = pa_json.read_json(
        pa.BufferReader(document.as_buffer()),
        read_options=pa_json.ReadOptions(block_size=1 << 24),
        parse_options=pa_json.ParseOptions(
            explicit_schema=json_schema, unexpected_field_behavior="ignore"
        ),
    )
    if parsed.num_rows != rows:
        raise RuntimeError(f"properties: parsed {parsed.num_rows} rows, expected {rows}")
    return parsed


def _first_of_each_event_id(raw: pa.Table) -> pa.Table:
    """Drop events whose eventId appeared earlier (``raw`` is in ``seq`` order)."""
    if raw.num_rows == 0:
        return raw
    firsts = raw.group_by(_EVENT_ID, use_threads=False).aggregate([(_SEQ, "min")])
    if firsts.num_rows == raw.num_rows:
        return raw
    return raw.filter(pc.is_in(raw[_SEQ], value_set=firsts[f"{_SEQ}_min"]))


def _query_to_arrow(connection: Connection, query: Select[Any], schema: pa.Schema) -> pa.Table:
    if connection.dialect.name == "postgresql":
        return _postgres_copy_to_arrow(connection, query, schema)
    cursor = connection.connection.driver_connection.cursor()
    compiled = query.compile(dialect=connection.dialect)
    try:
        cursor.execute(compiled.string, tuple(compiled.params[k] for k in compiled.positiontup))
        batches = []
        while rows := cursor.fetchmany(_CHUNK_ROWS):
            columns = list(zip(*rows, strict=True))
            batches.append(
                pa.record_batch(
                    [pa.array(c, f.type) for c, f in zip(columns, schema, strict=True)],
                    schema=schema,
                )
            )
    finally:
        cursor.close()
    return pa.Table.from_batches(batches, schema=schema)


def _postgres_copy_to_arrow(
    connection: Connection, query: Select[Any], schema: pa.Schema
) -> pa.Table:
    sql = query.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}).string
    buffer = io.BytesIO()
    with connection.connection.driver_connection.cursor() as cursor:
        with cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)") as copy:
            for chunk in copy:
                buffer.write(chunk)
    if buffer.tell() == 0:
        return schema.empty_table()
    buffer.seek(0)
    return pa_csv.read_csv(
        buffer,
        read_options=pa_csv.ReadOptions(column_names=schema.names),
        parse_options=pa_csv.ParseOptions(newlines_in_values=True),
        convert_options=pa_csv.ConvertOptions(
            column_types=schema,
            null_values=[""],
            strings_can_be_null=True,
            quoted_strings_can_be_null=False,
        ),
    )


def _dataset_schema(
    store: SqlMetadataStore, dataset_group_arn: str, dataset_type: str
) -> DatasetSchema:
    for dataset in store.find_resources(["dataset"], dataset_group_arn=dataset_group_arn):
        if dataset.document.get("datasetType") == dataset_type:
            return _schema_of(store, dataset.document["schemaArn"])
    raise ResourceNotFoundException(
        f"dataset group {dataset_group_arn} has no {dataset_type.title()} dataset"
    )


def _schema_of(store: SqlMetadataStore, schema_arn: str) -> DatasetSchema:
    resource = store.get_resource(schema_arn)
    if resource is None:
        raise ResourceNotFoundException(f"schema {schema_arn} does not exist")
    return parse_dataset_schema(resource.document["schema"], resource.document.get("domain"))
