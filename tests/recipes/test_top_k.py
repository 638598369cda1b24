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
