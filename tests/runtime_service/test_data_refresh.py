"""A running campaign serves the group's imported data as it is now, without a redeploy: a data
deletion job's users lose their imported history, an Items import reaches filters, and requests
keep succeeding while the data is swapped (real SQLite, real gRPC).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.control_plane.aws_calls import call
from tests.events_service.events_calls import call_events
from tests.runtime_service.test_serving import ask, items_of
from tests.trainer.import_fixtures import T0, run_import, write
from tests.trainer.test_data_deletion import run_deletion
from tests.trainer.test_solution_training import block_of

ITEMS_HEADER = "ITEM_ID,GENRES,PRICE,IN_STOCK,DESCRIPTION,CREATION_TIMESTAMP"


def eventually(check: Callable[[], bool], seconds: float = 15.0) -> None:
    """Wait until ``check()`` holds (the runtime polls every 0.2 s in tests)."""
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "the runtime did not pick up the new data"
        time.sleep(0.1)


class Caller(threading.Thread):
    """Calls GetRecommendations in a loop until stopped; counts calls and failures."""

    def __init__(self, runtime: Any, campaign: str) -> None:
        super().__init__(daemon=True)
        self.runtime, self.campaign = runtime, campaign
        self.done = threading.Event()
        self.calls = 0
        self.failures: list[BaseException] = []

    def run(self) -> None:
        while not self.done.is_set():
            try:
                ask(self.runtime, "GetRecommendations", campaignArn=self.campaign, userId="b2-u0")
                self.calls += 1
            except Exception as exc:  # noqa: BLE001 - every failure is the test's finding
                self.failures.append(exc)

    def stop(self) -> None:
        self.done.set()
        self.join(30)


def test_a_deleted_users_imported_history_stops_being_served_without_redeploy(
    personalize, runtime, served, tmp_path: Path
):
    campaign = served["campaign"]
    clicked = call(
        personalize,
        "CreateFilter",
        name="no-clicks",
        datasetGroupArn=served["group"],
        filterExpression='EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click")',
    )["filterArn"]

    def recommended(user: str, **request: Any) -> list[str]:
        response = ask(runtime, "GetRecommendations", campaignArn=campaign, userId=user, **request)
        return items_of(response)

    stranger = recommended("never-seen")
    assert recommended("b2-u0") != stranger  # the imported history is folded in
    everything = set(recommended("never-seen", numResults=100))
    imported = everything - set(recommended("b2-u0", numResults=100, filterArn=clicked))
    assert len(imported) == 12  # the user's imported clicks, left out
    caller = Caller(runtime, campaign)
    caller.start()

    job = run_deletion(
        personalize, served["group"], write(tmp_path / "u.csv", ["USER_ID", "b2-u0"])
    )
    assert job["status"] == "COMPLETED", job

    eventually(lambda: recommended("b2-u0") == recommended("never-seen"))
    assert imported <= set(recommended("b2-u0", numResults=100, filterArn=clicked))
    caller.stop()
    assert caller.calls > 0 and caller.failures == []


def test_an_items_import_reaches_filters_without_redeploy(
    personalize, runtime, served, tmp_path: Path
):
    campaign = served["campaign"]
    genre = call(
        personalize,
        "CreateFilter",
        name="genre",
        datasetGroupArn=served["group"],
        filterExpression="INCLUDE ItemID WHERE Items.GENRES IN ($GENRE)",
    )["filterArn"]

    def chosen(value: str) -> set[str]:
        response = ask(
            runtime,
            "GetRecommendations",
            campaignArn=campaign,
            userId="b0-u1",
            numResults=100,
            filterArn=genre,
            filterValues={"GENRE": f'"{value}"'},
        )
        return set(items_of(response))

    assert chosen("rare") == set()
    caller = Caller(runtime, campaign)
    caller.start()
    rows = [ITEMS_HEADER, *(f"{item},rare,1.0,true,,{T0}" for item in ("b3-i1", "b3-i2"))]
    job = run_import(personalize, served["Items"], write(tmp_path / "i1.csv", rows), "items")
    assert job["status"] == "ACTIVE", job
    eventually(lambda: chosen("rare") == {"b3-i1", "b3-i2"})

    more = [ITEMS_HEADER, f"b1-i4,common|rare,2.0,false,,{T0}"]
    job = run_import(
        personalize, served["Items"], write(tmp_path / "i2.csv", more), "more", "INCREMENTAL"
    )
    assert job["status"] == "ACTIVE", job
    eventually(lambda: chosen("rare") == {"b3-i1", "b3-i2", "b1-i4"})
    assert chosen("common") == {"b1-i4"}

    job = run_import(personalize, served["Items"], write(tmp_path / "i3.csv", more), "full", "FULL")
    assert job["status"] == "ACTIVE", job
    eventually(lambda: chosen("rare") == {"b1-i4"})
    caller.stop()
    assert caller.calls > 0 and caller.failures == []


def test_current_user_filters_follow_users_imports_and_deletions_without_redeploy(
    personalize, events, runtime, served, tmp_path: Path
):
    campaign = served["campaign"]
    properties = json.dumps({"genres": "late", "creationTimestamp": T0})
    for start in (0, 10):  # PutItems takes 10 items a call
        batch = [{"itemId": f"b0-i{n}", "properties": properties} for n in range(start, start + 10)]
        call_events(events, "PutItems", datasetArn=served["Items"], items=batch)
    late = call(
        personalize,
        "CreateFilter",
        name="not-for-seniors",
        datasetGroupArn=served["group"],
        filterExpression='EXCLUDE ItemID WHERE Items.GENRES IN ("late") IF CurrentUser.AGE >= 50',
    )["filterArn"]

    def blocks(user: str) -> set[str]:
        request = {"campaignArn": campaign, "userId": user, "numResults": 100, "filterArn": late}
        return {block_of(item) for item in items_of(ask(runtime, "GetRecommendations", **request))}

    assert "b0" in blocks("b0-u1"), "no Users row yet: the expression is skipped"
    rows = write(tmp_path / "users.csv", ["USER_ID,AGE", "b0-u1,70", "b0-u2,20"])
    assert run_import(personalize, served["Users"], rows, "users")["status"] == "ACTIVE"
    eventually(lambda: "b0" not in blocks("b0-u1"))

    job = run_deletion(
        personalize, served["group"], write(tmp_path / "u.csv", ["USER_ID", "b0-u1"])
    )
    assert job["status"] == "COMPLETED", job
    eventually(lambda: "b0" in blocks("b0-u1"))  # the deleted user's AGE is not served
    assert "b0" in blocks("b0-u2")
