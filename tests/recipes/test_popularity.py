import numpy as np
import pytest
import scipy.sparse as sp

from recipes.interactions import make_interactions
from recipes.popularity import fit_popularity_count, fit_trending_now, recommend_popular

HOUR = 3600


def test_popularity_count_counts_distinct_users() -> None:
    data = make_interactions([0, 0, 0, 1, 2, 1], [0, 0, 0, 1, 1, 2], n_items=4)
    model = fit_popularity_count(data)
    assert model.item_scores.tolist() == [1.0, 2.0, 1.0, 0.0]
    codes, _ = recommend_popular(model, 3)
    assert codes.tolist() == [[1, 0, 2]]


def test_recommend_popular_excludes_per_row() -> None:
    model = fit_popularity_count(make_interactions([0, 1, 2, 1], [0, 0, 0, 1], n_items=3))
    excluded = sp.csr_matrix(np.array([[1, 0, 0], [0, 1, 0]], np.float32))
    codes, _ = recommend_popular(model, 2, excluded=excluded)
    assert codes.tolist() == [[1, 2], [0, 2]]


def _trending_data():
    # items 0-2 popular long ago; item 5 grows fast in the latest 2-hour window.
    users, items, times = [], [], []
    for user in range(30):
        users += [user, user]
        items += [user % 3, (user + 1) % 3]
        times += [0, HOUR]
    for user in range(8):
        users.append(100 + user)
        items.append(5)
        times.append(100 * HOUR - user)
    users.append(200)
    items.append(4)
    times.append(97 * HOUR)
    return make_interactions(users, items, times, n_items=6)


def test_trending_now_puts_fastest_growing_items_first() -> None:
    model = fit_trending_now(_trending_data(), "2 hours")
    codes, _ = recommend_popular(model, 4)
    assert codes[0, 0] == 5
    assert set(codes[0, 1:]) == {0, 1, 2}  # item 4 shrank: it follows by popularity


def test_trending_now_falls_back_to_popularity_without_recent_events() -> None:
    data = _trending_data()
    model = fit_trending_now(data, "30 minutes", now=1000 * HOUR)
    np.testing.assert_array_equal(
        np.argsort(-model.item_scores, kind="stable"),
        np.argsort(-fit_popularity_count(data).item_scores, kind="stable"),
    )


def test_trending_now_refuses_unknown_frequencies() -> None:
    with pytest.raises(ValueError, match="trend_discovery_frequency"):
        fit_trending_now(_trending_data(), "5 hours")
