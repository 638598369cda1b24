"""The static data of Tailor's recipe catalogue: recipes, their algorithms, feature transformations.

The entries follow the Tailor reference spec (§6). Public callers should import from
``domain.recipe_catalogue``, which re-exports the types defined here and adds lookups, AWS-shaped
documents and hyperparameter validation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from domain.arns import catalogue_arn

HyperParameterKind = Literal["integer", "continuous", "categorical"]
HyperParameterScope = Literal["algorithm", "featurization", "feature_transformation"]

CATALOGUE_TIMESTAMP = 1672531200.0
"""Creation and last-update time (epoch seconds, 2023-01-01T00:00:00Z) of every catalogue item."""

RECIPE_TYPES = (
    "USER_PERSONALIZATION",
    "POPULAR_ITEMS",
    "PERSONALIZED_RANKING",
    "RELATED_ITEMS",
    "PERSONALIZED_ACTIONS",
    "USER_SEGMENTATION",
)
DOMAINS = ("ECOMMERCE", "VIDEO_ON_DEMAND")
BOOLEAN_VALUES = ("true", "false")


def recipe_arn(name: str) -> str:
    """Return the ARN of the recipe called ``name``."""
    return catalogue_arn("recipe", name)


def algorithm_arn(name: str) -> str:
    """Return the ARN of the algorithm called ``name``."""
    return catalogue_arn("algorithm", name)


def feature_transformation_arn(name: str) -> str:
    """Return the ARN of the feature transformation called ``name``."""
    return catalogue_arn("feature-transformation", name)


@dataclass(frozen=True)
class HyperParameterSpec:
    """One hyperparameter a recipe accepts; values travel as strings in the API.

    Attributes:
        name: Bare name (``bptt``; AWS's prefixed forms such as ``training.bptt`` map to it).
        kind: ``integer``, ``continuous`` or ``categorical`` (booleans are categorical
            ``true``/``false``).
        default: Default value, as the API string.
        min_value: Inclusive lower bound for numeric kinds; ``None`` means unbounded.
        max_value: Inclusive upper bound for numeric kinds; ``None`` means unbounded.
        values: Allowed values of a categorical hyperparameter.
        tunable: Whether HPO may tune it (``hpoConfig.algorithmHyperParameterRanges``).
        scope: ``algorithm`` (``algorithmHyperParameters``), ``featurization`` (either map) or
            ``feature_transformation`` (``featureTransformationParameters``).

    """

    name: str
    kind: HyperParameterKind
    default: str
    min_value: float | None = None
    max_value: float | None = None
    values: tuple[str, ...] = ()
    tunable: bool = False
    scope: HyperParameterScope = "algorithm"

    @property
    def is_boolean(self) -> bool:
        """Whether this is a ``true``/``false`` categorical hyperparameter."""
        return self.kind == "categorical" and self.values == BOOLEAN_VALUES


@dataclass(frozen=True)
class RecipeEntry:
    """One recipe of the catalogue.

    Attributes:
        name: Recipe name (``aws-user-personalization``).
        recipe_type: One of ``RECIPE_TYPES``; domain recipes carry their use case's type.
        algorithm_name: Name of the algorithm the recipe trains.
        feature_transformation_name: Name of the feature transformation it applies.
        domain: ``ECOMMERCE`` / ``VIDEO_ON_DEMAND`` for recommender (domain) recipes, else None.
        legacy: True for recipes that are listable but no longer accepted by CreateSolution.
        hyperparameters: Every hyperparameter the recipe accepts.
        requires_user_id: Whether its runtime call needs ``userId``.
        requires_item_id: Whether its runtime call needs ``itemId``.
        description: One-line description served by DescribeRecipe.

    """

    name: str
    recipe_type: str
    algorithm_name: str
    feature_transformation_name: str
    domain: str | None
    legacy: bool
    hyperparameters: tuple[HyperParameterSpec, ...]
    requires_user_id: bool
    requires_item_id: bool
    description: str = ""

    @property
    def recipe_arn(self) -> str:
        """ARN of this recipe."""
        return recipe_arn(self.name)

    @property
    def algorithm_arn(self) -> str:
        """ARN of this recipe's algorithm."""
        return algorithm_arn(self.algorithm_name)

    @property
    def feature_transformation_arn(self) -> str:
        """ARN of this recipe's feature transformation."""
        return feature_transformation_arn(self.feature_transformation_name)


# --- hyperparameter helpers -------------------------------------------------------------------


def _int(
    name: str,
    default: int,
    low: int | None,
    high: int | None,
    *,
    tunable: bool = False,
    scope: HyperParameterScope = "algorithm",
) -> HyperParameterSpec:
    return HyperParameterSpec(
        name,
        "integer",
        str(default),
        None if low is None else float(low),
        None if high is None else float(high),
        (),
        tunable,
        scope,
    )


def _float(
    name: str,
    default: str,
    low: float | None,
    high: float | None,
    *,
    tunable: bool = False,
    scope: HyperParameterScope = "algorithm",
) -> HyperParameterSpec:
    return HyperParameterSpec(name, "continuous", default, low, high, (), tunable, scope)


def _cat(
    name: str,
    default: str,
    values: tuple[str, ...],
    *,
    tunable: bool = False,
    scope: HyperParameterScope = "algorithm",
) -> HyperParameterSpec:
    return HyperParameterSpec(name, "categorical", default, None, None, values, tunable, scope)


def _percentile(name: str, default: str) -> HyperParameterSpec:
    return _float(name, default, 0.0, 1.0, scope="featurization")


def _hrnn_family(hidden_dimension_default: int) -> tuple[HyperParameterSpec, ...]:
    """Build the five hyperparameters shared by User-Personalization, Ranking and HRNN."""
    return (
        _int("hidden_dimension", hidden_dimension_default, 32, 256, tunable=True),
        _int("bptt", 32, 2, 32, tunable=True),
        _cat("recency_mask", "true", BOOLEAN_VALUES, tunable=True),
        _percentile("min_user_history_length_percentile", "0.0"),
        _percentile("max_user_history_length_percentile", "0.99"),
    )


_V2_HYPERPARAMETERS = (_cat("apply_recency_bias", "true", BOOLEAN_VALUES),)

_SIMS_HYPERPARAMETERS = (
    _float("popularity_discount_factor", "0.5", 0.0, 1.0, tunable=True),
    _int("min_cointeraction_count", 3, 0, 10, tunable=True),
    _percentile("min_user_history_length_percentile", "0.005"),
    _percentile("max_user_history_length_percentile", "0.995"),
    _percentile("min_item_interaction_count_percentile", "0.01"),
    _percentile("max_item_interaction_count_percentile", "0.9"),
)

_SIMILAR_ITEMS_HYPERPARAMETERS = (
    _int("item_id_hidden_dim", 100, 30, 200, tunable=True),
    _int("item_metadata_hidden_dim", 100, 30, 200, tunable=True),
)

TREND_DISCOVERY_FREQUENCIES = ("30 minutes", "1 hour", "2 hours", "3 hours", "1 day")
_TRENDING_NOW_HYPERPARAMETERS = (
    _cat(
        "trend_discovery_frequency",
        "2 hours",
        TREND_DISCOVERY_FREQUENCIES,
        scope="feature_transformation",
    ),
)

_NEXT_BEST_ACTION_HYPERPARAMETERS = (
    _int("action_optimization_period", 14, 7, 28, scope="featurization"),
)

_AFFINITY_HYPERPARAMETERS = (_int("hidden_dimension", 149, 32, 256),)

_HRNN_COLDSTART_HYPERPARAMETERS = (
    *_hrnn_family(149),
    _int("cold_start_max_interactions", 15, 1, None, scope="featurization"),
    _float("cold_start_max_duration", "5.0", 0.0, None, scope="featurization"),
    _cat(
        "cold_start_relative_from",
        "latestItem",
        ("latestItem", "currentTime"),
        scope="featurization",
    ),
)


def _recipe(
    name: str,
    recipe_type: str,
    description: str,
    *,
    algorithm: str | None = None,
    feature_transformation: str | None = None,
    hyperparameters: tuple[HyperParameterSpec, ...] = (),
    user: bool = False,
    item: bool = False,
    domain: str | None = None,
    legacy: bool = False,
) -> RecipeEntry:
    return RecipeEntry(
        name=name,
        recipe_type=recipe_type,
        algorithm_name=algorithm or name,
        feature_transformation_name=feature_transformation or name,
        domain=domain,
        legacy=legacy,
        hyperparameters=hyperparameters,
        requires_user_id=user,
        requires_item_id=item,
        description=description,
    )


_PERCENTILE_FT = "JSON-percentile-filtering"

_CUSTOM_RECIPES = (
    _recipe(
        "aws-user-personalization-v2",
        "USER_PERSONALIZATION",
        "Transformer model over each user's interaction sequence for large item catalogues.",
        hyperparameters=_V2_HYPERPARAMETERS,
        user=True,
    ),
    _recipe(
        "aws-user-personalization",
        "USER_PERSONALIZATION",
        "Sequence model of user histories with item exploration and real-time updates.",
        feature_transformation=_PERCENTILE_FT,
        hyperparameters=_hrnn_family(149),
        user=True,
    ),
    _recipe(
        "aws-personalized-ranking-v2",
        "PERSONALIZED_RANKING",
        "Transformer model that re-orders a caller-supplied item list for one user.",
        hyperparameters=_V2_HYPERPARAMETERS,
        user=True,
    ),
    _recipe(
        "aws-personalized-ranking",
        "PERSONALIZED_RANKING",
        "Sequence model that scores and re-orders a caller-supplied item list for one user.",
        feature_transformation=_PERCENTILE_FT,
        hyperparameters=_hrnn_family(149),
        user=True,
    ),
    _recipe(
        "aws-semantic-similarity",
        "RELATED_ITEMS",
        "Related items whose text fields say the same things (TF-IDF cosine over item text and "
        "categories: Tailor's offline stand-in for a text embedding).",
        item=True,
    ),
    _recipe(
        "aws-similar-items",
        "RELATED_ITEMS",
        "Related items learned from co-occurrence in histories plus item metadata.",
        hyperparameters=_SIMILAR_ITEMS_HYPERPARAMETERS,
        item=True,
    ),
    _recipe(
        "aws-sims",
        "RELATED_ITEMS",
        "Item-to-item collaborative filtering on items users interacted with together.",
        feature_transformation="sims",
        hyperparameters=_SIMS_HYPERPARAMETERS,
        item=True,
    ),
    _recipe(
        "aws-trending-now",
        "POPULAR_ITEMS",
        "Items whose interaction counts are rising fastest between recent intervals.",
        algorithm="aws-trending-now-custom",
        hyperparameters=_TRENDING_NOW_HYPERPARAMETERS,
    ),
    # The reference lists Popularity-Count under POPULAR_ITEMS in its type table (§6.1).
    _recipe(
        "aws-popularity-count",
        "POPULAR_ITEMS",
        "Baseline: the items interacted with by the most distinct users, same for everyone.",
        feature_transformation="sims",
    ),
    _recipe(
        "aws-next-best-action",
        "PERSONALIZED_ACTIONS",
        "Ranks actions by each user's estimated propensity to take them.",
        hyperparameters=_NEXT_BEST_ACTION_HYPERPARAMETERS,
        user=True,
    ),
    _recipe(
        "aws-item-affinity",
        "USER_SEGMENTATION",
        "Batch segments of the users most likely to interact with given items.",
        feature_transformation="item-affinity",
        hyperparameters=_AFFINITY_HYPERPARAMETERS,
    ),
    _recipe(
        "aws-item-attribute-affinity",
        "USER_SEGMENTATION",
        "Batch segments of the users most likely to interact with given item attributes.",
        feature_transformation="item-attribute-affinity",
        hyperparameters=_AFFINITY_HYPERPARAMETERS,
    ),
)

_LEGACY_RECIPES = (
    _recipe(
        "aws-hrnn",
        "USER_PERSONALIZATION",
        "Legacy hierarchical recurrent model of user histories; not accepted for new solutions.",
        feature_transformation=_PERCENTILE_FT,
        hyperparameters=_hrnn_family(43),
        user=True,
        legacy=True,
    ),
    _recipe(
        "aws-hrnn-metadata",
        "USER_PERSONALIZATION",
        "Legacy recurrent model using user and item metadata; not accepted for new solutions.",
        feature_transformation="featurize_metadata",
        hyperparameters=_hrnn_family(43),
        user=True,
        legacy=True,
    ),
    _recipe(
        "aws-hrnn-coldstart",
        "USER_PERSONALIZATION",
        "Legacy recurrent model that also ranks cold items; not accepted for new solutions.",
        feature_transformation="featurize_coldstart",
        hyperparameters=_HRNN_COLDSTART_HYPERPARAMETERS,
        user=True,
        legacy=True,
    ),
)

_ECOMMERCE = "ECOMMERCE"
_VOD = "VIDEO_ON_DEMAND"

_DOMAIN_RECIPES = (
    _recipe(
        "aws-ecomm-recommended-for-you",
        "USER_PERSONALIZATION",
        "Retail use case: personal picks for a shopper, leaving out items already bought.",
        user=True,
        domain=_ECOMMERCE,
    ),
    _recipe(
        "aws-ecomm-customers-who-viewed-x-also-viewed",
        "RELATED_ITEMS",
        "Retail use case: items other shoppers viewed alongside a given item.",
        user=True,
        item=True,
        domain=_ECOMMERCE,
    ),
    _recipe(
        "aws-ecomm-frequently-bought-together",
        "RELATED_ITEMS",
        "Retail use case: items often purchased in the same session as a given item.",
        item=True,
        domain=_ECOMMERCE,
    ),
    _recipe(
        "aws-ecomm-popular-items-by-purchases",
        "POPULAR_ITEMS",
        "Retail use case: best sellers ranked by purchase count.",
        domain=_ECOMMERCE,
    ),
    _recipe(
        "aws-ecomm-popular-items-by-views",
        "POPULAR_ITEMS",
        "Retail use case: most viewed items ranked by view count.",
        domain=_ECOMMERCE,
    ),
    _recipe(
        "aws-vod-top-picks",
        "USER_PERSONALIZATION",
        "Video use case: personal picks for a viewer, leaving out titles already watched.",
        user=True,
        domain=_VOD,
    ),
    _recipe(
        "aws-vod-because-you-watched-x",
        "RELATED_ITEMS",
        "Video use case: titles watched by people who also watched a given title.",
        user=True,
        item=True,
        domain=_VOD,
    ),
    _recipe(
        "aws-vod-more-like-x",
        "RELATED_ITEMS",
        "Video use case: titles similar to a given title, tailored to the viewer.",
        user=True,
        item=True,
        domain=_VOD,
    ),
    _recipe(
        "aws-vod-most-popular",
        "POPULAR_ITEMS",
        "Video use case: the most watched titles.",
        domain=_VOD,
    ),
    _recipe(
        "aws-vod-trending-now",
        "POPULAR_ITEMS",
        "Video use case: titles whose watch counts are rising fastest, refreshed every 2 hours.",
        domain=_VOD,
    ),
)

RECIPES: dict[str, RecipeEntry] = {
    entry.name: entry for entry in (*_CUSTOM_RECIPES, *_LEGACY_RECIPES, *_DOMAIN_RECIPES)
}
"""Every recipe Tailor lists, keyed by name."""
