"""Dataset import jobs end to end: CSV files in, through a real gRPC server and its trainer
worker, into Parquet segments read back with ``read_dataset`` (SQLite, and PostgreSQL when set).
"""

from __future__ import annotations

import json

import boto3
import grpc

from cli.up import start_tailor
from storage.data import open_segment_store
from storage.metadata.store import open_metadata_store
from tailor_api.v1 import personalize_pb2_grpc
from tests.conftest import tailor_settings
from tests.control_plane.aws_calls import call, expect_error
from tests.trainer.import_fixtures import (
    HEADER,
    ITEMS_SCHEMA,
    T0,
    interaction_lines,
    make_datasets,
    run_import,
    write,
)
from trainer.dataset_reader import read_dataset

# --- happy paths ----------------------------------------------------------------------------------


def test_interactions_import_converts_every_column_and_reports_progress(
    personalize, data, tmp_path
):
    dataset = make_datasets(personalize)["Interactions"]
    # Any column order, any letter case in the header.
    lines = interaction_lines(1200, header=HEADER.lower())
    lines = [",".join(reversed(line.split(","))) for line in lines]
    job = run_import(personalize, dataset, write(tmp_path / "in.csv", lines), "first")
    assert job["status"] == "ACTIVE", job.get("failureReason")
    assert job["tailorRecordsImported"] == 1200
    assert job["tailorProgress"] == 1.0
    assert "failureReason" not in job
    listed = call(personalize, "ListDatasetImportJobs", datasetArn=dataset)["datasetImportJobs"]
    assert [(j["jobName"], j["status"], j["tailorRecordsImported"]) for j in listed] == [
        ("first", "ACTIVE", 1200)
    ]
    rows = data.read(dataset)
    assert len(rows) == 1200
    assert rows[0] == {
        "USER_ID": "u0",
        "ITEM_ID": "i0",
        "TIMESTAMP": T0,
        "EVENT_TYPE": "click",
        "EVENT_VALUE": None,
        "IMPRESSION": "i0|i1",
        "EVENT_ID": "e0",
    }
    assert rows[1]["EVENT_VALUE"] == 1.5 and rows[1]["IMPRESSION"] is None
    assert [s.row_count for s in data.store.segments.visible_segments(dataset)] == [1200]
    assert data.files() == ["shop/INTERACTIONS/first-0.parquet"]


def test_items_and_users_imports(personalize, data, tmp_path):
    arns = make_datasets(personalize)
    items = write(
        tmp_path / "items.csv",
        [
            "ITEM_ID,GENRES,PRICE,IN_STOCK,DESCRIPTION,CREATION_TIMESTAMP",
            'i1,Comedy|Drama,9.99,true,"<p>A <b>fine</b>&amp; funny\n film</p>",1600000000',
            "i2,Horror,,,,1600000001",
            'i3,Drama,-0.5,false,"said \\"hi\\"",1600000002',
        ],
    )
    job = run_import(personalize, arns["Items"], items, "items")
    assert (job["status"], job["tailorRecordsImported"]) == ("ACTIVE", 3), job
    assert data.read(arns["Items"]) == [
        {
            "ITEM_ID": "i1",
            "GENRES": "Comedy|Drama",
            "PRICE": 9.99,
            "IN_STOCK": True,
            "DESCRIPTION": "A fine funny film",
            "CREATION_TIMESTAMP": 1600000000,
        },
        {
            "ITEM_ID": "i2",
            "GENRES": "Horror",
            "PRICE": None,
            "IN_STOCK": None,
            "DESCRIPTION": None,
            "CREATION_TIMESTAMP": 1600000001,
        },
        {
            "ITEM_ID": "i3",
            "GENRES": "Drama",
            "PRICE": -0.5,
            "IN_STOCK": False,
            "DESCRIPTION": 'said "hi"',
            "CREATION_TIMESTAMP": 1600000002,
        },
    ]
    # No textual field: plain RFC 4180 quoting (a quote is doubled, a backslash is a character).
    users = write(tmp_path / "users.csv", ["USER_ID,AGE", "u1,31", "u2,-4", '"u""3\\",7'])
    job = run_import(personalize, arns["Users"], users, "users")
    assert job["status"] == "ACTIVE", job.get("failureReason")
    assert data.read(arns["Users"]) == [
        {"USER_ID": "u1", "AGE": 31},
        {"USER_ID": "u2", "AGE": -4},
        {"USER_ID": 'u"3\\', "AGE": 7},
    ]


def test_folder_import_reads_every_csv_file_in_name_order(personalize, data, tmp_path):
    dataset = make_datasets(personalize)["Interactions"]
    folder = tmp_path / "drop"
    write(folder / "part-2.csv", interaction_lines(700, start=700))
    write(folder / "part-1.csv", interaction_lines(700))
    write(folder / "notes.txt", ["not data"])
    job = run_import(personalize, dataset, f"file://{folder}/", "folder")
    assert (job["status"], job["tailorRecordsImported"]) == ("ACTIVE", 1400), job
    assert [row["EVENT_ID"] for row in data.read(dataset)] == [f"e{i}" for i in range(1400)]


def test_full_replaces_and_incremental_appends(personalize, data, tmp_path):
    dataset = make_datasets(personalize)["Interactions"]
    expect_error(
        personalize,
        "CreateDatasetImportJob",
        "InvalidInputException",
        grpc.StatusCode.INVALID_ARGUMENT,
        jobName="too-soon",
        datasetArn=dataset,
        dataSource={"dataLocation": f"file://{tmp_path}/x.csv"},
        importMode="INCREMENTAL",
    )
    first = write(tmp_path / "a.csv", interaction_lines(1000))
    assert run_import(personalize, dataset, first, "a")["status"] == "ACTIVE"
    more = write(tmp_path / "b.csv", interaction_lines(1000, start=1000))
    job = run_import(personalize, dataset, more, "b", mode="INCREMENTAL")
    assert (job["status"], job["importMode"]) == ("ACTIVE", "INCREMENTAL")
    assert [r["EVENT_ID"] for r in data.read(dataset)] == [f"e{i}" for i in range(2000)]
    replacement = write(tmp_path / "c.csv", interaction_lines(1000, start=5000))
    assert run_import(personalize, dataset, replacement, "c")["status"] == "ACTIVE"
    assert [r["EVENT_ID"] for r in data.read(dataset)] == [f"e{i}" for i in range(5000, 6000)]
    visible = data.store.segments.visible_segments(dataset)
    assert [s.import_job_arn.rsplit("/", 1)[-1] for s in visible] == ["c"]


def test_items_are_upserted_by_id_on_read_back(personalize, data, tmp_path):
    dataset = make_datasets(personalize)["Items"]
    header = "ITEM_ID,GENRES,CREATION_TIMESTAMP"  # PRICE, IN_STOCK, DESCRIPTION are nullable
    first = write(tmp_path / "1.csv", [header, "i1,A,1", "i2,B,2", "i3,C,3", "i2,B2,4"])
    assert run_import(personalize, dataset, first, "one")["status"] == "ACTIVE"
    assert [(r["ITEM_ID"], r["GENRES"]) for r in data.read(dataset)] == [
        ("i1", "A"),
        ("i3", "C"),
        ("i2", "B2"),  # the later row of the same file wins
    ]
    update = write(tmp_path / "2.csv", [header, "i3,C-new,5", "i4,D,6"])
    job = run_import(personalize, dataset, update, "two", mode="INCREMENTAL")
    assert job["status"] == "ACTIVE", job.get("failureReason")
    assert [(r["ITEM_ID"], r["GENRES"]) for r in data.read(dataset)] == [
        ("i1", "A"),
        ("i2", "B2"),
        ("i3", "C-new"),
        ("i4", "D"),
    ]


def test_interactions_are_deduplicated_on_read_back(personalize, data, tmp_path):
    dataset = make_datasets(personalize)["Interactions"]
    lines = interaction_lines(1000)
    lines.append(lines[5])  # the same event twice: counted once
    lines.append(lines[6].replace(",click,", ",purchase,"))  # repeats event id e5: dropped
    lines.append("u1,i1,1,click,,,")  # no event id: kept
    lines.append("u1,i1,1,click,,,")  # identical to the one before: dropped
    lines.append("u1,i1,1,click,2.5,,")  # differs in EVENT_VALUE: kept
    job = run_import(personalize, dataset, write(tmp_path / "d.csv", lines), "dups")
    assert (job["status"], job["tailorRecordsImported"]) == ("ACTIVE", 1005), job
    rows = data.read(dataset)
    assert len(rows) == 1002
    assert [r["EVENT_ID"] for r in rows[:1000]] == [f"e{i}" for i in range(1000)]
    assert [(r["EVENT_ID"], r["EVENT_VALUE"]) for r in rows[1000:]] == [(None, None), (None, 2.5)]


def test_s3_input_and_s3_data_location(s3_endpoint, tmp_path):
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1")
    client.create_bucket(Bucket="tailor")
    body = "\n".join(interaction_lines(1100)) + "\n"
    client.put_object(Bucket="tailor", Key="in/events.csv", Body=body.encode())
    settings = tailor_settings(
        tmp_path / "home", data_url="s3://tailor/segments", s3_endpoint_url=s3_endpoint
    )
    server = start_tailor(settings)
    try:
        with grpc.insecure_channel(f"127.0.0.1:{server.port}") as channel:
            stub = personalize_pb2_grpc.PersonalizeStub(channel)
            dataset = make_datasets(stub)["Interactions"]
            job = run_import(stub, dataset, "s3://tailor/in/", "from-s3")
            assert (job["status"], job["tailorRecordsImported"]) == ("ACTIVE", 1100), job
            missing = run_import(stub, dataset, "s3://tailor/in/none.csv", "missing")
            assert missing["status"] == "CREATE FAILED"
            assert "s3://tailor/in/none.csv does not exist" in missing["failureReason"]
    finally:
        server.stop(grace=1)
    keys = [o["Key"] for o in client.list_objects_v2(Bucket="tailor")["Contents"]]
    assert "segments/shop/INTERACTIONS/from-s3-0.parquet" in keys
    store = open_metadata_store(settings.metadata_url, migrate=False)
    try:
        table = read_dataset(
            store, open_segment_store(settings.data_location, s3_endpoint), dataset
        )
        assert table.num_rows == 1100
        assert table.column("EVENT_ID").to_pylist()[-1] == "e1099"
    finally:
        store.close()


def test_a_field_added_by_update_dataset_is_null_in_older_segments(personalize, data, tmp_path):
    arns = make_datasets(personalize)
    header = "ITEM_ID,GENRES,CREATION_TIMESTAMP"
    old = write(tmp_path / "old.csv", [header, "i1,A,1", "i2,B,2"])
    assert run_import(personalize, arns["Items"], old, "old")["status"] == "ACTIVE"
    wider = json.loads(ITEMS_SCHEMA)
    wider["fields"].append({"name": "BRAND", "type": ["null", "string"], "categorical": True})
    schema = call(personalize, "CreateSchema", name="items-v2", schema=json.dumps(wider))
    call(personalize, "UpdateDataset", datasetArn=arns["Items"], schemaArn=schema["schemaArn"])
    new = write(tmp_path / "new.csv", [f"{header},BRAND", "i2,B,3,acme", "i3,C,4,"])
    job = run_import(personalize, arns["Items"], new, "new", mode="INCREMENTAL")
    assert job["status"] == "ACTIVE", job.get("failureReason")
    rows = data.read(arns["Items"])
    assert [(r["ITEM_ID"], r["CREATION_TIMESTAMP"], r["BRAND"]) for r in rows] == [
        ("i1", 1, None),
        ("i2", 3, "acme"),
        ("i3", 4, None),
    ]
