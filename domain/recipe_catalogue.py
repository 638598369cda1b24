"""The static recipe catalogue.

It serves ListRecipes, DescribeRecipe, DescribeAlgorithm and DescribeFeatureTransformation.

The data lives in ``domain.recipe_catalogue_data``; this module re-exports its types and adds the
ARN lookups and the AWS-shaped documents (plain dicts with AWS member names, timestamps as epoch
seconds). Hyperparameter validation is in ``domain.hyperparameters``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from domain.errors import InvalidInputException, ResourceNotFoundException
from domain.recipe_catalogue_data import (
    CATALOGUE_TIMESTAMP,
    DOMAINS,
    RECIPE_TYPES,
    RECIPES,
    TREND_DISCOVERY_FREQUENCIES,
    HyperParameterSpec,
    RecipeEntry,
    algorithm_arn,
    feature_transformation_arn,
)

__all__ = [
    "ALGORITHMS",
    "CATALOGUE_TIMESTAMP",
    "DOMAINS",
    "FEATURE_TRANSFORMATIONS",
    "RECIPES",
    "RANGE_LISTS",
    "RECIPE_PROVIDERS",
    "RECIPE_TYPES",
    "TREND_DISCOVERY_FREQUENCIES",
    "AlgorithmEntry",
    "FeatureTransformationEntry",
    "HyperParameterSpec",
    "RecipeEntry",
    "algorithm_by_arn",
    "algorithm_document",
    "feature_transformation_by_arn",
    "feature_transformation_document",
    "list_recipes",
    "recipe_by_arn",
    "recipe_document",
    "recipe_summary_document",
]

RECIPE_PROVIDERS = ("SERVICE",)
#: The hyperparameter range lists of an AWS range document, and the kind each holds.
RANGE_LISTS = {
    "integerHyperParameterRanges": "integer",
    "continuousHyperParameterRanges": "continuous",
    "categoricalHyperParameterRanges": "categorical",
}


@dataclass(frozen=True)
class AlgorithmEntry:
    """An algorithm of the catalogue (what DescribeAlgorithm describes).

    Attributes:
        name: Algorithm name (``aws-trending-now-custom``).
        hyperparameters: The algorithm-scope hyperparameters of the recipes that train it.
        recipe_names: Recipes that use this algorithm.

    """

    name: str
    hyperparameters: tuple[HyperParameterSpec, ...]
    recipe_names: tuple[str, ...]

    @property
    def algorithm_arn(self) -> str:
        """ARN of this algorithm."""
        return algorithm_arn(self.name)


@dataclass(frozen=True)
class FeatureTransformationEntry:
    """A feature transformation of the catalogue (what DescribeFeatureTransformation describes).

    Attributes:
        name: Feature transformation name (``JSON-percentile-filtering``).
        parameters: The featurization and feature-transformation parameters it applies.
        recipe_names: Recipes that use this feature transformation.

    """

    name: str
    parameters: tuple[HyperParameterSpec, ...]
    recipe_names: tuple[str, ...]

    @property
    def feature_transformation_arn(self) -> str:
        """ARN of this feature transformation."""
        return feature_transformation_arn(self.name)


def _merge_specs(what: str, specs: Iterable[HyperParameterSpec]) -> tuple[HyperParameterSpec, ...]:
    merged: dict[str, HyperParameterSpec] = {}
    for spec in specs:
        known = merged.setdefault(spec.name, spec)
        if known != spec:
            raise ValueError(f"catalogue conflict: {what} defines {spec.name} twice differently")
    return tuple(merged.values())


def _build_algorithms() -> dict[str, AlgorithmEntry]:
    grouped: dict[str, list[RecipeEntry]] = {}
    for entry in RECIPES.values():
        grouped.setdefault(entry.algorithm_name, []).append(entry)
    return {
        name: AlgorithmEntry(
            name=name,
            hyperparameters=_merge_specs(
                name,
                (s for e in entries for s in e.hyperparameters if s.scope == "algorithm"),
            ),
            recipe_names=tuple(e.name for e in entries),
        )
        for name, entries in grouped.items()
    }


def _build_feature_transformations() -> dict[str, FeatureTransformationEntry]:
    grouped: dict[str, list[RecipeEntry]] = {}
    for entry in RECIPES.values():
        grouped.setdefault(entry.feature_transformation_name, []).append(entry)
    return {
        name: FeatureTransformationEntry(
            name=name,
            parameters=_merge_specs(
                name,
                (s for e in entries for s in e.hyperparameters if s.scope != "algorithm"),
            ),
            recipe_names=tuple(e.name for e in entries),
        )
        for name, entries in grouped.items()
    }


ALGORITHMS: dict[str, AlgorithmEntry] = _build_algorithms()
"""Every algorithm used by a catalogue recipe, keyed by name."""
FEATURE_TRANSFORMATIONS: dict[str, FeatureTransformationEntry] = _build_feature_transformations()
"""Every feature transformation used by a catalogue recipe, keyed by name."""

_RECIPES_BY_ARN = {entry.recipe_arn: entry for entry in RECIPES.values()}
_ALGORITHMS_BY_ARN = {entry.algorithm_arn: entry for entry in ALGORITHMS.values()}
_FEATURE_TRANSFORMATIONS_BY_ARN = {
    entry.feature_transformation_arn: entry for entry in FEATURE_TRANSFORMATIONS.values()
}


# --- lookups ------------------------------------------------------------------------------------


def recipe_by_arn(arn: str) -> RecipeEntry:
    """Return the recipe with the given ARN.

    Args:
        arn: A recipe ARN, ``arn:aws:personalize:::recipe/{name}``.

    Returns:
        The catalogue entry.

    Raises:
        ResourceNotFoundException: No recipe has that ARN.

    """
    try:
        return _RECIPES_BY_ARN[arn]
    except (KeyError, TypeError):
        raise ResourceNotFoundException(f"Recipe {arn} does not exist.") from None


def algorithm_by_arn(arn: str) -> AlgorithmEntry:
    """Return the algorithm with the given ARN.

    Args:
        arn: An algorithm ARN, ``arn:aws:personalize:::algorithm/{name}``.

    Returns:
        The catalogue entry.

    Raises:
        ResourceNotFoundException: No algorithm has that ARN.

    """
    try:
        return _ALGORITHMS_BY_ARN[arn]
    except (KeyError, TypeError):
        raise ResourceNotFoundException(f"Algorithm {arn} does not exist.") from None


def feature_transformation_by_arn(arn: str) -> FeatureTransformationEntry:
    """Return the feature transformation with the given ARN.

    Args:
        arn: A feature transformation ARN,
            ``arn:aws:personalize:::feature-transformation/{name}``.

    Returns:
        The catalogue entry.

    Raises:
        ResourceNotFoundException: No feature transformation has that ARN.

    """
    try:
        return _FEATURE_TRANSFORMATIONS_BY_ARN[arn]
    except (KeyError, TypeError):
        raise ResourceNotFoundException(f"Feature transformation {arn} does not exist.") from None


def list_recipes(
    domain: str | None = None, recipe_provider: str | None = None
) -> list[RecipeEntry]:
    """Return the recipes ListRecipes reports, ordered by name.

    Args:
        domain: ``ECOMMERCE`` or ``VIDEO_ON_DEMAND`` to list only that domain's recipes; None
            lists every recipe (custom, legacy and domain ones).
        recipe_provider: None or ``SERVICE`` (every catalogue recipe is service-provided).

    Returns:
        The matching recipes, sorted by name.

    Raises:
        InvalidInputException: ``domain`` or ``recipe_provider`` is not an accepted value.

    """
    if domain is not None and domain not in DOMAINS:
        raise InvalidInputException(
            f"Invalid domain {domain!r}; expected one of {', '.join(DOMAINS)}."
        )
    if recipe_provider is not None and recipe_provider not in RECIPE_PROVIDERS:
        raise InvalidInputException(
            f"Invalid recipeProvider {recipe_provider!r}; expected one of "
            f"{', '.join(RECIPE_PROVIDERS)}."
        )
    return sorted(
        (entry for entry in RECIPES.values() if domain is None or entry.domain == domain),
        key=lambda entry: entry.name,
    )


# --- AWS-shaped documents -----------------------------------------------------------------------


def recipe_document(entry: RecipeEntry) -> dict[str, Any]:
    """Return the AWS ``Recipe`` structure for DescribeRecipe.

    Args:
        entry: The recipe.

    Returns:
        A dict with the ``Recipe`` member names.

    """
    return {
        "name": entry.name,
        "recipeArn": entry.recipe_arn,
        "algorithmArn": entry.algorithm_arn,
        "featureTransformationArn": entry.feature_transformation_arn,
        "status": "ACTIVE",
        "description": entry.description,
        "recipeType": entry.recipe_type,
        "creationDateTime": CATALOGUE_TIMESTAMP,
        "lastUpdatedDateTime": CATALOGUE_TIMESTAMP,
    }


def recipe_summary_document(entry: RecipeEntry) -> dict[str, Any]:
    """Return the AWS ``RecipeSummary`` structure for ListRecipes.

    Args:
        entry: The recipe.

    Returns:
        A dict with the ``RecipeSummary`` member names; ``domain`` only for domain recipes.

    """
    document: dict[str, Any] = {
        "name": entry.name,
        "recipeArn": entry.recipe_arn,
        "status": "ACTIVE",
        "creationDateTime": CATALOGUE_TIMESTAMP,
        "lastUpdatedDateTime": CATALOGUE_TIMESTAMP,
    }
    if entry.domain is not None:
        document["domain"] = entry.domain
    return document


def _integer_bound(value: float | None) -> int | None:
    return None if value is None else int(value)


def _range_document(spec: HyperParameterSpec) -> dict[str, Any]:
    document: dict[str, Any] = {"name": spec.name}
    if spec.kind == "categorical":
        document["values"] = list(spec.values)
    else:
        convert = _integer_bound if spec.kind == "integer" else (lambda v: v)
        if spec.min_value is not None:
            document["minValue"] = convert(spec.min_value)
        if spec.max_value is not None:
            document["maxValue"] = convert(spec.max_value)
    document["isTunable"] = spec.tunable
    return document


def algorithm_document(algorithm: AlgorithmEntry | RecipeEntry) -> dict[str, Any]:
    """Return the AWS ``Algorithm`` structure for DescribeAlgorithm.

    Args:
        algorithm: The algorithm, or a recipe (meaning that recipe's algorithm).

    Returns:
        A dict with the ``Algorithm`` member names (``roleArn`` omitted).

    """
    if isinstance(algorithm, RecipeEntry):
        algorithm = ALGORITHMS[algorithm.algorithm_name]
    ranges: dict[str, list[dict[str, Any]]] = {key: [] for key in RANGE_LISTS}
    for spec in algorithm.hyperparameters:
        list_key = next(key for key, kind in RANGE_LISTS.items() if kind == spec.kind)
        ranges[list_key].append(_range_document(spec))
    return {
        "name": algorithm.name,
        "algorithmArn": algorithm.algorithm_arn,
        "algorithmImage": {
            "name": algorithm.name,
            "dockerURI": f"tailor/algorithms/{algorithm.name}",
        },
        "defaultHyperParameters": {spec.name: spec.default for spec in algorithm.hyperparameters},
        "defaultHyperParameterRanges": ranges,
        "defaultResourceConfig": {},
        "trainingInputMode": "File",
        "creationDateTime": CATALOGUE_TIMESTAMP,
        "lastUpdatedDateTime": CATALOGUE_TIMESTAMP,
    }


def feature_transformation_document(
    transformation: FeatureTransformationEntry | RecipeEntry,
) -> dict[str, Any]:
    """Return the AWS ``FeatureTransformation`` structure for DescribeFeatureTransformation.

    Args:
        transformation: The feature transformation, or a recipe (meaning its transformation).

    Returns:
        A dict with the ``FeatureTransformation`` member names.

    """
    if isinstance(transformation, RecipeEntry):
        transformation = FEATURE_TRANSFORMATIONS[transformation.feature_transformation_name]
    return {
        "name": transformation.name,
        "featureTransformationArn": transformation.feature_transformation_arn,
        "defaultParameters": {spec.name: spec.default for spec in transformation.parameters},
        "status": "ACTIVE",
        "creationDateTime": CATALOGUE_TIMESTAMP,
        "lastUpdatedDateTime": CATALOGUE_TIMESTAMP,
    }
