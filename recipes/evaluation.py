"""GetSolutionMetrics: score a fitted model on the AWS evaluation split (spec §7).

The split and the metric definitions live in ``recipes.metrics`` and are re-exported here.
Recommendations come from each recipe's own serving function (``personalization.recommend``,
``popularity.recommend_popular``, ``related_items.related``) with the user's history excluded,
so the metrics measure what is served.
"""

from __future__ import annotations

import numpy as np

from recipes.histories import Histories, history_matrix
from recipes.metrics import (
    CUTOFFS,
    LIST_LENGTH,
    METRIC_KEYS,
    EvaluationSplit,
    aws_split,
    ranking_metrics,
    ranking_metrics_reference,
)
from recipes.personalization import PersonalizationModel, recommend
from recipes.popularity import PopularityModel, recommend_popular
from recipes.related_items import RelatedItemsModel, related

__all__ = [
    "CUTOFFS",
    "METRIC_KEYS",
    "EvaluationSplit",
    "Model",
    "aws_split",
    "evaluate",
    "ranking_metrics",
    "ranking_metrics_reference",
    "recommend_for_evaluation",
]

Model = PersonalizationModel | PopularityModel | RelatedItemsModel
_ROWS_PER_BATCH = 1024


def recommend_for_evaluation(model: Model, histories: Histories, k: int) -> np.ndarray:
    """Top-k codes per history from the model's own serving function, history excluded.

    Args:
        model: a fitted personalization, popularity or related-items model.
        histories: b histories.
        k: list length.

    Returns:
        int32 (b, k) item codes, -1 padded. Related-items models answer for the newest known
        item of each history.

    Raises:
        TypeError: unknown model type.

    """
    rows = []
    for start in range(0, histories.n_rows, _ROWS_PER_BATCH):
        batch = histories.rows(np.arange(start, min(start + _ROWS_PER_BATCH, histories.n_rows)))
        if isinstance(model, PersonalizationModel):
            codes, _ = recommend(model, batch, k, exclude_history=True)
        elif isinstance(model, PopularityModel):
            seen = history_matrix(batch, model.n_items)
            codes, _ = recommend_popular(model, k, excluded=seen)
        elif isinstance(model, RelatedItemsModel):
            seen = history_matrix(batch, model.n_items)
            codes, _ = related(model, _newest_known_items(batch, model.n_items), k, excluded=seen)
        else:
            raise TypeError(f"cannot evaluate a {type(model).__name__}")
        rows.append(codes)
    return np.concatenate(rows) if rows else np.zeros((0, k), np.int32)


def _newest_known_items(histories: Histories, n_items: int) -> np.ndarray:
    newest = np.full(histories.n_rows, -1, np.int64)
    for row in range(histories.n_rows):
        codes = histories.row(row)
        known = codes[(codes >= 0) & (codes < n_items)]
        if known.size:
            newest[row] = known[-1]
    return newest


def evaluate(model: Model, split: EvaluationSplit) -> dict[str, float]:
    """GetSolutionMetrics for a model fitted on ``split.train``.

    Args:
        model: the fitted model.
        split: the split it was fitted on.

    Returns:
        ``{key: float}`` for every key of :data:`METRIC_KEYS`.

    """
    lists = recommend_for_evaluation(model, split.test_histories, LIST_LENGTH)
    return ranking_metrics(lists, split.test_relevant, model.n_items)
