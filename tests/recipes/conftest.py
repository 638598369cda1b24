"""Small synthetic datasets with planted structure whose right answers are known."""

from __future__ import annotations

import numpy as np
import pytest

from recipes.interactions import Interactions, make_interactions

DAY = 86_400


def two_clusters(seed: int = 0, n_users: int = 80, n_items: int = 40) -> Interactions:
    """Users [0, n/2) use items [0, m/2) only; the rest use items [m/2, m). ~60% density."""
    rng = np.random.default_rng(seed)
    users, items = [], []
    half_users, half_items = n_users // 2, n_items // 2
    for user in range(n_users):
        block = 0 if user < half_users else half_items
        chosen = np.flatnonzero(rng.random(half_items) < 0.6) + block
        users += [user] * chosen.size
        items += chosen.tolist()
    times = np.arange(len(users), dtype=np.int64) * 60
    return make_interactions(users, items, times, n_users=n_users, n_items=n_items)


def popularity_shift(seed: int = 0, n_users: int = 300, n_items: int = 60) -> Interactions:
    """No user structure; item popularity (Zipf) moves from items [0, 20) to [40, 60) at T/2."""
    rng = np.random.default_rng(seed)
    span = 200 * DAY
    zipf = 1.0 / np.arange(1, 21)
    zipf /= zipf.sum()
    users, items, times = [], [], []
    for user in range(n_users):
        stamps = np.sort(rng.integers(0, span, 20))
        for stamp in stamps:
            block = 0 if stamp < span // 2 else 40
            users.append(user)
            items.append(block + rng.choice(20, p=zipf))
            times.append(stamp)
    return make_interactions(users, items, times, n_users=n_users, n_items=n_items)


def cooccurring_pairs(seed: int = 0, n_users: int = 200, n_pairs: int = 10) -> Interactions:
    """Each user takes both items of one pair (2p, 2p+1) plus one random noise item."""
    rng = np.random.default_rng(seed)
    n_items = 2 * n_pairs
    users, items = [], []
    for user in range(n_users):
        pair = rng.integers(n_pairs)
        noise = rng.integers(n_items)
        for item in {2 * pair, 2 * pair + 1, noise}:
            users.append(user)
            items.append(item)
    return make_interactions(users, items, np.arange(len(users)), n_items=n_items)


@pytest.fixture
def clusters() -> Interactions:
    return two_clusters()
