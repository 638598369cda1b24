import numpy as np
import pyarrow as pa

from recipes.histories import (
    histories_from_interactions,
    histories_from_lists,
    history_matrix,
    history_matrix_reference,
)
from recipes.interactions import (
    encode_ids,
    interaction_matrix,
    interaction_matrix_reference,
    lookup_codes,
    make_interactions,
    time_decay_weights,
    user_history_length_mask,
)


def test_encode_ids_gives_codes_in_order_of_first_appearance() -> None:
    codes, index = encode_ids(["b", "a", "b", "c"])
    assert codes.dtype == np.int32
    assert codes.tolist() == [0, 1, 0, 2]
    assert index.tolist() == ["b", "a", "c"]
    assert index.dtype.kind == "U"
    assert (index[codes] == np.array(["b", "a", "b", "c"])).all()


def test_encode_ids_accepts_integers_and_arrow_arrays() -> None:
    codes, index = encode_ids(pa.chunked_array([[5, 3], [5]]))
    assert codes.tolist() == [0, 1, 0]
    assert index.tolist() == ["5", "3"]


def test_lookup_codes_marks_unknown_ids() -> None:
    _, index = encode_ids(["x", "y"])
    assert lookup_codes(["y", "zzz", "x"], index).tolist() == [1, -1, 0]


def test_interaction_matrix_matches_reference_and_keeps_the_largest_repeat() -> None:
    rng = np.random.default_rng(0)
    users, items = rng.integers(0, 30, 500), rng.integers(0, 25, 500)
    data = make_interactions(users, items, rng.integers(0, 1000, 500), rng.random(500), n_items=25)
    fast = interaction_matrix(data)
    assert fast.dtype == np.float32 and fast.has_sorted_indices
    np.testing.assert_array_equal(fast.toarray(), interaction_matrix_reference(data).toarray())


def test_history_matrix_matches_reference_with_decay_and_unknown_items() -> None:
    rng = np.random.default_rng(1)
    lists = [rng.integers(-1, 12, size) for size in (0, 1, 7, 30)]
    histories = histories_from_lists(lists)
    for half_life in (None, 3.0):
        fast = history_matrix(histories, 10, half_life).toarray()
        np.testing.assert_allclose(fast, history_matrix_reference(histories, 10, half_life))
    newest_weighs_one = history_matrix(histories_from_lists([[4, 5, 6]]), 10, 1.0).toarray()[0]
    assert newest_weighs_one[6] == 1.0 and newest_weighs_one[5] == 0.5


def test_histories_are_chronological_per_user() -> None:
    data = make_interactions([1, 0, 1, 1], [3, 2, 1, 0], [30, 5, 10, 20], n_users=3)
    histories = histories_from_interactions(data)
    assert histories.n_rows == 3
    assert histories.row(1).tolist() == [1, 0, 3]
    assert histories.row(2).tolist() == []
    assert histories.rows(np.array([1])).row(0).tolist() == [1, 0, 3]
    by_time = histories_from_lists([[7, 8]], [[20, 10]])
    assert by_time.row(0).tolist() == [8, 7]


def test_time_decay_halves_every_half_life() -> None:
    weights = time_decay_weights(np.array([100, 90, 80, 200]), 100, 10.0)
    np.testing.assert_allclose(weights, [1.0, 0.5, 0.25, 1.0])


def test_user_history_length_mask_drops_the_longest_histories() -> None:
    users = np.repeat(np.arange(10), [1, 2, 3, 4, 5, 6, 7, 8, 9, 100])
    data = make_interactions(users, np.zeros(users.size, int))
    kept = user_history_length_mask(data, 0.0, 0.9)
    assert not kept[users == 9].any()
    assert kept[users < 9].all()


def test_packed_and_general_matrix_paths_match_the_reference() -> None:
    rng = np.random.default_rng(7)
    users, items = rng.integers(0, 30, 800), rng.integers(0, 25, 800)
    weights = rng.choice([0.0, 0.25, 0.5, 1.0, 3.0], 800).astype(np.float32)
    packed = make_interactions(users, items, None, weights, n_items=25)
    signed = make_interactions(users, items, None, weights - 1.0, n_items=25)
    huge = make_interactions(users, items, None, weights, n_users=2**20, n_items=2**13)
    for data in (packed, signed):
        np.testing.assert_array_equal(
            interaction_matrix(data).toarray(), interaction_matrix_reference(data).toarray()
        )
    wide = interaction_matrix(huge)
    small = interaction_matrix(packed)
    assert wide.shape == (2**20, 2**13) and wide.nnz == small.nnz
    np.testing.assert_array_equal(wide[:30, :25].toarray(), small.toarray())
