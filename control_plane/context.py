"""What every control-plane operation needs: the metadata store and the ARN factory."""

from __future__ import annotations

from dataclasses import dataclass

from domain.arns import ArnFactory
from storage.metadata.store import MetadataStore


@dataclass(frozen=True)
class ControlPlane:
    """Dependencies shared by the control-plane operations."""

    store: MetadataStore
    arns: ArnFactory
