"""``recipes.model_update``: UPDATE keeps what the base learned and places new items.

The planted data: four blocks of 30 users and 20 items, each user taking 12 items of their own
block. The update adds three new items per block, taken by about half of that block's users.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from recipes.catalogue_alignment import (
    align_catalogue,
    realign_interactions,
    realign_item_values,
)
from recipes.ease import fit_ease
from recipes.histories import Histories, histories_from_lists
from recipes.interactions import Interactions, make_interactions
from recipes.model_update import (
    ModelUpdateError,
    extend_ease_weights,
    extend_ease_weights_reference,
    new_als_item_factors,
    new_als_item_factors_reference,
    update_personalization,
)
from recipes.personalization import (
    PersonalizationModel,
    PersonalizationOptions,
    fit_personalization,
    recommend,
    score_histories,
)
from recipes.personalization_model import EASE_MAX_ITEMS, core_scores, weighted_history

BLOCKS, USERS, ITEMS, PICKS, NEW = 4, 30, 20, 12, 3
KNOWN = BLOCKS * ITEMS
#: Seconds between the base's events and the new items' events.
NEW_ITEMS_LATER = 10_000


def planted(with_new_items: bool) -> Interactions:
    """The planted events; with ``with_new_items``, the new items' events follow later."""
    rng = np.random.default_rng(7)
    users, items = [], []
    for block in range(BLOCKS):
        for user in range(USERS):
            for item in rng.choice(ITEMS, PICKS, replace=False):
                users.append(block * USERS + user)
                items.append(block * ITEMS + item)
    n_items = KNOWN
    if with_new_items:
        n_items += BLOCKS * NEW
        for block in range(BLOCKS):
            for user in rng.choice(USERS, 15, replace=False):
                for new in range(NEW):
                    users.append(block * USERS + user)
                    items.append(KNOWN + block * NEW + new)
    times = np.arange(len(users), dtype=np.int64)
    times[BLOCKS * USERS * PICKS :] += NEW_ITEMS_LATER
    return make_interactions(users, items, times, n_users=BLOCKS * USERS, n_items=n_items)


def unit_core(model: PersonalizationModel, history: Histories) -> np.ndarray:
    """The model's core scores of one history, scaled to a largest magnitude of 1."""
    core = core_scores(model, weighted_history(model, history))[0]
    return core / np.abs(core).max()


def new_items_of(block: int) -> list[int]:
    return list(range(KNOWN + block * NEW, KNOWN + (block + 1) * NEW))


@pytest.mark.parametrize("algorithm", ["ease", "als"])
def test_update_places_new_items_beside_similar_ones_and_keeps_the_old(algorithm):
    options = PersonalizationOptions(algorithm=algorithm, num_threads=1)
    base = fit_personalization(planted(False), hidden_dimension=16, options=options)
    updated = update_personalization(base, planted(True), num_threads=1)
    assert updated.n_items == KNOWN + BLOCKS * NEW
    if algorithm == "ease":
        assert np.array_equal(updated.item_weights[:KNOWN, :KNOWN], base.item_weights)
        assert np.all(np.diagonal(updated.item_weights) == 0)
    else:
        assert np.array_equal(updated.item_factors[:KNOWN], base.item_factors)
        factors = updated.item_factors.astype(np.float64)
        assert np.allclose(updated.item_gram, factors.T @ factors, rtol=1e-4, atol=1e-4)
    recalibrated = {**base.hyperparameters, "recent_popularity_weight": None}
    assert {**updated.hyperparameters, "recent_popularity_weight": None} == recalibrated
    assert updated.item_popularity[KNOWN:].min() >= 10  # ~15 users took each new item

    refit = fit_personalization(planted(True), hidden_dimension=16, options=options)
    for block in range(BLOCKS):
        history = histories_from_lists([np.arange(3) + block * ITEMS])
        scores = score_histories(updated, history)[0]
        mine = new_items_of(block)
        others = np.setdiff1d(
            np.arange(updated.n_items), mine + list(range(block * ITEMS, (block + 1) * ITEMS))
        )
        assert scores[mine].min() > scores[others].max(), "new items rank with their block"
        # The new items' core scores are close to a full refit's (whose popularity prior
        # weight is calibrated afresh, so only the cores compare).
        assert (
            np.abs(unit_core(updated, history)[mine] - unit_core(refit, history)[mine]).max() < 0.1
        )
        # Exploration (as a campaign serves with a short age cut-off) surfaces them.
        codes, _ = recommend(
            updated,
            history,
            5,
            exploration_weight=0.3,
            exploration_item_age_cut_off=2_000 / 86_400,
        )
        assert set(mine) <= set(codes[0].tolist())


def test_new_items_without_events_are_explorable():
    base = fit_personalization(planted(False), options=PersonalizationOptions(algorithm="als"))
    events = planted(False)
    grown = make_interactions(
        events.user_codes, events.item_codes, events.timestamps, n_items=KNOWN + 1
    )
    created = np.full(KNOWN + 1, -1, np.int64)
    created[KNOWN] = int(events.timestamps.max())
    updated = update_personalization(base, grown, item_creation_timestamps=created, num_threads=1)
    assert not updated.item_factors[KNOWN].any()
    assert updated.item_first_seen[KNOWN] == created[KNOWN]
    history = histories_from_lists([np.arange(3)])
    codes, _ = recommend(updated, history, 1, exploration_weight=1.0)
    assert codes[0, 0] == KNOWN


def test_fast_extensions_match_their_references():
    rng = np.random.default_rng(0)
    matrix = sp.random(60, 30, density=0.2, format="csr", random_state=2, dtype=np.float32)
    matrix.data[:] = rng.uniform(0.1, 1.0, matrix.nnz)
    weights = fit_ease(matrix[:, :25].tocsr(), 5.0)
    fast = extend_ease_weights(weights, matrix, 25, 5.0)
    assert np.allclose(fast, extend_ease_weights_reference(weights, matrix, 25, 5.0), atol=1e-6)
    factors = rng.normal(size=(25, 6)).astype(np.float32)
    confidence = matrix.copy()
    confidence.data = 1.0 + 2.0 * confidence.data
    solved = new_als_item_factors(factors, confidence, 25, 3.0, num_threads=1)
    reference = new_als_item_factors_reference(factors, confidence, 25, 3.0)
    assert solved.shape == (5, 6)
    assert np.allclose(solved, reference, atol=1e-4)


def test_sampled_user_gram_stays_close_to_the_exact_item_step():
    rng = np.random.default_rng(3)
    matrix = sp.random(3000, 40, density=0.05, format="csr", random_state=4, dtype=np.float32)
    matrix.data[:] = 1.0 + rng.uniform(0.1, 1.0, matrix.nnz)
    factors = rng.normal(scale=0.3, size=(35, 8)).astype(np.float32)
    exact = new_als_item_factors(factors, matrix, 35, 3.0, 1, sampled_users=None)
    sampled = new_als_item_factors(factors, matrix, 35, 3.0, 1, sampled_users=300)
    cosine = np.sum(exact * sampled, axis=1) / (
        np.linalg.norm(exact, axis=1) * np.linalg.norm(sampled, axis=1)
    )
    assert cosine.min() > 0.95, cosine


def test_catalogue_alignment_keeps_known_codes():
    alignment = align_catalogue(np.array(["a", "b", "c"]), np.array(["c", "x", "a", "y"]))
    assert alignment.item_ids.tolist() == ["a", "b", "c", "x", "y"]
    assert alignment.codes.tolist() == [2, 3, 0, 4]
    assert alignment.n_known == 3
    events = make_interactions([0, 0, 1], [0, 1, 3], n_items=4)
    assert realign_interactions(events, alignment).item_codes.tolist() == [2, 3, 4]
    created = realign_item_values(np.array([5, 6, 7, 8]), alignment, -1)
    assert created.tolist() == [7, -1, 5, 6, 8]


def test_update_refuses_a_shrunk_or_oversized_catalogue():
    base = fit_personalization(planted(False), options=PersonalizationOptions(algorithm="ease"))
    events = planted(False)
    fewer = make_interactions(
        events.user_codes[events.item_codes < 10], events.item_codes[events.item_codes < 10]
    )
    with pytest.raises(ModelUpdateError, match="catalogue has 10 items"):
        update_personalization(base, fewer)
    huge = sp.csr_matrix((2, EASE_MAX_ITEMS + 1), dtype=np.float32)
    with pytest.raises(ModelUpdateError, match="train a FULL version"):
        extend_ease_weights(np.zeros((2, 2), np.float32), huge, 2, 1.0)
