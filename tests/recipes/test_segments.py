import numpy as np

from recipes.histories import histories_from_interactions
from recipes.item_features import categorical_feature_matrix, items_with_features
from recipes.personalization import PersonalizationOptions, fit_personalization
from recipes.segments import users_for_items

OPTIONS = PersonalizationOptions(algorithm="ease", ease_l2=50.0)


def test_item_affinity_returns_users_of_the_items_cluster(clusters) -> None:
    model = fit_personalization(clusters, recipe="aws-item-affinity", options=OPTIONS)
    histories = histories_from_interactions(clusters)
    users, scores = users_for_items(model, histories, np.array([3]), 10)
    assert set(users) <= set(range(40))
    assert (np.diff(scores) <= 0).all()
    took_item_3 = set(clusters.user_codes[clusters.item_codes == 3].tolist())
    assert not set(users.tolist()) & took_item_3
    everyone, _ = users_for_items(model, histories, np.array([3]), 80, exclude_interacted=False)
    assert took_item_3 <= set(everyone.tolist())


def test_item_attribute_affinity_uses_the_items_having_the_attribute(clusters) -> None:
    model = fit_personalization(clusters, recipe="aws-item-attribute-affinity", options=OPTIONS)
    features, names = categorical_feature_matrix({"genre": ["A"] * 20 + ["B"] * 20}, 40)
    items = items_with_features(features, names, ["genre=B", "genre=unknown"])
    assert items.tolist() == list(range(20, 40))
    users, _ = users_for_items(
        model, histories_from_interactions(clusters), items, 15, exclude_interacted=False
    )
    assert set(users) <= set(range(40, 80))


def test_unknown_items_give_an_empty_segment(clusters) -> None:
    model = fit_personalization(clusters, options=OPTIONS)
    users, scores = users_for_items(model, histories_from_interactions(clusters), [-1], 5)
    assert users.size == 0 and scores.size == 0
