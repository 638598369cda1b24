"""Solution versions: trained models of a solution, produced by ``solution-version`` jobs.

``trainingMode=UPDATE`` (AWS: "only if the solution already has an ACTIVE FULL version and the
recipe is User-Personalization or legacy HRNN-Coldstart") is refused at CreateSolutionVersion
with InvalidInputException naming ``trainingMode`` for other recipes (User-Personalization-v2
included: AWS updates v2 automatically instead) and for solutions without an ACTIVE FULL (or
automatic) version. The trainer refreshes the newest ACTIVE version (FULL, UPDATE or AUTOTRAIN)
created before the update (``trainer.solution_training``).
"""

from __future__ import annotations

import secrets
from typing import Any

from control_plane import solutions
from control_plane.context import ControlPlane
from control_plane.resource_access import list_page, omit_empty, require, require_active, tags_of
from domain.errors import InvalidInputException, LimitExceededException, ResourceInUseException
from domain.recipe_catalogue import recipe_by_arn
from domain.resources import (
    ACTIVE,
    CREATE_IN_PROGRESS,
    CREATE_PENDING,
    CREATE_STOPPED,
    CREATE_STOPPING,
    CREATING,
    Resource,
)
from storage.metadata.store import NewJob

KIND = solutions.VERSION_KIND
JOB_KIND = "solution-version"
#: Recipes whose solutions accept ``trainingMode=UPDATE`` (spec §2, CreateSolutionVersion).
UPDATE_MODE_RECIPES = frozenset({"aws-user-personalization", "aws-hrnn-coldstart"})
#: Training modes that count as the full training an UPDATE needs.
FULL_MODES = frozenset({"FULL", "AUTOTRAIN"})
#: Training modes whose versions an UPDATE may refresh.
UPDATE_BASE_MODES = FULL_MODES | {"UPDATE"}
#: Pending or in-progress solution versions per account and region (§13, adjustable on AWS).
MAX_TRAINING_VERSIONS = 20
#: What StopSolutionVersionCreation does to each stoppable status.
STOP_TRANSITIONS = {CREATE_PENDING: CREATE_STOPPED, CREATE_IN_PROGRESS: CREATE_STOPPING}
#: Members a version copies from its solution when it is created.
_COPIED_MEMBERS = (
    "performHPO",
    "performAutoML",
    "performIncrementalUpdate",
    "recipeArn",
    "eventType",
    "datasetGroupArn",
    "solutionConfig",
)


def _base_version(cp: ControlPlane, solution: Resource) -> Resource:
    """The newest ACTIVE version an UPDATE version builds on (today; the trainer re-reads it).

    Raises:
        InvalidInputException: the recipe does not support UPDATE, or the solution has no
            ACTIVE FULL version.

    """
    recipe = recipe_by_arn(solution.document["recipeArn"])
    if recipe.name not in UPDATE_MODE_RECIPES:
        raise InvalidInputException(
            f"trainingMode: UPDATE needs an aws-user-personalization or aws-hrnn-coldstart "
            f"solution; {solution.arn} uses {recipe.name}"
        )
    active = cp.store.find_resources([KIND], parent_arn=solution.arn, statuses=[ACTIVE])
    if not any(version.document.get("trainingMode", "FULL") in FULL_MODES for version in active):
        raise InvalidInputException(
            f"trainingMode: UPDATE needs an ACTIVE solution version trained with FULL; "
            f"solution {solution.arn} has none"
        )
    bases = [v for v in active if v.document.get("trainingMode", "FULL") in UPDATE_BASE_MODES]
    return max(bases, key=lambda version: version.created_at)


def _new_arn(cp: ControlPlane, solution: Resource) -> str:
    for _ in range(5):
        arn = cp.arns.build("solution", solution.name, secrets.token_hex(4))
        if cp.store.get_resource(arn) is None:
            return arn
    raise RuntimeError("could not draw an unused solution version id")  # pragma: no cover


def create_solution_version(cp: ControlPlane, request: dict[str, Any]) -> dict[str, Any]:
    """CreateSolutionVersion: record a CREATE PENDING version and queue its training job."""
    solution = require_active(cp, request.get("solutionArn"), solutions.KIND, "solutionArn")
    mode = request.get("trainingMode", "FULL")
    if mode == "AUTOTRAIN":
        raise InvalidInputException(
            "trainingMode: AUTOTRAIN versions are created by automatic training only"
        )
    base = _base_version(cp, solution) if mode == "UPDATE" else None
    training = cp.store.find_resources([KIND], statuses=CREATING)
    if len(training) >= MAX_TRAINING_VERSIONS:
        raise LimitExceededException(
            f"{MAX_TRAINING_VERSIONS} solution versions are already pending or in progress"
        )
    name = request.get("name")
    arn = _new_arn(cp, solution)
    copied = {key: solution.document.get(key) for key in _COPIED_MEMBERS}
    document = omit_empty(
        {
            "name": name,
            "solutionVersionArn": arn,
            "solutionArn": solution.arn,
            **copied,
            "trainingMode": mode,
            "trainingType": "MANUAL",
        }
    )
    payload = omit_empty(
        {
            "solutionArn": solution.arn,
            "datasetGroupArn": solution.dataset_group_arn,
            "recipeArn": solution.document["recipeArn"],
            "trainingMode": mode,
            "baseSolutionVersionArn": base.arn if base else None,
        }
    )
    version = cp.store.create_resource(
        Resource(
            arn=arn,
            kind=KIND,
            name=name or arn.rsplit("/", 1)[-1],
            status=CREATE_PENDING,
            document=document,
            parent_arn=solution.arn,
            dataset_group_arn=solution.dataset_group_arn,
        ),
        tags=tags_of(request),
        singleton_key=f"{KIND}-name:{solution.arn}:{name}" if name else None,
        job=NewJob(JOB_KIND, payload),
        conflict_message=f"solution {solution.arn} already has a version named {name!r}",
    )
    cp.store.update_resource(
        solution.arn, changes={"latestSolutionVersion": solutions.version_summary(version)}
    )
    return {"solutionVersionArn": arn}


def describe_solution_version(cp: ControlPlane, request: dict[str, Any]) -> dict[str, Any]:
    """DescribeSolutionVersion."""
    version = require(cp, request.get("solutionVersionArn"), KIND, "solutionVersionArn")
    body = version.to_aws()
    body.pop("metrics", None)
    return {"solutionVersion": body}


def list_solution_versions(cp: ControlPlane, request: dict[str, Any]) -> dict[str, Any]:
    """ListSolutionVersions, optionally of one solution."""
    return list_page(
        cp,
        request,
        KIND,
        "solutionVersions",
        solutions.version_summary,
        parent_field="solutionArn",
        parent_kind=solutions.KIND,
    )


def stop_solution_version_creation(cp: ControlPlane, request: dict[str, Any]) -> dict[str, Any]:
    """StopSolutionVersionCreation: CREATE PENDING -> CREATE STOPPED, IN_PROGRESS -> STOPPING.

    The change is a compare-and-set, so a version the trainer claims meanwhile is re-read and
    stopped from its new status.
    """
    version = require(cp, request.get("solutionVersionArn"), KIND, "solutionVersionArn")
    for _ in range(3):
        target = STOP_TRANSITIONS.get(version.status or "")
        if target is None:
            break
        try:
            cp.store.update_resource(version.arn, status=target, expected_statuses=[version.status])
            return {}
        except ResourceInUseException:
            version = require(cp, version.arn, KIND, "solutionVersionArn")
    raise ResourceInUseException(
        f"solution version {version.arn} is {version.status}; only a CREATE PENDING or "
        "CREATE IN_PROGRESS version can be stopped"
    )


def get_solution_metrics(cp: ControlPlane, request: dict[str, Any]) -> dict[str, Any]:
    """GetSolutionMetrics: the evaluation metrics the trainer stored on an ACTIVE version."""
    version = require(cp, request.get("solutionVersionArn"), KIND, "solutionVersionArn")
    if version.status != ACTIVE:
        raise ResourceInUseException(
            f"solutionVersionArn: solution version {version.arn} is {version.status}; "
            "metrics exist only for an ACTIVE version"
        )
    return {
        "solutionVersionArn": version.arn,
        "metrics": dict(version.document.get("metrics") or {}),
    }


OPERATIONS = {
    "CreateSolutionVersion": create_solution_version,
    "DescribeSolutionVersion": describe_solution_version,
    "ListSolutionVersions": list_solution_versions,
    "StopSolutionVersionCreation": stop_solution_version_creation,
    "GetSolutionMetrics": get_solution_metrics,
}
