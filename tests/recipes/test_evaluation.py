import numpy as np
import pytest

from recipes.evaluation import (
    METRIC_KEYS,
    aws_split,
    evaluate,
    ranking_metrics,
    ranking_metrics_reference,
)
from recipes.fitting import fit_recipe
from recipes.histories import histories_from_lists
from recipes.interactions import make_interactions

from .conftest import popularity_shift, two_clusters


def test_documented_ndcg_example_relevant_at_ranks_two_and_five() -> None:
    ranked = np.array([[9, 1, 8, 7, 2] + list(range(10, 30))])
    metrics = ranking_metrics(ranked, histories_from_lists([[1, 2]]), 100)
    assert metrics["normalized_discounted_cumulative_gain_at_5"] == pytest.approx(0.6241, abs=1e-4)
    assert metrics["normalized_discounted_cumulative_gain_at_25"] == pytest.approx(0.6241, abs=1e-4)
    assert metrics["precision_at_5"] == pytest.approx(0.4)
    assert metrics["precision_at_25"] == pytest.approx(2 / 25)
    assert metrics["mean_reciprocal_rank_at_25"] == pytest.approx(0.5)
    assert metrics["coverage"] == pytest.approx(25 / 100)
    assert list(metrics) == list(METRIC_KEYS)


def test_fast_metrics_match_the_per_user_reference() -> None:
    rng = np.random.default_rng(0)
    lists = np.array([rng.permutation(60)[:25] for _ in range(30)])
    lists[3, 20:] = -1
    relevant = histories_from_lists(
        [rng.choice(60, rng.integers(0, 6), replace=False) for _ in range(30)]
    )
    fast = ranking_metrics(lists, relevant, 60)
    slow = ranking_metrics_reference(lists, relevant, 60)
    for key in METRIC_KEYS:
        assert fast[key] == pytest.approx(slow[key]), key


def test_aws_split_holds_out_whole_users_and_their_newest_events() -> None:
    data = popularity_shift(0)
    split = aws_split(data, seed=5)
    assert split.test_user_codes.size == 30  # 10% of 300 users
    assert not np.isin(split.train.user_codes, split.test_user_codes).any()
    assert len(split.train) == 20 * 270
    assert split.held_out_events.sum() == 2 * 30  # newest 10% of 20 events each
    for row, user in enumerate(split.test_user_codes):
        events = data.user_codes == user
        newest = np.sort(data.timestamps[events])[-2:]
        assert (
            split.test_histories.timestamps[split.test_histories.indptr[row + 1] - 1] <= newest[0]
        )
        assert np.diff(split.test_histories.indptr)[row] == 18
        assert set(split.test_relevant.row(row)) <= set(
            data.item_codes[events & split.held_out_events]
        )
        assert not set(split.test_relevant.row(row)) & set(split.test_histories.row(row))
    again = aws_split(data, seed=5)
    np.testing.assert_array_equal(again.test_user_codes, split.test_user_codes)
    other = aws_split(data, seed=6)
    assert not np.array_equal(other.test_user_codes, split.test_user_codes)


def test_aws_split_skips_users_with_a_single_event() -> None:
    data = make_interactions([0, 1, 1, 2, 2, 2], [0, 0, 1, 0, 1, 2], [0, 1, 2, 3, 4, 5])
    split = aws_split(data, test_user_fraction=1.0)
    assert split.test_user_codes.tolist() == [1, 2]
    assert [split.test_relevant.row(r).tolist() for r in range(2)] == [[1], [2]]


@pytest.mark.parametrize("recipe", ["aws-user-personalization", "aws-popularity-count", "aws-sims"])
def test_evaluate_scores_every_model_type_with_its_serving_function(recipe) -> None:
    split = aws_split(two_clusters(), seed=0)
    metrics = evaluate(fit_recipe(recipe, split.train, {}), split)
    assert set(metrics) == set(METRIC_KEYS)
    assert all(0.0 <= value <= 1.0 for value in metrics.values())


def test_personalization_beats_popularity_on_clustered_users() -> None:
    split = aws_split(two_clusters(n_users=200), seed=1)
    ours = evaluate(fit_recipe("aws-user-personalization", split.train, {}), split)
    baseline = evaluate(fit_recipe("aws-popularity-count", split.train, {}), split)
    key = "normalized_discounted_cumulative_gain_at_10"
    assert ours[key] > baseline[key]
