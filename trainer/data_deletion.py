"""The ``data-deletion`` job: remove listed users' data from a dataset group, all or nothing.

The worker has set the job IN_PROGRESS. The job reads the users from ``dataSource.dataLocation``
(one CSV file, or every ``.csv`` file directly in a folder ending in ``/``; a single ``USER_ID``
column; at most 100 MB in all) and checks every row first: a bad file fails the job with a
reason naming the file, the row and the value, and nothing is deleted.

Then, for every dataset of the group with a ``USER_ID`` field (Interactions, Users, Action
interactions), the visible segments holding those users are rewritten without their rows, as new
immutable segments. Segments after the first rewritten one are recorded again (same file) so that
the commit order readers rely on (the last row of an id wins, the first of an event id) is kept.
One metadata transaction then swaps all of it in, deletes the users' streamed data (their events,
the anonymous events of sessions linked to them, those links, their PutUsers records: see
``storage.streamed.deletion``) and records ``numDeleted``. If an import commits meanwhile, the
rewrite is redone on the new segments. Any failure before that commit leaves the data exactly as
it was (the files written are removed). After it, the files of the replaced segments are deleted,
the online store forgets the users (Redis; the SQL store reads the deleted rows), and the job
becomes COMPLETED.

``numDeleted`` counts the records removed: bulk rows, streamed events and PutUsers records.
Models already trained keep what they learned; the next training and segment jobs no longer
see the users.
"""

from __future__ import annotations

import codecs
import csv
import io
import logging
from collections.abc import Sequence

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import Connection

from domain.errors import InvalidInputException, TailorError
from domain.resources import Job
from storage.data import ImportFile, ImportInputError, SegmentStore, list_import_files
from storage.metadata.segments import SegmentReplacement, SegmentsChanged
from storage.metadata.store import MetadataStore, SqlMetadataStore
from storage.online.store import OnlineStore
from storage.streamed.deletion import delete_streamed_user_data
from trainer.dataset_reader import dataset_schema
from trainer.import_scan import PROBLEMS_SHOWN

log = logging.getLogger(__name__)

IN_PROGRESS = "IN_PROGRESS"
COMPLETED = "COMPLETED"
#: The input's size limit (spec §5.5, §13).
MAX_INPUT_BYTES = 100 * 1024 * 1024
#: The longest user id Personalize accepts (``userId`` of PutEvents/PutUsers).
MAX_USER_ID_LENGTH = 256
#: Rewrites redone when imports keep committing into the datasets meanwhile.
MAX_ATTEMPTS = 5
#: ``numDeleted`` is an int32 in the API shape.
MAX_NUM_DELETED = 2**31 - 1
HEADER = "USER_ID"


class DataDeletionHandler:
    """The handler of ``data-deletion`` jobs (a ``trainer.worker.JobHandler``)."""

    def __init__(
        self,
        segment_store: SegmentStore,
        online_store: OnlineStore | None = None,
        *,
        s3_endpoint_url: str = "",
    ) -> None:
        """Create the handler.

        Args:
            segment_store: Where the dataset segments are.
            online_store: The runtime's online store, told to forget the users; None when
                nothing but the metadata database holds streamed data.
            s3_endpoint_url: Endpoint of the S3-compatible store for ``s3://`` inputs.

        """
        self.segment_store = segment_store
        self.online_store = online_store
        self.s3_endpoint_url = s3_endpoint_url

    def __call__(self, job: Job, store: MetadataStore) -> None:
        """Run one deletion job to COMPLETED, or raise a TailorError whose message is the reason."""
        if not isinstance(store, SqlMetadataStore):
            raise TailorError("data deletion jobs need the SQL metadata store (the event log)")
        try:
            user_ids = read_user_ids(job.payload["dataLocation"], self.s3_endpoint_url)
        except ImportInputError as exc:
            raise InvalidInputException(f"dataSource.dataLocation: {exc}") from None
        group = job.payload["datasetGroupArn"]
        try:
            deleted = self._delete(job, store, group, user_ids)
        except OSError as exc:
            raise TailorError(
                f"rewriting the datasets' segments in {self.segment_store.location} failed: "
                f"{exc}; nothing was deleted"
            ) from None
        if self.online_store is not None:
            try:
                self.online_store.forget_users(group, user_ids, _users_datasets(store, group))
            except Exception as exc:  # noqa: BLE001 - any backend error: say what is left
                log.exception("deletion %s: the online store failed", job.resource_arn)
                raise TailorError(
                    f"the users' data was deleted from the datasets and the event log, but the "
                    f"online store failed to forget them ({type(exc).__name__}); run the job "
                    "again to finish"
                ) from None
        store.update_resource(job.resource_arn, status=COMPLETED, expected_statuses=[IN_PROGRESS])
        log.info("deletion %s: %d users, %d records", job.resource_arn, len(user_ids), deleted)

    def _delete(self, job: Job, store: SqlMetadataStore, group: str, user_ids: list[str]) -> int:
        """Rewrite, swap in and delete in one transaction; return ``numDeleted``."""
        job_resource = store.get_resource(job.resource_arn)
        job_name = job_resource.name if job_resource else job.resource_arn.rsplit("/", 1)[-1]
        # A job run again after its worker died past its commit adds to what it deleted then.
        before = int(job_resource.document.get("numDeleted", 0)) if job_resource else 0
        value_set = pa.array(user_ids, pa.string())
        for _ in range(MAX_ATTEMPTS):
            rewrite = _Rewrite(self.segment_store, store, job, job_name, value_set)
            deleted = self._attempt(rewrite, store, group, user_ids, before)
            if deleted is not None:
                return deleted
        raise TailorError(
            f"imports kept committing into the datasets of {group} while the job rewrote them "
            f"({MAX_ATTEMPTS} attempts); nothing was deleted: run the job again"
        )

    def _attempt(
        self,
        rewrite: _Rewrite,
        store: SqlMetadataStore,
        group: str,
        user_ids: list[str],
        before: int,
    ) -> int | None:
        """One rewrite and commit; None when an import committed meanwhile (nothing changed)."""
        users_datasets = _users_datasets(store, group)

        def streamed(connection: Connection) -> dict[str, int]:
            gone = delete_streamed_user_data(connection, group, user_ids, users_datasets)
            total = before + rewrite.bulk_rows + gone.events + gone.records
            return {"numDeleted": min(total, MAX_NUM_DELETED)}

        try:
            for dataset_arn in _datasets_with_users(store, group):
                rewrite.dataset(dataset_arn)
            committed = store.segments.replace_segments(
                rewrite.job.resource_arn,
                IN_PROGRESS,
                rewrite.replacements,
                rewrite.expected,
                job_changes=streamed,
            )
        except SegmentsChanged:
            self.segment_store.delete(rewrite.written)
            return None
        except BaseException:
            self.segment_store.delete(rewrite.written)
            raise
        self._remove_replaced(rewrite.replaced_files)
        return int(committed.document.get("numDeleted", 0))

    def _remove_replaced(self, uris: list[str]) -> None:
        """Delete the files no visible segment names any more (best effort: already unread)."""
        try:
            self.segment_store.delete(uris)
        except OSError as exc:
            log.warning("deletion: replaced segment files %s could not be removed: %s", uris, exc)


class _Rewrite:
    """One attempt's rewritten segments, across the group's datasets."""

    def __init__(
        self,
        segment_store: SegmentStore,
        store: SqlMetadataStore,
        job: Job,
        job_name: str,
        value_set: pa.Array,
    ) -> None:
        self.segment_store = segment_store
        self.store = store
        self.job = job
        self.job_name = job_name
        self.value_set = value_set
        self.expected: dict[str, list[int]] = {}
        self.replacements: dict[str, list[SegmentReplacement]] = {}
        self.written: list[str] = []
        self.replaced_files: list[str] = []
        self.bulk_rows = 0

    def dataset(self, dataset_arn: str) -> None:
        """Rewrite the dataset's segments from the first one holding a listed user on."""
        segments = self.store.segments.visible_segments(dataset_arn)
        self.expected[dataset_arn] = [segment.segment_id for segment in segments]
        if len(self.value_set) == 0:
            return
        hits = []
        for segment in segments:
            user_ids = self.segment_store.read(segment.uri, ["USER_ID"]).column("USER_ID")
            hits.append(pc.sum(self._listed(user_ids)).as_py() or 0)
            self.store.heartbeat_job(self.job.job_id)
        first = next((index for index, count in enumerate(hits) if count), None)
        if first is None:
            return
        replacements = []
        for segment, count in zip(segments[first:], hits[first:], strict=True):
            if not count:
                kept = ((segment.uri, segment.row_count),)
            else:
                kept = self._rewrite(dataset_arn, segment.segment_id, segment.uri)
                self.replaced_files.append(segment.uri)
                self.bulk_rows += count
            replacements.append(SegmentReplacement(segment.segment_id, kept))
            self.store.heartbeat_job(self.job.job_id)
        self.replacements[dataset_arn] = replacements

    def _rewrite(self, dataset_arn: str, segment_id: int, uri: str) -> tuple[tuple[str, int], ...]:
        table = self.segment_store.read(uri)
        kept = table.filter(pc.invert(self._listed(table.column("USER_ID"))))
        # "." never occurs in a job name, so these files cannot meet an import job's files.
        writer = self.segment_store.writer(
            dataset_arn, f"{self.job_name}.del{segment_id}", kept.schema
        )
        try:
            for batch in kept.to_batches():
                writer.write(batch)
            new_segments = writer.finish()
        except BaseException:
            writer.abort()
            raise
        self.written.extend(uri for uri, _ in new_segments)
        return tuple(new_segments)

    def _listed(self, user_ids: pa.ChunkedArray) -> pa.ChunkedArray:
        return pc.is_in(user_ids, value_set=self.value_set.cast(user_ids.type))


def read_user_ids(data_location: str, s3_endpoint_url: str = "") -> list[str]:
    """The distinct user ids of a deletion job's input, in file order.

    Args:
        data_location: A local path, ``file://`` or ``s3://`` URL of one CSV file, or of a
            folder ending in ``/`` (its ``.csv`` files).
        s3_endpoint_url: Endpoint of the S3-compatible store (empty: AWS).

    Raises:
        ImportInputError: the location cannot be read or is over :data:`MAX_INPUT_BYTES`.
        InvalidInputException: a header that is not ``USER_ID``, or bad rows (the reason names
            the file, the row and the value of the first few, and how many there were).

    """
    files = list_import_files(data_location, s3_endpoint_url)
    total = sum(file.size for file in files)
    if total > MAX_INPUT_BYTES:
        raise ImportInputError(
            f"{data_location} holds {total} bytes; a deletion job reads at most {MAX_INPUT_BYTES}"
        )
    users: dict[str, None] = {}
    problems: list[str] = []
    count = 0
    for file in files:
        count += _read_file(file, users, problems)
    if count:
        shown = "; ".join(problems[:PROBLEMS_SHOWN])
        more = f"; and {count - PROBLEMS_SHOWN} more" if count > PROBLEMS_SHOWN else ""
        noun = "problem" if count == 1 else "problems"
        raise InvalidInputException(
            f"{count} {noun} in the deletion input (rows numbered from 1 after the header): "
            f"{shown}{more}; nothing was deleted"
        )
    return list(users)


def _read_file(file: ImportFile, users: dict[str, None], problems: list[str]) -> int:
    """Add a file's user ids to ``users``; note its problems; return how many there were."""
    try:
        with file.open() as stream:
            data = stream.read()
    except OSError as exc:
        raise ImportInputError(f"cannot read {file.url}: {exc}") from None
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInputException(
            f"{file.url} is not UTF-8 ({exc}); nothing was deleted"
        ) from None
    rows = csv.reader(io.StringIO(text, newline=""))
    header = next(rows, None)
    if header is None:
        raise InvalidInputException(f"{file.url} is empty; its first line must be {HEADER}")
    if [name.strip() for name in header] != [HEADER]:
        raise InvalidInputException(
            f"{file.url}: the header is {','.join(header)!r}; a deletion input has one column, "
            f"{HEADER}; nothing was deleted"
        )
    found = 0
    for number, row in enumerate(rows, start=1):
        problem = _row_problem(row)
        if problem is None:
            if row:
                users.setdefault(row[0], None)
            continue
        found += 1
        if len(problems) < PROBLEMS_SHOWN:
            problems.append(f"{file.url} row {number}: {problem}")
    return found


def _row_problem(row: Sequence[str]) -> str | None:
    if not row:
        return None  # a blank line
    if len(row) > 1:
        return f"{len(row)} values {','.join(row)[:80]!r}; expected one {HEADER}"
    value = row[0]
    if not value.strip():
        return f"{HEADER} is empty"
    if len(value) > MAX_USER_ID_LENGTH:
        return f"{HEADER} {value[:40]!r}... is longer than {MAX_USER_ID_LENGTH} characters"
    return None


def _datasets_with_users(store: SqlMetadataStore, group: str) -> list[str]:
    """The group's datasets whose schema has a USER_ID field, by ARN."""
    datasets = store.find_resources(["dataset"], dataset_group_arn=group)
    return sorted(
        dataset.arn
        for dataset in datasets
        if any(f.name == HEADER for f in dataset_schema(store, dataset.arn).fields)
    )


def _users_datasets(store: SqlMetadataStore, group: str) -> list[str]:
    datasets = store.find_resources(["dataset"], dataset_group_arn=group)
    return sorted(d.arn for d in datasets if d.document.get("datasetType") == "USERS")
