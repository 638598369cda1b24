"""Control-plane latency and throughput over real gRPC, beside a floor measured in the same run.

The floor is a minimal gRPC server answering DescribeDatasetGroup with a fixed response (no
validation, no store): the most this machine's Python gRPC can do for that call. Tailor runs
in-process with embedded defaults (SQLite in a temporary directory). Calls come from a thread
pool in this process (the client shares the CPU, as it does for the floor).

Writes bench/results/control_plane_latency.json and prints a table.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import tempfile
import time
from concurrent import futures
from pathlib import Path

import grpc

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cli.up import start_tailor  # noqa: E402
from servicekit.settings import Settings  # noqa: E402
from tailor_api.v1 import personalize_pb2 as pb  # noqa: E402
from tailor_api.v1 import personalize_pb2_grpc  # noqa: E402

CALLS = int(os.environ.get("BENCH_CALLS", "3000"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "16"))
RESULTS = Path(__file__).resolve().parent / "results" / "control_plane_latency.json"


class FixedAnswer(personalize_pb2_grpc.PersonalizeServicer):
    """The floor: answers DescribeDatasetGroup with a constant."""

    answer = pb.DescribeDatasetGroupResponse(
        dataset_group=pb.DatasetGroup(name="shop", status="ACTIVE")
    )

    def DescribeDatasetGroup(self, request, context):  # noqa: N802
        return self.answer


def drive(port: int, make_request) -> dict[str, float]:
    """Send CALLS requests with CONCURRENCY in flight; latency percentiles in ms and calls/s."""
    channel = grpc.insecure_channel(f"127.0.0.1:{port}")
    stub = personalize_pb2_grpc.PersonalizeStub(channel)
    latencies: list[float] = []

    def one(index: int) -> None:
        method, request = make_request(stub, index)
        started = time.perf_counter()
        try:
            method(request, timeout=30)
        except grpc.RpcError as error:
            if error.code() != grpc.StatusCode.ALREADY_EXISTS:
                raise
        latencies.append((time.perf_counter() - started) * 1000)

    for index in range(50):
        one(-index - 1)
    latencies.clear()
    started = time.perf_counter()
    with futures.ThreadPoolExecutor(CONCURRENCY) as pool:
        list(pool.map(one, range(CALLS)))
    elapsed = time.perf_counter() - started
    channel.close()
    quantiles = statistics.quantiles(latencies, n=100)
    return {
        "calls": CALLS,
        "calls_per_s": round(CALLS / elapsed, 1),
        "p50_ms": round(quantiles[49], 2),
        "p99_ms": round(quantiles[98], 2),
    }


def main() -> int:
    """Run the floor and the Tailor cases and write the results."""
    floor_server = grpc.server(futures.ThreadPoolExecutor(16))
    personalize_pb2_grpc.add_PersonalizeServicer_to_server(FixedAnswer(), floor_server)
    floor_port = floor_server.add_insecure_port("127.0.0.1:0")
    floor_server.start()
    results: dict[str, dict[str, float]] = {}
    results["floor: fixed-answer DescribeDatasetGroup"] = drive(
        floor_port,
        lambda stub, i: (stub.DescribeDatasetGroup, pb.DescribeDatasetGroupRequest()),
    )
    floor_server.stop(0)

    with tempfile.TemporaryDirectory() as home:
        settings = Settings.from_env({}, home=Path(home), grpc_port=0, metrics_port=-1)
        tailor = start_tailor(settings, ["control-plane"])
        with grpc.insecure_channel(f"127.0.0.1:{tailor.port}") as channel:
            stub = personalize_pb2_grpc.PersonalizeStub(channel)
            created = stub.CreateDatasetGroup(pb.CreateDatasetGroupRequest(name="shop"))
            arn = created.dataset_group_arn
        results["tailor: DescribeDatasetGroup"] = drive(
            tailor.port,
            lambda stub, i: (
                stub.DescribeDatasetGroup,
                pb.DescribeDatasetGroupRequest(dataset_group_arn=arn),
            ),
        )
        results["tailor: CreateDatasetGroup (SQLite commit)"] = drive(
            tailor.port,
            lambda stub, i: (stub.CreateDatasetGroup, pb.CreateDatasetGroupRequest(name=f"g{i}")),
        )
        results["tailor: ListDatasetGroups (page of 25)"] = drive(
            tailor.port,
            lambda stub, i: (stub.ListDatasetGroups, pb.ListDatasetGroupsRequest(max_results=25)),
        )
        tailor.stop(1)

    floor = results["floor: fixed-answer DescribeDatasetGroup"]["calls_per_s"]
    for figures in results.values():
        figures["ratio_to_floor"] = round(figures["calls_per_s"] / floor, 2)
    report = {
        "bench": "control_plane_latency",
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.python_version()}",
        "concurrency": CONCURRENCY,
        "results": results,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(f"{'case':<46} {'calls/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'x floor':>8}")
    for case, figures in results.items():
        print(
            f"{case:<46} {figures['calls_per_s']:>9} {figures['p50_ms']:>8} "
            f"{figures['p99_ms']:>8} {figures['ratio_to_floor']:>8}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
