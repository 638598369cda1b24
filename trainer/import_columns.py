"""Column rules of a bulk import: CSV text -> typed Arrow columns, with every bad value found.

Each schema field becomes a :class:`ColumnRule`. :func:`convert_column` turns one block of a CSV
column (raw bytes, empty cells already null) into the field's Arrow type with vectorised pyarrow
compute, and returns the positions of the values that break a rule, so that a failed import can
name the row, the column and the value of every problem without a row-by-row Python pass.

Value rules (spec §4.4, §5.1), and Tailor's choices where AWS is silent:
* ``int``/``long`` (TIMESTAMP, CREATION_TIMESTAMP: Unix epoch seconds): decimal digits with an
  optional leading ``-``; no ``+``, spaces, decimal point, exponent or hex; within the type's range.
* ``float``/``double``: decimal with optional sign, fraction and exponent; NaN and infinities are
  refused, and so is a value that overflows the type.
* ``boolean``: lower-case ``true`` or ``false`` only.
* An empty cell is null, allowed only when the field's type unions ``null``.
* USER_ID, ITEM_ID, ACTION_ID: at most 256 characters; other strings (categorical values with
  their ``|`` separators, IMPRESSION) at most 1000.
* Textual fields are never refused for length: HTML/XML tags and entities are removed, runs of
  whitespace collapse to one space, and the result is truncated to 20,000 characters (the 7,000
  limit AWS applies to Chinese and Japanese text is not applied).
* Text must be UTF-8.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from domain.dataset_schema import DatasetSchema, SchemaField

ID_FIELDS = frozenset({"USER_ID", "ITEM_ID", "ACTION_ID"})
MAX_ID_LENGTH = 256
MAX_STRING_LENGTH = 1000
MAX_TEXTUAL_LENGTH = 20000
ARROW_TYPES: dict[str, pa.DataType] = {
    "string": pa.string(),
    "int": pa.int32(),
    "long": pa.int64(),
    "float": pa.float32(),
    "double": pa.float64(),
    "boolean": pa.bool_(),
    "null": pa.null(),
}
_NEGATIVE_INTEGER = r"^-[0-9]+$"  # non-negative ones pass the faster ascii_is_decimal
_DECIMAL_NUMBER = r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$"
_TAG_OR_ENTITY = r"<[^>]*>|&(#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);"
_INT_RANGES = {"int": (-(2**31), 2**31 - 1), "long": (-(2**63), 2**63 - 1)}


@dataclass(frozen=True)
class ColumnRule:
    """How one schema field is read from CSV.

    Attributes:
        field: The schema field.
        arrow_type: The type it is stored as.
        max_length: Longest string allowed (None: not a string, or textual).

    """

    field: SchemaField
    arrow_type: pa.DataType
    max_length: int | None

    @property
    def name(self) -> str:
        """The field name, as the schema spells it."""
        return self.field.name


@dataclass(frozen=True)
class BadValues:
    """Values of one column block that break one rule.

    Attributes:
        positions: Row positions in the block, ascending; shape (n,), int64.
        reason: What is wrong, worded to follow the value (``is not an integer``).

    """

    positions: np.ndarray
    reason: str


def column_rules(schema: DatasetSchema) -> list[ColumnRule]:
    """One rule per schema field, in schema order."""
    rules = []
    for field in schema.fields:
        base = field.base_type
        max_length = None
        if base == "string" and not field.textual:
            max_length = MAX_ID_LENGTH if field.name in ID_FIELDS else MAX_STRING_LENGTH
        rules.append(ColumnRule(field, ARROW_TYPES[base], max_length))
    return rules


def segment_schema(rules: list[ColumnRule]) -> pa.Schema:
    """The Arrow (and Parquet) schema of the dataset's segments: schema names, order and types."""
    return pa.schema(
        [pa.field(rule.name, rule.arrow_type, nullable=rule.field.nullable) for rule in rules]
    )


def convert_column(rule: ColumnRule, raw: pa.Array) -> tuple[pa.Array, list[BadValues]]:
    """Convert one block of a CSV column to the rule's type and find its bad values.

    Args:
        rule: The field's rule.
        raw: The column's cells as ``binary``, empty cells null; shape (rows,).

    Returns:
        The converted column, shape (rows,), bad values null; and the bad values, rule by rule.

    """
    problems: list[BadValues] = []
    if raw.null_count and not rule.field.nullable:
        reason = f"is empty, but field {rule.name} is not nullable"
        problems.append(BadValues(_positions(pc.is_null(raw)), reason))
    text = _as_utf8(raw, problems)
    base = rule.field.base_type
    if base == "string":
        return _convert_string(rule, text, problems), problems
    if base in _INT_RANGES:
        return _convert_integer(rule, text, problems), problems
    if base in ("float", "double"):
        return _convert_float(rule, text, problems), problems
    if base == "boolean":
        return _convert_boolean(text, problems), problems
    if text.null_count < len(text):
        problems.append(
            BadValues(_positions(pc.is_valid(text)), "must be empty (the field's type is null)")
        )
    return pa.nulls(len(text)), problems


def describe_value(raw: pa.Array, position: int, limit: int = 80) -> str:
    """A short, quoted rendering of one raw cell for a failure reason."""
    value = raw[position].as_py()
    if value is None:
        return "the cell"
    text = value.decode("utf-8", errors="replace")
    shown = text if len(text) <= limit else text[:limit] + "..."
    return repr(shown)


# --- per type ---------------------------------------------------------------------------------


def _as_utf8(raw: pa.Array, problems: list[BadValues]) -> pa.Array:
    try:
        return raw.cast(pa.string())
    except pa.ArrowInvalid:
        pass
    # Rare: find the undecodable cells one by one, in this block only.
    bad = np.zeros(len(raw), dtype=bool)
    for position, value in enumerate(raw.to_pylist()):
        if value is not None:
            try:
                value.decode("utf-8")
            except UnicodeDecodeError:
                bad[position] = True
    problems.append(BadValues(np.flatnonzero(bad), "is not valid UTF-8 text"))
    return pc.if_else(pa.array(bad), pa.scalar(None, pa.binary()), raw).cast(pa.string())


def _convert_string(rule: ColumnRule, text: pa.Array, problems: list[BadValues]) -> pa.Array:
    if rule.field.textual:
        return _normalise_textual(text)
    limit = rule.max_length
    if limit is None or len(text) == text.null_count:
        return text
    # A string has at most as many characters as bytes: count characters only past the limit.
    if (pc.max(pc.binary_length(text)).as_py() or 0) <= limit:
        return text
    too_long = pc.fill_null(pc.greater(pc.utf8_length(text), limit), False)
    if not pc.any(too_long).as_py():
        return text
    problems.append(BadValues(_positions(too_long), f"is longer than {limit} characters"))
    return pc.if_else(too_long, pa.scalar(None, pa.string()), text)


def _normalise_textual(text: pa.Array) -> pa.Array:
    stripped = pc.replace_substring_regex(text, _TAG_OR_ENTITY, " ")
    collapsed = pc.replace_substring_regex(stripped, r"\s+", " ")
    trimmed = pc.utf8_trim_whitespace(collapsed)
    return pc.utf8_slice_codeunits(trimmed, 0, MAX_TEXTUAL_LENGTH)


def _convert_integer(rule: ColumnRule, text: pa.Array, problems: list[BadValues]) -> pa.Array:
    base = rule.field.base_type
    low, high = _INT_RANGES[base]
    unusable = np.zeros(len(text), dtype=bool)
    well_formed = pc.fill_null(pc.ascii_is_decimal(text), True)
    if not pc.all(well_formed).as_py():
        negative = pc.fill_null(pc.match_substring_regex(text, _NEGATIVE_INTEGER), False)
        well_formed = pc.or_(well_formed, negative)
        unusable = _mask(pc.invert(well_formed))
        if unusable.any():
            problems.append(BadValues(np.flatnonzero(unusable), "is not an integer"))
    # Nineteen characters or more may not fit in 64 bits: check those (few) values exactly.
    overflow = np.zeros(len(text), dtype=bool)
    if (pc.max(pc.binary_length(text)).as_py() or 0) > 18:
        long_text = _mask(pc.greater(pc.binary_length(text), 18)) & ~unusable
        for position in np.flatnonzero(long_text):
            overflow[position] = not low <= int(text[int(position)].as_py()) <= high
    if unusable.any() or overflow.any():
        text = pc.if_else(pa.array(unusable | overflow), pa.scalar(None, pa.string()), text)
    values = pc.cast(text, pa.int64())
    if base == "int":
        out_of_range = pc.or_(pc.less(values, low), pc.greater(values, high))
        if pc.any(out_of_range).as_py():
            overflow |= _mask(out_of_range)
            values = pc.if_else(pa.array(overflow), pa.scalar(None, pa.int64()), values)
    if overflow.any():
        problems.append(BadValues(np.flatnonzero(overflow), f"is out of range for type {base}"))
    return values.cast(rule.arrow_type)


def _convert_float(rule: ColumnRule, text: pa.Array, problems: list[BadValues]) -> pa.Array:
    well_formed = pc.fill_null(pc.match_substring_regex(text, _DECIMAL_NUMBER), True)
    if not pc.all(well_formed).as_py():
        problems.append(BadValues(_positions(pc.invert(well_formed)), "is not a decimal number"))
        text = pc.if_else(well_formed, text, pa.scalar(None, pa.string()))
    values = pc.cast(text, rule.arrow_type)
    infinite = pc.fill_null(pc.is_inf(values), False)
    if pc.any(infinite).as_py():
        reason = f"is out of range for type {rule.field.base_type}"
        problems.append(BadValues(_positions(infinite), reason))
        values = pc.if_else(infinite, pa.scalar(None, rule.arrow_type), values)
    return values


def _convert_boolean(text: pa.Array, problems: list[BadValues]) -> pa.Array:
    known = pc.or_(pc.is_in(text, value_set=pa.array(["true", "false"])), pc.is_null(text))
    if not pc.all(known).as_py():
        problems.append(
            BadValues(_positions(pc.invert(known)), "is not a boolean (lower-case true or false)")
        )
        text = pc.if_else(known, text, pa.scalar(None, pa.string()))
    return pc.equal(text, "true")


def _mask(flags: pa.Array) -> np.ndarray:
    """A boolean array as numpy, nulls as false; shape (n,), bool."""
    return np.asarray(pc.fill_null(flags, False).to_numpy(zero_copy_only=False), dtype=bool)


def _positions(flags: pa.Array) -> np.ndarray:
    """Positions where a boolean array is true (nulls count as false); shape (k,), int64."""
    return np.flatnonzero(_mask(flags))
