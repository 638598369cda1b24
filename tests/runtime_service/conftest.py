"""Fixtures shared by the runtime tests: ``served`` (an ACTIVE campaign on planted data)."""

from __future__ import annotations

from tests.runtime_service.test_serving import served  # noqa: F401 - re-exported fixture
