"""PutItems, PutUsers and PutActions: records upserted by id, durably, then made visible.

Each record's ``properties`` are validated against its dataset's schema.

Decisions where AWS is silent: a ``datasetArn`` of another dataset type is answered like an unknown
one (ResourceNotFoundException, naming the type it has); every non-nullable field of the schema
must get a value, as a bulk import requires; two records of one call may not share an id.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from domain.dataset_schema import DatasetSchema, parse_dataset_schema
from domain.errors import InvalidInputException, ResourceInUseException, ResourceNotFoundException
from domain.resources import ACTIVE
from domain.streamed_data import DatasetRecord
from events_service.events_metrics import EVENTS_APPLIED
from events_service.record_properties import (
    column_key,
    columns_by_key,
    parse_properties_object,
    read_properties,
    require_columns,
)
from storage.metadata.store import MetadataStore
from storage.online.store import OnlineStore
from storage.streamed.group_commit import GroupCommitWriter


@dataclass(frozen=True)
class RecordKind:
    """One of the record operations: its dataset type and member names."""

    operation: str
    dataset_type: str
    list_member: str
    id_member: str
    id_column: str
    label: str


RECORD_KINDS = (
    RecordKind("PutItems", "ITEMS", "items", "itemId", "ITEM_ID", "Items"),
    RecordKind("PutUsers", "USERS", "users", "userId", "USER_ID", "Users"),
    RecordKind("PutActions", "ACTIONS", "actions", "actionId", "ACTION_ID", "Actions"),
)


class PutRecords:
    """PutItems / PutUsers / PutActions over AWS-shaped requests."""

    def __init__(
        self,
        kind: RecordKind,
        store: MetadataStore,
        writer: GroupCommitWriter,
        online: OnlineStore,
    ) -> None:
        self._kind = kind
        self._store = store
        self._writer = writer
        self._online = online
        self._applied = EVENTS_APPLIED.labels(kind.operation)

    def __call__(self, request: dict[str, Any]) -> dict[str, Any]:
        """Upsert the call's records; reply once they are durable and visible.

        Raises:
            ResourceNotFoundException: ``datasetArn`` is not a dataset of this kind.
            ResourceInUseException: the dataset is not ACTIVE.
            InvalidInputException: a record is invalid (nothing of the call is stored).

        """
        kind = self._kind
        arn = request["datasetArn"]
        dataset = self._store.get_resource(arn)
        if dataset is None or dataset.kind != "dataset":
            raise ResourceNotFoundException(f"datasetArn: dataset {arn} does not exist")
        dataset_type = dataset.document.get("datasetType")
        if dataset_type != kind.dataset_type:
            raise ResourceNotFoundException(
                f"datasetArn: dataset {arn} holds {dataset_type} data; {kind.operation} writes "
                f"to the {kind.label} dataset of a dataset group"
            )
        if dataset.status != ACTIVE:
            raise ResourceInUseException(f"datasetArn: dataset {arn} is {dataset.status}")
        schema = self._schema(dataset.document["schemaArn"])
        records = _records(kind, request[kind.list_member], schema, arn, time.time())
        self._writer.append(records=records)
        self._applied.inc(len(records))
        self._online.apply(records=records)
        return {}

    def _schema(self, schema_arn: str) -> DatasetSchema:
        resource = self._store.get_resource(schema_arn)
        if resource is None:
            raise ResourceNotFoundException(f"datasetArn: schema {schema_arn} does not exist")
        return parse_dataset_schema(resource.document["schema"], resource.document.get("domain"))


def _records(
    kind: RecordKind,
    raw_records: list[dict[str, Any]],
    schema: DatasetSchema,
    dataset_arn: str,
    updated_at: float,
) -> list[DatasetRecord]:
    metadata = [f for f in schema.fields if f.name != kind.id_column]
    columns = columns_by_key(metadata)
    required = [f for f in metadata if not f.nullable]
    reserved = {
        column_key(kind.id_column): f"{kind.id_column} is set by the record's {kind.id_member}"
    }
    first_index: dict[str, int] = {}
    records = []
    for index, raw in enumerate(raw_records):
        where = f"{kind.list_member}[{index}]"
        record_id = raw[kind.id_member]
        first = first_index.setdefault(record_id, index)
        if first != index:
            raise InvalidInputException(
                f"{where}.{kind.id_member}: {record_id!r} is also the {kind.id_member} of "
                f"{kind.list_member}[{first}]"
            )
        values: dict[str, Any] = {}
        if "properties" in raw:
            parsed = parse_properties_object(raw["properties"], f"{where}.properties")
            values, _ = read_properties(parsed, f"{where}.properties", columns, reserved=reserved)
        require_columns(values, required, f"{where}.properties")
        records.append(DatasetRecord(dataset_arn, record_id, values, updated_at))
    return records
