"""The ``solution-version`` job: train a solution's recipe, evaluate it, store the model.

The worker has set the version CREATE IN_PROGRESS. The job

1. records the event log's newest ``seq`` (``tailorEventSeq``) and reads the training data up to
   it (``training_data.load_training_data``: bulk + streamed, filtered, minimum-data checked);
2. with ``performHPO``, searches ``hpoConfig.algorithmHyperParameterRanges`` on a validation split
   of the training users (``recipes.hpo``);
3. fits on the training users of the AWS split and scores the test users with the recipe's own
   serving functions (``recipes.evaluation``): the GetSolutionMetrics values;
4. fits on all the data and writes the model to the artifact store;
5. sets the version ACTIVE in one update with ``metrics``, ``trainingHours`` (wall hours),
   ``tunedHPOParams`` (when HPO ran) and ``tailorArtifactUri``.

Between phases it checks that the version is still CREATE IN_PROGRESS: after
StopSolutionVersionCreation (CREATE STOPPING) it stops, and the worker settles the version CREATE
STOPPED. BLAS/OpenMP threads are bounded by ``trainer_threads`` so training does not starve
serving. ``trainingMode=UPDATE`` is refused for now (it fails with a clear reason).
"""

from __future__ import annotations

import functools
import logging
import time
from typing import Any

from threadpoolctl import threadpool_limits

from domain.errors import TailorError
from domain.recipe_catalogue import RecipeEntry, recipe_by_arn
from domain.resources import ACTIVE, CREATE_IN_PROGRESS, Job, Resource
from recipes.evaluation import Model, aws_split, evaluate
from recipes.fitting import fit_recipe
from recipes.hpo import search_hyperparameters
from recipes.interactions import Interactions
from storage.artifacts import ArtifactStore
from storage.data import SegmentStore
from storage.metadata.store import MetadataStore, SqlMetadataStore
from storage.streamed.training_tables import latest_event_seq
from trainer.training_data import TrainingData, load_training_data

log = logging.getLogger(__name__)

#: Version document members Tailor adds to the AWS SolutionVersion shape.
EVENT_SEQ_MEMBER = "tailorEventSeq"
ARTIFACT_MEMBER = "tailorArtifactUri"
#: HPO trials when ``hpoResourceConfig.maxNumberOfTrainingJobs`` is not given.
DEFAULT_HPO_TRIALS = 4
_SECONDS_PER_HOUR = 3600.0


class StoppedError(TailorError):
    """The version was asked to stop (or deleted) while it trained."""


class SolutionTrainingHandler:
    """The handler of ``solution-version`` jobs (a ``trainer.worker.JobHandler``)."""

    def __init__(
        self, segment_store: SegmentStore, artifact_store: ArtifactStore, *, threads: int = 1
    ) -> None:
        """Create the handler.

        Args:
            segment_store: Where the datasets' imported segments are.
            artifact_store: Where trained models are written.
            threads: BLAS/OpenMP threads a training job may use (``TAILOR_TRAINER_THREADS``).

        """
        self.segment_store = segment_store
        self.artifact_store = artifact_store
        self.threads = max(1, threads)

    def __call__(self, job: Job, store: MetadataStore) -> None:
        """Train one version to ACTIVE, or raise a TailorError whose message is the reason."""
        if not isinstance(store, SqlMetadataStore):
            raise TailorError("training needs the SQL metadata store (it reads the event log)")
        with threadpool_limits(limits=self.threads):
            self._run(job, store)

    def _run(self, job: Job, store: SqlMetadataStore) -> None:
        started = time.monotonic()
        version = self._current(store, job)
        document = version.document
        if job.payload.get("trainingMode", "FULL") == "UPDATE":
            raise TailorError("UPDATE training is not implemented yet; train with FULL")
        entry = recipe_by_arn(job.payload["recipeArn"])
        recipe = entry.name
        group_arn = job.payload["datasetGroupArn"]
        seq = latest_event_seq(store, group_arn)
        store.update_resource(
            job.resource_arn,
            changes={EVENT_SEQ_MEMBER: seq},
            expected_statuses=[CREATE_IN_PROGRESS],
        )
        data = load_training_data(store, self.segment_store, document, group_arn, seq)
        self._checkpoint(store, job)
        hyperparameters = _configured_hyperparameters(entry, document)
        fit = functools.partial(_fit, recipe, data)
        split = aws_split(data.interactions, seed=0)
        tuned = None
        if document.get("performHPO"):
            tuned = _tune(recipe, document, split.train, fit, hyperparameters)
            hyperparameters = tuned
            self._checkpoint(store, job)
        metrics = evaluate(fit(split.train, hyperparameters), split)
        self._checkpoint(store, job)
        model = fit(data.interactions, hyperparameters)
        self._checkpoint(store, job)
        solution_name = job.payload["solutionArn"].rsplit("/", 1)[-1]
        uri = self.artifact_store.write_model(
            solution_name,
            job.resource_arn.rsplit("/", 1)[-1],
            model,
            extra_arrays={"item_ids": data.item_ids, "user_ids": data.user_ids},
            extra={"solutionVersionArn": job.resource_arn, "eventSeq": seq, "metrics": metrics},
        )
        changes: dict[str, Any] = {
            "metrics": {key: float(value) for key, value in metrics.items()},
            "trainingHours": (time.monotonic() - started) / _SECONDS_PER_HOUR,
            ARTIFACT_MEMBER: uri,
        }
        if tuned is not None:
            changes["tunedHPOParams"] = {"algorithmHyperParameters": tuned}
        try:
            store.update_resource(
                job.resource_arn,
                status=ACTIVE,
                changes=changes,
                expected_statuses=[CREATE_IN_PROGRESS],
            )
        except TailorError:
            self.artifact_store.delete(uri)
            raise StoppedError("training stopped: the version was stopped or deleted") from None
        log.info(
            "solution version %s: %s on %d events (%d bulk, %d streamed) ACTIVE",
            job.resource_arn,
            recipe,
            len(data.interactions),
            data.bulk_rows,
            data.streamed_rows,
        )

    def _current(self, store: SqlMetadataStore, job: Job) -> Resource:
        version = store.get_resource(job.resource_arn)
        if version is None or version.status != CREATE_IN_PROGRESS:
            raise StoppedError("training stopped: the version was stopped or deleted")
        return version

    def _checkpoint(self, store: SqlMetadataStore, job: Job) -> None:
        """Stop between phases if the version is no longer CREATE IN_PROGRESS."""
        self._current(store, job)
        store.heartbeat_job(job.job_id)


def _fit(
    recipe: str, data: TrainingData, events: Interactions, hyperparameters: dict[str, str]
) -> Model:
    return fit_recipe(
        recipe,
        events,
        hyperparameters,
        item_features=data.item_features,
        item_creation_timestamps=data.item_creation_timestamps,
    )


def _configured_hyperparameters(entry: RecipeEntry, document: dict[str, Any]) -> dict[str, str]:
    """Recipe defaults overridden by the solution's algorithm and featurization values."""
    values = {spec.name: spec.default for spec in entry.hyperparameters}
    config = document.get("solutionConfig") or {}
    for key in ("featureTransformationParameters", "algorithmHyperParameters"):
        for name, value in (config.get(key) or {}).items():
            values[name.rsplit(".", 1)[-1]] = str(value)
    return values


def _tune(
    recipe: str,
    document: dict[str, Any],
    train: Interactions,
    fit: Any,
    base: dict[str, str],
) -> dict[str, str]:
    """Run the HPO search on the training users; return the winning values."""
    hpo = (document.get("solutionConfig") or {}).get("hpoConfig") or {}
    ranges = hpo.get("algorithmHyperParameterRanges") or {}
    trials = int((hpo.get("hpoResourceConfig") or {}).get("maxNumberOfTrainingJobs") or 0)
    result = search_hyperparameters(train, fit, base, ranges, trials or DEFAULT_HPO_TRIALS, seed=0)
    log.info("HPO for %s: %d trials", recipe, len(result.trials))
    return result.best_hyperparameters
