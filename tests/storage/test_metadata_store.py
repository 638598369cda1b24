"""Contract tests of the metadata store, run against SQLite and (when configured) PostgreSQL."""

from __future__ import annotations

import threading

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from domain.errors import (
    InvalidNextTokenException,
    ResourceAlreadyExistsException,
    ResourceInUseException,
    ResourceNotFoundException,
    TooManyTagsException,
)
from domain.resources import Resource
from storage.metadata.models import Base
from storage.metadata.store import NewJob, open_metadata_store


@pytest.fixture
def store(metadata_url):
    opened = open_metadata_store(metadata_url)
    yield opened
    opened.close()


def _resource(arn: str, kind: str = "thing", created_at: float = 1000.0, **extra) -> Resource:
    return Resource(
        arn=arn,
        kind=kind,
        name=arn.rsplit("/", 1)[-1],
        status="ACTIVE",
        document={"arn": arn},
        created_at=created_at,
        **extra,
    )


def test_migrated_schema_equals_models(store):
    with store.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_migrations_are_idempotent_on_reopen(metadata_url, store):
    store.create_resource(_resource("a/1"))
    reopened = open_metadata_store(metadata_url)
    assert reopened.get_resource("a/1").document == {"arn": "a/1"}
    reopened.close()


def test_create_is_all_or_nothing(store):
    store.create_resource(_resource("a/1"), singleton_key="one-per-scope")
    with pytest.raises(ResourceAlreadyExistsException, match="taken"):
        store.create_resource(
            _resource("a/2"),
            singleton_key="one-per-scope",
            tags={"k": "v"},
            links=["a/1"],
            job=NewJob("work"),
            conflict_message="taken",
        )
    assert store.get_resource("a/2") is None
    assert store.claim_job("w") is None
    with pytest.raises(ResourceAlreadyExistsException):
        store.create_resource(_resource("a/1"))


def test_update_compare_and_set(store):
    store.create_resource(_resource("a/1"))
    updated = store.update_resource(
        "a/1", status="INACTIVE", changes={"x": 1}, expected_statuses=["ACTIVE"]
    )
    assert updated.status == "INACTIVE"
    assert updated.document == {"arn": "a/1", "x": 1}
    assert updated.updated_at >= updated.created_at
    with pytest.raises(ResourceInUseException, match="INACTIVE"):
        store.update_resource("a/1", status="ACTIVE", expected_statuses=["ACTIVE"])
    assert store.get_resource("a/1").status == "INACTIVE"
    with pytest.raises(ResourceNotFoundException):
        store.update_resource("a/missing", status="ACTIVE")


def test_list_pages_newest_first_per_parent(store):
    for index in range(7):
        parent = "p/1" if index % 2 == 0 else "p/2"
        store.create_resource(_resource(f"a/{index}", created_at=1000.0 + index, parent_arn=parent))
    store.create_resource(_resource("b/1", kind="other"))
    seen, token = [], None
    while True:
        page = store.list_resources("thing", max_results=3, next_token=token)
        seen += [r.arn for r in page.items]
        token = page.next_token
        if token is None:
            break
    assert seen == [f"a/{i}" for i in range(6, -1, -1)]
    under = store.list_resources("thing", parent_arn="p/1")
    assert [r.arn for r in under.items] == ["a/6", "a/4", "a/2", "a/0"]
    first = store.list_resources("thing", max_results=2)
    with pytest.raises(InvalidNextTokenException):
        store.list_resources("other", next_token=first.next_token)
    with pytest.raises(InvalidNextTokenException):
        store.list_resources("thing", next_token="not-a-token")


def test_equal_creation_times_page_without_loss(store):
    for index in range(5):
        store.create_resource(_resource(f"a/{index}", created_at=1000.0))
    seen, token = [], None
    for _ in range(5):
        page = store.list_resources("thing", max_results=2, next_token=token)
        seen += [r.arn for r in page.items]
        token = page.next_token
        if token is None:
            break
    assert sorted(seen) == [f"a/{i}" for i in range(5)]
    assert len(seen) == 5


def test_links_and_find(store):
    store.create_resource(_resource("s/1", kind="schema"))
    store.create_resource(_resource("d/1", kind="dataset", dataset_group_arn="g/1"), links=["s/1"])
    assert [r.arn for r in store.find_resources(["dataset"], linked_to="s/1")] == ["d/1"]
    assert [r.arn for r in store.find_resources(["dataset"], dataset_group_arn="g/1")] == ["d/1"]
    store.update_resource("d/1", links=["s/2"])
    assert store.find_resources(["dataset"], linked_to="s/1") == []
    store.delete_resource("d/1")
    assert store.find_resources(["dataset"], linked_to="s/2") == []


def test_tags_limit_and_removal(store):
    store.create_resource(_resource("a/1"), tags={"a": "1"})
    store.add_tags("a/1", {"a": "2", "b": "3"})
    assert store.get_tags("a/1") == {"a": "2", "b": "3"}
    with pytest.raises(TooManyTagsException):
        store.add_tags("a/1", {f"k{i}": "v" for i in range(49)})
    assert store.get_tags("a/1") == {"a": "2", "b": "3"}
    store.remove_tags("a/1", ["a", "unknown"])
    assert store.get_tags("a/1") == {"b": "3"}
    with pytest.raises(ResourceNotFoundException):
        store.get_tags("a/404")


def test_concurrent_workers_claim_each_job_exactly_once(metadata_url, store):
    job_ids = {store.enqueue_job("train", f"r/{i}", {"i": i}) for i in range(40)}
    claimed: list[int] = []
    lock = threading.Lock()

    def work(worker: str) -> None:
        own = open_metadata_store(metadata_url, migrate=False)
        while (job := own.claim_job(worker)) is not None:
            with lock:
                claimed.append(job.job_id)
            own.finish_job(job.job_id)
        own.close()

    threads = [threading.Thread(target=work, args=(f"w{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(claimed) == sorted(job_ids)
    assert store.count_jobs("done") == 40


def test_claim_by_kind_and_requeue_abandoned(store):
    store.enqueue_job("import", "r/1", {})
    store.enqueue_job("train", "r/2", {"epochs": 3})
    job = store.claim_job("w1", kinds=["train"])
    assert (job.kind, job.resource_arn, job.payload, job.attempts) == (
        "train",
        "r/2",
        {"epochs": 3},
        1,
    )
    assert store.requeue_abandoned_jobs(older_than_seconds=3600) == 0
    assert store.requeue_abandoned_jobs(older_than_seconds=-1) == 1
    again = store.claim_job("w2", kinds=["train"])
    assert again.job_id == job.job_id and again.attempts == 2
    store.finish_job(again.job_id, error="boom")
    assert store.count_jobs("failed") == 1


def test_unknown_url_scheme_lists_known_ones():
    with pytest.raises(ValueError, match="sqlite, postgresql"):
        open_metadata_store("mysql://localhost/db")
