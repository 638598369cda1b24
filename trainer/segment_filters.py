"""A batch segment job's filter (``INCLUDE/EXCLUDE UserID WHERE ...``, spec §8.2) over users.

The runtime's ``evaluate_filter`` selects among candidate items. A segment filter selects among
users, so it is evaluated with the users as the "items": the Users dataset's records (bulk,
overlaid by PutUsers) are the attribute columns, one row per user history, and the expression is
rewritten to target ``ItemID``. An ``Interactions.EVENT_TYPE`` condition ("users who have an
interaction of these types") becomes a condition on one more column holding each user's distinct
event types, lower-cased, ``|``-joined (event types match case-insensitively, spec §8.2; here
over all of a user's interactions, not only the latest 100 per type); ``IN *`` means any
interaction at all. ``IF`` clauses test a requesting user, which a segment has none of: such
expressions are skipped.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

import numpy as np

from domain.errors import InvalidInputException
from domain.filter_expression import (
    Condition,
    Expression,
    FilterExpression,
    Literals,
    Param,
    Wildcard,
    parse_filter_expression,
)
from domain.resources import ACTIVE
from recipes.filter_evaluation import ItemMetadata, evaluate_filter
from storage.data import SegmentStore
from storage.metadata.store import SqlMetadataStore
from trainer.batch_version import UserHistories, records_by_id
from trainer.training_data import group_datasets

#: The users' event types, as a column name no schema can have (schema names are identifiers).
EVENT_TYPES_COLUMN = "tailor event types"


class SegmentFilter:
    """A segment job's filter, evaluated once per input line."""

    def __init__(
        self,
        expression: FilterExpression,
        users: UserHistories,
        records: Mapping[str, Mapping[str, Any]],
    ) -> None:
        self.users = users
        self.expression = FilterExpression(
            tuple(_as_item_filter(e) for e in expression.expressions)
        )
        self.lowered_parameters = {
            c.operand.name
            for e in expression.expressions
            for c in e.conditions
            if c.dataset == "Interactions" and isinstance(c.operand, Param)
        }
        columns = {name: [] for record in records.values() for name in record}
        for user_id in users.user_ids.tolist():
            record = records.get(user_id, {})
            for name, values in columns.items():
                values.append(record.get(name))
        columns[EVENT_TYPES_COLUMN] = _event_types_by_user(users)
        self.metadata = ItemMetadata(columns=columns)

    def mask(self, filter_values: Mapping[str, str]) -> np.ndarray:
        """Bool (n_users,) the users the filter keeps for one line's ``filterValues``.

        Raises:
            InvalidInputException: an INCLUDE parameter is missing or a value cannot be parsed.

        """
        values = {
            name: value.lower() if name in self.lowered_parameters else value
            for name, value in filter_values.items()
        }
        return evaluate_filter(
            self.expression,
            item_ids=self.users.user_ids,
            items=self.metadata,
            user_events=[],
            user=None,
            current_item=None,
            filter_values=values,
        )


def load_segment_filter(
    store: SqlMetadataStore,
    segments: SegmentStore,
    filter_arn: str,
    users: UserHistories,
    dataset_group_arn: str,
) -> SegmentFilter:
    """The job's filter with the Users records it needs.

    Raises:
        InvalidInputException: the filter is gone, not ACTIVE, or does not select users.

    """
    found = store.get_resource(filter_arn)
    if found is None or found.kind != "filter":
        raise InvalidInputException(f"filterArn: filter {filter_arn} does not exist")
    if found.status != ACTIVE:
        raise InvalidInputException(f"filterArn: filter {filter_arn} is {found.status}")
    expression = parse_filter_expression(found.document["filterExpression"])
    for part in expression.expressions:
        if part.target != "UserID":
            raise InvalidInputException(
                f"filterArn: a batch segment job needs a filter on UserID; {filter_arn} filters "
                f"{part.target}"
            )
    users_arn = group_datasets(store, dataset_group_arn).get("USERS")
    records = records_by_id(store, segments, users_arn, "USER_ID") if users_arn else {}
    return SegmentFilter(expression, users, records)


def _as_item_filter(expression: Expression) -> Expression:
    conditions = tuple(_on_users(condition) for condition in expression.conditions)
    return dataclasses.replace(expression, target="ItemID", conditions=conditions)


def _on_users(condition: Condition) -> Condition:
    """An Interactions condition as a condition on :data:`EVENT_TYPES_COLUMN`."""
    if condition.dataset != "Interactions":
        return condition
    operand, operator = condition.operand, condition.operator
    if isinstance(operand, Wildcard):  # any event type: every user with an interaction
        operand = Literals(("",))
        operator = "NOT IN" if operator == "IN" else "IN"
    elif isinstance(operand, Literals):
        operand = Literals(tuple(str(v).lower() for v in operand.values))
    return Condition("Users", EVENT_TYPES_COLUMN, operator, operand)


def _event_types_by_user(users: UserHistories) -> list[str | None]:
    lowered = np.char.lower(users.event_types.astype(str))
    column: list[str | None] = []
    indptr = users.histories.indptr
    for row in range(users.user_ids.shape[0]):
        codes = np.unique(users.event_type_codes[indptr[row] : indptr[row + 1]])
        names = sorted({str(name) for name in lowered[codes]} - {""})
        column.append("|".join(names) or None)
    return column
