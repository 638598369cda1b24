"""Prometheus metrics of the runtime: requests, model loads, loaded models, minimum throughput.

Besides requests per campaign, model loads and loaded campaigns, the runtime exports the minimum
throughput each served campaign (``minProvisionedTPS``) or recommender
(``minRecommendationRequestsPerSecond``) was provisioned for: the floor a Kubernetes HPA scales
from. The series of a campaign appears when it is loaded and goes when it is unloaded.

Labels are bounded: ``operation`` is one of the runtime operations and ``campaign`` the name of a
campaign this replica serves (the last part of its ARN), or ``unknown`` for a request naming no
campaign or one not served here, so a caller cannot mint label values with made-up ARNs. User and
item ids are never labels.

The hot path looks labelled children up in plain dicts (no ``labels()`` call, no lock per request).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

from prometheus_client import Counter, Gauge, Histogram

from servicekit.errors import code_for

Operation = Callable[[dict[str, Any]], dict[str, Any]]

UNKNOWN_CAMPAIGN = "unknown"

REQUESTS = Counter(
    "tailor_runtime_requests_total",
    "Runtime requests, by operation, campaign (name; unknown when not served) and status code",
    ["operation", "campaign", "code"],
)
REQUEST_SECONDS = Histogram(
    "tailor_runtime_request_duration_seconds",
    "Runtime request latency, by operation and campaign (name; unknown when not served)",
    ["operation", "campaign"],
    buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10),
)
MODEL_LOAD_SECONDS = Histogram(
    "tailor_runtime_model_load_seconds",
    "Time to load a campaign's deployment (model, item catalogue, bulk histories)",
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120),
)
MODEL_LOAD_FAILURES = Counter(
    "tailor_runtime_model_load_failures_total",
    "Campaign deployments that could not be loaded",
)
LOADED_CAMPAIGNS = Gauge(
    "tailor_runtime_loaded_campaigns",
    "Campaigns this replica serves now (a model loaded and swapped in)",
)

CAMPAIGN_MIN_TPS = Gauge(
    "tailor_runtime_campaign_min_provisioned_tps",
    "minProvisionedTPS of each campaign this replica serves (a floor for autoscaling)",
    ["campaign"],
)
RECOMMENDER_MIN_RPS = Gauge(
    "tailor_runtime_recommender_min_recommendation_requests_per_second",
    "recommenderConfig.minRecommendationRequestsPerSecond of each recommender served here",
    ["recommender"],
)


def set_min_throughput(arn: str, value: float | None) -> None:
    """Export a served campaign's (recommender's) minimum throughput; None: stop exporting it.

    Args:
        arn: The campaign or recommender ARN (the label is its name).
        value: ``minProvisionedTPS`` (``minRecommendationRequestsPerSecond``), or None when the
            campaign (recommender) is unloaded.

    """
    prefix, _, name = arn.rpartition("/")
    gauge = RECOMMENDER_MIN_RPS if prefix.endswith(":recommender") else CAMPAIGN_MIN_TPS
    if value is not None:
        gauge.labels(name).set(value)
        return
    try:
        gauge.remove(name)
    except KeyError:  # never exported
        pass


def campaign_label(campaign_arn: str) -> str:
    """The ``campaign`` label of a served campaign: its name (the ARN's last part).

    A recommender's is ``recommender/{name}``, so it never shares series with a campaign.
    """
    prefix, _, name = campaign_arn.rpartition("/")
    return f"recommender/{name}" if prefix.endswith(":recommender") else name


class RequestMetrics:
    """Counts and times runtime requests, caching the labelled children of each campaign."""

    def __init__(self, requests: Counter = REQUESTS, latency: Histogram = REQUEST_SECONDS) -> None:
        """Create the recorder over ``requests`` and ``latency`` (the module's metrics)."""
        self._requests = requests
        self._latency = latency
        self._counters: dict[tuple[str, str, str], Any] = {}
        self._histograms: dict[tuple[str, str], Any] = {}
        self._lock = threading.Lock()

    def observe(self, operation: str, campaign: str, code: str, seconds: float) -> None:
        """Record one finished request of ``operation`` on ``campaign`` (a label value)."""
        counter = self._counters.get((operation, campaign, code))
        if counter is None:
            counter = self._counters.setdefault(
                (operation, campaign, code), self._requests.labels(operation, campaign, code)
            )
        histogram = self._histograms.get((operation, campaign))
        if histogram is None:
            histogram = self._histograms.setdefault(
                (operation, campaign), self._latency.labels(operation, campaign)
            )
        counter.inc()
        histogram.observe(seconds)

    def forget(self, campaign: str) -> None:
        """Drop the series of ``campaign`` (deleted), so label values follow existing campaigns."""
        with self._lock:
            for key in [key for key in list(self._counters) if key[1] == campaign]:
                if self._counters.pop(key, None) is not None:
                    _remove(self._requests, key)
            for hkey in [hkey for hkey in list(self._histograms) if hkey[1] == campaign]:
                if self._histograms.pop(hkey, None) is not None:
                    _remove(self._latency, hkey)


def _remove(metric: Counter | Histogram, labels: tuple[str, ...]) -> None:
    try:
        metric.remove(*labels)
    except KeyError:  # already gone (another recorder over the same metric removed it)
        pass


REQUEST_METRICS = RequestMetrics()


def instrument(
    operations: Mapping[str, Operation],
    is_served: Callable[[str], bool],
    metrics: RequestMetrics = REQUEST_METRICS,
) -> dict[str, Operation]:
    """``operations`` wrapped to count and time every call by operation, campaign and code.

    Args:
        operations: The runtime operations by AWS name (each takes ``campaignArn``).
        is_served: Whether a campaign ARN is served by this replica (else ``unknown``).
        metrics: Where to record.

    Returns:
        The same operations, instrumented; errors propagate unchanged.

    """
    return {
        name: _instrumented(name, operation, is_served, metrics)
        for name, operation in operations.items()
    }


def _instrumented(
    name: str, operation: Operation, is_served: Callable[[str], bool], metrics: RequestMetrics
) -> Operation:
    def call(request: dict[str, Any]) -> dict[str, Any]:
        started = time.perf_counter()
        code = "OK"
        try:
            return operation(request)
        except BaseException as exc:
            code = code_for(exc).name
            raise
        finally:
            arn = request.get("campaignArn") or request.get("recommenderArn")
            campaign = campaign_label(arn) if arn and is_served(arn) else UNKNOWN_CAMPAIGN
            metrics.observe(name, campaign, code, time.perf_counter() - started)

    call.__name__ = name
    call.__doc__ = operation.__doc__
    return call
