"""Spec §10.4 scores from ``recommend(..., normalised_scores=True)``.

Each returned score must be the softmax over the whole catalogue of the score the ranking used
(exploration blend included), taken before the history and the filter remove items: the slow
reference computes that full softmax and picks the returned items from it.
"""

import numpy as np
import pytest

from recipes.histories import Histories, histories_from_lists
from recipes.personalization import (
    PersonalizationModel,
    recommend,
    recommend_reference,
    score_histories,
)
from recipes.score_normalization import log_normalisers

from .test_personalization_fast_path import _planted, _wide_als

EXPLORATIONS = [(0.0, 30.0), (0.5, 30.0), (0.3, 5.0)]


def _eight_histories() -> Histories:
    """Empty, unknown-item, repeated-item, long and cold-item histories."""
    return histories_from_lists(
        [[0, 1, 2], [], [25, 30, -1, 99], [5, 5, 6, 5], list(range(20, 40)), [7], [0, 39], [40]]
    )


def _assert_same(fast: tuple[np.ndarray, np.ndarray], reference: tuple[np.ndarray, ...]) -> None:
    np.testing.assert_array_equal(fast[0], reference[0])
    np.testing.assert_allclose(fast[1], reference[1], rtol=1e-5, atol=1e-12)


@pytest.fixture(
    scope="module", params=[("ease", True), ("ease", False), ("als", True), ("als", False)]
)
def planted(request) -> PersonalizationModel:
    return _planted(*request.param)


@pytest.mark.parametrize("exploration", EXPLORATIONS)
@pytest.mark.parametrize("batch", [1, 8])
def test_normalised_scores_equal_the_full_catalogue_softmax_reference(
    planted, exploration, batch
) -> None:
    weight, cut_off = exploration
    everyone = _eight_histories()
    row_masks = np.random.default_rng(batch).random((everyone.n_rows, planted.n_items)) < 0.7
    starts = range(0, everyone.n_rows, batch)
    for start in starts:
        rows = np.arange(start, start + batch)
        histories = everyone.rows(rows)
        for mask in (None, row_masks[start], row_masks[rows]):
            kwargs = {
                "candidate_mask": mask,
                "exploration_weight": weight,
                "exploration_item_age_cut_off": cut_off,
                "normalised_scores": True,
            }
            fast = recommend(planted, histories, 12, **kwargs)
            _assert_same(fast, recommend_reference(planted, histories, 12, **kwargs))
            assert fast[1].dtype == np.float64


@pytest.mark.parametrize("exploration", EXPLORATIONS)
def test_normalised_scores_are_probabilities_in_the_ranking_order(planted, exploration) -> None:
    weight, cut_off = exploration
    histories = _eight_histories()
    kwargs = {"exploration_weight": weight, "exploration_item_age_cut_off": cut_off}
    ranked_codes, ranked_scores = recommend(planted, histories, 15, **kwargs)
    codes, scores = recommend(planted, histories, 15, normalised_scores=True, **kwargs)
    np.testing.assert_array_equal(codes, ranked_codes)  # the flag changes scores only
    assert np.array_equal(np.isnan(scores), np.isnan(ranked_scores))
    for row in scores:
        listed = row[~np.isnan(row)]
        assert np.all((listed > 0) & (listed <= 1))
        assert np.all(np.diff(listed) <= 0)
    # Nothing left out: the whole catalogue comes back, and its probabilities sum to 1.
    _, whole = recommend(
        planted, histories, planted.n_items, exclude_history=False, normalised_scores=True, **kwargs
    )
    np.testing.assert_allclose(whole.sum(axis=1), 1.0, rtol=1e-6)


def test_filters_and_history_do_not_change_an_items_probability(planted) -> None:
    history = histories_from_lists([[0, 1, 2]])
    codes, scores = recommend(planted, history, planted.n_items, normalised_scores=True)
    allowed = np.zeros(planted.n_items, bool)
    allowed[codes[0, 3:9]] = True
    kept_codes, kept_scores = recommend(
        planted, history, 6, candidate_mask=allowed, normalised_scores=True
    )
    np.testing.assert_array_equal(kept_codes[0], codes[0, 3:9])
    np.testing.assert_allclose(kept_scores[0], scores[0, 3:9], rtol=1e-12)
    assert np.nansum(scores) < 1  # the history's items hold the rest of the probability


def test_default_scores_are_the_ranking_scores(planted) -> None:
    histories = _eight_histories()
    codes, scores = recommend(planted, histories, 10, exclude_history=False)
    assert scores.dtype == np.float32
    raw = score_histories(planted, histories)
    picked = np.take_along_axis(raw, np.maximum(codes, 0).astype(np.int64), axis=1)
    np.testing.assert_allclose(scores[codes >= 0], picked[codes >= 0], rtol=1e-6)


@pytest.mark.parametrize("batch", [1, 8])
def test_wide_catalogue_normalised_scores_match_the_reference(batch) -> None:
    """9,000 items: top-k's sampled candidate path, float32 rows of tiny probabilities."""
    model = _wide_als()
    rng = np.random.default_rng(batch)
    histories = histories_from_lists(
        [rng.integers(-1, model.n_items, rng.integers(0, 30)) for _ in range(batch)]
    )
    for mask in (None, rng.random((batch, model.n_items)) < 0.1):
        kwargs = {"candidate_mask": mask, "exploration_weight": 0.3, "normalised_scores": True}
        fast = recommend(model, histories, 25, **kwargs)
        _assert_same(fast, recommend_reference(model, histories, 25, **kwargs))
    scores = score_histories(model, histories)
    total = np.exp(scores.astype(np.float64) - log_normalisers(scores)[:, np.newaxis]).sum(axis=1)
    np.testing.assert_allclose(total, 1.0, rtol=1e-6)
