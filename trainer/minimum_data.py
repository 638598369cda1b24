"""The minimum data Amazon Personalize requires before it trains (personalize_spec.md §5.4).

Counted after the solution's event filtering (eventType, eventValueThreshold, eventsConfig), over
bulk and streamed interactions together:
  * at least 1,000 interaction records;
  * at least 25 distinct users with 2 or more interactions each;
  * at least 1% of all users with 2 or more interactions.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from domain.errors import InvalidInputException

MIN_INTERACTIONS = 1000
MIN_REPEAT_USERS = 25
MIN_REPEAT_USER_SHARE = 0.01


@dataclass(frozen=True)
class TrainingDataCounts:
    """What the minimum-data rule counts.

    Attributes:
        interactions: Interaction records left after filtering.
        users: Distinct users among them.
        repeat_users: Users with at least two interactions.
    """

    interactions: int
    users: int
    repeat_users: int

    def shortfalls(self) -> list[str]:
        """What is missing, one sentence each; empty when the data is enough."""
        missing = []
        if self.interactions < MIN_INTERACTIONS:
            missing.append(
                f"{self.interactions} interactions; at least {MIN_INTERACTIONS} are needed"
            )
        if self.repeat_users < MIN_REPEAT_USERS:
            missing.append(
                f"{self.repeat_users} users with 2 or more interactions; "
                f"at least {MIN_REPEAT_USERS} are needed"
            )
        needed_share = max(1, -(-self.users * MIN_REPEAT_USER_SHARE // 1))
        if self.users and self.repeat_users < needed_share:
            missing.append(
                f"{self.repeat_users} of {self.users} users have 2 or more interactions; "
                f"at least 1% ({int(needed_share)}) must"
            )
        return missing


def count_training_data(user_ids: pa.Array | pa.ChunkedArray) -> TrainingDataCounts:
    """Count interactions, users and users with two or more interactions (vectorised).

    Args:
        user_ids: USER_ID of every interaction left after filtering, any Arrow type.
    """
    if len(user_ids) == 0:
        return TrainingDataCounts(interactions=0, users=0, repeat_users=0)
    counts = pc.value_counts(user_ids).field("counts")
    repeat = pc.sum(pc.greater_equal(counts, 2).cast(pa.int64())).as_py() or 0
    return TrainingDataCounts(interactions=len(user_ids), users=len(counts), repeat_users=repeat)


def require_minimum_training_data(
    user_ids: pa.Array | pa.ChunkedArray, filtering: str = ""
) -> TrainingDataCounts:
    """Raise unless the interactions meet the minimum; the message says what is missing.

    Args:
        user_ids: USER_ID of every interaction left after filtering.
        filtering: How the interactions were filtered, for the message
            (e.g. ``eventType "purchase"``); empty when they were not.

    Raises:
        InvalidInputException: naming each shortfall.
    """
    counts = count_training_data(user_ids)
    missing = counts.shortfalls()
    if missing:
        after = f" after filtering by {filtering}" if filtering else ""
        raise InvalidInputException(
            f"not enough training data{after}: the dataset group has " + "; ".join(missing)
        )
    return counts
