"""Categorical item metadata as a multi-hot matrix (Similar-Items, Item-Attribute-Affinity).

A categorical column holds one value per item, or several separated by ``|`` (the Personalize
convention, e.g. ``Comedy|Drama``). Each distinct ``column=value`` becomes one feature.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import scipy.sparse as sp

from recipes.interactions import lookup_codes


def categorical_feature_matrix(
    columns: Mapping[str, Sequence[str | None] | np.ndarray | pa.Array],
    n_items: int,
    separator: str = "|",
) -> tuple[sp.csr_matrix, np.ndarray]:
    """Multi-hot encode categorical item columns.

    Args:
        columns: column name -> (n_items,) values by item code; None/empty means no value.
        n_items: number of items (rows).
        separator: splits a multi-valued cell.

    Returns:
        ``(features, names)``: float32 CSR (n_items, n_features) of 0/1, and (n_features,)
        unicode names ``"column=value"`` (the vocabulary, needed to query an attribute).

    Raises:
        ValueError: a column's length is not ``n_items``.

    """
    row_parts: list[np.ndarray] = []
    name_parts: list[np.ndarray] = []
    for column, values in columns.items():
        array = pa.array(list(values)) if not isinstance(values, pa.Array) else values
        if len(array) != n_items:
            raise ValueError(f"column {column!r} has {len(array)} values for {n_items} items")
        array = pc.cast(array, pa.string())
        split = pc.split_pattern(array.fill_null(""), pattern=separator)
        lengths = pc.list_value_length(split).to_numpy(zero_copy_only=False)
        flat = pc.utf8_trim_whitespace(pc.list_flatten(split))
        rows = np.repeat(np.arange(n_items, dtype=np.int64), lengths)
        present = pc.not_equal(flat, "").to_numpy(zero_copy_only=False)
        row_parts.append(rows[present])
        name_parts.append(np.char.add(f"{column}=", np.asarray(flat.to_pylist(), dtype=str)))
        name_parts[-1] = name_parts[-1][present]
    if not row_parts:
        return sp.csr_matrix((n_items, 0), dtype=np.float32), np.zeros(0, dtype=str)
    rows = np.concatenate(row_parts)
    names = np.concatenate(name_parts)
    codes = pc.dictionary_encode(pa.array(names.tolist(), type=pa.string()))
    feature_codes = codes.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    vocabulary = np.asarray(codes.dictionary.to_pylist(), dtype=str)
    matrix = sp.csr_matrix(
        (np.ones(rows.shape[0], np.float32), (rows, feature_codes)),
        shape=(n_items, vocabulary.shape[0]),
    )
    matrix.sum_duplicates()
    matrix.data[:] = 1.0
    return matrix, vocabulary


def items_with_features(
    features: sp.csr_matrix, feature_names: np.ndarray, wanted: Sequence[str]
) -> np.ndarray:
    """Item codes having any of the named features (Item-Attribute-Affinity queries).

    Args:
        features: float32 CSR (n_items, n_features) from :func:`categorical_feature_matrix`.
        feature_names: (n_features,) unicode vocabulary.
        wanted: names ``"column=value"``; unknown names are ignored.

    Returns:
        int32 (m,) sorted item codes.

    """
    columns = lookup_codes(list(wanted), feature_names)
    columns = columns[columns >= 0]
    if columns.size == 0:
        return np.zeros(0, np.int32)
    hits = np.asarray(features.tocsc()[:, columns].sum(axis=1)).ravel()
    return np.flatnonzero(hits > 0).astype(np.int32)
