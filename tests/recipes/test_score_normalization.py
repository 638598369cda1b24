"""Spec §10.4 softmax scores: the fast normaliser against the obviously correct reference."""

from __future__ import annotations

import numpy as np

from recipes.score_normalization import (
    log_normalisers,
    softmax,
    softmax_reference,
    softmax_scores,
)


def test_top_k_softmax_equals_the_reference_over_the_full_rows():
    rng = np.random.default_rng(5)
    scores = (rng.normal(0, 3, (4, 5000)) + 50).astype(np.float32)  # large: needs the shift
    top = np.sort(scores, axis=1)[:, ::-1][:, :10]
    found = softmax_scores(top, log_normalisers(scores))
    expected = np.sort(softmax_reference(scores), axis=1)[:, ::-1][:, :10]
    np.testing.assert_allclose(found, expected, rtol=1e-5)
    assert np.all(found > 0) and np.all(found < 1)


def test_softmax_of_a_list_sums_to_one_and_keeps_the_order():
    values = np.array([2.0, -1.0, 0.5, 0.5])
    probabilities = softmax(values)
    assert abs(probabilities.sum() - 1) < 1e-12
    assert list(np.argsort(-probabilities, kind="stable")) == [0, 2, 3, 1]
    assert softmax(np.zeros(0)).shape == (0,)


def test_padding_stays_nan():
    scores = np.array([[1.0, 0.0, -1.0]], np.float32)
    found = softmax_scores(np.array([[1.0, np.nan]]), log_normalisers(scores))
    assert np.isnan(found[0, 1]) and 0 < found[0, 0] < 1


def test_float32_normalisers_match_float64_and_leave_the_scores_alone():
    rng = np.random.default_rng(7)
    scores = rng.normal(0, 1, (8, 27_000)).astype(np.float32)
    before = scores.copy()
    found = log_normalisers(scores)
    expected = np.log(np.exp(scores.astype(np.float64)).sum(axis=1))
    np.testing.assert_allclose(found, expected, rtol=1e-7)
    np.testing.assert_array_equal(scores, before)
    assert abs(softmax_scores(scores, found).sum(axis=1) - 1).max() < 1e-6
