"""The control plane's operation table: AWS operation name -> function over AWS-shaped dicts."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from control_plane import (
    dataset_groups,
    datasets,
    event_trackers,
    schemas,
    tags,
)
from control_plane.context import ControlPlane

MODULES = [dataset_groups, datasets, event_trackers, schemas, tags]


def _modules() -> list:  # type: ignore[type-arg]
    # Modules written later register here; importing them lazily keeps this table the one list.
    import importlib

    names = [
        "filters",
        "recipes",
        "solutions",
        "solution_versions",
        "campaigns",
        "data_jobs",
        "batch_jobs",
        "recommenders",
        "metric_attributions",
    ]
    found = list(MODULES)
    for name in names:
        try:
            found.append(importlib.import_module(f"control_plane.{name}"))
        except ModuleNotFoundError as exc:
            if exc.name != f"control_plane.{name}":
                raise
    return found


def control_plane_operations(
    cp: ControlPlane,
) -> dict[str, Callable[[dict[str, Any]], dict[str, Any]]]:
    """Every implemented operation bound to ``cp``, keyed by AWS operation name."""
    table: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {}
    for module in _modules():
        for op_name, function in module.OPERATIONS.items():
            if op_name in table:
                raise RuntimeError(f"operation {op_name} registered twice")
            table[op_name] = functools.partial(function, cp)
    return table
