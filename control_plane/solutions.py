"""Solutions: a recipe plus its configuration in a dataset group; ACTIVE at once."""

from __future__ import annotations

import math
import re
from typing import Any

from control_plane.context import ControlPlane
from control_plane.resource_access import (
    create_in_group,
    ensure_deletable,
    ensure_no_dependents,
    list_page,
    omit_empty,
    require,
    require_active,
)
from domain.dataset_schema import DATASET_TYPES, DatasetSchema, parse_dataset_schema
from domain.errors import InvalidInputException, LimitExceededException, ResourceNotFoundException
from domain.hyperparameters import validate_hpo_ranges, validate_hyperparameters
from domain.recipe_catalogue import (
    RecipeEntry,
    recipe_by_arn,
)
from domain.resources import ACTIVE, CREATE_STOPPING, CREATING, Resource, now

KIND = "solution"
VERSION_KIND = "solution-version"
#: Recipes whose solutions accept ``solutionConfig.eventsConfig``.
EVENTS_CONFIG_RECIPES = frozenset({"aws-user-personalization-v2", "aws-personalized-ranking-v2"})
#: Recipes whose solutions accept ``performIncrementalUpdate=true``.
INCREMENTAL_UPDATE_RECIPES = frozenset({"aws-semantic-similarity"})
#: Per dataset group (§13, adjustable on AWS).
MAX_SOLUTIONS_PER_GROUP = 10
#: Version statuses during which the solution cannot be deleted.
TRAINING_STATUSES = CREATING | {CREATE_STOPPING}
#: HPO resource limits (§6.4): member -> largest allowed value.
HPO_RESOURCE_LIMITS = {"maxNumberOfTrainingJobs": 40, "maxParallelTrainingJobs": 10}
#: Columns training cannot do without, per dataset type: trainingDataConfig cannot exclude them.
REQUIRED_TRAINING_COLUMNS = {
    "INTERACTIONS": ("USER_ID", "ITEM_ID", "TIMESTAMP"),
    "ITEMS": ("ITEM_ID",),
    "USERS": ("USER_ID",),
    "ACTIONS": ("ACTION_ID",),
    "ACTION_INTERACTIONS": ("USER_ID", "ACTION_ID", "TIMESTAMP"),
}
_TRAINING_COLUMN_MEMBERS = ("excludedDatasetColumns", "includedDatasetColumns")
_SCHEDULE_RE = re.compile(r"^rate\((\d+) days?\)$")
_INTEGER_RE = re.compile(r"^\d+$")


def solution_recipe(arn: str | None) -> RecipeEntry:
    """The catalogue recipe a solution may use.

    Raises:
        ResourceNotFoundException: no catalogue recipe has that ARN.
        InvalidInputException: the recipe is legacy or a domain (recommender) recipe.

    """
    try:
        entry = recipe_by_arn(arn or "")
    except ResourceNotFoundException:
        raise ResourceNotFoundException(f"recipeArn: recipe {arn} does not exist") from None
    if entry.legacy:
        raise InvalidInputException(
            f"recipeArn: recipe {entry.name} is no longer available for new solutions"
        )
    if entry.domain is not None:
        raise InvalidInputException(
            f"recipeArn: {entry.name} is a {entry.domain} domain recipe; use it with "
            "CreateRecommender, not CreateSolution"
        )
    return entry


def check_schedule(config: dict[str, Any] | None, field: str) -> None:
    """``autoTrainingConfig.schedulingExpression`` must be ``rate(N days)`` with N in 1..30."""
    expression = (config or {}).get("schedulingExpression")
    if expression is None:
        return
    match = _SCHEDULE_RE.match(expression)
    if match is None or not 1 <= int(match.group(1)) <= 30:
        raise InvalidInputException(
            f"{field}.schedulingExpression: {expression!r} must be rate(N days) with N from 1 to 30"
        )


def _check_recipe_options(
    entry: RecipeEntry, incremental: bool | None, events_config: object, prefix: str
) -> None:
    if incremental and entry.name not in INCREMENTAL_UPDATE_RECIPES:
        raise InvalidInputException(
            f"performIncrementalUpdate: only aws-semantic-similarity solutions support "
            f"incremental updates, not {entry.name}"
        )
    if events_config is not None and entry.name not in EVENTS_CONFIG_RECIPES:
        raise InvalidInputException(
            f"{prefix}.eventsConfig: only the aws-user-personalization-v2 and "
            f"aws-personalized-ranking-v2 recipes accept eventsConfig, not {entry.name}"
        )


def _check_hpo(entry: RecipeEntry, hpo_config: dict[str, Any]) -> None:
    if not any(spec.tunable for spec in entry.hyperparameters):
        raise InvalidInputException(
            f"performHPO: recipe {entry.name} has no tunable hyperparameters"
        )
    validate_hpo_ranges(entry, hpo_config.get("algorithmHyperParameterRanges"))
    resources = hpo_config.get("hpoResourceConfig") or {}
    for member, limit in HPO_RESOURCE_LIMITS.items():
        value = resources.get(member)
        if value is None:
            continue
        if not _INTEGER_RE.match(value.strip()) or not 1 <= int(value) <= limit:
            raise InvalidInputException(
                f"solutionConfig.hpoConfig.hpoResourceConfig.{member}: {value!r} must be an "
                f"integer from 1 to {limit}"
            )


def _group_schemas(cp: ControlPlane, group: Resource) -> dict[str, DatasetSchema]:
    schemas = {}
    for dataset in cp.store.find_resources(["dataset"], dataset_group_arn=group.arn):
        schema = cp.store.get_resource(dataset.document["schemaArn"])
        if schema is not None:
            parsed = parse_dataset_schema(schema.document["schema"], schema.document.get("domain"))
            schemas[parsed.dataset_type] = parsed
    return schemas


def _used_by_filters(request: dict[str, Any]) -> dict[str, str]:
    """Interactions columns the solution's event filters read -> the setting that reads them."""
    config = request.get("solutionConfig") or {}
    used = {}
    parameters = (config.get("eventsConfig") or {}).get("eventParametersList") or []
    if parameters:
        used["EVENT_TYPE"] = "solutionConfig.eventsConfig"
    if any(p.get("eventValueThreshold") is not None for p in parameters):
        used["EVENT_VALUE"] = "solutionConfig.eventsConfig"
    if request.get("eventType"):
        used["EVENT_TYPE"] = "eventType"
    if config.get("eventValueThreshold") is not None:
        used["EVENT_VALUE"] = "solutionConfig.eventValueThreshold"
    return used


def check_training_columns(cp: ControlPlane, group: Resource, request: dict[str, Any]) -> None:
    """``solutionConfig.trainingDataConfig`` must name columns training can go without.

    Each dataset type must be one of the group's datasets and each column a field of its schema.
    Required columns (ids, TIMESTAMP) cannot be left out, nor can an Interactions column the
    solution's own event filters read (``eventType``, ``eventValueThreshold``, ``eventsConfig``).

    Raises:
        InvalidInputException: naming the member, dataset type and column.

    """
    config = (request.get("solutionConfig") or {}).get("trainingDataConfig") or {}
    if not any(config.get(member) for member in _TRAINING_COLUMN_MEMBERS):
        return
    schemas = _group_schemas(cp, group)
    for member in _TRAINING_COLUMN_MEMBERS:
        for dataset_type, columns in (config.get(member) or {}).items():
            where = f"solutionConfig.trainingDataConfig.{member}.{dataset_type}"
            canonical = DATASET_TYPES.get(dataset_type)
            if canonical not in schemas:
                raise InvalidInputException(
                    f"{where}: dataset group {group.arn} has no {dataset_type} dataset"
                )
            for column in columns:
                if schemas[canonical].field(column) is None:
                    raise InvalidInputException(
                        f"{where}: the {dataset_type} schema has no column {column!r}"
                    )
                if member == "excludedDatasetColumns" and column in REQUIRED_TRAINING_COLUMNS.get(
                    canonical, ()
                ):
                    raise InvalidInputException(
                        f"{where}: column {column!r} is required for training and cannot be "
                        "excluded"
                    )
    _refuse_filtered_exclusions(request)


def _refuse_filtered_exclusions(request: dict[str, Any]) -> None:
    """An excluded Interactions column may not be one the solution's event filters read."""
    excluded = ((request.get("solutionConfig") or {}).get("trainingDataConfig") or {}).get(
        "excludedDatasetColumns"
    ) or {}
    filtered = _used_by_filters(request)
    for dataset_type, columns in excluded.items():
        if DATASET_TYPES.get(dataset_type) != "INTERACTIONS":
            continue
        for column in columns:
            if column in filtered:
                raise InvalidInputException(
                    f"solutionConfig.trainingDataConfig.excludedDatasetColumns.{dataset_type}: "
                    f"column {column!r} cannot be excluded: {filtered[column]} filters events on "
                    "it"
                )


def _check_solution_config(entry: RecipeEntry, request: dict[str, Any]) -> None:
    config = request.get("solutionConfig") or {}
    validate_hyperparameters(
        entry, config.get("algorithmHyperParameters"), config.get("featureTransformationParameters")
    )
    if request.get("performHPO"):
        _check_hpo(entry, config.get("hpoConfig") or {})
    if config.get("autoMLConfig") is not None:
        raise InvalidInputException(
            "solutionConfig.autoMLConfig: AutoML is a legacy feature that Tailor does not offer"
        )
    threshold = config.get("eventValueThreshold")
    if threshold is not None:
        try:
            number = float(threshold)
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            raise InvalidInputException(
                f"solutionConfig.eventValueThreshold: {threshold!r} is not a number"
            )
    check_schedule(config.get("autoTrainingConfig"), "solutionConfig.autoTrainingConfig")
    _check_recipe_options(
        entry, request.get("performIncrementalUpdate"), config.get("eventsConfig"), "solutionConfig"
    )


def create_solution(cp: ControlPlane, request: dict[str, Any]) -> dict[str, Any]:
    """CreateSolution: check the recipe and its configuration; the solution is ACTIVE at once."""
    group = require_active(cp, request.get("datasetGroupArn"), "dataset-group", "datasetGroupArn")
    recipe_arn = request.get("recipeArn")
    if request.get("performAutoML"):
        raise InvalidInputException(
            "performAutoML: AutoML is a legacy feature that Tailor does not offer; "
            "give a recipeArn instead"
            + (" (recipeArn and performAutoML=true are mutually exclusive)" if recipe_arn else "")
        )
    if not recipe_arn:
        raise InvalidInputException("recipeArn is required (Tailor does not offer AutoML)")
    entry = solution_recipe(recipe_arn)
    _check_solution_config(entry, request)
    check_training_columns(cp, group, request)
    if len(cp.store.find_resources([KIND], dataset_group_arn=group.arn)) >= MAX_SOLUTIONS_PER_GROUP:
        raise LimitExceededException(
            f"dataset group {group.arn} already has {MAX_SOLUTIONS_PER_GROUP} solutions"
        )
    name = request["name"]
    arn = cp.arns.build(KIND, name)
    document = omit_empty(
        {
            "name": name,
            "solutionArn": arn,
            "performHPO": bool(request.get("performHPO", False)),
            "performAutoML": False,
            "performAutoTraining": bool(request.get("performAutoTraining", True)),
            "performIncrementalUpdate": bool(request.get("performIncrementalUpdate", False)),
            "recipeArn": entry.recipe_arn,
            "datasetGroupArn": group.arn,
            "eventType": request.get("eventType"),
            "solutionConfig": request.get("solutionConfig"),
        }
    )
    create_in_group(
        cp,
        request,
        group,
        kind=KIND,
        arn=arn,
        name=name,
        document=document,
    )
    return {"solutionArn": arn}


def version_summary(version: Resource) -> dict[str, Any]:
    """A solution version as the AWS ``SolutionVersionSummary`` shape."""
    return version.summary("solutionVersionArn", "trainingMode", "trainingType")


def describe_solution(cp: ControlPlane, request: dict[str, Any]) -> dict[str, Any]:
    """DescribeSolution; ``latestSolutionVersion`` shows that version's current status."""
    solution = require(cp, request.get("solutionArn"), KIND, "solutionArn")
    body = solution.to_aws()
    latest = body.get("latestSolutionVersion")
    if latest:
        version = cp.store.get_resource(latest["solutionVersionArn"])
        if version is not None:
            body["latestSolutionVersion"] = version_summary(version)
    return {"solution": body}


def list_solutions(cp: ControlPlane, request: dict[str, Any]) -> dict[str, Any]:
    """ListSolutions, optionally of one dataset group."""
    return list_page(
        cp,
        request,
        KIND,
        "solutions",
        lambda r: r.summary("name", "solutionArn", "recipeArn"),
        parent_field="datasetGroupArn",
        parent_kind="dataset-group",
    )


def update_solution(cp: ControlPlane, request: dict[str, Any]) -> dict[str, Any]:
    """UpdateSolution: auto-training, incremental updates and events config, applied at once."""
    solution = require_active(cp, request.get("solutionArn"), KIND, "solutionArn")
    document = solution.document
    entry = recipe_by_arn(document["recipeArn"])
    update_config = request.get("solutionUpdateConfig") or {}
    check_schedule(
        update_config.get("autoTrainingConfig"), "solutionUpdateConfig.autoTrainingConfig"
    )
    _check_recipe_options(
        entry,
        request.get("performIncrementalUpdate"),
        update_config.get("eventsConfig"),
        "solutionUpdateConfig",
    )
    config = dict(document.get("solutionConfig") or {})
    for key in ("autoTrainingConfig", "eventsConfig"):
        if key in update_config:
            config[key] = update_config[key]
    _refuse_filtered_exclusions({"eventType": document.get("eventType"), "solutionConfig": config})
    auto_training = request.get("performAutoTraining", document.get("performAutoTraining", True))
    incremental = request.get(
        "performIncrementalUpdate", document.get("performIncrementalUpdate", False)
    )
    stamp = now()
    summary = {
        "solutionUpdateConfig": omit_empty(
            {key: config.get(key) for key in ("autoTrainingConfig", "eventsConfig")}
        ),
        "status": ACTIVE,
        "performAutoTraining": auto_training,
        "performIncrementalUpdate": incremental,
        "creationDateTime": stamp,
        "lastUpdatedDateTime": stamp,
    }
    cp.store.update_resource(
        solution.arn,
        changes={
            "solutionConfig": config,
            "performAutoTraining": auto_training,
            "performIncrementalUpdate": incremental,
            "latestSolutionUpdate": summary,
        },
        expected_statuses=[ACTIVE],
    )
    return {"solutionArn": solution.arn}


def delete_solution(cp: ControlPlane, request: dict[str, Any]) -> dict[str, Any]:
    """DeleteSolution with all its versions.

    Refused while a version is training (or stopping), while a campaign uses one of its versions
    and while a batch job reading one of its versions runs.
    """
    solution = require(cp, request.get("solutionArn"), KIND, "solutionArn")
    ensure_deletable(solution)
    versions = cp.store.find_resources([VERSION_KIND], parent_arn=solution.arn)
    users = {c.arn: c for c in cp.store.find_resources(["campaign"], parent_arn=solution.arn)}
    for version in versions:
        users.update(
            (c.arn, c) for c in cp.store.find_resources(["campaign"], linked_to=version.arn)
        )
        running = cp.store.find_resources(
            ["batch-inference-job", "batch-segment-job"], linked_to=version.arn, statuses=CREATING
        )
        users.update((job.arn, job) for job in running)
    training = [v for v in versions if v.status in TRAINING_STATUSES]
    ensure_no_dependents(cp, solution, training + list(users.values()))
    for version in versions:
        cp.store.delete_resource(version.arn)
    cp.store.delete_resource(solution.arn)
    return {}


OPERATIONS = {
    "CreateSolution": create_solution,
    "DescribeSolution": describe_solution,
    "ListSolutions": list_solutions,
    "UpdateSolution": update_solution,
    "DeleteSolution": delete_solution,
}
