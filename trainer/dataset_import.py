"""The ``dataset-import`` job: CSV files in, validated Parquet segments out, all or nothing.

The worker has set the import job CREATE IN_PROGRESS. The job reads every CSV file of
``dataSource.dataLocation``, checks each header against the dataset's schema, converts and checks
every value (``import_columns``), and streams the converted rows into new segments. Only when all
of it is clean do the segments become the dataset's data, in the same transaction that makes the
job ACTIVE (FULL: replacing the earlier bulk data; INCREMENTAL: added to it). Otherwise the job
fails with a reason that names the file, the row, the column and the value of the first problems
and how many there were, and the segments written so far are deleted.

Before committing an Interactions (or action interactions) import, the job reads its segments
back and records on them which rows repeat an earlier row of the job (spec §5.3), so that a
training read of a dataset holding only this import drops those rows instead of de-duplicating
(``dataset_reader.known_repeated_rows``). Beyond :data:`MAX_RECORDED_REPEATS` nothing is
recorded and readers de-duplicate in full. The check holds the job's rows in memory (2.2 GB peak
at 20M rows), so jobs of more than :data:`MAX_CHECKED_ROWS` rows skip it: an import's memory stays
bounded whatever the file's size.

While it runs, the job document carries two Tailor extension members (not in the AWS shape):
``tailorRecordsImported`` (rows read and checked so far; at the end, rows imported) and
``tailorProgress`` (0..1, by bytes read).
"""

from __future__ import annotations

import logging
import time

from domain.dataset_schema import DatasetSchema
from domain.errors import InvalidInputException, TailorError
from domain.resources import CREATE_IN_PROGRESS, Job
from storage.data import ImportFile, ImportInputError, SegmentStore, list_import_files
from storage.metadata.store import MetadataStore
from trainer.dataset_reader import INTERACTION_TYPES, dataset_schema, repeated_rows_by_segment
from trainer.import_columns import column_rules, segment_schema
from trainer.import_scan import (
    PROBLEMS_SHOWN,
    BatchSink,
    FileProblems,
    HeaderMap,
    map_header,
    scan_file,
)

log = logging.getLogger(__name__)

#: Interaction records each Interactions import must hold (spec §5.2).
MIN_INTERACTION_RECORDS = 1000
#: Job document members Tailor adds to the AWS DatasetImportJob shape.
RECORDS_MEMBER = "tailorRecordsImported"
PROGRESS_MEMBER = "tailorProgress"
#: Repeated rows an import records on its segments (beyond: the reader de-duplicates in full).
MAX_RECORDED_REPEATS = 100_000
#: Jobs with more rows skip the repeated-rows check (its memory grows with the job).
MAX_CHECKED_ROWS = 25_000_000


class DatasetImportHandler:
    """The handler of ``dataset-import`` jobs (a ``trainer.worker.JobHandler``)."""

    def __init__(
        self,
        segment_store: SegmentStore,
        *,
        s3_endpoint_url: str = "",
        progress_seconds: float = 2.0,
    ) -> None:
        """Create the handler.

        Args:
            segment_store: Where the dataset segments are written.
            s3_endpoint_url: Endpoint of the S3-compatible store for ``s3://`` inputs.
            progress_seconds: How often the job document's progress members are updated.

        """
        self.segment_store = segment_store
        self.s3_endpoint_url = s3_endpoint_url
        self.progress_seconds = progress_seconds

    def __call__(self, job: Job, store: MetadataStore) -> None:
        """Run one import job to ACTIVE, or raise a TailorError whose message is the reason."""
        try:
            self._run(job, store)
        except ImportInputError as exc:
            raise InvalidInputException(f"dataSource.dataLocation: {exc}") from None
        except OSError as exc:
            raise TailorError(
                f"storing the dataset's segments in {self.segment_store.location} failed: {exc}"
            ) from None

    def _run(self, job: Job, store: MetadataStore) -> None:
        dataset_arn = job.payload["datasetArn"]
        import_mode = job.payload.get("importMode") or "FULL"
        schema = dataset_schema(store, dataset_arn)
        files = list_import_files(job.payload["dataLocation"], self.s3_endpoint_url)
        headers = [map_header(f.url, f.read_header(), schema) for f in files]
        job_resource = store.get_resource(job.resource_arn)
        job_name = job_resource.name if job_resource else job.resource_arn.rsplit("/", 1)[-1]
        progress = _Progress(store, job, sum(f.size for f in files), self.progress_seconds)
        progress.report(0, 0, force=True)
        arrow_schema = segment_schema(column_rules(schema))
        writer = self.segment_store.writer(dataset_arn, job_name, arrow_schema)
        try:
            rows = _import_rows(files, headers, schema, writer.write, progress)
            if schema.dataset_type == "INTERACTIONS" and rows < MIN_INTERACTION_RECORDS:
                raise InvalidInputException(
                    f"the import holds {rows} interaction records; each Interactions import "
                    f"needs at least {MIN_INTERACTION_RECORDS}"
                )
            segments = writer.finish()
        except BaseException:
            writer.abort()
            progress.nothing_imported()
            raise
        try:
            checked = schema.dataset_type in INTERACTION_TYPES and rows <= MAX_CHECKED_ROWS
            repeated = self._repeated_rows(segments) if checked else None
            store.segments.commit_import(
                job.resource_arn,
                dataset_arn,
                segments,
                import_mode,
                {RECORDS_MEMBER: rows, PROGRESS_MEMBER: 1.0},
                repeated_rows=repeated,
            )
        except BaseException:
            self.segment_store.delete(uri for uri, _ in segments)
            raise
        log.info("import %s: %d records into %s", job.resource_arn, rows, dataset_arn)

    def _repeated_rows(self, segments: list[tuple[str, int]]) -> list[list[int]] | None:
        """Per segment, its rows repeating an earlier row of the job (§5.3); None if too many.

        Found once here, on the written segments, so that reads of a dataset whose data is this
        one import drop them instead of de-duplicating (``dataset_reader.known_repeated_rows``).
        """
        if not segments:
            return []
        started = time.monotonic()
        tables = [self.segment_store.read(uri) for uri, _ in segments]
        repeated = repeated_rows_by_segment(tables)
        found = sum(len(rows) for rows in repeated)
        log.info(
            "import: %d repeated rows found in %.2f s",
            found,
            time.monotonic() - started,
        )
        return repeated if found <= MAX_RECORDED_REPEATS else None


def _import_rows(
    files: list[ImportFile],
    headers: list[HeaderMap],
    schema: DatasetSchema,
    sink: BatchSink,
    progress: _Progress,
) -> int:
    """Scan every file, streaming clean rows to ``sink``; return the row count or raise."""
    rules = column_rules(schema)
    arrow_schema = segment_schema(rules)
    text_quoting = any(f.textual for f in schema.fields)
    found: list[tuple[ImportFile, FileProblems]] = []
    rows = 0
    for file, header_map in zip(files, headers, strict=True):
        scan = scan_file(
            file,
            header_map,
            rules,
            arrow_schema,
            sink=None if found else sink,
            progress=progress.within_file,
            text_quoting=text_quoting,
        )
        if scan.unnumbered_bad_rows:
            # Read again on one thread, where pyarrow numbers the malformed rows.
            scan = scan_file(
                file,
                header_map,
                rules,
                arrow_schema,
                sink=None,
                use_threads=False,
                text_quoting=text_quoting,
            )
        if scan.problems.count:
            found.append((file, scan.problems))
        rows += scan.rows
        progress.file_done(scan.rows, file.size)
    if found:
        raise InvalidInputException(_failure_reason(found))
    return rows


def _failure_reason(found: list[tuple[ImportFile, FileProblems]]) -> str:
    total = sum(problems.count for _, problems in found)
    shown = [
        f"{file.url} {description}"
        for file, problems in found
        for description in problems.descriptions
    ][:PROBLEMS_SHOWN]
    noun = "problem" if total == 1 else "problems"
    more = f"; and {total - len(shown)} more" if total > len(shown) else ""
    return (
        f"{total} {noun} in the import data (rows numbered from 1 after the header): "
        + "; ".join(shown)
        + more
    )


class _Progress:
    """Writes the job's progress members (and heartbeats the job) every few seconds."""

    def __init__(self, store: MetadataStore, job: Job, total_bytes: int, seconds: float) -> None:
        self.store = store
        self.job = job
        self.total_bytes = max(total_bytes, 1)
        self.seconds = seconds
        self._last = time.monotonic()
        self._rows_before = 0
        self._bytes_before = 0

    def within_file(self, rows: int, bytes_read: int) -> None:
        """Rows and (estimated) bytes read so far in the current file."""
        self.report(self._rows_before + rows, self._bytes_before + bytes_read)

    def file_done(self, rows: int, size: int) -> None:
        """The current file is read: later reports start after it."""
        self._rows_before += rows
        self._bytes_before += size

    def report(self, rows: int, bytes_read: int, *, force: bool = False) -> None:
        """Record rows read and the fraction of bytes if it is time (or ``force``).

        Raises:
            TailorError: the job is no longer CREATE IN_PROGRESS (or is gone): stop importing.

        """
        if not force and time.monotonic() - self._last < self.seconds:
            return
        self._last = time.monotonic()
        fraction = round(min(bytes_read / self.total_bytes, 0.99), 4)
        self.store.update_resource(
            self.job.resource_arn,
            changes={RECORDS_MEMBER: rows, PROGRESS_MEMBER: fraction},
            expected_statuses=[CREATE_IN_PROGRESS],
        )
        self.store.heartbeat_job(self.job.job_id)

    def nothing_imported(self) -> None:
        """After a failure: no record was imported (best effort; the job may be gone)."""
        try:
            self.store.update_resource(
                self.job.resource_arn,
                changes={RECORDS_MEMBER: 0},
                expected_statuses=[CREATE_IN_PROGRESS],
            )
        except TailorError:
            pass
