"""Schemas: Create (validated Avro), Describe, List, Delete."""

from __future__ import annotations

from typing import Any

from control_plane.context import ControlPlane
from control_plane.resource_access import ensure_no_dependents, list_page, omit_empty, require
from domain.dataset_schema import parse_dataset_schema
from domain.resources import Resource

KIND = "schema"


def create_schema(cp: ControlPlane, request: dict[str, Any]) -> dict[str, Any]:
    """CreateSchema: the Avro record is validated for its dataset type before anything is stored."""
    name = request["name"]
    parse_dataset_schema(request["schema"], request.get("domain"))
    arn = cp.arns.build(KIND, name)
    document = omit_empty(
        {
            "name": name,
            "schemaArn": arn,
            "schema": request["schema"],
            "domain": request.get("domain"),
        }
    )
    cp.store.create_resource(
        Resource(arn=arn, kind=KIND, name=name, status=None, document=document),
        conflict_message=f"a schema named {name!r} already exists ({arn})",
    )
    return {"schemaArn": arn}


def describe_schema(cp: ControlPlane, request: dict[str, Any]) -> dict[str, Any]:
    """DescribeSchema."""
    return {"schema": require(cp, request.get("schemaArn"), KIND, "schemaArn").to_aws()}


def list_schemas(cp: ControlPlane, request: dict[str, Any]) -> dict[str, Any]:
    """ListSchemas, newest first."""
    return list_page(
        cp, request, KIND, "schemas", lambda r: r.summary("name", "schemaArn", "domain")
    )


def delete_schema(cp: ControlPlane, request: dict[str, Any]) -> dict[str, Any]:
    """DeleteSchema: refused while a dataset uses the schema."""
    schema = require(cp, request.get("schemaArn"), KIND, "schemaArn")
    ensure_no_dependents(cp, schema, cp.store.find_resources(["dataset"], linked_to=schema.arn))
    cp.store.delete_resource(schema.arn)
    return {}


OPERATIONS = {
    "CreateSchema": create_schema,
    "DescribeSchema": describe_schema,
    "ListSchemas": list_schemas,
    "DeleteSchema": delete_schema,
}
