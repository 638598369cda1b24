"""Segment records: which Parquet segments are a dataset's data (the data store's manifest).

A segment becomes data in the same transaction that turns its import job ACTIVE, so an import
that fails, or never commits, changes nothing a reader sees. A FULL import supersedes the bulk
segments before it in that transaction too. Superseded records stay until segment collection
(``trainer/segment_collection.py``) has deleted their files, then it deletes them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, func, select, update

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
        repeated_rows: Rows (0-based, ascending) of this segment that repeat an earlier row
            of its import job (spec §5.3: equal in every column, or an event id seen before),
            as the import found them; empty when none; None when not known.

    """

    segment_id: int
    dataset_arn: str
    import_job_arn: str
    uri: str
    row_count: int
    import_mode: str
    created_at: float
    repeated_rows: tuple[int, ...] | None = None


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
        *,
        repeated_rows: Sequence[Sequence[int]] | None = None,
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
            repeated_rows: For each segment, its rows that repeat an earlier row of the job
                (see :class:`DatasetSegment`); None when the job did not check.

        Returns:
            The job as committed.

        Raises:
            ResourceNotFoundException: the job no longer exists.
            ResourceInUseException: the job is not CREATE IN_PROGRESS (stopped, failed, done).
            ValueError: ``import_mode`` is neither FULL nor INCREMENTAL, or ``repeated_rows``
                does not have one entry per segment.

        """
        if import_mode not in IMPORT_MODES:
            raise ValueError(f"import mode {import_mode!r} is not one of {IMPORT_MODES}")
        segments = list(segments)
        repeats = [None] * len(segments) if repeated_rows is None else list(repeated_rows)
        if len(repeats) != len(segments):
            raise ValueError(f"repeated_rows for {len(repeats)} of {len(segments)} segments")
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
                    repeated_rows=None if repeated is None else [int(r) for r in repeated],
                )
                for (uri, rows), repeated in zip(segments, repeats, strict=True)
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
        job, import mode and commit time; ``repeated_rows`` stays empty when it was (a subset
        of distinct rows is distinct) and is otherwise unknown (the rows moved). Callers
        replace a suffix of the visible segments, so that readers (the last row of an id wins)
        see the rows in their old order. Then
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
                            repeated_rows=[] if old.repeated_rows == [] else None,
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

    def segment_versions(self, dataset_arns: Iterable[str]) -> dict[str, tuple[int, int]]:
        """A version of each dataset's visible segment set, read in one query.

        A new segment always gets a larger id than every earlier one, so any change of the
        visible set (an import, a FULL import superseding, a data deletion replacing or dropping
        segments) changes ``(visible count, largest visible id)``.

        Args:
            dataset_arns: The datasets.

        Returns:
            Dataset ARN -> ``(visible segments, largest visible segment id)``; a dataset without
            a visible segment is left out.

        """
        arns = sorted(set(dataset_arns))
        if not arns:
            return {}
        query = (
            select(
                DatasetSegmentRow.dataset_arn,
                func.count(DatasetSegmentRow.id),
                func.max(DatasetSegmentRow.id),
            )
            .where(
                DatasetSegmentRow.dataset_arn.in_(arns),
                DatasetSegmentRow.superseded_at.is_(None),
            )
            .group_by(DatasetSegmentRow.dataset_arn)
        )
        with self._db.read() as session:
            return {arn: (int(count), int(top)) for arn, count, top in session.execute(query)}

    def segments_of_job(self, job_arn: str) -> list[DatasetSegment]:
        """Every segment an import job committed, superseded or not, in write order."""
        query = (
            select(DatasetSegmentRow)
            .where(DatasetSegmentRow.import_job_arn == job_arn)
            .order_by(DatasetSegmentRow.id)
        )
        with self._db.read() as session:
            return [_entity(row) for row in session.scalars(query)]

    def superseded_segments(self, superseded_before: float) -> list[DatasetSegment]:
        """Segments superseded (by a FULL import or a replacement) before a time, oldest first.

        Args:
            superseded_before: Epoch seconds; segments superseded at or after it are left out.

        """
        query = (
            select(DatasetSegmentRow)
            .where(
                DatasetSegmentRow.superseded_at.is_not(None),
                DatasetSegmentRow.superseded_at < superseded_before,
            )
            .order_by(DatasetSegmentRow.id)
        )
        with self._db.read() as session:
            return [_entity(row) for row in session.scalars(query)]

    def visible_uris(self, uris: Iterable[str]) -> set[str]:
        """Those of ``uris`` that a visible segment (of any dataset) names."""
        wanted = sorted(set(uris))
        found: set[str] = set()
        with self._db.read() as session:
            for start in range(0, len(wanted), _IN_CHUNK):
                query = select(DatasetSegmentRow.uri).where(
                    DatasetSegmentRow.superseded_at.is_(None),
                    DatasetSegmentRow.uri.in_(wanted[start : start + _IN_CHUNK]),
                )
                found.update(session.scalars(query))
        return found

    def recorded_uris(self, dataset_arn: str) -> set[str]:
        """Every file a segment record of the dataset names, visible or superseded."""
        query = select(DatasetSegmentRow.uri).where(DatasetSegmentRow.dataset_arn == dataset_arn)
        with self._db.read() as session:
            return set(session.scalars(query))

    def forget_superseded(self, segment_ids: Iterable[int]) -> int:
        """Delete the records of superseded segments whose files are gone, in one transaction.

        Visible segments among ``segment_ids`` are never deleted. Two collectors forgetting
        the same segments at once both succeed; only one of them counts them.

        Args:
            segment_ids: Ids of superseded segments.

        Returns:
            How many records this call deleted.

        """
        ids = sorted(set(segment_ids))
        deleted = 0
        with self._db.write() as session:
            for start in range(0, len(ids), _IN_CHUNK):
                result = session.execute(
                    delete(DatasetSegmentRow).where(
                        DatasetSegmentRow.id.in_(ids[start : start + _IN_CHUNK]),
                        DatasetSegmentRow.superseded_at.is_not(None),
                    )
                )
                deleted += result.rowcount or 0
        return deleted


#: Values per SQL ``IN`` list (SQLite allows 32,766 bound parameters).
_IN_CHUNK = 500


def _entity(row: DatasetSegmentRow) -> DatasetSegment:
    return DatasetSegment(
        segment_id=row.id,
        dataset_arn=row.dataset_arn,
        import_job_arn=row.import_job_arn,
        uri=row.uri,
        row_count=row.row_count,
        import_mode=row.import_mode,
        created_at=row.created_at,
        repeated_rows=None if row.repeated_rows is None else tuple(row.repeated_rows),
    )
