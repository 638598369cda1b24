"""The entity every control-plane resource is stored as, and the statuses it moves through.

Tailor keeps each resource as its AWS-shaped document (the members ``Describe<Resource>`` returns,
with AWS member names) plus the few columns the store indexes. Services build and change documents;
the store never interprets them.
"""

from __future__ import annotations

import copy
import time
from dataclasses import dataclass, field
from typing import Any

CREATE_PENDING = "CREATE PENDING"
CREATE_IN_PROGRESS = "CREATE IN_PROGRESS"
ACTIVE = "ACTIVE"
CREATE_FAILED = "CREATE FAILED"
DELETE_PENDING = "DELETE PENDING"
DELETE_IN_PROGRESS = "DELETE IN_PROGRESS"
CREATE_STOPPING = "CREATE STOPPING"
CREATE_STOPPED = "CREATE STOPPED"
STOP_PENDING = "STOP PENDING"
STOP_IN_PROGRESS = "STOP IN_PROGRESS"
INACTIVE = "INACTIVE"
START_PENDING = "START PENDING"
START_IN_PROGRESS = "START IN_PROGRESS"

#: Statuses of a resource whose creation has not finished yet.
CREATING = frozenset({CREATE_PENDING, CREATE_IN_PROGRESS})
#: Statuses from which AWS allows a delete.
DELETABLE = frozenset({ACTIVE, CREATE_FAILED, INACTIVE, CREATE_STOPPED})


def now() -> float:
    """Current time as epoch seconds with millisecond precision (the AWS wire format)."""
    return round(time.time(), 3)


@dataclass
class Resource:
    """One control-plane resource.

    Attributes:
        arn: The resource's ARN (primary key).
        kind: Resource kind, e.g. ``dataset-group`` (the ARN's resource type).
        name: The user-given name (or job name).
        status: AWS status string, or None for kinds without one (schemas).
        document: AWS-shaped members other than status and timestamps.
        parent_arn: ARN the kind's List operation filters by (datasetGroupArn, solutionArn, ...).
        dataset_group_arn: Dataset group the resource belongs to, if any.
        created_at: creationDateTime, epoch seconds.
        updated_at: lastUpdatedDateTime, epoch seconds.

    """

    arn: str
    kind: str
    name: str
    status: str | None
    document: dict[str, Any] = field(default_factory=dict)
    parent_arn: str | None = None
    dataset_group_arn: str | None = None
    created_at: float = field(default_factory=now)
    updated_at: float = 0.0

    def __post_init__(self) -> None:
        if not self.updated_at:
            self.updated_at = self.created_at

    @classmethod
    def in_group(
        cls,
        *,
        arn: str,
        kind: str,
        name: str,
        group_arn: str,
        document: dict[str, Any],
        status: str | None = ACTIVE,
    ) -> Resource:
        """A resource that belongs to a dataset group and is listed under it."""
        return cls(
            arn=arn,
            kind=kind,
            name=name,
            status=status,
            document=document,
            parent_arn=group_arn,
            dataset_group_arn=group_arn,
        )

    def to_aws(self) -> dict[str, Any]:
        """The resource as its AWS ``Describe`` shape (a fresh dict)."""
        body = copy.deepcopy(self.document)
        if self.status is not None:
            body["status"] = self.status
        body["creationDateTime"] = self.created_at
        body["lastUpdatedDateTime"] = self.updated_at
        return body

    def summary(self, *members: str) -> dict[str, Any]:
        """The resource's ``<Resource>Summary`` shape: the given members plus status and times."""
        full = self.to_aws()
        keys = (*members, "status", "creationDateTime", "lastUpdatedDateTime", "failureReason")
        return {key: full[key] for key in keys if key in full}


@dataclass(frozen=True)
class Job:
    """A unit of background work claimed by a trainer worker.

    Attributes:
        job_id: Store-assigned id.
        kind: What to do (``dataset-import``, ``solution-version``, ...).
        resource_arn: The resource whose status the job drives.
        payload: Job parameters (JSON-compatible).
        attempts: How many times a worker has claimed it.

    """

    job_id: int
    kind: str
    resource_arn: str
    payload: dict[str, Any]
    attempts: int
