import numpy as np
import scipy.sparse as sp

from recipes.als import factor_gram, fit_als_item_factors, fold_in_reference, fold_in_user_factors
from recipes.ease import fit_ease, fit_ease_reference
from recipes.interactions import interaction_matrix

from .conftest import two_clusters


def test_ease_float32_cholesky_matches_the_float64_reference() -> None:
    matrix = interaction_matrix(two_clusters())
    fast = fit_ease(matrix, 10.0)
    assert fast.dtype == np.float32 and (np.diag(fast) == 0).all()
    np.testing.assert_allclose(fast, fit_ease_reference(matrix, 10.0), atol=1e-5)


def test_ease_symmetrizes_across_blocks(monkeypatch) -> None:
    import recipes.ease

    monkeypatch.setattr(recipes.ease, "_SYMMETRIZE_BLOCK", 7)
    matrix = interaction_matrix(two_clusters())
    np.testing.assert_allclose(fit_ease(matrix, 5.0), fit_ease_reference(matrix, 5.0), atol=1e-5)


def test_fold_in_matches_the_dense_weighted_least_squares_reference() -> None:
    rng = np.random.default_rng(0)
    factors = rng.standard_normal((30, 6)).astype(np.float32)
    history = sp.random(4, 30, density=0.2, format="csr", random_state=2, dtype=np.float32)
    history.data = np.clip(history.data, 0.1, 1.0)
    fast = fold_in_user_factors(factors, factor_gram(factors), history, 0.5, 3.0)
    for row in range(4):
        slow = fold_in_reference(factors, history[row].toarray()[0], 0.5, 3.0)
        np.testing.assert_allclose(fast[row], slow, rtol=1e-4, atol=1e-5)


def test_als_fit_is_deterministic_for_a_seed() -> None:
    matrix = interaction_matrix(two_clusters())
    first = fit_als_item_factors(matrix, 8, 1.0, 2.0, 5, seed=3, num_threads=1)
    second = fit_als_item_factors(matrix, 8, 1.0, 2.0, 5, seed=3, num_threads=1)
    assert first.shape == (40, 8) and first.dtype == np.float32
    np.testing.assert_array_equal(first, second)
