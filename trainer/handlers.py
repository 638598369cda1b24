"""Builds the trainer's job handlers (job kind -> handler) from settings and stores."""

from __future__ import annotations

from servicekit.settings import Settings
from storage.artifacts import open_artifact_store
from storage.data import open_segment_store
from storage.metadata.store import SqlMetadataStore
from trainer.dataset_import import DatasetImportHandler
from trainer.solution_training import SolutionTrainingHandler
from trainer.worker import JobHandler


def job_handlers(settings: Settings, store: SqlMetadataStore) -> dict[str, JobHandler]:
    """The job kinds this Tailor version runs, with their handlers.

    Raises:
        UnsupportedLocation: ``TAILOR_DATA_URL`` or ``TAILOR_ARTIFACTS_URL`` has a scheme
            Tailor does not know.

    """
    segment_store = open_segment_store(settings.data_location, settings.s3_endpoint_url)
    imports = DatasetImportHandler(segment_store, s3_endpoint_url=settings.s3_endpoint_url)
    artifacts = open_artifact_store(settings.artifacts_location, settings.s3_endpoint_url)
    training = SolutionTrainingHandler(segment_store, artifacts, threads=settings.trainer_threads)
    return {"dataset-import": imports, "solution-version": training}
