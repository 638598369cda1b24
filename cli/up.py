"""The composition root: builds stores, services and the worker from settings, and starts them."""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import Iterable

from cli.replicas import start_replicas
from control_plane.context import ControlPlane
from control_plane.operations import control_plane_operations
from domain.arns import ArnFactory
from events_service.wiring import EventsService, open_events_service
from runtime_service.runtime_servicer import runtime_handler
from runtime_service.wiring import RuntimeService, open_runtime_service
from servicekit.rpc_bridge import bridge_handler
from servicekit.server import ServedService, TailorServer, start_server
from servicekit.settings import Settings
from storage.data import open_segment_store
from storage.metadata.store import open_metadata_store
from tailor_api.v1 import personalize_events_pb2, personalize_pb2, personalize_runtime_pb2
from trainer.campaign_sync import sync_all_campaigns
from trainer.handlers import job_handlers
from trainer.segment_collection import SegmentCollector
from trainer.worker import Worker

log = logging.getLogger(__name__)

PARTS = ("control-plane", "events", "runtime", "trainer")
PERSONALIZE = personalize_pb2.DESCRIPTOR.services_by_name["Personalize"]
EVENTS = personalize_events_pb2.DESCRIPTOR.services_by_name["PersonalizeEvents"]
RUNTIME = personalize_runtime_pb2.DESCRIPTOR.services_by_name["PersonalizeRuntime"]


def start_tailor(
    settings: Settings, parts: Iterable[str] = PARTS, *, replica: bool = False
) -> TailorServer:
    """Start the given parts of Tailor in this process on one gRPC port.

    With ``serving_processes`` above 1 and anything but the trainer among the parts, that many
    processes in all serve on the port (``cli.replicas``): this one, and replicas serving the
    same parts but the trainer.

    Args:
        settings: Loaded settings.
        parts: Any of ``control-plane``, ``events``, ``runtime``, ``trainer``.
        replica: This process is a replica (``cli.replicas``): bind the port shared, start no
            replicas.

    Returns:
        The running server, SERVING once this returns (replicas too); ``stop()`` shuts
        everything down, replicas included.

    """
    parts = list(parts)
    unknown = set(parts) - set(PARTS)
    if unknown:
        raise ValueError(f"unknown part(s) {sorted(unknown)}; choose from {', '.join(PARTS)}")
    settings.home.mkdir(parents=True, exist_ok=True)
    store = open_metadata_store(settings.metadata_url)
    services: list[ServedService] = []
    events: EventsService | None = None
    runtime: RuntimeService | None = None
    if "control-plane" in parts:
        cp = ControlPlane(store=store, arns=ArnFactory(settings.region, settings.account_id))
        services.append(
            ServedService(
                PERSONALIZE.full_name, bridge_handler(PERSONALIZE, control_plane_operations(cp))
            )
        )
    if "events" in parts:
        events = open_events_service(settings, store)
        services.append(ServedService(EVENTS.full_name, bridge_handler(EVENTS, events.operations)))
    if "runtime" in parts:
        runtime = open_runtime_service(settings, store)
        services.append(ServedService(RUNTIME.full_name, runtime_handler(runtime.operations)))
    served_parts = [part for part in parts if part != "trainer"]
    replicas = 0 if replica or not served_parts else settings.serving_processes - 1
    server = start_server(
        services,
        host=settings.grpc_host,
        port=settings.grpc_port,
        metrics_port=settings.metrics_port,
        max_workers=settings.grpc_workers,
        reuse_port=replica or replicas > 0,
    )
    server.on_stop(store.close)
    if events is not None:
        server.on_stop(events.close)  # before store.close: callbacks run in reverse order
    if runtime is not None:
        server.on_stop(runtime.close)
        # Deploys the ACTIVE campaigns before the server reports SERVING.
        runtime.deployer.start()
        server.on_stop(runtime.deployer.stop)
    if "trainer" in parts:
        handlers = job_handlers(settings, store)
        segments = open_segment_store(settings.data_location, settings.s3_endpoint_url)
        worker = Worker(
            store,
            handlers,
            poll_seconds=settings.worker_poll_seconds,
            housekeeping=(sync_all_campaigns, SegmentCollector(segments)),
        )
        worker.start()
        server.on_stop(worker.stop)
    if replicas > 0:
        try:
            started = start_replicas(settings, served_parts, server.port, replicas)
        except RuntimeError:
            server.stop(grace=1)
            raise
        server.on_stop(started.stop)  # first: replicas stop before this process's stores close
        server.replica_pids = started.pids
        server.replica_metrics_ports = started.metrics_ports
    _freeze_startup_heap()
    server.set_serving()
    return server


_FREEZE_ONCE = threading.Lock()
_frozen = False


def _freeze_startup_heap() -> None:
    """Keep the objects built so far out of the garbage collector's full passes, once a process.

    A full (generation 2) collection walks every object the process holds: with Tailor's imports
    and stores, ~125k objects and 50-80 ms on the project's machines, during which no call is
    served. At 1,000 PutEvents calls/s that pause alone was the p99 (60-200 ms). Frozen objects
    are never collected by the cycle collector (reference counting still frees them): garbage is
    collected first, and what is left (modules, descriptors, stores) lives as long as the process.
    """
    global _frozen
    with _FREEZE_ONCE:
        if not _frozen:
            gc.collect()
            gc.freeze()
            _frozen = True
