"""The job loop: claim a job, run its handler, record the outcome on the job's resource.

Between jobs, every ``housekeeping_seconds``, the loop also runs its housekeeping tasks; by
default :func:`trainer.campaign_sync.sync_all_campaigns`, which catches up campaigns that follow
their solution's latest version when a move was lost to a race between processes. ``cli.up``
adds :class:`trainer.segment_collection.SegmentCollector`, which deletes the files of superseded
and orphaned dataset segments.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
import uuid
from collections.abc import Callable, Mapping, Sequence

from domain.errors import TailorError
from domain.resources import (
    CREATE_FAILED,
    CREATE_IN_PROGRESS,
    CREATE_PENDING,
    CREATE_STOPPED,
    CREATE_STOPPING,
    Job,
)
from storage.metadata.store import MetadataStore
from trainer.campaign_sync import sync_all_campaigns

log = logging.getLogger(__name__)

JobHandler = Callable[[Job, MetadataStore], None]
#: A periodic task of the loop; it must be idempotent (several workers run it).
HousekeepingTask = Callable[[MetadataStore], object]

#: The failure reason of a job whose kind this worker was given no handler for.
NO_HANDLER = "this trainer worker runs no {kind!r} jobs"
#: Statuses a job moves its resource through: (pending, running, failed). Data deletion jobs
#: use their own vocabulary.
STATUSES = {"data-deletion": ("PENDING", "IN_PROGRESS", "FAILED")}
DEFAULT_STATUSES = (CREATE_PENDING, CREATE_IN_PROGRESS, CREATE_FAILED)


class Worker:
    """Runs jobs from the metadata store's queue in a background thread."""

    def __init__(
        self,
        store: MetadataStore,
        handlers: Mapping[str, JobHandler] | None = None,
        *,
        poll_seconds: float = 1.0,
        worker_id: str | None = None,
        housekeeping: Sequence[HousekeepingTask] = (sync_all_campaigns,),
        housekeeping_seconds: float = 15.0,
    ) -> None:
        """Create the worker (call :meth:`start` to run it in the background).

        Args:
            store: The metadata store (jobs and resources).
            handlers: Job kind -> handler.
            poll_seconds: Pause between two looks at an empty queue.
            worker_id: Name of this worker in claimed jobs; None draws one.
            housekeeping: Idempotent tasks the loop runs between jobs.
            housekeeping_seconds: Least pause between two housekeeping runs.

        """
        self.store = store
        self.handlers = dict(handlers or {})
        self.poll_seconds = poll_seconds
        self.housekeeping = tuple(housekeeping)
        self.housekeeping_seconds = housekeeping_seconds
        self._next_housekeeping = 0.0
        self.worker_id = worker_id or f"{socket.gethostname()}-{uuid.uuid4().hex[:8]}"
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start the loop in a daemon thread."""
        self.store.requeue_abandoned_jobs(older_than_seconds=600)
        self._thread = threading.Thread(target=self._loop, name="trainer-worker", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        """Look for work now instead of at the next poll."""
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        """Ask the loop to finish its current job and stop."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def run_once(self) -> bool:
        """Claim and run one job; False when the queue was empty."""
        job = self.store.claim_job(self.worker_id)
        if job is None:
            return False
        self._run(job)
        return True

    def housekeep(self) -> None:
        """Run each housekeeping task once; failures are logged, never raised."""
        for task in self.housekeeping:
            try:
                task(self.store)
            except Exception:  # noqa: BLE001 - housekeeping must not stop the loop
                log.exception("trainer housekeeping task %s failed", task)

    def _loop(self) -> None:
        while not self._stop.is_set():
            if time.monotonic() >= self._next_housekeeping:
                self.housekeep()
                self._next_housekeeping = time.monotonic() + self.housekeeping_seconds
            try:
                if self.run_once():
                    continue
            except Exception:  # noqa: BLE001 - the loop must survive a broken store call
                log.exception("trainer worker loop error")
            self._wake.wait(self.poll_seconds)
            self._wake.clear()

    def _run(self, job: Job) -> None:
        if self._skip_cancelled(job):
            return
        handler = self.handlers.get(job.kind)
        try:
            if handler is None:
                raise TailorError(NO_HANDLER.format(kind=job.kind))
            pending, running, _ = STATUSES.get(job.kind, DEFAULT_STATUSES)
            self.store.update_resource(
                job.resource_arn, status=running, expected_statuses=[pending, running]
            )
            handler(job, self.store)
            self.store.finish_job(job.job_id)
        except Exception as exc:  # noqa: BLE001 - any failure fails the job, with a reason
            reason = exc.message if isinstance(exc, TailorError) else "internal error"
            if not isinstance(exc, TailorError):
                log.exception("job %s (%s) failed", job.job_id, job.kind)
            self._fail(job, reason)

    def _fail(self, job: Job, reason: str) -> None:
        pending, running, failed = STATUSES.get(job.kind, DEFAULT_STATUSES)
        try:
            self.store.update_resource(
                job.resource_arn,
                status=failed,
                changes={"failureReason": reason},
                expected_statuses=[pending, running],
            )
        except TailorError as exc:
            log.info("job %s: resource not failed (%s)", job.job_id, exc)
            self._settle_stop(job.resource_arn)
        self.store.finish_job(job.job_id, error=reason)

    def _skip_cancelled(self, job: Job) -> bool:
        """Finish, without running, a job whose resource was deleted or asked to stop."""
        resource = self.store.get_resource(job.resource_arn)
        if resource is not None and resource.status not in (CREATE_STOPPING, CREATE_STOPPED):
            return False
        self._settle_stop(job.resource_arn)
        self.store.finish_job(job.job_id, error="cancelled before it ran")
        return True

    def _settle_stop(self, resource_arn: str) -> None:
        """A resource asked to stop (CREATE STOPPING) ends CREATE STOPPED once its job ends."""
        try:
            self.store.update_resource(
                resource_arn, status=CREATE_STOPPED, expected_statuses=[CREATE_STOPPING]
            )
        except TailorError:
            pass  # not stopping (or gone): nothing to settle
