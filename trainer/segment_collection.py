"""Segment garbage collection: delete the files no dataset reads any more (a housekeeping task).

Two kinds of files are collected:

* Superseded segments: a FULL import supersedes every segment before it, and a data deletion
  job replaces the segments holding the deleted users (it deletes those files itself right after
  its commit; collection deletes them again, harmlessly, and forgets their records). A superseded
  segment's file is deleted once no visible segment names it, then its record is deleted.
* Orphans: files in a dataset's folder that no segment record names, such as the staged or
  finished files of an import whose worker died before its commit, or the file of a segment whose
  record was forgotten before the file could be deleted.

Both wait out a grace period (:data:`GRACE_SECONDS`, 10 minutes) after the supersession, or after
the orphan's last write. A training job, a batch job or a runtime deployment that listed the
segments just before the supersession may still be reading the old files; those reads open every
file within seconds to a few minutes of listing them, so ten minutes leaves a wide margin while
deleted users' data (privacy) and old imports (disk) still go soon. Files of an import or data
deletion job that is still running are never orphans, however old: a long import finishes its
first segment long before it commits.

Several workers may collect at once: deleting a missing file is not an error, and a record is
deleted in one transaction that only one of them counts.
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass

from storage.data import SegmentStore
from storage.metadata.store import MetadataStore

log = logging.getLogger(__name__)

#: Least age of a supersession, or of an orphan file, before its file is deleted (seconds).
GRACE_SECONDS = 600.0
#: Least pause between two collections (the worker's housekeeping runs every 15 s).
EVERY_SECONDS = 300.0
#: Job kinds that write segment files, and their statuses while the files may not be recorded yet.
WRITING_JOB_KINDS = ("dataset-import-job", "data-deletion-job")
RUNNING_STATUSES = (
    "CREATE PENDING",
    "CREATE IN_PROGRESS",
    "CREATE STOPPING",
    "PENDING",
    "IN_PROGRESS",
)
# ``{job name}[.del{segment id}]-{n}.parquet[.staging]`` (see ``storage/data``).
_FILE_NAME = re.compile(r"^(?P<job>[^.]+?)(?:\.del\d+)?-\d+\.parquet(?:\.staging)?$")


@dataclass(frozen=True)
class CollectionReport:
    """What one collection did.

    Attributes:
        superseded_files: Files of superseded segments deleted (or already gone).
        forgotten_segments: Superseded segment records this collection deleted.
        orphan_files: Files no segment record named that were deleted.

    """

    superseded_files: int = 0
    forgotten_segments: int = 0
    orphan_files: int = 0


class SegmentCollector:
    """Deletes superseded and orphaned segment files (a ``trainer.worker.HousekeepingTask``)."""

    def __init__(
        self,
        segment_store: SegmentStore,
        *,
        grace_seconds: float = GRACE_SECONDS,
        every_seconds: float = EVERY_SECONDS,
    ) -> None:
        """Create the collector.

        Args:
            segment_store: The store holding the dataset segments.
            grace_seconds: Least age of a supersession or an orphan file before it is deleted.
            every_seconds: Least pause between two collections; calls in between do nothing.

        """
        self.segment_store = segment_store
        self.grace_seconds = grace_seconds
        self.every_seconds = every_seconds
        self._next_run = 0.0

    def __call__(self, store: MetadataStore) -> CollectionReport | None:
        """Collect if ``every_seconds`` have passed since the last collection.

        Returns:
            What was collected; None when it was not yet time.

        """
        if time.monotonic() < self._next_run:
            return None
        self._next_run = time.monotonic() + self.every_seconds
        return self.collect(store)

    def collect(self, store: MetadataStore) -> CollectionReport:
        """Collect now.

        Raises:
            OSError: the segment storage failed (what was collected before stays collected).

        """
        cutoff = time.time() - self.grace_seconds
        files, forgotten = self._collect_superseded(store, cutoff)
        orphans = self._collect_orphans(store, cutoff)
        report = CollectionReport(files, forgotten, orphans)
        if files or forgotten or orphans:
            log.info("segment collection: %s", report)
        return report

    def _collect_superseded(self, store: MetadataStore, cutoff: float) -> tuple[int, int]:
        segments = store.segments.superseded_segments(cutoff)
        if not segments:
            return 0, 0
        # A data deletion replacement may name its old segment's own file: keep what is read.
        visible = store.segments.visible_uris(segment.uri for segment in segments)
        doomed = sorted({segment.uri for segment in segments} - visible)
        self.segment_store.delete(doomed)
        # Records go only after their files: a crash in between leaves records to retry.
        return len(doomed), store.segments.forget_superseded(s.segment_id for s in segments)

    def _collect_orphans(self, store: MetadataStore, cutoff: float) -> int:
        running = {
            job.name for job in store.find_resources(WRITING_JOB_KINDS, statuses=RUNNING_STATUSES)
        }
        deleted = 0
        for dataset in store.find_resources(["dataset"]):
            files = [
                f
                for f in self.segment_store.list_files(dataset.arn)
                if f.modified_at < cutoff and _job_name(f.uri) not in running
            ]
            if not files:
                continue
            recorded = store.segments.recorded_uris(dataset.arn)
            orphans = [f.uri for f in files if f.uri not in recorded]
            self.segment_store.delete(orphans)
            deleted += len(orphans)
        return deleted


def _job_name(uri: str) -> str | None:
    """The job that wrote a segment file, from its name; None for a file no job names so."""
    match = _FILE_NAME.match(uri.rsplit("/", 1)[-1])
    return match.group("job") if match else None
