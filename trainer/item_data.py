"""A solution's item data: the Items dataset and the per-item arrays training reads from it.

The Items dataset is its imported rows, each replaced by the PutItems record with its id when
there is one. Training turns it into arrays by item code: creation timestamps, item features
(categorical multi-hot, or term counts for ``aws-semantic-similarity``) and the optimization
objective's rewards. Batch jobs read the same table for their filters.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import scipy.sparse as sp

from domain.dataset_schema import DatasetSchema
from domain.errors import InvalidInputException
from recipes.item_features import categorical_feature_matrix
from recipes.semantic_similarity import RECIPE as SEMANTIC_SIMILARITY
from recipes.semantic_similarity import item_term_counts
from storage.data import SegmentStore
from storage.metadata.store import SqlMetadataStore
from storage.streamed.training_tables import read_streamed_records
from trainer.dataset_reader import dataset_schema, read_dataset


def items_table(store: SqlMetadataStore, segments: SegmentStore, dataset_arn: str) -> pa.Table:
    """The Items dataset: imported rows, replaced by PutItems records with the same id."""
    schema = dataset_schema(store, dataset_arn)
    bulk = read_dataset(store, segments, dataset_arn)
    streamed = read_streamed_records(store, dataset_arn, schema=schema)
    if streamed.num_rows:
        replaced = pc.is_in(bulk["ITEM_ID"], value_set=streamed["ITEM_ID"].combine_chunks())
        bulk = bulk.filter(pc.invert(replaced))
        streamed = streamed.select(bulk.column_names).cast(bulk.schema)
        bulk = pa.concat_tables([bulk, streamed])
    return bulk


def item_arrays(
    items: pa.Table,
    items_schema: DatasetSchema,
    item_codes: np.ndarray,
    n_items: int,
    *,
    excluded_item_columns: frozenset[str] = frozenset(),
    objective_column: str | None = None,
    text_features: bool = False,
) -> tuple[np.ndarray | None, sp.csr_matrix | None, np.ndarray | None]:
    """The per-item arrays training uses, by item code.

    Args:
        items: The Items dataset (one row per item, at least one row).
        items_schema: Its schema.
        item_codes: int (items.num_rows,) the item code of each row of ``items``.
        n_items: Items in the catalogue (codes run 0..n_items-1).
        excluded_item_columns: Items columns not to use as features.
        objective_column: The ``optimizationObjective.itemAttribute`` column (read for the
            rewards even when excluded from training).
        text_features: Make the features the term counts of the items' text and categorical
            values (``aws-semantic-similarity``) instead of the categorical multi-hot matrix.

    Returns:
        ``(created, features, rewards)``: int64 (n_items,) CREATION_TIMESTAMP (-1 unknown) or
        None; a sparse (n_items, n_features) feature matrix or None; float64 (n_items,) rewards
        (NaN unknown) or None.

    Raises:
        InvalidInputException: ``objective_column`` is not a numeric column of the schema.

    """
    position = np.full(n_items, -1, np.int64)
    position[item_codes] = np.arange(items.num_rows)
    taken = pa.array(position, mask=position < 0)

    def by_code(name: str) -> pa.Array:
        return items[name].combine_chunks().take(taken)

    created, features, rewards = None, None, None
    used = {f.name: f for f in items_schema.fields if f.name not in excluded_item_columns}
    if "CREATION_TIMESTAMP" in used:
        stamps = pc.cast(by_code("CREATION_TIMESTAMP"), pa.int64())
        created = pc.fill_null(stamps, -1).to_numpy(zero_copy_only=False)
    categorical = {n: by_code(n) for n, f in used.items() if f.categorical}
    if text_features:
        text = {n: by_code(n) for n, f in used.items() if f.textual or f.item_name}
        features, _ = item_term_counts(text, categorical, n_items)
    elif categorical:
        features, _ = categorical_feature_matrix(categorical, n_items)
    if objective_column is not None:
        rewards = item_rewards(items_schema, objective_column, by_code)
    return created, features, rewards


def item_rewards(
    items_schema: DatasetSchema, column: str, by_code: Callable[[str], pa.Array]
) -> np.ndarray:
    """float64 (n_items,) the objective column by item code, NaN where unknown.

    Raises:
        InvalidInputException: the Items schema has no numeric column of that name.

    """
    field = items_schema.field(column)
    if field is None or field.base_type not in ("int", "long", "float", "double"):
        raise InvalidInputException(
            f"solutionConfig.optimizationObjective.itemAttribute: the Items dataset has no "
            f"numeric column {column!r}"
        )
    values = pc.cast(by_code(column), pa.float64())
    return pc.fill_null(values, np.nan).to_numpy(zero_copy_only=False)


def require_item_text(
    schema: DatasetSchema | None, excluded: frozenset[str], dataset_group_arn: str
) -> None:
    """aws-semantic-similarity needs an Items dataset with a textual field it may use.

    Raises:
        InvalidInputException: there is no Items dataset, or no textual field left to use.

    """
    if schema is None:
        raise InvalidInputException(
            f"{SEMANTIC_SIMILARITY} needs an Items dataset; dataset group {dataset_group_arn} "
            "has none"
        )
    if not any(f.textual and f.name not in excluded for f in schema.fields):
        raise InvalidInputException(
            f"{SEMANTIC_SIMILARITY} needs a textual field in the Items schema (one not excluded "
            "by trainingDataConfig)"
        )
