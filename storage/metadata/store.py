"""The metadata store interface and its SQLAlchemy implementation (SQLite and PostgreSQL)."""

from __future__ import annotations

import base64
import binascii
import json
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, delete, func, or_, select, update

from domain.errors import (
    InvalidNextTokenException,
    ResourceInUseException,
    ResourceNotFoundException,
    TooManyTagsException,
)
from domain.resources import Job, Resource, now
from storage.metadata.engine import SessionScopes, create_metadata_engine
from storage.metadata.migrate import upgrade_to_head
from storage.metadata.models import DatasetSegmentRow, JobRow, LinkRow, ResourceRow, TagRow
from storage.metadata.segments import SegmentRecords

MAX_TAGS_PER_RESOURCE = 50


@dataclass(frozen=True)
class NewJob:
    """A job to enqueue in the same transaction as a resource change."""

    kind: str
    payload: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Page:
    """One page of a List call."""

    items: list[Resource]
    next_token: str | None


class MetadataStore(ABC):
    """Everything the control plane and the trainer persist about resources and jobs."""

    #: The datasets' segment records (which Parquet files are each dataset's data).
    segments: SegmentRecords

    @abstractmethod
    def create_resource(
        self,
        resource: Resource,
        *,
        links: Iterable[str] = (),
        tags: Mapping[str, str] | None = None,
        singleton_key: str | None = None,
        job: NewJob | None = None,
        conflict_message: str | None = None,
    ) -> Resource:
        """Insert a resource with its links, tags and an optional job, all or nothing.

        Raises:
            ResourceAlreadyExistsException: the ARN (or singleton key) is taken.

        """

    @abstractmethod
    def get_resource(self, arn: str) -> Resource | None:
        """The resource with that ARN, or None."""

    @abstractmethod
    def update_resource(
        self,
        arn: str,
        *,
        status: str | None = None,
        changes: Mapping[str, Any] | None = None,
        removals: Iterable[str] = (),
        expected_statuses: Iterable[str] | None = None,
        job: NewJob | None = None,
        links: Iterable[str] | None = None,
    ) -> Resource:
        """Change a resource's status and/or document members atomically.

        Args:
            arn: The resource.
            status: New status, if it changes.
            changes: Document members to set.
            removals: Document members to remove.
            expected_statuses: If given, the update happens only while the current status is
                one of these (compare-and-set); otherwise ResourceInUseException.
            job: A job to enqueue in the same transaction.
            links: If given, replaces the resource's links.

        Raises:
            ResourceNotFoundException: no such resource.
            ResourceInUseException: the status is not one of ``expected_statuses``.

        """

    @abstractmethod
    def delete_resource(self, arn: str) -> None:
        """Remove a resource with its links, tags and segment records (no-op when absent)."""

    @abstractmethod
    def list_resources(
        self,
        kind: str,
        *,
        parent_arn: str | None = None,
        max_results: int = 100,
        next_token: str | None = None,
    ) -> Page:
        """Resources of one kind, newest first, optionally under one parent.

        Raises:
            InvalidNextTokenException: ``next_token`` is not from a previous page of this listing.

        """

    @abstractmethod
    def find_resources(
        self,
        kinds: Iterable[str],
        *,
        dataset_group_arn: str | None = None,
        parent_arn: str | None = None,
        statuses: Iterable[str] | None = None,
        linked_to: str | None = None,
    ) -> list[Resource]:
        """All resources of the given kinds matching every given condition."""

    @abstractmethod
    def get_tags(self, arn: str) -> dict[str, str]:
        """The resource's tags (raises ResourceNotFoundException for an unknown ARN)."""

    @abstractmethod
    def add_tags(self, arn: str, tags: Mapping[str, str]) -> None:
        """Add or overwrite tags (TooManyTagsException beyond 50 per resource)."""

    @abstractmethod
    def remove_tags(self, arn: str, keys: Iterable[str]) -> None:
        """Remove tags by key; unknown keys are ignored."""

    @abstractmethod
    def enqueue_job(self, kind: str, resource_arn: str, payload: Mapping[str, Any]) -> int:
        """Queue a job and return its id."""

    @abstractmethod
    def claim_job(self, worker_id: str, kinds: Iterable[str] | None = None) -> Job | None:
        """Atomically take the oldest queued job (of the given kinds); None when there is none."""

    @abstractmethod
    def finish_job(self, job_id: int, *, error: str | None = None) -> None:
        """Mark a claimed job done (or failed with ``error``)."""

    @abstractmethod
    def requeue_abandoned_jobs(self, older_than_seconds: float) -> int:
        """Put running jobs whose worker stopped heart-beating back in the queue."""

    @abstractmethod
    def heartbeat_job(self, job_id: int) -> None:
        """Record that the worker holding ``job_id`` is alive."""


class SqlMetadataStore(MetadataStore):
    """The metadata store on SQLAlchemy: SQLite by default, PostgreSQL by URL."""

    def __init__(self, url: str, *, migrate: bool = True) -> None:
        self.engine = create_metadata_engine(url)
        self.dialect = self.engine.dialect.name
        if migrate:
            upgrade_to_head(self.engine)
        self._db = SessionScopes(self.engine)
        self.segments = SegmentRecords(self._db)

    def close(self) -> None:
        """Release pooled connections."""
        self.engine.dispose()

    def create_resource(
        self, resource, *, links=(), tags=None, singleton_key=None, job=None, conflict_message=None
    ):
        message = conflict_message or f"{resource.kind} {resource.arn} already exists"
        with self._db.write(message) as session:
            session.add(
                ResourceRow(
                    arn=resource.arn,
                    kind=resource.kind,
                    name=resource.name,
                    status=resource.status,
                    parent_arn=resource.parent_arn,
                    dataset_group_arn=resource.dataset_group_arn,
                    singleton_key=singleton_key,
                    created_at=resource.created_at,
                    updated_at=resource.updated_at,
                    document=resource.document,
                )
            )
            session.flush()
            session.add_all(LinkRow(source_arn=resource.arn, target_arn=t) for t in set(links))
            session.add_all(
                TagRow(resource_arn=resource.arn, tag_key=k, tag_value=v)
                for k, v in (tags or {}).items()
            )
            if job is not None:
                session.add(_job_row(job.kind, resource.arn, job.payload))
        return resource

    def get_resource(self, arn):
        with self._db.read() as session:
            row = session.get(ResourceRow, arn)
            return row.to_entity() if row else None

    def update_resource(
        self,
        arn,
        *,
        status=None,
        changes=None,
        removals=(),
        expected_statuses=None,
        job=None,
        links=None,
    ):
        with self._db.write() as session:
            row = session.get(ResourceRow, arn, with_for_update=True)
            if row is None:
                raise ResourceNotFoundException(f"{arn} does not exist")
            if expected_statuses is not None and row.status not in set(expected_statuses):
                raise ResourceInUseException(f"{arn} is in status {row.status}")
            document = dict(row.document)
            document.update(changes or {})
            for key in removals:
                document.pop(key, None)
            row.document = document
            if status is not None:
                row.status = status
            row.updated_at = max(now(), row.updated_at)
            if links is not None:
                session.execute(delete(LinkRow).where(LinkRow.source_arn == arn))
                session.add_all(LinkRow(source_arn=arn, target_arn=t) for t in set(links))
            if job is not None:
                session.add(_job_row(job.kind, arn, job.payload))
            session.flush()
            return row.to_entity()

    def delete_resource(self, arn):
        with self._db.write() as session:
            session.execute(delete(LinkRow).where(LinkRow.source_arn == arn))
            session.execute(delete(TagRow).where(TagRow.resource_arn == arn))
            # A dataset created again under the same ARN must not see the old one's data.
            session.execute(delete(DatasetSegmentRow).where(DatasetSegmentRow.dataset_arn == arn))
            session.execute(delete(ResourceRow).where(ResourceRow.arn == arn))

    def list_resources(self, kind, *, parent_arn=None, max_results=100, next_token=None):
        scope = f"{kind}|{parent_arn or ''}"
        query = select(ResourceRow).where(ResourceRow.kind == kind)
        if parent_arn is not None:
            query = query.where(ResourceRow.parent_arn == parent_arn)
        if next_token:
            created_at, last_arn = _decode_token(next_token, scope)
            query = query.where(
                or_(
                    ResourceRow.created_at < created_at,
                    and_(ResourceRow.created_at == created_at, ResourceRow.arn < last_arn),
                )
            )
        query = query.order_by(ResourceRow.created_at.desc(), ResourceRow.arn.desc())
        with self._db.read() as session:
            rows = session.scalars(query.limit(max_results + 1)).all()
        items = [row.to_entity() for row in rows[:max_results]]
        token = None
        if len(rows) > max_results:
            token = _encode_token(items[-1].created_at, items[-1].arn, scope)
        return Page(items=items, next_token=token)

    def find_resources(
        self, kinds, *, dataset_group_arn=None, parent_arn=None, statuses=None, linked_to=None
    ):
        query = select(ResourceRow).where(ResourceRow.kind.in_(list(kinds)))
        if dataset_group_arn is not None:
            query = query.where(ResourceRow.dataset_group_arn == dataset_group_arn)
        if parent_arn is not None:
            query = query.where(ResourceRow.parent_arn == parent_arn)
        if statuses is not None:
            query = query.where(ResourceRow.status.in_(list(statuses)))
        if linked_to is not None:
            query = query.join(LinkRow, LinkRow.source_arn == ResourceRow.arn).where(
                LinkRow.target_arn == linked_to
            )
        with self._db.read() as session:
            rows = session.scalars(query.order_by(ResourceRow.created_at.desc())).all()
            return [row.to_entity() for row in rows]

    def get_tags(self, arn):
        with self._db.read() as session:
            self._require(session, arn)
            rows = session.scalars(select(TagRow).where(TagRow.resource_arn == arn)).all()
            return {row.tag_key: row.tag_value for row in rows}

    def add_tags(self, arn, tags):
        with self._db.write() as session:
            self._require(session, arn, lock=True)
            existing = {
                row.tag_key: row
                for row in session.scalars(select(TagRow).where(TagRow.resource_arn == arn))
            }
            if len(set(existing) | set(tags)) > MAX_TAGS_PER_RESOURCE:
                raise TooManyTagsException(
                    f"{arn} would have more than {MAX_TAGS_PER_RESOURCE} tags"
                )
            for key, value in tags.items():
                if key in existing:
                    existing[key].tag_value = value
                else:
                    session.add(TagRow(resource_arn=arn, tag_key=key, tag_value=value))

    def remove_tags(self, arn, keys):
        with self._db.write() as session:
            self._require(session, arn)
            session.execute(
                delete(TagRow).where(TagRow.resource_arn == arn, TagRow.tag_key.in_(list(keys)))
            )

    def enqueue_job(self, kind, resource_arn, payload):
        with self._db.write() as session:
            row = _job_row(kind, resource_arn, payload)
            session.add(row)
            session.flush()
            return row.id

    def claim_job(self, worker_id, kinds=None):
        with self._db.write() as session:
            query = select(JobRow).where(JobRow.state == "queued")
            if kinds is not None:
                query = query.where(JobRow.kind.in_(list(kinds)))
            query = query.order_by(JobRow.id).limit(1)
            if self.dialect == "postgresql":
                query = query.with_for_update(skip_locked=True)
            row = session.scalars(query).first()
            if row is None:
                return None
            row.state = "running"
            row.worker_id = worker_id
            row.attempts += 1
            row.heartbeat_at = now()
            session.flush()
            return row.to_entity()

    def finish_job(self, job_id, *, error=None):
        with self._db.write() as session:
            session.execute(
                update(JobRow)
                .where(JobRow.id == job_id)
                .values(state="failed" if error else "done", error=error, finished_at=now())
            )

    def heartbeat_job(self, job_id):
        with self._db.write() as session:
            session.execute(update(JobRow).where(JobRow.id == job_id).values(heartbeat_at=now()))

    def requeue_abandoned_jobs(self, older_than_seconds):
        with self._db.write() as session:
            result = session.execute(
                update(JobRow)
                .where(
                    JobRow.state == "running",
                    JobRow.heartbeat_at < now() - older_than_seconds,
                )
                .values(state="queued", worker_id=None)
            )
            return result.rowcount or 0

    def count_jobs(self, state: str) -> int:
        """Number of jobs in ``state`` (for tests and metrics)."""
        with self._db.read() as session:
            return session.scalar(select(func.count()).where(JobRow.state == state)) or 0

    @staticmethod
    def _require(session, arn: str, lock: bool = False) -> ResourceRow:  # type: ignore[no-untyped-def]
        row = session.get(ResourceRow, arn, with_for_update=lock)
        if row is None:
            raise ResourceNotFoundException(f"resource {arn} does not exist")
        return row


def open_metadata_store(url: str, *, migrate: bool = True) -> SqlMetadataStore:
    """Open the metadata store at ``url`` (``sqlite:///...`` or ``postgresql://...``)."""
    return SqlMetadataStore(url, migrate=migrate)


def _job_row(kind: str, resource_arn: str, payload: Mapping[str, Any]) -> JobRow:
    return JobRow(
        kind=kind,
        resource_arn=resource_arn,
        state="queued",
        attempts=0,
        payload=dict(payload),
        created_at=now(),
    )


def _encode_token(created_at: float, arn: str, scope: str) -> str:
    raw = json.dumps([created_at, arn, scope]).encode()
    return base64.urlsafe_b64encode(raw).decode()


def _decode_token(token: str, scope: str) -> tuple[float, str]:
    try:
        created_at, arn, token_scope = json.loads(base64.urlsafe_b64decode(token.encode()))
        if token_scope != scope:
            raise ValueError("token of another listing")
        return float(created_at), str(arn)
    except (ValueError, TypeError, binascii.Error, json.JSONDecodeError) as exc:
        raise InvalidNextTokenException(f"nextToken {token[:40]!r} is not valid") from exc
