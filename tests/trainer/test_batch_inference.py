"""CreateBatchInferenceJob runs: through real gRPC, the server's worker and real directories.

The planted data (``test_solution_training``): four blocks of 30 users and 20 items, each user
interacting only with items of their own block; odd items of every block have genre ``odd``.
"""

from __future__ import annotations

import json
from pathlib import Path

import boto3
import grpc
import numpy as np
import pytest

from cli.up import start_tailor
from recipes.histories import histories_from_lists
from recipes.interactions import lookup_codes
from recipes.personalization import recommend
from storage.artifacts import open_artifact_store
from tailor_api.v1 import personalize_pb2_grpc
from tests.conftest import tailor_settings
from tests.control_plane.aws_calls import call
from tests.trainer.batch_fixtures import (
    job_paths,
    plant,
    read_json_lines,
    run_job,
    trained,
    write_json_lines,
)
from tests.trainer.test_solution_training import block_of
from trainer.solution_training import ARTIFACT_MEMBER


@pytest.fixture
def planted(personalize, tmp_path: Path) -> dict[str, str]:
    """A dataset group with the planted interactions and items."""
    return plant(personalize, tmp_path)


def test_user_personalization_job_answers_every_line_of_every_file(
    personalize, planted, data, tmp_path
):
    version = trained(personalize, planted["group"], "aws-user-personalization")
    folder = tmp_path / "in"
    write_json_lines(folder / "a.json", [{"userId": "b0-u1"}, {"userId": "b2-u3"}])
    write_json_lines(
        folder / "b.json",
        [
            {"userId": "stranger"},
            "",
            "not json",
            {"itemId": "b1-i1"},
            {"userId": 5},
            {"userId": "b3-u0", "note": "kept"},
        ],
    )
    job = run_job(
        personalize,
        "Inference",
        jobName="nightly",
        solutionVersionArn=version,
        numResults=5,
        **job_paths(f"file://{folder}/", f"file://{tmp_path}/out"),
    )
    assert job["status"] == "ACTIVE", job.get("failureReason")
    assert job["lastUpdatedDateTime"] >= job["creationDateTime"]
    document = data.store.get_resource(job["batchInferenceJobArn"]).document
    assert (document["tailorLinesProcessed"], document["tailorLineErrors"]) == (7, 3)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a.json.out", "b.json.out"]

    first = read_json_lines(tmp_path / "out" / "a.json.out")
    assert [line["input"] for line in first] == [{"userId": "b0-u1"}, {"userId": "b2-u3"}]
    for line, block in zip(first, ("b0", "b2"), strict=True):
        assert line["error"] is None
        items, scores = line["output"]["recommendedItems"], line["output"]["scores"]
        assert len(items) == len(scores) == 5
        assert {block_of(item) for item in items} == {block}
        assert scores == sorted(scores, reverse=True)

    second = read_json_lines(tmp_path / "out" / "b.json.out")
    assert len(second) == 5  # the blank line has no output line
    assert [line["error"] for line in second[1:4]] == [
        "b.json line 3: not a JSON object (Expecting value: line 1 column 1 (char 0))",
        "b.json line 4: userId is required for a aws-user-personalization solution version",
        "b.json line 5: userId must be a non-empty string, got 5",
    ]
    assert second[1]["input"] == "not json" and second[1]["output"] is None
    assert second[2]["input"] == {"itemId": "b1-i1"}
    assert second[4]["input"] == {"userId": "b3-u0", "note": "kept"}
    assert {block_of(item) for item in second[4]["output"]["recommendedItems"]} == {"b3"}

    # The same functions as GetRecommendations: an unknown user gets the popular order, a known
    # user the spec's softmax scores of ``recommend`` with exploration at the AWS default weight.
    uri = data.store.get_resource(version).document[ARTIFACT_MEMBER]
    artifact = open_artifact_store(str(tmp_path / "home" / "artifacts")).open_artifact(uri)
    item_ids = artifact.arrays["item_ids"]
    stranger_codes, _ = recommend(artifact.model, histories_from_lists([[]]), 5)
    assert second[0]["output"]["recommendedItems"] == item_ids[stranger_codes[0]].tolist()
    bulk = [line.split(",") for line in _planted_rows() if line.startswith("b0-u1,")]
    history = histories_from_lists(
        [lookup_codes([row[1] for row in bulk], item_ids)], [[int(row[2]) for row in bulk]]
    )
    codes, scores = recommend(
        artifact.model, history, 5, exploration_weight=0.3, normalised_scores=True
    )
    assert first[0]["output"]["recommendedItems"] == item_ids[codes[0]].tolist()
    np.testing.assert_allclose(first[0]["output"]["scores"], scores[0], rtol=1e-12)
    assert all(0 < score < 1 for score in first[0]["output"]["scores"])


def _planted_rows() -> list[str]:
    from tests.trainer.test_solution_training import planted_lines

    return planted_lines()[1:]


def test_related_items_job_lists_the_items_block_without_scores(personalize, planted, tmp_path):
    version = trained(personalize, planted["group"], "aws-sims")
    source = write_json_lines(tmp_path / "items.json", [{"itemId": "b1-i3"}, {"itemId": "new"}])
    job = run_job(
        personalize,
        "Inference",
        jobName="similar",
        solutionVersionArn=version,
        numResults=5,
        **job_paths(source, f"file://{tmp_path}/out/"),
    )
    assert job["status"] == "ACTIVE", job.get("failureReason")
    similar, unknown = read_json_lines(tmp_path / "out" / "items.json.out")
    assert similar["input"] == {"itemId": "b1-i3"} and similar["error"] is None
    assert similar["output"].keys() == {"recommendedItems"}
    assert len(similar["output"]["recommendedItems"]) == 5
    assert {block_of(item) for item in similar["output"]["recommendedItems"]} == {"b1"}
    assert "b1-i3" not in similar["output"]["recommendedItems"]
    assert len(unknown["output"]["recommendedItems"]) == 5  # popular items


def test_personalized_ranking_job_orders_the_list_unknown_items_last(
    personalize, planted, tmp_path
):
    version = trained(personalize, planted["group"], "aws-personalized-ranking")
    listed = ["b3-i1", "nope", "b0-i2", "b1-i0", "b0-i5"]
    source = write_json_lines(
        tmp_path / "rank.json",
        [{"userId": "b0-u4", "itemList": listed}, {"userId": "b0-u4"}],
    )
    job = run_job(
        personalize,
        "Inference",
        jobName="ranked",
        solutionVersionArn=version,
        **job_paths(source, f"file://{tmp_path}/out"),
    )
    assert job["status"] == "ACTIVE", job.get("failureReason")
    ranked, missing = read_json_lines(tmp_path / "out" / "rank.json.out")
    items, scores = ranked["output"]["recommendedItems"], ranked["output"]["scores"]
    assert sorted(items) == sorted(listed)
    assert {block_of(item) for item in items[:2]} == {"b0"}
    assert items[-1] == "nope" and scores[-1] is None
    assert scores[:4] == sorted(scores[:4], reverse=True)
    # Spec §10.4, as GetPersonalizedRanking: a softmax over the list's known items.
    assert all(0 < score < 1 for score in scores[:4])
    assert abs(sum(scores[:4]) - 1.0) < 1e-9
    assert "itemList (a list of item ids) is required" in missing["error"]


def test_filter_applies_per_line_with_the_lines_filter_values(personalize, planted, tmp_path):
    version = trained(personalize, planted["group"], "aws-user-personalization")
    only = call(
        personalize,
        "CreateFilter",
        name="only-genre",
        datasetGroupArn=planted["group"],
        filterExpression="INCLUDE ItemID WHERE Items.GENRES IN ($GENRE)",
    )["filterArn"]
    source = write_json_lines(
        tmp_path / "in.json",
        [
            {"userId": "b1-u2", "filterValues": {"GENRE": '"odd"'}},
            {"userId": "b1-u2", "filterValues": {"GENRE": '"g3"'}},
            {"userId": "b1-u2"},
            {"userId": "b1-u2", "filterValues": {"GENRE": "odd"}},
        ],
    )
    job = run_job(
        personalize,
        "Inference",
        jobName="filtered",
        solutionVersionArn=version,
        filterArn=only,
        numResults=4,
        **job_paths(source, f"file://{tmp_path}/out"),
    )
    assert job["status"] == "ACTIVE", job.get("failureReason")
    odd, other_block, missing, unparsable = read_json_lines(tmp_path / "out" / "in.json.out")
    odd_items = odd["output"]["recommendedItems"]
    assert len(odd_items) == 4
    assert all(int(item.split("-i")[1]) % 2 == 1 for item in odd_items)
    seen = {row.split(",")[1] for row in _planted_rows() if row.startswith("b1-u2,")}
    unseen_odd = {f"b1-i{j}" for j in range(1, 20, 2)} - seen
    shown = min(4, len(unseen_odd))
    assert shown >= 1 and set(odd_items[:shown]) <= unseen_odd  # own block first
    assert {block_of(item) for item in other_block["output"]["recommendedItems"]} == {"b3"}
    assert missing["output"] is None
    assert (
        "in.json line 3: filterValues: parameter GENRE of an INCLUDE expression is missing"
        in (missing["error"])
    )
    assert unparsable["error"].startswith("in.json line 4: filterValues[GENRE]: cannot parse")


def test_missing_input_fails_the_job_naming_the_path(personalize, planted, tmp_path):
    version = trained(personalize, planted["group"], "aws-popularity-count")
    missing = f"file://{tmp_path}/nowhere/in.json"
    job = run_job(
        personalize,
        "Inference",
        jobName="lost",
        solutionVersionArn=version,
        **job_paths(missing, f"file://{tmp_path}/out"),
    )
    assert job["status"] == "CREATE FAILED"
    assert job["failureReason"] == f"jobInput.s3DataSource.path: {missing} does not exist"
    assert not (tmp_path / "out").exists()

    empty = tmp_path / "empty"
    empty.mkdir()
    job = run_job(
        personalize,
        "Inference",
        jobName="empty",
        solutionVersionArn=version,
        **job_paths(f"file://{empty}/", f"file://{tmp_path}/out"),
    )
    assert job["failureReason"] == (
        f"jobInput.s3DataSource.path: the folder file://{empty}/ holds no input files"
    )

    source = write_json_lines(tmp_path / "in.json", [{"userId": "b0-u0"}])
    (tmp_path / "taken").write_text("a file, not a folder")
    job = run_job(
        personalize,
        "Inference",
        jobName="unwritable",
        solutionVersionArn=version,
        **job_paths(source, f"file://{tmp_path}/taken/"),
    )
    assert job["status"] == "CREATE FAILED"
    assert job["failureReason"].startswith(
        f"jobOutput.s3DataDestination.path: cannot write file://{tmp_path}/taken/in.json.out"
    )


def test_popularity_job_gives_everyone_the_same_list_without_scores(personalize, planted, tmp_path):
    version = trained(personalize, planted["group"], "aws-popularity-count")
    source = write_json_lines(tmp_path / "in.json", [{"userId": "b0-u0"}, {}])
    job = run_job(
        personalize,
        "Inference",
        jobName="popular",
        solutionVersionArn=version,
        numResults=3,
        **job_paths(source, f"file://{tmp_path}/out"),
    )
    assert job["status"] == "ACTIVE", job.get("failureReason")
    known, anonymous = read_json_lines(tmp_path / "out" / "in.json.out")
    assert known["output"] == anonymous["output"]
    assert known["output"].keys() == {"recommendedItems"}
    assert len(known["output"]["recommendedItems"]) == 3


def test_s3_input_folder_and_output_folder(s3_endpoint, tmp_path):
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1")
    client.create_bucket(Bucket="batch")
    lines = '{"userId": "b0-u1"}\n{"userId": "b3-u2"}\n'
    client.put_object(Bucket="batch", Key="in/users.json", Body=lines.encode())
    server = start_tailor(tailor_settings(tmp_path / "home", s3_endpoint_url=s3_endpoint))
    try:
        with grpc.insecure_channel(f"127.0.0.1:{server.port}") as channel:
            stub = personalize_pb2_grpc.PersonalizeStub(channel)
            version = trained(stub, plant(stub, tmp_path)["group"], "aws-user-personalization")
            job = run_job(
                stub,
                "Inference",
                jobName="on-s3",
                solutionVersionArn=version,
                numResults=3,
                **job_paths("s3://batch/in/", "s3://batch/out/"),
            )
            assert job["status"] == "ACTIVE", job.get("failureReason")
            missing = run_job(
                stub,
                "Inference",
                jobName="missing",
                solutionVersionArn=version,
                **job_paths("s3://batch/none.json", "s3://batch/out/"),
            )
            assert missing["failureReason"] == (
                "jobInput.s3DataSource.path: s3://batch/none.json does not exist"
            )
    finally:
        server.stop(grace=1)
    body = client.get_object(Bucket="batch", Key="out/users.json.out")["Body"].read()
    answered = [json.loads(line) for line in body.decode().splitlines()]
    assert [line["input"]["userId"] for line in answered] == ["b0-u1", "b3-u2"]
    for line, block in zip(answered, ("b0", "b3"), strict=True):
        assert {block_of(item) for item in line["output"]["recommendedItems"]} == {block}
