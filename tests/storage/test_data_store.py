"""The data store: locations by scheme, import inputs, and Parquet segments (local dir and S3)."""

from __future__ import annotations

from pathlib import Path

import boto3
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from storage.data import (
    ImportInputError,
    UnsupportedLocation,
    dataset_directory,
    list_import_files,
    open_segment_store,
    resolve_location,
)
from storage.data.arrow_segment_store import STAGING_SUFFIX, ArrowSegmentWriter

DATASET = "arn:aws:personalize:us-east-1:000000000000:dataset/shop/INTERACTIONS"
SCHEMA = pa.schema([("USER_ID", pa.string()), ("TIMESTAMP", pa.int64())])


def _batch(start: int, rows: int) -> pa.RecordBatch:
    return pa.RecordBatch.from_pydict(
        {
            "USER_ID": [f"u{i}" for i in range(start, start + rows)],
            "TIMESTAMP": list(range(start, start + rows)),
        },
        schema=SCHEMA,
    )


def _files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


# --- locations ------------------------------------------------------------------------------------


def test_locations_resolve_by_scheme(tmp_path):
    plain = resolve_location(str(tmp_path / "a.csv"))
    assert (plain.scheme, plain.path) == ("file", str(tmp_path / "a.csv"))
    as_url = resolve_location(f"file://{tmp_path}/folder/")
    assert (as_url.scheme, as_url.path) == ("file", f"{tmp_path}/folder/")
    s3 = resolve_location("s3://bucket/some/key.csv", "http://127.0.0.1:9")
    assert (s3.scheme, s3.path) == ("s3", "bucket/some/key.csv")
    assert s3.url() == "s3://bucket/some/key.csv"
    assert plain.url() == f"file://{tmp_path}/a.csv"


@pytest.mark.parametrize(
    ("location", "words"),
    [
        ("gs://bucket/x.csv", ["'gs'", "file://", "s3://"]),
        ("https://example.com/x.csv", ["'https'", "file://, s3://"]),
        ("file://otherhost/x.csv", ["otherhost"]),
        ("s3:///key.csv", ["bucket"]),
        ("", ["empty"]),
    ],
)
def test_unknown_or_malformed_locations_are_refused_with_the_known_schemes(location, words):
    with pytest.raises(UnsupportedLocation) as caught:
        resolve_location(location)
    assert all(word in str(caught.value) for word in words), str(caught.value)


def test_segment_store_refuses_an_unknown_scheme():
    with pytest.raises(UnsupportedLocation, match="s3://"):
        open_segment_store("hdfs://namenode/data")


def test_dataset_directory_is_the_arn_resource_part():
    assert dataset_directory(DATASET) == "shop/INTERACTIONS"


# --- import input ---------------------------------------------------------------------------------


def test_import_input_one_file_or_a_folder_of_csv_files_sorted(tmp_path):
    folder = tmp_path / "in"
    (folder / "nested").mkdir(parents=True)
    for name in ("b.csv", "a.csv", "C.CSV", "notes.txt", "nested/z.csv"):
        (folder / name).write_text("USER_ID\nu1\n")
    files = list_import_files(f"{folder}/")
    assert [Path(f.path).name for f in files] == ["C.CSV", "a.csv", "b.csv"]
    assert files[1].url == f"file://{folder}/a.csv"
    assert files[1].size == len("USER_ID\nu1\n")
    single = list_import_files(f"file://{folder}/b.csv")
    assert [f.url for f in single] == [f"file://{folder}/b.csv"]
    assert single[0].read_header() == ["USER_ID"]


@pytest.mark.parametrize(
    ("relative", "expected"),
    [
        ("missing.csv", "does not exist"),
        ("missing/", "does not exist"),
        ("empty/", "holds no .csv files"),
        ("empty", "is a folder; end the location with '/'"),
        ("data.csv/", "is a file, not a folder"),
    ],
)
def test_import_input_refusals_name_the_location(tmp_path, relative, expected):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "readme.txt").write_text("x")
    (tmp_path / "data.csv").write_text("A\n1\n")
    with pytest.raises(ImportInputError) as caught:
        list_import_files(f"{tmp_path}/{relative}")
    message = str(caught.value)
    assert expected in message and str(tmp_path) in message, message


def test_header_reading_drops_the_byte_order_mark_and_refuses_empty_files(tmp_path):
    (tmp_path / "bom.csv").write_bytes(b"\xef\xbb\xbfUSER_ID,ITEM_ID\r\nu,i\r\n")
    (tmp_path / "empty.csv").write_bytes(b"")
    (tmp_path / "latin1.csv").write_bytes("CAF\xc9\n1\n".encode("latin-1"))
    assert list_import_files(str(tmp_path / "bom.csv"))[0].read_header() == ["USER_ID", "ITEM_ID"]
    with pytest.raises(ImportInputError, match="empty.csv is empty"):
        list_import_files(str(tmp_path / "empty.csv"))[0].read_header()
    with pytest.raises(ImportInputError, match="not UTF-8"):
        list_import_files(str(tmp_path / "latin1.csv"))[0].read_header()


# --- segments, local directory -------------------------------------------------------------------


def test_local_segments_are_staged_then_renamed_and_read_back(tmp_path):
    store = open_segment_store(str(tmp_path / "data"))
    writer = store.writer(DATASET, "job1", SCHEMA)
    writer.write(_batch(0, 3))
    writer.write(_batch(3, 4))
    segments = writer.finish()
    final = tmp_path / "data" / "shop" / "INTERACTIONS" / "job1-0.parquet"
    assert segments == [(f"file://{final}", 7)]
    assert _files(tmp_path / "data") == ["shop/INTERACTIONS/job1-0.parquet"]
    table = store.read(segments[0][0])
    assert table.equals(pa.Table.from_batches([_batch(0, 7)]))
    assert store.read(segments[0][0], columns=["TIMESTAMP"]).column_names == ["TIMESTAMP"]
    store.delete([segments[0][0], f"file://{final}.gone"])
    assert _files(tmp_path / "data") == []


def test_writer_rolls_segments_and_groups_rows(tmp_path):
    root = resolve_location(str(tmp_path))
    writer = ArrowSegmentWriter(
        root, str(tmp_path / "ds"), "job", SCHEMA, rows_per_segment=5, rows_per_row_group=2
    )
    for start in range(0, 12, 3):
        writer.write(_batch(start, 3))
    segments = writer.finish()
    assert [rows for _, rows in segments] == [5, 5, 2]
    assert [Path(uri).name for uri, _ in segments] == [
        "job-0.parquet",
        "job-1.parquet",
        "job-2.parquet",
    ]
    first = pq.ParquetFile(str(tmp_path / "ds" / "job-0.parquet"))
    assert first.metadata.num_row_groups == 3  # 2 + 2 + 1 rows
    together = pa.concat_tables(pq.read_table(uri.removeprefix("file://")) for uri, _ in segments)
    assert together.equals(pa.Table.from_batches([_batch(0, 12)]))


def test_staged_segments_are_not_final_until_finish_and_abort_removes_everything(tmp_path):
    root = resolve_location(str(tmp_path))
    writer = ArrowSegmentWriter(
        root, str(tmp_path), "job", SCHEMA, rows_per_segment=4, rows_per_row_group=1
    )
    writer.write(_batch(0, 6))
    writer._stop_thread()  # let the thread write what it has, as a crash mid-import would leave
    staged = _files(tmp_path)
    assert staged and all(name.endswith(STAGING_SUFFIX) for name in staged)
    writer.abort()
    assert _files(tmp_path) == []
    finished = ArrowSegmentWriter(root, str(tmp_path), "done", SCHEMA)
    finished.write(_batch(0, 2))
    finished.finish()
    finished.abort()  # after finish, abort removes the final files too
    assert _files(tmp_path) == []


def test_writer_reports_a_batch_that_does_not_fit_the_schema(tmp_path):
    store = open_segment_store(str(tmp_path))
    writer = store.writer(DATASET, "job", SCHEMA)
    wrong = pa.RecordBatch.from_pydict({"USER_ID": ["u"], "TIMESTAMP": ["not a number"]})
    writer.write(wrong)
    with pytest.raises((pa.ArrowInvalid, pa.ArrowTypeError, ValueError, TypeError)):
        writer.finish()
    assert _files(tmp_path) == []


# --- segments and input on S3 (a real moto server) -----------------------------------------------


@pytest.fixture
def bucket(s3_endpoint):
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1")
    client.create_bucket(Bucket="tailor")
    return client


def _keys(client) -> list[str]:
    """Object keys, without the folder markers pyarrow leaves when a folder's last file goes."""
    listed = client.list_objects_v2(Bucket="tailor").get("Contents", [])
    return sorted(o["Key"] for o in listed if not o["Key"].endswith("/"))


def test_s3_segments_written_whole_read_back_and_deleted(s3_endpoint, bucket):
    store = open_segment_store("s3://tailor/segments", s3_endpoint)
    writer = store.writer(DATASET, "job1", SCHEMA)
    writer.write(_batch(0, 5))
    segments = writer.finish()
    assert segments == [("s3://tailor/segments/shop/INTERACTIONS/job1-0.parquet", 5)]
    assert _keys(bucket) == ["segments/shop/INTERACTIONS/job1-0.parquet"]
    assert store.read(segments[0][0]).equals(pa.Table.from_batches([_batch(0, 5)]))
    aborted = store.writer(DATASET, "job2", SCHEMA)
    aborted.write(_batch(0, 5))
    aborted.abort()
    store.delete([uri for uri, _ in segments])
    assert _keys(bucket) == []


def test_s3_import_input_folder_and_file(s3_endpoint, bucket):
    for key in ("in/b.csv", "in/a.csv", "in/skip.json", "other/c.csv"):
        bucket.put_object(Bucket="tailor", Key=key, Body=b"USER_ID,AGE\nu1,3\n")
    files = list_import_files("s3://tailor/in/", s3_endpoint)
    assert [f.url for f in files] == ["s3://tailor/in/a.csv", "s3://tailor/in/b.csv"]
    assert files[0].read_header() == ["USER_ID", "AGE"]
    assert [f.size for f in files] == [17, 17]
    with pytest.raises(ImportInputError, match="does not exist"):
        list_import_files("s3://tailor/in/none.csv", s3_endpoint)
    with pytest.raises(ImportInputError, match="does not exist"):
        list_import_files("s3://tailor/nothing/", s3_endpoint)
    bucket.put_object(Bucket="tailor", Key="docs/readme.txt", Body=b"x")
    with pytest.raises(ImportInputError, match="holds no .csv files"):
        list_import_files("s3://tailor/docs/", s3_endpoint)
