"""Reading import CSV files block by block: header check, conversion, and a record of problems.

A file is read with ``pyarrow.csv.open_csv`` in blocks (bounded memory, parsed on pyarrow's
threads), every column as raw bytes, then converted and checked by ``import_columns`` with
vectorised compute. Problems are numbered by data row: row 1 is the first row after the header.

Rows with the wrong number of cells are skipped by the threaded reader, which cannot say where
they were; when a file has any, it is read a second time on one thread, where pyarrow numbers
them, so that every problem of that file gets its exact row.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.csv as pa_csv

from domain.dataset_schema import DatasetSchema
from domain.errors import InvalidInputException
from storage.data import ImportFile, ImportInputError
from trainer.import_columns import BadValues, ColumnRule, convert_column, describe_value

#: Bytes of CSV per parsed block (one Arrow batch).
BLOCK_BYTES = 4 << 20
#: Problems named in a failure reason; the rest are counted.
PROBLEMS_SHOWN = 5

BatchSink = Callable[[pa.RecordBatch], None]
#: Called after each block with (rows read so far in the file, CSV bytes read so far estimate).
ProgressCallback = Callable[[int, int], None]


@dataclass(frozen=True)
class HeaderMap:
    """How a file's header lines up with the schema.

    Attributes:
        columns: For each schema field (schema order), the header column it is read from, or
            None when the file lacks that (nullable) field.
        header: The header as written in the file.

    """

    columns: tuple[str | None, ...]
    header: tuple[str, ...]


@dataclass
class FileProblems:
    """The problems found in one file: all counted, the first few (by row) described.

    Attributes:
        first: ``(row, column position, description)`` of the earliest problems, sorted; a
            problem with a whole row (wrong cell count) has column position -1.
        count: How many problems in all.

    """

    first: list[tuple[int, int, str]] = field(default_factory=list)
    count: int = 0

    def wants(self, row: int, column: int) -> bool:
        """Whether a problem at (row, column) would be among the described ones."""
        return len(self.first) < PROBLEMS_SHOWN or (row, column) < self.first[-1][:2]

    def describe(self, row: int, column: int, description: str) -> None:
        """Keep the description of a (counted) problem if it is among the earliest."""
        if self.wants(row, column):
            bisect.insort(self.first, (row, column, description))
            del self.first[PROBLEMS_SHOWN:]

    @property
    def descriptions(self) -> list[str]:
        """The described problems, earliest first."""
        return [description for _, _, description in self.first]


@dataclass
class FileScan:
    """What reading one file found."""

    rows: int = 0
    problems: FileProblems = field(default_factory=FileProblems)
    unnumbered_bad_rows: bool = False


def map_header(file_url: str, header: list[str], schema: DatasetSchema) -> HeaderMap:
    """Line a file's header up with the schema's fields.

    Names match exactly, or else ignoring case (and spaces around them); any order is accepted.
    Every header column must be a schema field, at most once; a field missing from the header
    must be nullable.

    Raises:
        InvalidInputException: naming the file and the offending or missing columns.

    """
    expected = f"expected the schema's fields {', '.join(schema.field_names)}"
    if len(set(header)) != len(header):
        repeated = sorted({name for name in header if header.count(name) > 1})
        raise InvalidInputException(
            f"{file_url}: the header repeats {', '.join(repeated)}; {expected}"
        )
    exact: dict[str, str] = {}  # header name without surrounding spaces -> as written
    by_lower: dict[str, str] = {}
    for name in header:
        exact.setdefault(name.strip(), name)
        by_lower.setdefault(name.strip().lower(), name)
    columns: list[str | None] = []
    used: set[str] = set()
    missing: list[str] = []
    for schema_field in schema.fields:
        name = schema_field.name
        found = exact.get(name) or by_lower.get(name.lower())
        if found is None or found in used:
            if not schema_field.nullable:
                missing.append(name)
            columns.append(None)
            continue
        used.add(found)
        columns.append(found)
    unknown = [repr(name) if name != name.strip() else name for name in header if name not in used]
    if unknown or missing:
        parts = []
        if unknown:
            parts.append(f"has columns the schema does not: {', '.join(unknown)}")
        if missing:
            parts.append(f"lacks required columns {', '.join(missing)}")
        raise InvalidInputException(
            f"{file_url}: the header {' and '.join(parts)}; {expected} "
            "(any order; nullable ones may be left out)"
        )
    return HeaderMap(tuple(columns), tuple(header))


def scan_file(
    file: ImportFile,
    header_map: HeaderMap,
    rules: list[ColumnRule],
    segment_schema: pa.Schema,
    *,
    sink: BatchSink | None,
    progress: ProgressCallback | None = None,
    use_threads: bool = True,
    text_quoting: bool = False,
) -> FileScan:
    """Read, convert and check one file; pass its converted rows to ``sink`` while all is well.

    Args:
        file: The CSV file.
        header_map: Its header, lined up with the schema.
        rules: The schema's column rules (schema order).
        segment_schema: The Arrow schema of the converted batches.
        sink: Receives each converted batch until the first problem; None to only check.
        progress: Called after each block.
        use_threads: Parse blocks in parallel. Bad rows are then found but not numbered
            (``FileScan.unnumbered_bad_rows``): read again with False to number them.
        text_quoting: Parse the quoting of textual fields (spec §5.1): backslash escapes and
            line breaks inside quoted values. It makes parsing two to three times slower, so
            it is on only for schemas with a textual field; other files are plain RFC 4180 CSV
            (a quote inside a quoted value is doubled).

    Returns:
        Row count and problems (rows with the wrong number of cells not counted as rows).

    """
    scan = FileScan()
    skipped_rows: list[int] = []  # data rows dropped for a wrong cell count, ascending

    def on_bad_row(row: pa_csv.InvalidRow) -> str:
        if row.number is None:
            scan.unnumbered_bad_rows = True
            return "skip"
        data_row = row.number - 1
        skipped_rows.append(data_row)
        scan.problems.count += 1
        if scan.problems.wants(data_row, -1):
            text = row.text if len(row.text) <= 80 else row.text[:80] + "..."
            scan.problems.describe(
                data_row,
                -1,
                f"row {data_row}: {row.actual_columns} values where the header has "
                f"{row.expected_columns} ({text!r})",
            )
        return "skip"

    try:
        stream = file.open()
    except OSError as exc:
        raise ImportInputError(f"cannot read {file.url}: {exc}") from None
    bytes_read = 0
    with stream:
        reader = _open_reader(stream, file, header_map, use_threads, text_quoting, on_bad_row)
        with reader:
            while True:
                try:
                    raw = reader.read_next_batch()
                except StopIteration:
                    break
                except OSError as exc:
                    raise ImportInputError(f"cannot read {file.url}: {exc}") from None
                except pa.ArrowInvalid as exc:
                    row = scan.rows + len(skipped_rows) + 1
                    scan.problems.count += 1
                    scan.problems.describe(
                        row, -1, f"row {row} or after: the CSV cannot be parsed ({exc})"
                    )
                    break
                converted, bad = _convert_block(raw, header_map, rules, segment_schema)
                _record_bad_values(scan, bad, scan.rows + 1, skipped_rows)
                scan.rows += raw.num_rows
                if sink is not None and not scan.problems.count and not scan.unnumbered_bad_rows:
                    sink(converted)
                bytes_read += raw.nbytes
                if progress is not None:
                    progress(scan.rows, bytes_read)
    return scan


def _open_reader(
    stream: pa.NativeFile,
    file: ImportFile,
    header_map: HeaderMap,
    use_threads: bool,
    text_quoting: bool,
    on_bad_row: Callable[[pa_csv.InvalidRow], str],
) -> pa_csv.CSVStreamingReader:
    try:
        return pa_csv.open_csv(
            stream,
            read_options=pa_csv.ReadOptions(block_size=BLOCK_BYTES, use_threads=use_threads),
            parse_options=pa_csv.ParseOptions(
                escape_char="\\" if text_quoting else False,
                newlines_in_values=text_quoting,
                invalid_row_handler=on_bad_row,
            ),
            convert_options=pa_csv.ConvertOptions(
                column_types={name: pa.binary() for name in header_map.header},
                null_values=[""],
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
            ),
        )
    except pa.ArrowInvalid as exc:
        raise InvalidInputException(f"{file.url}: the CSV cannot be parsed ({exc})") from None
    except OSError as exc:
        raise ImportInputError(f"cannot read {file.url}: {exc}") from None


def _convert_block(
    raw: pa.RecordBatch,
    header_map: HeaderMap,
    rules: list[ColumnRule],
    segment_schema: pa.Schema,
) -> tuple[pa.RecordBatch, list[tuple[BadValues, str, int, pa.Array]]]:
    """Convert one block; return it and its bad values as (bad, column, position, raw column)."""
    columns = []
    bad: list[tuple[BadValues, str, int, pa.Array]] = []
    for rule, source in zip(rules, header_map.columns, strict=True):
        if source is None:
            columns.append(pa.nulls(raw.num_rows, rule.arrow_type))
            continue
        raw_column = raw.column(source)
        converted, problems = convert_column(rule, raw_column)
        columns.append(converted)
        position = header_map.header.index(source)
        bad.extend((problem, source, position, raw_column) for problem in problems)
    return pa.RecordBatch.from_arrays(columns, schema=segment_schema), bad


def _record_bad_values(
    scan: FileScan,
    bad: list[tuple[BadValues, str, int, pa.Array]],
    first_row: int,
    skipped_rows: list[int],
) -> None:
    """Count a block's bad values; describe the earliest (``first_row``: its first kept row)."""
    for problem, column, position, raw_column in bad:
        scan.problems.count += len(problem.positions)
        for offset in problem.positions[:PROBLEMS_SHOWN]:
            row = _data_row(first_row + int(offset), skipped_rows)
            if scan.problems.wants(row, position):
                value = describe_value(raw_column, int(offset))
                description = f"row {row}, column {column}: {value} {problem.reason}"
                scan.problems.describe(row, position, description)


def _data_row(position_among_kept: int, skipped_rows: list[int]) -> int:
    """The data row number of the n-th kept row (1-based), given the skipped rows before it."""
    row = position_among_kept
    skipped = bisect.bisect_right(skipped_rows, row)
    while True:
        candidate = position_among_kept + skipped
        now_skipped = bisect.bisect_right(skipped_rows, candidate)
        if now_skipped == skipped:
            return candidate
        skipped = now_skipped
