"""A request's filter (or a promotion's) as a mask over the served model's items.

Filters are evaluated per request over the model's whole item index
(``recipes.filter_evaluation``). A filter with Interactions conditions sees the user's streamed
events, then the user's imported ones (spec §8.2); ``IF CurrentUser.X`` conditions read the
user's attributes (``runtime_service.user_attributes``: the Users dataset's bulk rows overlaid
with PutUsers records).
"""

from __future__ import annotations

import functools
import time
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from domain.errors import InvalidInputException, ResourceNotFoundException
from domain.filter_expression import FilterExpression, parse_filter_expression
from domain.resources import ACTIVE
from recipes.filter_evaluation import evaluate_filter
from runtime_service.item_columns import ItemColumnsCache
from runtime_service.model_registry import Deployment
from runtime_service.user_attributes import UserAttributes
from storage.metadata.store import MetadataStore

FILTER_KIND = "filter"
#: How long an ACTIVE filter's definition is reused before it is read again (a deleted filter
#: stops applying within this time; a filter's expression never changes).
FILTER_CACHE_SECONDS = 1.0


@functools.lru_cache(maxsize=256)
def _parsed(expression: str) -> FilterExpression:
    return parse_filter_expression(expression)


class FilterMasks:
    """Evaluates filters of requests against served deployments."""

    def __init__(
        self, store: MetadataStore, item_columns: ItemColumnsCache, users: UserAttributes
    ) -> None:
        """Create the evaluator.

        Args:
            store: The metadata store (filters).
            item_columns: The served items' attribute columns.
            users: The users' attributes (``IF CurrentUser``).

        """
        self.store = store
        self.item_columns = item_columns
        self.users = users
        self._filters: dict[str, tuple[float, Any]] = {}

    def mask(
        self,
        filter_arn: str | None,
        filter_values: Mapping[str, str],
        deployment: Deployment,
        events: Sequence[Any],
        user_id: str | None,
        item_id: str | None,
        *,
        where: str = "",
    ) -> np.ndarray | None:
        """The filter's bool (n_items,) mask of allowed items, or None without a filter.

        Args:
            filter_arn: The filter, or None/empty for none.
            filter_values: Its parameter values (``filterValues``).
            deployment: The served campaign or recommender.
            events: The user's streamed events, newest first.
            user_id: The request's user, if any.
            item_id: The request's item (``CurrentItem``), if any.
            where: Prefix of the request members in error messages (``promotions[0].``).

        Raises:
            ResourceNotFoundException: the filter does not exist in the dataset group.
            InvalidInputException: the filter is not ACTIVE, or its values are missing or
                malformed.

        """
        if not filter_arn:
            return None
        found = self._filter(filter_arn)
        if (
            found is None
            or found.kind != FILTER_KIND
            or found.dataset_group_arn != deployment.dataset_group_arn
        ):
            raise ResourceNotFoundException(
                f"{where}filterArn: filter {filter_arn} does not exist in the dataset group"
            )
        if found.status != ACTIVE:
            raise InvalidInputException(f"{where}filterArn: filter {filter_arn} is {found.status}")
        expression = _parsed(found.document["filterExpression"])
        needs_user = any(expr.if_conditions for expr in expression.expressions)
        user_events = [(e.item_id, e.event_type) for e in events]
        reads_interactions = any(
            condition.dataset == "Interactions"
            for expr in expression.expressions
            for condition in expr.conditions
        )
        if reads_interactions and user_id and deployment.histories is not None:
            # Spec §8.2: the user's imported interactions count too, after the streamed ones.
            user_events += deployment.histories.typed_events(user_id, deployment.item_ids)
        current_item = None
        if item_id:
            current_item = self.item_columns.records(deployment, [item_id]).get(item_id)
        user = self.users.record(deployment, user_id) if needs_user and user_id else None
        try:
            return evaluate_filter(
                expression,
                item_ids=deployment.item_ids,
                items=self.item_columns.columns(deployment),
                user_events=user_events,
                user=user,
                current_item=current_item,
                filter_values=filter_values,
            )
        except InvalidInputException as exc:
            if not where:
                raise
            raise InvalidInputException(f"{where}{exc.message}") from None

    def _filter(self, filter_arn: str) -> Any:
        """The filter resource (None if missing); an ACTIVE one is reused for a second."""
        cached = self._filters.get(filter_arn)
        if cached is not None and time.monotonic() - cached[0] < FILTER_CACHE_SECONDS:
            return cached[1]
        found = self.store.get_resource(filter_arn)
        if found is not None and found.status == ACTIVE:
            if len(self._filters) > 1024:  # bounded: ARNs come from callers
                self._filters.clear()
            self._filters[filter_arn] = (time.monotonic(), found)
        return found
