"""SQLAlchemy ORM rows of the metadata store. Rows never leave storage/: see ``to_entity``."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, BigInteger, Float, ForeignKey, Index, Integer, MetaData, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from domain.resources import Job, Resource

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base with deterministic constraint names (for Alembic)."""

    metadata = MetaData(naming_convention=NAMING)


class ResourceRow(Base):
    """One control-plane resource: indexed columns plus its AWS-shaped document."""

    __tablename__ = "resources"

    arn: Mapped[str] = mapped_column(String(512), primary_key=True)
    kind: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(256))
    status: Mapped[str | None] = mapped_column(String(64), nullable=True)
    parent_arn: Mapped[str | None] = mapped_column(String(512), nullable=True)
    dataset_group_arn: Mapped[str | None] = mapped_column(String(512), nullable=True)
    # Enforces "one of this kind per scope" (one event tracker per dataset group, ...).
    singleton_key: Mapped[str | None] = mapped_column(String(640), nullable=True, unique=True)
    created_at: Mapped[float] = mapped_column(Float)
    updated_at: Mapped[float] = mapped_column(Float)
    document: Mapped[dict[str, Any]] = mapped_column(JSON)

    __table_args__ = (
        Index("ix_resources_kind_created", "kind", "created_at", "arn"),
        Index("ix_resources_parent", "kind", "parent_arn"),
        Index("ix_resources_group", "dataset_group_arn", "kind"),
    )

    def to_entity(self) -> Resource:
        """The row as a domain entity."""
        return Resource(
            arn=self.arn,
            kind=self.kind,
            name=self.name,
            status=self.status,
            document=dict(self.document),
            parent_arn=self.parent_arn,
            dataset_group_arn=self.dataset_group_arn,
            created_at=self.created_at,
            updated_at=self.updated_at,
        )


class LinkRow(Base):
    """``source_arn`` uses ``target_arn`` (a dataset its schema, a campaign its version, ...)."""

    __tablename__ = "resource_links"

    source_arn: Mapped[str] = mapped_column(
        String(512), ForeignKey("resources.arn", ondelete="CASCADE"), primary_key=True
    )
    target_arn: Mapped[str] = mapped_column(String(512), primary_key=True)

    __table_args__ = (Index("ix_resource_links_target", "target_arn"),)


class TagRow(Base):
    """One tag of a resource."""

    __tablename__ = "resource_tags"

    resource_arn: Mapped[str] = mapped_column(
        String(512), ForeignKey("resources.arn", ondelete="CASCADE"), primary_key=True
    )
    tag_key: Mapped[str] = mapped_column(String(128), primary_key=True)
    tag_value: Mapped[str] = mapped_column(String(256))


class JobRow(Base):
    """A queued or running background job; workers claim rows in ``queued`` state."""

    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(64))
    resource_arn: Mapped[str] = mapped_column(String(512))
    state: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    worker_id: Mapped[str | None] = mapped_column(String(128), nullable=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[float] = mapped_column(Float)
    heartbeat_at: Mapped[float | None] = mapped_column(Float, nullable=True)
    finished_at: Mapped[float | None] = mapped_column(Float, nullable=True)

    __table_args__ = (Index("ix_jobs_state_id", "state", "id"),)

    def to_entity(self) -> Job:
        """The row as a domain job."""
        return Job(
            job_id=self.id,
            kind=self.kind,
            resource_arn=self.resource_arn,
            payload=dict(self.payload),
            attempts=self.attempts,
        )


# Autoincrementing 64-bit keys (SQLite only autoincrements INTEGER PRIMARY KEY).
BigId = BigInteger().with_variant(Integer, "sqlite")


class DatasetSegmentRow(Base):
    """One immutable Parquet segment of a dataset, written by a successful import job.

    A row exists only once its job succeeded, so every row is visible data. A FULL import
    supersedes the bulk segments before it (``superseded_at`` set in the same transaction).
    ``repeated_rows`` lists the rows (0-based, within the segment) that repeat an earlier row of
    the same import job (spec §5.3), as the import found them; empty when there are none, null
    when not known. Readers of a dataset holding one job's data drop those rows instead of
    de-duplicating.
    """

    __tablename__ = "dataset_segments"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    dataset_arn: Mapped[str] = mapped_column(String(512))
    import_job_arn: Mapped[str] = mapped_column(String(512))
    uri: Mapped[str] = mapped_column(Text)
    row_count: Mapped[int] = mapped_column(BigInteger)
    import_mode: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[float] = mapped_column(Float)
    superseded_at: Mapped[float | None] = mapped_column(Float, nullable=True)
    repeated_rows: Mapped[list[int] | None] = mapped_column(JSON, nullable=True)

    __table_args__ = (Index("ix_dataset_segments_dataset", "dataset_arn", "id"),)


class EventRow(Base):
    """One interaction event received by PutEvents: the durable event log, in arrival order."""

    __tablename__ = "events"

    seq: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    dataset_group_arn: Mapped[str] = mapped_column(String(512))
    user_id: Mapped[str | None] = mapped_column(String(256), nullable=True)
    session_id: Mapped[str] = mapped_column(String(256))
    item_id: Mapped[str | None] = mapped_column(String(256), nullable=True)
    event_type: Mapped[str] = mapped_column(String(256))
    event_value: Mapped[float | None] = mapped_column(Float, nullable=True)
    sent_at: Mapped[float] = mapped_column(Float)
    event_id: Mapped[str | None] = mapped_column(String(256), nullable=True)
    recommendation_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    impression: Mapped[str | None] = mapped_column(Text, nullable=True)
    properties: Mapped[str | None] = mapped_column(Text, nullable=True)
    metric_attribution_source: Mapped[str | None] = mapped_column(String(1024), nullable=True)
    received_at: Mapped[float] = mapped_column(Float)

    # A user's / a session's newest events (the online store). No leading dataset_group_arn:
    # every entry is written in the durable commit of each event, and the ARN made each several
    # times wider; a user's events are few, and the group is checked on those rows.
    __table_args__ = (
        Index("ix_events_user", "user_id", "seq"),
        Index("ix_events_session", "session_id", "seq"),
    )


class SessionUserRow(Base):
    """The user an anonymous session turned out to be (an event carried both ids)."""

    __tablename__ = "session_users"

    dataset_group_arn: Mapped[str] = mapped_column(String(512), primary_key=True)
    session_id: Mapped[str] = mapped_column(String(256), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(256))
    updated_at: Mapped[float] = mapped_column(Float)

    # The sessions of a user, for the user's history (the online store).
    __table_args__ = (Index("ix_session_users_group_user", "dataset_group_arn", "user_id"),)


class DatasetRecordRow(Base):
    """One item, user or action written by PutItems / PutUsers / PutActions (upsert by id)."""

    __tablename__ = "dataset_records"

    dataset_arn: Mapped[str] = mapped_column(String(512), primary_key=True)
    record_id: Mapped[str] = mapped_column(String(256), primary_key=True)
    properties: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[float] = mapped_column(Float)
