"""``IF CurrentUser.X`` filters read the Users dataset's imported rows, overlaid by PutUsers."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa

from runtime_service.user_attributes import user_catalogue_from_table
from tests.control_plane.aws_calls import call
from tests.events_service.events_calls import call_events
from tests.runtime_service.test_serving import ask, items_of, wait_campaign
from tests.trainer.import_fixtures import T0, run_import, write
from tests.trainer.test_solution_training import block_of


def test_catalogue_keeps_each_users_last_row_sorted_by_id():
    table = pa.table({"USER_ID": ["b", "a", "b", "c"], "AGE": [1, 2, 3, None]})
    catalogue = user_catalogue_from_table("arn:users", table)
    assert catalogue.user_ids.tolist() == ["a", "b", "c"]
    assert catalogue.record("b") == {"AGE": 3}
    assert catalogue.record("a") == {"AGE": 2}
    assert catalogue.record("c") == {}
    assert catalogue.record("zz") is None and catalogue.record("") is None


def test_current_user_conditions_use_imported_users_and_put_users(
    personalize, events, runtime, served, tmp_path: Path
):
    users = served["Users"]
    first = write(tmp_path / "users.csv", ["USER_ID,AGE", "b0-u1,20", "b0-u2,40"])
    assert run_import(personalize, users, first, "users")["status"] == "ACTIVE"
    later = write(tmp_path / "more-users.csv", ["USER_ID,AGE", "b0-u1,70"])
    job = run_import(personalize, users, later, "more-users", mode="INCREMENTAL")
    assert job["status"] == "ACTIVE", job
    # A campaign deployed after the imports (a deployment reads the Users rows when it loads).
    arn = call(personalize, "CreateCampaign", name="aged", solutionVersionArn=served["version"])[
        "campaignArn"
    ]
    assert (
        wait_campaign(personalize, arn, lambda c: c["status"] != "CREATE PENDING")["status"]
        == "ACTIVE"
    )
    properties = json.dumps({"genres": "late", "creationTimestamp": T0})
    for start in (0, 10):  # PutItems takes 10 items a call
        batch = [{"itemId": f"b0-i{n}", "properties": properties} for n in range(start, start + 10)]
        call_events(
            events,
            "PutItems",
            datasetArn=served["Items"],
            items=batch,
        )
    late = call(
        personalize,
        "CreateFilter",
        name="not-for-seniors",
        datasetGroupArn=served["group"],
        filterExpression='EXCLUDE ItemID WHERE Items.GENRES IN ("late") IF CurrentUser.AGE >= 50',
    )["filterArn"]

    def blocks(user: str) -> set[str]:
        request = {"campaignArn": arn, "userId": user, "numResults": 5, "filterArn": late}
        answer = ask(runtime, "GetRecommendations", **request)
        return {block_of(item) for item in items_of(answer)}

    assert "b0" not in blocks("b0-u1"), "the later imported row (AGE 70) applies"
    assert blocks("b0-u2") == {"b0"}, "AGE 40: the expression is skipped"
    assert blocks("b0-u3") == {"b0"}, "no Users row: the expression is skipped"
    call_events(
        events,
        "PutUsers",
        datasetArn=users,
        users=[{"userId": "b0-u2", "properties": json.dumps({"age": 60})}],
    )
    assert "b0" not in blocks("b0-u2"), "a PutUsers record overrides the imported row"
