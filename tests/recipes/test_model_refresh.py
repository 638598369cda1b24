"""``recipes.model_refresh``: the evaluation model refreshed on all data serves like a refit.

The planted data: eight topic blocks of 60 users and 25 items; each user takes 14 items of their
own block (Zipf-popular within the block) and 2 noise items. Two extra items per block are taken
only by some of that block's AWS-split test users, so the evaluation model never sees them. Each
user's one "future" event (an unseen item of their block) is kept out of every fit and scores the
served models.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from recipes.histories import histories_from_lists
from recipes.interactions import Interactions, make_interactions
from recipes.metrics import aws_split, ranking_metrics
from recipes.model_refresh import (
    refresh_als_item_factors,
    refresh_als_item_factors_reference,
    refresh_inputs,
    refresh_inputs_reference,
    refresh_personalization,
)
from recipes.personalization import (
    PersonalizationOptions,
    fit_personalization,
    recommend,
)

BLOCKS, USERS, ITEMS, PICKS, NOISE, HIDDEN = 8, 60, 25, 14, 2, 2
KNOWN = BLOCKS * ITEMS
N_ITEMS = KNOWN + BLOCKS * HIDDEN
OPTIONS = PersonalizationOptions(algorithm="als")
FACTORS = 16


def _block_of_user(user: int) -> int:
    return user // USERS


def planted() -> tuple[Interactions, list[list[int]], np.ndarray]:
    """(training events, each user's future item as a one-item list, hidden item codes)."""
    rng = np.random.default_rng(3)
    popularity = 1.0 / np.arange(1, ITEMS + 1)
    popularity /= popularity.sum()
    users, items, future = [], [], []
    for user in range(BLOCKS * USERS):
        block = _block_of_user(user)
        picks = rng.choice(ITEMS, PICKS + 1, replace=False, p=popularity) + block * ITEMS
        noise = rng.choice(KNOWN, NOISE, replace=False)
        taken = [*picks[:PICKS].tolist(), *noise.tolist()]
        rng.shuffle(taken)
        users += [user] * len(taken)
        items += taken
        future.append([int(picks[PICKS])])
    times = np.arange(len(users), dtype=np.int64) * 60
    base = make_interactions(users, items, times, n_users=BLOCKS * USERS, n_items=N_ITEMS)
    # Items only test users take: events added to users who already have >= 2 events leave
    # the split's choice of test users unchanged.
    test_users = aws_split(base, seed=0).test_user_codes
    hidden = np.arange(KNOWN, N_ITEMS)
    for user in test_users.tolist():
        block = _block_of_user(user)
        for item in hidden[block * HIDDEN : (block + 1) * HIDDEN]:
            users.append(user)
            items.append(int(item))
    times = np.arange(len(users), dtype=np.int64) * 60
    events = make_interactions(users, items, times, n_users=BLOCKS * USERS, n_items=N_ITEMS)
    return events, future, hidden


@pytest.fixture(scope="module")
def fitted() -> dict:
    events, future, hidden = planted()
    split = aws_split(events, seed=0)
    evaluation = fit_personalization(split.train, hidden_dimension=FACTORS, options=OPTIONS)
    return {
        "events": events,
        "future": future,
        "hidden": hidden,
        "split": split,
        "evaluation": evaluation,
        "refreshed": refresh_personalization(evaluation, events, options=OPTIONS),
        "refit": fit_personalization(events, hidden_dimension=FACTORS, options=OPTIONS),
    }


def _histories(events: Interactions) -> list[list[int]]:
    rows: list[list[int]] = [[] for _ in range(events.n_users)]
    for user, item in zip(events.user_codes.tolist(), events.item_codes.tolist(), strict=True):
        rows[user].append(item)
    return rows


def test_refresh_matches_the_dense_least_squares_reference():
    rng = np.random.default_rng(0)
    matrix = sp.random(70, 45, density=0.15, format="csr", random_state=1, dtype=np.float32)
    matrix.data = 1.0 + 2.0 * matrix.data
    start = (0.1 * rng.normal(size=(45, 6))).astype(np.float32)
    kept = start.copy()
    slow = refresh_als_item_factors_reference(start, matrix, 3.0)
    # f = 6 CG steps solve each 6-dimensional system exactly (up to rounding).
    exact = refresh_als_item_factors(start, matrix, 3.0, 1, user_cg_steps=6, item_cg_steps=6)
    np.testing.assert_allclose(exact, slow, atol=1e-4, rtol=1e-3)
    # The default steps stop early: within 2% of the exact half-steps.
    fast = refresh_als_item_factors(start, matrix, 3.0, 1)
    assert np.linalg.norm(fast - slow) < 0.02 * np.linalg.norm(slow)
    np.testing.assert_array_equal(start, kept)


def test_refreshed_model_serves_as_well_as_a_full_refit(fitted):
    """Top-10 lists mostly agree, and the users' future items are found as often.

    Two ALS fits from different starts differ by noise, so the lists are compared by overlap
    (at least 90% of each top 10 in common on average) and by quality on the future events
    (NDCG@25 at least 97% of the refit's); measured here: overlap 0.999, NDCG 0.513 against
    the refit's 0.513.
    """
    histories = histories_from_lists(_histories(fitted["events"]))
    refreshed, _ = recommend(fitted["refreshed"], histories, 25)
    refit, _ = recommend(fitted["refit"], histories, 25)
    overlap = np.mean(
        [np.intersect1d(a[:10], b[:10]).size / 10 for a, b in zip(refreshed, refit, strict=True)]
    )
    assert overlap >= 0.9
    future = histories_from_lists(fitted["future"])
    key = "normalized_discounted_cumulative_gain_at_25"
    refreshed_ndcg = ranking_metrics(refreshed, future, N_ITEMS)[key]
    refit_ndcg = ranking_metrics(refit, future, N_ITEMS)[key]
    assert refreshed_ndcg >= 0.97 * refit_ndcg
    assert refreshed_ndcg > 0.3  # the blocks are found at all


def test_items_only_held_out_users_took_get_factors_and_reach_their_block(fitted):
    hidden = fitted["hidden"]
    evaluation, refreshed = fitted["evaluation"], fitted["refreshed"]
    assert not np.isin(fitted["split"].train.item_codes, hidden).any()
    assert np.abs(evaluation.item_factors[hidden]).max() < 1e-3
    assert (np.linalg.norm(refreshed.item_factors[hidden], axis=1) > 0.05).all()
    # A fresh user with a block-0 history is offered block 0's hidden items before any other.
    block_zero = histories_from_lists([list(range(0, ITEMS, 2))])
    scores = recommend(refreshed, block_zero, N_ITEMS)[0][0]
    ranks = {int(code): rank for rank, code in enumerate(scores)}
    other_blocks = [ranks[int(code)] for code in hidden[HIDDEN:]]
    assert max(ranks[int(code)] for code in hidden[:HIDDEN]) < min(other_blocks)


def test_refresh_keeps_the_calibration_and_counts_every_event(fitted):
    evaluation, refreshed, refit = fitted["evaluation"], fitted["refreshed"], fitted["refit"]
    kept = dict(evaluation.hyperparameters)
    for changed in ("popularity_half_life_seconds", "core_held_out_events"):
        kept.pop(changed)
    assert {k: refreshed.hyperparameters[k] for k in kept} == kept
    assert refreshed.hyperparameters["core_refreshed"] is True
    # Popularity and item ages are those of a full fit on every event.
    np.testing.assert_array_equal(refreshed.item_popularity, refit.item_popularity)
    np.testing.assert_array_equal(refreshed.recent_popularity, refit.recent_popularity)
    np.testing.assert_array_equal(refreshed.item_first_seen, refit.item_first_seen)
    assert refreshed.latest_timestamp == refit.latest_timestamp
    assert (
        refreshed.hyperparameters["popularity_half_life_seconds"]
        == refit.hyperparameters["popularity_half_life_seconds"]
    )


def test_refresh_refuses_ease_and_other_catalogues(fitted):
    ease = fit_personalization(fitted["events"], options=PersonalizationOptions(algorithm="ease"))
    with pytest.raises(ValueError, match="only ALS"):
        refresh_personalization(ease, fitted["events"])
    smaller = make_interactions([0, 0], [0, 1], [0, 1], n_items=2)
    with pytest.raises(ValueError, match="items"):
        refresh_personalization(fitted["evaluation"], smaller)


def _random_events(seed: int, weights: str) -> Interactions:
    """Repeated (user, item) cells, users of every history length, one user without events."""
    rng = np.random.default_rng(seed)
    n = 3000
    users = np.minimum(rng.zipf(1.5, n), 80) - 1
    items = rng.integers(0, 40, n)
    times = rng.integers(0, 10**6, n)
    if weights == "ones":
        values = np.ones(n, np.float32)
    elif weights == "equal":
        values = np.full(n, 0.25, np.float32)
    else:
        values = rng.choice(np.array([0.25, 0.5, 1.0], np.float32), n)
    return make_interactions(users, items, times, values, n_users=81, n_items=42)


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("weights", ["ones", "equal", "varied"])
@pytest.mark.parametrize("percentiles", [(0.0, 1.0), (0.0, 0.9), (0.2, 0.8)])
def test_refresh_inputs_share_one_merge_and_match_the_reference(seed, weights, percentiles):
    events = _random_events(seed, weights)
    matrix, popularity = refresh_inputs(events, *percentiles, 0.05)
    want_matrix, want_popularity = refresh_inputs_reference(events, *percentiles, 0.05)
    assert matrix.dtype == want_matrix.dtype == np.float32
    assert matrix.has_sorted_indices
    np.testing.assert_array_equal(matrix.indptr, want_matrix.indptr)
    np.testing.assert_array_equal(matrix.indices, want_matrix.indices)
    np.testing.assert_array_equal(matrix.data, want_matrix.data)
    assert popularity.keys() == want_popularity.keys()
    for key, value in want_popularity.items():
        np.testing.assert_array_equal(popularity[key], value)


def test_refresh_inputs_of_no_events_match_the_reference():
    events = make_interactions([], [], n_users=3, n_items=4)
    matrix, popularity = refresh_inputs(events, 0.0, 0.99, 0.1)
    want_matrix, want_popularity = refresh_inputs_reference(events, 0.0, 0.99, 0.1)
    assert matrix.nnz == want_matrix.nnz == 0
    assert matrix.shape == want_matrix.shape
    for key, value in want_popularity.items():
        np.testing.assert_array_equal(popularity[key], value)
