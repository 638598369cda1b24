"""Popularity-Count and Trending-Now: one ranked list of items for everybody.

Popularity-Count ranks items by distinct users. Trending-Now ranks items by the growth of their
interaction count between the two latest ``trend_discovery_frequency`` windows; items that did not
grow follow in popularity order (so with no recent interactions at all it is Popularity-Count).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp

from recipes.interactions import Interactions, interaction_matrix
from recipes.top_k import top_k_rows

#: ``trend_discovery_frequency`` values (the catalogue's) in seconds.
TREND_WINDOW_SECONDS = {
    "30 minutes": 1_800,
    "1 hour": 3_600,
    "2 hours": 7_200,
    "3 hours": 10_800,
    "1 day": 86_400,
}


@dataclass(frozen=True)
class PopularityModel:
    """A fitted popular-items model.

    Attributes:
        recipe: ``aws-popularity-count`` or ``aws-trending-now``.
        hyperparameters: typed values used (JSON-serialisable).
        item_scores: float32 (n_items,); higher ranks first.
        item_popularity: float32 (n_items,) distinct users per item.

    """

    recipe: str
    hyperparameters: dict[str, Any]
    item_scores: np.ndarray = field(repr=False)
    item_popularity: np.ndarray = field(repr=False)

    @property
    def n_items(self) -> int:
        """Catalogue size."""
        return int(self.item_scores.shape[0])


def distinct_users_per_item(interactions: Interactions) -> np.ndarray:
    """float32 (n_items,): number of distinct users who interacted with each item."""
    ones = np.ones(len(interactions), np.float32)
    return np.diff(interaction_matrix(interactions, ones).tocsc().indptr).astype(np.float32)


def fit_popularity_count(interactions: Interactions) -> PopularityModel:
    """Fit Popularity-Count: items by distinct users.

    Args:
        interactions: training events.

    Returns:
        The model; ``item_scores`` are the distinct-user counts.

    """
    popularity = distinct_users_per_item(interactions)
    return PopularityModel("aws-popularity-count", {}, popularity, popularity)


def trend_growth(
    interactions: Interactions, window_seconds: int, now: int | None = None
) -> np.ndarray:
    """Interactions per item in the latest window minus those in the window before.

    Windows are ``(now - w, now]`` and ``(now - 2w, now - w]``.

    Args:
        interactions: events.
        window_seconds: window length w.
        now: end of the latest window; None means the latest event time.

    Returns:
        float32 (n_items,) growth (may be negative).

    """
    if len(interactions) == 0:
        return np.zeros(interactions.n_items, np.float32)
    end = int(interactions.timestamps.max()) if now is None else int(now)
    age = end - interactions.timestamps
    latest = (age >= 0) & (age < window_seconds)
    previous = (age >= window_seconds) & (age < 2 * window_seconds)
    n_items = interactions.n_items
    growth = np.bincount(interactions.item_codes[latest], minlength=n_items).astype(np.float32)
    growth -= np.bincount(interactions.item_codes[previous], minlength=n_items)
    return growth


def fit_trending_now(
    interactions: Interactions,
    trend_discovery_frequency: str = "2 hours",
    now: int | None = None,
) -> PopularityModel:
    """Fit Trending-Now.

    Args:
        interactions: events (bulk and streamed).
        trend_discovery_frequency: one of :data:`TREND_WINDOW_SECONDS`.
        now: end of the latest window; None means the latest event time.

    Returns:
        The model; ``item_scores`` = positive growth + popularity / (2 max popularity), so
        growing items come first by growth and the rest by popularity.

    Raises:
        ValueError: unknown ``trend_discovery_frequency``.

    """
    if trend_discovery_frequency not in TREND_WINDOW_SECONDS:
        raise ValueError(
            f"unknown trend_discovery_frequency {trend_discovery_frequency!r}; expected one of "
            f"{', '.join(TREND_WINDOW_SECONDS)}"
        )
    window = TREND_WINDOW_SECONDS[trend_discovery_frequency]
    growth = np.maximum(trend_growth(interactions, window, now), 0.0)
    popularity = distinct_users_per_item(interactions)
    top = float(popularity.max()) if popularity.size else 0.0
    scores = growth + (popularity / (2.0 * top) if top > 0 else 0.0)
    hyperparameters = {"trend_discovery_frequency": trend_discovery_frequency}
    return PopularityModel(
        "aws-trending-now", hyperparameters, scores.astype(np.float32), popularity
    )


def recommend_popular(
    model: PopularityModel,
    k: int,
    *,
    n_rows: int = 1,
    excluded: sp.csr_matrix | None = None,
    candidate_mask: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Top-k items, the same ranking for every row, minus each row's exclusions.

    Args:
        model: a fitted model.
        k: items per row.
        n_rows: rows to answer (b).
        excluded: CSR (b, n_items) of items to leave out per row (e.g. the user's history), or
            None to exclude nothing.
        candidate_mask: bool (n_items,) or (b, n_items) of allowed items, or None.

    Returns:
        ``(codes, scores)``: int32 (b, k) padded with -1, float32 (b, k) padded with NaN.

    """
    rows = excluded.shape[0] if excluded is not None else n_rows
    scores = np.broadcast_to(model.item_scores, (rows, model.n_items))
    return top_k_rows(scores, k, excluded, candidate_mask)
