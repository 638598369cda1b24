import numpy as np

from recipes.interactions import make_interactions
from recipes.item_features import categorical_feature_matrix
from recipes.related_items import fit_similar_items, fit_sims, fit_sims_reference, related

from .conftest import cooccurring_pairs, two_clusters

NO_FILTER = {"min_user_history_length_percentile": 0.0, "max_user_history_length_percentile": 1.0}


def test_sims_matches_the_pairwise_reference() -> None:
    rng = np.random.default_rng(0)
    data = make_interactions(rng.integers(0, 40, 400), rng.integers(0, 15, 400), n_items=15)
    for discount in (0.0, 0.5, 1.0):
        for minimum in (0, 2, 4):
            model = fit_sims(
                data,
                popularity_discount_factor=discount,
                min_cointeraction_count=minimum,
                max_neighbours=100,
                **NO_FILTER,
            )
            expected = fit_sims_reference(data, discount, minimum)
            for item in range(15):
                start, end = model.neighbour_indptr[item], model.neighbour_indptr[item + 1]
                pairs = expected.get(item, [])
                assert model.neighbour_codes[start:end].tolist() == [p[0] for p in pairs]
                np.testing.assert_allclose(
                    model.neighbour_scores[start:end], [p[1] for p in pairs], rtol=1e-5
                )


def test_sims_finds_the_cooccurring_partner() -> None:
    model = fit_sims(cooccurring_pairs(), **NO_FILTER)
    queries = np.arange(20)
    codes, scores = related(model, queries, 3)
    assert (codes[:, 0] == queries ^ 1).all()
    assert (codes != queries[:, None]).all()
    assert (scores[:, 0] > 0).all()


def test_popularity_discount_moves_from_popular_to_specific_neighbours() -> None:
    users, items = [], []
    for user in range(100):  # item 1 is popular, co-occurs with 0 for 10 users
        users.append(user)
        items.append(1)
        if user < 10:
            users.append(user)
            items.append(0)
    for user in range(100, 104):  # item 2 is rare and always taken with 0
        users += [user, user]
        items += [0, 2]
    data = make_interactions(users, items)
    popular_first = fit_sims(data, popularity_discount_factor=0.0, **NO_FILTER)
    specific_first = fit_sims(data, popularity_discount_factor=1.0, **NO_FILTER)
    assert related(popular_first, [0], 1)[0][0, 0] == 1
    assert related(specific_first, [0], 1)[0][0, 0] == 2
    strict = fit_sims(data, min_cointeraction_count=5, **NO_FILTER)
    assert strict.neighbour_codes[
        strict.neighbour_indptr[0] : strict.neighbour_indptr[1]
    ].tolist() == [1]


def test_unknown_item_gets_popular_items_and_lists_are_filled() -> None:
    data = cooccurring_pairs()
    model = fit_sims(data, **NO_FILTER)
    popular_order = np.argsort(-model.item_popularity, kind="stable")
    codes, scores = related(model, [-1], 5)
    assert codes[0].tolist() == popular_order[:5].tolist()
    assert (scores[0] == 0).all()
    filled, _ = related(model, [0], 20)
    assert (filled[0] >= 0).sum() == 19 and 0 not in filled[0]


def _genres() -> dict[str, list[str | None]]:
    return {"genre": ["A|x"] * 20 + ["B"] * 20 + ["A"], "tone": [None] * 41}


def test_categorical_features_are_multi_hot() -> None:
    features, names = categorical_feature_matrix(_genres(), 41)
    assert sorted(names.tolist()) == ["genre=A", "genre=B", "genre=x"]
    assert features.shape == (41, 3)
    assert features[0].sum() == 2 and features[40].sum() == 1


def test_similar_items_gives_a_cold_item_neighbours_through_metadata() -> None:
    data = two_clusters()
    data = make_interactions(data.user_codes, data.item_codes, n_items=41)
    features, _ = categorical_feature_matrix(_genres(), 41)
    model = fit_similar_items(data, features)
    codes, scores = related(model, [40], 10)
    assert set(codes[0]) <= set(range(20)) and (scores[0] > 0).all()
    warm, _ = related(model, [25], 10)
    assert set(warm[0]) <= set(range(20, 40))
    without_metadata = fit_similar_items(data)
    _, cold_scores = related(without_metadata, [40], 10)
    assert (cold_scores[0] == 0).all()
