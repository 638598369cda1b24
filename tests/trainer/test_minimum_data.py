"""The minimum-data rule of §5.4 on synthetic interactions whose counts are known."""

from __future__ import annotations

import pyarrow as pa
import pytest

from domain.errors import InvalidInputException
from trainer.minimum_data import count_training_data, require_minimum_training_data


def _users(per_user: list[int]) -> pa.Array:
    return pa.array([f"u{i}" for i, n in enumerate(per_user) for _ in range(n)])


def test_enough_data_passes_and_counts():
    counts = require_minimum_training_data(_users([40] * 25 + [1] * 10))
    assert (counts.interactions, counts.users, counts.repeat_users) == (1010, 35, 25)


def test_too_few_interactions_says_how_many():
    with pytest.raises(InvalidInputException, match="999 interactions; at least 1000"):
        require_minimum_training_data(_users([37] * 27))


def test_too_few_repeat_users_says_how_many():
    with pytest.raises(InvalidInputException, match="24 users with 2 or more interactions"):
        require_minimum_training_data(_users([50] * 24))


def test_repeat_users_must_be_one_percent_of_all_users():
    # 30 heavy users pass the absolute minimum, but 3,970 single-event users make it 0.75%.
    per_user = [100] * 30 + [1] * 3970
    with pytest.raises(InvalidInputException, match=r"30 of 4000 users .* at least 1% \(40\)"):
        require_minimum_training_data(_users(per_user))
    require_minimum_training_data(_users([100] * 40 + [1] * 3960))


def test_message_names_the_filtering():
    with pytest.raises(InvalidInputException, match='after filtering by eventType "purchase"'):
        require_minimum_training_data(_users([2] * 10), 'eventType "purchase"')


def test_empty_data():
    assert count_training_data(pa.array([], pa.string())).interactions == 0
    with pytest.raises(InvalidInputException, match="0 interactions"):
        require_minimum_training_data(pa.array([], pa.string()))
