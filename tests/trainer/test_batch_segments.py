"""CreateBatchSegmentJob runs: through real gRPC, the server's worker and real directories.

The planted data (``test_solution_training``): four blocks of 30 users and 20 items, each user
interacting only with items of their own block; items have genre ``g<block>``, odd ones also
``odd``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from recipes.segments import users_for_items
from storage.artifacts import open_artifact_store
from tests.control_plane.aws_calls import call
from tests.trainer.batch_fixtures import (
    job_paths,
    plant,
    read_json_lines,
    run_job,
    trained,
    write_json_lines,
)
from tests.trainer.test_solution_training import planted_lines
from trainer.batch_io import LineError
from trainer.batch_segments import parse_item_attributes
from trainer.batch_version import load_batch_version
from trainer.solution_training import ARTIFACT_MEMBER


@pytest.fixture
def planted(personalize, tmp_path: Path) -> dict[str, str]:
    """A dataset group with the planted interactions and items."""
    return plant(personalize, tmp_path)


def _users_of(item_ids: set[str]) -> set[str]:
    """The planted users who interacted with any of ``item_ids``."""
    rows = [line.split(",") for line in planted_lines()[1:]]
    return {row[0] for row in rows if row[1] in item_ids}


def test_item_affinity_segments_are_the_items_block_users(personalize, planted, data, tmp_path):
    version = trained(personalize, planted["group"], "aws-item-affinity")
    source = write_json_lines(
        tmp_path / "in" / "items.json",
        [{"itemId": "b2-i0"}, {"itemId": "b0-i7"}, {"itemId": "ghost"}, {"userId": "b0-u1"}],
    )
    job = run_job(
        personalize,
        "Segment",
        jobName="segments",
        solutionVersionArn=version,
        numResults=8,
        **job_paths(source, f"file://{tmp_path}/out/"),
    )
    assert job["status"] == "ACTIVE", job.get("failureReason")
    assert job["numResults"] == 8
    b2, b0, ghost, no_item = read_json_lines(tmp_path / "out" / "items.json.out")
    assert b2["input"] == {"itemId": "b2-i0"} and b2["error"] is None
    for line, block, item in ((b2, "b2", "b2-i0"), (b0, "b0", "b0-i7")):
        users = line["output"]["recommendedUsers"]
        assert len(users) == 8
        assert {user.split("-")[0] for user in users} == {block}
        assert not set(users) & _users_of({item})  # they have not interacted with it yet
    assert ghost["output"] is None
    assert (
        ghost["error"] == "items.json line 3: itemId 'ghost' is not an item of the solution version"
    )
    assert "itemId is required" in no_item["error"]

    # Scored in blocks of users for several lines at once: the same as recipes.segments.
    artifacts = open_artifact_store(str(tmp_path / "home" / "artifacts"))
    loaded = load_batch_version(data.store, data.segments, artifacts, version)
    user_ids = loaded.users.user_ids
    for line, item in ((b2, "b2-i0"), (b0, "b0-i7")):
        rows, _ = users_for_items(
            loaded.model,
            loaded.users.histories.rows(np.arange(len(user_ids))),
            loaded.item_codes([item]),
            8,
        )
        assert line["output"]["recommendedUsers"] == user_ids[rows].tolist()
    assert data.store.get_resource(version).document[ARTIFACT_MEMBER]


def test_attribute_affinity_segments_follow_the_attributes(personalize, planted, data, tmp_path):
    version = trained(personalize, planted["group"], "aws-item-attribute-affinity")
    source = write_json_lines(
        tmp_path / "attributes.json",
        [
            {"itemAttributes": 'ITEMS.genres = "g3"'},
            {"itemAttributes": 'ITEMS.GENRES = "g1" AND ITEMS.GENRES = "odd"'},
            {"itemAttributes": 'ITEMS.GENRES = "g9"'},
            {"itemAttributes": "GENRES IN ('g1')"},
        ],
    )
    job = run_job(
        personalize,
        "Segment",
        jobName="attributes",
        solutionVersionArn=version,
        **job_paths(source, f"file://{tmp_path}/out"),
    )
    assert job["status"] == "ACTIVE", job.get("failureReason")
    g3, g1_odd, nothing, unreadable = read_json_lines(tmp_path / "out" / "attributes.json.out")
    # Every b3 user interacted with some g3 item: nobody of b3 is left to target.
    assert len(g3["output"]["recommendedUsers"]) == 25
    assert not {u for u in g3["output"]["recommendedUsers"] if u.startswith("b3-")}
    # The attributes select the items (AND: odd items of b1); the users are those of
    # recipes.segments for these items.
    artifacts = open_artifact_store(str(tmp_path / "home" / "artifacts"))
    loaded = load_batch_version(data.store, data.segments, artifacts, version)
    everyone = loaded.users.histories.rows(np.arange(len(loaded.users.user_ids)))
    for line, items in (
        (g3, [f"b3-i{j}" for j in range(20)]),
        (g1_odd, [f"b1-i{j}" for j in range(1, 20, 2)]),
    ):
        rows, _ = users_for_items(loaded.model, everyone, loaded.item_codes(items), 25)
        assert line["output"]["recommendedUsers"] == loaded.users.user_ids[rows].tolist()
    assert nothing["error"].endswith('itemAttributes: no item has ITEMS.GENRES = "g9"')
    assert 'expected ITEMS.<column> = "<value>" joined by AND' in unreadable["error"]


def test_segment_job_with_a_missing_input_fails_naming_the_path(personalize, planted, tmp_path):
    version = trained(personalize, planted["group"], "aws-item-affinity")
    missing = f"file://{tmp_path}/none.json"
    job = run_job(
        personalize,
        "Segment",
        jobName="lost",
        solutionVersionArn=version,
        **job_paths(missing, f"file://{tmp_path}/out"),
    )
    assert job["status"] == "CREATE FAILED"
    assert job["failureReason"] == f"jobInput.s3DataSource.path: {missing} does not exist"


def test_segment_filters_select_users_per_line(personalize, planted, tmp_path):
    version = trained(personalize, planted["group"], "aws-item-affinity")
    young = call(
        personalize,
        "CreateFilter",
        name="young",
        datasetGroupArn=planted["group"],
        filterExpression="EXCLUDE UserID WHERE Users.AGE >= $MIN",
    )["filterArn"]
    source = write_json_lines(
        tmp_path / "in.json",
        [
            {"itemId": "b2-i0", "filterValues": {"MIN": '"10"'}},
            {"itemId": "b2-i0"},
            {"itemId": "b2-i0", "filterValues": {"MIN": "ten"}},
        ],
    )
    job = run_job(
        personalize,
        "Segment",
        jobName="young",
        solutionVersionArn=version,
        filterArn=young,
        numResults=8,
        **job_paths(source, f"file://{tmp_path}/young"),
    )
    assert job["status"] == "ACTIVE", job.get("failureReason")
    filtered, unfiltered, bad = read_json_lines(tmp_path / "young" / "in.json.out")
    users = filtered["output"]["recommendedUsers"]
    assert len(users) == 8 and all(int(user.split("-u")[1]) < 10 for user in users)
    targets = {f"b2-u{j}" for j in range(10)} - _users_of({"b2-i0"})
    assert targets and set(users[: len(targets)]) == targets
    # An EXCLUDE parameter left out disables that condition (spec §8.3).
    assert {u.split("-")[0] for u in unfiltered["output"]["recommendedUsers"]} == {"b2"}
    assert bad["error"].startswith("in.json line 3: filterValues[MIN]: cannot parse")

    clickers = call(
        personalize,
        "CreateFilter",
        name="clickers",
        datasetGroupArn=planted["group"],
        filterExpression='EXCLUDE UserID WHERE Interactions.EVENT_TYPE IN ("CLICK")',
    )["filterArn"]
    job = run_job(
        personalize,
        "Segment",
        jobName="clickers",
        solutionVersionArn=version,
        filterArn=clickers,
        **job_paths(source, f"file://{tmp_path}/clickers"),
    )
    assert job["status"] == "ACTIVE", job.get("failureReason")
    answered = read_json_lines(tmp_path / "clickers" / "in.json.out")
    assert answered[0]["output"] == {"recommendedUsers": []}  # every user clicked

    items_filter = call(
        personalize,
        "CreateFilter",
        name="items",
        datasetGroupArn=planted["group"],
        filterExpression='EXCLUDE ItemID WHERE Items.GENRES IN ("odd")',
    )["filterArn"]
    job = run_job(
        personalize,
        "Segment",
        jobName="items",
        solutionVersionArn=version,
        filterArn=items_filter,
        **job_paths(source, f"file://{tmp_path}/items"),
    )
    assert job["status"] == "CREATE FAILED"
    assert "a batch segment job needs a filter on UserID" in job["failureReason"]


def test_item_attributes_parse_into_feature_names():
    assert parse_item_attributes('ITEMS.genres = "Comedy" and ITEMS.SIZE="L"') == [
        "GENRES=Comedy",
        "SIZE=L",
    ]
    for text in ('ITEMS.genres IN ("Comedy")', 'ITEMS.genres = "a" OR ITEMS.b = "c"', ""):
        with pytest.raises(LineError):
            parse_item_attributes(text)
