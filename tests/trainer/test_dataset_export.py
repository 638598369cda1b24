"""Dataset export jobs end to end: data imported and streamed through a real gRPC server, exported
by its trainer worker into ``part-*.csv`` files (local folders and a moto S3 server), read back as
CSV and re-imported (SQLite, and PostgreSQL when set).

Until ``trainer/handlers.py`` registers the export handler, the test servers' workers get it here,
built the way the composition root would.
"""

from __future__ import annotations

import csv
import json
import time
from pathlib import Path

import boto3
import grpc
import pytest

import cli.up
from cli.up import start_tailor
from servicekit.settings import Settings
from storage.data import open_segment_store
from storage.metadata.store import SqlMetadataStore
from tailor_api.v1 import personalize_pb2_grpc
from tests.conftest import tailor_settings
from tests.control_plane.aws_calls import call, expect_error
from tests.events_service.events_calls import call_events
from tests.trainer.import_fixtures import (
    HEADER,
    T0,
    interaction_lines,
    make_datasets,
    run_import,
    write,
)
from trainer.dataset_export import DatasetExportHandler
from trainer.handlers import job_handlers
from trainer.worker import JobHandler

ROLE = "arn:aws:iam::000000000000:role/personalize"
DONE = {"ACTIVE", "CREATE FAILED"}
ITEMS_HEADER = "ITEM_ID,GENRES,PRICE,IN_STOCK,DESCRIPTION,CREATION_TIMESTAMP"
#: Small, so that the tests' exports span several files.
ROWS_PER_FILE = 700


def export_job_handlers(settings: Settings, store: SqlMetadataStore) -> dict[str, JobHandler]:
    """``trainer.handlers.job_handlers`` with exports split into files of ``ROWS_PER_FILE``."""
    handlers = job_handlers(settings, store)
    segments = open_segment_store(settings.data_location, settings.s3_endpoint_url)
    handlers["dataset-export"] = DatasetExportHandler(
        segments, s3_endpoint_url=settings.s3_endpoint_url, rows_per_file=ROWS_PER_FILE
    )
    return handlers


@pytest.fixture(autouse=True)
def _export_handler(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli.up, "job_handlers", export_job_handlers)  # before the server starts


def run_export(stub, dataset: str, path: str, name: str, mode: str | None = None) -> dict:
    """Create an export job and wait (30 s at most) until it is ACTIVE or CREATE FAILED."""
    request = {"jobOutput": {"s3DataDestination": {"path": path}}}
    if mode:
        request["ingestionMode"] = mode
    arn = call(
        stub, "CreateDatasetExportJob", jobName=name, datasetArn=dataset, roleArn=ROLE, **request
    )["datasetExportJobArn"]
    deadline = time.monotonic() + 30
    while True:
        job = call(stub, "DescribeDatasetExportJob", datasetExportJobArn=arn)["datasetExportJob"]
        if job["status"] in DONE:
            return job
        assert time.monotonic() < deadline, f"{name} still {job['status']}"
        time.sleep(0.05)


def exported(folder: Path) -> tuple[list[str], str, list[list[str]]]:
    """The part files of an export folder, their (common) header line, and all data rows."""
    names = sorted(p.name for p in folder.iterdir())
    headers, rows = set(), []
    for name in names:
        text = (folder / name).read_text()
        headers.add(text.split("\n", 1)[0])
        rows.extend(list(csv.reader(text.splitlines()))[1:])
    assert len(headers) == 1, headers
    return names, headers.pop(), rows


def ok(job: dict) -> dict:
    assert job["status"] == "ACTIVE", job.get("failureReason")
    assert "failureReason" not in job
    return job


def group_of(stub, dataset: str) -> str:
    return call(stub, "DescribeDataset", datasetArn=dataset)["dataset"]["datasetGroupArn"]


def put_events(events, tracking: str, *event_lists: tuple[dict, list[dict]]) -> None:
    for who, event_list in event_lists:
        call_events(events, "PutEvents", trackingId=tracking, eventList=event_list, **who)


def click(item: str, second: int, **members) -> dict:
    return {"eventType": "click", "itemId": item, "sentAt": T0 + second, **members}


# --- interactions ---------------------------------------------------------------------------------


def test_bulk_export_writes_the_imported_rows_in_parts_with_the_schema_header(
    personalize, tmp_path
):
    dataset = make_datasets(personalize)["Interactions"]
    lines = interaction_lines(1200)
    ok(run_import(personalize, dataset, write(tmp_path / "in.csv", lines), "bulk-in"))
    out = tmp_path / "out"
    job = ok(run_export(personalize, dataset, f"file://{out}/", "dump", mode="BULK"))
    assert (job["ingestionMode"], job["jobOutput"]) == (
        "BULK",
        {"s3DataDestination": {"path": f"file://{out}/"}},
    )
    names, header, rows = exported(out)
    assert names == ["part-00000.csv", "part-00001.csv"]
    assert header == HEADER  # the schema's names, in its order, not quoted
    assert rows == [line.split(",") for line in lines[1:]]
    assert (out / "part-00001.csv").read_text().count("\n") == 1 + 1200 - ROWS_PER_FILE


def test_put_export_holds_the_streamed_events_as_training_reads_them(personalize, events, tmp_path):
    dataset = make_datasets(personalize)["Interactions"]
    ok(run_import(personalize, dataset, write(tmp_path / "in.csv", interaction_lines(1000)), "b"))
    tracker = call(
        personalize, "CreateEventTracker", name="t", datasetGroupArn=group_of(personalize, dataset)
    )["trackingId"]
    put_events(
        events,
        tracker,
        ({"userId": "live", "sessionId": "s1"}, [click("n1", 1, eventId="x1", eventValue=2.5)]),
        ({"userId": "live", "sessionId": "s1"}, [click("n2", 2, eventId="x2")]),
        ({"userId": "live", "sessionId": "s1"}, [click("again", 3, eventId="x1")]),  # repeat id
        ({"sessionId": "anon"}, [click("n3", 4, eventId="x3", impression=["n3", "n4"])]),
    )
    out = tmp_path / "put"
    assert ok(run_export(personalize, dataset, f"file://{out}", "put"))["ingestionMode"] == "PUT"
    names, header, rows = exported(out)
    assert (names, header) == (["part-00000.csv"], HEADER)
    assert rows == [
        ["live", "n1", str(T0 + 1), "click", "2.5", "", "x1"],
        ["live", "n2", str(T0 + 2), "click", "", "", "x2"],
        ["anon", "n3", str(T0 + 4), "click", "", "n3|n4", "x3"],
    ]


def test_all_export_is_bulk_then_streamed_with_event_ids_counted_once(
    personalize, events, tmp_path
):
    dataset = make_datasets(personalize)["Interactions"]
    lines = interaction_lines(1000)
    ok(run_import(personalize, dataset, write(tmp_path / "in.csv", lines), "b"))
    tracker = call(
        personalize, "CreateEventTracker", name="t", datasetGroupArn=group_of(personalize, dataset)
    )["trackingId"]
    put_events(
        events,
        tracker,
        ({"userId": "live", "sessionId": "s"}, [click("dup", 1, eventId="e5")]),  # imported id
        ({"userId": "live", "sessionId": "s"}, [click("new", 2, eventId="y1")]),
    )
    out = tmp_path / "all"
    ok(run_export(personalize, dataset, f"file://{out}", "all", mode="ALL"))
    names, _, rows = exported(out)
    assert names == ["part-00000.csv", "part-00001.csv"]
    assert rows == [line.split(",") for line in lines[1:]] + [
        ["live", "new", str(T0 + 2), "click", "", "", "y1"]
    ]


# --- items and users ------------------------------------------------------------------------------


def test_items_exports_bulk_keeps_same_id_rows_put_and_all_upsert(personalize, events, tmp_path):
    items = make_datasets(personalize)["Items"]
    first = [ITEMS_HEADER, "i1,A|B,1.5,true,,10", "i2,A,,,,20"]
    ok(run_import(personalize, items, write(tmp_path / "1.csv", first), "first"))
    # i2 changes; i1 is repeated exactly.
    second = [ITEMS_HEADER, "i2,C,2.25,false,,21", "i1,A|B,1.5,true,,10"]
    ok(run_import(personalize, items, write(tmp_path / "2.csv", second), "second", "INCREMENTAL"))
    put = [
        {"itemId": "i1", "properties": json.dumps({"genres": "Z", "creationTimestamp": 11})},
        {"itemId": "i9", "properties": json.dumps({"genres": "N", "creationTimestamp": 90})},
    ]
    call_events(events, "PutItems", datasetArn=items, items=put)

    def export(mode: str) -> list[list[str]]:
        _, header, rows = exported(tmp_path / mode)
        assert header == ITEMS_HEADER
        return rows

    for mode in ("BULK", "PUT", "ALL"):
        ok(run_export(personalize, items, f"file://{tmp_path}/{mode}", mode.lower(), mode=mode))
    assert export("BULK") == [
        ["i1", "A|B", "1.5", "true", "", "10"],
        ["i2", "A", "", "", "", "20"],
        ["i2", "C", "2.25", "false", "", "21"],
    ]
    assert export("PUT") == [["i1", "Z", "", "", "", "11"], ["i9", "N", "", "", "", "90"]]
    assert export("ALL") == [
        ["i2", "C", "2.25", "false", "", "21"],
        ["i1", "Z", "", "", "", "11"],
        ["i9", "N", "", "", "", "90"],
    ]


def test_exports_reimport_into_a_new_dataset_group_as_the_same_rows(personalize, data, tmp_path):
    old = make_datasets(personalize, "old")
    items = [
        ITEMS_HEADER,
        'i1,Comedy|Drama,9.99,true,"<p>A <b>fine</b> film</p>",1600000000',
        'i2,Drama,-0.5,false,"said \\"hi\\", c:\\\\dir ""x""",1600000002',
        "i3,Horror,,,,1600000003",
    ]
    users = ["USER_ID,AGE", "u1,31", '"u""3\\",7', '"u,4",-1']
    sources = {
        "Interactions": interaction_lines(1000),
        "Items": items,
        "Users": users,
    }
    for kind, lines in sources.items():
        ok(run_import(personalize, old[kind], write(tmp_path / f"{kind}.csv", lines), kind))
    new = make_datasets(personalize, "new")
    for kind in sources:
        out = tmp_path / "export" / kind
        ok(run_export(personalize, old[kind], f"file://{out}", f"x-{kind}", mode="ALL"))
        ok(run_import(personalize, new[kind], f"file://{out}/", f"re-{kind}"))
        assert data.read(new[kind]) == data.read(old[kind]), kind
    assert data.read(new["Items"])[1]["DESCRIPTION"] == 'said "hi", c:\\dir "x"'
    assert data.read(new["Users"])[1]["USER_ID"] == 'u"3\\'


def test_an_empty_export_writes_one_file_with_the_header(personalize, tmp_path):
    users = make_datasets(personalize)["Users"]
    out = tmp_path / "empty"
    ok(run_export(personalize, users, f"file://{out}", "empty"))
    assert (out / "part-00000.csv").read_text() == "USER_ID,AGE\n"


# --- failures -------------------------------------------------------------------------------------


def test_an_unusable_output_path_fails_the_job_naming_it(personalize, tmp_path):
    users = make_datasets(personalize)["Users"]
    (tmp_path / "a-file").write_text("not a folder")
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "part-00000.csv").write_text("USER_ID,AGE\nkeep,1\n")
    cases = {
        "https://host/out/": "URL scheme 'https' is not supported",
        f"file://{tmp_path}/a-file/below": "cannot write",
        f"file://{tmp_path}/a-file": "is a file",
        f"file://{taken}/": "already holds part-00000.csv",
    }
    for number, (path, problem) in enumerate(cases.items()):
        job = run_export(personalize, users, path, f"bad-{number}", mode="ALL")
        assert job["status"] == "CREATE FAILED", path
        reason = job["failureReason"]
        assert reason.startswith("jobOutput.s3DataDestination.path: "), reason
        assert problem in reason and path.removeprefix("file://").rstrip("/") in reason, reason
    assert (taken / "part-00000.csv").read_text() == "USER_ID,AGE\nkeep,1\n"
    assert list(tmp_path.rglob("part-*.csv")) == [taken / "part-00000.csv"]


def test_action_datasets_cannot_be_exported(personalize):
    group = call(personalize, "CreateDatasetGroup", name="acts")["datasetGroupArn"]
    schema = json.dumps(
        {
            "type": "record",
            "name": "Actions",
            "fields": [
                {"name": "ACTION_ID", "type": "string"},
                {"name": "VALUE", "type": ["null", "long"]},
            ],
        }
    )
    schema_arn = call(personalize, "CreateSchema", name="acts", schema=schema)["schemaArn"]
    actions = call(
        personalize,
        "CreateDataset",
        name="acts",
        schemaArn=schema_arn,
        datasetGroupArn=group,
        datasetType="Actions",
    )["datasetArn"]
    message = expect_error(
        personalize,
        "CreateDatasetExportJob",
        "InvalidInputException",
        grpc.StatusCode.INVALID_ARGUMENT,
        jobName="acts",
        datasetArn=actions,
        roleArn=ROLE,
        jobOutput={"s3DataDestination": {"path": "file:///tmp/acts"}},
    )
    assert "ACTIONS dataset" in message


# --- S3 -------------------------------------------------------------------------------------------


def test_export_to_s3_and_a_missing_bucket(s3_endpoint, tmp_path):
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1")
    client.create_bucket(Bucket="exports")
    server = start_tailor(tailor_settings(tmp_path / "home", s3_endpoint_url=s3_endpoint))
    try:
        with grpc.insecure_channel(f"127.0.0.1:{server.port}") as channel:
            stub = personalize_pb2_grpc.PersonalizeStub(channel)
            dataset = make_datasets(stub)["Interactions"]
            lines = interaction_lines(1000)
            ok(run_import(stub, dataset, write(tmp_path / "in.csv", lines), "in"))
            ok(run_export(stub, dataset, "s3://exports/shop/interactions/", "s3", mode="BULK"))
            missing = run_export(stub, dataset, "s3://no-such-bucket/x/", "gone", mode="BULK")
            assert missing["status"] == "CREATE FAILED"
            assert "s3://no-such-bucket/x" in missing["failureReason"], missing
    finally:
        server.stop(grace=1)
    listed = client.list_objects_v2(Bucket="exports")["Contents"]
    keys = sorted(o["Key"] for o in listed)
    assert keys == [f"shop/interactions/part-0000{n}.csv" for n in (0, 1)]
    rows = []
    for key in keys:
        text = client.get_object(Bucket="exports", Key=key)["Body"].read().decode()
        assert text.startswith(HEADER + "\n")
        rows.extend(list(csv.reader(text.splitlines()))[1:])
    assert rows == [line.split(",") for line in lines[1:]]
