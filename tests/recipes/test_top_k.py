import numpy as np
import scipy.sparse as sp

from recipes.top_k import top_k_rows, top_k_rows_reference


def test_fast_top_k_matches_the_full_sort_reference() -> None:
    rng = np.random.default_rng(0)
    scores = rng.standard_normal((6, 50)).astype(np.float32)
    excluded = sp.random(6, 50, density=0.3, format="csr", random_state=1)
    mask = rng.random(50) > 0.2
    for k in (1, 5, 49, 60):
        for args in ((None, None), (excluded, None), (excluded, mask)):
            fast = top_k_rows(scores, k, *args)
            slow = top_k_rows_reference(scores, k, *args)
            np.testing.assert_array_equal(fast[0], slow[0])
            np.testing.assert_allclose(fast[1], slow[1])


def test_rows_with_too_few_candidates_are_padded() -> None:
    scores = np.array([[3.0, 2.0, 1.0]], np.float32)
    codes, top = top_k_rows(scores, 5, candidate_mask=np.array([True, False, True]))
    assert codes.tolist() == [[0, 2, -1, -1, -1]]
    assert np.isnan(top[0, 2:]).all()


def test_ties_go_to_the_lower_code() -> None:
    codes, _ = top_k_rows(np.zeros((1, 5), np.float32), 5)
    assert codes.tolist() == [[0, 1, 2, 3, 4]]


def test_candidate_fast_path_on_wide_rows_matches_the_reference() -> None:
    rng = np.random.default_rng(3)
    n_items = 9000
    scores = rng.standard_normal((7, n_items)).astype(np.float32)
    scores[1] = 0.0  # every item tied: too many candidates, ranked whole
    excluded = sp.random(7, n_items, density=0.05, format="csr", random_state=2)
    mask = np.ones((7, n_items), bool)
    mask[2] = False  # a row with fewer eligible items than k: the bound is -inf
    mask[2, [5, 17, 8000]] = True
    for k in (1, 25, 256):
        fast_codes, fast_scores = top_k_rows(scores, k, excluded, mask)
        slow_codes, slow_scores = top_k_rows_reference(scores, k, excluded, mask)
        np.testing.assert_array_equal(fast_scores, slow_scores)
        untied = np.arange(7) != 1
        np.testing.assert_array_equal(fast_codes[untied], slow_codes[untied])


def test_candidate_fast_path_keeps_ties_in_code_order_above_the_boundary() -> None:
    rng = np.random.default_rng(4)
    scores = rng.integers(0, 40, (4, 10_000)).astype(np.float32)
    fast_codes, fast_scores = top_k_rows(scores, 25)
    slow_codes, slow_scores = top_k_rows_reference(scores, 25)
    np.testing.assert_array_equal(fast_scores, slow_scores)
    above = fast_scores > fast_scores[:, -1:]
    np.testing.assert_array_equal(fast_codes[above], slow_codes[above])
