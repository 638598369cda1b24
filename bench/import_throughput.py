"""Dataset import throughput: Tailor's import job beside a bare pyarrow CSV read of the same file.

Generates a synthetic Interactions CSV (USER_ID, ITEM_ID, EVENT_TYPE, TIMESTAMP; 20,000,000 rows
by default, under bench/.data/, reused while its row count matches), then measures, each in a
fresh child process so that peak memory is its own:

* floor: ``pyarrow.csv.read_csv`` of the file, typed, into one table (what reading alone costs);
* tailor: the ``dataset-import`` job end to end on SQLite and a local data directory: headers
  checked, every value converted and validated, Parquet segments written and committed.

Peak memory is the child's VmHWM (peak resident set); CPU seconds (user + system, all threads)
are reported beside wall time because this project's machines are shared and wall time varies
with their load. Targets: at least 1,000,000 rows/s end to
end and under 3 GB peak on 20M rows. Writes bench/results/import_throughput.json and prints a
table.

    .venv/bin/python bench/import_throughput.py [--rows N]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.machine_info import cpu_model  # noqa: E402

DATA_DIR = Path(__file__).resolve().parent / ".data"
RESULTS = Path(__file__).resolve().parent / "results" / "import_throughput.json"
HEADER = "USER_ID,ITEM_ID,EVENT_TYPE,TIMESTAMP"
SCHEMA = json.dumps(
    {
        "type": "record",
        "name": "Interactions",
        "namespace": "com.amazonaws.personalize.schema",
        "fields": [
            {"name": "USER_ID", "type": "string"},
            {"name": "ITEM_ID", "type": "string"},
            {"name": "EVENT_TYPE", "type": "string"},
            {"name": "TIMESTAMP", "type": "long"},
        ],
        "version": "1.0",
    }
)
CHUNK_ROWS = 2_000_000


def generate(path: Path, rows: int) -> None:
    """Write ``rows`` synthetic interactions (long-tailed users and items) to ``path``."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.csv as pa_csv

    rng = np.random.default_rng(42)
    event_types = np.array(["click", "view", "purchase"])
    options = pa_csv.WriteOptions(include_header=False, quoting_style="none")
    partial = path.with_suffix(".partial")
    with partial.open("wb") as out:
        out.write((HEADER + "\n").encode())
        for start in range(0, rows, CHUNK_ROWS):
            n = min(CHUNK_ROWS, rows - start)
            users = (rng.pareto(1.2, n) * 1000).astype(np.int64) % 200_000
            items = (rng.pareto(1.1, n) * 300).astype(np.int64) % 50_000
            table = pa.table(
                {
                    "USER_ID": pa.array(np.char.add("user", users.astype(str))),
                    "ITEM_ID": pa.array(np.char.add("item", items.astype(str))),
                    "EVENT_TYPE": pa.array(event_types[rng.integers(0, 3, n)]),
                    "TIMESTAMP": pa.array(1_600_000_000 + np.arange(start, start + n)),
                }
            )
            pa_csv.write_csv(table, out, write_options=options)
    partial.rename(path)


def cpu_seconds() -> float:
    """CPU time (user + system, all threads) this process has used so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def peak_rss_bytes() -> int:
    """This process's peak resident set size (VmHWM)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def measure_floor(csv_path: str) -> dict:
    """Child: a bare typed pyarrow read of the whole file."""
    import pyarrow as pa
    import pyarrow.csv as pa_csv

    started, cpu_started = time.perf_counter(), cpu_seconds()
    types = {name: pa.string() for name in ("USER_ID", "ITEM_ID", "EVENT_TYPE")}
    types["TIMESTAMP"] = pa.int64()
    table = pa_csv.read_csv(csv_path, convert_options=pa_csv.ConvertOptions(column_types=types))
    seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu_started
    return {
        "rows": table.num_rows,
        "seconds": seconds,
        "cpu_seconds": cpu,
        "peak_rss": peak_rss_bytes(),
    }


def measure_tailor(csv_path: str) -> dict:
    """Child: one dataset import job through the trainer worker, SQLite and a local directory."""
    sys.path.insert(0, str(ROOT))
    from control_plane import data_jobs, dataset_groups, datasets, schemas
    from control_plane.context import ControlPlane
    from domain.arns import ArnFactory
    from storage.data import open_segment_store
    from storage.metadata.store import open_metadata_store
    from trainer.dataset_import import DatasetImportHandler
    from trainer.worker import Worker

    with tempfile.TemporaryDirectory(dir=DATA_DIR) as home:
        store = open_metadata_store(f"sqlite:///{home}/tailor.db")
        cp = ControlPlane(store=store, arns=ArnFactory("us-east-1", "000000000000"))
        group = dataset_groups.create_dataset_group(cp, {"name": "bench"})["datasetGroupArn"]
        schema = schemas.create_schema(cp, {"name": "bench", "schema": SCHEMA})["schemaArn"]
        dataset = datasets.create_dataset(
            cp,
            {
                "name": "bench",
                "schemaArn": schema,
                "datasetGroupArn": group,
                "datasetType": "Interactions",
            },
        )["datasetArn"]
        job_arn = data_jobs.create_dataset_import_job(
            cp,
            {
                "jobName": "bench",
                "datasetArn": dataset,
                "dataSource": {"dataLocation": f"file://{csv_path}"},
            },
        )["datasetImportJobArn"]
        handler = DatasetImportHandler(open_segment_store(f"{home}/data"))
        worker = Worker(store, {"dataset-import": handler})
        started, cpu_started = time.perf_counter(), cpu_seconds()
        worker.run_once()
        seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu_started
        job = store.get_resource(job_arn)
        if job.status != "ACTIVE":
            raise SystemExit(f"import failed: {job.document.get('failureReason')}")
        segment_bytes = sum(p.stat().st_size for p in Path(home, "data").rglob("*.parquet"))
        rows = job.document["tailorRecordsImported"]
        store.close()
    return {
        "rows": rows,
        "seconds": seconds,
        "cpu_seconds": cpu,
        "peak_rss": peak_rss_bytes(),
        "segment_bytes": segment_bytes,
    }


def run_child(kind: str, csv_path: Path) -> dict:
    """Run one measurement in a fresh interpreter; return its JSON result."""
    output = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(csv_path)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return json.loads(output.stdout.strip().splitlines()[-1])


def machine() -> str:
    """CPU model, cores, memory and Python/pyarrow versions."""
    import pyarrow

    model = cpu_model()
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{platform.machine()}, {model}, {os.cpu_count()} cores, {memory:.0f} GiB, "
        f"Python {platform.python_version()}, pyarrow {pyarrow.__version__}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=20_000_000, help="rows in the CSV")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, csv_path = args.child
        result = measure_floor(csv_path) if kind == "floor" else measure_tailor(csv_path)
        print(json.dumps(result))
        return 0

    DATA_DIR.mkdir(exist_ok=True)
    csv_path = DATA_DIR / f"interactions-{args.rows}.csv"
    if not csv_path.exists():
        started = time.perf_counter()
        generate(csv_path, args.rows)
        print(f"generated {csv_path} in {time.perf_counter() - started:.1f} s")
    size = csv_path.stat().st_size
    load_before = " ".join(f"{load:.2f}" for load in os.getloadavg())
    results = {}
    for kind, label in (("floor", "floor: pyarrow.csv.read_csv"), ("tailor", "tailor: import job")):
        measured = run_child(kind, csv_path)
        assert measured["rows"] == args.rows, measured
        measured["rows_per_s"] = round(measured["rows"] / measured["seconds"])
        measured["mb_per_s"] = round(size / measured["seconds"] / 1e6, 1)
        measured["seconds"] = round(measured["seconds"], 2)
        measured["rows_per_cpu_s"] = round(measured["rows"] / measured["cpu_seconds"])
        measured["cpu_seconds"] = round(measured["cpu_seconds"], 2)
        results[label] = measured
    floor, tailor = results.values()
    tailor["ratio_to_floor"] = round(tailor["rows_per_s"] / floor["rows_per_s"], 3)
    report = {
        "bench": "import_throughput",
        "machine": machine(),
        "load_average_before": load_before,
        "rows": args.rows,
        "csv_bytes": size,
        "targets": {"rows_per_s": 1_000_000, "peak_rss_bytes": 3 * 2**30},
        "results": results,
        "meets_targets": tailor["rows_per_s"] >= 1_000_000 and tailor["peak_rss"] < 3 * 2**30,
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(f"{args.rows:,} rows, {size / 1e6:.0f} MB CSV; {report['machine']}")
    print(f"load average before: {load_before}")
    print(
        f"{'':32} {'seconds':>8} {'rows/s':>12} {'MB/s':>7} {'CPU s':>7} {'rows/CPU s':>12} "
        f"{'peak RSS':>10}"
    )
    for label, measured in results.items():
        print(
            f"{label:32} {measured['seconds']:8.2f} {measured['rows_per_s']:12,} "
            f"{measured['mb_per_s']:7.1f} {measured['cpu_seconds']:7.2f} "
            f"{measured['rows_per_cpu_s']:12,} {measured['peak_rss'] / 2**30:8.2f} GB"
        )
    verdict = "met" if report["meets_targets"] else "NOT met"
    print(f"targets (>= 1,000,000 rows/s, < 3 GB peak): {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
