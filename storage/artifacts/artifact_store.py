"""Trained models on a ``pyarrow.fs`` filesystem: one directory per solution version.

A solution version's artifact is the directory ``{artifacts}/{solution name}/{version id}/``
written by ``recipes.artifact_format.save_model`` (``manifest.json`` plus ``.npy`` arrays, never
pickle); the id maps (item ids, user ids) are extra arrays of strings.

Locally the model is written into a hidden staging directory beside its final place and then
renamed into place, so a version's directory is complete or absent. On S3 it is written to a local
temporary directory and uploaded with the manifest last (``read_manifest`` treats a directory
without its manifest as unfinished). Local artifacts are opened memory-mapped, so serving
processes share the pages; S3 artifacts are downloaded to a local cache directory first.
"""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from pyarrow import fs

from recipes.artifact_format import MANIFEST_NAME, load_extra_arrays, load_model, save_model
from recipes.evaluation import Model
from storage.data.filesystems import Location, resolve_location

_STAGING_PREFIX = ".staging-"


@dataclass(frozen=True)
class LoadedArtifact:
    """A model read back from the store.

    Attributes:
        model: The model dataclass (arrays memory-mapped where the store is local).
        arrays: The extra arrays saved with it (e.g. ``item_ids``, ``user_ids``).
        directory: The local directory the arrays are mapped from.

    """

    model: Model
    arrays: dict[str, np.ndarray]
    directory: Path


class ArtifactStore(ABC):
    """Where solution versions' models are written and read."""

    @abstractmethod
    def write_model(
        self,
        solution_name: str,
        version_id: str,
        model: Model,
        *,
        extra_arrays: Mapping[str, np.ndarray] | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> str:
        """Write a complete artifact and return its URI (``file://...`` or ``s3://...``)."""

    @abstractmethod
    def open_artifact(self, uri: str) -> LoadedArtifact:
        """Load the artifact at ``uri`` (memory-mapped when local).

        Raises:
            recipes.artifact_format.ArtifactFormatError: missing or incomplete artifact.

        """

    @abstractmethod
    def delete(self, uri: str) -> None:
        """Delete the artifact at ``uri`` (nothing happens when it is absent)."""


class FilesystemArtifactStore(ArtifactStore):
    """Artifacts under a local directory or an ``s3://bucket/prefix``."""

    def __init__(self, location: str, s3_endpoint_url: str = "") -> None:
        """Create the store.

        Args:
            location: A local path, ``file://`` or ``s3://`` URL (the artifacts root).
            s3_endpoint_url: Endpoint of an S3-compatible store for ``s3://`` locations.

        Raises:
            storage.data.UnsupportedLocation: the location's scheme is unknown.

        """
        self.location = location
        self.s3_endpoint_url = s3_endpoint_url
        self.root: Location = resolve_location(location, s3_endpoint_url)
        self._cache: Path | None = None

    def _path(self, solution_name: str, version_id: str) -> str:
        for part in (solution_name, version_id):
            if not part or "/" in part or part.startswith("."):
                raise ValueError(f"{part!r} cannot name an artifact directory")
        return f"{self.root.path.rstrip('/')}/{solution_name}/{version_id}"

    def write_model(
        self,
        solution_name: str,
        version_id: str,
        model: Model,
        *,
        extra_arrays: Mapping[str, np.ndarray] | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> str:
        """Write into a staging place, then move (local) or upload (S3) into place."""
        target = self._path(solution_name, version_id)
        if self.root.scheme == "file":
            parent = Path(target).parent
            parent.mkdir(parents=True, exist_ok=True)
            staging = parent / f"{_STAGING_PREFIX}{version_id}-{secrets.token_hex(4)}"
            try:
                save_model(model, staging, extra_arrays=extra_arrays, extra=extra)
                if Path(target).exists():
                    shutil.rmtree(target)
                os.replace(staging, target)
            finally:
                shutil.rmtree(staging, ignore_errors=True)
            return self.root.url(target)
        with tempfile.TemporaryDirectory(prefix="tailor-artifact-") as local:
            save_model(model, local, extra_arrays=extra_arrays, extra=extra)
            self.root.filesystem.create_dir(target, recursive=True)
            names = sorted(p.name for p in Path(local).iterdir())
            names.remove(MANIFEST_NAME)
            for name in [*names, MANIFEST_NAME]:  # the manifest last: it marks completeness
                fs.copy_files(
                    str(Path(local) / name),
                    f"{target}/{name}",
                    source_filesystem=fs.LocalFileSystem(),
                    destination_filesystem=self.root.filesystem,
                )
        return self.root.url(target)

    def open_artifact(self, uri: str) -> LoadedArtifact:
        """Load memory-mapped; S3 artifacts are first downloaded to a local cache."""
        location = resolve_location(uri, self.s3_endpoint_url)
        if location.scheme == "file":
            directory = Path(location.path)
        else:
            directory = self._download(location)
        return LoadedArtifact(load_model(directory), load_extra_arrays(directory), directory)

    def _download(self, location: Location) -> Path:
        if self._cache is None:
            self._cache = Path(tempfile.mkdtemp(prefix="tailor-artifacts-"))
        directory = self._cache / location.path.strip("/").replace("/", "__")
        if (directory / MANIFEST_NAME).is_file():
            return directory
        staging = Path(tempfile.mkdtemp(dir=self._cache, prefix=_STAGING_PREFIX))
        fs.copy_files(
            location.path,
            str(staging),
            source_filesystem=location.filesystem,
            destination_filesystem=fs.LocalFileSystem(),
        )
        os.replace(staging, directory)
        return directory

    def delete(self, uri: str) -> None:
        """Delete the artifact's directory."""
        location = resolve_location(uri, self.s3_endpoint_url)
        try:
            location.filesystem.delete_dir(location.path)
        except FileNotFoundError:
            pass


def open_artifact_store(location: str, s3_endpoint_url: str = "") -> ArtifactStore:
    """The artifact store at ``location`` (a local path, ``file://`` or ``s3://`` URL).

    Raises:
        storage.data.UnsupportedLocation: the URL scheme is not supported.

    """
    return FilesystemArtifactStore(location, s3_endpoint_url)
