"""Builds the trainer's job handlers (job kind -> handler) from settings and stores."""

from __future__ import annotations

from servicekit.settings import Settings
from storage.metadata.store import SqlMetadataStore
from trainer.worker import JobHandler


def job_handlers(settings: Settings, store: SqlMetadataStore) -> dict[str, JobHandler]:
    """The job kinds this Tailor version runs, with their handlers."""
    return {}
