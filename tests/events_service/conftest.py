"""Fixtures for the PersonalizeEvents tests: a server whose online store can be chosen, the
same online store opened beside it, and a dataset group with an event tracker."""

from __future__ import annotations

import json
import os
import uuid
from typing import Any

import pytest
import redis

from cli.up import start_tailor
from storage.metadata.store import open_metadata_store
from storage.online.store import open_online_store
from tests.conftest import tailor_settings
from tests.control_plane.aws_calls import call

REDIS_URL = os.environ.get("TAILOR_TEST_REDIS_URL", "")
SKIP_REDIS = "TAILOR_TEST_REDIS_URL is not set (e.g. redis://127.0.0.1:6379/15)"

SHOP_INTERACTIONS = json.dumps(
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
            {"name": "RECOMMENDATION_ID", "type": ["null", "string"]},
            {"name": "NUM_RATINGS", "type": ["null", "int"]},
            {"name": "LOCATION", "type": ["null", "string"], "categorical": True},
            {"name": "PREMIUM", "type": ["null", "boolean"]},
        ],
    }
)


@pytest.fixture
def online_store_url() -> str:
    """The server's TAILOR_ONLINE_STORE_URL (empty: SQL); modules may parametrize it."""
    return ""


@pytest.fixture
def redis_online_url() -> Any:
    """A Redis online store URL with a private key prefix (its keys are deleted afterwards)."""
    if not REDIS_URL:
        pytest.skip(SKIP_REDIS)
    prefix = f"test-{uuid.uuid4().hex[:12]}:"
    yield f"{REDIS_URL}?key_prefix={prefix}"
    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(match=f"{prefix}*"))
    if keys:
        client.delete(*keys)
    client.close()


@pytest.fixture
def tailor(metadata_url, online_store_url, tmp_path):  # type: ignore[no-untyped-def]
    """A real Tailor server (all parts) with the chosen metadata and online stores."""
    settings = tailor_settings(tmp_path / "home", metadata_url, online_store_url=online_store_url)
    server = start_tailor(settings)
    yield server
    server.stop(grace=1)


@pytest.fixture
def metadata_store(metadata_url):  # type: ignore[no-untyped-def]
    """The server's metadata store, opened beside it."""
    store = open_metadata_store(metadata_url, migrate=False)
    yield store
    store.close()


@pytest.fixture
def online(online_store_url, metadata_store):  # type: ignore[no-untyped-def]
    """The server's online store, opened beside it (what the runtime will read)."""
    store = open_online_store(online_store_url, metadata_store.engine)
    yield store
    store.close()


@pytest.fixture
def shop(personalize) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """A dataset group with a rich Interactions schema and an event tracker."""
    group = call(personalize, "CreateDatasetGroup", name="shop")["datasetGroupArn"]
    schema = call(personalize, "CreateSchema", name="shop-events", schema=SHOP_INTERACTIONS)
    dataset = call(
        personalize,
        "CreateDataset",
        name="shop-interactions",
        schemaArn=schema["schemaArn"],
        datasetGroupArn=group,
        datasetType="Interactions",
    )
    tracker = call(personalize, "CreateEventTracker", name="shop-tracker", datasetGroupArn=group)
    return {"datasetGroupArn": group, "interactionsDatasetArn": dataset["datasetArn"], **tracker}
