"""The segment store on a ``pyarrow.fs`` filesystem: local directories and S3-compatible stores.

Local segments are written under a staging name and renamed when the writer finishes; S3 objects
are written to their final key, where a multipart upload makes them appear whole or not at all.
Either way a segment is data only once the import job commits it in the metadata store.

Parquet encoding runs in a background thread so that it overlaps with reading and validating
the next CSV blocks (pyarrow releases the GIL in both).
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Iterable

import pyarrow as pa
import pyarrow.parquet as pq
from pyarrow import fs

from storage.data.filesystems import Location, resolve_location
from storage.data.segment_store import (
    ROWS_PER_ROW_GROUP,
    ROWS_PER_SEGMENT,
    SegmentStore,
    SegmentWriter,
    StoredFile,
    dataset_directory,
)

STAGING_SUFFIX = ".staging"
_DONE = object()
_QUEUE_BATCHES = 8


class ArrowSegmentStore(SegmentStore):
    """Segments under one directory or S3 prefix of a pyarrow filesystem."""

    def __init__(self, root: Location, location: str, s3_endpoint_url: str = "") -> None:
        """Create the store.

        Args:
            root: The resolved data location.
            location: The location as configured (for messages).
            s3_endpoint_url: Endpoint for ``s3://`` segment URIs outside ``root``.

        """
        self.root = root
        self.location = location
        self.s3_endpoint_url = s3_endpoint_url

    def writer(self, dataset_arn: str, job_name: str, schema: pa.Schema) -> SegmentWriter:
        """See :meth:`SegmentStore.writer`."""
        return ArrowSegmentWriter(self.root, self._directory(dataset_arn), job_name, schema)

    def list_files(self, dataset_arn: str) -> list[StoredFile]:
        """See :meth:`SegmentStore.list_files`."""
        selector = fs.FileSelector(self._directory(dataset_arn), allow_not_found=True)
        return [
            StoredFile(self.root.url(info.path), _modified_at(info))
            for info in self.root.filesystem.get_file_info(selector)
            if info.type == fs.FileType.File
        ]

    def _directory(self, dataset_arn: str) -> str:
        return f"{self.root.path.rstrip('/')}/{dataset_directory(dataset_arn)}"

    def read(self, uri: str, columns: list[str] | None = None) -> pa.Table:
        """See :meth:`SegmentStore.read`."""
        where = self._resolve(uri)
        return pq.read_table(where.path, columns=columns, filesystem=where.filesystem)

    def delete(self, uris: Iterable[str]) -> None:
        """See :meth:`SegmentStore.delete`."""
        for uri in uris:
            where = self._resolve(uri)
            _delete_quietly(where.filesystem, where.path)

    def _resolve(self, uri: str) -> Location:
        if uri.startswith(f"{self.root.scheme}://"):
            path = uri.split("://", 1)[1]
            return Location(self.root.filesystem, path, self.root.scheme)
        # A segment recorded under an earlier data location.
        return resolve_location(uri, self.s3_endpoint_url)


class ArrowSegmentWriter(SegmentWriter):
    """Writes ``{job}-{n}.parquet`` files, a new one every ``ROWS_PER_SEGMENT`` rows."""

    def __init__(
        self,
        root: Location,
        directory: str,
        job_name: str,
        schema: pa.Schema,
        *,
        rows_per_segment: int = ROWS_PER_SEGMENT,
        rows_per_row_group: int = ROWS_PER_ROW_GROUP,
    ) -> None:
        """Start the writer thread; files are opened on the first rows."""
        self.root = root
        self.directory = directory
        self.job_name = job_name
        self.schema = schema
        self.rows_per_segment = rows_per_segment
        self.rows_per_row_group = rows_per_row_group
        self._local = root.scheme == "file"
        self._queue: queue.Queue[object] = queue.Queue(maxsize=_QUEUE_BATCHES)
        self._error: BaseException | None = None
        self._cancelled = threading.Event()
        self._segments: list[list] = []  # [final path, path written, rows]
        self._parquet: pq.ParquetWriter | None = None
        self._statistics_columns = [
            f.name for f in schema if not (pa.types.is_string(f.type) or pa.types.is_binary(f.type))
        ]
        self._thread = threading.Thread(target=self._drain, name="segment-writer", daemon=True)
        self._thread.start()

    def write(self, batch: pa.RecordBatch) -> None:
        """See :meth:`SegmentWriter.write`; blocks while the writer thread is behind."""
        while True:
            self._raise_if_failed()
            try:
                self._queue.put(batch, timeout=0.2)
                return
            except queue.Full:
                continue

    def finish(self) -> list[tuple[str, int]]:
        """See :meth:`SegmentWriter.finish`; local staged files are renamed here."""
        self._stop_thread()
        if self._error is not None:
            self.abort()
            raise self._error
        try:
            if self._local:
                for segment in self._segments:
                    final, written, _ = segment
                    self.root.filesystem.move(written, final)
                    segment[1] = final
        except OSError:
            self.abort()
            raise
        return [(self.root.url(final), rows) for final, _, rows in self._segments]

    def abort(self) -> None:
        """See :meth:`SegmentWriter.abort`."""
        self._cancelled.set()
        self._stop_thread()
        self._close_parquet()
        for final, written, _ in self._segments:
            _delete_quietly(self.root.filesystem, written)
            if written != final:
                _delete_quietly(self.root.filesystem, final)
        self._segments = []

    # --- the writer thread ------------------------------------------------------------------------

    def _drain(self) -> None:
        pending: list[pa.RecordBatch] = []
        pending_rows = 0
        try:
            while True:
                item = self._queue.get()
                if item is _DONE or self._cancelled.is_set():
                    break
                assert isinstance(item, pa.RecordBatch)
                pending.append(item)
                pending_rows += item.num_rows
                if pending_rows >= self.rows_per_row_group:
                    self._write_rows(pa.Table.from_batches(pending, schema=self.schema))
                    pending, pending_rows = [], 0
            if pending and not self._cancelled.is_set():
                self._write_rows(pa.Table.from_batches(pending, schema=self.schema))
            self._close_parquet()
        except BaseException as exc:  # noqa: BLE001 - handed to the producing thread
            self._error = exc
            self._close_parquet()
        finally:
            self._drain_queue()

    def _write_rows(self, table: pa.Table) -> None:
        offset = 0
        while offset < table.num_rows:
            if self._parquet is None or self._segments[-1][2] >= self.rows_per_segment:
                self._open_next_segment()
            room = self.rows_per_segment - self._segments[-1][2]
            part = table.slice(offset, room)
            assert self._parquet is not None
            self._parquet.write_table(part, row_group_size=self.rows_per_row_group)
            self._segments[-1][2] += part.num_rows
            offset += part.num_rows

    def _open_next_segment(self) -> None:
        self._close_parquet()
        final = f"{self.directory}/{self.job_name}-{len(self._segments)}.parquet"
        written = final + STAGING_SUFFIX if self._local else final
        if self._local and not self._segments:
            self.root.filesystem.create_dir(self.directory, recursive=True)
        self._segments.append([final, written, 0])
        self._parquet = pq.ParquetWriter(
            written,
            self.schema,
            filesystem=self.root.filesystem,
            compression="snappy",
            # Min/max of numbers (timestamps) let readers skip row groups; those of ids cost a
            # fifth of the write time and prune nothing.
            write_statistics=self._statistics_columns,
        )

    def _close_parquet(self) -> None:
        parquet, self._parquet = self._parquet, None
        if parquet is not None:
            parquet.close()

    def _stop_thread(self) -> None:
        while self._thread.is_alive():
            try:
                self._queue.put(_DONE, timeout=0.2)
                break
            except queue.Full:
                continue
        self._thread.join()

    def _drain_queue(self) -> None:
        while True:
            try:
                self._queue.get_nowait()
            except queue.Empty:
                return

    def _raise_if_failed(self) -> None:
        if self._error is not None:
            raise self._error
        if not self._thread.is_alive():
            raise RuntimeError("the segment writer has stopped")


def _modified_at(info: fs.FileInfo) -> float:
    # A file of unknown age counts as new: collection never deletes it.
    return info.mtime.timestamp() if info.mtime is not None else time.time()


def _delete_quietly(filesystem: fs.FileSystem, path: str) -> None:
    try:
        filesystem.delete_file(path)
    except FileNotFoundError:
        pass
    except OSError as exc:
        if "not found" not in str(exc).lower() and "no such" not in str(exc).lower():
            raise
