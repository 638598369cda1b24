"""Training cost: a User-Personalization solution version end to end, beside a bare ALS fit.

Generates a synthetic Interactions CSV per size (about 140,000 users and 27,000 items, power-law
user activity and item popularity, planted topic structure: each user mostly follows two of 32
topics; timestamps over 120 days; cached under bench/.data/), imports it with the real
``dataset-import`` job, then trains ``aws-user-personalization`` with the real ``solution-version``
job (``trainer.solution_training``: read segments -> AWS split -> fit -> evaluate -> refresh on all
-> write artifact) on SQLite and local directories. With 27k items the recipe runs implicit ALS
(EASE stops at 15k items). Each measurement runs in its own child process so that its peak
memory (VmHWM) is its own:

* import: the dataset-import job (set-up, reported but not part of the training total);
* tailor: the training job, its phases timed by wrapping the trainer's and the recipe's calls;
* floor: a bare ``implicit`` ALS fit of the same matrix the final model is fitted on (same
  factors, iterations, regularization, confidence, seed and thread limits), matrix built
  untimed.

``ratio`` is the training job's wall time over the bare fit's. CPU seconds (all threads) are
reported too: the machine is shared and wall time moves with its load. Goals at 20M: ratio <=
1.3 and peak memory <= 8 GB. Run it under the bench lock:

    flock /tmp/tailor-bench.lock .venv/bin/python bench/training_cost.py [--sizes 1M,5M,20M]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.import_throughput import cpu_seconds, machine, peak_rss_bytes  # noqa: E402
from bench.synthetic_interactions import SCHEMA, csv_schema, generate  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = Path(__file__).resolve().parent / ".data"
RESULTS = Path(__file__).resolve().parent / "results" / "training_cost.json"
RECIPE_ARN = "arn:aws:personalize:::recipe/aws-user-personalization"
GOAL_RATIO, GOAL_PEAK = 1.3, 8 * 2**30
SIZES = {"1M": 1_000_000, "5M": 5_000_000, "20M": 20_000_000}


class PhaseClock:
    """Wall and CPU seconds per phase label around wrapped calls, and each phase's peak RSS.

    A sampler thread reads the resident set every 20 ms and charges it to the innermost phase
    running, so the table shows which phase sets the process's high-water mark.
    """

    def __init__(self) -> None:
        self.phases: dict[str, dict[str, float]] = {}
        self._running: list[str] = []
        self._stop = threading.Event()
        self._sampler = threading.Thread(target=self._sample, daemon=True)
        self._sampler.start()

    def wrap(self, label: Callable[[], str] | str, function: Callable) -> Callable:
        """``function`` timed under ``label`` (a string, or a callable naming the call)."""

        def timed(*args: Any, **kwargs: Any) -> Any:
            name = label() if callable(label) else label
            entry = self.phases.setdefault(
                name, {"seconds": 0.0, "cpu_seconds": 0.0, "peak_rss": 0}
            )
            wall, cpu = time.perf_counter(), cpu_seconds()
            self._running.append(name)
            try:
                return function(*args, **kwargs)
            finally:
                self._running.pop()
                entry["seconds"] += time.perf_counter() - wall
                entry["cpu_seconds"] += cpu_seconds() - cpu

        return timed

    def stop(self) -> None:
        """Stop the sampler."""
        self._stop.set()
        self._sampler.join()

    def _sample(self) -> None:
        page = os.sysconf("SC_PAGE_SIZE")
        with open("/proc/self/statm", encoding="ascii") as statm:
            while not self._stop.wait(0.02):
                statm.seek(0)
                resident = int(statm.read().split()[1]) * page
                if self._running and self._running[-1] in self.phases:
                    entry = self.phases[self._running[-1]]
                    entry["peak_rss"] = max(entry["peak_rss"], resident)


def _control_plane(home: str):
    """The metadata store under ``home`` and a control plane over it."""
    from control_plane.context import ControlPlane
    from domain.arns import ArnFactory
    from storage.metadata.store import open_metadata_store

    store = open_metadata_store(f"sqlite:///{home}/tailor.db")
    return store, ControlPlane(store=store, arns=ArnFactory("us-east-1", "000000000000"))


def child_import(home: str, csv_path: str) -> dict:
    """Child: create the dataset group and dataset, run the dataset-import job."""
    from control_plane import data_jobs, dataset_groups, datasets, schemas
    from storage.data import open_segment_store
    from trainer.dataset_import import DatasetImportHandler
    from trainer.worker import Worker

    store, cp = _control_plane(home)
    group = dataset_groups.create_dataset_group(cp, {"name": "bench"})["datasetGroupArn"]
    schema = schemas.create_schema(cp, {"name": "bench", "schema": SCHEMA})["schemaArn"]
    request = {"name": "bench", "schemaArn": schema, "datasetGroupArn": group}
    dataset = datasets.create_dataset(cp, {**request, "datasetType": "Interactions"})
    job_arn = data_jobs.create_dataset_import_job(
        cp,
        {
            "jobName": "bench",
            "datasetArn": dataset["datasetArn"],
            "dataSource": {"dataLocation": f"file://{csv_path}"},
        },
    )["datasetImportJobArn"]
    worker = Worker(
        store, {"dataset-import": DatasetImportHandler(open_segment_store(f"{home}/data"))}
    )
    clock = PhaseClock()
    # Finding the repeated rows it records on the segments (the reader then drops them).
    DatasetImportHandler._repeated_rows = clock.wrap(
        "of which finding repeated rows", DatasetImportHandler._repeated_rows
    )
    started, cpu_started = time.perf_counter(), cpu_seconds()
    worker.run_once()
    seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu_started
    clock.stop()
    job = store.get_resource(job_arn)
    if job.status != "ACTIVE":
        raise SystemExit(f"import failed: {job.document.get('failureReason')}")
    store.close()
    return {
        "group": group,
        "seconds": seconds,
        "cpu_seconds": cpu,
        "peak_rss": peak_rss_bytes(),
        "phases": clock.phases,
    }


def child_train(home: str, group: str, hyperparameters: dict, threads: int) -> dict:
    """Child: create a solution and version, run the solution-version job with phase timers."""
    import recipes.model_refresh as model_refresh
    import recipes.personalization as personalization
    import trainer.solution_training as training
    import trainer.training_data as training_data
    from control_plane import solution_versions, solutions
    from storage.artifacts import open_artifact_store
    from storage.data import open_segment_store
    from trainer.worker import Worker

    store, cp = _control_plane(home)
    config = {"algorithmHyperParameters": hyperparameters}
    request = {"name": "bench", "datasetGroupArn": group, "recipeArn": RECIPE_ARN}
    solution = solutions.create_solution(cp, {**request, "solutionConfig": config})
    version = solution_versions.create_solution_version(
        cp, {"solutionArn": solution["solutionArn"]}
    )
    version_arn = version["solutionVersionArn"]
    clock = PhaseClock()
    fits = iter(("fit: evaluation model (split.train)", "fit: final model (all)"))
    calibrations = iter(("calibrate: evaluation model", "calibrate: final model"))
    training.load_training_data = clock.wrap("read + encode", training.load_training_data)
    training_data.read_dataset = clock.wrap(
        "  of which reading segments", training_data.read_dataset
    )
    training.aws_split = clock.wrap("split", training.aws_split)
    training.fit_recipe = clock.wrap(lambda: next(fits), training.fit_recipe)
    training.evaluate = clock.wrap("evaluate", training.evaluate)
    training.refresh_personalization = clock.wrap(
        "refresh: final model (all)", training.refresh_personalization
    )
    model_refresh.refresh_als_item_factors = clock.wrap(
        "  of which the ALS iteration", model_refresh.refresh_als_item_factors
    )
    personalization.fit_als_item_factors = clock.wrap(
        "  of which ALS fits", personalization.fit_als_item_factors
    )
    personalization._calibrate_prior_weight = clock.wrap(
        lambda: f"  of which {next(calibrations)} (scoring)",
        personalization._calibrate_prior_weight,
    )
    handler = training.SolutionTrainingHandler(
        open_segment_store(f"{home}/data"),
        open_artifact_store(f"{home}/artifacts"),
        threads=threads,
    )
    handler.artifact_store.write_model = clock.wrap(
        "write artifact", handler.artifact_store.write_model
    )
    worker = Worker(store, {"solution-version": handler})
    started, cpu_started = time.perf_counter(), cpu_seconds()
    worker.run_once()
    seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu_started
    clock.stop()
    version = store.get_resource(version_arn)
    if version.status != "ACTIVE":
        raise SystemExit(f"training failed: {version.document.get('failureReason')}")
    manifest = json.loads(
        next(Path(home, "artifacts").rglob("manifest.json")).read_text(encoding="utf-8")
    )
    store.close()
    return {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "peak_rss": peak_rss_bytes(),
        "phases": clock.phases,
        "metrics": version.document["metrics"],
        "model_hyperparameters": manifest["hyperparameters"],
        "artifact_bytes": sum(p.stat().st_size for p in Path(home, "artifacts").rglob("*")),
    }


def child_floor(csv_path: str, hyperparameters: dict, threads: int) -> dict:
    """Child: a bare implicit ALS fit of the final model's matrix (built untimed)."""
    import pyarrow.csv as pa_csv
    from implicit.cpu.als import AlternatingLeastSquares
    from threadpoolctl import threadpool_limits

    from recipes.interactions import (
        encode_ids,
        interaction_matrix,
        make_interactions,
        user_history_length_mask,
    )
    from recipes.personalization import PersonalizationOptions

    options = PersonalizationOptions()
    table = (
        pa_csv.read_csv(csv_path, convert_options=pa_csv.ConvertOptions(column_types=csv_schema()))
        .group_by(["USER_ID", "ITEM_ID", "EVENT_TYPE", "TIMESTAMP"])
        .aggregate([])
    )
    users, _ = encode_ids(table["USER_ID"])
    items, _ = encode_ids(table["ITEM_ID"])
    events = make_interactions(users, items, table["TIMESTAMP"].to_numpy())
    high = float(hyperparameters["max_user_history_length_percentile"])
    kept = events.select(user_history_length_mask(events, 0.0, high))
    confidence = interaction_matrix(kept)
    confidence.data = 1.0 + options.als_alpha * confidence.data
    with threadpool_limits(limits=threads), threadpool_limits(1, "blas"):
        model = AlternatingLeastSquares(
            factors=int(hyperparameters["hidden_dimension"]),
            regularization=options.als_regularization,
            alpha=1.0,
            iterations=options.als_iterations,
            random_state=options.seed,
            num_threads=options.num_threads,
            calculate_training_loss=False,
        )
        started, cpu_started = time.perf_counter(), cpu_seconds()
        model.fit(confidence, show_progress=False)
        seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu_started
    return {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "peak_rss": peak_rss_bytes(),
        "events": len(kept),
        "matrix": {"shape": list(confidence.shape), "nnz": int(confidence.nnz)},
    }


def run_child(*args: str) -> dict:
    """Run one measurement in a fresh interpreter; return its JSON result."""
    output = subprocess.run(
        [sys.executable, __file__, "--child", *args],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return json.loads(output.stdout.strip().splitlines()[-1])


def measure_size(rows: int, hyperparameters: dict, threads: int) -> dict:
    """Import, train and fit the floor for one size; return the size's results."""
    csv_path = DATA_DIR / f"training-{rows}.csv"
    if not csv_path.exists():
        started = time.perf_counter()
        generate(csv_path, rows)
        print(f"generated {csv_path} in {time.perf_counter() - started:.1f} s", flush=True)
    parameters = json.dumps(hyperparameters)
    with tempfile.TemporaryDirectory(dir=DATA_DIR) as home:
        imported = run_child("import", home, str(csv_path))
        tailor = run_child("train", home, imported.pop("group"), parameters, str(threads))
    floor = run_child("floor", str(csv_path), parameters, str(threads))
    return {
        "rows": rows,
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "load": " ".join(f"{load:.2f}" for load in os.getloadavg()),
        "import": imported,
        "tailor": tailor,
        "floor": floor,
        "ratio": tailor["seconds"] / floor["seconds"],
        "cpu_ratio": tailor["cpu_seconds"] / floor["cpu_seconds"],
        "meets_goals": tailor["seconds"] <= GOAL_RATIO * floor["seconds"]
        and tailor["peak_rss"] <= GOAL_PEAK,
    }


def print_size(label: str, result: dict) -> None:
    """One size's table: phases of the training job, total, floor, ratio, peak memory."""
    tailor, floor, imported = result["tailor"], result["floor"], result["import"]
    print(
        f"\n{label}: {result['rows']:,} rows, {floor['events']:,} events fitted, matrix "
        f"{floor['matrix']['shape']} nnz {floor['matrix']['nnz']:,}; load {result['load']}"
    )
    lines = [("", "seconds", "CPU s", "peak RSS")]
    lines.append(
        ("import job (set-up, not in total)", imported["seconds"], imported["cpu_seconds"], 0)
    )
    for name, phase in imported.get("phases", {}).items():
        lines.append((f"  {name}", phase["seconds"], phase["cpu_seconds"], 0))
    for name, phase in tailor["phases"].items():
        lines.append((name, phase["seconds"], phase["cpu_seconds"], phase["peak_rss"]))
    lines.append(
        ("tailor training job, total", tailor["seconds"], tailor["cpu_seconds"], tailor["peak_rss"])
    )
    lines.append(("floor: bare implicit ALS fit", floor["seconds"], floor["cpu_seconds"], 0))
    for name, seconds, cpu, peak in lines:
        if isinstance(seconds, str):
            print(f"{name:52} {seconds:>9} {cpu:>9} {peak:>9}")
        else:
            memory = f"{peak / 2**30:7.2f}GB" if peak else ""
            print(f"{name:52} {seconds:9.1f} {cpu:9.1f} {memory:>9}")
    print(
        f"ratio {result['ratio']:.2f} (CPU {result['cpu_ratio']:.2f}); peak RSS tailor "
        f"{tailor['peak_rss'] / 2**30:.2f} GB, floor {floor['peak_rss'] / 2**30:.2f} GB; NDCG@25 "
        f"{tailor['metrics']['normalized_discounted_cumulative_gain_at_25']:.4f}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1M,5M,20M", help="comma-separated of 1M, 5M, 20M")
    parser.add_argument("--hidden-dimension", type=int, default=64, help="ALS factors")
    parser.add_argument("--threads", type=int, default=1, help="TAILOR_TRAINER_THREADS")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        if kind == "import":
            result = child_import(*rest)
        elif kind == "train":
            result = child_train(rest[0], rest[1], json.loads(rest[2]), int(rest[3]))
        else:
            result = child_floor(rest[0], json.loads(rest[1]), int(rest[2]))
        print(json.dumps(result))
        return 0

    DATA_DIR.mkdir(exist_ok=True)
    hyperparameters = {"hidden_dimension": str(args.hidden_dimension), "bptt": "32"}
    hyperparameters |= {"recency_mask": "true", "max_user_history_length_percentile": "0.99"}
    load_before = " ".join(f"{load:.2f}" for load in os.getloadavg())
    # Sizes not run now keep their last results (each says when and under what load).
    previous = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
    results = previous.get("results", {})
    for label in args.sizes.split(","):
        results[label] = measure_size(SIZES[label], hyperparameters, args.threads)
        print_size(label, results[label])
    report = {
        "bench": "training_cost",
        "machine": machine(),
        "load_average_before": load_before,
        "load_average_after": " ".join(f"{load:.2f}" for load in os.getloadavg()),
        "recipe": "aws-user-personalization (implicit ALS core: 27k items > EASE_MAX_ITEMS)",
        "note": "hidden_dimension 64 (the recipe default is 149) keeps 20M within minutes; "
        "ALS lambda 20, alpha 1, 15 iterations are PersonalizationOptions defaults",
        "algorithm_hyperparameters": hyperparameters,
        "als": "implicit.cpu conjugate gradient (3 steps), float32, lambda 20, alpha 1, "
        "15 iterations, seed 0; floor and tailor under threadpool_limits(trainer_threads), "
        "implicit num_threads=0",
        "trainer_threads": args.threads,
        "goals": {"ratio": GOAL_RATIO, "peak_rss_bytes": GOAL_PEAK, "at": "20M"},
        "results": results,
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(
        f"\n{report['machine']}; load average before {load_before}, after "
        f"{report['load_average_after']}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
