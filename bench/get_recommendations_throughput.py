"""GetRecommendations throughput and latency over real gRPC, beside two floors in the same run.

A campaign serves a synthetic user-personalization model shaped like MovieLens-20M: 27,000 items,
64 ALS factors (planted genre structure), 140,000 users whose bulk histories (20 events each,
2.8M rows) are imported as an Interactions dataset through the dataset import job. The model
artifact is written with the recipes' own ``save_model`` (through the artifact store) and an
ACTIVE solution version pointing at it is recorded in the metadata store, standing in for
training; the campaign is created over gRPC and deployed by the runtime's deployer.

Three servers, each in its own process, are driven by separate client processes (grpc.aio):

* floor-fixed: a minimal gRPC server answering a fixed 25-item GetRecommendations response;
* floor-score: a minimal gRPC server scoring each request alone, numpy top-25 over
  27,000 x 64 float32 factors (a user vector picked by hashing the user id; BLAS limited to
  one thread per call);
* tailor: ``tailor up`` with control plane, events and runtime (embedded SQLite), served by
  ``--runtime-processes`` processes sharing the port (``TAILOR_SERVING_PROCESSES``).

Every client process spreads its calls over ``--channels`` connections, so that the processes
of a server sharing its port each get a share of them.

Request mix: 70% known users, 30% unseen users, 10% of calls with a filter that excludes the
user's watched items. Cases: open loop at ``--rate`` calls/s (latency counted from each call's
scheduled send time), closed loop with ``--callers`` in flight; for Tailor also plain calls
(no filter), filtered calls and GetPersonalizedRanking of 100 items, each open loop at
``--side-rate``. Every run stops by itself after ``--seconds``.

Memory per campaign: the RSS growth of each serving process and the PSS growth of all of them
together (pages shared between processes, such as the memory-mapped model and bulk histories,
counted once) from before CreateCampaign until every process serves it. The first process also
built the synthetic model in this run, so the replicas' growth is the serving cost.

Writes bench/results/get_recommendations_throughput.json (with the load average at start and
end) and prints a table.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import platform
import sys
import tempfile
import time
import zlib
from pathlib import Path
from typing import Any

import grpc
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.grpc_load import closed_loop, open_loop, start_unary_server  # noqa: E402
from bench.machine_info import cpu_model  # noqa: E402
from tailor_api.v1 import personalize_runtime_pb2 as rt  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results" / "get_recommendations_throughput.json"
SERVICE = "tailor.personalize_runtime.v1.PersonalizeRuntime"
RECOMMEND = f"/{SERVICE}/GetRecommendations"
RANK = f"/{SERVICE}/GetPersonalizedRanking"
N_ITEMS = 27_000
N_FACTORS = 64
N_USERS = 140_000
EVENTS_PER_USER = 20
N_GENRES = 20
TOP_K = 25
CALL_TIMEOUT_S = 10.0
T0 = 1_700_000_000
UP = "arn:aws:personalize:::recipe/aws-user-personalization"
FILTER = 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("watch")'


def item_ids() -> np.ndarray:
    return np.array([f"m{i}" for i in range(N_ITEMS)])


def synthetic_factors(seed: int = 0) -> np.ndarray:
    """float32 (N_ITEMS, N_FACTORS): each item near one of N_GENRES centres."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(0, 1, (N_GENRES, N_FACTORS)).astype(np.float32)
    genre = np.arange(N_ITEMS) % N_GENRES
    return (centres[genre] + 0.3 * rng.normal(0, 1, (N_ITEMS, N_FACTORS))).astype(np.float32)


# ----------------------------------------------------------------------------- servers


def _fixed_response() -> rt.GetRecommendationsResponse:
    return rt.GetRecommendationsResponse(
        item_list=[rt.PredictedItem(item_id=f"m{i}", score=1.0 / (i + 1)) for i in range(TOP_K)],
        recommendation_id="RID-fixed",
    )


def serve_floor(ports: Any, stop: Any, kind: str) -> None:
    """A floor: a fixed answer, or numpy top-25 over the factors for each request alone.

    BLAS runs one thread per call here: with OpenBLAS's default (one thread per core), 16
    handler threads each starting a BLAS thread pool on a small matrix-vector product thrash
    the cores (measured: 38 calls/s instead of about 800 on 2 cores).
    """
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)
    fixed = _fixed_response()
    factors = synthetic_factors()
    ids = item_ids()
    users = np.random.default_rng(1).normal(0, 1, (4096, N_FACTORS)).astype(np.float32)

    def recommend(request: rt.GetRecommendationsRequest, context: grpc.ServicerContext):
        if kind == "fixed":
            return fixed
        user = users[zlib.crc32(request.user_id.encode()) % users.shape[0]]
        scores = factors @ user
        top = np.argpartition(-scores, TOP_K)[:TOP_K]
        top = top[np.argsort(-scores[top])]
        return rt.GetRecommendationsResponse(
            item_list=[
                rt.PredictedItem(item_id=ids[i], score=float(scores[i])) for i in top.tolist()
            ],
            recommendation_id="RID",
        )

    server, port = start_unary_server(
        SERVICE,
        "GetRecommendations",
        recommend,
        rt.GetRecommendationsRequest,
        rt.GetRecommendationsResponse,
    )
    ports.put({"port": port})
    stop.wait()
    server.stop(1)


def _memory_mb(pids: list[int]) -> dict[str, Any]:
    """RSS of each process and PSS of all together (shared pages counted once), in MB."""
    rss, pss = [], 0.0
    for pid in pids:
        fields = {}
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
            name, value = line.split(":", 1)
            fields[name] = int(value.split()[0]) / 1024
        rss.append(round(fields["Rss"], 1))
        pss += fields["Pss"]
    return {"rss_mb": rss, "pss_mb": round(pss, 1)}


def _wait_all_serving(port: int, campaign: str, seconds: float = 180.0) -> None:
    """Until 16 fresh connections (spread over every serving process) all get answers."""
    deadline = time.monotonic() + seconds
    request = rt.GetRecommendationsRequest(campaign_arn=campaign, user_id="u1")
    while True:
        failures = 0
        for n in range(16):
            options = [("grpc.use_local_subchannel_pool", 1), ("bench.channel", n)]
            with grpc.insecure_channel(f"127.0.0.1:{port}", options=options) as channel:
                try:
                    channel.unary_unary(
                        RECOMMEND,
                        request_serializer=rt.GetRecommendationsRequest.SerializeToString,
                        response_deserializer=rt.GetRecommendationsResponse.FromString,
                    )(request, timeout=30)
                except grpc.RpcError:
                    failures += 1
        if not failures:
            return
        if time.monotonic() > deadline:
            raise RuntimeError(f"{failures}/16 calls still fail after {seconds} s")
        time.sleep(0.2)


def _write_interactions(path: Path) -> None:
    """20 events per user, 75% inside the user's favourite genre, 'watch' events."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    rng = np.random.default_rng(2)
    users = np.repeat(np.arange(N_USERS), EVENTS_PER_USER)
    favourite = users % N_GENRES
    in_genre = rng.random(users.shape[0]) < 0.75
    genre = np.where(in_genre, favourite, rng.integers(0, N_GENRES, users.shape[0]))
    items = genre + N_GENRES * rng.integers(0, N_ITEMS // N_GENRES, users.shape[0])
    stamps = T0 + np.tile(np.arange(EVENTS_PER_USER), N_USERS) * 60 + users
    table = pa.table(
        {
            "USER_ID": pa.array(np.char.add("u", users.astype(str))),
            "ITEM_ID": pa.array(np.char.add("m", items.astype(str))),
            "TIMESTAMP": pa.array(stamps.astype(np.int64)),
            "EVENT_TYPE": pa.array(np.full(users.shape[0], "watch")),
        }
    )
    pacsv.write_csv(table, path, pacsv.WriteOptions(quoting_style="none"))


def _call(stub: Any, operation: str, **request: Any) -> dict[str, Any]:
    from google.protobuf import json_format

    from servicekit.aws_json import message_to_aws
    from tailor_api.v1 import personalize_pb2 as cp

    message = json_format.ParseDict(request, getattr(cp, f"{operation}Request")())
    return message_to_aws(getattr(stub, operation)(message, timeout=60))


def prepare_data(home: str) -> dict[str, str]:
    """Phase 1 (control plane + trainer): dataset group, Interactions import."""
    from cli.up import start_tailor
    from servicekit.settings import Settings
    from tailor_api.v1 import personalize_pb2_grpc

    settings = Settings.from_env({}, home=Path(home), grpc_port=0, metrics_port=-1)
    server = start_tailor(settings, ["control-plane", "trainer"])
    try:
        with grpc.insecure_channel(f"127.0.0.1:{server.port}") as channel:
            stub = personalize_pb2_grpc.PersonalizeStub(channel)
            group = _call(stub, "CreateDatasetGroup", name="movies")["datasetGroupArn"]
            schema = {
                "type": "record",
                "name": "Interactions",
                "namespace": "com.amazonaws.personalize.schema",
                "fields": [
                    {"name": "USER_ID", "type": "string"},
                    {"name": "ITEM_ID", "type": "string"},
                    {"name": "TIMESTAMP", "type": "long"},
                    {"name": "EVENT_TYPE", "type": "string"},
                ],
                "version": "1.0",
            }
            schema_arn = _call(stub, "CreateSchema", name="movies", schema=json.dumps(schema))[
                "schemaArn"
            ]
            dataset = _call(
                stub,
                "CreateDataset",
                name="movies-interactions",
                schemaArn=schema_arn,
                datasetGroupArn=group,
                datasetType="Interactions",
            )["datasetArn"]
            csv = Path(home) / "interactions.csv"
            _write_interactions(csv)
            job = _call(
                stub,
                "CreateDatasetImportJob",
                jobName="bulk",
                datasetArn=dataset,
                dataSource={"dataLocation": f"file://{csv}"},
            )["datasetImportJobArn"]
            deadline = time.monotonic() + 120
            while True:
                status = _call(stub, "DescribeDatasetImportJob", datasetImportJobArn=job)[
                    "datasetImportJob"
                ]["status"]
                if status in ("ACTIVE", "CREATE FAILED"):
                    break
                if time.monotonic() > deadline:
                    raise RuntimeError(f"import still {status}")
                time.sleep(0.2)
            if status != "ACTIVE":
                raise RuntimeError("import failed")
            return {"group": group, "dataset": dataset}
    finally:
        server.stop(1)


def serve_tailor(ports: Any, stop: Any, home: str, group: str, processes: int) -> None:
    """Phase 2 (control plane + events + runtime): the campaign of a synthetic ALS model."""
    from cli.up import start_tailor
    from recipes.personalization import PersonalizationModel
    from servicekit.settings import Settings
    from storage.artifacts import open_artifact_store
    from storage.metadata.store import open_metadata_store
    from tailor_api.v1 import personalize_pb2_grpc

    settings = Settings.from_env(
        {},
        home=Path(home),
        grpc_port=0,
        metrics_port=-1,
        runtime_poll_seconds=0.5,
        serving_processes=processes,
    )
    server = start_tailor(settings, ["control-plane", "events", "runtime"])
    pids = [os.getpid(), *server.replica_pids]
    store = open_metadata_store(settings.metadata_url)
    artifacts = open_artifact_store(settings.artifacts_location, settings.s3_endpoint_url)
    with grpc.insecure_channel(f"127.0.0.1:{server.port}") as channel:
        stub = personalize_pb2_grpc.PersonalizeStub(channel)
        solution = _call(stub, "CreateSolution", name="up", datasetGroupArn=group, recipeArn=UP)[
            "solutionArn"
        ]
        version = _call(stub, "CreateSolutionVersion", solutionArn=solution)["solutionVersionArn"]
        factors = synthetic_factors()
        popularity = np.random.default_rng(3).pareto(1.2, N_ITEMS).astype(np.float32) + 1
        model = PersonalizationModel(
            recipe="aws-user-personalization",
            algorithm="als",
            hyperparameters={
                "hidden_dimension": N_FACTORS,
                "bptt": 32,
                "recency_mask": True,
                "min_user_history_length_percentile": 0.0,
                "max_user_history_length_percentile": 0.99,
                "ease_l2": 300.0,
                "als_regularization": 20.0,
                "als_alpha": 1.0,
                "als_iterations": 15,
                "recent_popularity_weight": 0.05,
                "recent_popularity_weight_calibrated": False,
                "popularity_half_life_seconds": 86400.0,
            },
            item_weights=np.zeros((0, 0), np.float32),
            item_factors=factors,
            item_gram=(factors.T @ factors).astype(np.float32),
            item_popularity=popularity,
            recent_popularity=(popularity * 0.5).astype(np.float32),
            item_first_seen=np.full(N_ITEMS, T0, np.int64),
            latest_timestamp=T0 + 86400,
        )
        users = np.array([f"u{n}" for n in range(N_USERS)])
        uri = artifacts.write_model(
            solution.rsplit("/", 1)[-1],
            version.rsplit("/", 1)[-1],
            model,
            extra_arrays={"item_ids": item_ids(), "user_ids": users},
            extra={"solutionVersionArn": version, "synthetic": True},
        )
        # Stand in for training: take the queued job and finish the version as the trainer does.
        job = store.claim_job("bench", ["solution-version"])
        store.update_resource(version, status="ACTIVE", changes={"tailorArtifactUri": uri})
        if job is not None:
            store.finish_job(job.job_id)
        filter_arn = _call(
            stub, "CreateFilter", name="unwatched", datasetGroupArn=group, filterExpression=FILTER
        )["filterArn"]
        time.sleep(1.0)
        memory_before = _memory_mb(pids)
        campaign = _call(stub, "CreateCampaign", name="movies", solutionVersionArn=version)[
            "campaignArn"
        ]
        started = time.monotonic()
        while True:
            status = _call(stub, "DescribeCampaign", campaignArn=campaign)["campaign"]["status"]
            described = _call(stub, "DescribeFilter", filterArn=filter_arn)["filter"]["status"]
            if status == "ACTIVE" and described == "ACTIVE":
                break
            if status == "CREATE FAILED" or time.monotonic() - started > 180:
                raise RuntimeError(f"campaign {status}, filter {described}")
            time.sleep(0.1)
        load_s = time.monotonic() - started
        _wait_all_serving(server.port, campaign)
        all_serving_s = time.monotonic() - started
        time.sleep(1.0)
        memory_after = _memory_mb(pids)
    ports.put(
        {
            "port": server.port,
            "pid": os.getpid(),
            "campaign": campaign,
            "filter": filter_arn,
            "processes": len(pids),
            "memory_before": memory_before,
            "memory_after": memory_after,
            "campaign_active_after_s": round(load_s, 2),
            "all_processes_serving_after_s": round(all_serving_s, 2),
        }
    )
    stop.wait()
    server.stop(1)


def start_server(target, *args: Any) -> tuple[multiprocessing.Process, Any, dict]:
    """Run a server in its own process (not daemonic: Tailor starts its serving replicas)."""
    context = multiprocessing.get_context("spawn")
    ports, stop = context.Queue(), context.Event()
    process = context.Process(target=target, args=(ports, stop, *args))
    process.start()
    try:
        return process, stop, ports.get(timeout=300)
    except BaseException:
        process.terminate()
        raise


def stop_server(process: multiprocessing.Process, stop: Any) -> None:
    """Ask a server process to stop; terminate it if it does not within 30 s."""
    stop.set()
    process.join(30)
    if process.is_alive():
        process.terminate()
        process.join(10)


# ----------------------------------------------------------------------------- clients


def payloads(info: dict, client: int, kind: str, count: int = 3000) -> tuple[str, list[bytes]]:
    """(method, serialised requests): ``mixed`` (70% known users, 10% filtered), ``plain``
    (no filter), ``filtered`` (every call filtered) or ``rank`` (100 items)."""
    rng = np.random.default_rng(100 + client)
    campaign = info.get("campaign", "arn:aws:personalize:us-east-1:000000000000:campaign/floor")
    bodies = []
    for n in range(count):
        known = rng.random() < 0.7
        user = f"u{rng.integers(N_USERS)}" if known else f"new-{client}-{n}"
        if kind == "rank":
            items = [f"m{i}" for i in rng.choice(N_ITEMS, 100, replace=False)]
            request = rt.GetPersonalizedRankingRequest(
                campaign_arn=campaign, user_id=user, input_list=items
            )
        else:
            request = rt.GetRecommendationsRequest(
                campaign_arn=campaign, user_id=user, num_results=TOP_K
            )
            filtered = kind == "filtered" or (kind == "mixed" and rng.random() < 0.1)
            if filtered and info.get("filter"):
                request.filter_arn = info["filter"]
        bodies.append(request.SerializeToString())
    return (RANK if kind == "rank" else RECOMMEND), bodies


def client_process(
    info: dict,
    index: int,
    kind: str,
    mode: str,
    seconds: float,
    load: float,
    channels: int,
    out: Any,
) -> None:
    method, bodies = payloads(info, index, kind)
    port = info["port"]
    if mode == "closed":
        result = asyncio.run(
            closed_loop(port, method, bodies, seconds, int(load), CALL_TIMEOUT_S, channels)
        )
    else:
        result = asyncio.run(
            open_loop(port, method, bodies, seconds, load, CALL_TIMEOUT_S, channels=channels)
        )
    out.put(result)


def drive(
    info: dict,
    kind: str,
    mode: str,
    seconds: float,
    load: float,
    clients: int,
    channels: int = 8,
) -> dict:
    """``clients`` client processes (open: ``load`` calls/s in all; closed: ``load`` callers),
    each over ``channels`` connections."""
    context = multiprocessing.get_context("spawn")
    out = context.Queue()
    processes = [
        context.Process(
            target=client_process,
            args=(info, index, kind, mode, seconds, load / clients, channels, out),
            daemon=True,
        )
        for index in range(clients)
    ]
    for process in processes:
        process.start()
    results = [out.get(timeout=seconds + 120) for _ in processes]
    for process in processes:
        process.join(30)
    latencies = np.sort(np.array([x for r in results for x in r["latencies"]]))
    errors = [e for r in results for e in r["errors"]]
    elapsed = max(r["elapsed"] for r in results)
    calls = latencies.shape[0]

    def q(p: float) -> float:
        return round(float(np.quantile(latencies, p)) * 1000, 2) if calls else float("nan")

    return {
        "load": f"open loop, offered {load:.0f}/s"
        if mode == "open"
        else f"closed loop, {load:.0f} in flight",
        "calls": int(calls),
        "errors": len(errors),
        "first_error": errors[0] if errors else None,
        "calls_per_s": round(calls / elapsed, 1),
        "p50_ms": q(0.5),
        "p99_ms": q(0.99),
        "p999_ms": q(0.999),
    }


def machine() -> str:
    model = cpu_model()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"{platform.machine()} {model}, {os.cpu_count()} cores (load average {load:.1f}), "
        f"Python {platform.python_version()}, grpcio {grpc.__version__}, numpy {np.__version__}"
    )


def measure(info: dict, args: argparse.Namespace, extra: bool) -> dict:
    channels = args.channels
    drive(info, "mixed", "closed", 1.0, args.callers, args.clients, channels)  # warm up
    runs = {
        "open": drive(info, "mixed", "open", args.seconds, args.rate, args.clients, channels),
        "max": drive(info, "mixed", "closed", args.seconds, args.callers, args.clients, channels),
    }
    if extra:
        for kind in ("plain", "filtered", "rank"):
            runs[kind] = drive(
                info, kind, "open", args.seconds, args.side_rate, args.clients, channels
            )
    return runs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each load run")
    parser.add_argument("--rate", type=float, default=500.0, help="open-loop offered calls/s")
    parser.add_argument(
        "--side-rate", type=float, default=30.0, help="calls/s of the plain/filter/rank cases"
    )
    parser.add_argument("--callers", type=int, default=64, help="closed-loop calls in flight")
    parser.add_argument("--clients", type=int, default=2, help="client processes")
    parser.add_argument("--channels", type=int, default=8, help="connections per client process")
    parser.add_argument(
        "--runtime-processes", type=int, default=2, help="Tailor's serving processes"
    )
    parser.add_argument("--hold", type=float, default=0.0, help="seconds to keep Tailor up after")
    args = parser.parse_args()
    began = time.monotonic()
    load_before = os.getloadavg()[0]

    results: dict[str, dict] = {}
    for kind in ("fixed", "score"):
        process, stop, info = start_server(serve_floor, kind)
        try:
            results[f"floor-{kind}"] = measure(info, args, extra=False)
        finally:
            stop_server(process, stop)

    with tempfile.TemporaryDirectory(dir=Path(__file__).resolve().parent) as home:
        setup = time.monotonic()
        arns = prepare_data(home)
        process, stop, info = start_server(
            serve_tailor, home, arns["group"], args.runtime_processes
        )
        setup_s = time.monotonic() - setup
        print(f"tailor ready (pid {info['pid']}) after {setup_s:.1f} s", flush=True)
        try:
            results["tailor"] = measure(info, args, extra=True)
            if args.hold:
                drive(info, "mixed", "closed", args.hold, args.callers, args.clients)
        finally:
            stop_server(process, stop)

    tailor, fixed, score = results["tailor"], results["floor-fixed"], results["floor-score"]
    plain_p99 = tailor["plain"]["p99_ms"]
    ratios = {
        "max / scoring floor": round(tailor["max"]["calls_per_s"] / score["max"]["calls_per_s"], 2),
        "max / fixed floor": round(tailor["max"]["calls_per_s"] / fixed["max"]["calls_per_s"], 2),
        "filtered p99 / plain p99": round(tailor["filtered"]["p99_ms"] / plain_p99, 2),
        "ranking p99 / plain p99": round(tailor["rank"]["p99_ms"] / plain_p99, 2),
    }
    targets = {
        f"p99 at {args.rate:.0f}/s <= 10 ms": tailor["open"]["p99_ms"] <= 10,
        "max >= 2x scoring floor": ratios["max / scoring floor"] >= 2,
        "max >= 0.8x fixed floor": ratios["max / fixed floor"] >= 0.8,
        "max p99 <= 50 ms": tailor["max"]["p99_ms"] <= 50,
        "filtered p99 <= 1.5x plain": ratios["filtered p99 / plain p99"] <= 1.5,
        "ranking p99 <= 1.5x plain": ratios["ranking p99 / plain p99"] <= 1.5,
    }
    before, after = info["memory_before"], info["memory_after"]
    memory = {
        "serving_processes": info["processes"],
        "before": before,
        "after": after,
        "campaign_rss_mb_per_process": [
            round(a - b, 1) for a, b in zip(after["rss_mb"], before["rss_mb"], strict=True)
        ],
        "campaign_pss_mb_all_processes": round(after["pss_mb"] - before["pss_mb"], 1),
        "campaign_active_after_s": info["campaign_active_after_s"],
        "all_processes_serving_after_s": info["all_processes_serving_after_s"],
    }
    report = {
        "bench": "get_recommendations_throughput",
        "machine": machine(),
        "load_average_at_start": round(load_before, 2),
        "runtime_processes": args.runtime_processes,
        "channels_per_client": args.channels,
        "model": f"synthetic ALS, {N_ITEMS} items x {N_FACTORS} factors, {N_USERS} users, "
        f"{EVENTS_PER_USER} imported events each",
        "mix": "70% known users, 30% unseen, 10% filtered (plain: no filter)",
        "seconds_per_run": args.seconds,
        "total_seconds": round(time.monotonic() - began, 1),
        "results": results,
        "ratios": ratios,
        "targets": targets,
        "memory": memory,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(f"machine: {report['machine']}")
    print(
        f"{'server':<12} {'case':<9} {'load':<28} {'calls/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'p999 ms':>8} {'errors':>6}"
    )
    for server, runs in results.items():
        for case, f in runs.items():
            print(
                f"{server:<12} {case:<9} {f['load']:<28} {f['calls_per_s']:>8} {f['p50_ms']:>8} "
                f"{f['p99_ms']:>8} {f['p999_ms']:>8} {f['errors']:>6}"
            )
            if f["first_error"]:
                print(f"    first error: {f['first_error'][:200]}")
    for name, value in ratios.items():
        print(f"{name}: {value}")
    print(f"memory: {memory}")
    for target, met in targets.items():
        print(f"target {target}: {'met' if met else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
