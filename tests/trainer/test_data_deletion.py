"""Data deletion jobs end to end: data imported and streamed through a real gRPC server, users
deleted by its trainer worker, then read back as readers and training see it (SQLite, and
PostgreSQL when set).
"""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path

import grpc
import numpy as np
import pytest
import redis

from cli.up import start_tailor
from storage.metadata.store import open_metadata_store
from storage.online.sql_store import SqlOnlineStore
from storage.online.store import open_online_store
from storage.streamed.training_tables import latest_event_seq, read_streamed_records
from tailor_api.v1 import personalize_events_pb2_grpc, personalize_pb2_grpc
from tests.conftest import tailor_settings
from tests.control_plane.aws_calls import call
from tests.events_service.events_calls import call_events
from tests.runtime_service.test_serving import ask, items_of, served, stream  # noqa: F401
from tests.trainer.import_fixtures import (
    T0,
    ServerData,
    interaction_lines,
    make_datasets,
    run_import,
    write,
)
from tests.trainer.test_solution_training import block_of
from trainer.training_data import load_training_data

REDIS_URL = os.environ.get("TAILOR_TEST_REDIS_URL", "")
ROLE = "arn:aws:iam::000000000000:role/personalize"
DONE = {"COMPLETED", "FAILED"}
USERS_HEADER = "USER_ID,AGE"
# A second Interactions import whose users (k0..k29) are never deleted.
OTHER_USERS = [f"k{i % 30},i{i % 90},{T0 + 5000 + i},click,,,x{i}" for i in range(1000)]


def run_deletion(stub, group: str, location: str, name: str = "forget") -> dict:
    """Create a data deletion job and wait (30 s at most) until it is COMPLETED or FAILED."""
    arn = call(
        stub,
        "CreateDataDeletionJob",
        jobName=name,
        datasetGroupArn=group,
        dataSource={"dataLocation": location},
        roleArn=ROLE,
    )["dataDeletionJobArn"]
    deadline = time.monotonic() + 30
    while True:
        job = call(stub, "DescribeDataDeletionJob", dataDeletionJobArn=arn)["dataDeletionJob"]
        if job["status"] in DONE:
            return job
        assert time.monotonic() < deadline, f"{name} still {job['status']}"
        time.sleep(0.05)


def active(job: dict) -> None:
    assert job["status"] == "ACTIVE", job.get("failureReason")


def put_event(events, tracking: str, item: str, second: int, session: str, user: str | None):
    who = {"sessionId": session, **({"userId": user} if user else {})}
    event = {"eventType": "click", "itemId": item, "sentAt": T0 + second}
    call_events(events, "PutEvents", trackingId=tracking, eventList=[event], **who)


def filled_group(personalize, events, tmp_path: Path) -> tuple[dict[str, str], str]:
    """Interactions (two imports), Users (two imports, u3 updated), PutUsers and PutEvents."""
    arns = make_datasets(personalize)
    interactions, users = arns["Interactions"], arns["Users"]
    active(
        run_import(
            personalize, interactions, write(tmp_path / "i1.csv", interaction_lines(1200)), "i1"
        )
    )
    other = write(
        tmp_path / "i2.csv",
        ["USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE,IMPRESSION,EVENT_ID", *OTHER_USERS],
    )
    active(run_import(personalize, interactions, other, "i2", "INCREMENTAL"))
    ages = [USERS_HEADER, *(f"u{i},{i}" for i in range(10))]
    active(run_import(personalize, users, write(tmp_path / "u1.csv", ages), "u1"))
    active(
        run_import(
            personalize,
            users,
            write(tmp_path / "u2.csv", [USERS_HEADER, "u3,77"]),
            "u2",
            "INCREMENTAL",
        )
    )
    put = [{"userId": u, "properties": '{"age": 5}'} for u in ("u2", "u5")]
    call_events(events, "PutUsers", datasetArn=users, users=put)
    group = call(personalize, "DescribeDataset", datasetArn=users)["dataset"]["datasetGroupArn"]
    tracking = call(personalize, "CreateEventTracker", name="t", datasetGroupArn=group)[
        "trackingId"
    ]
    put_event(events, tracking, "anon-before", 1, "s-u1", None)
    put_event(events, tracking, "live-1", 2, "s-u1", "u1")  # links s-u1 to u1
    put_event(events, tracking, "live-2", 3, "s-u1", "u1")
    put_event(events, tracking, "live-5", 4, "s-u5", "u5")
    put_event(events, tracking, "anon-other", 5, "s-anon", None)
    return arns, group


def test_deletion_removes_the_users_everywhere_and_keeps_everyone_else(
    personalize, events, data: ServerData, tmp_path
):
    arns, group = filled_group(personalize, events, tmp_path)
    interactions, users = arns["Interactions"], arns["Users"]
    before = data.read(interactions)
    old_files = data.files()
    location = write(tmp_path / "forget" / "users.csv", ["USER_ID", "u1", "u2", "u1", "nobody"])

    job = run_deletion(personalize, group, location)

    assert job["status"] == "COMPLETED", job.get("failureReason")
    bulk = sum(1 for row in before if row["USER_ID"] in ("u1", "u2"))
    # bulk interactions + Users rows u1, u2 + u1's 2 events and 1 linked anonymous + PutUsers u2
    assert job["numDeleted"] == bulk + 2 + 3 + 1
    assert data.read(interactions) == [r for r in before if r["USER_ID"] not in ("u1", "u2")]
    ages = {row["USER_ID"]: row["AGE"] for row in data.read(users)}
    assert ages == {f"u{i}": (77 if i == 3 else i) for i in range(10) if i not in (1, 2)}
    records = read_streamed_records(data.store, users).column("USER_ID").to_pylist()
    assert records == ["u5"]
    # The rewritten segments replace the old files; a later segment keeps its file.
    files = data.files()
    assert "shop/INTERACTIONS/i1-0.parquet" in old_files
    assert "shop/INTERACTIONS/i1-0.parquet" not in files
    assert "shop/INTERACTIONS/i2-0.parquet" in files
    assert any(name.startswith("shop/INTERACTIONS/forget.del") for name in files)
    assert not any(name.endswith(".staging") for name in files)

    online = SqlOnlineStore(data.store.engine)
    assert online.recent_events(group, user_id="u1") == []
    assert online.session_user(group, "s-u1") is None
    assert online.recent_events(group, session_id="s-u1") == []
    assert [e.item_id for e in online.recent_events(group, user_id="u5")] == ["live-5"]
    assert [e.item_id for e in online.recent_events(group, session_id="s-anon")] == ["anon-other"]

    training = load_training_data(
        data.store, data.segments, {}, group, latest_event_seq(data.store, group)
    )
    assert not {"u1", "u2"} & set(training.user_ids.tolist())
    assert {"u0", "u3", "u5", "k0"} <= set(training.user_ids.tolist())
    items = training.item_ids[training.interactions.item_codes]
    assert not {"live-1", "live-2", "anon-before"} & set(items.tolist())
    assert np.count_nonzero(items == "live-5") == 1


def test_a_second_deletion_of_the_same_users_deletes_nothing(personalize, events, data, tmp_path):
    _, group = filled_group(personalize, events, tmp_path)
    location = write(tmp_path / "users.csv", ["USER_ID", "u7"])
    assert run_deletion(personalize, group, location, "first")["numDeleted"] > 0
    files = data.files()
    again = run_deletion(personalize, group, location, "again")
    assert (again["status"], again["numDeleted"]) == ("COMPLETED", 0)
    assert data.files() == files


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["USER_ID,AGE", "u1,3"], "the header is 'USER_ID,AGE'"),
        (
            ["USER_ID", "u1", '""', "u2,u3", "x" * 300, "u4"],
            "3 problems in the deletion input (rows numbered from 1 after the header): "
            "{url} row 2: USER_ID is empty; {url} row 3: 2 values 'u2,u3'; expected one USER_ID; "
            "{url} row 4: USER_ID 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'... is longer than "
            "256 characters; nothing was deleted",
        ),
    ],
)
def test_a_bad_input_fails_naming_file_row_and_value_and_deletes_nothing(
    personalize, events, data, tmp_path, lines, expected
):
    arns, group = filled_group(personalize, events, tmp_path)
    before = (data.read(arns["Interactions"]), data.read(arns["Users"]), data.files())
    location = write(tmp_path / "bad" / "users.csv", lines)

    job = run_deletion(personalize, group, location)

    assert job["status"] == "FAILED"
    assert expected.format(url=location) in job["failureReason"]
    assert "numDeleted" not in job
    assert (data.read(arns["Interactions"]), data.read(arns["Users"]), data.files()) == before
    assert SqlOnlineStore(data.store.engine).session_user(group, "s-u1") == "u1"


def test_a_missing_input_fails_naming_it(personalize, tmp_path):
    group = call(personalize, "CreateDatasetGroup", name="empty")["datasetGroupArn"]
    location = f"file://{tmp_path}/missing.csv"
    job = run_deletion(personalize, group, location)
    assert job["status"] == "FAILED"
    assert job["failureReason"] == f"dataSource.dataLocation: {location} does not exist"


def test_a_failed_rewrite_leaves_the_data_exactly_as_before(personalize, events, data, tmp_path):
    arns, group = filled_group(personalize, events, tmp_path)
    users = data.store.segments.visible_segments(arns["Users"])
    # The Users datasets' rewrite (after the Interactions one) cannot create its file.
    blocked = data.directory / "shop" / "USERS" / f"forget.del{users[0].segment_id}-0.parquet"
    Path(f"{blocked}.staging").mkdir(parents=True)
    before = (data.read(arns["Interactions"]), data.read(arns["Users"]), data.files())
    visible = data.store.segments.visible_segments(arns["Interactions"])

    job = run_deletion(personalize, group, write(tmp_path / "u.csv", ["USER_ID", "u1"]))

    assert job["status"] == "FAILED"
    assert "nothing was deleted" in job["failureReason"]
    assert (data.read(arns["Interactions"]), data.read(arns["Users"]), data.files()) == before
    assert data.store.segments.visible_segments(arns["Interactions"]) == visible
    online = SqlOnlineStore(data.store.engine)
    assert [e.item_id for e in online.recent_events(group, user_id="u1")] == [
        "live-2",
        "live-1",
        "anon-before",
    ]


@pytest.fixture
def redis_online_url():
    """A Redis online store URL with a private key prefix (its keys are deleted afterwards)."""
    if not REDIS_URL:
        pytest.skip("TAILOR_TEST_REDIS_URL is not set (e.g. redis://127.0.0.1:6379/15)")
    prefix = f"test-{uuid.uuid4().hex[:12]}:"
    yield f"{REDIS_URL}?key_prefix={prefix}"
    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(match=f"{prefix}*"))
    if keys:
        client.delete(*keys)
    client.close()


def test_a_redis_online_store_forgets_the_deleted_users(redis_online_url, tmp_path):
    database = f"sqlite:///{tmp_path / 'tailor.db'}"
    settings = tailor_settings(tmp_path / "home", database, online_store_url=redis_online_url)
    server = start_tailor(settings)
    store = open_metadata_store(database, migrate=False)
    online = open_online_store(redis_online_url, store.engine)
    try:
        with grpc.insecure_channel(f"127.0.0.1:{server.port}") as channel:
            personalize = personalize_pb2_grpc.PersonalizeStub(channel)
            events = personalize_events_pb2_grpc.PersonalizeEventsStub(channel)
            users = make_datasets(personalize)["Users"]
            group = call(personalize, "DescribeDataset", datasetArn=users)["dataset"][
                "datasetGroupArn"
            ]
            tracking = call(personalize, "CreateEventTracker", name="t", datasetGroupArn=group)
            put = [{"userId": u, "properties": '{"age": 5}'} for u in ("u1", "u5")]
            call_events(events, "PutUsers", datasetArn=users, users=put)
            put_event(events, tracking["trackingId"], "anon", 1, "s1", None)
            put_event(events, tracking["trackingId"], "mine", 2, "s1", "u1")
            put_event(events, tracking["trackingId"], "theirs", 3, "s5", "u5")
            assert len(online.recent_events(group, user_id="u1")) == 2

            job = run_deletion(personalize, group, write(tmp_path / "u.csv", ["USER_ID", "u1"]))

            assert (job["status"], job["numDeleted"]) == ("COMPLETED", 3)
            assert online.recent_events(group, user_id="u1") == []
            assert online.recent_events(group, session_id="s1") == []
            assert online.session_user(group, "s1") is None
            assert list(online.get_records(users, ["u1", "u5"])) == ["u5"]
            assert [e.item_id for e in online.recent_events(group, user_id="u5")] == ["theirs"]
    finally:
        online.close()
        store.close()
        server.stop(grace=1)


def test_a_running_campaign_drops_a_deleted_users_streamed_history_at_the_next_request(
    personalize, events, runtime, request, tmp_path
):
    planted = request.getfixturevalue("served")
    campaign = planted["campaign"]
    stream(events, planted, "new-user", ["b2-i0", "b2-i1", "b2-i2"], "click")
    folded = ask(
        runtime, "GetRecommendations", campaignArn=campaign, userId="new-user", numResults=10
    )
    assert {block_of(item) for item in items_of(folded)} == {"b2"}

    job = run_deletion(
        personalize, planted["group"], write(tmp_path / "u.csv", ["USER_ID", "new-user"])
    )

    assert (job["status"], job["numDeleted"]) == ("COMPLETED", 3)
    forgotten = ask(runtime, "GetRecommendations", campaignArn=campaign, userId="new-user")
    stranger = ask(runtime, "GetRecommendations", campaignArn=campaign, userId="never-seen")
    assert items_of(forgotten) == items_of(stranger)  # popular items, as for any new user
