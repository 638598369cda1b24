"""A grown catalogue laid out after a fitted model's, so that known items keep their codes.

``trainingMode=UPDATE`` (``recipes.model_update``) refreshes a model whose arrays are indexed by
its own item codes; the current training data encodes items in order of first appearance. The
alignment puts the model's items first, in their order, and the new ones after them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from recipes.interactions import Interactions, lookup_codes


@dataclass(frozen=True)
class CatalogueAlignment:
    """A new catalogue laid out after a model's: known items keep their codes.

    Attributes:
        item_ids: unicode (n_known + n_new,) the model's items, then the new ones.
        codes: int32 (n,) code in ``item_ids`` of each id of the catalogue that was aligned.
        n_known: number of the model's items (codes below it are the model's).

    """

    item_ids: np.ndarray
    codes: np.ndarray
    n_known: int


def align_catalogue(known_item_ids: np.ndarray, item_ids: np.ndarray) -> CatalogueAlignment:
    """Lay ``item_ids`` out after ``known_item_ids`` (new ids in their order of ``item_ids``).

    Args:
        known_item_ids: unicode (n_known,) the base model's item index.
        item_ids: unicode (n,) the current training data's item index.

    Returns:
        The combined index and the code of each of ``item_ids`` in it.

    """
    known = np.asarray(known_item_ids, dtype=str)
    codes = lookup_codes(np.asarray(item_ids, dtype=str), known).astype(np.int64)
    new = codes < 0
    codes[new] = known.shape[0] + np.arange(int(new.sum()))
    combined = np.concatenate([known, np.asarray(item_ids, dtype=str)[new]])
    return CatalogueAlignment(combined, codes.astype(np.int32), int(known.shape[0]))


def realign_interactions(events: Interactions, alignment: CatalogueAlignment) -> Interactions:
    """``events`` with item codes of the aligned catalogue (``alignment.item_ids``)."""
    return Interactions(
        events.user_codes,
        alignment.codes[events.item_codes],
        events.timestamps,
        events.weights,
        events.n_users,
        int(alignment.item_ids.shape[0]),
    )


def realign_item_values(
    values: np.ndarray | None, alignment: CatalogueAlignment, fill: int
) -> np.ndarray | None:
    """Per-item values (n,) of the training catalogue as (n_known + n_new,), ``fill`` elsewhere."""
    if values is None:
        return None
    out = np.full(alignment.item_ids.shape[0], fill, dtype=np.asarray(values).dtype)
    out[alignment.codes] = values
    return out
