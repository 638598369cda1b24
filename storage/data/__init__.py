"""The data store: dataset segments (Parquet) and the CSV input of import jobs.

Backends are pyarrow filesystems chosen by the location's scheme (see ``filesystems.py``).
"""

from storage.data.arrow_segment_store import ArrowSegmentStore
from storage.data.filesystems import KNOWN_SCHEMES, UnsupportedLocation, resolve_location
from storage.data.import_input import ImportFile, ImportInputError, list_import_files
from storage.data.segment_store import SegmentStore, SegmentWriter, StoredFile, dataset_directory


def open_segment_store(location: str, s3_endpoint_url: str = "") -> SegmentStore:
    """The segment store at ``location``: a local path, ``file://`` or ``s3://`` URL.

    Raises:
        UnsupportedLocation: the URL scheme is not supported (the message lists the known ones).

    """
    root = resolve_location(location, s3_endpoint_url)
    return ArrowSegmentStore(root, location, s3_endpoint_url)


__all__ = [
    "KNOWN_SCHEMES",
    "ImportFile",
    "ImportInputError",
    "SegmentStore",
    "SegmentWriter",
    "StoredFile",
    "UnsupportedLocation",
    "dataset_directory",
    "list_import_files",
    "open_segment_store",
]
