"""The ``solution-version`` job: train a solution's recipe, evaluate it, store the model.

The worker has set the version CREATE IN_PROGRESS. The job

1. records the event log's newest ``seq`` (``tailorEventSeq``) and reads the training data up to
   it (``training_data.load_training_data``: bulk + streamed, filtered, minimum-data checked);
2. with ``performHPO``, searches ``hpoConfig.algorithmHyperParameterRanges`` on a validation split
   of the training users (``recipes.hpo``);
3. fits on the training users of the AWS split and scores the test users with the recipe's own
   serving functions (``recipes.evaluation``): the GetSolutionMetrics values;
4. makes the served model from all the data and writes it to the artifact store. An ALS
   personalization model is the evaluation model refreshed on every event
   (``recipes.model_refresh``: one ALS iteration warm-started from its item factors, its
   calibrated prior weight kept, popularity and item ages from every event), which costs one
   sweep instead of a second full fit; the metrics are still those of the evaluation model,
   which never saw the test users. Every other model (EASE, whose closed form has no cheap
   warm start and whose catalogues are small, popularity, related items) is fitted again;
5. sets the version ACTIVE in one update with ``metrics``, ``trainingHours`` (wall hours),
   ``tunedHPOParams`` (when HPO ran) and ``tailorArtifactUri``.

Between phases it checks that the version is still CREATE IN_PROGRESS: after
StopSolutionVersionCreation (CREATE STOPPING) it stops, and the worker settles the version CREATE
STOPPED. BLAS/OpenMP threads are bounded by ``trainer_threads`` so training does not starve
serving.

``trainingMode=UPDATE`` replaces steps 2-4: the base is the solution's newest ACTIVE version
created before this one (FULL, UPDATE or AUTOTRAIN; the control plane has checked that a FULL
one exists). Its model is loaded from the artifact store and refreshed with the same training
data (``recipes.model_update``: known items keep their factors or EASE weights, new items get
theirs from the events, popularity and item ages are recomputed). No HPO runs and nothing is
re-evaluated: the version records the base's ``metrics`` and ``tunedHPOParams`` (on AWS an update
produces no new metrics), its own ``trainingHours`` and ``tailorBaseSolutionVersionArn``.

After the version is ACTIVE, the solution's campaigns with ``syncWithLatestSolutionVersion`` are
moved to it (``trainer.campaign_sync``).
"""

from __future__ import annotations

import functools
import logging
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits

from domain.errors import TailorError
from domain.recipe_catalogue import RecipeEntry, recipe_by_arn
from domain.resources import ACTIVE, CREATE_IN_PROGRESS, Job, Resource
from recipes.catalogue_alignment import (
    align_catalogue,
    realign_interactions,
    realign_item_values,
)
from recipes.evaluation import Model, aws_split, evaluate, recommend_for_evaluation
from recipes.fitting import fit_recipe
from recipes.hpo import search_hyperparameters
from recipes.interactions import Interactions
from recipes.metrics import LIST_LENGTH, objective_metrics
from recipes.model_refresh import refresh_personalization
from recipes.model_update import (
    ModelUpdateError,
    update_personalization,
)
from recipes.personalization import PersonalizationModel
from storage.artifacts import ArtifactStore
from storage.data import SegmentStore
from storage.metadata.store import MetadataStore, SqlMetadataStore
from storage.streamed.training_tables import latest_event_seq
from trainer.campaign_sync import sync_solution_campaigns
from trainer.training_data import TrainingData, load_training_data

log = logging.getLogger(__name__)

#: Version document members Tailor adds to the AWS SolutionVersion shape.
EVENT_SEQ_MEMBER = "tailorEventSeq"
ARTIFACT_MEMBER = "tailorArtifactUri"
BASE_MEMBER = "tailorBaseSolutionVersionArn"
VERSION_KIND = "solution-version"
#: Training modes whose versions an UPDATE may build on.
UPDATE_BASE_MODES = frozenset({"FULL", "UPDATE", "AUTOTRAIN"})
#: HPO trials when ``hpoResourceConfig.maxNumberOfTrainingJobs`` is not given.
DEFAULT_HPO_TRIALS = 4
_SECONDS_PER_HOUR = 3600.0


class StoppedError(TailorError):
    """The version was asked to stop (or deleted) while it trained."""


@dataclass(frozen=True)
class TrainedModel:
    """What a FULL fit or an UPDATE produced, ready to be stored.

    Attributes:
        model: The fitted model.
        item_ids: unicode (n_items,) item id of each model item code.
        metrics: The GetSolutionMetrics values.
        tuned: The HPO winner (``tunedHPOParams``), or None.
        changes: Further version document members to set.

    """

    model: Model
    item_ids: np.ndarray
    metrics: dict[str, float]
    tuned: dict[str, Any] | None = None
    changes: dict[str, Any] = field(default_factory=dict)


class TrainingHandler:
    """What the jobs that train a model share: the stores they use and their thread bound."""

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


class SolutionTrainingHandler(TrainingHandler):
    """The handler of ``solution-version`` jobs (a ``trainer.worker.JobHandler``)."""

    def __call__(self, job: Job, store: MetadataStore) -> None:
        """Train one version to ACTIVE, or raise a TailorError whose message is the reason."""
        if not isinstance(store, SqlMetadataStore):
            raise TailorError("training needs the SQL metadata store (it reads the event log)")
        with threadpool_limits(limits=self.threads):
            self._run(job, store)

    def _run(self, job: Job, store: SqlMetadataStore) -> None:
        started = time.monotonic()
        version = self._current(store, job)
        recipe = recipe_by_arn(job.payload["recipeArn"]).name
        group_arn = job.payload["datasetGroupArn"]
        seq = latest_event_seq(store, group_arn)
        store.update_resource(
            job.resource_arn,
            changes={EVENT_SEQ_MEMBER: seq},
            expected_statuses=[CREATE_IN_PROGRESS],
        )
        data = load_training_data(store, self.segment_store, version.document, group_arn, seq)
        self._checkpoint(store, job)
        if job.payload.get("trainingMode", "FULL") == "UPDATE":
            trained = self._update(store, version, data)
        else:
            trained = self._fit_full(store, job, version.document, data)
        self._checkpoint(store, job)
        solution_arn = job.payload["solutionArn"]
        uri = self.artifact_store.write_model(
            solution_arn.rsplit("/", 1)[-1],
            job.resource_arn.rsplit("/", 1)[-1],
            trained.model,
            extra_arrays={"item_ids": trained.item_ids, "user_ids": data.user_ids},
            extra={
                "solutionVersionArn": job.resource_arn,
                "eventSeq": seq,
                "metrics": trained.metrics,
                **trained.changes,
            },
        )
        changes: dict[str, Any] = {
            "metrics": {key: float(value) for key, value in trained.metrics.items()},
            "trainingHours": (time.monotonic() - started) / _SECONDS_PER_HOUR,
            ARTIFACT_MEMBER: uri,
            **trained.changes,
        }
        if trained.tuned is not None:
            changes["tunedHPOParams"] = trained.tuned
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
            "solution version %s: %s %s on %d events (%d bulk, %d streamed) ACTIVE",
            job.resource_arn,
            job.payload.get("trainingMode", "FULL"),
            recipe,
            len(data.interactions),
            data.bulk_rows,
            data.streamed_rows,
        )
        try:
            sync_solution_campaigns(store, solution_arn)
        except Exception:  # noqa: BLE001 - the version is ACTIVE; the worker syncs again later
            log.exception("cannot sync the campaigns of %s", solution_arn)

    def _fit_full(
        self, store: SqlMetadataStore, job: Job, document: dict[str, Any], data: TrainingData
    ) -> TrainedModel:
        """HPO (when asked), evaluation on the AWS split, then the fit on all the data."""
        entry = recipe_by_arn(job.payload["recipeArn"])
        hyperparameters = _configured_hyperparameters(entry, document)
        fit = functools.partial(_fit, entry.name, data)
        split = aws_split(data.interactions, seed=0)
        tuned = None
        if document.get("performHPO"):
            hyperparameters = _tune(entry.name, document, split.train, fit, hyperparameters)
            tuned = {"algorithmHyperParameters": hyperparameters}
            self._checkpoint(store, job)
        evaluated = fit(split.train, hyperparameters)
        metrics = evaluate(evaluated, split)
        if data.item_rewards is not None or data.event_weighted:
            lists = recommend_for_evaluation(evaluated, split.test_histories, LIST_LENGTH)
            metrics |= objective_metrics(lists, split, data.item_rewards, data.event_weighted)
        del split  # the training users' copy of the events, before the final step's arrays
        self._checkpoint(store, job)
        if isinstance(evaluated, PersonalizationModel) and evaluated.algorithm == "als":
            model: Model = refresh_personalization(
                evaluated,
                data.interactions,
                item_creation_timestamps=data.item_creation_timestamps,
            )
        else:
            model = fit(data.interactions, hyperparameters)
        return TrainedModel(model, data.item_ids, metrics, tuned)

    def _update(
        self, store: SqlMetadataStore, version: Resource, data: TrainingData
    ) -> TrainedModel:
        """Refresh the base version's model with ``data`` (``trainingMode=UPDATE``).

        Raises:
            TailorError: no usable base version (the message is the failure reason).

        """
        base = _update_base(store, version)
        try:
            artifact = self.artifact_store.open_artifact(base.document[ARTIFACT_MEMBER])
        except (OSError, ValueError) as exc:
            raise TailorError(f"trainingMode UPDATE: cannot load {base.arn}: {exc}") from exc
        if not isinstance(artifact.model, PersonalizationModel):
            raise TailorError(f"trainingMode UPDATE: {base.arn} is not a personalization model")
        alignment = align_catalogue(artifact.arrays["item_ids"], data.item_ids)
        try:
            model = update_personalization(
                artifact.model,
                realign_interactions(data.interactions, alignment),
                item_creation_timestamps=realign_item_values(
                    data.item_creation_timestamps, alignment, -1
                ),
                num_threads=self.threads,
            )
        except ModelUpdateError as exc:
            raise TailorError(f"trainingMode UPDATE: {exc}") from exc
        log.info(
            "UPDATE %s from %s: %d known items, %d new",
            version.arn,
            base.arn,
            alignment.n_known,
            len(alignment.item_ids) - alignment.n_known,
        )
        return TrainedModel(
            model,
            alignment.item_ids,
            dict(base.document.get("metrics") or {}),
            base.document.get("tunedHPOParams"),
            {BASE_MEMBER: base.arn},
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


def _update_base(store: SqlMetadataStore, version: Resource) -> Resource:
    """The newest ACTIVE version with a model created before ``version``, of its solution.

    Raises:
        TailorError: there is none.

    """
    candidates = [
        other
        for other in store.find_resources(
            [VERSION_KIND], parent_arn=version.parent_arn, statuses=[ACTIVE]
        )
        if other.created_at <= version.created_at
        and other.arn != version.arn
        and other.document.get("trainingMode", "FULL") in UPDATE_BASE_MODES
        and other.document.get(ARTIFACT_MEMBER)
    ]
    if not candidates:
        raise TailorError(
            f"trainingMode UPDATE: solution {version.parent_arn} has no ACTIVE version to update"
        )
    return max(candidates, key=lambda other: other.created_at)


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
