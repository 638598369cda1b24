"""Fixtures of the trainer tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from storage.data import open_segment_store
from storage.metadata.store import open_metadata_store
from tests.trainer.import_fixtures import ServerData


@pytest.fixture
def data(metadata_url: str, tmp_path: Path, personalize) -> Iterator[ServerData]:
    """The test server's stores, opened beside it (the server must be started first)."""
    store = open_metadata_store(metadata_url, migrate=False)
    directory = tmp_path / "home" / "data"
    yield ServerData(store, open_segment_store(str(directory)), directory)
    store.close()
