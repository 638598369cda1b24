"""Proto responses rendered the way AWS sends them."""

from __future__ import annotations

from servicekit.aws_json import message_to_aws
from tailor_api.v1 import personalize_pb2 as pb


def test_int64_members_are_json_numbers_at_any_depth():
    job = pb.DatasetImportJob(job_name="j", tailor_records_imported=1200, tailor_progress=0.5)
    described = message_to_aws(pb.DescribeDatasetImportJobResponse(dataset_import_job=job))
    assert described["datasetImportJob"] == {
        "jobName": "j",
        "tailorRecordsImported": 1200,
        "tailorProgress": 0.5,
    }
    summary = pb.DatasetImportJobSummary(job_name="j", tailor_records_imported=2**40)
    listed = message_to_aws(pb.ListDatasetImportJobsResponse(dataset_import_jobs=[summary]))
    assert listed["datasetImportJobs"] == [{"jobName": "j", "tailorRecordsImported": 2**40}]


def test_absent_members_are_omitted_and_top_level_lists_present():
    assert message_to_aws(pb.ListDatasetImportJobsResponse()) == {"datasetImportJobs": []}
    assert message_to_aws(pb.DescribeDatasetImportJobResponse()) == {}
