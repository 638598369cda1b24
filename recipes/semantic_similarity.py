"""Semantic-Similarity: related items from what the items' text says (an offline approximation).

AWS embeds each item's text with a large language model and returns the nearest items. Tailor
runs with no model download and no network, so it approximates meaning by shared vocabulary:

* Terms: the words of the Items dataset's ``textual`` and ``itemName`` fields (lower-cased, HTML
  tags and entities removed, split on anything that is not a letter or digit, one-character
  words dropped), plus each ``categorical`` value as a ``COLUMN=value`` term.
* Weights: TF-IDF, ``(1 + ln tf) * ln((1 + n) / (1 + df))``: a term every item has weighs 0, so
  common words ("the", "and") do not make items similar; rows are L2-normalised. Terms found in
  more than ``MAX_DOCUMENT_SHARE`` (5%) of the items, and in more than ``MIN_DROPPED_DF`` (100)
  items, are dropped: their weight is low (IDF under ln 20) and each would make about df^2 item
  pairs similar, turning the sparse similarity product dense on large catalogues.
* Neighbours: the ``max_neighbours`` items of highest cosine similarity (positive only), best
  first, ties to the lower code.

What it cannot do that an embedding does: see synonyms or paraphrases ("film" vs "movie"), and
split Chinese or Japanese text into words (a run of such characters is one term). Items without
text get no neighbours; like every related-items model, lists are filled with popular items (by
distinct users in the interactions), which is also the answer for an unknown item.

The model is a ``RelatedItemsModel`` (recipe ``aws-semantic-similarity``), saved and served
exactly like SIMS and Similar-Items.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import scipy.sparse as sp

from recipes.interactions import Interactions, interaction_matrix
from recipes.item_features import categorical_feature_matrix
from recipes.related_items import RelatedItemsModel, top_neighbours

RECIPE = "aws-semantic-similarity"
_TAG = r"<[^>]*>"
_ENTITY = r"&(#[0-9]+|#x[0-9a-f]+|[a-z][a-z0-9]*);"
_WORD_SEPARATOR = r"[^\p{L}\p{N}]+"
#: Similarity cells computed at once (bounds the memory of one block's sparse product).
_CELLS_PER_BLOCK = 1 << 22
MAX_DOCUMENT_SHARE = 0.05
MIN_DROPPED_DF = 100


def text_terms(column: pa.Array | pa.ChunkedArray) -> tuple[np.ndarray, pa.Array]:
    """Split text cells into words.

    Args:
        column: string (n_items,) text by item code; null means no text.

    Returns:
        ``(rows, words)``: int64 (m,) the item of each word, and string (m,) the words, in
        order.

    """
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    text = pc.utf8_lower(pc.fill_null(pc.cast(column, pa.string()), ""))
    text = pc.replace_substring_regex(text, _TAG, " ")
    text = pc.replace_substring_regex(text, _ENTITY, " ")
    words = pc.split_pattern_regex(text, _WORD_SEPARATOR)
    lengths = pc.list_value_length(words).to_numpy(zero_copy_only=False)
    rows = np.repeat(np.arange(len(column), dtype=np.int64), lengths)
    flat = pc.list_flatten(words)
    keep = pc.greater_equal(pc.utf8_length(flat), 2)
    return rows[keep.to_numpy(zero_copy_only=False)], flat.filter(keep)


def item_term_counts(
    text_columns: Mapping[str, pa.Array | pa.ChunkedArray],
    categorical_columns: Mapping[str, pa.Array | pa.ChunkedArray],
    n_items: int,
) -> tuple[sp.csr_matrix, np.ndarray]:
    """Count each item's terms: the words of its text fields and its categorical values.

    Args:
        text_columns: column name -> string (n_items,) by item code (textual, itemName).
        categorical_columns: column name -> string (n_items,) ``|``-separated values.
        n_items: number of items (rows).

    Returns:
        ``(counts, terms)``: float32 CSR (n_items, n_terms) term counts (words of all text
        fields share one vocabulary), and (n_terms,) unicode term names.

    Raises:
        ValueError: a column's length is not ``n_items``.

    """
    parts: list[tuple[np.ndarray, pa.Array]] = []
    for name, column in text_columns.items():
        if len(column) != n_items:
            raise ValueError(f"column {name!r} has {len(column)} values for {n_items} items")
        parts.append(text_terms(column))
    if parts:
        rows = np.concatenate([p[0] for p in parts])
        words = pa.concat_arrays([p[1] for p in parts]) if rows.size else pa.array([], pa.string())
        encoded = pc.dictionary_encode(words)
        columns = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
        vocabulary = np.asarray(encoded.dictionary.to_pylist(), dtype=str)
        counts = sp.csr_matrix(
            (np.ones(rows.size, np.float32), (rows, columns)), shape=(n_items, vocabulary.size)
        )
        counts.sum_duplicates()
    else:
        counts, vocabulary = sp.csr_matrix((n_items, 0), dtype=np.float32), np.zeros(0, str)
    categorical, names = categorical_feature_matrix(dict(categorical_columns), n_items)
    both = sp.hstack([counts, categorical], format="csr", dtype=np.float32)
    return both, np.concatenate([vocabulary, names]).astype(str)


def tfidf_rows(counts: sp.csr_matrix) -> sp.csr_matrix:
    """TF-IDF weighted, L2-normalised rows (see the module docstring).

    Args:
        counts: float32 CSR (n_items, n_terms) term counts.

    Returns:
        float32 CSR (n_items, n_terms); all-zero rows stay zero.

    """
    counts = sp.csr_matrix(counts, dtype=np.float32)
    counts.eliminate_zeros()
    n_items = counts.shape[0]
    document_frequency = np.bincount(counts.indices, minlength=counts.shape[1])
    idf = np.log((1.0 + n_items) / (1.0 + document_frequency)).astype(np.float32)
    idf[document_frequency > max(MIN_DROPPED_DF, MAX_DOCUMENT_SHARE * n_items)] = 0.0
    weighted = counts.copy()
    weighted.data = (1.0 + np.log(weighted.data)) * idf[weighted.indices]
    norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
    inverse = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
    normalised = (sp.diags(inverse.astype(np.float32)) @ weighted).tocsr()
    normalised.eliminate_zeros()
    return normalised


def fit_semantic_similarity(
    interactions: Interactions,
    item_terms: sp.csr_matrix | None,
    *,
    max_neighbours: int = 100,
) -> RelatedItemsModel:
    """Fit Semantic-Similarity: each item's nearest items by TF-IDF cosine.

    Args:
        interactions: training events (only for the popular-items fill-in).
        item_terms: float32 CSR (n_items, n_terms) term counts (:func:`item_term_counts`), or
            None (then no item has neighbours).
        max_neighbours: neighbours stored per item.

    Returns:
        The model.

    Raises:
        ValueError: ``item_terms`` has a row count other than ``interactions.n_items``.

    """
    n_items = interactions.n_items
    if item_terms is None:
        item_terms = sp.csr_matrix((n_items, 0), dtype=np.float32)
    if item_terms.shape[0] != n_items:
        raise ValueError(f"item_terms has {item_terms.shape[0]} rows for {n_items} items")
    binary = interaction_matrix(interactions, np.ones(len(interactions), np.float32))
    popularity = np.diff(binary.tocsc().indptr).astype(np.float32)
    rows = tfidf_rows(item_terms)
    columns = rows.T.tocsr()
    indptr_parts, code_parts, score_parts = [np.zeros(1, np.int64)], [], []
    for start, end in _blocks(rows):
        similarity = (rows[start:end] @ columns).tocsr()
        # Drop each item's similarity to itself (cells (r, start + r)).
        cell_rows = np.repeat(np.arange(end - start), np.diff(similarity.indptr))
        similarity.data[similarity.indices == cell_rows + start] = 0.0
        indptr, codes, scores = top_neighbours(similarity, max_neighbours)
        indptr_parts.append(indptr[1:] + indptr_parts[-1][-1])
        code_parts.append(codes)
        score_parts.append(scores)
    indptr = np.concatenate(indptr_parts)
    codes = np.concatenate(code_parts) if code_parts else np.zeros(0, np.int32)
    scores = np.concatenate(score_parts) if score_parts else np.zeros(0, np.float32)
    hyperparameters = {"max_neighbours": int(max_neighbours), "n_terms": int(rows.shape[1])}
    return RelatedItemsModel(RECIPE, hyperparameters, indptr, codes, scores, popularity)


def _blocks(rows: sp.csr_matrix) -> list[tuple[int, int]]:
    """Row ranges whose similarity products have about ``_CELLS_PER_BLOCK`` cells or fewer.

    A row's product has at most the sum, over its terms, of the items having the term; a row
    above the budget on its own gets a block of its own.
    """
    n_items = rows.shape[0]
    if n_items == 0:
        return []
    reach = rows.copy()
    reach.data = np.bincount(rows.indices, minlength=rows.shape[1])[rows.indices].astype(np.float64)
    cumulative = np.cumsum(np.asarray(reach.sum(axis=1)).ravel())
    budgets = np.arange(1, int(cumulative[-1]) // _CELLS_PER_BLOCK + 1) * _CELLS_PER_BLOCK
    edges = np.unique(np.r_[0, np.searchsorted(cumulative, budgets, side="right"), n_items])
    return list(zip(edges[:-1].tolist(), edges[1:].tolist(), strict=True))


def fit_semantic_similarity_reference(
    item_terms: sp.csr_matrix,
) -> dict[int, list[tuple[int, float]]]:
    """Slow, obviously correct neighbours (dense TF-IDF, pairwise cosine), for tests.

    Returns:
        item -> [(neighbour, cosine)] with positive cosine, best first, ties by lower code.

    """
    counts = np.asarray(sp.csr_matrix(item_terms).todense(), np.float64)
    n_items = counts.shape[0]
    document_frequency = (counts > 0).sum(axis=0)
    idf = np.log((1.0 + n_items) / (1.0 + document_frequency))
    idf[document_frequency > max(MIN_DROPPED_DF, MAX_DOCUMENT_SHARE * n_items)] = 0.0
    tfidf = np.where(counts > 0, 1.0 + np.log(np.where(counts > 0, counts, 1.0)), 0.0) * idf
    result = {}
    for item in range(n_items):
        pairs = []
        for other in range(n_items):
            norm = np.linalg.norm(tfidf[item]) * np.linalg.norm(tfidf[other])
            cosine = float(tfidf[item] @ tfidf[other] / norm) if norm > 0 else 0.0
            if other != item and cosine > 1e-6:
                pairs.append((other, cosine))
        result[item] = sorted(pairs, key=lambda pair: (-pair[1], pair[0]))
    return result
