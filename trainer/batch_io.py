"""JSON-lines input and output of batch inference and batch segment jobs (spec §11).

``jobInput.s3DataSource.path`` names one file, or a folder/prefix (a path ending in ``/``, or one
that is a directory): then every file directly in it, sorted by name, hidden files (``.``/``_``)
left out. Locations are local paths, ``file://`` or ``s3://`` URLs, resolved like dataset import
locations (``storage.data.filesystems``). Each input file ``<name>`` gives one output file
``<name>.out`` in the ``jobOutput.s3DataDestination.path`` folder, one output line per non-blank
input line, in input order. Files are read and written as streams, a few thousand lines at a
time, never whole.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from pyarrow import fs
from threadpoolctl import threadpool_limits

from domain.errors import InvalidInputException, TailorError
from domain.resources import ACTIVE, CREATE_IN_PROGRESS, Job
from storage.artifacts import ArtifactStore
from storage.data import SegmentStore
from storage.data.filesystems import Location, resolve_location
from storage.metadata.store import MetadataStore, SqlMetadataStore

#: Input files a job may read (spec §11.1).
MAX_INPUT_FILES = 1000
INPUT_FIELD = "jobInput.s3DataSource.path"
OUTPUT_FIELD = "jobOutput.s3DataDestination.path"
OUTPUT_SUFFIX = ".out"
#: Job document members Tailor adds to the AWS job shapes.
LINES_MEMBER = "tailorLinesProcessed"
ERRORS_MEMBER = "tailorLineErrors"
_READ_BYTES = 1 << 20


@dataclass(frozen=True)
class InputFile:
    """One JSON-lines input file.

    Attributes:
        url: The file's URL, as output lines and failure reasons name it.
        name: Its base name (the output is ``<name>.out``).
        filesystem: The filesystem holding it.
        path: Its path inside ``filesystem``.

    """

    url: str
    name: str
    filesystem: fs.FileSystem
    path: str


@dataclass(frozen=True)
class InputLine:
    """One non-blank input line.

    Attributes:
        number: Line number in its file, from 1 (blank lines count).
        value: The parsed JSON value (None when ``error`` is set).
        text: The line's text (echoed as the input of an unreadable line).
        error: Why the line is not a JSON object, or None.

    """

    number: int
    value: Any
    text: str
    error: str | None = None


class LineError(ValueError):
    """One input line cannot be answered; the message is the output line's ``error``."""


def list_input_files(path: str, s3_endpoint_url: str = "") -> list[InputFile]:
    """The input files ``jobInput.s3DataSource.path`` names, in reading order.

    Args:
        path: A file, or a folder/prefix, as a local path, ``file://`` or ``s3://`` URL.
        s3_endpoint_url: Endpoint of the S3-compatible store (empty: AWS).

    Returns:
        At least one file.

    Raises:
        InvalidInputException: unknown scheme, nothing at ``path``, an empty folder, more than
            :data:`MAX_INPUT_FILES` files, or a storage error (the message names the path).

    """
    try:
        location = resolve_location(path, s3_endpoint_url)
        info = location.filesystem.get_file_info(location.path.rstrip("/"))
        if info.type == fs.FileType.NotFound:
            raise InvalidInputException(f"{INPUT_FIELD}: {path} does not exist")
        if info.type == fs.FileType.File and not path.endswith("/"):
            name = info.base_name
            return [InputFile(location.url(), name, location.filesystem, location.path)]
        selector = fs.FileSelector(location.path.rstrip("/"), allow_not_found=True)
        infos = location.filesystem.get_file_info(selector)
    except ValueError as exc:
        raise InvalidInputException(f"{INPUT_FIELD}: {exc}") from None
    except OSError as exc:
        raise InvalidInputException(f"{INPUT_FIELD}: cannot read {path}: {exc}") from None
    found = sorted(
        (i for i in infos if i.type == fs.FileType.File and not i.base_name.startswith((".", "_"))),
        key=lambda i: i.path,
    )
    if not found:
        raise InvalidInputException(f"{INPUT_FIELD}: the folder {path} holds no input files")
    if len(found) > MAX_INPUT_FILES:
        raise InvalidInputException(
            f"{INPUT_FIELD}: {path} holds {len(found)} files; at most {MAX_INPUT_FILES}"
        )
    return [
        InputFile(location.url(i.path), i.base_name, location.filesystem, i.path) for i in found
    ]


def read_lines(file: InputFile) -> Iterator[InputLine]:
    """The file's non-blank lines, parsed as JSON objects, streamed.

    Raises:
        InvalidInputException: the file cannot be read (the message names it).

    """
    number = 0
    try:
        with file.filesystem.open_input_stream(file.path) as stream:
            rest = b""
            while True:
                chunk = stream.read(_READ_BYTES)
                if not chunk:
                    break
                *complete, rest = (rest + chunk).split(b"\n")
                for raw in complete:
                    number += 1
                    line = _parse(number, raw)
                    if line is not None:
                        yield line
            if rest:
                line = _parse(number + 1, rest)
                if line is not None:
                    yield line
    except OSError as exc:
        raise InvalidInputException(f"{INPUT_FIELD}: cannot read {file.url}: {exc}") from None


def _parse(number: int, raw: bytes) -> InputLine | None:
    try:
        text = raw.decode("utf-8").strip().lstrip("\ufeff")
    except UnicodeDecodeError as exc:
        return InputLine(number, None, raw.decode("utf-8", "replace"), f"not UTF-8 ({exc})")
    if not text:
        return None
    try:
        value = json.loads(text)
    except ValueError as exc:
        return InputLine(number, None, text, f"not a JSON object ({exc})")
    if not isinstance(value, dict):
        return InputLine(number, None, text, "not a JSON object")
    return InputLine(number, value, text)


def answer_line(line: InputLine, output: dict[str, Any]) -> dict[str, Any]:
    """An output line: the input echoed, its answer, no error."""
    return {"input": line.value, "output": output, "error": None}


def error_line(file: InputFile, line: InputLine, reason: str) -> dict[str, Any]:
    """An output line for an input line that could not be answered (the input echoed)."""
    echoed = line.value if line.value is not None else line.text
    return {
        "input": echoed,
        "output": None,
        "error": f"{file.name} line {line.number}: {reason}",
    }


def optional_string(line: InputLine, key: str) -> str | None:
    """A string member of the line, or None when absent.

    Raises:
        LineError: the member is present but not a non-empty string.

    """
    value = line.value.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise LineError(f"{key} must be a non-empty string, got {json.dumps(value)}")
    return value


def filter_values(line: InputLine) -> dict[str, str]:
    """The line's ``filterValues`` (parameter name -> JSON-quoted values), {} when absent.

    Raises:
        LineError: ``filterValues`` is not an object of strings.

    """
    values = line.value.get("filterValues")
    if values is None:
        return {}
    if not isinstance(values, dict) or not all(isinstance(v, str) for v in values.values()):
        raise LineError('filterValues must be an object of strings, e.g. {"GENRE": "\\"comedy\\""}')
    return values


@dataclass
class OutputFiles:
    """The ``.out`` files of one job; all of them are deleted if the job fails."""

    destination: str
    s3_endpoint_url: str = ""
    written: list[tuple[fs.FileSystem, str]] = field(default_factory=list)
    _location: Location | None = None

    def _folder(self) -> Location:
        if self._location is None:
            try:
                self._location = resolve_location(self.destination, self.s3_endpoint_url)
            except ValueError as exc:
                raise InvalidInputException(f"{OUTPUT_FIELD}: {exc}") from None
        return self._location

    def open(self, input_file: InputFile) -> tuple[str, Any]:
        """Create ``<destination>/<input name>.out``; return its URL and an output stream.

        Raises:
            InvalidInputException: the destination cannot be written (the message names it).

        """
        folder = self._folder()
        path = f"{folder.path.rstrip('/')}/{input_file.name}{OUTPUT_SUFFIX}"
        try:
            if folder.scheme == "file":
                folder.filesystem.create_dir(folder.path.rstrip("/"), recursive=True)
            stream = folder.filesystem.open_output_stream(path)
        except OSError as exc:
            raise InvalidInputException(
                f"{OUTPUT_FIELD}: cannot write {folder.url(path)}: {exc}"
            ) from None
        self.written.append((folder.filesystem, path))
        return folder.url(path), stream

    def remove_all(self) -> None:
        """Delete every output file written (after a failure; best effort)."""
        for filesystem, path in self.written:
            try:
                filesystem.delete_file(path)
            except OSError:
                pass
        self.written.clear()


def write_lines(stream: Any, lines: list[dict[str, Any]]) -> None:
    """Append output lines (compact JSON, one per line) to an output stream."""
    if lines:
        text = "".join(json.dumps(line, separators=(",", ":")) + "\n" for line in lines)
        stream.write(text.encode("utf-8"))


class JobProgress:
    """Counts lines, records the count on the job every few seconds and heartbeats the job."""

    def __init__(self, store: MetadataStore, job: Job, seconds: float = 2.0) -> None:
        self.store = store
        self.job = job
        self.seconds = seconds
        self.lines = 0
        self.errors = 0
        self._last = time.monotonic()

    def add(self, lines: int, errors: int) -> None:
        """Lines answered (``errors`` of them with an error).

        Raises:
            TailorError: the job is no longer CREATE IN_PROGRESS (stopped or deleted).

        """
        self.lines += lines
        self.errors += errors
        if time.monotonic() - self._last < self.seconds:
            return
        self._last = time.monotonic()
        try:
            self.store.update_resource(
                self.job.resource_arn,
                changes=self.members(),
                expected_statuses=[CREATE_IN_PROGRESS],
            )
        except TailorError:
            raise TailorError("the job was stopped or deleted while it ran") from None
        self.store.heartbeat_job(self.job.job_id)

    def members(self) -> dict[str, int]:
        """The job document members recording the progress."""
        return {LINES_MEMBER: self.lines, ERRORS_MEMBER: self.errors}


class BatchJobHandler:
    """What the batch inference and batch segment handlers share (``trainer.worker.JobHandler``).

    Subclasses implement :meth:`run_job` over the job's stored document.
    """

    #: The job in messages ("batch inference job").
    label = "batch job"

    def __init__(
        self,
        segment_store: SegmentStore,
        artifact_store: ArtifactStore,
        *,
        s3_endpoint_url: str = "",
        threads: int = 1,
        progress_seconds: float = 2.0,
    ) -> None:
        """Create the handler.

        Args:
            segment_store: Where the datasets' imported segments are.
            artifact_store: Where trained models are.
            s3_endpoint_url: Endpoint of the S3-compatible store for ``s3://`` input and output.
            threads: BLAS/OpenMP threads a job may use (``TAILOR_TRAINER_THREADS``).
            progress_seconds: How often the job's line count is recorded.

        """
        self.segment_store = segment_store
        self.artifact_store = artifact_store
        self.s3_endpoint_url = s3_endpoint_url
        self.threads = max(1, threads)
        self.progress_seconds = progress_seconds

    def __call__(self, job: Job, store: MetadataStore) -> None:
        """Run one job to ACTIVE, or raise a TailorError whose message is the reason."""
        try:
            if not isinstance(store, SqlMetadataStore):
                raise TailorError(
                    "batch jobs need the SQL metadata store (they read the event log)"
                )
            resource = store.get_resource(job.resource_arn)
            if resource is None:
                raise TailorError(f"the {self.label} was deleted")
            self.run_job(job, store, resource.document)
        except OSError as exc:  # storage failures past the checks that name the paths
            raise TailorError(f"reading or writing the job's data failed: {exc}") from None

    def run_job(self, job: Job, store: SqlMetadataStore, document: dict[str, Any]) -> None:
        """Run the job described by ``document`` (the job resource's document)."""
        raise NotImplementedError

    def answer_files(
        self,
        job: Job,
        store: SqlMetadataStore,
        document: dict[str, Any],
        files: list[InputFile],
        answer_file: Callable[[InputFile, OutputFiles, JobProgress], None],
    ) -> JobProgress:
        """Answer every input file into the job's output folder, then set the job ACTIVE.

        The output files written so far are removed if anything fails.

        Returns:
            The job's progress (lines and line errors counted).

        """
        outputs = OutputFiles(
            document["jobOutput"]["s3DataDestination"]["path"], self.s3_endpoint_url
        )
        progress = JobProgress(store, job, self.progress_seconds)
        try:
            with threadpool_limits(limits=self.threads):
                for file in files:
                    answer_file(file, outputs, progress)
            store.update_resource(
                job.resource_arn,
                status=ACTIVE,
                changes=progress.members(),
                expected_statuses=[CREATE_IN_PROGRESS],
            )
        except BaseException:
            outputs.remove_all()
            raise
        return progress
