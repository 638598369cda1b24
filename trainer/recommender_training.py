"""The ``recommender`` job: train a domain use case, evaluate it, store the model, ACTIVE.

A recommender is a domain recipe (spec §6.6) trained on its dataset group. Each use case is
trained as the custom recipe doing the same job (the families of ``recipes.fitting``), on the
event type the use case is defined on (spec §5.4, §6.6):

=============================================  ========================  ==========
use case (domain recipe)                       trained as                event type
=============================================  ========================  ==========
aws-ecomm-recommended-for-you                  aws-user-personalization  all
aws-ecomm-customers-who-viewed-x-also-viewed   aws-sims                  View
aws-ecomm-frequently-bought-together           aws-sims                  Purchase
aws-ecomm-popular-items-by-purchases           aws-popularity-count      Purchase
aws-ecomm-popular-items-by-views               aws-popularity-count      View
aws-vod-top-picks                              aws-user-personalization  all
aws-vod-because-you-watched-x                  aws-sims                  Watch
aws-vod-more-like-x                            aws-similar-items         all
aws-vod-most-popular                           aws-popularity-count      Watch
aws-vod-trending-now                           aws-trending-now          all
=============================================  ========================  ==========

Event types match EVENT_TYPE exactly (as a solution's ``eventType`` does). The custom recipe's
default hyperparameters apply (domain recipes expose none). The model records the custom recipe
name, so the runtime serves it with the code (and recipe rules, e.g. exploration) of that recipe.

The worker has set the recommender CREATE IN_PROGRESS. The job reads the training data with the
solution versions' loader (``training_data.load_training_data``: bulk + streamed events up to
the event log's newest ``seq``, filtered by the use case's event type, minimum data checked),
scores the AWS evaluation split (``recipes.evaluation``: the ``modelMetrics``), fits on all the
data, writes the artifact (``{artifacts}/recommender.{name}/training-{job id}/``, the solution
versions' format; ``.`` cannot occur in a solution name, so the directories never clash) and sets
the recommender ACTIVE with ``modelMetrics``, ``tailorArtifactUri``, ``tailorEventSeq`` and
``latestRecommenderUpdate`` ACTIVE in one update. On failure ``latestRecommenderUpdate`` becomes
CREATE FAILED with the reason, and the worker fails the recommender with the same reason.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from threadpoolctl import threadpool_limits

from domain.errors import InvalidInputException, TailorError
from domain.recipe_catalogue import RECIPES, recipe_by_arn
from domain.resources import ACTIVE, CREATE_FAILED, CREATE_IN_PROGRESS, Job, Resource, now
from recipes.evaluation import Model, aws_split, evaluate
from recipes.fitting import fit_recipe
from recipes.interactions import Interactions
from storage.data import SegmentStore
from storage.metadata.store import MetadataStore, SqlMetadataStore
from storage.streamed.training_tables import latest_event_seq
from trainer.solution_training import ARTIFACT_MEMBER, EVENT_SEQ_MEMBER, TrainingHandler
from trainer.training_data import TrainingData, load_training_data

log = logging.getLogger(__name__)

UPDATE_MEMBER = "latestRecommenderUpdate"
METRICS_MEMBER = "modelMetrics"
#: Artifact directories of recommenders: ``{prefix}{recommender name}``.
ARTIFACT_PREFIX = "recommender."


@dataclass(frozen=True)
class UseCase:
    """How one domain use case is trained.

    Attributes:
        custom_recipe: The custom recipe fitted (a key of ``recipes.fitting.RECIPE_FAMILIES``).
        event_type: The only EVENT_TYPE trained on, or None for every event.

    """

    custom_recipe: str
    event_type: str | None = None


#: Domain recipe name -> how it is trained (the table of the module docstring).
USE_CASES: dict[str, UseCase] = {
    "aws-ecomm-recommended-for-you": UseCase("aws-user-personalization"),
    "aws-ecomm-customers-who-viewed-x-also-viewed": UseCase("aws-sims", "View"),
    "aws-ecomm-frequently-bought-together": UseCase("aws-sims", "Purchase"),
    "aws-ecomm-popular-items-by-purchases": UseCase("aws-popularity-count", "Purchase"),
    "aws-ecomm-popular-items-by-views": UseCase("aws-popularity-count", "View"),
    "aws-vod-top-picks": UseCase("aws-user-personalization"),
    "aws-vod-because-you-watched-x": UseCase("aws-sims", "Watch"),
    "aws-vod-more-like-x": UseCase("aws-similar-items"),
    "aws-vod-most-popular": UseCase("aws-popularity-count", "Watch"),
    "aws-vod-trending-now": UseCase("aws-trending-now"),
}


class RecommenderGoneError(TailorError):
    """The recommender was deleted or left CREATE IN_PROGRESS while it trained."""


class RecommenderTrainingHandler(TrainingHandler):
    """The handler of ``recommender`` jobs (a ``trainer.worker.JobHandler``)."""

    def __call__(self, job: Job, store: MetadataStore) -> None:
        """Train one recommender to ACTIVE, or raise a TailorError whose message is the reason.

        Raises:
            TailorError: the reason the recommender fails (also recorded as
                ``latestRecommenderUpdate.failureReason``).

        """
        if not isinstance(store, SqlMetadataStore):
            raise TailorError("training needs the SQL metadata store (it reads the event log)")
        try:
            with threadpool_limits(limits=self.threads):
                self._run(job, store)
        except Exception as exc:
            reason = exc.message if isinstance(exc, TailorError) else "internal error"
            _record_update(store, job.resource_arn, CREATE_FAILED, failureReason=reason)
            raise

    def _run(self, job: Job, store: SqlMetadataStore) -> None:
        recommender = _current(store, job)
        _record_update(store, job.resource_arn, CREATE_IN_PROGRESS)
        use_case_name = recipe_by_arn(recommender.document["recipeArn"]).name
        use_case = USE_CASES.get(use_case_name)
        if use_case is None:
            raise TailorError(f"{use_case_name} has no training in this Tailor version")
        group_arn = recommender.document["datasetGroupArn"]
        seq = latest_event_seq(store, group_arn)
        data = load_use_case_data(store, self.segment_store, use_case_name, group_arn, seq)
        _checkpoint(store, job)
        hyperparameters = default_hyperparameters(use_case.custom_recipe)
        split = aws_split(data.interactions, seed=0)
        trained = fit_use_case(use_case, data, split.train, hyperparameters)
        metrics = {key: float(value) for key, value in evaluate(trained, split).items()}
        _checkpoint(store, job)
        model = fit_use_case(use_case, data, data.interactions, hyperparameters)
        _checkpoint(store, job)
        uri = self.artifact_store.write_model(
            f"{ARTIFACT_PREFIX}{recommender.name}",
            f"training-{job.job_id}",
            model,
            extra_arrays={"item_ids": data.item_ids, "user_ids": data.user_ids},
            extra={
                "recommenderArn": recommender.arn,
                "useCase": use_case_name,
                "eventType": use_case.event_type,
                "eventSeq": seq,
                "metrics": metrics,
            },
        )
        changes = {
            METRICS_MEMBER: metrics,
            ARTIFACT_MEMBER: uri,
            EVENT_SEQ_MEMBER: seq,
            UPDATE_MEMBER: _update_summary(store, job.resource_arn, ACTIVE),
        }
        try:
            store.update_resource(
                job.resource_arn,
                status=ACTIVE,
                changes=changes,
                expected_statuses=[CREATE_IN_PROGRESS],
            )
        except TailorError:
            self.artifact_store.delete(uri)
            raise RecommenderGoneError("training stopped: the recommender was deleted") from None
        log.info(
            "recommender %s: %s as %s on %d events (%d bulk, %d streamed) ACTIVE",
            job.resource_arn,
            use_case_name,
            use_case.custom_recipe,
            len(data.interactions),
            data.bulk_rows,
            data.streamed_rows,
        )


def load_use_case_data(
    store: SqlMetadataStore,
    segments: SegmentStore,
    use_case_name: str,
    dataset_group_arn: str,
    seq: int,
) -> TrainingData:
    """A use case's training data: the solution versions' loader, on the use case's event type.

    Args:
        store: The metadata store (datasets, segments, event log).
        segments: The dataset segment store.
        use_case_name: The domain recipe name (a key of :data:`USE_CASES`).
        dataset_group_arn: The recommender's dataset group.
        seq: Read streamed events up to this event-log ``seq``.

    Raises:
        InvalidInputException: too little data; the message names the use case, the event
            type it trains on and every shortfall.

    """
    event_type = USE_CASES[use_case_name].event_type
    filters = {"eventType": event_type} if event_type else {}
    try:
        return load_training_data(store, segments, filters, dataset_group_arn, seq)
    except InvalidInputException as exc:
        needs = f" on {event_type!r} events (EVENT_TYPE)" if event_type else ""
        raise InvalidInputException(f"{use_case_name} trains{needs}: {exc.message}") from None


def default_hyperparameters(custom_recipe: str) -> dict[str, str]:
    """The catalogue defaults of ``custom_recipe``'s hyperparameters, as API strings."""
    return {spec.name: spec.default for spec in RECIPES[custom_recipe].hyperparameters}


def fit_use_case(
    use_case: UseCase,
    data: TrainingData,
    events: Interactions,
    hyperparameters: dict[str, str],
) -> Model:
    """Fit the use case's custom recipe on ``events`` (all of ``data``'s or a split's)."""
    return fit_recipe(
        use_case.custom_recipe,
        events,
        hyperparameters,
        item_features=data.item_features,
        item_creation_timestamps=data.item_creation_timestamps,
    )


def _current(store: SqlMetadataStore, job: Job) -> Resource:
    recommender = store.get_resource(job.resource_arn)
    if recommender is None or recommender.status != CREATE_IN_PROGRESS:
        raise RecommenderGoneError("training stopped: the recommender was deleted")
    return recommender


def _checkpoint(store: SqlMetadataStore, job: Job) -> None:
    """Stop between phases if the recommender is gone; tell the queue the job is alive."""
    _current(store, job)
    store.heartbeat_job(job.job_id)


def _update_summary(
    store: SqlMetadataStore, arn: str, status: str, **members: Any
) -> dict[str, Any]:
    """``latestRecommenderUpdate`` with a new status (and members), times kept or stamped."""
    recommender = store.get_resource(arn)
    previous = dict(recommender.document.get(UPDATE_MEMBER) or {}) if recommender else {}
    stamp = now()
    previous.setdefault("creationDateTime", stamp)
    if recommender is not None:
        previous.setdefault("recommenderConfig", recommender.document.get("recommenderConfig"))
    return {**previous, **members, "status": status, "lastUpdatedDateTime": stamp}


def _record_update(store: SqlMetadataStore, arn: str, status: str, **members: Any) -> None:
    """Set ``latestRecommenderUpdate``'s status while the recommender is being created."""
    try:
        store.update_resource(
            arn,
            changes={UPDATE_MEMBER: _update_summary(store, arn, status, **members)},
            expected_statuses=[CREATE_IN_PROGRESS],
        )
    except TailorError as exc:
        log.info("recommender %s: update status not recorded (%s)", arn, exc)
