"""The dependency rules of DESIGN.md §3, checked on the import statements of every module."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
OURS = {
    "tailor_api",
    "domain",
    "storage",
    "recipes",
    "servicekit",
    "control_plane",
    "events_service",
    "runtime_service",
    "trainer",
    "cli",
}
SERVICES = {"control_plane", "events_service", "runtime_service", "trainer"}
FORBIDDEN = {
    "domain": OURS - {"domain"},
    "recipes": OURS - {"recipes", "domain"},
    # The artifact store writes the recipes' artifact format.
    "storage": OURS - {"storage", "domain", "tailor_api", "recipes"},
    "servicekit": SERVICES | {"cli", "recipes"},
    "control_plane": (SERVICES - {"control_plane"}) | {"cli"},
    "events_service": (SERVICES - {"events_service"}) | {"cli"},
    "runtime_service": (SERVICES - {"runtime_service"}) | {"cli"},
    "trainer": (SERVICES - {"trainer"}) | {"cli"},
}


def _imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found & OURS


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_imports_only_what_it_may(package):
    violations = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for imported in sorted(_imported_packages(path) & FORBIDDEN[package]):
            violations.append(f"{path.relative_to(ROOT)} imports {imported}")
    assert violations == []
