"""The artifact store: trained models of solution versions (see ``artifact_store.py``)."""

from storage.artifacts.artifact_store import (
    ArtifactStore,
    FilesystemArtifactStore,
    LoadedArtifact,
    open_artifact_store,
)

__all__ = ["ArtifactStore", "FilesystemArtifactStore", "LoadedArtifact", "open_artifact_store"]
