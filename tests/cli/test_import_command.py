"""`tailor import` against a real server: one command, and --wait follows the job to the end."""

from __future__ import annotations

import io

from cli.import_command import data_location, progress_line, run_import
from tests.control_plane.aws_calls import call
from tests.control_plane.fixtures_data import make_group_with_datasets


def _write_interactions(path, rows: int, bad_row: int | None = None) -> None:
    lines = ["USER_ID,ITEM_ID,EVENT_TYPE,TIMESTAMP"]
    for index in range(rows):
        timestamp = "yesterday" if index == bad_row else str(1_700_000_000 + index)
        lines.append(f"u{index % 60},i{index % 97},click,{timestamp}")
    path.write_text("\n".join(lines) + "\n")


def test_import_waits_until_active(tailor, personalize, tmp_path):
    dataset = make_group_with_datasets(personalize)["InteractionsDatasetArn"]
    source = tmp_path / "events.csv"
    _write_interactions(source, 1200)
    out, err = io.StringIO(), io.StringIO()
    code = run_import(
        [str(source), "--dataset-arn", dataset, "--wait", "--poll-seconds", "0.05"],
        endpoint=f"127.0.0.1:{tailor.port}",
        stdout=out,
        stderr=err,
    )
    assert code == 0, err.getvalue()
    job_arn = out.getvalue().strip()
    assert ":dataset-import-job/import-" in job_arn
    assert err.getvalue().splitlines()[-1].endswith("ACTIVE 1,200 records")
    job = call(personalize, "DescribeDatasetImportJob", datasetImportJobArn=job_arn)
    assert job["datasetImportJob"]["dataSource"]["dataLocation"] == f"file://{source}"


def test_import_wait_reports_the_failure_reason(tailor, personalize, tmp_path):
    dataset = make_group_with_datasets(personalize)["InteractionsDatasetArn"]
    source = tmp_path / "events.csv"
    _write_interactions(source, 1200, bad_row=7)
    out, err = io.StringIO(), io.StringIO()
    code = run_import(
        [str(source), "--dataset-arn", dataset, "--wait", "--poll-seconds", "0.05"],
        endpoint=f"127.0.0.1:{tailor.port}",
        stdout=out,
        stderr=err,
    )
    assert code == 1
    assert "import failed" in err.getvalue() and "yesterday" in err.getvalue()


def test_import_refused_by_server_exits_254(tailor, tmp_path):
    out, err = io.StringIO(), io.StringIO()
    code = run_import(
        [
            str(tmp_path),
            "--dataset-arn",
            "arn:aws:personalize:us-east-1:000000000000:dataset/x/ITEMS",
        ],
        endpoint=f"127.0.0.1:{tailor.port}",
        stdout=out,
        stderr=err,
    )
    assert code == 254
    assert "ResourceNotFoundException" in err.getvalue()


def test_data_location_and_progress_line(tmp_path):
    assert data_location("s3://bucket/prefix/") == "s3://bucket/prefix/"
    assert data_location(str(tmp_path)) == f"file://{tmp_path.resolve()}/"
    assert data_location(str(tmp_path / "a.csv")) == f"file://{tmp_path.resolve()}/a.csv"
    line = progress_line({"status": "CREATE IN_PROGRESS", "tailorProgress": 0.5})
    assert line.startswith("[" + "#" * 15 + "." * 15 + "]  50.0% CREATE IN_PROGRESS")
    assert progress_line({"status": "ACTIVE", "tailorRecordsImported": 1200}).endswith(
        "100.0% ACTIVE 1,200 records"
    )
    assert progress_line({"status": "CREATE PENDING"}) == "CREATE PENDING"
