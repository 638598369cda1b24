"""SIMS and Similar-Items: related items for an item (GetRecommendations with ``itemId``).

Both store, per item, its best ``max_neighbours`` neighbours (CSR rows sorted best first).
``related`` answers from them and fills the rest of the list with popular items, which is also the
whole answer for an unknown item or one without neighbours.

SIMS: ``score(i -> j) = c_ij / pop_j ** d``, with ``c_ij`` the users who interacted with both,
``pop_j`` the users of j and ``d = popularity_discount_factor``: d = 0 ranks by raw co-occurrence
(popularity), d = 1 by ``P(i | j)`` (lift for a fixed i), d = 0.5 is cosine. Pairs with fewer than
``min_cointeraction_count`` (and at least one) co-occurrences are dropped.

Similar-Items: ``(1 - rho) * cooccurrence cosine + rho * metadata cosine`` with
``rho = item_metadata_hidden_dim / (item_id_hidden_dim + item_metadata_hidden_dim)``: the share
of the item embedding that comes from metadata. Items with no interactions still get neighbours
through their categorical metadata.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp

from recipes.interactions import Interactions, interaction_matrix, user_history_length_mask
from recipes.top_k import top_k_rows

_BLOCK_CELLS = 1 << 22


@dataclass(frozen=True)
class RelatedItemsModel:
    """Per-item neighbour lists.

    Attributes:
        recipe: ``aws-sims`` or ``aws-similar-items``.
        hyperparameters: typed values used (JSON-serialisable).
        neighbour_indptr: int64 (n_items + 1,); item i's neighbours are
            ``neighbour_codes[neighbour_indptr[i]:neighbour_indptr[i + 1]]``.
        neighbour_codes: int32 (nnz,) best first within each item.
        neighbour_scores: float32 (nnz,) positive similarities.
        item_popularity: float32 (n_items,) distinct users per item (the fallback order).

    """

    recipe: str
    hyperparameters: dict[str, Any]
    neighbour_indptr: np.ndarray = field(repr=False)
    neighbour_codes: np.ndarray = field(repr=False)
    neighbour_scores: np.ndarray = field(repr=False)
    item_popularity: np.ndarray = field(repr=False)

    @property
    def n_items(self) -> int:
        """Catalogue size."""
        return int(self.item_popularity.shape[0])


def cooccurrence_counts(binary: sp.csr_matrix) -> sp.csr_matrix:
    """Users in common per item pair, diagonal removed: float32 CSR (n_items, n_items)."""
    counts = (binary.T @ binary).tocsr().astype(np.float32)
    counts.setdiag(0)
    counts.eliminate_zeros()
    counts.sort_indices()
    return counts


def top_neighbours(similarity: sp.csr_matrix, max_neighbours: int) -> tuple[np.ndarray, ...]:
    """Keep each row's ``max_neighbours`` largest positive cells, best first.

    Args:
        similarity: float32 CSR (n, n).
        max_neighbours: cells kept per row.

    Returns:
        ``(indptr int64 (n + 1,), codes int32 (nnz,), scores float32 (nnz,))``; ties broken by
        lower code (values within about 1e-16 * n of their row's best count as tied).

    """
    similarity = similarity.tocsr()
    similarity.sort_indices()
    rows = np.repeat(np.arange(similarity.shape[0]), np.diff(similarity.indptr))
    keep = similarity.data > 0
    rows, cols, values = rows[keep], similarity.indices[keep], similarity.data[keep]
    # One stable sort on a float64 key (several times faster than a three-key lexsort): the row,
    # plus the cell's shortfall from its row's best value, scaled into [0, 0.5). Cells are in
    # column order within a row, so equal keys keep the lower code first.
    firsts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]]) if rows.size else rows
    best = np.repeat(np.maximum.reduceat(values, firsts), np.diff(np.r_[firsts, rows.size]))
    key = rows + 0.5 * (1.0 - values.astype(np.float64) / best)
    order = np.argsort(key, kind="stable")
    rows, cols, values = rows[order], cols[order], values[order]
    starts = np.searchsorted(rows, np.arange(similarity.shape[0]))
    rank_in_row = np.arange(rows.shape[0]) - starts[rows]
    keep = rank_in_row < max_neighbours
    indptr = np.zeros(similarity.shape[0] + 1, np.int64)
    np.cumsum(np.bincount(rows[keep], minlength=similarity.shape[0]), out=indptr[1:])
    return indptr, cols[keep].astype(np.int32), values[keep].astype(np.float32)


def fit_sims(
    interactions: Interactions,
    *,
    popularity_discount_factor: float = 0.5,
    min_cointeraction_count: int = 3,
    min_user_history_length_percentile: float = 0.005,
    max_user_history_length_percentile: float = 0.995,
    max_neighbours: int = 100,
) -> RelatedItemsModel:
    """Fit SIMS (item-item collaborative filtering on co-interactions).

    Args:
        interactions: training events.
        popularity_discount_factor: d in [0, 1], see the module docstring.
        min_cointeraction_count: minimum users in common for a pair to count.
        min_user_history_length_percentile: users with shorter histories are left out.
        max_user_history_length_percentile: users with longer histories are left out (their
            co-occurrences are many and weak, and cost quadratically).
        max_neighbours: neighbours stored per item.

    Returns:
        The model.

    """
    kept = interactions.select(
        user_history_length_mask(
            interactions, min_user_history_length_percentile, max_user_history_length_percentile
        )
    )
    binary = interaction_matrix(kept, np.ones(len(kept), np.float32))
    popularity = np.diff(binary.tocsc().indptr).astype(np.float32)
    counts = cooccurrence_counts(binary)
    counts.data[counts.data < max(1, min_cointeraction_count)] = 0
    counts.eliminate_zeros()
    discount = np.power(np.maximum(popularity, 1.0), -popularity_discount_factor)
    scores = counts.multiply(discount[np.newaxis, :].astype(np.float32)).tocsr()
    indptr, codes, values = top_neighbours(scores, max_neighbours)
    hyperparameters = {
        "popularity_discount_factor": float(popularity_discount_factor),
        "min_cointeraction_count": int(min_cointeraction_count),
        "min_user_history_length_percentile": float(min_user_history_length_percentile),
        "max_user_history_length_percentile": float(max_user_history_length_percentile),
        "max_neighbours": int(max_neighbours),
    }
    return RelatedItemsModel("aws-sims", hyperparameters, indptr, codes, values, popularity)


def fit_sims_reference(
    interactions: Interactions, popularity_discount_factor: float, min_cointeraction_count: int
) -> dict[int, list[tuple[int, float]]]:
    """Slow, obviously correct SIMS scores (no percentile filter, no cap), for tests.

    Returns:
        item -> [(neighbour, score)] best first, ties by lower code.

    """
    users_of: dict[int, set[int]] = {}
    for user, item in zip(
        interactions.user_codes.tolist(), interactions.item_codes.tolist(), strict=True
    ):
        users_of.setdefault(item, set()).add(user)
    result: dict[int, list[tuple[int, float]]] = {}
    for item, users in users_of.items():
        pairs = []
        for other, other_users in users_of.items():
            common = len(users & other_users)
            if other != item and common >= max(1, min_cointeraction_count):
                pairs.append((other, common / len(other_users) ** popularity_discount_factor))
        result[item] = sorted(pairs, key=lambda pair: (-pair[1], pair[0]))
    return result


def metadata_cosine_rows(features: sp.csr_matrix) -> sp.csr_matrix:
    """IDF-weighted, L2-normalised item feature rows: float32 CSR (n_items, n_features)."""
    features = features.tocsr().astype(np.float32)
    document_frequency = np.diff(features.tocsc().indptr).astype(np.float64)
    idf = np.log((1.0 + features.shape[0]) / (1.0 + document_frequency)) + 1.0
    weighted = features.multiply(idf[np.newaxis, :].astype(np.float32)).tocsr()
    norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
    inverse = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
    return sp.diags(inverse.astype(np.float32)) @ weighted


def fit_similar_items(
    interactions: Interactions,
    item_features: sp.csr_matrix | None = None,
    *,
    item_id_hidden_dim: int = 100,
    item_metadata_hidden_dim: int = 100,
    max_neighbours: int = 100,
) -> RelatedItemsModel:
    """Fit Similar-Items: co-occurrence cosine blended with item-metadata cosine.

    Args:
        interactions: training events.
        item_features: float32 CSR (n_items, n_features) multi-hot categorical metadata (see
            ``item_features.categorical_feature_matrix``), or None for co-occurrence only.
        item_id_hidden_dim: weight share of co-occurrence (see the module docstring).
        item_metadata_hidden_dim: weight share of metadata.
        max_neighbours: neighbours stored per item.

    Returns:
        The model.

    """
    binary = interaction_matrix(interactions, np.ones(len(interactions), np.float32))
    popularity = np.diff(binary.tocsc().indptr).astype(np.float32)
    counts = cooccurrence_counts(binary)
    inverse_root = np.divide(
        1.0, np.sqrt(popularity), out=np.zeros_like(popularity), where=popularity > 0
    )
    cosine = (sp.diags(inverse_root) @ counts @ sp.diags(inverse_root)).tocsr()
    has_metadata = item_features is not None and item_features.shape[1] > 0
    rho = item_metadata_hidden_dim / (item_id_hidden_dim + item_metadata_hidden_dim)
    rho = rho if has_metadata else 0.0
    n_items = interactions.n_items
    if not has_metadata:
        indptr, codes, values = top_neighbours(cosine, max_neighbours)
    else:
        rows = metadata_cosine_rows(item_features)
        block = max(1, _BLOCK_CELLS // max(n_items, 1))
        parts = []
        for start in range(0, n_items, block):
            end = min(start + block, n_items)
            dense = (1.0 - rho) * cosine[start:end].toarray()
            dense += rho * (rows[start:end] @ rows.T).toarray()
            dense[np.arange(end - start), np.arange(start, end)] = -np.inf
            picked, picked_scores = top_k_rows(dense, max_neighbours)
            valid = picked_scores > 0
            parts.append(
                sp.csr_matrix(
                    (picked_scores[valid], (np.nonzero(valid)[0], picked[valid])),
                    shape=(end - start, n_items),
                )
            )
        indptr, codes, values = top_neighbours(sp.vstack(parts).tocsr(), max_neighbours)
    hyperparameters = {
        "item_id_hidden_dim": int(item_id_hidden_dim),
        "item_metadata_hidden_dim": int(item_metadata_hidden_dim),
        "metadata_weight": float(rho),
        "max_neighbours": int(max_neighbours),
    }
    return RelatedItemsModel(
        "aws-similar-items", hyperparameters, indptr, codes, values, popularity
    )


def related(
    model: RelatedItemsModel,
    item_codes: np.ndarray,
    k: int,
    *,
    excluded: sp.csr_matrix | None = None,
    candidate_mask: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Related items for each query item, neighbours first, then popular items.

    Args:
        model: a fitted model.
        item_codes: int (b,) query items; -1 (unknown) gets popular items only.
        k: items per query.
        excluded: CSR (b, n_items) items to leave out per query (e.g. the user's history), or
            None. The query item itself is always left out.
        candidate_mask: bool (n_items,) or (b, n_items) of allowed items, or None.

    Returns:
        ``(codes, scores)``: int32 (b, k) padded with -1; float32 (b, k) similarity scores, 0.0
        for popular fill-ins, NaN for padding.

    """
    queries = np.asarray(item_codes, np.int64).reshape(-1)
    popularity = model.item_popularity
    top = float(popularity.max()) if popularity.size else 0.0
    fill = (popularity / top if top > 0 else popularity * 0) - 2.0
    scores = np.tile(fill.astype(np.float32), (queries.shape[0], 1))
    for row, item in enumerate(queries.tolist()):
        if 0 <= item < model.n_items:
            start, end = model.neighbour_indptr[item], model.neighbour_indptr[item + 1]
            scores[row, model.neighbour_codes[start:end]] = model.neighbour_scores[start:end]
            scores[row, item] = -np.inf
    codes, top_scores = top_k_rows(scores, k, excluded, candidate_mask)
    top_scores[top_scores < 0] = 0.0
    return codes, top_scores
