"""The ``properties`` JSON of events, items, users and actions, checked against a schema.

AWS documents the keys as the camel case of the schema's column names (``numberOfRatings`` sets
``NUMBER_OF_RATINGS``). Tailor matches a key to a column by comparing both with everything but
letters and digits removed, case-folded: the same comparison under which CreateSchema requires
field names to be unique, so a key can never match two columns. ``numberOfRatings``,
``number_of_ratings`` and ``NUMBER_OF_RATINGS`` all name ``NUMBER_OF_RATINGS``.

Values are typed per the column (spec §9.2: "values sent as strings or numbers"):
* string columns take strings, or numbers (kept as their JSON text); categorical multi-values are
  one ``|``-joined string; values longer than 1000 characters are refused, textual values are cut
  to 20000 characters (spec §4.4);
* int/long columns take integers, integral floats or strings holding one; float/double columns take
  finite numbers or strings holding one; boolean columns take ``true``/``false`` (or those strings);
* ``null`` only where the column's type unions ``null``.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

from domain.dataset_schema import SchemaField
from domain.errors import InvalidInputException

MAX_STRING_LENGTH = 1000
MAX_TEXTUAL_LENGTH = 20000
_INT_RANGES = {"int": (-(2**31), 2**31 - 1), "long": (-(2**63), 2**63 - 1)}
_NON_ALPHANUMERIC = re.compile(r"[^A-Za-z0-9]")


def column_key(name: str) -> str:
    """The comparison key of a property key or column name (letters and digits, case-folded)."""
    return _NON_ALPHANUMERIC.sub("", name).lower()


def columns_by_key(fields: Iterable[SchemaField]) -> dict[str, SchemaField]:
    """Index schema fields by :func:`column_key` for property lookups."""
    return {column_key(field.name): field for field in fields}


def parse_properties_object(text: str, where: str) -> dict[str, Any]:
    """Parse a ``properties`` string, which must hold one JSON object.

    Raises:
        InvalidInputException: ``{where}: ...`` when it is not valid JSON or not an object.

    """
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise InvalidInputException(f"{where}: is not valid JSON ({exc})") from None
    if not isinstance(value, dict):
        raise InvalidInputException(f"{where}: must be a JSON object, got {type(value).__name__}")
    return value


def typed_value(field: SchemaField, value: Any, where: str) -> Any:
    """``value`` converted to ``field``'s type.

    Args:
        field: The schema column.
        value: A value decoded from JSON.
        where: Prefix of error messages (``eventList[3].properties``).

    Returns:
        str, int, float, bool or None.

    Raises:
        InvalidInputException: the value does not fit the column, naming key and column.

    """
    if value is None:
        if field.nullable:
            return None
        raise InvalidInputException(f"{where}: {field.name} is not nullable and cannot be null")
    base = field.base_type
    if base == "string":
        return _string_value(field, value, where)
    if base in _INT_RANGES:
        return _integer_value(field, value, where)
    if base in ("float", "double"):
        return _float_value(field, value, where)
    if base == "boolean":
        if isinstance(value, bool):
            return value
        if value in ("true", "false"):
            return value == "true"
        raise _type_error(field, value, where, "true or false")
    raise _type_error(field, value, where, "null")


def read_properties(
    raw: Mapping[str, Any],
    where: str,
    columns: Mapping[str, SchemaField],
    *,
    reserved: Mapping[str, str] | None = None,
    legacy: Iterable[str] = (),
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Map a parsed ``properties`` object onto schema columns.

    Args:
        raw: The decoded JSON object.
        where: Prefix of error messages.
        columns: The columns properties may set, by :func:`column_key`.
        reserved: Keys (by column key) properties may not use, each with the reason.
        legacy: Column keys accepted for backwards compatibility and returned as sent
            (``itemid``, ``eventvalue`` in old PutEvents clients).

    Returns:
        (typed values by column name, legacy values by column key).

    Raises:
        InvalidInputException: an unknown, reserved or repeated key, or a badly typed value.

    """
    reserved = reserved or {}
    legacy_keys = set(legacy)
    values: dict[str, Any] = {}
    legacy_values: dict[str, Any] = {}
    for key, value in raw.items():
        lookup = column_key(key)
        if lookup in legacy_keys:
            legacy_values[lookup] = value
            continue
        if lookup in reserved:
            raise InvalidInputException(f"{where}: key {key!r} is not allowed; {reserved[lookup]}")
        field = columns.get(lookup)
        if field is None:
            settable = ", ".join(sorted(f.name for f in columns.values())) or "none"
            raise InvalidInputException(
                f"{where}: key {key!r} matches no field of the schema "
                f"(fields properties can set: {settable})"
            )
        if field.name in values:
            raise InvalidInputException(f"{where}: more than one key sets {field.name}")
        values[field.name] = typed_value(field, value, f"{where}: key {key!r} ({field.name})")
    return values, legacy_values


def require_columns(values: Mapping[str, Any], required: Iterable[SchemaField], where: str) -> None:
    """Refuse when a non-nullable column got no value.

    Raises:
        InvalidInputException: naming the first missing column.

    """
    for field in required:
        if values.get(field.name) is None:
            raise InvalidInputException(
                f"{where}: {field.name} is required by the schema (its type does not allow null)"
            )


def _string_value(field: SchemaField, value: Any, where: str) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        hint = "; join categorical values with |" if isinstance(value, list) else ""
        raise _type_error(field, value, where, "a string" + hint)
    text = value if isinstance(value, str) else json.dumps(value)
    if field.textual:
        return text[:MAX_TEXTUAL_LENGTH]
    if len(text) > MAX_STRING_LENGTH:
        raise InvalidInputException(
            f"{where}: must be at most {MAX_STRING_LENGTH} characters, got {len(text)}"
        )
    return text


def _integer_value(field: SchemaField, value: Any, where: str) -> int:
    number: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str):
        try:
            number = int(value.strip())
        except ValueError:
            number = None
    if number is None:
        raise _type_error(field, value, where, f"an integer ({field.base_type})")
    low, high = _INT_RANGES[field.base_type]
    if not low <= number <= high:
        raise InvalidInputException(f"{where}: {number} is out of range for {field.base_type}")
    return number


def _float_value(field: SchemaField, value: Any, where: str) -> float:
    number: float | None = None
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            number = None
    if number is None or not math.isfinite(number):
        raise _type_error(field, value, where, "a finite number")
    return number


def _type_error(field: SchemaField, value: Any, where: str, expected: str) -> InvalidInputException:
    shown = json.dumps(value)
    shown = shown if len(shown) <= 60 else shown[:57] + "..."
    return InvalidInputException(
        f"{where}: {field.name} is of type {field.base_type} and needs {expected}, got {shown}"
    )
