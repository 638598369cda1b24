"""Evaluate a parsed filter expression (spec §8) against a model's candidate items.

``evaluate_filter`` turns a ``FilterExpression`` plus the request context (the user's recent
interactions, the user's and the current item's attributes, ``filterValues``) into a boolean mask
over the candidate items. Item attribute columns are pre-processed once per column into a value
vocabulary and cached on the ``ItemMetadata`` instance, so each condition is a few numpy passes.

Semantics decided here (spec §8.2/8.3 leave them open):

* A missing attribute (``None``, ``""`` or NaN) never satisfies any condition, ``NOT IN`` and
  ``!=`` included (SQL-like). Values compare equal when their text is identical or both parse as
  finite numbers that are numerically equal (``"10"`` matches ``10`` and ``10.0``).
* Pipe-joined categorical values match ``IN``/``=`` if any part matches; ``NOT IN``/``!=`` hold
  when no part matches. ``<``/``<=``/``>``/``>=`` need the whole value to be a number.
* ``Interactions.EVENT_TYPE IN (...)`` matches items the user interacted with with one of those
  event types; ``NOT IN (...)`` matches items interacted with with some other event type.
* A missing ``$param`` in an EXCLUDE expression makes that condition false, so it can only disable
  part of the expression, never widen it. An expression whose IF clause is false (or whose user is
  unknown) is skipped; when no INCLUDE expression remains active, all candidates are the base.
* A ``CurrentItem`` reference without a current item never matches.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from domain.errors import InvalidInputException
from domain.filter_expression import (
    Condition,
    CurrentItemRef,
    Expression,
    FilterExpression,
    Literals,
    Param,
    Wildcard,
)

MAX_INTERACTIONS_PER_EVENT_TYPE = 100
Value = str | float


@dataclass(frozen=True)
class ItemMetadata:
    """Item attribute columns aligned with a model's item index.

    Attributes:
        columns: Column name (as the schema spells it, matched case-insensitively) -> one value
            per item code; ``None`` = missing; categorical strings may hold several values
            joined by ``"|"``.
    """

    columns: Mapping[str, Sequence[Any]]
    _cache: dict[Any, Any] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )

    def column(self, name: str, n_items: int) -> _ColumnView:
        """The cached pre-processed view of column ``name`` (all missing if there is none)."""
        key = ("column", name.lower(), n_items)
        view = self._cache.get(key)
        if view is None:
            lowered = self._cache.get("names")
            if lowered is None:
                lowered = {column.lower(): column for column in self.columns}
                self._cache["names"] = lowered
            column = lowered.get(name.lower())
            values = self.columns[column] if column is not None else [None] * n_items
            if len(values) != n_items:
                raise ValueError(f"column {column} has {len(values)} values for {n_items} items")
            view = _ColumnView.build(values)
            self._cache[key] = view
        return view

    def index_of(self, item_ids: np.ndarray) -> dict[str, int]:
        """Item id -> position in ``item_ids``, cached for the last array object seen."""
        cached = self._cache.get("index")
        if cached is None or cached[0] is not item_ids:
            cached = (item_ids, {str(item): i for i, item in enumerate(item_ids.tolist())})
            self._cache["index"] = cached
        return cached[1]


def _number(value: Any) -> float:
    """The finite number a value holds, or NaN (missing, text, bool, infinite)."""
    if isinstance(value, bool) or value is None:
        return math.nan
    if isinstance(value, int | float):
        number = float(value)
    else:
        try:
            number = float(str(value).strip())
        except ValueError:
            return math.nan
    return number if math.isfinite(number) else math.nan


def _text(value: Any) -> str:
    return value if isinstance(value, str) else str(value)


def _parts(value: Any) -> tuple[str, ...]:
    """The categorical parts of one attribute value; empty when the value is missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ()
    if isinstance(value, str):
        return tuple(part for part in value.split("|") if part != "")
    return (_text(value),)


def _equal(part: str, value: Value) -> bool:
    number = _number(value)
    return part == _text(value) or (not math.isnan(number) and _number(part) == number)


@dataclass(frozen=True)
class _ColumnView:
    """One column as a part vocabulary (for equality) and a float array (for ordering)."""

    present: np.ndarray  # (n,) bool: the value is not missing
    numbers: np.ndarray  # (n,) float: the whole value as a number, NaN if missing or not numeric
    vocabulary: dict[str, int]  # distinct part text -> code
    vocabulary_numbers: np.ndarray  # (n_codes,) float: each part as a number, or NaN
    part_items: np.ndarray  # (n_parts,) int: the item each part belongs to
    part_codes: np.ndarray  # (n_parts,) int: the part's code

    @staticmethod
    def build(values: Sequence[Any]) -> _ColumnView:
        vocabulary: dict[str, int] = {}
        part_items: list[int] = []
        part_codes: list[int] = []
        numbers = np.full(len(values), np.nan)
        for i, value in enumerate(values):
            parts = _parts(value)
            if parts:
                numbers[i] = _number(value)
            for part in parts:
                part_items.append(i)
                part_codes.append(vocabulary.setdefault(part, len(vocabulary)))
        items = np.asarray(part_items, dtype=np.int64)
        present = np.zeros(len(values), dtype=bool)
        present[items] = True
        return _ColumnView(
            present,
            numbers,
            vocabulary,
            np.array([_number(part) for part in vocabulary], dtype=float),
            items,
            np.asarray(part_codes, dtype=np.int64),
        )

    def matches_any(self, values: Sequence[Value]) -> np.ndarray:
        """Items with at least one part equal to one of ``values``."""
        hit = np.zeros(len(self.vocabulary), dtype=bool)
        for value in values:
            code = self.vocabulary.get(_text(value))
            if code is not None:
                hit[code] = True
            number = _number(value)
            if not math.isnan(number):
                hit |= self.vocabulary_numbers == number
        mask = np.zeros(len(self.present), dtype=bool)
        mask[self.part_items[hit[self.part_codes]]] = True
        return mask


_COMPARE = {
    "<": np.less,
    "<=": np.less_equal,
    ">": np.greater,
    ">=": np.greater_equal,
}


class _Evaluation:
    """The request context of one ``evaluate_filter`` call."""

    def __init__(
        self,
        item_ids: np.ndarray,
        items: ItemMetadata,
        user_events: Sequence[tuple[str, str]],
        user: Mapping[str, Any] | None,
        current_item: Mapping[str, Any] | None,
        filter_values: Mapping[str, str],
    ) -> None:
        self.item_ids = item_ids
        self.n = len(item_ids)
        self.items = items
        self.user_events = user_events
        self.user = _lower_keys(user)
        self.current_item = _lower_keys(current_item)
        self.filter_values = filter_values
        self._windowed: list[tuple[str, str]] | None = None

    def param(self, name: str) -> tuple[Value, ...] | None:
        """The parsed values of ``$name``, or ``None`` if the request does not supply it."""
        raw = self.filter_values.get(name)
        return None if raw is None else parse_filter_values(name, raw)

    def operand_values(self, condition: Condition) -> tuple[Value, ...] | None:
        """The values a non-wildcard operand stands for; ``None`` for a missing parameter."""
        operand = condition.operand
        if isinstance(operand, Literals):
            return operand.values
        if isinstance(operand, Param):
            return self.param(operand.name)
        if isinstance(operand, CurrentItemRef):
            value = (self.current_item or {}).get(operand.field.lower())
            if condition.operator in _COMPARE:
                number = _number(value)
                return () if math.isnan(number) else (number,)
            return _parts(value)
        raise InvalidInputException(f"filterExpression: unexpected operand {operand!r}")

    def windowed_events(self) -> list[tuple[str, str]]:
        """(item_id, lower-cased event type), at most the latest 100 per event type."""
        if self._windowed is None:
            counts: dict[str, int] = {}
            kept: list[tuple[str, str]] = []
            for item_id, event_type in self.user_events:
                kind = event_type.lower()
                if counts.get(kind, 0) < MAX_INTERACTIONS_PER_EVENT_TYPE:
                    counts[kind] = counts.get(kind, 0) + 1
                    kept.append((item_id, kind))
            self._windowed = kept
        return self._windowed

    def interactions_mask(self, condition: Condition) -> np.ndarray | None:
        """Items the user interacted with whose event type is (not) in the operand's list."""
        if isinstance(condition.operand, Wildcard):
            wanted = None
        else:
            values = self.operand_values(condition)
            if values is None:
                return None
            wanted = {_text(value).lower() for value in values}
        negate = condition.operator == "NOT IN"
        index = self.items.index_of(self.item_ids)
        mask = np.zeros(self.n, dtype=bool)
        for item_id, kind in self.windowed_events():
            in_list = wanted is None or kind in wanted
            position = index.get(item_id)
            if position is not None and in_list != negate:
                mask[position] = True
        return mask

    def condition_mask(self, condition: Condition) -> np.ndarray | None:
        """The items satisfying one WHERE condition; ``None`` when a parameter is missing."""
        if condition.dataset == "Interactions":
            return self.interactions_mask(condition)
        values = self.operand_values(condition)
        if values is None:
            return None
        if not values:  # a missing CurrentItem attribute never matches
            return np.zeros(self.n, dtype=bool)
        column = self.items.column(condition.field, self.n)
        operator = condition.operator
        if operator in _COMPARE:
            number = _single_number(condition, values)
            with np.errstate(invalid="ignore"):
                return _COMPARE[operator](column.numbers, number)
        if operator in ("=", "!=") and isinstance(condition.operand, Param):
            _single_number(condition, values, numeric=False)
        matched = column.matches_any(values)
        return matched if operator in ("IN", "=") else column.present & ~matched

    def user_condition(self, condition: Condition) -> bool:
        """Whether the current user satisfies one IF condition (False for an unknown user)."""
        values = self.operand_values(condition)
        if self.user is None or not values:
            return False
        value = self.user.get(condition.field.lower())
        if condition.operator in _COMPARE:
            number = _single_number(condition, values)
            return bool(_COMPARE[condition.operator](_number(value), number))
        if condition.operator in ("=", "!=") and isinstance(condition.operand, Param):
            _single_number(condition, values, numeric=False)
        parts = _parts(value)
        matched = any(_equal(part, v) for part in parts for v in values)
        return matched if condition.operator in ("IN", "=") else bool(parts) and not matched

    def expression_mask(self, expression: Expression) -> np.ndarray | None:
        """The items an expression matches; ``None`` when its IF clause is false."""
        if not all(self.user_condition(c) for c in expression.if_conditions):
            return None
        result = np.zeros(self.n, dtype=bool)
        for group in expression.condition_groups:
            group_mask = np.ones(self.n, dtype=bool)
            for condition in group:
                mask = self.condition_mask(condition)
                if mask is None:
                    group_mask[:] = False
                    break
                group_mask &= mask
            result |= group_mask
        return result


def _lower_keys(row: Mapping[str, Any] | None) -> dict[str, Any] | None:
    return None if row is None else {str(key).lower(): value for key, value in row.items()}


def _single_number(condition: Condition, values: Sequence[Value], *, numeric: bool = True) -> float:
    """The one (numeric) value a comparison needs, or InvalidInputException."""
    name = condition.operand.name if isinstance(condition.operand, Param) else None
    where = f"filterValues[{name}]" if name else f"{condition.dataset}.{condition.field}"
    if len(values) != 1:
        raise InvalidInputException(
            f'{where}: comparison "{condition.operator}" needs exactly one value, got {len(values)}'
        )
    number = _number(values[0])
    if numeric and math.isnan(number):
        raise InvalidInputException(
            f'{where}: comparison "{condition.operator}" needs a number, got {values[0]!r}'
        )
    return number


def parse_filter_values(name: str, raw: str) -> tuple[Value, ...]:
    """Parse one ``filterValues`` entry: JSON-quoted strings or plain numbers, comma-separated.

    Args:
        name: The parameter name (for the error message).
        raw: The entry, e.g. ``'"comedy","drama"'`` or ``'10'``.

    Returns:
        The values: strings stay strings, plain numbers become floats.

    Raises:
        InvalidInputException: The entry is empty or is not such a list.
    """

    def reject(constant: str) -> None:
        raise ValueError(constant)

    try:
        parsed = json.loads(f"[{raw}]", parse_constant=reject)
    except ValueError:
        parsed = None
    if (
        not isinstance(parsed, list)
        or not parsed
        or any(isinstance(v, bool) or not isinstance(v, str | int | float) for v in parsed)
    ):
        raise InvalidInputException(
            f"filterValues[{name}]: cannot parse {raw!r}; expected one or more JSON-quoted "
            'values separated by commas, e.g. "\\"comedy\\",\\"drama\\""'
        )
    return tuple(v if isinstance(v, str) else float(v) for v in parsed)


def evaluate_filter(
    expression: FilterExpression,
    *,
    item_ids: np.ndarray,
    items: ItemMetadata,
    user_events: Sequence[tuple[str, str]],
    user: Mapping[str, Any] | None,
    current_item: Mapping[str, Any] | None,
    filter_values: Mapping[str, str],
) -> np.ndarray:
    """Apply a filter to the candidate items (spec §8.2, §8.3).

    Args:
        expression: The parsed filter.
        item_ids: ``(n_items,)`` candidate item ids (a model's item index).
        items: Attributes of those items, aligned with ``item_ids``.
        user_events: ``(item_id, event_type)`` of the current user's interactions, newest first.
        user: The current user's attributes (Users dataset), ``None`` if unknown.
        current_item: Attributes of the request's ``itemId`` (related-items), ``None`` if absent.
        filter_values: The request's ``filterValues`` (parameter name without ``$`` -> values).

    Returns:
        ``(n_items,)`` bool mask: True = the item may be recommended.

    Raises:
        InvalidInputException: The filter targets UserID/ActionID, an INCLUDE expression's
            parameter is missing, or a filter value cannot be parsed or is unfit for its use.
    """
    for expr in expression.expressions:
        if expr.target != "ItemID":
            raise InvalidInputException(
                f"filter target {expr.target} is not supported for recommendations"
            )
    for expr in expression.expressions:
        if expr.action == "INCLUDE":
            for name in expr.parameters:
                if name not in filter_values:
                    raise InvalidInputException(
                        f"filterValues: parameter {name} of an INCLUDE expression is missing"
                    )
    evaluation = _Evaluation(item_ids, items, user_events, user, current_item, filter_values)
    included: np.ndarray | None = None
    excluded = np.zeros(len(item_ids), dtype=bool)
    for expr in expression.expressions:
        mask = evaluation.expression_mask(expr)
        if mask is None:
            continue
        if expr.action == "INCLUDE":
            included = mask if included is None else included | mask
        else:
            excluded |= mask
    base = np.ones(len(item_ids), dtype=bool) if included is None else included
    return base & ~excluded
