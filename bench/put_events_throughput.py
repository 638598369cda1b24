"""PutEvents throughput and latency over real gRPC, beside a floor measured in the same run.

Three servers, one after the other, are driven the same way by separate client processes
(grpc.aio, pre-serialised requests of 10 events each, spread over ``--channels`` connections per
client process so that the kernel hands connections to every serving process):

* floor: a minimal gRPC server in one process (same thread pool size as Tailor) that parses
  PutEvents and acknowledges it without validating or storing anything: what one Python gRPC
  process can do;
* tailor_1: ``tailor up``'s control plane + events service with embedded defaults (SQLite in a
  temporary directory on the same disk, group commit with ``synchronous=FULL``), one process;
* tailor_N: the same with ``--processes`` serving processes on the port
  (``TAILOR_SERVING_PROCESSES``), each with its own group-commit writer.

For each: an open loop at ``--rate`` calls/s (latency counted from each call's scheduled send
time, so a server that falls behind is charged for the queueing), then a closed loop with
``--callers`` calls in flight for the maximum. Every run stops by itself after ``--seconds``.

Writes bench/results/put_events_throughput.json and prints a table.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import grpc

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.grpc_load import closed_loop, open_loop, start_unary_server  # noqa: E402
from bench.machine_info import cpu_model, load_average  # noqa: E402
from tailor_api.v1 import personalize_events_pb2 as events_pb  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results" / "put_events_throughput.json"
METHOD = "/tailor.personalize_events.v1.PersonalizeEvents/PutEvents"
EVENTS_PER_CALL = 10
CALL_TIMEOUT_S = 10.0


# ----------------------------------------------------------------------------- servers


def serve_floor(ports: Any, stop: Any) -> None:
    """The floor: parse PutEvents, answer the empty response, store nothing."""

    def put_events(request: events_pb.PutEventsRequest, context: grpc.ServicerContext):
        return events_pb.PutEventsResponse()

    server, port = start_unary_server(
        "tailor.personalize_events.v1.PersonalizeEvents",
        "PutEvents",
        put_events,
        events_pb.PutEventsRequest,
        events_pb.PutEventsResponse,
    )
    ports.put(port)
    stop.wait()
    server.stop(1)


def serve_tailor(
    ports: Any, stop: Any, home: str, database_url: str, processes: int, workers: int = 16
) -> None:
    """Tailor's control plane and events service, embedded defaults, ``processes`` processes."""
    from cli.up import start_tailor
    from servicekit.settings import Settings

    settings = Settings.from_env(
        {},
        home=Path(home),
        grpc_port=0,
        metrics_port=-1,
        database_url=database_url,
        grpc_workers=workers,
        serving_processes=processes,
    )
    server = start_tailor(settings, ["control-plane", "events"])
    ports.put(server.port)
    stop.wait()
    server.stop(1)


def start_server(target, *args: Any) -> tuple[multiprocessing.Process, Any, int]:
    context = multiprocessing.get_context("spawn")
    ports, stop = context.Queue(), context.Event()
    # Not a daemon: Tailor's server starts its other serving processes itself.
    process = context.Process(target=target, args=(ports, stop, *args))
    process.start()
    return process, stop, ports.get(timeout=120)


def create_tracker(port: int) -> str:
    """A dataset group with an Interactions dataset and an event tracker; its trackingId."""
    from tailor_api.v1 import personalize_pb2 as cp
    from tailor_api.v1 import personalize_pb2_grpc

    schema = {
        "type": "record",
        "name": "Interactions",
        "fields": [
            {"name": "USER_ID", "type": "string"},
            {"name": "ITEM_ID", "type": "string"},
            {"name": "TIMESTAMP", "type": "long"},
            {"name": "EVENT_TYPE", "type": "string"},
        ],
    }
    with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
        stub = personalize_pb2_grpc.PersonalizeStub(channel)
        group = stub.CreateDatasetGroup(
            cp.CreateDatasetGroupRequest(name="bench")
        ).dataset_group_arn
        schema_arn = stub.CreateSchema(
            cp.CreateSchemaRequest(name="bench-interactions", schema=json.dumps(schema))
        ).schema_arn
        stub.CreateDataset(
            cp.CreateDatasetRequest(
                name="bench-interactions",
                schema_arn=schema_arn,
                dataset_group_arn=group,
                dataset_type="Interactions",
            )
        )
        return stub.CreateEventTracker(
            cp.CreateEventTrackerRequest(name="bench", dataset_group_arn=group)
        ).tracking_id


# ----------------------------------------------------------------------------- clients


def payloads(tracking_id: str, client: int, count: int = 4000) -> list[bytes]:
    """Serialised PutEvents requests: 10 events each, distinct users, items and eventIds."""
    requests = []
    for n in range(count):
        request = events_pb.PutEventsRequest(
            tracking_id=tracking_id,
            user_id=f"user-{client}-{n % 500}",
            session_id=f"session-{client}-{n % 500}",
            event_list=[
                events_pb.Event(
                    event_id=f"{client}-{n}-{k}-{time.time_ns()}",
                    event_type="click",
                    item_id=f"item-{(n * 7 + k) % 5000}",
                    sent_at=1_700_000_000 + n,
                )
                for k in range(EVENTS_PER_CALL)
            ],
        )
        requests.append(request.SerializeToString())
    return requests


def client_process(
    port: int,
    tracking_id: str,
    index: int,
    mode: str,
    seconds: float,
    load: float,
    channels: int,
    out: Any,
) -> None:
    bodies = payloads(tracking_id, index)
    if mode == "closed":
        result = asyncio.run(
            closed_loop(port, METHOD, bodies, seconds, int(load), CALL_TIMEOUT_S, channels)
        )
    else:
        result = asyncio.run(
            open_loop(
                port, METHOD, bodies, seconds, load, CALL_TIMEOUT_S, phase=index, channels=channels
            )
        )
    out.put(result)


def drive(
    port: int,
    tracking_id: str,
    mode: str,
    seconds: float,
    load: float,
    clients: int,
    channels: int,
) -> dict:
    """Run ``clients`` client processes in ``mode`` (open: ``load`` calls/s in all; closed:
    ``load`` callers in all) for ``seconds``, each over ``channels`` connections; merge their
    figures."""
    context = multiprocessing.get_context("spawn")
    out = context.Queue()
    share = load / clients
    processes = [
        context.Process(
            target=client_process,
            args=(port, tracking_id, index, mode, seconds, share, channels, out),
            daemon=True,
        )
        for index in range(clients)
    ]
    for process in processes:
        process.start()
    results = [out.get(timeout=seconds + 120) for _ in processes]
    for process in processes:
        process.join(30)
    latencies = sorted(x for r in results for x in r["latencies"])
    elapsed = max(r["elapsed"] for r in results)
    calls = len(latencies)
    quantiles = statistics.quantiles(latencies, n=100) if calls >= 100 else [float("nan")] * 99
    return {
        "mode": f"open loop, offered {load:.0f} calls/s"
        if mode == "open"
        else f"closed loop, {load:.0f} in flight",
        "calls": calls,
        "errors": sum(len(r["errors"]) for r in results),
        "calls_per_s": round(calls / elapsed, 1),
        "events_per_s": round(calls * EVENTS_PER_CALL / elapsed, 1),
        "p50_ms": round(quantiles[49] * 1000, 2),
        "p99_ms": round(quantiles[98] * 1000, 2),
    }


def server_cpu_seconds(pid: int) -> float:
    """CPU time of the server process ``pid`` and its children (its serving replicas), Linux."""
    tick = os.sysconf("SC_CLK_TCK")
    children = Path(f"/proc/{pid}/task/{pid}/children")
    pids = [pid, *(int(child) for child in children.read_text().split())]
    total = 0.0
    for each in pids:
        try:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick  # utime + stime
    return total


def measure(port: int, tracking_id: str, args: argparse.Namespace, pid: int) -> dict:
    """Warm up, then the open-loop runs (target rate, then the lower one), then the maximum.

    The maximum also records the CPU the server used (``pid`` and its children): on a shared
    machine, CPU per call is steadier than calls per second.
    """
    channels = args.channels
    drive(port, tracking_id, "closed", 1.0, args.callers, args.clients, channels)
    runs = {"open": drive(port, tracking_id, "open", args.seconds, args.rate, 1, channels)}
    if args.low_rate:
        runs["open_low"] = drive(
            port, tracking_id, "open", args.seconds, args.low_rate, 1, channels
        )
    cpu_before, started = server_cpu_seconds(pid), time.perf_counter()
    runs["max"] = drive(
        port, tracking_id, "closed", args.seconds, args.callers, args.clients, channels
    )
    cpu = server_cpu_seconds(pid) - cpu_before
    runs["max"]["server_cores"] = round(cpu / (time.perf_counter() - started), 2)
    runs["max"]["server_cpu_ms_per_call"] = round(cpu * 1000 / max(runs["max"]["calls"], 1), 3)
    return runs


def machine() -> str:
    model = cpu_model()
    return (
        f"{platform.machine()} {model}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, grpcio {grpc.__version__}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each load run")
    parser.add_argument("--rate", type=float, default=1000.0, help="open-loop offered calls/s")
    parser.add_argument(
        "--low-rate", type=float, default=300.0, help="a second, lower open-loop rate (0: none)"
    )
    parser.add_argument("--callers", type=int, default=64, help="closed-loop calls in flight")
    parser.add_argument("--clients", type=int, default=2, help="client processes (closed loop)")
    parser.add_argument("--channels", type=int, default=8, help="connections per client process")
    parser.add_argument(
        "--processes", type=int, default=2, help="Tailor's serving processes (beside 1)"
    )
    parser.add_argument("--database-url", default="", help="Tailor's metadata/event store URL")
    args = parser.parse_args()

    load_before = load_average()
    results: dict[str, dict] = {}
    process, stop, port = start_server(serve_floor)
    try:
        results["floor"] = measure(port, "unused", args, process.pid)
    finally:
        stop.set()
        process.join(30)

    tailor_runs = {"tailor_1": 1, f"tailor_{args.processes}": args.processes}
    for name, processes in tailor_runs.items():
        with tempfile.TemporaryDirectory(dir=Path(__file__).resolve().parent) as home:
            process, stop, port = start_server(serve_tailor, home, args.database_url, processes)
            try:
                results[name] = measure(port, create_tracker(port), args, process.pid)
            finally:
                stop.set()
                process.join(30)

    floor_max = results["floor"]["max"]["calls_per_s"]
    ratios = {name: round(results[name]["max"]["calls_per_s"] / floor_max, 2) for name in results}
    del ratios["floor"]
    best = f"tailor_{args.processes}"
    ratio = ratios[best]
    report = {
        "bench": "put_events_throughput",
        "machine": machine(),
        "store": args.database_url or "SQLite (embedded default, synchronous=FULL group commit)",
        "events_per_call": EVENTS_PER_CALL,
        "serving_processes": args.processes,
        "channels_per_client": args.channels,
        "seconds_per_run": args.seconds,
        "results": results,
        "max_ratio_to_floor": ratios,
        # The machines are shared: what else ran shows in the load average (2 cores).
        "load_average_before": load_before,
        "load_average_after": load_average(),
        "targets": {
            f"p99 at {args.rate:.0f} calls/s <= 20 ms ({best})": (
                results[best]["open"]["p99_ms"] <= 20
            ),
            f"max >= 0.6 x floor ({best})": ratio >= 0.6,
        },
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(f"machine: {report['machine']}")
    print(
        f"{'server':<10} {'load':<34} {'calls/s':>9} {'events/s':>10} {'p50 ms':>8} "
        f"{'p99 ms':>8} {'errors':>7}"
    )
    for server, runs in results.items():
        for figures in runs.values():
            print(
                f"{server:<10} {figures['mode']:<34} {figures['calls_per_s']:>9} "
                f"{figures['events_per_s']:>10} {figures['p50_ms']:>8} {figures['p99_ms']:>8} "
                f"{figures['errors']:>7}"
            )
    for name, value in ratios.items():
        print(f"{name} max / floor max: {value:.2f}")
    for server, runs in results.items():
        peak = runs["max"]
        print(
            f"{server} at the maximum: {peak['server_cores']} cores, "
            f"{peak['server_cpu_ms_per_call']} ms CPU per call"
        )
    print(f"load average before: {load_before}, after: {report['load_average_after']}")
    for target, met in report["targets"].items():
        print(f"target {target}: {'met' if met else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
