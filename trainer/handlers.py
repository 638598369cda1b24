"""Builds the trainer's job handlers (job kind -> handler) from settings and stores."""

from __future__ import annotations

from servicekit.settings import Settings
from storage.artifacts import open_artifact_store
from storage.data import open_segment_store
from storage.metadata.store import SqlMetadataStore
from storage.online.store import open_online_store
from trainer.batch_inference import BatchInferenceHandler
from trainer.batch_segments import BatchSegmentHandler
from trainer.data_deletion import DataDeletionHandler
from trainer.dataset_export import DatasetExportHandler
from trainer.dataset_import import DatasetImportHandler
from trainer.recommender_training import RecommenderTrainingHandler
from trainer.solution_training import SolutionTrainingHandler
from trainer.worker import JobHandler


def job_handlers(settings: Settings, store: SqlMetadataStore) -> dict[str, JobHandler]:
    """The job kinds this Tailor version runs, with their handlers.

    Raises:
        UnsupportedLocation: ``TAILOR_DATA_URL`` or ``TAILOR_ARTIFACTS_URL`` has a scheme
            Tailor does not know.
        ValueError: ``TAILOR_ONLINE_STORE_URL`` has a scheme Tailor does not know.

    """
    segments = open_segment_store(settings.data_location, settings.s3_endpoint_url)
    artifacts = open_artifact_store(settings.artifacts_location, settings.s3_endpoint_url)
    s3 = settings.s3_endpoint_url
    threads = settings.trainer_threads
    # Data deletion jobs make the online store forget the users they delete.
    online = open_online_store(settings.online_store_url, store.engine)
    return {
        "dataset-import": DatasetImportHandler(segments, s3_endpoint_url=s3),
        "dataset-export": DatasetExportHandler(segments, s3_endpoint_url=s3),
        "data-deletion": DataDeletionHandler(segments, online, s3_endpoint_url=s3),
        "solution-version": SolutionTrainingHandler(segments, artifacts, threads=threads),
        "recommender": RecommenderTrainingHandler(segments, artifacts, threads=threads),
        "batch-inference": BatchInferenceHandler(
            segments, artifacts, s3_endpoint_url=s3, threads=threads
        ),
        "batch-segment": BatchSegmentHandler(
            segments, artifacts, s3_endpoint_url=s3, threads=threads
        ),
    }
