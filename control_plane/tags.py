"""TagResource, UntagResource and ListTagsForResource on every taggable resource."""

from __future__ import annotations

from typing import Any

from control_plane.context import ControlPlane
from domain.errors import ResourceNotFoundException, TooManyTagKeysException
from storage.metadata.store import MAX_TAGS_PER_RESOURCE


def _require_any(cp: ControlPlane, arn: str) -> None:
    if cp.store.get_resource(arn) is None:
        raise ResourceNotFoundException(f"resourceArn: {arn} does not exist")


def tag_resource(cp: ControlPlane, request: dict[str, Any]) -> dict[str, Any]:
    """TagResource: add or overwrite tags."""
    arn = request["resourceArn"]
    _require_any(cp, arn)
    cp.store.add_tags(arn, {t["tagKey"]: t.get("tagValue", "") for t in request["tags"]})
    return {}


def untag_resource(cp: ControlPlane, request: dict[str, Any]) -> dict[str, Any]:
    """UntagResource: remove tags by key."""
    arn = request["resourceArn"]
    keys = request["tagKeys"]
    if len(keys) > MAX_TAGS_PER_RESOURCE:
        raise TooManyTagKeysException(
            f"tagKeys: at most {MAX_TAGS_PER_RESOURCE} keys per call, got {len(keys)}"
        )
    _require_any(cp, arn)
    cp.store.remove_tags(arn, keys)
    return {}


def list_tags_for_resource(cp: ControlPlane, request: dict[str, Any]) -> dict[str, Any]:
    """ListTagsForResource."""
    arn = request["resourceArn"]
    _require_any(cp, arn)
    tags = cp.store.get_tags(arn)
    return {"tags": [{"tagKey": k, "tagValue": v} for k, v in sorted(tags.items())]}


OPERATIONS = {
    "TagResource": tag_resource,
    "UntagResource": untag_resource,
    "ListTagsForResource": list_tags_for_resource,
}
