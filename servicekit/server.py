"""One way to run a Tailor gRPC server: health, reflection, metrics and graceful shutdown."""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable, Iterable
from concurrent import futures
from dataclasses import dataclass, field

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection
from prometheus_client import start_http_server

log = logging.getLogger(__name__)


@dataclass
class ServedService:
    """A service to put on the server: its full name and the handler that serves it."""

    full_name: str
    handler: grpc.GenericRpcHandler


@dataclass
class TailorServer:
    """A started gRPC server with its health service and optional metrics endpoint."""

    server: grpc.Server
    port: int
    health: health.HealthServicer
    service_names: list[str]
    metrics_port: int | None = None
    #: Other processes serving on the same port (``TAILOR_SERVING_PROCESSES``): pids and
    #: their /metrics ports (None where disabled).
    replica_pids: list[int] = field(default_factory=list)
    replica_metrics_ports: list[int | None] = field(default_factory=list)
    _on_stop: list[Callable[[], None]] = field(default_factory=list)
    _stopped: threading.Event = field(default_factory=threading.Event)

    def set_serving(self) -> None:
        """Report SERVING for the server and each service."""
        for name in ["", *self.service_names]:
            self.health.set(name, health_pb2.HealthCheckResponse.SERVING)

    def on_stop(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` after the server stopped accepting calls (workers, stores)."""
        self._on_stop.append(callback)

    def stop(self, grace: float = 5.0) -> None:
        """Report NOT_SERVING, finish in-flight calls within ``grace`` seconds, then clean up."""
        if self._stopped.is_set():
            return
        self._stopped.set()
        self.health.enter_graceful_shutdown()
        self.server.stop(grace).wait()
        for callback in reversed(self._on_stop):
            try:
                callback()
            except Exception:  # noqa: BLE001 - shutdown must go on
                log.exception("error during shutdown")

    def wait_stopped(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for :meth:`stop`; whether it was called."""
        return self._stopped.wait(timeout)

    def wait(self) -> None:
        """Block until the server stops."""
        self.server.wait_for_termination()

    def stop_on_signals(self) -> None:
        """Stop gracefully on SIGTERM and SIGINT (call from the main thread)."""

        def _handler(signum: int, _frame: object) -> None:
            log.info("received signal %s, shutting down", signal.Signals(signum).name)
            threading.Thread(target=self.stop, daemon=True).start()

        signal.signal(signal.SIGTERM, _handler)
        signal.signal(signal.SIGINT, _handler)


#: A connection older than this is asked to reconnect (GOAWAY); calls in flight may finish
#: within the grace period.
MAX_CONNECTION_AGE_MS = 300_000
MAX_CONNECTION_AGE_GRACE_MS = 30_000


def start_server(
    services: Iterable[ServedService],
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    metrics_port: int | None = None,
    max_workers: int = 16,
    reuse_port: bool = False,
) -> TailorServer:
    """Start a gRPC server serving ``services`` plus health and reflection.

    Health answers NOT_SERVING until the caller invokes ``set_serving()``.

    Args:
        services: The services to serve.
        host: Address to bind.
        port: Port to bind (0 picks a free one; the chosen port is in the result).
        metrics_port: Port for Prometheus ``/metrics`` over HTTP (0 picks one, None disables).
        max_workers: Threads serving calls.
        reuse_port: Let other processes bind the same port (SO_REUSEPORT): the kernel spreads
            new connections over them.

    """
    services = list(services)
    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="grpc"),
        options=[
            ("grpc.so_reuseport", 1 if reuse_port else 0),
            # Clients reconnect now and then, so new replicas (another process on the port, a
            # pod the autoscaler added) get a share of long-lived connections.
            ("grpc.max_connection_age_ms", MAX_CONNECTION_AGE_MS),
            ("grpc.max_connection_age_grace_ms", MAX_CONNECTION_AGE_GRACE_MS),
        ],
    )
    for service in services:
        server.add_generic_rpc_handlers((service.handler,))
    health_servicer = health.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    names = [service.full_name for service in services]
    for name in ["", *names]:
        health_servicer.set(name, health_pb2.HealthCheckResponse.NOT_SERVING)
    reflection.enable_server_reflection(
        [
            *names,
            health_pb2.DESCRIPTOR.services_by_name["Health"].full_name,
            reflection.SERVICE_NAME,
        ],
        server,
    )
    bound = server.add_insecure_port(f"{host}:{port}")
    if bound == 0:
        raise OSError(f"could not bind gRPC server to {host}:{port}")
    server.start()
    result = TailorServer(server=server, port=bound, health=health_servicer, service_names=names)
    if metrics_port is not None and metrics_port >= 0:
        http_server, _thread = start_http_server(metrics_port, addr=host)
        result.metrics_port = http_server.server_address[1]
        result.on_stop(http_server.shutdown)
    log.info("gRPC server listening on %s:%s", host, bound)
    return result
