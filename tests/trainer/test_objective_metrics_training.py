"""GetSolutionMetrics adds the event-weighted NDCG for a solution trained with ``eventsConfig``.

Through real gRPC with the in-process trainer worker, on the planted data of
``test_solution_training`` (four user blocks, each interacting only with its own item block).
"""

from __future__ import annotations

from tests.control_plane.aws_calls import call
from tests.trainer.test_solution_training import METRIC_KEYS, planted, train  # noqa: F401

UP_V2 = "arn:aws:personalize:::recipe/aws-user-personalization-v2"
WEIGHTED = "normalized_discounted_cumulative_gain_with_event_weights_at_k"


def test_events_config_adds_the_event_weighted_ndcg(personalize, planted):  # noqa: F811
    events_config = {"eventParametersList": [{"eventType": "click", "weight": 1.0}]}
    arn, version = train(
        personalize,
        planted["group"],
        "weighted",
        UP_V2,
        solutionConfig={"eventsConfig": events_config},
    )
    assert version["status"] == "ACTIVE", version.get("failureReason")
    metrics = call(personalize, "GetSolutionMetrics", solutionVersionArn=arn)["metrics"]
    assert set(metrics) == METRIC_KEYS | {WEIGHTED}
    assert all(0.0 <= value <= 1.0 for value in metrics.values()), metrics
    # Every event weighs the same here, so the weighted NDCG is the plain NDCG@25.
    plain = metrics["normalized_discounted_cumulative_gain_at_25"]
    assert abs(metrics[WEIGHTED] - plain) < 1e-9, metrics
    assert plain > 0.3


def test_solutions_without_events_config_report_the_aws_keys_only(personalize, planted):  # noqa: F811
    arn, version = train(personalize, planted["group"], "plain", UP_V2)
    assert version["status"] == "ACTIVE", version.get("failureReason")
    metrics = call(personalize, "GetSolutionMetrics", solutionVersionArn=arn)["metrics"]
    assert set(metrics) == METRIC_KEYS
