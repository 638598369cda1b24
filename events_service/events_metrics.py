"""Prometheus metrics of the events service: what is durably stored and how it is committed.

Labels are bounded (the operation name only); tracker, user and item ids are never labels.
"""

from __future__ import annotations

from prometheus_client import Counter, Histogram

EVENTS_APPLIED = Counter(
    "tailor_events_applied_total",
    "Events (PutEvents) and records (PutItems/PutUsers/PutActions) durably stored, by operation",
    ["operation"],
)
GROUP_COMMIT_BATCH_SIZE = Histogram(
    "tailor_events_group_commit_batch_size",
    "Events per group commit of the events service (records and links not counted)",
    buckets=(0, 1, 10, 20, 50, 100, 200, 500, 1000, 2000),
)
GROUP_COMMIT_SECONDS = Histogram(
    "tailor_events_group_commit_seconds",
    "Duration of one group commit (insert, fsync) of the events service",
    buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1),
)


def observe_commit(calls: int, events: int, seconds: float) -> None:
    """Record one group commit (the writer's ``on_commit`` callback).

    Args:
        calls: Calls the commit acknowledged.
        events: Events it stored.
        seconds: How long the transaction and commit took.

    """
    GROUP_COMMIT_BATCH_SIZE.observe(events)
    GROUP_COMMIT_SECONDS.observe(seconds)
