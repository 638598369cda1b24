"""Schemas and builders shared by the control-plane tests."""

from __future__ import annotations

import json
from typing import Any

from tests.control_plane.aws_calls import call

INTERACTIONS_SCHEMA = json.dumps(
    {
        "type": "record",
        "name": "Interactions",
        "namespace": "com.amazonaws.personalize.schema",
        "fields": [
            {"name": "USER_ID", "type": "string"},
            {"name": "ITEM_ID", "type": "string"},
            {"name": "EVENT_TYPE", "type": "string"},
            {"name": "TIMESTAMP", "type": "long"},
        ],
        "version": "1.0",
    }
)
ITEMS_SCHEMA = json.dumps(
    {
        "type": "record",
        "name": "Items",
        "namespace": "com.amazonaws.personalize.schema",
        "fields": [
            {"name": "ITEM_ID", "type": "string"},
            {"name": "GENRE", "type": "string", "categorical": True},
            {"name": "PRICE", "type": "float"},
        ],
        "version": "1.0",
    }
)
ITEMS_SCHEMA_V2 = json.dumps(
    {
        **json.loads(ITEMS_SCHEMA),
        "fields": [
            *json.loads(ITEMS_SCHEMA)["fields"],
            {"name": "BRAND", "type": ["null", "string"], "categorical": True},
        ],
    }
)
USERS_SCHEMA = json.dumps(
    {
        "type": "record",
        "name": "Users",
        "namespace": "com.amazonaws.personalize.schema",
        "fields": [
            {"name": "USER_ID", "type": "string"},
            {"name": "AGE", "type": "int"},
        ],
        "version": "1.0",
    }
)


def make_group_with_datasets(stub: Any, name: str = "shop") -> dict[str, Any]:
    """A dataset group with Interactions, Items and Users datasets; returns their ARNs."""
    group = call(stub, "CreateDatasetGroup", name=name)["datasetGroupArn"]
    arns = {"datasetGroupArn": group}
    for dataset_type, schema in (
        ("Interactions", INTERACTIONS_SCHEMA),
        ("Items", ITEMS_SCHEMA),
        ("Users", USERS_SCHEMA),
    ):
        schema_arn = call(stub, "CreateSchema", name=f"{name}-{dataset_type}", schema=schema)[
            "schemaArn"
        ]
        arns[f"{dataset_type}SchemaArn"] = schema_arn
        arns[f"{dataset_type}DatasetArn"] = call(
            stub,
            "CreateDataset",
            name=f"{name}-{dataset_type.lower()}",
            schemaArn=schema_arn,
            datasetGroupArn=group,
            datasetType=dataset_type,
        )["datasetArn"]
    return arns
