"""The read-only recipe catalogue: recipes, algorithms and feature transformations."""

from __future__ import annotations

from typing import Any

from control_plane.context import ControlPlane
from domain import recipe_catalogue as catalogue
from domain.errors import InvalidNextTokenException


def list_recipes(_cp: ControlPlane, request: dict[str, Any]) -> dict[str, Any]:
    """ListRecipes, filtered by ``domain`` and ``recipeProvider``, paged by name."""
    entries = catalogue.list_recipes(request.get("domain"), request.get("recipeProvider"))
    start = 0
    token = request.get("nextToken")
    if token:
        names = [entry.name for entry in entries]
        if token not in names:
            raise InvalidNextTokenException(f"nextToken {token[:40]!r} is not valid")
        start = names.index(token)
    size = int(request.get("maxResults", 100))
    page = entries[start : start + size]
    response: dict[str, Any] = {
        "recipes": [catalogue.recipe_summary_document(entry) for entry in page]
    }
    if start + size < len(entries):
        response["nextToken"] = entries[start + size].name
    return response


def describe_recipe(_cp: ControlPlane, request: dict[str, Any]) -> dict[str, Any]:
    """DescribeRecipe."""
    return {"recipe": catalogue.recipe_document(catalogue.recipe_by_arn(request["recipeArn"]))}


def describe_algorithm(_cp: ControlPlane, request: dict[str, Any]) -> dict[str, Any]:
    """DescribeAlgorithm."""
    algorithm = catalogue.algorithm_by_arn(request["algorithmArn"])
    return {"algorithm": catalogue.algorithm_document(algorithm)}


def describe_feature_transformation(_cp: ControlPlane, request: dict[str, Any]) -> dict[str, Any]:
    """DescribeFeatureTransformation."""
    entry = catalogue.feature_transformation_by_arn(request["featureTransformationArn"])
    return {"featureTransformation": catalogue.feature_transformation_document(entry)}


OPERATIONS = {
    "ListRecipes": list_recipes,
    "DescribeRecipe": describe_recipe,
    "DescribeAlgorithm": describe_algorithm,
    "DescribeFeatureTransformation": describe_feature_transformation,
}
