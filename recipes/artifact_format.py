"""Models on disk: ``manifest.json`` plus one ``.npy`` per array, never pickle.

Layout of a model directory::

    manifest.json   {"format": "tailor-model", "format_version": 1, "model_type": ...,
                     "recipe": ..., "hyperparameters": {...}, "attributes": {...},
                     "arrays": {name: {"file", "shape", "dtype"}},
                     "extra_arrays": {...}, "extra": {...}}
    <name>.npy      each array of the model dataclass
    extra.<name>.npy  caller's arrays (e.g. the trainer's id maps as numpy unicode arrays)

Arrays are written first and the manifest last, so a directory without a manifest is an
unfinished write. Loading memory-maps the arrays (``mmap_mode="r"``) with ``allow_pickle=False``
and checks them against the manifest; object arrays are refused on save.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from recipes.personalization import PersonalizationModel
from recipes.popularity import PopularityModel
from recipes.related_items import RelatedItemsModel

FORMAT = "tailor-model"
FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
MODEL_TYPES = {
    cls.__name__: cls for cls in (PersonalizationModel, PopularityModel, RelatedItemsModel)
}
_EXTRA_PREFIX = "extra."


class ArtifactFormatError(ValueError):
    """A model directory is missing, incomplete, of another format, or inconsistent."""


def _check_array(name: str, array: np.ndarray) -> np.ndarray:
    array = np.asarray(array)
    if array.dtype.hasobject:
        raise ArtifactFormatError(f"array {name!r} has dtype object; it cannot be saved unpickled")
    return array


def _write_array(directory: Path, file_name: str, array: np.ndarray) -> dict[str, Any]:
    np.save(directory / file_name, np.ascontiguousarray(array), allow_pickle=False)
    return {"file": file_name, "shape": list(array.shape), "dtype": array.dtype.str}


def save_model(
    model: PersonalizationModel | PopularityModel | RelatedItemsModel,
    directory: str | Path,
    *,
    extra_arrays: Mapping[str, np.ndarray] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> Path:
    """Write a model to ``directory`` (created if needed).

    Args:
        model: a fitted model dataclass.
        directory: destination directory.
        extra_arrays: caller's arrays stored beside the model (e.g. ``{"item_ids": index}``).
        extra: caller's JSON-serialisable values recorded in the manifest (e.g. metrics).

    Returns:
        The manifest's path.

    Raises:
        ArtifactFormatError: an array has dtype object, or the model type is unknown.

    """
    model_type = type(model).__name__
    if model_type not in MODEL_TYPES:
        raise ArtifactFormatError(f"unknown model type {model_type}")
    target = Path(directory)
    target.mkdir(parents=True, exist_ok=True)
    arrays: dict[str, Any] = {}
    attributes: dict[str, Any] = {}
    for item in dataclasses.fields(model):
        value = getattr(model, item.name)
        if isinstance(value, np.ndarray):
            arrays[item.name] = _write_array(
                target, f"{item.name}.npy", _check_array(item.name, value)
            )
        elif item.name not in ("recipe", "hyperparameters"):
            attributes[item.name] = value
    extras = {
        name: _write_array(target, f"{_EXTRA_PREFIX}{name}.npy", _check_array(name, array))
        for name, array in (extra_arrays or {}).items()
    }
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "model_type": model_type,
        "recipe": model.recipe,
        "hyperparameters": model.hyperparameters,
        "attributes": attributes,
        "arrays": arrays,
        "extra_arrays": extras,
        "extra": dict(extra or {}),
    }
    path = target / MANIFEST_NAME
    temporary = target / f"{MANIFEST_NAME}.tmp"
    temporary.write_text(json.dumps(manifest, indent=2, sort_keys=True))
    temporary.replace(path)
    return path


def read_manifest(directory: str | Path) -> dict[str, Any]:
    """Read and check a model directory's manifest.

    Raises:
        ArtifactFormatError: no manifest, or another format or version.

    """
    path = Path(directory) / MANIFEST_NAME
    if not path.is_file():
        raise ArtifactFormatError(f"{path} does not exist: not a (complete) model directory")
    manifest = json.loads(path.read_text())
    if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
        raise ArtifactFormatError(
            f"{path} is format {manifest.get('format')!r} version "
            f"{manifest.get('format_version')!r}; expected {FORMAT!r} version {FORMAT_VERSION}"
        )
    return manifest


def _load_array(directory: Path, name: str, entry: Mapping[str, Any], mmap: bool) -> np.ndarray:
    empty = 0 in entry["shape"]  # a zero-length file cannot be memory-mapped
    mode = "r" if mmap and not empty else None
    array = np.load(directory / entry["file"], mmap_mode=mode, allow_pickle=False)
    if list(array.shape) != list(entry["shape"]) or array.dtype.str != entry["dtype"]:
        raise ArtifactFormatError(
            f"array {name!r} is {array.dtype.str}{list(array.shape)}, the manifest says "
            f"{entry['dtype']}{entry['shape']}"
        )
    return array


def load_model(
    directory: str | Path, mmap: bool = True
) -> PersonalizationModel | PopularityModel | RelatedItemsModel:
    """Load a model written by :func:`save_model`.

    Args:
        directory: the model directory.
        mmap: memory-map the arrays read-only (shared between serving processes) instead of
            reading them into memory.

    Returns:
        The model dataclass.

    Raises:
        ArtifactFormatError: the directory is incomplete, of another format, or inconsistent.

    """
    target = Path(directory)
    manifest = read_manifest(target)
    cls = MODEL_TYPES.get(manifest["model_type"])
    if cls is None:
        raise ArtifactFormatError(f"unknown model type {manifest['model_type']!r}")
    values: dict[str, Any] = {
        "recipe": manifest["recipe"],
        "hyperparameters": manifest["hyperparameters"],
        **manifest["attributes"],
    }
    for name, entry in manifest["arrays"].items():
        values[name] = _load_array(target, name, entry, mmap)
    expected = {item.name for item in dataclasses.fields(cls)}
    if set(values) != expected:
        raise ArtifactFormatError(
            f"{target} holds fields {sorted(values)}, {cls.__name__} needs {sorted(expected)}"
        )
    return cls(**values)


def load_extra_arrays(directory: str | Path, mmap: bool = True) -> dict[str, np.ndarray]:
    """The caller's arrays saved with ``extra_arrays`` (memory-mapped by default)."""
    target = Path(directory)
    manifest = read_manifest(target)
    return {
        name: _load_array(target, name, entry, mmap)
        for name, entry in manifest["extra_arrays"].items()
    }
