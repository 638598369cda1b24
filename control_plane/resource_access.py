"""Lookups, guards and list plumbing shared by the resource modules."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from control_plane.context import ControlPlane
from domain.errors import InvalidInputException, ResourceInUseException, ResourceNotFoundException
from domain.resources import ACTIVE, DELETABLE, Resource

KIND_LABELS = {
    "dataset-group": "dataset group",
    "schema": "schema",
    "dataset": "dataset",
    "dataset-import-job": "dataset import job",
    "dataset-export-job": "dataset export job",
    "data-deletion-job": "data deletion job",
    "solution": "solution",
    "solution-version": "solution version",
    "campaign": "campaign",
    "event-tracker": "event tracker",
    "filter": "filter",
    "batch-inference-job": "batch inference job",
    "batch-segment-job": "batch segment job",
    "recommender": "recommender",
    "metric-attribution": "metric attribution",
}


def label(kind: str) -> str:
    """Human name of a resource kind (``dataset-group`` -> ``dataset group``)."""
    return KIND_LABELS.get(kind, kind)


def require(cp: ControlPlane, arn: str | None, kind: str, field_name: str) -> Resource:
    """The resource of ``kind`` named by request field ``field_name``.

    Raises:
        InvalidInputException: the field is missing.
        ResourceNotFoundException: no resource of that kind has that ARN.

    """
    if not arn:
        raise InvalidInputException(f"{field_name} is required")
    resource = cp.store.get_resource(arn)
    if resource is None or resource.kind != kind:
        raise ResourceNotFoundException(f"{field_name}: {label(kind)} {arn} does not exist")
    return resource


def require_active(cp: ControlPlane, arn: str | None, kind: str, field_name: str) -> Resource:
    """Like ``require``, and the resource must be ACTIVE (else ResourceInUseException)."""
    resource = require(cp, arn, kind, field_name)
    if resource.status != ACTIVE:
        raise ResourceInUseException(
            f"{field_name}: {label(kind)} {arn} is {resource.status}, it must be ACTIVE"
        )
    return resource


def ensure_deletable(resource: Resource) -> None:
    """Refuse to delete a resource that is still being created or changed."""
    if resource.status is not None and resource.status not in DELETABLE:
        raise ResourceInUseException(
            f"{label(resource.kind)} {resource.arn} is {resource.status} and cannot be deleted yet"
        )


def delete_when_idle(
    cp: ControlPlane, request: dict[str, Any], kind: str, field_name: str
) -> dict[str, Any]:
    """Delete the resource the request names, unless it is still being created or changed."""
    resource = require(cp, request.get(field_name), kind, field_name)
    ensure_deletable(resource)
    cp.store.delete_resource(resource.arn)
    return {}


def ensure_no_dependents(cp: ControlPlane, resource: Resource, dependents: list[Resource]) -> None:
    """Refuse an operation on ``resource`` while ``dependents`` exist, naming a few of them."""
    if dependents:
        named = ", ".join(d.arn for d in dependents[:3])
        more = f" and {len(dependents) - 3} more" if len(dependents) > 3 else ""
        raise ResourceInUseException(
            f"{label(resource.kind)} {resource.arn} is in use by {named}{more}"
        )


def create_in_group(
    cp: ControlPlane,
    request: dict[str, Any],
    group: Resource,
    *,
    kind: str,
    arn: str,
    name: str,
    document: dict[str, Any],
    status: str = ACTIVE,
    conflict_message: str | None = None,
    **store_options: Any,
) -> Resource:
    """Store a new resource of a dataset group, with the request's tags, all or nothing.

    Args:
        cp: The control plane.
        request: The Create request (its ``tags`` are stored with the resource).
        group: The dataset group the resource belongs to (and is listed under).
        kind: Resource kind.
        arn: The new resource's ARN.
        name: Its name.
        document: Its AWS-shaped members.
        status: Initial status.
        conflict_message: Message when the ARN (or singleton key) is taken; by default
            "a <kind> named <name> already exists".
        **store_options: ``links``, ``singleton_key`` or ``job`` for ``create_resource``.
    """
    return cp.store.create_resource(
        Resource.in_group(
            arn=arn, kind=kind, name=name, group_arn=group.arn, document=document, status=status
        ),
        tags=tags_of(request),
        conflict_message=conflict_message
        or f"a {label(kind)} named {name!r} already exists ({arn})",
        **store_options,
    )


def tags_of(request: dict[str, Any]) -> dict[str, str]:
    """The request's ``tags`` list as a dict (later duplicates win, as AWS does)."""
    return {tag["tagKey"]: tag.get("tagValue", "") for tag in request.get("tags", [])}


def list_page(
    cp: ControlPlane,
    request: dict[str, Any],
    kind: str,
    result_key: str,
    to_summary: Callable[[Resource], dict[str, Any]],
    parent_field: str | None = None,
    parent_kind: str | None = None,
) -> dict[str, Any]:
    """Answer a List call: optional parent filter, ``maxResults`` (default 100), ``nextToken``."""
    parent_arn = request.get(parent_field) if parent_field else None
    if parent_arn and parent_kind:
        require(cp, parent_arn, parent_kind, parent_field or "")
    page = cp.store.list_resources(
        kind,
        parent_arn=parent_arn,
        max_results=int(request.get("maxResults", 100)),
        next_token=request.get("nextToken"),
    )
    response: dict[str, Any] = {result_key: [to_summary(item) for item in page.items]}
    if page.next_token:
        response["nextToken"] = page.next_token
    return response


def omit_empty(document: dict[str, Any]) -> dict[str, Any]:
    """Drop members that are None (AWS omits absent members rather than sending null)."""
    return {key: value for key, value in document.items() if value is not None}


def first_dependent_kinds(
    cp: ControlPlane, kinds: Iterable[str], dataset_group_arn: str
) -> list[Resource]:
    """Resources of ``kinds`` in a dataset group (for DeleteDatasetGroup's precondition)."""
    return cp.store.find_resources(kinds, dataset_group_arn=dataset_group_arn)
