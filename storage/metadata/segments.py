"""Segment records: which Parquet segments are a dataset's data (the data store's manifest).

A segment becomes data in the same transaction that turns its import job ACTIVE, so an import
that fails, or never commits, changes nothing a reader sees. A FULL import supersedes the bulk
segments before it in that transaction too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select, update

from domain.errors import ResourceInUseException, ResourceNotFoundException
from domain.resources import ACTIVE, CREATE_IN_PROGRESS, Resource, now
from storage.metadata.engine import SessionScopes
from storage.metadata.models import DatasetSegmentRow, ResourceRow

IMPORT_MODES = ("FULL", "INCREMENTAL")


@dataclass(frozen=True)
class DatasetSegment:
    """One visible Parquet segment of a dataset.

    Attributes:
        segment_id: Store-assigned id; later commits have larger ids.
        dataset_arn: The dataset it belongs to.
        import_job_arn: The import job that wrote it.
        uri: Where the Parquet file is (``file://...`` or ``s3://...``).
        row_count: Rows in the file.
        import_mode: ``FULL`` or ``INCREMENTAL``.
        created_at: When its import committed, epoch seconds.

    """

    segment_id: int
    dataset_arn: str
    import_job_arn: str
    uri: str
    row_count: int
    import_mode: str
    created_at: float


@dataclass(frozen=True)
class SegmentReplacement:
    """A visible segment and what takes its place (see :meth:`SegmentRecords.replace_segments`).

    Attributes:
        segment_id: The visible segment replaced.
        new_segments: ``(uri, row count)`` of its replacements in order; empty to drop it. A
            replacement may name the segment's own file (its rows are unchanged, but it must
            move after a rewritten segment to keep the commit order).

    """

    segment_id: int
    new_segments: tuple[tuple[str, int], ...]


class SegmentsChanged(ResourceInUseException):
    """A dataset's visible segments are no longer those the replacement was computed from."""


class SegmentRecords:
    """The ``dataset_segments`` table, in the metadata store's own transactions."""

    def __init__(self, db: SessionScopes) -> None:
        """Use the session scopes of the owning metadata store."""
        self._db = db

    def commit_import(
        self,
        job_arn: str,
        dataset_arn: str,
        segments: Iterable[tuple[str, int]],
        import_mode: str,
        job_changes: Mapping[str, Any] | None = None,
    ) -> Resource:
        """Make an import job's segments the dataset's data and the job ACTIVE, atomically.

        In one transaction: a FULL import marks every earlier visible segment of the dataset
        superseded; the new segments are recorded; the job goes from CREATE IN_PROGRESS to
        ACTIVE with ``job_changes`` merged into its document. Any failure rolls all of it back.

        Args:
            job_arn: The import job (must be CREATE IN_PROGRESS).
            dataset_arn: The dataset imported into.
            segments: ``(uri, row count)`` of each segment, in write order (may be empty).
            import_mode: ``FULL`` (replaces earlier bulk data) or ``INCREMENTAL`` (appends).
            job_changes: Document members to set on the job (record counts, progress).

        Returns:
            The job as committed.

        Raises:
            ResourceNotFoundException: the job no longer exists.
            ResourceInUseException: the job is not CREATE IN_PROGRESS (stopped, failed, done).
            ValueError: ``import_mode`` is neither FULL nor INCREMENTAL.

        """
        if import_mode not in IMPORT_MODES:
            raise ValueError(f"import mode {import_mode!r} is not one of {IMPORT_MODES}")
        stamp = now()
        with self._db.write() as session:
            # Locking the dataset serialises concurrent commits into it, so that a FULL import
            # supersedes everything committed before it.
            if session.get(ResourceRow, dataset_arn, with_for_update=True) is None:
                raise ResourceNotFoundException(f"dataset {dataset_arn} no longer exists")
            if import_mode == "FULL":
                session.execute(
                    update(DatasetSegmentRow)
                    .where(
                        DatasetSegmentRow.dataset_arn == dataset_arn,
                        DatasetSegmentRow.superseded_at.is_(None),
                    )
                    .values(superseded_at=stamp)
                )
            session.add_all(
                DatasetSegmentRow(
                    dataset_arn=dataset_arn,
                    import_job_arn=job_arn,
                    uri=uri,
                    row_count=rows,
                    import_mode=import_mode,
                    created_at=stamp,
                )
                for uri, rows in segments
            )
            session.flush()
            # Checked last, under the row lock: a refusal here also undoes the writes above.
            job = session.get(ResourceRow, job_arn, with_for_update=True)
            if job is None:
                raise ResourceNotFoundException(f"import job {job_arn} no longer exists")
            if job.status != CREATE_IN_PROGRESS:
                raise ResourceInUseException(
                    f"import job {job_arn} is {job.status}, not {CREATE_IN_PROGRESS}; "
                    "its data was not committed"
                )
            job.document = {**job.document, **(job_changes or {})}
            job.status = ACTIVE
            job.updated_at = max(stamp, job.updated_at)
            session.flush()
            return job.to_entity()

    def replace_segments(
        self,
        job_arn: str,
        job_status: str,
        replacements: Mapping[str, Sequence[SegmentReplacement]],
        expected_visible: Mapping[str, Sequence[int]],
        job_changes: Callable[[Connection], Mapping[str, Any]] | None = None,
    ) -> Resource:
        """Swap rewritten segments in for visible ones, atomically, in commit order.

        In one transaction, for each dataset (locked, in ARN order): its visible segment ids
        must still be ``expected_visible``; each replaced segment is superseded and its
        replacements are recorded after every kept segment, with the replaced segment's import
        job, import mode and commit time. Callers replace a suffix of the visible segments, so
        that readers (the last row of an id wins) see the rows in their old order. Then
        ``job_changes`` runs on the same connection (more deletes of the same job) and the
        members it returns are merged into the job's document. Any failure rolls all of it back.

        Args:
            job_arn: The job doing it (a data deletion job); it must have ``job_status``.
            job_status: The status the job must have (it is left unchanged).
            replacements: Dataset ARN -> the segments replaced, oldest first.
            expected_visible: Dataset ARN -> the visible segment ids the replacements were
                computed from (every dataset of ``replacements`` must be here).
            job_changes: Work in the same transaction; returns job document members to set.

        Returns:
            The job as committed.

        Raises:
            SegmentsChanged: a dataset's visible segments changed (an import committed): read
                them again and retry.
            ResourceNotFoundException: a dataset or the job no longer exists.
            ResourceInUseException: the job does not have ``job_status``.

        """
        stamp = now()
        with self._db.write() as session:
            for dataset_arn in sorted(expected_visible):
                if session.get(ResourceRow, dataset_arn, with_for_update=True) is None:
                    raise ResourceNotFoundException(f"dataset {dataset_arn} no longer exists")
                visible = session.scalars(
                    select(DatasetSegmentRow)
                    .where(
                        DatasetSegmentRow.dataset_arn == dataset_arn,
                        DatasetSegmentRow.superseded_at.is_(None),
                    )
                    .order_by(DatasetSegmentRow.id)
                ).all()
                if [row.id for row in visible] != list(expected_visible[dataset_arn]):
                    raise SegmentsChanged(f"the segments of dataset {dataset_arn} changed")
                by_id = {row.id: row for row in visible}
                for replacement in replacements.get(dataset_arn, ()):
                    old = by_id[replacement.segment_id]
                    old.superseded_at = stamp
                    session.add_all(
                        DatasetSegmentRow(
                            dataset_arn=dataset_arn,
                            import_job_arn=old.import_job_arn,
                            uri=uri,
                            row_count=rows,
                            import_mode=old.import_mode,
                            created_at=old.created_at,
                        )
                        for uri, rows in replacement.new_segments
                    )
                    session.flush()  # ids in replacement order
            changes = dict(job_changes(session.connection())) if job_changes else {}
            job = session.get(ResourceRow, job_arn, with_for_update=True)
            if job is None:
                raise ResourceNotFoundException(f"job {job_arn} no longer exists")
            if job.status != job_status:
                raise ResourceInUseException(
                    f"job {job_arn} is {job.status}, not {job_status}; nothing was changed"
                )
            job.document = {**job.document, **changes}
            job.updated_at = max(stamp, job.updated_at)
            session.flush()
            return job.to_entity()

    def visible_segments(self, dataset_arn: str) -> list[DatasetSegment]:
        """The dataset's current segments, oldest commit first (superseded ones excluded)."""
        query = (
            select(DatasetSegmentRow)
            .where(
                DatasetSegmentRow.dataset_arn == dataset_arn,
                DatasetSegmentRow.superseded_at.is_(None),
            )
            .order_by(DatasetSegmentRow.id)
        )
        with self._db.read() as session:
            return [_entity(row) for row in session.scalars(query)]

    def segments_of_job(self, job_arn: str) -> list[DatasetSegment]:
        """Every segment an import job committed, superseded or not, in write order."""
        query = (
            select(DatasetSegmentRow)
            .where(DatasetSegmentRow.import_job_arn == job_arn)
            .order_by(DatasetSegmentRow.id)
        )
        with self._db.read() as session:
            return [_entity(row) for row in session.scalars(query)]


def _entity(row: DatasetSegmentRow) -> DatasetSegment:
    return DatasetSegment(
        segment_id=row.id,
        dataset_arn=row.dataset_arn,
        import_job_arn=row.import_job_arn,
        uri=row.uri,
        row_count=row.row_count,
        import_mode=row.import_mode,
        created_at=row.created_at,
    )
