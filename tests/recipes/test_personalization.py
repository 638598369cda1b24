import numpy as np
import pytest

from recipes import evaluation
from recipes.fitting import fit_recipe
from recipes.histories import histories_from_lists
from recipes.interactions import make_interactions
from recipes.personalization import (
    PersonalizationOptions,
    exploration_freshness,
    fit_personalization,
    rank,
    recommend,
)
from recipes.popularity import fit_popularity_count

from .conftest import DAY, popularity_shift, two_clusters

ALS = PersonalizationOptions(algorithm="als", als_regularization=5.0, als_alpha=5.0, num_threads=1)
ALGORITHMS = {"ease": PersonalizationOptions(algorithm="ease", ease_l2=50.0), "als": ALS}


@pytest.fixture(params=sorted(ALGORITHMS))
def model(request, clusters):
    return fit_personalization(clusters, hidden_dimension=4, options=ALGORITHMS[request.param])


def test_a_brand_new_user_is_folded_into_their_cluster(model) -> None:
    codes, scores = recommend(model, histories_from_lists([[0, 1, 2], [25, 30]]), 10)
    assert set(codes[0]) <= set(range(3, 20))
    assert set(codes[1]) <= set(range(20, 40)) - {25, 30}
    assert (np.diff(scores, axis=1) <= 0).all()


def test_history_is_excluded_by_default_and_kept_on_request(model) -> None:
    history = histories_from_lists([[0, 1, 2, 3, 4, 5]])
    excluded, _ = recommend(model, history, 10)
    assert not set(excluded[0]) & set(range(6))
    kept, _ = recommend(model, history, 20, exclude_history=False)
    assert set(kept[0]) & set(range(6))


def test_user_without_history_gets_popular_items(model, clusters) -> None:
    codes, _ = recommend(model, histories_from_lists([[]]), 5)
    popular = fit_popularity_count(clusters).item_scores
    assert set(popular[codes[0]]) <= set(np.sort(popular)[-8:])


def test_unknown_items_in_history_are_ignored(model) -> None:
    with_unknown, _ = recommend(model, histories_from_lists([[-1, 0, 1, 99]]), 10)
    without, _ = recommend(model, histories_from_lists([[0, 1]]), 10)
    np.testing.assert_array_equal(with_unknown, without)


def test_candidate_mask_filters_and_batch_equals_single_rows(model) -> None:
    allowed = np.zeros(40, bool)
    allowed[::2] = True
    histories = histories_from_lists([[0, 1], [30], []])
    batch, _ = recommend(model, histories, 8, candidate_mask=allowed)
    for row in range(3):
        single, _ = recommend(model, histories.rows(np.array([row])), 8, candidate_mask=allowed)
        np.testing.assert_array_equal(batch[row], single[0])
    assert (batch % 2 == 0).all()


def test_rank_orders_known_items_and_puts_unknown_ones_last(model) -> None:
    order, scores = rank(model, histories_from_lists([[0, 1, 2]]), np.array([30, 5, -1, 7]))
    assert order[-1] == 2 and np.isnan(scores[-1])
    assert set(order[:2]) == {1, 3} and order[2] == 0
    with pytest.raises(ValueError):
        rank(model, histories_from_lists([[0], [1]]), np.array([1]))


def _with_cold_item():
    data = two_clusters()
    data = make_interactions(
        data.user_codes, data.item_codes, data.timestamps + 400 * DAY, n_items=41
    )
    created = np.full(41, 0, np.int64)
    created[40] = int(data.timestamps.max()) - DAY
    return data, created


def test_exploration_surfaces_cold_items_only_when_weighted() -> None:
    data, created = _with_cold_item()
    model = fit_personalization(data, item_creation_timestamps=created)
    freshness = exploration_freshness(model, 30.0)
    assert freshness[40] > 0.9 and (freshness[:40] == 0).all()
    history = histories_from_lists([[0, 1, 2]])
    plain, _ = recommend(model, history, 10, exploration_weight=0.0)
    explored, _ = recommend(model, history, 10, exploration_weight=0.5)
    assert 40 not in plain[0] and 40 in explored[0]
    too_old, _ = recommend(
        model, history, 10, exploration_weight=0.5, exploration_item_age_cut_off=0.5
    )
    assert 40 not in too_old[0]


def test_recency_never_loses_to_popularity_count_when_popularity_shifts() -> None:
    ndcg = "normalized_discounted_cumulative_gain_at_10"
    ours, popular = [], []
    for seed in range(3):
        split = evaluation.aws_split(popularity_shift(seed), seed=seed)
        model = fit_recipe("aws-user-personalization", split.train, {})
        ours.append(evaluation.evaluate(model, split)[ndcg])
        popular.append(evaluation.evaluate(fit_popularity_count(split.train), split)[ndcg])
        assert ours[-1] >= popular[-1]
    assert np.mean(ours) > 1.1 * np.mean(popular)


def test_recency_mask_weighs_recent_history_more(clusters) -> None:
    model = fit_personalization(clusters, bptt=1, options=ALGORITHMS["ease"])
    newest_from_b, _ = recommend(model, histories_from_lists([[0, 1, 2, 25, 30]]), 5)
    assert set(newest_from_b[0]) <= set(range(20, 40))
    flat = fit_personalization(clusters, recency_mask=False, options=ALGORITHMS["ease"])
    assert flat.hyperparameters["recent_popularity_weight"] == 0.0
    majority_from_a, _ = recommend(flat, histories_from_lists([[0, 1, 2, 25, 30]]), 5)
    assert set(majority_from_a[0]) <= set(range(20))


def test_unknown_algorithm_is_refused(clusters) -> None:
    with pytest.raises(ValueError, match="unknown personalization algorithm"):
        fit_personalization(clusters, options=PersonalizationOptions(algorithm="bpr"))


def test_single_event_users_fit_without_calibration_data() -> None:
    data = make_interactions(np.arange(10), np.arange(10) % 4, np.arange(10))
    model = fit_personalization(data)
    assert model.hyperparameters["recent_popularity_weight"] == 0.0
    codes, _ = recommend(model, histories_from_lists([[]]), 2)
    assert codes.tolist() == [[0, 1]]
    split = evaluation.aws_split(data)
    assert split.test_user_codes.size == 0 and split.test_histories.n_rows == 0


def test_large_data_keeps_the_calibration_core_and_small_data_refits(clusters) -> None:
    from recipes.metrics import aws_split
    from recipes.personalization import _fit_core

    rng = np.random.default_rng(5)
    users = np.repeat(np.arange(45_000), 10)
    data = make_interactions(
        users, rng.integers(0, 50, users.size), rng.integers(0, DAY, users.size)
    )
    options = PersonalizationOptions(algorithm="als", als_iterations=2, num_threads=1)
    model = fit_personalization(
        data, hidden_dimension=4, max_user_history_length_percentile=1.0, options=options
    )
    split = aws_split(data, test_user_fraction=2000 / 45_000, seed=0)
    assert model.hyperparameters["core_held_out_events"] == split.held_out_events.sum() == 2000
    alone = _fit_core(data.select(~split.held_out_events), "als", 4, options)
    np.testing.assert_array_equal(model.item_factors, alone["item_factors"])

    small = fit_personalization(clusters, hidden_dimension=4, options=ALS)
    assert small.hyperparameters["core_held_out_events"] == 0
    np.testing.assert_array_equal(
        small.item_factors, _fit_core(clusters, "als", 4, ALS)["item_factors"]
    )


def test_rows_scale_to_unit_like_dividing_by_the_largest_absolute_value() -> None:
    from recipes.personalization_model import scale_rows_to_unit

    rng = np.random.default_rng(2)
    scores = rng.standard_normal((5, 40)).astype(np.float32)
    scores[1] = 0.0
    scores[2] = -np.abs(scores[2])
    scores[3, 7] = np.nan
    expected = scores.copy()
    scale = np.abs(expected).max(axis=1, keepdims=True)
    np.divide(expected, scale, out=expected, where=scale > 0)
    np.testing.assert_array_equal(scale_rows_to_unit(scores), expected)
    assert scale_rows_to_unit(np.zeros((0, 3), np.float32)).shape == (0, 3)
