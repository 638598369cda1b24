"""One entry point from a recipe name and its API hyperparameters to a fitted model.

Hyperparameters arrive as the API's strings (``{"hidden_dimension": "149", "recency_mask":
"true"}``), already validated and defaulted by ``domain.hyperparameters``; typed values are also
accepted. Domain (recommender) recipes map onto the custom recipe doing the same job.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import scipy.sparse as sp

from recipes.interactions import Interactions
from recipes.personalization import PersonalizationOptions, fit_personalization
from recipes.popularity import fit_popularity_count, fit_trending_now
from recipes.related_items import fit_similar_items, fit_sims
from recipes.semantic_similarity import fit_semantic_similarity

#: Recipe name -> the fitting family that serves it.
RECIPE_FAMILIES = {
    "aws-user-personalization": "personalization",
    "aws-user-personalization-v2": "personalization",
    "aws-personalized-ranking": "personalization",
    "aws-personalized-ranking-v2": "personalization",
    "aws-item-affinity": "personalization",
    "aws-item-attribute-affinity": "personalization",
    "aws-hrnn": "personalization",
    "aws-hrnn-metadata": "personalization",
    "aws-hrnn-coldstart": "personalization",
    "aws-ecomm-recommended-for-you": "personalization",
    "aws-vod-top-picks": "personalization",
    "aws-popularity-count": "popularity-count",
    "aws-ecomm-popular-items-by-purchases": "popularity-count",
    "aws-ecomm-popular-items-by-views": "popularity-count",
    "aws-vod-most-popular": "popularity-count",
    "aws-trending-now": "trending-now",
    "aws-vod-trending-now": "trending-now",
    "aws-sims": "sims",
    "aws-ecomm-customers-who-viewed-x-also-viewed": "sims",
    "aws-ecomm-frequently-bought-together": "sims",
    "aws-vod-because-you-watched-x": "sims",
    "aws-similar-items": "similar-items",
    "aws-vod-more-like-x": "similar-items",
    "aws-semantic-similarity": "semantic-similarity",
}


def _bare(hyperparameters: Mapping[str, Any]) -> dict[str, Any]:
    """Drop AWS's ``training.`` / ``data.`` style prefixes from names."""
    return {name.rsplit(".", 1)[-1]: value for name, value in hyperparameters.items()}


def _as_bool(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() == "true"
    return bool(value)


def fit_recipe(
    recipe: str,
    interactions: Interactions,
    hyperparameters: Mapping[str, Any] | None = None,
    *,
    item_features: sp.csr_matrix | None = None,
    item_creation_timestamps: np.ndarray | None = None,
    options: PersonalizationOptions | None = None,
    now: int | None = None,
):
    """Fit the model of ``recipe``.

    Args:
        recipe: recipe name (a key of :data:`RECIPE_FAMILIES`).
        interactions: training events.
        hyperparameters: name -> value (API strings or typed); missing ones take the recipe
            defaults.
        item_features: float32 CSR (n_items, n_features): categorical metadata for
            Similar-Items; term counts of the item text (``semantic_similarity.item_term_counts``)
            for Semantic-Similarity.
        item_creation_timestamps: int64 (n_items,) creation times, negative = unknown
            (exploration in personalization recipes).
        options: Tailor's own personalization knobs; None uses the defaults.
        now: end of Trending-Now's latest window; None means the latest event.

    Returns:
        A ``PersonalizationModel``, ``PopularityModel`` or ``RelatedItemsModel``.

    Raises:
        ValueError: the recipe has no implementation here (e.g. aws-next-best-action).

    """
    family = RECIPE_FAMILIES.get(recipe)
    values = _bare(hyperparameters or {})
    if family == "personalization":
        recency = values.get("recency_mask", values.get("apply_recency_bias", "true"))
        return fit_personalization(
            interactions,
            recipe=recipe,
            hidden_dimension=int(values.get("hidden_dimension", 149)),
            bptt=int(values.get("bptt", 32)),
            recency_mask=_as_bool(recency),
            min_user_history_length_percentile=float(
                values.get("min_user_history_length_percentile", 0.0)
            ),
            max_user_history_length_percentile=float(
                values.get("max_user_history_length_percentile", 0.99)
            ),
            item_creation_timestamps=item_creation_timestamps,
            options=options,
        )
    if family == "popularity-count":
        return fit_popularity_count(interactions)
    if family == "trending-now":
        frequency = str(values.get("trend_discovery_frequency", "2 hours"))
        return fit_trending_now(interactions, frequency, now)
    if family == "sims":
        return fit_sims(
            interactions,
            popularity_discount_factor=float(values.get("popularity_discount_factor", 0.5)),
            min_cointeraction_count=int(values.get("min_cointeraction_count", 3)),
            min_user_history_length_percentile=float(
                values.get("min_user_history_length_percentile", 0.005)
            ),
            max_user_history_length_percentile=float(
                values.get("max_user_history_length_percentile", 0.995)
            ),
        )
    if family == "similar-items":
        return fit_similar_items(
            interactions,
            item_features,
            item_id_hidden_dim=int(values.get("item_id_hidden_dim", 100)),
            item_metadata_hidden_dim=int(values.get("item_metadata_hidden_dim", 100)),
        )
    if family == "semantic-similarity":
        return fit_semantic_similarity(interactions, item_features)
    raise ValueError(f"recipe {recipe!r} has no implementation in recipes/")
