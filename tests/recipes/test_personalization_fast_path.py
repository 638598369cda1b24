"""The serving fast path of ``recommend``/``rank`` against the code as first written.

``recommend_reference``/``rank_reference``/``score_histories_reference`` build the history twice
with scipy, cache nothing and use ``recipes.als.fold_in_user_factors`` and scipy's EASE product;
the fast path must give the same items and scores (to float tolerance where the product order
changes) on planted data, with exploration, the recency path, filters and both cores.
"""

import dataclasses
import threading

import numpy as np
import pytest

from recipes.als import fold_in_user_factors
from recipes.artifact_format import load_model, save_model
from recipes.histories import (
    Histories,
    histories_from_lists,
    history_cells,
    history_matrix,
    history_matrix_reference,
)
from recipes.interactions import make_interactions
from recipes.personalization import (
    PersonalizationModel,
    PersonalizationOptions,
    fit_personalization,
    rank,
    rank_reference,
    recommend,
    recommend_reference,
    score_histories,
    score_histories_reference,
)
from recipes.personalization_model import fold_in, model_prior, prepare_serving, weighted_cells

from .conftest import DAY, popularity_shift, two_clusters

ALS = PersonalizationOptions(algorithm="als", als_regularization=5.0, als_alpha=5.0, num_threads=1)
EASE = PersonalizationOptions(algorithm="ease", ease_l2=50.0)


def _planted(algorithm: str, recency_mask: bool) -> PersonalizationModel:
    """Two clusters, shifted 400 days, plus one cold item 40 created a day before the end."""
    data = two_clusters()
    data = make_interactions(
        data.user_codes, data.item_codes, data.timestamps + 400 * DAY, n_items=41
    )
    created = np.full(41, 0, np.int64)
    created[40] = int(data.timestamps.max()) - DAY
    created[3] = int(data.timestamps.max()) - 10 * DAY
    options = dataclasses.replace(ALS if algorithm == "als" else EASE)
    return fit_personalization(
        data,
        hidden_dimension=4,
        recency_mask=recency_mask,
        item_creation_timestamps=created,
        options=options,
    )


def _histories() -> Histories:
    """Empty, unknown-item, repeated-item and long histories."""
    return histories_from_lists(
        [[0, 1, 2], [], [25, 30, -1, 99], [5, 5, 6, 5], list(range(20, 40)), [7], [0, 39]]
    )


def _assert_same(fast: tuple[np.ndarray, np.ndarray], reference: tuple[np.ndarray, ...]) -> None:
    np.testing.assert_array_equal(fast[0], reference[0])
    np.testing.assert_allclose(fast[1], reference[1], rtol=1e-5, atol=1e-6)


@pytest.fixture(params=[("ease", True), ("ease", False), ("als", True), ("als", False)])
def planted(request) -> PersonalizationModel:
    return _planted(*request.param)


@pytest.mark.parametrize("exploration", [(0.0, 30.0), (0.5, 30.0), (0.3, 5.0)])
@pytest.mark.parametrize("exclude_history", [True, False])
def test_recommend_matches_the_reference_on_planted_data(
    planted, exploration, exclude_history
) -> None:
    histories = _histories()
    row_mask = np.random.default_rng(0).random((histories.n_rows, 41)) < 0.7
    weight, cut_off = exploration
    for mask in (None, row_mask[0], row_mask):
        kwargs = {
            "exclude_history": exclude_history,
            "candidate_mask": mask,
            "exploration_weight": weight,
            "exploration_item_age_cut_off": cut_off,
        }
        _assert_same(
            recommend(planted, histories, 12, **kwargs),
            recommend_reference(planted, histories, 12, **kwargs),
        )


def test_exploration_and_recency_paths_are_exercised(planted) -> None:
    history = histories_from_lists([[0, 1, 2]])
    explored = recommend(planted, history, 41, exploration_weight=0.9)[0][0]
    assert explored[0] == 40  # the cold item, fresh enough to lead at weight 0.9
    plain = recommend(planted, history, 41)[0][0]
    assert plain[0] != 40


def test_scores_and_rank_match_the_reference(planted) -> None:
    histories = _histories()
    np.testing.assert_allclose(
        score_histories(planted, histories),
        score_histories_reference(planted, histories),
        rtol=1e-5,
        atol=1e-6,
    )
    candidates = np.array([30, 5, -1, 7, 40, 41, 0, 3])
    for row in range(histories.n_rows):
        one = histories.rows(np.array([row]))
        _assert_same(rank(planted, one, candidates), rank_reference(planted, one, candidates))


def test_recency_weighted_model_matches_the_reference_when_popularity_shifts() -> None:
    for options in (ALS, EASE):
        model = fit_personalization(popularity_shift(), hidden_dimension=4, options=options)
        histories = histories_from_lists([[0, 41, 42], [], [45] * 3, list(range(60))])
        _assert_same(
            recommend(model, histories, 10, exploration_weight=0.2),
            recommend_reference(model, histories, 10, exploration_weight=0.2),
        )


def _wide_als(n_items: int = 9000, n_factors: int = 16, seed: int = 0) -> PersonalizationModel:
    """A synthetic ALS model wide enough for top-k's sampled-bound candidate path."""
    rng = np.random.default_rng(seed)
    factors = rng.normal(0, 0.3, (n_items, n_factors)).astype(np.float32)
    popularity = rng.pareto(1.2, n_items).astype(np.float32) + 1
    return PersonalizationModel(
        recipe="aws-user-personalization",
        algorithm="als",
        hyperparameters={
            "bptt": 8,
            "recency_mask": True,
            "als_regularization": 5.0,
            "als_alpha": 2.0,
            "recent_popularity_weight": 0.1,
        },
        item_weights=np.zeros((0, 0), np.float32),
        item_factors=factors,
        item_gram=(factors.T @ factors).astype(np.float32),
        item_popularity=popularity,
        recent_popularity=(popularity * rng.random(n_items)).astype(np.float32),
        item_first_seen=rng.integers(0, 100 * DAY, n_items),
        latest_timestamp=100 * DAY,
    )


@pytest.mark.parametrize("batch", [1, 8, 33])
def test_wide_catalogue_matches_the_reference_in_batches(batch) -> None:
    model = _wide_als()
    rng = np.random.default_rng(batch)
    lists = [rng.integers(-1, model.n_items, rng.integers(0, 30)) for _ in range(batch)]
    histories = histories_from_lists(lists)
    masks = (None, rng.random(model.n_items) < 0.8, rng.random((batch, model.n_items)) < 0.1)
    for mask in masks:
        kwargs = {"candidate_mask": mask, "exploration_weight": 0.3}
        fast = recommend(model, histories, 25, **kwargs)
        _assert_same(fast, recommend_reference(model, histories, 25, **kwargs))
        for row in range(batch):  # a row scored in a batch equals it scored alone
            one = histories.rows(np.array([row]))
            alone_mask = mask[row] if mask is not None and mask.ndim == 2 else mask
            alone = recommend(model, one, 25, candidate_mask=alone_mask, exploration_weight=0.3)
            _assert_same((fast[0][row : row + 1], fast[1][row : row + 1]), alone)


def test_batched_fold_in_equals_the_als_fold_in() -> None:
    model = _wide_als(n_items=500)
    histories = histories_from_lists([[1, 2, 3], [], [4, 4, 400], list(range(100)), [-1]])
    cells = weighted_cells(model, histories)
    expected = fold_in_user_factors(model.item_factors, model.item_gram, cells.to_csr(), 5.0, 2.0)
    np.testing.assert_allclose(fold_in(model, cells), expected, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(fold_in(model, cells.to_csr()), expected, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("half_life", [None, 2.0])
def test_history_cells_equal_the_dense_reference(half_life) -> None:
    histories = histories_from_lists([[3, 1, 3, -1, 9], [], [0], [8, 8, 8, 2]])
    cells = history_cells(histories, 9, half_life)
    dense = history_matrix_reference(histories, 9, half_life)
    np.testing.assert_array_equal(cells.to_csr().toarray(), dense)
    np.testing.assert_array_equal(history_matrix(histories, 9, half_life).toarray(), dense)
    for row in range(histories.n_rows):  # columns sorted within each row
        columns = cells.indices[cells.indptr[row] : cells.indptr[row + 1]]
        assert (np.diff(columns) > 0).all()


def test_cached_prior_follows_a_changed_prior_weight() -> None:
    model = _wide_als(n_items=300)
    before = model_prior(model).copy()
    model.hyperparameters["recent_popularity_weight"] = 0.7
    after = model_prior(model)
    assert not np.allclose(before, after)
    histories = histories_from_lists([[1, 2]])
    _assert_same(recommend(model, histories, 10), recommend_reference(model, histories, 10))


def test_replaced_models_get_their_own_cache_and_artifacts_store_none(tmp_path) -> None:
    model = _planted("als", True)
    history = histories_from_lists([[0, 1]])
    recommend(model, history, 5)
    column_major = dataclasses.replace(model, item_factors=np.asfortranarray(model.item_factors))
    _assert_same(recommend(column_major, history, 5), recommend_reference(model, history, 5))
    save_model(model, tmp_path)
    assert not [path for path in tmp_path.rglob("*") if "cache" in path.name]
    loaded = load_model(tmp_path)
    _assert_same(recommend(loaded, history, 5), recommend_reference(model, history, 5))


def test_concurrent_first_calls_on_a_shared_model_agree() -> None:
    model = _wide_als()
    histories = histories_from_lists([[1, 2, 3, 4]])
    expected = recommend_reference(model, histories, 25, exploration_weight=0.4)
    results: list[tuple[np.ndarray, np.ndarray]] = []

    def call() -> None:
        results.append(recommend(model, histories, 25, exploration_weight=0.4))

    threads = [threading.Thread(target=call) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 8
    for result in results:
        _assert_same(result, expected)


def test_prepared_model_serves_without_building_anything_more(planted) -> None:
    prepare_serving(planted)
    built = dict(planted.__dict__["_serving_cache"])
    histories = _histories()
    _assert_same(recommend(planted, histories, 5), recommend_reference(planted, histories, 5))
    after = planted.__dict__["_serving_cache"]
    assert all(after[key] is value for key, value in built.items())
    assert set(after) == set(built)
