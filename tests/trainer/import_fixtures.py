"""Schemas, CSV builders and an import-and-wait call shared by the dataset import tests."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storage.data import SegmentStore
from storage.metadata.store import SqlMetadataStore
from tests.control_plane.aws_calls import call
from tests.control_plane.fixtures_data import USERS_SCHEMA
from trainer.dataset_reader import read_dataset

INTERACTIONS_SCHEMA = json.dumps(
    {
        "type": "record",
        "name": "Interactions",
        "namespace": "com.amazonaws.personalize.schema",
        "fields": [
            {"name": "USER_ID", "type": "string"},
            {"name": "ITEM_ID", "type": "string"},
            {"name": "TIMESTAMP", "type": "long"},
            {"name": "EVENT_TYPE", "type": "string"},
            {"name": "EVENT_VALUE", "type": ["null", "float"]},
            {"name": "IMPRESSION", "type": ["null", "string"]},
            {"name": "EVENT_ID", "type": ["null", "string"]},
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
            {"name": "GENRES", "type": "string", "categorical": True},
            {"name": "PRICE", "type": ["null", "double"]},
            {"name": "IN_STOCK", "type": ["null", "boolean"]},
            {"name": "DESCRIPTION", "type": ["null", "string"], "textual": True},
            {"name": "CREATION_TIMESTAMP", "type": "long"},
        ],
        "version": "1.0",
    }
)
HEADER = "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE,IMPRESSION,EVENT_ID"
T0 = 1_700_000_000
DONE = {"ACTIVE", "CREATE FAILED"}


@dataclass
class ServerData:
    """The test server's metadata store and segment store, opened beside it."""

    store: SqlMetadataStore
    segments: SegmentStore
    directory: Path

    def read(self, dataset_arn: str) -> list[dict[str, Any]]:
        return read_dataset(self.store, self.segments, dataset_arn).to_pylist()

    def files(self) -> list[str]:
        return sorted(str(p.relative_to(self.directory)) for p in self.directory.rglob("*.*"))


def make_datasets(stub, name: str = "shop") -> dict[str, str]:
    """A dataset group with Interactions, Items and Users datasets; their ARNs by type."""
    group = call(stub, "CreateDatasetGroup", name=name)["datasetGroupArn"]
    arns = {}
    for dataset_type, schema in (
        ("Interactions", INTERACTIONS_SCHEMA),
        ("Items", ITEMS_SCHEMA),
        ("Users", USERS_SCHEMA),
    ):
        schema_arn = call(stub, "CreateSchema", name=f"{name}-{dataset_type}", schema=schema)
        arns[dataset_type] = call(
            stub,
            "CreateDataset",
            name=f"{name}-{dataset_type.lower()}",
            schemaArn=schema_arn["schemaArn"],
            datasetGroupArn=group,
            datasetType=dataset_type,
        )["datasetArn"]
    return arns


def interaction_lines(rows: int, start: int = 0, header: str = HEADER) -> list[str]:
    """``rows`` distinct interactions; every third has no EVENT_VALUE, every fifth an impression."""
    lines = [header]
    for i in range(start, start + rows):
        value = "" if i % 3 == 0 else f"{i % 7}.5"
        impression = f"i{i % 11}|i{(i + 1) % 11}" if i % 5 == 0 else ""
        lines.append(f"u{i % 40},i{i % 90},{T0 + i},click,{value},{impression},e{i}")
    return lines


def write(path: Path, lines: list[str]) -> str:
    """Write a CSV file; return its file:// URL."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")
    return f"file://{path}"


def run_import(stub, dataset: str, location: str, name: str, mode: str = "FULL") -> dict:
    """Create an import job and wait (30 s at most) until it is ACTIVE or CREATE FAILED."""
    arn = call(
        stub,
        "CreateDatasetImportJob",
        jobName=name,
        datasetArn=dataset,
        dataSource={"dataLocation": location},
        importMode=mode,
    )["datasetImportJobArn"]
    deadline = time.monotonic() + 30
    while True:
        job = call(stub, "DescribeDatasetImportJob", datasetImportJobArn=arn)["datasetImportJob"]
        if job["status"] in DONE:
            return job
        assert time.monotonic() < deadline, f"{name} still {job['status']}"
        time.sleep(0.05)
