"""``tailor import``: import a CSV file or folder into a dataset in one command."""

from __future__ import annotations

import argparse
import time
import uuid
from pathlib import Path
from typing import TextIO

import grpc

from servicekit.aws_json import message_to_aws
from tailor_api.v1 import personalize_pb2 as pb
from tailor_api.v1 import personalize_pb2_grpc

FINISHED = {"ACTIVE", "CREATE FAILED"}
BAR_WIDTH = 30


def data_location(source: str) -> str:
    """The ``dataLocation`` for ``source``: URLs as given, local paths as absolute ``file://``.

    A folder keeps its trailing ``/`` so that the server imports every CSV file in it.
    """
    if "://" in source:
        return source
    path = Path(source).expanduser().resolve()
    suffix = "/" if path.is_dir() else ""
    return f"file://{path}{suffix}"


def progress_line(job: dict) -> str:
    """One line describing an import job's progress (a bar when the server reports a fraction)."""
    status = job.get("status", "?")
    records = job.get("tailorRecordsImported")
    fraction = job.get("tailorProgress")
    if status == "ACTIVE":
        fraction = 1.0
    bar = ""
    if fraction is not None:
        filled = int(round(BAR_WIDTH * min(max(fraction, 0.0), 1.0)))
        bar = f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {fraction * 100:5.1f}% "
    counted = f" {records:,} records" if records is not None else ""
    return f"{bar}{status}{counted}"


def run_import(argv: list[str], *, endpoint: str, stdout: TextIO, stderr: TextIO) -> int:
    """Create a dataset import job for a local or remote CSV and, with ``--wait``, follow it.

    Returns:
        0 when the job was created (and, with ``--wait``, became ACTIVE); 1 when it failed;
        254 when the server refused the request; 255 when Tailor could not be reached.
    """
    parser = argparse.ArgumentParser(
        prog="tailor import",
        description="Import a CSV file (or a folder of CSV files) into a dataset.",
    )
    parser.add_argument("source", help="CSV file, folder, file:// or s3:// URL")
    parser.add_argument("--dataset-arn", required=True, help="the dataset to import into")
    parser.add_argument("--job-name", help="import job name (default: generated)")
    parser.add_argument("--import-mode", choices=["FULL", "INCREMENTAL"], default="FULL")
    parser.add_argument("--wait", action="store_true", help="wait, showing progress, until done")
    parser.add_argument("--poll-seconds", type=float, default=0.5, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    job_name = args.job_name or f"import-{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:6]}"
    with grpc.insecure_channel(endpoint) as channel:
        stub = personalize_pb2_grpc.PersonalizeStub(channel)
        try:
            created = stub.CreateDatasetImportJob(
                pb.CreateDatasetImportJobRequest(
                    job_name=job_name,
                    dataset_arn=args.dataset_arn,
                    data_source=pb.DataSource(data_location=data_location(args.source)),
                    import_mode=args.import_mode,
                ),
                timeout=60,
            )
            print(created.dataset_import_job_arn, file=stdout, flush=True)
            if not args.wait:
                return 0
            return _follow(stub, created.dataset_import_job_arn, args.poll_seconds, stderr)
        except grpc.RpcError as error:
            code = error.code()
            if code == grpc.StatusCode.UNAVAILABLE:
                print(f"Could not connect to Tailor at {endpoint}: {error.details()}", file=stderr)
                return 255
            print(f"An error occurred: {error.details()}", file=stderr)
            return 254


def _follow(stub: personalize_pb2_grpc.PersonalizeStub, arn: str, poll: float, out: TextIO) -> int:
    interactive = out.isatty()
    last = ""
    while True:
        response = stub.DescribeDatasetImportJob(
            pb.DescribeDatasetImportJobRequest(dataset_import_job_arn=arn), timeout=60
        )
        job = message_to_aws(response).get("datasetImportJob", {})
        line = progress_line(job)
        if line != last:
            print(f"\r{line}" if interactive else line, end="" if interactive else "\n", file=out)
            out.flush()
            last = line
        if job.get("status") in FINISHED:
            if interactive:
                print(file=out)
            if job["status"] == "ACTIVE":
                return 0
            print(f"import failed: {job.get('failureReason', 'no reason given')}", file=out)
            return 1
        time.sleep(poll)
