"""The users' attributes for ``IF CurrentUser.X`` filter conditions.

A user's attributes are the user's PutUsers record (online store).
"""

from __future__ import annotations

from typing import Any

from runtime_service.model_registry import Deployment
from storage.metadata.store import MetadataStore
from storage.online.store import OnlineStore

DATASET_KIND = "dataset"


class UserAttributes:
    """Reads users' attributes for the served deployments."""

    def __init__(self, store: MetadataStore, online: OnlineStore) -> None:
        """Create the reader over the metadata store (datasets) and the online store."""
        self.store = store
        self.online = online

    def record(self, deployment: Deployment, user_id: str) -> dict[str, Any] | None:
        """The attributes of ``user_id`` in ``deployment``'s dataset group, or None if unknown."""
        datasets = self.store.find_resources(
            [DATASET_KIND], dataset_group_arn=deployment.dataset_group_arn
        )
        users = [d.arn for d in datasets if d.document.get("datasetType") == "USERS"]
        if not users:
            return None
        record = self.online.get_records(users[0], [user_id]).get(user_id)
        return dict(record.properties) if record is not None else None
