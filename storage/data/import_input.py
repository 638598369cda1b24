"""The input of a dataset import job: one CSV file, or every ``.csv`` file of a folder/prefix."""

from __future__ import annotations

import codecs
import csv
from dataclasses import dataclass

from pyarrow import fs

from storage.data.filesystems import Location, resolve_location

#: How much of a file's start is read to find its header line.
HEADER_PROBE_BYTES = 1 << 20


class ImportInputError(ValueError):
    """The import input cannot be used; the message names the location and the reason."""


@dataclass(frozen=True)
class ImportFile:
    """One CSV file to import.

    Attributes:
        url: The file's URL, as failure reasons name it.
        filesystem: The filesystem holding it.
        path: Its path inside ``filesystem``.
        size: Its size in bytes.

    """

    url: str
    filesystem: fs.FileSystem
    path: str
    size: int

    def open(self):  # type: ignore[no-untyped-def]
        """A sequential input stream over the file's bytes (a ``pyarrow.NativeFile``)."""
        return self.filesystem.open_input_stream(self.path)

    def read_header(self) -> list[str]:
        """The column names of the file's first line (a UTF-8 byte-order mark is dropped).

        Raises:
            ImportInputError: the file is empty, or its first line is not valid UTF-8 or longer
                than :data:`HEADER_PROBE_BYTES`.

        """
        try:
            with self.open() as stream:
                start = stream.read(HEADER_PROBE_BYTES)
        except OSError as exc:
            raise ImportInputError(f"cannot read {self.url}: {exc}") from None
        if not start.strip():
            raise ImportInputError(f"{self.url} is empty; its first line must be the header")
        end = start.find(b"\n")
        if end < 0 and len(start) >= HEADER_PROBE_BYTES:
            raise ImportInputError(
                f"{self.url}: no end of the header line in the first {HEADER_PROBE_BYTES} bytes"
            )
        line = start if end < 0 else start[:end]
        if line.startswith(codecs.BOM_UTF8):
            line = line[len(codecs.BOM_UTF8) :]
        try:
            text = line.decode("utf-8").rstrip("\r")
        except UnicodeDecodeError as exc:
            raise ImportInputError(f"{self.url}: the header line is not UTF-8 ({exc})") from None
        return next(csv.reader([text]), [])


def list_import_files(data_location: str, s3_endpoint_url: str = "") -> list[ImportFile]:
    """The CSV files that ``dataSource.dataLocation`` names, in import order.

    Args:
        data_location: A local path, ``file://`` or ``s3://`` URL of one CSV file, or of a
            folder/prefix ending in ``/``: then every ``.csv`` file directly in it, sorted by name.
        s3_endpoint_url: Endpoint of the S3-compatible store (empty: AWS).

    Returns:
        At least one file.

    Raises:
        ImportInputError: unknown scheme, a missing file or folder, a folder without CSV files,
            or a storage error (the message says which location).

    """
    try:
        location = resolve_location(data_location, s3_endpoint_url)
    except ValueError as exc:
        raise ImportInputError(str(exc)) from None
    try:
        if data_location.endswith("/"):
            return _folder_files(data_location, location)
        info = location.filesystem.get_file_info(location.path)
    except OSError as exc:
        raise ImportInputError(f"cannot read {data_location}: {exc}") from None
    if info.type == fs.FileType.NotFound:
        raise ImportInputError(f"{data_location} does not exist")
    if info.type == fs.FileType.Directory:
        raise ImportInputError(
            f"{data_location} is a folder; end the location with '/' to import its .csv files"
        )
    return [ImportFile(location.url(), location.filesystem, location.path, info.size or 0)]


def _folder_files(data_location: str, location: Location) -> list[ImportFile]:
    folder = location.path.rstrip("/")
    kind = location.filesystem.get_file_info(folder).type
    if kind == fs.FileType.NotFound:
        raise ImportInputError(f"{data_location} does not exist")
    if kind == fs.FileType.File:
        raise ImportInputError(f"{data_location} is a file, not a folder; drop the final '/'")
    infos = location.filesystem.get_file_info(fs.FileSelector(folder, allow_not_found=True))
    files = sorted(
        (i for i in infos if i.type == fs.FileType.File and i.base_name.lower().endswith(".csv")),
        key=lambda i: i.path,
    )
    if not files:
        raise ImportInputError(f"{data_location} holds no .csv files")
    return [
        ImportFile(location.url(info.path), location.filesystem, info.path, info.size or 0)
        for info in files
    ]
