"""Recommenders: domain use cases trained by the trainer, then stopped and started at will."""

from __future__ import annotations

import math
from typing import Any

from control_plane.context import ControlPlane
from control_plane.resource_access import (
    create_in_group,
    delete_when_idle,
    list_page,
    require,
    require_active,
)
from domain import recipe_catalogue
from domain.dataset_schema import DATASET_TYPES, parse_dataset_schema
from domain.errors import InvalidInputException, LimitExceededException, ResourceInUseException
from domain.recipe_catalogue import RecipeEntry
from domain.resources import ACTIVE, CREATE_PENDING, INACTIVE, Resource, now
from storage.metadata.store import NewJob

KIND = "recommender"
#: Recommenders allowed per dataset group (spec §13).
MAX_RECOMMENDERS_PER_GROUP = 5
DEFAULT_MIN_REQUESTS_PER_SECOND = 1
EXPLORATION_KEYS = ("explorationWeight", "explorationItemAgeCutOff")


def check_item_exploration_config(
    config: dict[str, str] | None, recipe: RecipeEntry | None, field: str, min_age_days: float
) -> None:
    """Exploration settings are for User-Personalization recipes, with in-range values.

    Args:
        config: The ``itemExplorationConfig`` map (string values), or None.
        recipe: The recipe the settings would apply to (None when unknown).
        field: Request path of the map, for messages.
        min_age_days: Smallest allowed ``explorationItemAgeCutOff`` (exclusive when 0).

    Raises:
        InvalidInputException: naming the offending key, value or recipe.

    """
    if not config:
        return
    if recipe is not None and recipe.recipe_type != "USER_PERSONALIZATION":
        raise InvalidInputException(
            f"{field}: item exploration applies only to User-Personalization recipes, "
            f"not {recipe.name}"
        )
    for key, raw in config.items():
        if key not in EXPLORATION_KEYS:
            raise InvalidInputException(
                f"{field}: unknown key {key!r}; expected {' or '.join(EXPLORATION_KEYS)}"
            )
        try:
            value = float(raw)
        except ValueError:
            value = math.nan
        if key == "explorationWeight":
            valid, rule = 0.0 <= value <= 1.0, "a number from 0 to 1"
        elif min_age_days > 0:
            valid, rule = value >= min_age_days, f"a number of days of at least {min_age_days:g}"
        else:
            valid, rule = value > 0, "a number of days greater than 0"
        if not valid:
            raise InvalidInputException(f"{field}.{key}: {raw!r} must be {rule}")


def _check_training_columns(cp: ControlPlane, group: Resource, config: dict[str, Any]) -> None:
    """Every dataset and column named in ``trainingDataConfig`` must exist in the group."""
    schemas: dict[str, set[str]] = {}
    for dataset in cp.store.find_resources(["dataset"], dataset_group_arn=group.arn):
        schema = cp.store.get_resource(dataset.document["schemaArn"])
        if schema is not None:
            parsed = parse_dataset_schema(schema.document["schema"], schema.document.get("domain"))
            schemas[dataset.document["datasetType"]] = set(parsed.field_names)
    for member in ("excludedDatasetColumns", "includedDatasetColumns"):
        for dataset_type, columns in (config.get(member) or {}).items():
            where = f"recommenderConfig.trainingDataConfig.{member}.{dataset_type}"
            canonical = DATASET_TYPES.get(dataset_type)
            if canonical not in schemas:
                raise InvalidInputException(
                    f"{where}: dataset group {group.arn} has no {dataset_type} dataset"
                )
            missing = [c for c in columns if c not in schemas[canonical]]
            if missing:
                raise InvalidInputException(
                    f"{where}: the {canonical} schema has no column {', '.join(missing)}"
                )


def _checked_config(
    cp: ControlPlane, group: Resource, recipe: RecipeEntry, config: dict[str, Any]
) -> dict[str, Any]:
    """``config`` validated, with minRecommendationRequestsPerSecond defaulted."""
    check_item_exploration_config(
        config.get("itemExplorationConfig"),
        recipe,
        "recommenderConfig.itemExplorationConfig",
        min_age_days=1,
    )
    _check_training_columns(cp, group, config.get("trainingDataConfig") or {})
    return {"minRecommendationRequestsPerSecond": DEFAULT_MIN_REQUESTS_PER_SECOND, **config}


def create_recommender(cp: ControlPlane, request: dict[str, Any]) -> dict[str, Any]:
    """CreateRecommender: a domain use case for an ACTIVE domain dataset group, trained later.

    Raises:
        ResourceNotFoundException: the dataset group or recipe does not exist.
        ResourceInUseException: the dataset group is not ACTIVE.
        InvalidInputException: the group has no domain, or the recipe is not one of its use cases.
        LimitExceededException: the group already has five recommenders.

    """
    group = require_active(cp, request.get("datasetGroupArn"), "dataset-group", "datasetGroupArn")
    domain = group.document.get("domain")
    if not domain:
        raise InvalidInputException(
            f"datasetGroupArn: dataset group {group.arn} has no domain; recommenders need a "
            "domain dataset group (use a solution and campaign for custom groups)"
        )
    recipe = recipe_catalogue.recipe_by_arn(request["recipeArn"])
    if recipe.domain != domain:
        kind = f"a {recipe.domain} use case" if recipe.domain else "a custom recipe"
        raise InvalidInputException(f"recipeArn: {recipe.name} is {kind}, not a {domain} use case")
    config = _checked_config(cp, group, recipe, request.get("recommenderConfig") or {})
    existing = cp.store.find_resources([KIND], dataset_group_arn=group.arn)
    if len(existing) >= MAX_RECOMMENDERS_PER_GROUP:
        raise LimitExceededException(
            f"dataset group {group.arn} already has {len(existing)} recommenders "
            f"(at most {MAX_RECOMMENDERS_PER_GROUP})"
        )
    name = request["name"]
    arn = cp.arns.build(KIND, name)
    document = {
        "recommenderArn": arn,
        "datasetGroupArn": group.arn,
        "name": name,
        "recipeArn": recipe.recipe_arn,
        "recommenderConfig": config,
    }
    create_in_group(
        cp,
        request,
        group,
        kind=KIND,
        arn=arn,
        name=name,
        document=document,
        status=CREATE_PENDING,
        job=NewJob("recommender", {"datasetGroupArn": group.arn, "recipeArn": recipe.recipe_arn}),
    )
    return {"recommenderArn": arn}


def describe_recommender(cp: ControlPlane, request: dict[str, Any]) -> dict[str, Any]:
    """DescribeRecommender."""
    recommender = require(cp, request.get("recommenderArn"), KIND, "recommenderArn")
    return {"recommender": recommender.to_aws()}


def _summary(recommender: Resource) -> dict[str, Any]:
    # RecommenderSummary has no failureReason member, unlike most summaries.
    summary = recommender.summary("name", "recommenderArn", "datasetGroupArn", "recipeArn")
    summary.pop("failureReason", None)
    summary["recommenderConfig"] = recommender.document.get("recommenderConfig", {})
    return summary


def list_recommenders(cp: ControlPlane, request: dict[str, Any]) -> dict[str, Any]:
    """ListRecommenders, optionally of one dataset group, newest first."""
    return list_page(
        cp,
        request,
        KIND,
        "recommenders",
        _summary,
        parent_field="datasetGroupArn",
        parent_kind="dataset-group",
    )


def update_recommender(cp: ControlPlane, request: dict[str, Any]) -> dict[str, Any]:
    """UpdateRecommender: change an ACTIVE recommender's configuration.

    The members given replace the current ones; members left out keep their values. The change
    is recorded as ``latestRecommenderUpdate`` and applies at once (retraining for changed
    training columns arrives with the recommender trainer).

    Raises:
        ResourceInUseException: the recommender is not ACTIVE.
        InvalidInputException: the new configuration is invalid.

    """
    recommender = require_active(cp, request.get("recommenderArn"), KIND, "recommenderArn")
    group = require(cp, recommender.dataset_group_arn, "dataset-group", "datasetGroupArn")
    recipe = recipe_catalogue.recipe_by_arn(recommender.document["recipeArn"])
    merged = {**recommender.document.get("recommenderConfig", {}), **request["recommenderConfig"]}
    config = _checked_config(cp, group, recipe, merged)
    stamp = now()
    update = {
        "recommenderConfig": config,
        "status": ACTIVE,
        "creationDateTime": stamp,
        "lastUpdatedDateTime": stamp,
    }
    cp.store.update_resource(
        recommender.arn,
        changes={"recommenderConfig": config, "latestRecommenderUpdate": update},
        expected_statuses=[ACTIVE],
    )
    return {"recommenderArn": recommender.arn}


def _switch(cp: ControlPlane, request: dict[str, Any], source: str, target: str, verb: str) -> str:
    recommender = require(cp, request.get("recommenderArn"), KIND, "recommenderArn")
    if recommender.status != source:
        raise ResourceInUseException(
            f"recommender {recommender.arn} is {recommender.status}; only a {source} "
            f"recommender can be {verb}"
        )
    try:
        cp.store.update_resource(recommender.arn, status=target, expected_statuses=[source])
    except ResourceInUseException:
        raise ResourceInUseException(
            f"recommender {recommender.arn} changed status meanwhile; only a {source} "
            f"recommender can be {verb}"
        ) from None
    return recommender.arn


def start_recommender(cp: ControlPlane, request: dict[str, Any]) -> dict[str, Any]:
    """StartRecommender: INACTIVE -> ACTIVE (ResourceInUseException from any other status)."""
    return {"recommenderArn": _switch(cp, request, INACTIVE, ACTIVE, "started")}


def stop_recommender(cp: ControlPlane, request: dict[str, Any]) -> dict[str, Any]:
    """StopRecommender: ACTIVE -> INACTIVE (ResourceInUseException from any other status)."""
    return {"recommenderArn": _switch(cp, request, ACTIVE, INACTIVE, "stopped")}


def delete_recommender(cp: ControlPlane, request: dict[str, Any]) -> dict[str, Any]:
    """DeleteRecommender: refused while it is still being created."""
    return delete_when_idle(cp, request, KIND, "recommenderArn")


OPERATIONS = {
    "CreateRecommender": create_recommender,
    "DescribeRecommender": describe_recommender,
    "ListRecommenders": list_recommenders,
    "UpdateRecommender": update_recommender,
    "StartRecommender": start_recommender,
    "StopRecommender": stop_recommender,
    "DeleteRecommender": delete_recommender,
}
