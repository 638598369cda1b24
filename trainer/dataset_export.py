"""The ``dataset-export`` job: a dataset's data out as CSV files that a dataset import reads back.

The worker has set the export job CREATE IN_PROGRESS. The job gathers the rows that
``ingestionMode`` names (spec §5.2; the control plane defaults it to PUT, as AWS does):

* BULK: the rows of the dataset's bulk imports, in import order. Records with the same id (or,
  for interactions, the same EVENT_ID) are all kept; only rows equal in every field count once.
* PUT: what PutEvents/PutItems/PutUsers streamed. Events are read as training reads them
  (``storage.streamed.training_tables``: the first event of each ``eventId``, anonymous events
  under their session), with EVENT_ID filled from the event's ``eventId`` when the schema has that
  field. Items and users: the stored record of each id (the event store keeps only the latest).
* ALL: the data as training sees it. Items/Users: one record per id, the newest (a streamed
  record replaces the imported one, a later import row an earlier one). Interactions: the
  imported rows de-duplicated as training does (``read_dataset``) followed by the streamed events
  whose ``eventId`` is neither an imported EVENT_ID nor that of an earlier event.

In every mode rows equal in every field are written once (AWS exports exact duplicates once).
The rows are gathered as one columnar Arrow table, as training reads a dataset (de-duplication
needs all of them), and written from it batch by batch; no row becomes a Python object.

Output (where AWS is silent, Tailor's choices): ``jobOutput.s3DataDestination.path`` (a
``file://`` or ``s3://`` URL; other schemes fail the job) is a folder, with or without a final
``/``; the job writes ``part-00000.csv``, ``part-00001.csv``, ... into it, :data:`ROWS_PER_FILE`
rows each and always at least one file. Each file starts with an unquoted header of the schema's
field names in schema order; values are written by Arrow's CSV writer batch by batch (strings
quoted, a quote doubled, empty cell = null, booleans ``true``/``false``, categorical values as
stored, joined by ``|``). For a schema with a textual field, whose import reads backslash
escapes, a backslash in a string is written doubled. A folder that already holds ``part-*.csv``
files is refused (so that a stale part of an earlier export can never be mixed into this one),
and a failed job deletes the files it wrote. Action and action interaction datasets cannot be
exported (as in AWS).
"""

from __future__ import annotations

import fnmatch
import logging
import time
from collections.abc import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
from pyarrow import fs

from domain.dataset_schema import DatasetSchema
from domain.errors import InvalidInputException, TailorError
from domain.resources import ACTIVE, CREATE_IN_PROGRESS, Job
from storage.data import SegmentStore
from storage.data.filesystems import Location, resolve_location
from storage.metadata.store import MetadataStore, SqlMetadataStore
from storage.streamed.training_tables import (
    latest_event_seq,
    read_streamed_interactions,
    read_streamed_records,
)
from trainer.dataset_reader import (
    ID_FIELD_OF,
    conform_to_schema,
    dataset_schema,
    read_dataset,
)
from trainer.event_ids import first_event_ids, streamed_event_ids
from trainer.import_columns import column_rules, segment_schema

log = logging.getLogger(__name__)

OUTPUT_FIELD = "jobOutput.s3DataDestination.path"
INGESTION_MODES = ("BULK", "PUT", "ALL")
#: Dataset types AWS exports (not ACTIONS or ACTION_INTERACTIONS).
EXPORTABLE_TYPES = ("INTERACTIONS", "ITEMS", "USERS")
#: Rows per output file; the next ``part-*.csv`` file starts after this many.
ROWS_PER_FILE = 1_000_000
#: Rows handed to the CSV writer at a time.
ROWS_PER_BATCH = 65_536
PART_NAME = "part-{:05d}.csv"
_PART_GLOB = "part-*.csv"
_ROW = "__tailor_row"

Heartbeat = Callable[[], None]


class DatasetExportHandler:
    """The handler of ``dataset-export`` jobs (a ``trainer.worker.JobHandler``)."""

    def __init__(
        self,
        segment_store: SegmentStore,
        *,
        s3_endpoint_url: str = "",
        rows_per_file: int = ROWS_PER_FILE,
        heartbeat_seconds: float = 2.0,
    ) -> None:
        """Create the handler.

        Args:
            segment_store: Where the dataset segments are.
            s3_endpoint_url: Endpoint of the S3-compatible store for ``s3://`` outputs.
            rows_per_file: Rows per ``part-*.csv`` file.
            heartbeat_seconds: How often a running export heartbeats its job.

        """
        self.segment_store = segment_store
        self.s3_endpoint_url = s3_endpoint_url
        self.rows_per_file = max(1, rows_per_file)
        self.heartbeat_seconds = heartbeat_seconds

    def __call__(self, job: Job, store: MetadataStore) -> None:
        """Run one export job to ACTIVE, or raise a TailorError whose message is the reason."""
        if not isinstance(store, SqlMetadataStore):
            raise TailorError("dataset export jobs need the SQL metadata store (the event log)")
        dataset_arn = job.payload["datasetArn"]
        mode = job.payload.get("ingestionMode") or "PUT"
        if mode not in INGESTION_MODES:
            raise InvalidInputException(
                f"ingestionMode: {mode!r} is not one of {', '.join(INGESTION_MODES)}"
            )
        schema = dataset_schema(store, dataset_arn)
        if schema.dataset_type not in EXPORTABLE_TYPES:
            raise InvalidInputException(
                f"{schema.dataset_type} datasets cannot be exported (only Interactions, Items "
                "and Users datasets)"
            )
        folder = _output_folder(job.payload["path"], self.s3_endpoint_url)
        try:
            table = export_table(store, self.segment_store, dataset_arn, schema, mode)
        except OSError as exc:
            raise TailorError(
                f"reading the dataset's segments in {self.segment_store.location} failed: {exc}"
            ) from None
        written: list[str] = []
        try:
            _write_parts(
                table,
                folder,
                schema,
                self.rows_per_file,
                written,
                _heartbeat(store, job, self.heartbeat_seconds),
            )
            store.update_resource(
                job.resource_arn, status=ACTIVE, expected_statuses=[CREATE_IN_PROGRESS]
            )
        except BaseException:
            _remove(folder.filesystem, written)
            raise
        log.info(
            "export %s: %d %s records of %s into %d file(s) at %s",
            job.resource_arn,
            table.num_rows,
            mode,
            dataset_arn,
            len(written),
            folder.url(),
        )


def export_table(
    store: SqlMetadataStore,
    segment_store: SegmentStore,
    dataset_arn: str,
    schema: DatasetSchema,
    mode: str,
) -> pa.Table:
    """The rows an export of ``dataset_arn`` writes (see the module docstring).

    Args:
        store: The metadata store (segments, event log, streamed records).
        segment_store: Where the dataset segments are.
        dataset_arn: An Interactions, Items or Users dataset.
        schema: Its schema.
        mode: ``BULK``, ``PUT`` or ``ALL``.

    Returns:
        One column per schema field, in schema order, typed as imports store them.

    Raises:
        OSError: a segment cannot be read.

    """
    target = _nullable(segment_schema(column_rules(schema)))
    if schema.dataset_type == "INTERACTIONS":
        dataset = store.get_resource(dataset_arn)
        group_arn = dataset.dataset_group_arn if dataset else ""
        if mode == "BULK":
            table = _bulk_rows(store, segment_store, dataset_arn, target)
        elif mode == "PUT":
            table, _ = _streamed_events(store, group_arn, schema, target)
        else:
            bulk = conform_to_schema(read_dataset(store, segment_store, dataset_arn), target)
            streamed, event_ids = _streamed_events(store, group_arn, schema, target)
            bulk_ids = bulk["EVENT_ID"] if "EVENT_ID" in bulk.column_names else None
            streamed = streamed.filter(pa.array(first_event_ids(bulk_ids, event_ids)))
            table = pa.concat_tables([bulk, streamed])
    else:
        id_field = ID_FIELD_OF[schema.dataset_type]
        if mode == "BULK":
            table = _bulk_rows(store, segment_store, dataset_arn, target)
        else:
            streamed = read_streamed_records(store, dataset_arn, schema=schema)
            table = conform_to_schema(streamed, target)
            if mode == "ALL":
                bulk = conform_to_schema(read_dataset(store, segment_store, dataset_arn), target)
                replaced = pc.is_in(bulk[id_field], value_set=table[id_field].combine_chunks())
                table = pa.concat_tables([bulk.filter(pc.invert(replaced)), table])
    return distinct_rows(table)


def distinct_rows(table: pa.Table) -> pa.Table:
    """``table`` with each set of rows equal in every column kept once (the first, in order)."""
    if table.num_rows < 2 or table.num_columns == 0:
        return table
    numbered = table.append_column(_ROW, pa.array(np.arange(table.num_rows, dtype=np.int64)))
    first = numbered.group_by(table.column_names, use_threads=False).aggregate([(_ROW, "min")])
    if first.num_rows == table.num_rows:
        return table
    return table.take(np.sort(first.column(f"{_ROW}_min").to_numpy()))


def _bulk_rows(
    store: MetadataStore, segment_store: SegmentStore, dataset_arn: str, target: pa.Schema
) -> pa.Table:
    """Every imported row, segment after segment, shaped to the current schema."""
    tables = [
        conform_to_schema(segment_store.read(segment.uri), target)
        for segment in store.segments.visible_segments(dataset_arn)
    ]
    return pa.concat_tables(tables) if tables else target.empty_table()


def _streamed_events(
    store: SqlMetadataStore, group_arn: str, schema: DatasetSchema, target: pa.Schema
) -> tuple[pa.Table, pa.Array]:
    """The group's PutEvents events as training reads them, and their ``eventId`` (row aligned)."""
    seq = latest_event_seq(store, group_arn)
    events = read_streamed_interactions(store, group_arn, seq, schema=schema)
    event_ids = streamed_event_ids(store, group_arn, seq)
    if len(event_ids) != events.num_rows:
        raise TailorError("the event log changed while the export read it; export again")
    if "EVENT_ID" in events.column_names:
        index = events.schema.get_field_index("EVENT_ID")
        filled = pc.coalesce(event_ids, pc.cast(events["EVENT_ID"], pa.string()))
        events = events.set_column(index, "EVENT_ID", filled)
    return conform_to_schema(events, target), event_ids


def _nullable(schema: pa.Schema) -> pa.Schema:
    return pa.schema([field.with_nullable(True) for field in schema])


# --- output ---------------------------------------------------------------------------------------


def _output_folder(path: str, s3_endpoint_url: str) -> Location:
    """Resolve the output folder and check it can take this export's files.

    Raises:
        InvalidInputException: unknown scheme, the path is a file, it already holds
            ``part-*.csv`` files, or the storage cannot be read (the message names the path).

    """
    try:
        location = resolve_location(path, s3_endpoint_url)
    except ValueError as exc:
        raise InvalidInputException(f"{OUTPUT_FIELD}: {exc}") from None
    folder = location.path.rstrip("/")
    location = Location(location.filesystem, folder, location.scheme)
    try:
        info = location.filesystem.get_file_info(folder)
        if info.type == fs.FileType.File:
            raise InvalidInputException(
                f"{OUTPUT_FIELD}: {location.url()} is a file; give a folder for the export's files"
            )
        existing = []
        if info.type == fs.FileType.Directory:
            selector = fs.FileSelector(folder, allow_not_found=True)
            existing = [
                i.base_name
                for i in location.filesystem.get_file_info(selector)
                if i.type == fs.FileType.File and fnmatch.fnmatch(i.base_name, _PART_GLOB)
            ]
    except OSError as exc:
        raise InvalidInputException(
            f"{OUTPUT_FIELD}: cannot write {location.url()}: {exc}"
        ) from None
    if existing:
        raise InvalidInputException(
            f"{OUTPUT_FIELD}: {location.url()} already holds {', '.join(sorted(existing)[:3])}"
            f"{' ...' if len(existing) > 3 else ''} from an earlier export; export into an "
            "empty folder"
        )
    return location


def _write_parts(
    table: pa.Table,
    folder: Location,
    schema: DatasetSchema,
    rows_per_file: int,
    written: list[str],
    heartbeat: Heartbeat,
) -> None:
    """Write ``table`` as ``part-*.csv`` files in ``folder``; append each path to ``written``.

    Raises:
        InvalidInputException: a file cannot be written (the message names it).

    """
    header = (",".join(schema.field_names) + "\n").encode("utf-8")
    escape_backslashes = any(f.textual for f in schema.fields)
    options = pa_csv.WriteOptions(include_header=False, batch_size=ROWS_PER_BATCH)
    filesystem = folder.filesystem
    starts = range(0, table.num_rows, rows_per_file) if table.num_rows else [0]
    path = folder.path
    try:
        if folder.scheme == "file":
            filesystem.create_dir(folder.path, recursive=True)
        for number, start in enumerate(starts):
            path = f"{folder.path}/{PART_NAME.format(number)}"
            written.append(path)
            part = table.slice(start, rows_per_file)
            with filesystem.open_output_stream(path) as stream:
                stream.write(header)
                with pa_csv.CSVWriter(stream, part.schema, write_options=options) as writer:
                    for batch in part.to_batches(max_chunksize=ROWS_PER_BATCH):
                        if escape_backslashes:
                            batch = _double_backslashes(batch)
                        writer.write_batch(batch)
                        heartbeat()
    except OSError as exc:
        raise InvalidInputException(
            f"{OUTPUT_FIELD}: cannot write {folder.url(path)}: {exc}"
        ) from None


def _double_backslashes(batch: pa.RecordBatch) -> pa.RecordBatch:
    """String columns with each backslash doubled (a textual schema's import reads escapes)."""
    columns = [
        pc.replace_substring(column, "\\", "\\\\") if pa.types.is_string(column.type) else column
        for column in batch.columns
    ]
    return pa.RecordBatch.from_arrays(columns, schema=batch.schema)


def _remove(filesystem: fs.FileSystem, paths: list[str]) -> None:
    """Delete written files after a failure (best effort)."""
    for path in paths:
        try:
            filesystem.delete_file(path)
        except OSError:
            pass


def _heartbeat(store: MetadataStore, job: Job, seconds: float) -> Heartbeat:
    """A callback that heartbeats the job at most every ``seconds``."""
    last = time.monotonic()

    def beat() -> None:
        nonlocal last
        if time.monotonic() - last >= seconds:
            last = time.monotonic()
            store.heartbeat_job(job.job_id)

    return beat
