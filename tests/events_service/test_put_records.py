"""PutItems, PutUsers and PutActions through real gRPC: upsert by id, validation, datasets."""

from __future__ import annotations

import json

import grpc
import pytest

from tests.control_plane.aws_calls import call
from tests.control_plane.fixtures_data import make_group_with_datasets
from tests.events_service.events_calls import call_events, expect_events_error

INVALID = ("InvalidInputException", grpc.StatusCode.INVALID_ARGUMENT)
NOT_FOUND = ("ResourceNotFoundException", grpc.StatusCode.NOT_FOUND)


@pytest.fixture(params=["sql", "redis"])
def online_store_url(request) -> str:  # type: ignore[no-untyped-def]
    return request.getfixturevalue("redis_online_url") if request.param == "redis" else ""


@pytest.fixture
def datasets(personalize) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Interactions, Items (ITEM_ID, GENRE categorical, PRICE float), Users (USER_ID, AGE int)."""
    return make_group_with_datasets(personalize)


def _item(item_id: str, **properties) -> dict:
    return {"itemId": item_id, "properties": json.dumps(properties)}


def test_put_items_upserts_by_id_with_typed_properties(events, datasets, online):
    items = datasets["ItemsDatasetArn"]
    call_events(
        events,
        "PutItems",
        datasetArn=items,
        items=[_item("i1", genre="drama", price="9.5"), _item("i2", GENRE="comedy", PRICE=3)],
    )
    call_events(
        events, "PutItems", datasetArn=items, items=[_item("i1", genre="horror|action", price=7.25)]
    )
    found = online.get_records(items, ["i1", "i2", "i3"])
    assert {record_id: r.properties for record_id, r in found.items()} == {
        "i1": {"GENRE": "horror|action", "PRICE": 7.25},
        "i2": {"GENRE": "comedy", "PRICE": 3.0},
    }


def test_put_users_upserts_by_id(events, datasets, online):
    users = datasets["UsersDatasetArn"]
    call_events(
        events,
        "PutUsers",
        datasetArn=users,
        users=[{"userId": "u1", "properties": '{"age": "41"}'}],
    )
    call_events(
        events, "PutUsers", datasetArn=users, users=[{"userId": "u1", "properties": '{"age": 42}'}]
    )
    assert online.get_records(users, ["u1"])["u1"].properties == {"AGE": 42}


def test_put_actions_writes_to_the_actions_dataset(events, personalize, datasets, online):
    schema = json.dumps(
        {
            "type": "record",
            "name": "Actions",
            "fields": [
                {"name": "ACTION_ID", "type": "string"},
                {"name": "VALUE", "type": ["null", "long"]},
            ],
        }
    )
    schema_arn = call(personalize, "CreateSchema", name="shop-actions", schema=schema)["schemaArn"]
    actions = call(
        personalize,
        "CreateDataset",
        name="shop-actions",
        schemaArn=schema_arn,
        datasetGroupArn=datasets["datasetGroupArn"],
        datasetType="Actions",
    )["datasetArn"]
    call_events(
        events,
        "PutActions",
        datasetArn=actions,
        actions=[{"actionId": "a1", "properties": '{"value": 5}'}],
    )
    assert online.get_records(actions, ["a1"])["a1"].properties == {"VALUE": 5}


@pytest.mark.parametrize(
    ("records", "message"),
    [
        (
            [_item("i1", genre="x", price=1), _item("i2", genre="x", colour="red", price=1)],
            "items[1].properties: key 'colour' matches no field",
        ),
        ([_item("i1", genre="x")], "items[0].properties: PRICE is required by the schema"),
        ([{"itemId": "i1"}], "items[0].properties: GENRE is required by the schema"),
        (
            [_item("i1", genre="x", price="cheap")],
            "items[0].properties: key 'price' (PRICE): PRICE is of type float",
        ),
        (
            [_item("i1", genre="x", price=1, itemId="i2")],
            "items[0].properties: key 'itemId' is not allowed; ITEM_ID is set by the record's",
        ),
        (
            [_item("i1", genre="x", price=1), _item("i1", genre="y", price=2)],
            "items[1].itemId: 'i1' is also the itemId of items[0]",
        ),
        (
            [_item("i1", genre=None, price=1)],
            "items[0].properties: key 'genre' (GENRE): GENRE is not nullable",
        ),
        ([{"itemId": "i1", "properties": "[]"}], "items[0].properties: must be a JSON object"),
    ],
)
def test_an_invalid_record_refuses_the_whole_call_and_stores_nothing(
    events, datasets, online, records, message
):
    items = datasets["ItemsDatasetArn"]
    detail = expect_events_error(events, "PutItems", *INVALID, datasetArn=items, items=records)
    assert detail.startswith(message), detail
    assert online.get_records(items, ["i1", "i2"]) == {}


def test_the_dataset_must_exist_and_be_of_the_operations_type(events, datasets, online):
    missing = datasets["ItemsDatasetArn"].replace("shop", "nowhere")
    detail = expect_events_error(
        events, "PutItems", *NOT_FOUND, datasetArn=missing, items=[_item("i1")]
    )
    assert detail == f"datasetArn: dataset {missing} does not exist"
    detail = expect_events_error(
        events, "PutItems", *NOT_FOUND, datasetArn=datasets["UsersDatasetArn"], items=[_item("i1")]
    )
    assert detail.startswith(f"datasetArn: dataset {datasets['UsersDatasetArn']} holds USERS data")
    detail = expect_events_error(
        events,
        "PutUsers",
        *NOT_FOUND,
        datasetArn=datasets["InteractionsDatasetArn"],
        users=[{"userId": "u1", "properties": '{"age": 1}'}],
    )
    assert "holds INTERACTIONS data; PutUsers writes to the Users dataset" in detail
    assert online.get_records(datasets["UsersDatasetArn"], ["u1"]) == {}
