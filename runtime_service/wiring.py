"""Builds the PersonalizeRuntime service (operations and the campaign deployer) from settings."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from threadpoolctl import threadpool_limits

from runtime_service.campaign_deployer import CampaignDeployer
from runtime_service.model_registry import ModelRegistry
from runtime_service.recommendations import RuntimeOperations
from runtime_service.serving_metrics import instrument
from servicekit.settings import Settings
from storage.artifacts import open_artifact_store
from storage.data import open_segment_store
from storage.metadata.store import SqlMetadataStore
from storage.online.store import open_online_store

GIL_SWITCH_INTERVAL_S = 0.001

Operation = Callable[[dict[str, Any]], dict[str, Any]]


@dataclass
class RuntimeService:
    """The operations of PersonalizeRuntime, the deployer to start, and what to release."""

    operations: dict[str, Operation]
    deployer: CampaignDeployer
    close: Callable[[], None]


def open_runtime_service(settings: Settings, store: SqlMetadataStore) -> RuntimeService:
    """Open the stores the runtime reads and build its operations and deployer.

    The deployer is not started: the caller starts it (it deploys the ACTIVE campaigns first)
    and stops it before ``close``.

    Raises:
        ValueError: a store URL has an unknown scheme.

    """
    # One BLAS thread per call: serving threads each starting a BLAS pool on a small product
    # thrash the cores (fold-in measured ten times slower with two BLAS threads on two cores).
    # Process-wide; a training job in the same process raises it only while it fits.
    threadpool_limits(1, "blas")
    # A thread waiting for the GIL waits up to the switch interval (5 ms by default) each time
    # another thread runs Python; with a dozen request threads that adds up to the tail
    # latency of every call. 1 ms trades a little throughput for a much shorter tail.
    sys.setswitchinterval(GIL_SWITCH_INTERVAL_S)
    online = open_online_store(settings.online_store_url, store.engine)
    registry = ModelRegistry()
    deployer = CampaignDeployer(
        store,
        open_artifact_store(settings.artifacts_location, settings.s3_endpoint_url),
        open_segment_store(settings.data_location, settings.s3_endpoint_url),
        registry,
        poll_seconds=settings.runtime_poll_seconds,
        cache_dir=settings.home / "runtime-cache",
    )
    operations = RuntimeOperations(store, online, registry).operations()
    operations = instrument(operations, registry.serves)
    return RuntimeService(operations=operations, deployer=deployer, close=online.close)
