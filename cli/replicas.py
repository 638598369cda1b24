"""Extra serving processes on the same gRPC port (``TAILOR_SERVING_PROCESSES``).

One Python gRPC process serves with about one core whatever its thread pool, so a part that
should use more cores (the runtime, the events service) runs more processes. Each replica is a
fresh (spawned) process running ``start_tailor`` for the same parts as the first process but the
trainer, bound to the same port with SO_REUSEPORT: the kernel hands each new connection to one of
them. Each exposes its own Prometheus ``/metrics`` port, ``TAILOR_METRICS_PORT + index`` (a random
one when that is 0), so Prometheus scrapes every process and queries sum over them.

Runtime replicas share the memory-mapped model arrays through the page cache; each deploys
campaigns itself (the deployer's compare-and-set lets several replicas race safely). Events
replicas each run their own group-commit writer on the shared event log (SQLite serializes the
writers; see ``storage.streamed.group_commit``); a call is acknowledged by the process that
committed it, so no process holds acknowledged events that another must write.

A replica stops on SIGTERM/SIGINT, and by itself (within a second, gracefully: what its writer
has queued is committed) when the process that started it is gone, even by SIGKILL.
"""

from __future__ import annotations

import dataclasses
import logging
import multiprocessing
import os
import queue
import threading
import time
import traceback
from collections.abc import Sequence
from typing import Any

from servicekit.settings import Settings

log = logging.getLogger(__name__)

#: How long a replica may take to start (it deploys the ACTIVE campaigns before it is ready).
READY_TIMEOUT_S = 600.0


@dataclasses.dataclass
class Replicas:
    """Started replica processes."""

    processes: list[Any]
    metrics_ports: list[int | None]

    @property
    def pids(self) -> list[int]:
        """The replicas' process ids."""
        return [process.pid for process in self.processes]

    def stop(self, grace: float = 10.0) -> None:
        """Ask every replica to stop (SIGTERM), wait up to ``grace`` s, then kill what is left."""
        for process in self.processes:
            if process.is_alive():
                process.terminate()
        deadline = time.monotonic() + grace
        for process in self.processes:
            process.join(max(0.0, deadline - time.monotonic()))
            if process.is_alive():
                process.kill()
                process.join(5)


def replica_settings(settings: Settings, port: int, index: int) -> Settings:
    """The settings of replica ``index`` (1-based): the shared port, its own metrics port."""
    metrics_port = settings.metrics_port
    if metrics_port > 0:
        metrics_port += index
    return dataclasses.replace(settings, grpc_port=port, metrics_port=metrics_port)


def start_replicas(settings: Settings, parts: Sequence[str], port: int, count: int) -> Replicas:
    """Start ``count`` replicas serving ``parts`` on ``port`` and wait until each is serving.

    Args:
        settings: The first process's settings.
        parts: What each replica serves (never the trainer).
        port: The port the first process bound with SO_REUSEPORT.
        count: How many replicas.

    Returns:
        The running replicas.

    Raises:
        RuntimeError: a replica failed to start (the others are stopped).

    """
    context = multiprocessing.get_context("spawn")
    ready = context.Queue()
    processes = []
    for index in range(1, count + 1):
        process = context.Process(
            target=serve_replica,
            args=(replica_settings(settings, port, index), list(parts), ready, os.getpid()),
            name=f"tailor-replica-{index}",
            daemon=True,
        )
        process.start()
        processes.append(process)
    replicas = Replicas(processes, [])
    try:
        for _ in processes:
            state, detail = ready.get(timeout=READY_TIMEOUT_S)
            if state != "ready":
                raise RuntimeError(f"a serving replica failed to start: {detail}")
            replicas.metrics_ports.append(detail)
    except (queue.Empty, RuntimeError):
        replicas.stop(grace=5)
        raise
    return replicas


def serve_replica(settings: Settings, parts: list[str], ready: Any, parent_pid: int) -> None:
    """A replica's main: serve ``parts`` on the shared port until told to stop.

    Args:
        settings: The replica's settings (shared port, own metrics port).
        parts: What to serve.
        ready: Where to report ``("ready", metrics port)`` or ``("failed", reason)``.
        parent_pid: The starting process; the replica stops when it is gone.

    """
    from cli.up import start_tailor

    logging.basicConfig(
        level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    try:
        server = start_tailor(settings, parts, replica=True)
    except BaseException:  # noqa: BLE001 - reported to the parent, which fails its start
        ready.put(("failed", traceback.format_exc(limit=5)))
        raise
    server.stop_on_signals()

    def watch_parent() -> None:
        while not server.wait_stopped(1.0):
            if os.getppid() != parent_pid:
                log.warning("serving replica %s: parent gone, stopping", os.getpid())
                server.stop(grace=1)

    threading.Thread(target=watch_parent, name="parent-watch", daemon=True).start()
    ready.put(("ready", server.metrics_port))
    server.wait()
