"""Dataset import jobs that fail: the reason names the problems, and nothing changes."""

from __future__ import annotations

import grpc
import pytest

from control_plane import data_jobs, dataset_groups, datasets, schemas
from control_plane.context import ControlPlane
from domain.arns import ArnFactory
from domain.errors import ResourceInUseException
from storage.data import open_segment_store
from storage.metadata.store import open_metadata_store
from tests.control_plane.aws_calls import call, expect_error
from tests.trainer.import_fixtures import (
    HEADER,
    INTERACTIONS_SCHEMA,
    interaction_lines,
    make_datasets,
    run_import,
    write,
)
from trainer.dataset_import import DatasetImportHandler


def make_datasets_on(cp: ControlPlane) -> str:
    """An Interactions dataset made with the module functions (no server); its ARN."""
    group = dataset_groups.create_dataset_group(cp, {"name": "direct"})["datasetGroupArn"]
    schema = schemas.create_schema(cp, {"name": "direct", "schema": INTERACTIONS_SCHEMA})
    return datasets.create_dataset(
        cp,
        {
            "name": "direct",
            "schemaArn": schema["schemaArn"],
            "datasetGroupArn": group,
            "datasetType": "Interactions",
        },
    )["datasetArn"]


def test_bad_values_are_named_by_file_row_column_and_value_and_counted(personalize, tmp_path):
    dataset = make_datasets(personalize)["Interactions"]
    lines = interaction_lines(1500)
    lines[3] = lines[3].replace(",click,", ",,")  # row 3: empty EVENT_TYPE
    lines[7] = "u1,i1,yesterday,click,1.5,,e7"  # row 7: not an integer
    lines[9] = "u1,i1,17,click,lots,,e9"  # row 9: not a number
    lines[12] = f"{'u' * 300},i1,17,click,1,,e12"  # row 12: id too long
    lines[40] = "u1,i1,1.7e9,click,1,,e40"  # row 40: not an integer
    lines[41] = "u1,i1,99999999999999999999,click,1,,e41"  # row 41: out of range
    lines[1500] = "u1,i1,-,click,1,,e1500"  # last row
    job = run_import(personalize, dataset, write(tmp_path / "bad.csv", lines), "bad")
    assert job["status"] == "CREATE FAILED"
    reason = job["failureReason"]
    url = f"file://{tmp_path}/bad.csv"
    assert reason.startswith("7 problems in the import data (rows numbered from 1 after the header")
    assert f"{url} row 3, column EVENT_TYPE: the cell is empty, but field EVENT_TYPE" in reason
    assert f"{url} row 7, column TIMESTAMP: 'yesterday' is not an integer" in reason
    assert f"{url} row 9, column EVENT_VALUE: 'lots' is not a decimal number" in reason
    assert f"{url} row 12, column USER_ID: 'uuuu" in reason
    assert "is longer than 256 characters" in reason
    assert f"{url} row 40, column TIMESTAMP: '1.7e9' is not an integer" in reason
    assert "row 41" not in reason and "row 1500" not in reason
    assert reason.endswith("; and 2 more")
    assert reason.index("row 3,") < reason.index("row 7,") < reason.index("row 40,")
    assert job["tailorRecordsImported"] == 0


def test_a_failed_import_leaves_the_dataset_exactly_as_it_was(personalize, data, tmp_path):
    dataset = make_datasets(personalize)["Interactions"]
    good = write(tmp_path / "good.csv", interaction_lines(1000))
    assert run_import(personalize, dataset, good, "good")["status"] == "ACTIVE"
    before = (data.read(dataset), data.store.segments.visible_segments(dataset), data.files())
    # Bad in the last of several 4 MiB blocks: the first ones were already streamed to a
    # segment file, which must go.
    lines = interaction_lines(250_000, start=1000)
    lines[-1] = "u1,i1,oops,click,,,"
    for name, mode in (("full", "FULL"), ("incremental", "INCREMENTAL")):
        job = run_import(personalize, dataset, write(tmp_path / f"{name}.csv", lines), name, mode)
        assert job["status"] == "CREATE FAILED"
        assert job["failureReason"] == (
            "1 problem in the import data (rows numbered from 1 after the header): "
            f"file://{tmp_path}/{name}.csv row 250000, column TIMESTAMP: 'oops' is not an integer"
        )
    after = (data.read(dataset), data.store.segments.visible_segments(dataset), data.files())
    assert after == before
    assert data.files() == ["shop/INTERACTIONS/good-0.parquet"]


def test_header_must_be_the_schemas_fields(personalize, tmp_path):
    dataset = make_datasets(personalize)["Interactions"]
    body = interaction_lines(1000)[1:]
    cases = {
        "unknown": (
            [f"{HEADER},COLOR"],
            "the header has columns the schema does not: COLOR",
        ),
        "missing": (
            ["USER_ID,ITEM_ID,EVENT_TYPE,EVENT_VALUE,IMPRESSION,EVENT_ID"],
            "the header lacks required columns TIMESTAMP",
        ),
        "repeated": (
            [HEADER.replace("EVENT_ID", "USER_ID")],
            "the header repeats USER_ID",
        ),
    }
    for name, (header, expected) in cases.items():
        job = run_import(personalize, dataset, write(tmp_path / f"{name}.csv", header + body), name)
        assert job["status"] == "CREATE FAILED", name
        assert job["failureReason"].startswith(f"file://{tmp_path}/{name}.csv: {expected}"), job
        assert "expected the schema's fields USER_ID, ITEM_ID, TIMESTAMP" in job["failureReason"]
    # Nullable fields may be left out: they are null.
    lines = ["USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE"] + [
        f"u{i % 9},i{i % 13},{i},view" for i in range(1000)
    ]
    job = run_import(personalize, dataset, write(tmp_path / "short.csv", lines), "short")
    assert job["status"] == "ACTIVE", job.get("failureReason")


def test_interactions_imports_need_1000_records(personalize, tmp_path):
    dataset = make_datasets(personalize)["Interactions"]
    few = write(tmp_path / "few.csv", interaction_lines(999))
    job = run_import(personalize, dataset, few, "few")
    assert job["status"] == "CREATE FAILED"
    assert job["failureReason"] == (
        "the import holds 999 interaction records; each Interactions import needs at least 1000"
    )
    # Only a completed import allows INCREMENTAL.
    message = expect_error(
        personalize,
        "CreateDatasetImportJob",
        "InvalidInputException",
        grpc.StatusCode.INVALID_ARGUMENT,
        jobName="more",
        datasetArn=dataset,
        dataSource={"dataLocation": write(tmp_path / "more.csv", interaction_lines(1000))},
        importMode="INCREMENTAL",
    )
    assert "the first import must be FULL" in message


def test_rows_with_a_wrong_cell_count_are_numbered_exactly(personalize, tmp_path):
    dataset = make_datasets(personalize)["Interactions"]
    folder = tmp_path / "parts"
    first = interaction_lines(1000)
    first[500] = "u1,i1,17"  # row 500: 3 cells
    first[700] = "u1,i1,17,click,1,,e700,extra"  # row 700: 8 cells
    first[900] = "u1,i1,late,click,1,,e900"  # row 900: numbered after the skipped rows
    write(folder / "a.csv", first)
    second = interaction_lines(10)
    second[2] = "u1,i1,x,click,,,"
    write(folder / "b.csv", second)
    job = run_import(personalize, dataset, f"file://{folder}/", "ragged")
    assert job["status"] == "CREATE FAILED"
    reason = job["failureReason"]
    assert reason.startswith("4 problems")
    assert f"file://{folder}/a.csv row 500: 3 values where the header has 7 ('u1,i1,17')" in reason
    assert f"file://{folder}/a.csv row 700: 8 values where the header has 7" in reason
    assert f"file://{folder}/a.csv row 900, column TIMESTAMP: 'late' is not an integer" in reason
    assert f"file://{folder}/b.csv row 2, column TIMESTAMP: 'x' is not an integer" in reason


def test_missing_or_unreadable_input_fails_with_the_location(personalize, tmp_path):
    arns = make_datasets(personalize)
    job = run_import(personalize, arns["Items"], f"file://{tmp_path}/none.csv", "none")
    assert job["status"] == "CREATE FAILED"
    assert job["failureReason"] == (
        f"dataSource.dataLocation: file://{tmp_path}/none.csv does not exist"
    )
    job = run_import(personalize, arns["Items"], "https://example.com/items.csv", "web")
    assert "URL scheme 'https' is not supported" in job["failureReason"]
    (tmp_path / "empty").mkdir()
    job = run_import(personalize, arns["Users"], f"file://{tmp_path}/empty/", "empty")
    assert job["failureReason"].endswith("empty/ holds no .csv files")
    listed = call(personalize, "ListDatasetImportJobs")["datasetImportJobs"]
    assert {j["status"] for j in listed} == {"CREATE FAILED"}


def test_an_import_whose_job_is_no_longer_running_writes_nothing(metadata_url, tmp_path):
    store = open_metadata_store(metadata_url)
    cp = ControlPlane(store=store, arns=ArnFactory("us-east-1", "000000000000"))
    dataset = make_datasets_on(cp)
    source = write(tmp_path / "in.csv", interaction_lines(1000))
    job_arn = data_jobs.create_dataset_import_job(
        cp, {"jobName": "late", "datasetArn": dataset, "dataSource": {"dataLocation": source}}
    )["datasetImportJobArn"]
    job = store.claim_job("test-worker")
    segments = open_segment_store(str(tmp_path / "data"))
    with pytest.raises(ResourceInUseException, match="CREATE PENDING"):
        DatasetImportHandler(segments)(job, store)  # the worker never set it CREATE IN_PROGRESS
    assert store.segments.visible_segments(dataset) == []
    assert not (tmp_path / "data").exists() or not list((tmp_path / "data").rglob("*.*"))
    store.update_resource(job_arn, status="CREATE IN_PROGRESS")
    DatasetImportHandler(segments)(job, store)
    assert store.get_resource(job_arn).status == "ACTIVE"
    assert [s.row_count for s in store.segments.visible_segments(dataset)] == [1000]
    store.close()
