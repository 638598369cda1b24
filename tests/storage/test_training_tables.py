"""Streamed events and records read back as training tables (SQLite and PostgreSQL)."""

from __future__ import annotations

import dataclasses
import json

import pyarrow as pa
import pytest

from domain.dataset_schema import parse_dataset_schema
from domain.errors import ResourceNotFoundException
from domain.resources import Resource
from domain.streamed_data import DatasetRecord, SessionLink, StreamedEvent
from storage.metadata.store import open_metadata_store
from storage.streamed.group_commit import GroupCommitWriter
from storage.streamed.training_tables import (
    latest_event_seq,
    read_streamed_interactions,
    read_streamed_records,
)

GROUP = "arn:aws:personalize:us-east-1:000000000000:dataset-group/shop"
ITEMS = "arn:aws:personalize:us-east-1:000000000000:dataset/shop/ITEMS"
INTERACTIONS_SCHEMA = json.dumps(
    {
        "type": "record",
        "name": "Interactions",
        "fields": [
            {"name": "USER_ID", "type": "string"},
            {"name": "ITEM_ID", "type": "string"},
            {"name": "TIMESTAMP", "type": "long"},
            {"name": "EVENT_TYPE", "type": "string"},
            {"name": "EVENT_VALUE", "type": ["null", "float"]},
            {"name": "IMPRESSION", "type": ["null", "string"]},
            {"name": "NUM_RATINGS", "type": ["null", "int"]},
            {"name": "LOCATION", "type": ["null", "string"], "categorical": True},
            {"name": "PREMIUM", "type": ["null", "boolean"]},
        ],
    }
)
ITEMS_SCHEMA = json.dumps(
    {
        "type": "record",
        "name": "Items",
        "fields": [
            {"name": "ITEM_ID", "type": "string"},
            {"name": "GENRE", "type": "string", "categorical": True},
            {"name": "PRICE", "type": ["null", "double"]},
            {"name": "CREATION_TIMESTAMP", "type": "long"},
        ],
    }
)


@pytest.fixture
def store(metadata_url):
    opened = open_metadata_store(metadata_url)
    yield opened
    opened.close()


@pytest.fixture
def writer(store):
    started = GroupCommitWriter(store.engine)
    yield started
    started.close()


def _event(item: str, event_id: str, *, user=None, session="s1", sent_at=1_700_000_000.9, **extra):
    return StreamedEvent(
        dataset_group_arn=GROUP,
        session_id=session,
        user_id=user,
        item_id=item,
        event_type="click",
        sent_at=sent_at,
        event_id=event_id,
        received_at=1.0,
        **extra,
    )


def _register_group_datasets(store) -> None:
    for name, schema in (("interactions", INTERACTIONS_SCHEMA), ("items", ITEMS_SCHEMA)):
        schema_arn = f"arn:aws:personalize:us-east-1:000000000000:schema/shop-{name}"
        store.create_resource(
            Resource(
                arn=schema_arn, kind="schema", name=name, status=None, document={"schema": schema}
            )
        )
        dataset_type = name.upper()
        store.create_resource(
            Resource(
                arn=f"arn:aws:personalize:us-east-1:000000000000:dataset/shop/{dataset_type}",
                kind="dataset",
                name=name,
                status="ACTIVE",
                document={"datasetType": dataset_type, "schemaArn": schema_arn},
                parent_arn=GROUP,
                dataset_group_arn=GROUP,
            )
        )


def test_events_become_interactions_rows_in_schema_order_and_types(store, writer):
    _register_group_datasets(store)
    writer.append([_event("i1", "e1", user="u1", event_value=2.5, impression=("i1", "i2"))])
    writer.append([_event("i2", "e2", session="s-linked")])
    writer.append([_event("i3", "e3", session="s-anon", properties={"NUM_RATINGS": 7})])
    writer.append([_event("again", "e1", user="u1")])  # a repeated eventId is left out
    writer.append(
        [_event("i4", "e4", user="u2", session="s-linked", properties={"LOCATION": "a|b"})],
        SessionLink(GROUP, "s-linked", "u2", 2.0),
    )
    table = read_streamed_interactions(store, GROUP)
    assert table.schema == pa.schema(
        [
            ("USER_ID", pa.string()),
            ("ITEM_ID", pa.string()),
            ("TIMESTAMP", pa.int64()),
            ("EVENT_TYPE", pa.string()),
            ("EVENT_VALUE", pa.float32()),
            ("IMPRESSION", pa.string()),
            ("NUM_RATINGS", pa.int32()),
            ("LOCATION", pa.string()),
            ("PREMIUM", pa.bool_()),
        ]
    )
    assert table.to_pydict() == {
        "USER_ID": ["u1", "u2", "s-anon", "u2"],
        "ITEM_ID": ["i1", "i2", "i3", "i4"],
        "TIMESTAMP": [1_700_000_000] * 4,
        "EVENT_TYPE": ["click"] * 4,
        "EVENT_VALUE": [2.5, None, None, None],
        "IMPRESSION": ["i1|i2", None, None, None],
        "NUM_RATINGS": [None, None, 7, None],
        "LOCATION": [None, None, None, "a|b"],
        "PREMIUM": [None, None, None, None],
    }


def test_until_seq_reads_a_stable_prefix(store, writer):
    schema = parse_dataset_schema(INTERACTIONS_SCHEMA)
    assert latest_event_seq(store, GROUP) == 0
    writer.append([_event("i1", "e1", user="u1"), _event("i2", "e2", user="u1")])
    until = latest_event_seq(store, GROUP)
    writer.append([_event("i3", "e3", user="u1")])
    assert read_streamed_interactions(store, GROUP, until, schema=schema)[
        "ITEM_ID"
    ].to_pylist() == [
        "i1",
        "i2",
    ]
    assert read_streamed_interactions(store, GROUP, schema=schema).num_rows == 3
    assert read_streamed_interactions(store, GROUP + "x", schema=schema).num_rows == 0


def test_the_latest_seq_is_the_groups_own_when_groups_interleave(store, writer):
    other = dataclasses.replace(_event("i9", "x1"), dataset_group_arn=GROUP + "-other")
    (first,) = writer.append([_event("i1", "e1", user="u1")])
    writer.append([other])
    assert latest_event_seq(store, GROUP) == first.seq
    assert latest_event_seq(store, GROUP + "-other") == other.seq > first.seq


def test_awkward_text_survives_the_bulk_read(store, writer):
    schema = parse_dataset_schema(INTERACTIONS_SCHEMA)
    user = 'a,"b"\nc\\d é'
    writer.append(
        [_event('x"y,z', "e1", user=user, properties={"LOCATION": 'q"uo\nte,', "PREMIUM": True})]
    )
    row = read_streamed_interactions(store, GROUP, schema=schema).to_pylist()[0]
    assert (row["USER_ID"], row["ITEM_ID"]) == (user, 'x"y,z')
    assert (row["LOCATION"], row["PREMIUM"]) == ('q"uo\nte,', True)


def test_records_become_rows_with_their_latest_properties(store, writer):
    _register_group_datasets(store)
    writer.append(
        records=[
            DatasetRecord(
                ITEMS, "i2", {"GENRE": "drama", "PRICE": 3.5, "CREATION_TIMESTAMP": 5}, 1
            ),
            DatasetRecord(ITEMS, "i1", {"GENRE": "x", "PRICE": None, "CREATION_TIMESTAMP": 6}, 1),
        ]
    )
    writer.append(
        records=[
            DatasetRecord(ITEMS, "i2", {"GENRE": "a|b", "PRICE": 1.0, "CREATION_TIMESTAMP": 7}, 2)
        ]
    )
    table = read_streamed_records(store, ITEMS)
    assert table.schema.types == [pa.string(), pa.string(), pa.float64(), pa.int64()]
    assert table.to_pydict() == {
        "ITEM_ID": ["i1", "i2"],
        "GENRE": ["x", "a|b"],
        "PRICE": [None, 1.0],
        "CREATION_TIMESTAMP": [6, 7],
    }


def test_a_group_without_an_interactions_dataset_is_refused(store):
    with pytest.raises(ResourceNotFoundException, match="no Interactions dataset"):
        read_streamed_interactions(store, GROUP)
    with pytest.raises(ResourceNotFoundException, match="does not exist"):
        read_streamed_records(store, ITEMS)
