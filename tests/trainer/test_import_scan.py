"""Reading import files block by block: header matching, row numbers, problem bookkeeping."""

from __future__ import annotations

import pytest

from domain.dataset_schema import parse_dataset_schema
from domain.errors import InvalidInputException
from storage.data import list_import_files
from tests.control_plane.fixtures_data import USERS_SCHEMA
from trainer import import_scan
from trainer.import_columns import column_rules, segment_schema
from trainer.import_scan import FileProblems, _data_row, map_header, scan_file

USERS = parse_dataset_schema(USERS_SCHEMA)


def test_header_matches_ignoring_case_order_and_surrounding_spaces():
    header_map = map_header("f.csv", [" age ", "user_id"], USERS)
    assert header_map.columns == ("user_id", " age ")
    with pytest.raises(InvalidInputException, match=r"does not: ' X'; expected the schema's"):
        map_header("f.csv", ["USER_ID", "AGE", " X"], USERS)
    with pytest.raises(InvalidInputException, match="lacks required columns AGE"):
        map_header("f.csv", ["USER_ID"], USERS)


def test_data_rows_account_for_skipped_rows():
    # Rows 3 and 4 were dropped (wrong cell count): the 3rd kept row is data row 5.
    assert [_data_row(n, [3, 4]) for n in range(1, 6)] == [1, 2, 5, 6, 7]
    assert _data_row(4, []) == 4


def test_problems_keep_the_earliest_described_and_count_all():
    problems = FileProblems()
    for row, column in [(9, 0), (2, 1), (2, 0), (7, -1), (5, 0), (3, 0), (8, 0)]:
        problems.count += 1
        problems.describe(row, column, f"r{row}c{column}")
    assert problems.count == 7
    assert problems.descriptions == ["r2c0", "r2c1", "r3c0", "r5c0", "r7c-1"]
    assert not problems.wants(8, 0) and problems.wants(1, 5)


def test_problems_across_blocks_are_numbered_by_data_row(tmp_path, monkeypatch):
    monkeypatch.setattr(import_scan, "BLOCK_BYTES", 1024)  # many blocks from a small file
    lines = ["USER_ID,AGE"] + [f"u{i},{i}" for i in range(1, 2001)]
    lines[1500] = "u1500,old"
    lines[1999] = "u1999,"
    (tmp_path / "users.csv").write_text("\n".join(lines) + "\n")
    file = list_import_files(str(tmp_path / "users.csv"))[0]
    rules = column_rules(USERS)
    batches = []
    scan = scan_file(
        file,
        map_header(file.url, file.read_header(), USERS),
        rules,
        segment_schema(rules),
        sink=batches.append,
    )
    assert scan.rows == 2000
    assert scan.problems.count == 2
    assert scan.problems.descriptions == [
        "row 1500, column AGE: 'old' is not an integer",
        "row 1999, column AGE: the cell is empty, but field AGE is not nullable",
    ]
    streamed = sum(batch.num_rows for batch in batches)
    assert 0 < streamed < 1500  # rows went to the sink only until the first problem
