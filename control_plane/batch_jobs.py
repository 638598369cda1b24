"""Batch inference and batch segment jobs over an ACTIVE solution version, run by the trainer."""

from __future__ import annotations

from typing import Any

from control_plane.context import ControlPlane
from control_plane.recommenders import check_item_exploration_config
from control_plane.resource_access import list_page, omit_empty, require, require_active, tags_of
from domain import recipe_catalogue
from domain.dataset_schema import parse_dataset_schema
from domain.errors import InvalidInputException, LimitExceededException
from domain.recipe_catalogue import RecipeEntry
from domain.resources import CREATE_PENDING, CREATING, Resource
from storage.metadata.store import NewJob

INFERENCE_KIND = "batch-inference-job"
SEGMENT_KIND = "batch-segment-job"
#: Pending/in-progress jobs allowed per region, per kind (spec §11.1, §13).
MAX_RUNNING_JOBS = 5
DEFAULT_NUM_RESULTS = 25
MAX_SEGMENT_USERS = 5_000_000
#: Recipes AWS cannot run batch inference for (CreateBatchInferenceJob documentation).
NO_BATCH_INFERENCE = ("aws-trending-now", "aws-next-best-action")
THEME_RECIPE = "aws-similar-items"


def _recipe_of(cp: ControlPlane, version: Resource) -> RecipeEntry | None:
    """The recipe a solution version was trained with, from its solution's document."""
    solution = cp.store.get_resource(
        version.document.get("solutionArn") or version.parent_arn or ""
    )
    documents = [solution.document if solution else {}, version.document]
    for document in documents:
        arn = document.get("recipeArn") or (document.get("autoMLResult") or {}).get("bestRecipeArn")
        if arn:
            return recipe_catalogue.recipe_by_arn(arn)
    return None


def _common(
    cp: ControlPlane, request: dict[str, Any], kind: str, label: str
) -> tuple[Resource, RecipeEntry | None, Resource | None]:
    """Checks shared by both job kinds: version ACTIVE, filter of its group, numResults, quota."""
    version = require_active(
        cp, request.get("solutionVersionArn"), "solution-version", "solutionVersionArn"
    )
    recipe = _recipe_of(cp, version)
    filter_resource = None
    if request.get("filterArn"):
        filter_resource = require(cp, request["filterArn"], "filter", "filterArn")
        if version.dataset_group_arn and filter_resource.dataset_group_arn != (
            version.dataset_group_arn
        ):
            raise InvalidInputException(
                f"filterArn: filter {filter_resource.arn} belongs to another dataset group than "
                f"solution version {version.arn}"
            )
    num_results = request.get("numResults")
    if num_results is not None and num_results < 1:
        raise InvalidInputException(f"numResults: must be at least 1, got {num_results}")
    running = cp.store.find_resources([kind], statuses=CREATING)
    if len(running) >= MAX_RUNNING_JOBS:
        raise LimitExceededException(
            f"{len(running)} {label}s are already pending or in progress "
            f"(at most {MAX_RUNNING_JOBS})"
        )
    return version, recipe, filter_resource


def _check_theme_generation(
    cp: ControlPlane, request: dict[str, Any], version: Resource, recipe: RecipeEntry | None
) -> str:
    """The job mode, with THEME_GENERATION only for Similar-Items and a real item-name column."""
    mode = request.get("batchInferenceJobMode") or "BATCH_INFERENCE"
    theme = request.get("themeGenerationConfig")
    if mode != "THEME_GENERATION":
        if theme:
            raise InvalidInputException(
                "themeGenerationConfig: only allowed with batchInferenceJobMode THEME_GENERATION"
            )
        return mode
    if recipe is None or recipe.name != THEME_RECIPE:
        raise InvalidInputException(
            f"batchInferenceJobMode: THEME_GENERATION needs a solution version trained with "
            f"{THEME_RECIPE}"
        )
    item_name = ((theme or {}).get("fieldsForThemeGeneration") or {}).get("itemName")
    if not item_name:
        raise InvalidInputException(
            "themeGenerationConfig.fieldsForThemeGeneration.itemName is required with "
            "batchInferenceJobMode THEME_GENERATION"
        )
    items = cp.store.find_resources(["dataset"], dataset_group_arn=version.dataset_group_arn)
    items = [d for d in items if d.document.get("datasetType") == "ITEMS"]
    schema = cp.store.get_resource(items[0].document["schemaArn"]) if items else None
    fields = (
        parse_dataset_schema(schema.document["schema"], schema.document.get("domain")).field_names
        if schema
        else ()
    )
    if item_name not in fields:
        raise InvalidInputException(
            f"themeGenerationConfig.fieldsForThemeGeneration.itemName: the Items dataset of "
            f"{version.dataset_group_arn} has no column {item_name!r}"
        )
    return mode


def _store_job(
    cp: ControlPlane,
    request: dict[str, Any],
    resource: Resource,
    job_kind: str,
    version: Resource,
    filter_resource: Resource | None,
    label: str,
) -> None:
    cp.store.create_resource(
        resource,
        # DeleteSolution finds running jobs by their version link, DeleteFilter by the filter's.
        links=[version.arn, *([filter_resource.arn] if filter_resource else [])],
        tags=tags_of(request),
        job=NewJob(job_kind, {"solutionVersionArn": version.arn}),
        conflict_message=f"a {label} named {resource.name!r} already exists ({resource.arn})",
    )


def create_batch_inference_job(cp: ControlPlane, request: dict[str, Any]) -> dict[str, Any]:
    """CreateBatchInferenceJob: queue recommendations for every line of the input.

    Raises:
        ResourceNotFoundException: the solution version or filter does not exist.
        ResourceInUseException: the solution version is not ACTIVE.
        InvalidInputException: the recipe cannot run batch inference, or a setting does not fit.
        LimitExceededException: five batch inference jobs are already pending or in progress.

    """
    label = "batch inference job"
    version, recipe, filter_resource = _common(cp, request, INFERENCE_KIND, label)
    if recipe is not None and (
        recipe.name in NO_BATCH_INFERENCE or recipe.recipe_type == "USER_SEGMENTATION"
    ):
        hint = " (use a batch segment job)" if recipe.recipe_type == "USER_SEGMENTATION" else ""
        raise InvalidInputException(
            f"solutionVersionArn: batch inference is not supported for {recipe.name}{hint}"
        )
    mode = _check_theme_generation(cp, request, version, recipe)
    config = request.get("batchInferenceJobConfig")
    check_item_exploration_config(
        (config or {}).get("itemExplorationConfig"),
        recipe,
        "batchInferenceJobConfig.itemExplorationConfig",
        min_age_days=0,
    )
    name = request["jobName"]
    arn = cp.arns.build(INFERENCE_KIND, name)
    document = omit_empty(
        {
            "jobName": name,
            "batchInferenceJobArn": arn,
            "filterArn": filter_resource.arn if filter_resource else None,
            "solutionVersionArn": version.arn,
            "numResults": request.get("numResults") or DEFAULT_NUM_RESULTS,
            "jobInput": request["jobInput"],
            "jobOutput": request["jobOutput"],
            "batchInferenceJobConfig": config,
            "roleArn": request["roleArn"],
            "batchInferenceJobMode": mode,
            "themeGenerationConfig": request.get("themeGenerationConfig"),
        }
    )
    resource = Resource(
        arn=arn,
        kind=INFERENCE_KIND,
        name=name,
        status=CREATE_PENDING,
        document=document,
        parent_arn=version.arn,
        dataset_group_arn=version.dataset_group_arn,
    )
    _store_job(cp, request, resource, "batch-inference", version, filter_resource, label)
    return {"batchInferenceJobArn": arn}


def describe_batch_inference_job(cp: ControlPlane, request: dict[str, Any]) -> dict[str, Any]:
    """DescribeBatchInferenceJob."""
    job = require(cp, request.get("batchInferenceJobArn"), INFERENCE_KIND, "batchInferenceJobArn")
    return {"batchInferenceJob": job.to_aws()}


def list_batch_inference_jobs(cp: ControlPlane, request: dict[str, Any]) -> dict[str, Any]:
    """ListBatchInferenceJobs, optionally of one solution version, newest first."""
    return list_page(
        cp,
        request,
        INFERENCE_KIND,
        "batchInferenceJobs",
        lambda r: r.summary(
            "batchInferenceJobArn", "jobName", "solutionVersionArn", "batchInferenceJobMode"
        ),
        parent_field="solutionVersionArn",
        parent_kind="solution-version",
    )


def create_batch_segment_job(cp: ControlPlane, request: dict[str, Any]) -> dict[str, Any]:
    """CreateBatchSegmentJob: queue user segments from a USER_SEGMENTATION solution version.

    Raises:
        ResourceNotFoundException: the solution version or filter does not exist.
        ResourceInUseException: the solution version is not ACTIVE.
        InvalidInputException: the recipe is not a user segmentation recipe, or numResults is out
            of range.
        LimitExceededException: five batch segment jobs are already pending or in progress.

    """
    label = "batch segment job"
    version, recipe, filter_resource = _common(cp, request, SEGMENT_KIND, label)
    if recipe is None or recipe.recipe_type != "USER_SEGMENTATION":
        name = recipe.name if recipe else "an unknown recipe"
        raise InvalidInputException(
            f"solutionVersionArn: batch segment jobs need a USER_SEGMENTATION recipe "
            f"(aws-item-affinity, aws-item-attribute-affinity); {version.arn} uses {name}"
        )
    num_results = request.get("numResults")
    if num_results is not None and num_results > MAX_SEGMENT_USERS:
        raise InvalidInputException(
            f"numResults: a segment holds at most {MAX_SEGMENT_USERS} users, got {num_results}"
        )
    name = request["jobName"]
    arn = cp.arns.build(SEGMENT_KIND, name)
    document = omit_empty(
        {
            "jobName": name,
            "batchSegmentJobArn": arn,
            "filterArn": filter_resource.arn if filter_resource else None,
            "solutionVersionArn": version.arn,
            "numResults": num_results,
            "jobInput": request["jobInput"],
            "jobOutput": request["jobOutput"],
            "roleArn": request["roleArn"],
        }
    )
    resource = Resource(
        arn=arn,
        kind=SEGMENT_KIND,
        name=name,
        status=CREATE_PENDING,
        document=document,
        parent_arn=version.arn,
        dataset_group_arn=version.dataset_group_arn,
    )
    _store_job(cp, request, resource, "batch-segment", version, filter_resource, label)
    return {"batchSegmentJobArn": arn}


def describe_batch_segment_job(cp: ControlPlane, request: dict[str, Any]) -> dict[str, Any]:
    """DescribeBatchSegmentJob."""
    job = require(cp, request.get("batchSegmentJobArn"), SEGMENT_KIND, "batchSegmentJobArn")
    return {"batchSegmentJob": job.to_aws()}


def list_batch_segment_jobs(cp: ControlPlane, request: dict[str, Any]) -> dict[str, Any]:
    """ListBatchSegmentJobs, optionally of one solution version, newest first."""
    return list_page(
        cp,
        request,
        SEGMENT_KIND,
        "batchSegmentJobs",
        lambda r: r.summary("batchSegmentJobArn", "jobName", "solutionVersionArn"),
        parent_field="solutionVersionArn",
        parent_kind="solution-version",
    )


OPERATIONS = {
    "CreateBatchInferenceJob": create_batch_inference_job,
    "DescribeBatchInferenceJob": describe_batch_inference_job,
    "ListBatchInferenceJobs": list_batch_inference_jobs,
    "CreateBatchSegmentJob": create_batch_segment_job,
    "DescribeBatchSegmentJob": describe_batch_segment_job,
    "ListBatchSegmentJobs": list_batch_segment_jobs,
}
