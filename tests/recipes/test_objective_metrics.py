"""The metric keys eventsConfig and optimizationObjective add, on hand-computable cases."""

from __future__ import annotations

import math

import numpy as np
import pytest

from recipes.evaluation import aws_split, evaluate, recommend_for_evaluation
from recipes.fitting import fit_recipe
from recipes.histories import Histories, histories_from_lists
from recipes.interactions import make_interactions
from recipes.metrics import (
    AVERAGE_REWARDS_KEY,
    EVENT_WEIGHTED_NDCG_KEY,
    LIST_LENGTH,
    EvaluationSplit,
    objective_metrics,
    objective_metrics_reference,
)

from .conftest import two_clusters


def split_of(relevant: Histories, weights: list[float] | None = None) -> EvaluationSplit:
    """A split with only its test lists filled in (what objective_metrics reads)."""
    empty = make_interactions([], [], n_users=1, n_items=1)
    n_rows = relevant.n_rows
    return EvaluationSplit(
        empty,
        np.arange(n_rows, dtype=np.int32),
        histories_from_lists([[] for _ in range(n_rows)]),
        relevant,
        np.zeros(0, bool),
        None if weights is None else np.asarray(weights, np.float32),
    )


def padded(*lists: list[int]) -> np.ndarray:
    rows = np.full((len(lists), LIST_LENGTH), -1, np.int32)
    for row, codes in enumerate(lists):
        rows[row, : len(codes)] = codes
    return rows


def test_event_weighted_ndcg_weighs_each_hit_by_its_event_weight() -> None:
    # Relevant: item 3 (weight 1.0) and item 7 (weight 0.5); the list has 7 first, 3 third.
    split = split_of(histories_from_lists([[3, 7]]), [1.0, 0.5])
    metrics = objective_metrics(padded([7, 1, 3]), split, event_weighted=True)
    expected = (0.5 / math.log(2) + 1.0 / math.log(4)) / (1.0 / math.log(2) + 0.5 / math.log(3))
    assert metrics == {EVENT_WEIGHTED_NDCG_KEY: pytest.approx(expected)}
    # Only ratios matter.
    doubled = split_of(histories_from_lists([[3, 7]]), [2.0, 1.0])
    again = objective_metrics(padded([7, 1, 3]), doubled, event_weighted=True)
    assert again[EVENT_WEIGHTED_NDCG_KEY] == pytest.approx(expected)


def test_average_rewards_is_the_share_of_the_reachable_reward() -> None:
    rewards = np.full(10, np.nan)
    rewards[[3, 7, 5, 6, 8]] = [10.0, 30.0, 20.0, 20.0, 0.0]
    relevant = histories_from_lists([[3, 7], [5, 6], [8]])
    lists = padded([7, 1, 3], [9, 5], [8])
    metrics = objective_metrics(lists, split_of(relevant), item_rewards=rewards)
    # User 0 gets all 40 of 40, user 1 gets 20 of 40; user 2 could earn nothing: not counted.
    assert metrics == {AVERAGE_REWARDS_KEY: pytest.approx(0.75)}
    assert objective_metrics(lists, split_of(relevant)) == {}


def test_objective_metrics_match_the_per_user_reference() -> None:
    rng = np.random.default_rng(3)
    lists = np.array([rng.permutation(60)[:LIST_LENGTH] for _ in range(40)], np.int32)
    lists[5, 10:] = -1
    relevant = histories_from_lists(
        [rng.choice(60, rng.integers(0, 30), replace=False) for _ in range(40)]
    )
    weights = rng.choice([0.0, 0.25, 1.0], relevant.item_codes.size).astype(np.float32)
    rewards = rng.normal(5.0, 5.0, 60)
    rewards[::7] = np.nan
    fast = objective_metrics(
        lists, split_of(relevant, weights.tolist()), rewards, event_weighted=True
    )
    slow = objective_metrics_reference(lists, relevant, weights, rewards)
    assert fast == pytest.approx(slow)


def test_aws_split_keeps_each_relevant_items_largest_event_weight() -> None:
    # One user: ten events; the two newest (held out) are item 5 at weights 0.25 and 0.75.
    items = [0, 1, 2, 3, 4, 0, 1, 2, 5, 5]
    weights = [1.0] * 8 + [0.25, 0.75]
    data = make_interactions([0] * 10, items, np.arange(10), weights, n_users=1, n_items=6)
    split = aws_split(data, test_user_fraction=1.0, holdout_fraction=0.2)
    assert split.test_relevant.row(0).tolist() == [5]
    assert split.test_relevant_weights.tolist() == [0.75]


def test_with_equal_weights_the_weighted_ndcg_is_ndcg_at_25() -> None:
    split = aws_split(two_clusters(), seed=0)
    model = fit_recipe("aws-popularity-count", split.train, {})
    lists = recommend_for_evaluation(model, split.test_histories, LIST_LENGTH)
    rewards = np.ones(model.n_items)
    extra = objective_metrics(lists, split, rewards, event_weighted=True)
    plain = evaluate(model, split)
    ndcg = plain["normalized_discounted_cumulative_gain_at_25"]
    assert extra[EVENT_WEIGHTED_NDCG_KEY] == pytest.approx(ndcg)
    assert 0.0 < extra[AVERAGE_REWARDS_KEY] <= 1.0
