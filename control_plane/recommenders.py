"""Recommenders: domain use cases trained by the trainer, then stopped and started at will.

Statuses (spec §2.2). Creation: CREATE PENDING here, then the trainer's ``recommender`` job
(``trainer.recommender_training``) moves it CREATE IN_PROGRESS -> ACTIVE | CREATE FAILED;
``latestRecommenderUpdate`` follows the same path from creation on (AWS does not say whether the
member exists before the first UpdateRecommender; Tailor always shows it).

Stop and start release or take nothing that takes time in Tailor (no provisioned capacity: the
runtime stops or starts serving a recommender when it sees its status), so StopRecommender walks
ACTIVE -> STOP PENDING -> STOP IN_PROGRESS -> INACTIVE, and StartRecommender INACTIVE -> START
PENDING -> START IN_PROGRESS -> ACTIVE, before it answers; each step is a compare-and-set, so a
concurrent call or delete sees a consistent status. A stop or start interrupted half-way (the
process died between two steps) is finished by calling the same operation again.

UpdateRecommender applies serving settings (exploration, minimum TPS, metadata) at once; a change
of ``trainingDataConfig``, which AWS answers with a full retraining, is refused until the trainer
can retrain an ACTIVE recommender beside the one serving.
"""

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
from domain.resources import (
    ACTIVE,
    CREATE_PENDING,
    INACTIVE,
    START_IN_PROGRESS,
    START_PENDING,
    STOP_IN_PROGRESS,
    STOP_PENDING,
    Resource,
    now,
)
from storage.metadata.store import NewJob

KIND = "recommender"
UPDATE_MEMBER = "latestRecommenderUpdate"
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
    stamp = now()
    document = {
        "recommenderArn": arn,
        "datasetGroupArn": group.arn,
        "name": name,
        "recipeArn": recipe.recipe_arn,
        "recommenderConfig": config,
        UPDATE_MEMBER: {
            "recommenderConfig": config,
            "status": CREATE_PENDING,
            "creationDateTime": stamp,
            "lastUpdatedDateTime": stamp,
        },
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
    """UpdateRecommender: change an ACTIVE recommender's serving configuration.

    The members given replace the current ones; members left out keep their values. The change
    is recorded as ``latestRecommenderUpdate`` (ACTIVE) and applies at once.

    Raises:
        ResourceInUseException: the recommender is not ACTIVE.
        InvalidInputException: the new configuration is invalid, or it changes
            ``trainingDataConfig`` (retraining on update is not built yet).

    """
    recommender = require_active(cp, request.get("recommenderArn"), KIND, "recommenderArn")
    group = require(cp, recommender.dataset_group_arn, "dataset-group", "datasetGroupArn")
    recipe = recipe_catalogue.recipe_by_arn(recommender.document["recipeArn"])
    current = recommender.document.get("recommenderConfig", {})
    merged = {**current, **request["recommenderConfig"]}
    if (merged.get("trainingDataConfig") or {}) != (current.get("trainingDataConfig") or {}):
        raise InvalidInputException(
            "recommenderConfig.trainingDataConfig: changing the columns a recommender trains "
            "on needs a retraining, which this Tailor version does not run on update; create a "
            "new recommender with the new trainingDataConfig"
        )
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
        changes={"recommenderConfig": config, UPDATE_MEMBER: update},
        expected_statuses=[ACTIVE],
    )
    return {"recommenderArn": recommender.arn}


def _switch(cp: ControlPlane, request: dict[str, Any], steps: tuple[str, ...], verb: str) -> str:
    """Walk the recommender through ``steps`` (source, pending, in progress, target).

    A recommender left at an intermediate step of the same walk continues from there.
    """
    source = steps[0]
    recommender = require(cp, request.get("recommenderArn"), KIND, "recommenderArn")
    if recommender.status not in steps[:-1]:
        raise ResourceInUseException(
            f"recommender {recommender.arn} is {recommender.status}; only a {source} "
            f"recommender can be {verb}"
        )
    position = steps.index(recommender.status)
    for current, following in zip(steps[position:], steps[position + 1 :], strict=False):
        try:
            cp.store.update_resource(recommender.arn, status=following, expected_statuses=[current])
        except ResourceInUseException:
            raise ResourceInUseException(
                f"recommender {recommender.arn} changed status meanwhile; only a {source} "
                f"recommender can be {verb}"
            ) from None
    return recommender.arn


#: StopRecommender's walk and StartRecommender's walk (spec §2.2).
STOP_STEPS = (ACTIVE, STOP_PENDING, STOP_IN_PROGRESS, INACTIVE)
START_STEPS = (INACTIVE, START_PENDING, START_IN_PROGRESS, ACTIVE)


def start_recommender(cp: ControlPlane, request: dict[str, Any]) -> dict[str, Any]:
    """StartRecommender: INACTIVE -> START PENDING -> START IN_PROGRESS -> ACTIVE.

    Raises:
        ResourceInUseException: the recommender is neither INACTIVE nor part-way started.

    """
    return {"recommenderArn": _switch(cp, request, START_STEPS, "started")}


def stop_recommender(cp: ControlPlane, request: dict[str, Any]) -> dict[str, Any]:
    """StopRecommender: ACTIVE -> STOP PENDING -> STOP IN_PROGRESS -> INACTIVE.

    Raises:
        ResourceInUseException: the recommender is neither ACTIVE nor part-way stopped.

    """
    return {"recommenderArn": _switch(cp, request, STOP_STEPS, "stopped")}


def delete_recommender(cp: ControlPlane, request: dict[str, Any]) -> dict[str, Any]:
    """DeleteRecommender: from ACTIVE, INACTIVE or CREATE FAILED only.

    Raises:
        ResourceInUseException: it is being created, stopped or started.

    """
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
