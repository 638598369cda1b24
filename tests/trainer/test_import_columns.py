"""The vectorised CSV column conversion against a slow, obviously correct reference."""

from __future__ import annotations

import math
import random
import re

import pyarrow as pa
import pytest

from domain.dataset_schema import DatasetSchema, SchemaField, parse_dataset_schema
from tests.control_plane.fixtures_data import ITEMS_SCHEMA_V2
from trainer.import_columns import ColumnRule, column_rules, convert_column, segment_schema

INT_RANGES = {"int": (-(2**31), 2**31 - 1), "long": (-(2**63), 2**63 - 1)}
FLOAT_RE = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")
CORPUS = [
    None, "0", "-0", "7", "-12", "+5", " 5", "5 ", "5.0", "1e3", "0x10", "00012", "--5", "-",
    "2147483647", "2147483648", "-2147483648", "-2147483649", "9223372036854775807",
    "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
    "00000000000000000000042", "1.5", ".5", "1.", "+.5e-3", "1E+5", "nan", "inf", "-Infinity",
    "1e400", "1e39", "3.4e38", "true", "false", "True", "FALSE", "1", "١٢", "abc", "a|b|c",
    "x" * 256, "x" * 257, "é" * 256, "é" * 257, "y" * 1000, "y" * 1001,
]  # fmt: skip


def reference(base: str, nullable: bool, max_length: int | None, value: str | None):
    """(converted value, bad?) for one cell, the slow way."""
    if value is None:
        return None, not nullable
    if base == "string":
        too_long = max_length is not None and len(value) > max_length
        return (None, True) if too_long else (value, False)
    if base in INT_RANGES:
        if not re.fullmatch(r"-?[0-9]+", value):
            return None, True
        low, high = INT_RANGES[base]
        number = int(value)
        return (number, False) if low <= number <= high else (None, True)
    if base in ("float", "double"):
        if not FLOAT_RE.fullmatch(value):
            return None, True
        number = float(value)
        if base == "float":
            number = float(pa.array([number], pa.float64()).cast(pa.float32())[0].as_py())
        return (None, True) if math.isinf(number) else (number, False)
    if base == "boolean":
        return {"true": (True, False), "false": (False, False)}.get(value, (None, True))
    raise AssertionError(base)


def _rule(name: str, base: str, nullable: bool = True, **flags) -> ColumnRule:
    types = ("null", base) if nullable else (base,)
    field = SchemaField(name, types, **flags)
    return column_rules(DatasetSchema("Items", "ITEMS", (field,)))[0]


def _raw(values: list[str | None]) -> pa.Array:
    return pa.array([None if v is None else v.encode() for v in values], pa.binary())


@pytest.mark.parametrize(
    ("name", "base", "nullable"),
    [
        ("TIMESTAMP", "long", False),
        ("AGE", "int", True),
        ("PRICE", "float", True),
        ("SCORE", "double", False),
        ("FLAG", "boolean", True),
        ("ITEM_ID", "string", False),
        ("GENRES", "string", True),
    ],
)
def test_conversion_matches_the_reference_on_edge_values(name, base, nullable):
    rule = _rule(name, base, nullable)
    shuffled = CORPUS * 3
    random.Random(7).shuffle(shuffled)
    converted, problems = convert_column(rule, _raw(shuffled))
    bad_positions = sorted(int(p) for problem in problems for p in problem.positions)
    expected = [reference(base, nullable, rule.max_length, v) for v in shuffled]
    assert bad_positions == [i for i, (_, bad) in enumerate(expected) if bad]
    got = converted.to_pylist()
    for position, (value, bad) in enumerate(expected):
        if bad:
            assert got[position] is None, (shuffled[position], got[position])
        elif isinstance(value, float):
            assert got[position] == pytest.approx(value, rel=1e-6), shuffled[position]
        else:
            assert got[position] == value, shuffled[position]
    assert converted.type == rule.arrow_type


def test_reasons_say_what_is_wrong():
    rule = _rule("TIMESTAMP", "long", nullable=False)
    _, problems = convert_column(rule, _raw(["1", None, "x", "99999999999999999999"]))
    reasons = {problem.reason: problem.positions.tolist() for problem in problems}
    assert reasons == {
        "is empty, but field TIMESTAMP is not nullable": [1],
        "is not an integer": [2],
        "is out of range for type long": [3],
    }
    _, problems = convert_column(_rule("ITEM_ID", "string", False), _raw(["i" * 300]))
    assert [p.reason for p in problems] == ["is longer than 256 characters"]
    _, problems = convert_column(_rule("FLAG", "boolean"), _raw(["yes"]))
    assert [p.reason for p in problems] == ["is not a boolean (lower-case true or false)"]


def test_invalid_utf8_is_named_and_the_rest_converted():
    raw = pa.array([b"ok", b"\xff\xfe", b"fine"], pa.binary())
    converted, problems = convert_column(_rule("GENRE", "string"), raw)
    assert converted.to_pylist() == ["ok", None, "fine"]
    assert [(p.reason, p.positions.tolist()) for p in problems] == [
        ("is not valid UTF-8 text", [1])
    ]


def test_textual_values_are_stripped_collapsed_and_truncated_never_refused():
    rule = _rule("DESCRIPTION", "string", textual=True)
    long_text = "word " * 5000
    converted, problems = convert_column(
        rule, _raw(["<p>Soft&nbsp;<b>cotton</b></p>\n\n  shirt", long_text, None])
    )
    assert problems == []
    values = converted.to_pylist()
    assert values[0] == "Soft cotton shirt"
    assert len(values[1]) == 20000 and values[1].startswith("word word")
    assert values[2] is None


def test_segment_schema_keeps_schema_names_order_and_types():
    rules = column_rules(parse_dataset_schema(ITEMS_SCHEMA_V2))
    schema = segment_schema(rules)
    assert schema.names == ["ITEM_ID", "GENRE", "PRICE", "BRAND"]
    assert [str(t) for t in schema.types] == ["string", "string", "float", "string"]
    assert [f.nullable for f in schema] == [False, False, False, True]
    assert [r.max_length for r in rules] == [256, 1000, None, 1000]
