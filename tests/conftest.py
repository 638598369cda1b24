"""Shared fixtures: metadata store URLs (SQLite always, PostgreSQL when configured) and real
in-process Tailor servers on port 0."""

from __future__ import annotations

import os
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest
import sqlalchemy

from cli.up import start_tailor
from servicekit.settings import Settings
from tailor_api.v1 import (
    personalize_events_pb2_grpc,
    personalize_pb2_grpc,
    personalize_runtime_pb2_grpc,
)

POSTGRES_URL = os.environ.get("TAILOR_TEST_POSTGRES_URL", "")
SKIP_POSTGRES = (
    "TAILOR_TEST_POSTGRES_URL is not set (e.g. postgresql://postgres@127.0.0.1:5432/test)"
)


def _postgres_engine() -> sqlalchemy.Engine:
    url = sqlalchemy.engine.make_url(POSTGRES_URL)
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    return sqlalchemy.create_engine(url)


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A PostgreSQL URL whose connections use a fresh, private schema (dropped afterwards)."""
    if not POSTGRES_URL:
        pytest.skip(SKIP_POSTGRES)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    engine = _postgres_engine()
    with engine.begin() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    separator = "&" if "?" in POSTGRES_URL else "?"
    yield f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema}"
    with engine.begin() as connection:
        connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
    engine.dispose()


@pytest.fixture
def s3_endpoint(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A real moto S3 server on a free local port; fake credentials in the environment."""
    from moto.server import ThreadedMotoServer

    fake_aws = {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_EC2_METADATA_DISABLED": "true",
    }
    for name, value in fake_aws.items():
        monkeypatch.setenv(name, value)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    # moto keeps its buckets in process-wide state: start every test from none.
    urllib.request.urlopen(urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST"))
    yield endpoint
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def metadata_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each store test runs against SQLite and, when configured, PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'tailor.db'}"
    return request.getfixturevalue("postgres_url")


def tailor_settings(home: Path, database_url: str = "", **overrides: object) -> Settings:
    """Settings for a test server: port 0, no metrics port, fast worker polling."""
    values: dict[str, object] = {
        "home": home,
        "grpc_port": 0,
        "metrics_port": -1,
        "database_url": database_url,
        "worker_poll_seconds": 0.05,
        "runtime_poll_seconds": 0.2,
    }
    values.update(overrides)
    return Settings.from_env({}, **values)


@pytest.fixture
def tailor(metadata_url: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    """A real Tailor server (all parts) on a free port, against each metadata backend."""
    server = start_tailor(tailor_settings(tmp_path / "home", metadata_url))
    yield server
    server.stop(grace=1)


@pytest.fixture
def channel(tailor) -> Iterator[grpc.Channel]:  # type: ignore[no-untyped-def]
    """An insecure channel to the test server."""
    with grpc.insecure_channel(f"127.0.0.1:{tailor.port}") as chan:
        yield chan


@pytest.fixture
def personalize(channel: grpc.Channel) -> personalize_pb2_grpc.PersonalizeStub:
    """Control-plane stub."""
    return personalize_pb2_grpc.PersonalizeStub(channel)


@pytest.fixture
def events(channel: grpc.Channel) -> personalize_events_pb2_grpc.PersonalizeEventsStub:
    """Events stub."""
    return personalize_events_pb2_grpc.PersonalizeEventsStub(channel)


@pytest.fixture
def runtime(channel: grpc.Channel) -> personalize_runtime_pb2_grpc.PersonalizeRuntimeStub:
    """Runtime stub."""
    return personalize_runtime_pb2_grpc.PersonalizeRuntimeStub(channel)
