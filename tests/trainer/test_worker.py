"""The trainer's job loop against a real metadata store (SQLite, and PostgreSQL when set)."""

from __future__ import annotations

import pytest

from domain.errors import InvalidInputException
from domain.resources import Resource
from storage.metadata.store import NewJob, open_metadata_store
from trainer.worker import Worker


@pytest.fixture
def store(metadata_url):
    opened = open_metadata_store(metadata_url)
    yield opened
    opened.close()


def _pending(store, arn: str, kind: str, status: str = "CREATE PENDING") -> None:
    store.create_resource(
        Resource(arn=arn, kind="thing", name=arn, status=status), job=NewJob(kind, {"n": 1})
    )


def test_handler_runs_with_resource_in_progress_and_job_done(store):
    seen = []

    def handler(job, job_store):
        seen.append((job.kind, job.payload, job_store.get_resource(job.resource_arn).status))
        job_store.update_resource(job.resource_arn, status="ACTIVE")

    _pending(store, "r/1", "work")
    worker = Worker(store, {"work": handler})
    assert worker.run_once() is True
    assert seen == [("work", {"n": 1}, "CREATE IN_PROGRESS")]
    assert store.get_resource("r/1").status == "ACTIVE"
    assert store.count_jobs("done") == 1
    assert worker.run_once() is False


def test_handler_error_fails_resource_with_its_reason(store):
    def handler(job, job_store):
        raise InvalidInputException("row 3, column TIMESTAMP: 'abc' is not a number")

    _pending(store, "r/1", "work")
    Worker(store, {"work": handler}).run_once()
    failed = store.get_resource("r/1")
    assert failed.status == "CREATE FAILED"
    assert failed.document["failureReason"] == "row 3, column TIMESTAMP: 'abc' is not a number"
    assert store.count_jobs("failed") == 1


def test_unexpected_error_fails_resource_without_internals(store):
    def handler(job, job_store):
        raise RuntimeError("secret internals")

    _pending(store, "r/1", "work")
    Worker(store, {"work": handler}).run_once()
    assert store.get_resource("r/1").document["failureReason"] == "internal error"


def test_job_kind_without_handler_fails_naming_what_is_missing(store):
    _pending(store, "r/1", "batch-inference")
    _pending(store, "r/2", "data-deletion", status="PENDING")
    worker = Worker(store, {})
    assert worker.run_once() and worker.run_once()
    job = store.get_resource("r/1")
    assert job.status == "CREATE FAILED"
    assert job.document["failureReason"] == "this trainer worker runs no 'batch-inference' jobs"
    deletion = store.get_resource("r/2")
    assert deletion.status == "FAILED"
    assert deletion.document["failureReason"] == "this trainer worker runs no 'data-deletion' jobs"


def test_data_deletion_jobs_use_their_own_statuses(store):
    seen = []
    _pending(store, "r/1", "data-deletion", status="PENDING")
    Worker(
        store, {"data-deletion": lambda job, s: seen.append(s.get_resource("r/1").status)}
    ).run_once()
    assert seen == ["IN_PROGRESS"]


def test_stopped_resource_is_not_run(store):
    ran = []
    _pending(store, "r/1", "work", status="CREATE STOPPED")
    Worker(store, {"work": lambda job, s: ran.append(job)}).run_once()
    assert ran == []
    assert store.get_resource("r/1").status == "CREATE STOPPED"


def test_stopping_resource_ends_stopped_without_running(store):
    ran = []
    _pending(store, "r/1", "work", status="CREATE STOPPING")
    _pending(store, "r/2", "work")
    store.delete_resource("r/2")
    worker = Worker(store, {"work": lambda job, s: ran.append(job)})
    assert worker.run_once() and worker.run_once()
    assert ran == []
    assert store.get_resource("r/1").status == "CREATE STOPPED"
    assert store.count_jobs("failed") == 2


def test_stop_requested_while_running_ends_stopped(store):
    def handler(job, job_store):
        job_store.update_resource(job.resource_arn, status="CREATE STOPPING")
        raise InvalidInputException("interrupted")

    _pending(store, "r/1", "work")
    Worker(store, {"work": handler}).run_once()
    assert store.get_resource("r/1").status == "CREATE STOPPED"


def test_background_loop_picks_up_work_and_stops(store):
    import time

    done = []
    worker = Worker(
        store, {"work": lambda job, s: done.append(job.resource_arn)}, poll_seconds=0.02
    )
    worker.start()
    try:
        _pending(store, "r/1", "work")
        deadline = time.monotonic() + 10
        while not done and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        worker.stop()
    assert done == ["r/1"]
