"""Dataset groups, schemas, datasets, event trackers and tags through real gRPC, on each backend."""

from __future__ import annotations

import grpc

from tests.control_plane.aws_calls import call, expect_error
from tests.control_plane.fixtures_data import (
    ITEMS_SCHEMA,
    ITEMS_SCHEMA_V2,
    make_group_with_datasets,
)

NOT_FOUND = grpc.StatusCode.NOT_FOUND
INVALID = grpc.StatusCode.INVALID_ARGUMENT
EXISTS = grpc.StatusCode.ALREADY_EXISTS
IN_USE = grpc.StatusCode.FAILED_PRECONDITION


def test_dataset_group_lifecycle(personalize):
    created = call(personalize, "CreateDatasetGroup", name="shop", domain="ECOMMERCE")
    arn = created["datasetGroupArn"]
    assert arn == "arn:aws:personalize:us-east-1:000000000000:dataset-group/shop"
    assert created["domain"] == "ECOMMERCE"
    group = call(personalize, "DescribeDatasetGroup", datasetGroupArn=arn)["datasetGroup"]
    assert group["name"] == "shop"
    assert group["status"] == "ACTIVE"
    assert group["domain"] == "ECOMMERCE"
    assert isinstance(group["creationDateTime"], float)
    assert group["lastUpdatedDateTime"] >= group["creationDateTime"]
    listed = call(personalize, "ListDatasetGroups")["datasetGroups"]
    assert [g["datasetGroupArn"] for g in listed] == [arn]
    call(personalize, "DeleteDatasetGroup", datasetGroupArn=arn)
    expect_error(
        personalize,
        "DescribeDatasetGroup",
        "ResourceNotFoundException",
        NOT_FOUND,
        datasetGroupArn=arn,
    )


def test_dataset_group_name_taken_or_invalid(personalize):
    call(personalize, "CreateDatasetGroup", name="shop")
    message = expect_error(
        personalize, "CreateDatasetGroup", "ResourceAlreadyExistsException", EXISTS, name="shop"
    )
    assert "shop" in message
    message = expect_error(
        personalize, "CreateDatasetGroup", "InvalidInputException", INVALID, name="bad name!"
    )
    assert "name" in message
    expect_error(
        personalize,
        "CreateDatasetGroup",
        "InvalidInputException",
        INVALID,
        name="x",
        domain="GROCERY",
    )
    assert len(call(personalize, "ListDatasetGroups")["datasetGroups"]) == 1


def test_list_dataset_groups_pages_newest_first(personalize):
    for index in range(5):
        call(personalize, "CreateDatasetGroup", name=f"g{index}")
    first = call(personalize, "ListDatasetGroups", maxResults=2)
    assert [g["name"] for g in first["datasetGroups"]] == ["g4", "g3"]
    second = call(personalize, "ListDatasetGroups", maxResults=2, nextToken=first["nextToken"])
    assert [g["name"] for g in second["datasetGroups"]] == ["g2", "g1"]
    third = call(personalize, "ListDatasetGroups", maxResults=2, nextToken=second["nextToken"])
    assert [g["name"] for g in third["datasetGroups"]] == ["g0"]
    assert "nextToken" not in third
    expect_error(
        personalize, "ListDatasetGroups", "InvalidNextTokenException", INVALID, nextToken="garbage"
    )
    expect_error(personalize, "ListDatasetGroups", "InvalidInputException", INVALID, maxResults=101)


def test_schema_validated_and_protected_while_used(personalize):
    message = expect_error(
        personalize,
        "CreateSchema",
        "InvalidInputException",
        INVALID,
        name="broken",
        schema='{"type": "record", "name": "Interactions", "fields": []}',
    )
    assert "schema" in message
    assert call(personalize, "ListSchemas")["schemas"] == []
    arns = make_group_with_datasets(personalize)
    schema = call(personalize, "DescribeSchema", schemaArn=arns["ItemsSchemaArn"])["schema"]
    assert schema["schema"] == ITEMS_SCHEMA
    assert "status" not in schema
    message = expect_error(
        personalize,
        "DeleteSchema",
        "ResourceInUseException",
        IN_USE,
        schemaArn=arns["ItemsSchemaArn"],
    )
    assert arns["ItemsDatasetArn"] in message


def test_datasets_one_per_type_with_matching_schema(personalize):
    arns = make_group_with_datasets(personalize)
    group = arns["datasetGroupArn"]
    assert arns["InteractionsDatasetArn"].endswith(":dataset/shop/INTERACTIONS")
    dataset = call(personalize, "DescribeDataset", datasetArn=arns["ItemsDatasetArn"])["dataset"]
    assert dataset["datasetType"] == "ITEMS"
    assert dataset["status"] == "ACTIVE"
    assert dataset["schemaArn"] == arns["ItemsSchemaArn"]
    expect_error(
        personalize,
        "CreateDataset",
        "ResourceAlreadyExistsException",
        EXISTS,
        name="again",
        schemaArn=arns["InteractionsSchemaArn"],
        datasetGroupArn=group,
        datasetType="Interactions",
    )
    other = call(personalize, "CreateDatasetGroup", name="other")["datasetGroupArn"]
    message = expect_error(
        personalize,
        "CreateDataset",
        "InvalidInputException",
        INVALID,
        name="wrong",
        schemaArn=arns["ItemsSchemaArn"],
        datasetGroupArn=other,
        datasetType="Interactions",
    )
    assert "ITEMS" in message
    expect_error(
        personalize,
        "CreateDataset",
        "ResourceNotFoundException",
        NOT_FOUND,
        name="ghost",
        schemaArn=arns["ItemsSchemaArn"],
        datasetGroupArn=group + "-missing",
        datasetType="Items",
    )
    listed = call(personalize, "ListDatasets", datasetGroupArn=group)["datasets"]
    assert {d["datasetType"] for d in listed} == {"INTERACTIONS", "ITEMS", "USERS"}
    assert call(personalize, "ListDatasets", datasetGroupArn=other)["datasets"] == []


def test_delete_dataset_group_refused_while_datasets_exist(personalize):
    arns = make_group_with_datasets(personalize)
    group = arns["datasetGroupArn"]
    expect_error(
        personalize, "DeleteDatasetGroup", "ResourceInUseException", IN_USE, datasetGroupArn=group
    )
    for key in ("InteractionsDatasetArn", "ItemsDatasetArn", "UsersDatasetArn"):
        call(personalize, "DeleteDataset", datasetArn=arns[key])
    call(personalize, "DeleteDatasetGroup", datasetGroupArn=group)
    call(personalize, "DeleteSchema", schemaArn=arns["ItemsSchemaArn"])


def test_update_dataset_replaces_schema_only_compatibly(personalize):
    arns = make_group_with_datasets(personalize)
    v2 = call(personalize, "CreateSchema", name="items-v2", schema=ITEMS_SCHEMA_V2)["schemaArn"]
    call(personalize, "UpdateDataset", datasetArn=arns["ItemsDatasetArn"], schemaArn=v2)
    dataset = call(personalize, "DescribeDataset", datasetArn=arns["ItemsDatasetArn"])["dataset"]
    assert dataset["schemaArn"] == v2
    assert dataset["latestDatasetUpdate"]["status"] == "ACTIVE"
    assert dataset["latestDatasetUpdate"]["schemaArn"] == v2
    # The old schema is free now; the new one is in use.
    call(personalize, "DeleteSchema", schemaArn=arns["ItemsSchemaArn"])
    expect_error(personalize, "DeleteSchema", "ResourceInUseException", IN_USE, schemaArn=v2)
    expect_error(
        personalize,
        "UpdateDataset",
        "InvalidInputException",
        INVALID,
        datasetArn=arns["InteractionsDatasetArn"],
        schemaArn=arns["InteractionsSchemaArn"],
    )


def test_event_tracker_one_per_group(personalize):
    arns = make_group_with_datasets(personalize)
    group = arns["datasetGroupArn"]
    created = call(personalize, "CreateEventTracker", name="web", datasetGroupArn=group)
    assert len(created["trackingId"]) == 36
    tracker = call(personalize, "DescribeEventTracker", eventTrackerArn=created["eventTrackerArn"])[
        "eventTracker"
    ]
    assert tracker["trackingId"] == created["trackingId"]
    assert tracker["datasetGroupArn"] == group
    assert tracker["status"] == "ACTIVE"
    message = expect_error(
        personalize,
        "CreateEventTracker",
        "ResourceAlreadyExistsException",
        EXISTS,
        name="mobile",
        datasetGroupArn=group,
    )
    assert created["eventTrackerArn"] in message
    listed = call(personalize, "ListEventTrackers", datasetGroupArn=group)["eventTrackers"]
    assert [t["name"] for t in listed] == ["web"]
    call(personalize, "DeleteEventTracker", eventTrackerArn=created["eventTrackerArn"])
    call(personalize, "CreateEventTracker", name="mobile", datasetGroupArn=group)


def test_tags_on_resources(personalize):
    arn = call(
        personalize,
        "CreateDatasetGroup",
        name="tagged",
        tags=[{"tagKey": "team", "tagValue": "growth"}],
    )["datasetGroupArn"]
    assert call(personalize, "ListTagsForResource", resourceArn=arn)["tags"] == [
        {"tagKey": "team", "tagValue": "growth"}
    ]
    call(
        personalize,
        "TagResource",
        resourceArn=arn,
        tags=[{"tagKey": "env", "tagValue": "prod"}, {"tagKey": "team", "tagValue": "search"}],
    )
    tags = call(personalize, "ListTagsForResource", resourceArn=arn)["tags"]
    assert tags == [{"tagKey": "env", "tagValue": "prod"}, {"tagKey": "team", "tagValue": "search"}]
    call(personalize, "UntagResource", resourceArn=arn, tagKeys=["env"])
    tags = call(personalize, "ListTagsForResource", resourceArn=arn)["tags"]
    assert tags == [{"tagKey": "team", "tagValue": "search"}]
    expect_error(
        personalize,
        "TagResource",
        "TooManyTagsException",
        grpc.StatusCode.RESOURCE_EXHAUSTED,
        resourceArn=arn,
        tags=[{"tagKey": f"k{i}", "tagValue": "v"} for i in range(50)],
    )
    assert len(call(personalize, "ListTagsForResource", resourceArn=arn)["tags"]) == 1
    expect_error(
        personalize,
        "ListTagsForResource",
        "ResourceNotFoundException",
        NOT_FOUND,
        resourceArn=arn + "-nope",
    )


def test_unbuilt_operation_answers_unimplemented_naming_it(events):
    from tailor_api.v1 import personalize_events_pb2

    try:
        events.PutActionInteractions(
            personalize_events_pb2.PutActionInteractionsRequest(), timeout=10
        )
    except grpc.RpcError as error:
        assert error.code() == grpc.StatusCode.UNIMPLEMENTED
        assert "PutActionInteractions" in error.details()
    else:
        raise AssertionError("PutActionInteractions should be unimplemented")
