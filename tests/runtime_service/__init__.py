"""Tests for the runtime service."""
