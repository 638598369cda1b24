"""Builds the PersonalizeEvents operation table from settings and stores."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from servicekit.settings import Settings
from storage.metadata.store import SqlMetadataStore

Operation = Callable[[dict[str, Any]], dict[str, Any]]


def events_operations(settings: Settings, store: SqlMetadataStore) -> dict[str, Operation]:
    """The implemented PersonalizeEvents operations, keyed by AWS operation name."""
    return {}
