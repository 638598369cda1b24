"""SQLAlchemy ORM rows of the metadata store. Rows never leave storage/: see ``to_entity``."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, MetaData, String, Text
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
