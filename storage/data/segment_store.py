"""The data store: datasets as immutable Parquet segments, one or more per import job.

A segment file is written first and recorded after: the metadata store's ``dataset_segments``
table (see ``storage/metadata/segments.py``) says which files are a dataset's data, so a file that
no committed import recorded is never read. Files live at
``{data location}/{dataset id}/{import job name}-{n}.parquet``, where the dataset id is the
dataset ARN's resource part (``{dataset group name}/{DATASET TYPE}``).
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass

import pyarrow as pa

#: A segment file is closed and the next one started after this many rows.
ROWS_PER_SEGMENT = 10_000_000
#: Rows per Parquet row group (the unit of a columnar read).
ROWS_PER_ROW_GROUP = 1 << 20


@dataclass(frozen=True)
class StoredFile:
    """A file found in a dataset's folder (see :meth:`SegmentStore.list_files`).

    Attributes:
        uri: Its URI, spelled as segment records spell it (``file://...`` or ``s3://...``).
        modified_at: When it was last written, epoch seconds.

    """

    uri: str
    modified_at: float


class SegmentWriter(ABC):
    """Writes one import job's segments; nothing it writes is data until the job commits."""

    @abstractmethod
    def write(self, batch: pa.RecordBatch) -> None:
        """Append rows (of the writer's schema) to the job's current segment.

        Raises:
            OSError: the storage failed (also raised for an earlier batch's failure).

        """

    @abstractmethod
    def finish(self) -> list[tuple[str, int]]:
        """Close the segments and put them under their final names.

        Returns:
            ``(uri, row count)`` of each segment, in write order; empty when no row was written.

        Raises:
            OSError: the storage failed; the writer has then removed what it wrote.

        """

    @abstractmethod
    def abort(self) -> None:
        """Stop writing and remove every file this writer wrote (staged or finished)."""


class SegmentStore(ABC):
    """Stores dataset segments: Parquet files in a directory or an S3 bucket."""

    #: Where the segments live (a local path or URL), as configured.
    location: str

    @abstractmethod
    def writer(self, dataset_arn: str, job_name: str, schema: pa.Schema) -> SegmentWriter:
        """A writer for the segments of import job ``job_name`` of dataset ``dataset_arn``."""

    @abstractmethod
    def read(self, uri: str, columns: list[str] | None = None) -> pa.Table:
        """Read one segment (all its row groups, columnar) as a table.

        Raises:
            OSError: the segment cannot be read.

        """

    @abstractmethod
    def delete(self, uris: Iterable[str]) -> None:
        """Remove segment files; missing ones are ignored."""

    @abstractmethod
    def list_files(self, dataset_arn: str) -> list[StoredFile]:
        """Every file in the dataset's folder (finished, staged or abandoned); [] if none.

        Raises:
            OSError: the storage cannot be listed.

        """


def dataset_directory(dataset_arn: str) -> str:
    """The dataset id used as its folder: ``shop/INTERACTIONS`` for ``...:dataset/shop/...``."""
    resource = dataset_arn.split(":", 5)[-1]
    resource = resource.removeprefix("dataset/")
    return re.sub(r"[^A-Za-z0-9_\-/]", "_", resource).strip("/") or "_"
