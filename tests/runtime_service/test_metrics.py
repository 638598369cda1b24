"""Prometheus metrics of serving, read from the process registry around real gRPC calls.

The in-process servers share ``prometheus_client.REGISTRY``, so each test reads a metric before
and after its calls and asserts the difference.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

import pytest
from prometheus_client import REGISTRY

from tests.control_plane.aws_calls import call
from tests.runtime_service.test_serving import (
    INVALID,
    NOT_FOUND,
    ask,
    refused,
    stream,
    wait_campaign,
)
from tests.trainer.test_solution_training import wait_version

ROOT = Path(__file__).resolve().parents[2]
DASHBOARD = ROOT / "k8s" / "grafana-dashboard.json"
MONITORING = ROOT / "k8s" / "monitoring.md"
UNKNOWN_ARN = "arn:aws:personalize:us-east-1:000000000000:campaign/made-up-by-a-caller"
METRIC_NAME = re.compile(r"\btailor_[a-z0-9_]+")
BY_CLAUSE = re.compile(r"\bby \(([^)]*)\)")
#: Labels Prometheus adds at scrape time, or the histogram bucket bound.
SCRAPE_LABELS = {"le", "instance", "job"}


def value(name: str, **labels: str) -> float:
    """The sample's value now (0 when the series does not exist yet)."""
    return REGISTRY.get_sample_value(name, labels) or 0.0


def samples_named(name: str) -> list[Any]:
    return [s for metric in REGISTRY.collect() for s in metric.samples if s.name == name]


def requests(campaign: str, code: str, operation: str = "GetRecommendations") -> float:
    return value("tailor_runtime_requests_total", operation=operation, campaign=campaign, code=code)


def latency_count(campaign: str, operation: str = "GetRecommendations") -> float:
    return value(
        "tailor_runtime_request_duration_seconds_count", operation=operation, campaign=campaign
    )


def test_requests_are_counted_by_operation_campaign_and_code(runtime, served):
    name = served["campaign"].rsplit("/", 1)[-1]
    assert name == "shop"
    ok, invalid = requests(name, "OK"), requests(name, "INVALID_ARGUMENT")
    unknown = requests("unknown", "NOT_FOUND")
    timed, timed_unknown = latency_count(name), latency_count("unknown")
    ranked = requests(name, "OK", "GetPersonalizedRanking")

    for user in ("b0-u0", "b1-u1", "b2-u2"):
        assert ask(runtime, "GetRecommendations", campaignArn=served["campaign"], userId=user)
    refused(
        runtime,
        "GetRecommendations",
        INVALID,
        campaignArn=served["campaign"],
        userId="b0-u0",
        numResults=501,
    )
    for _ in range(2):
        refused(runtime, "GetRecommendations", NOT_FOUND, campaignArn=UNKNOWN_ARN, userId="b0-u0")
    ask(
        runtime,
        "GetPersonalizedRanking",
        campaignArn=served["campaign"],
        userId="b0-u0",
        inputList=["b0-i0", "b1-i0"],
    )

    assert requests(name, "OK") - ok == 3
    assert requests(name, "INVALID_ARGUMENT") - invalid == 1
    assert requests("unknown", "NOT_FOUND") - unknown == 2
    assert requests(name, "OK", "GetPersonalizedRanking") - ranked == 1
    assert latency_count(name) - timed == 4
    assert latency_count("unknown") - timed_unknown == 2
    series = ("tailor_runtime_requests_total", "tailor_runtime_request_duration_seconds_count")
    for metric in series:
        found = samples_named(metric)
        assert found
        campaigns = {sample.labels["campaign"] for sample in found}
        assert "made-up-by-a-caller" not in campaigns and UNKNOWN_ARN not in campaigns
        for sample in found:
            assert set(sample.labels) <= {"operation", "campaign", "code"}, sample
            assert not any("b0-u0" in label for label in sample.labels.values())


LOAD_METRICS = (
    "tailor_runtime_model_load_seconds_count",
    "tailor_runtime_loaded_campaigns",
    "tailor_runtime_model_load_failures_total",
)


@pytest.fixture
def before_deploy(tailor) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """The load metrics once the server runs, before ``served`` deploys (request it first)."""
    return {name: value(name) for name in LOAD_METRICS}


def test_deploying_records_load_time_and_loaded_campaigns_and_delete_forgets(
    before_deploy, served, personalize, runtime
):
    loads, loaded, failures = (before_deploy[name] for name in LOAD_METRICS)

    assert value("tailor_runtime_model_load_seconds_count") - loads == 1
    assert value("tailor_runtime_model_load_seconds_sum") > 0
    assert value("tailor_runtime_loaded_campaigns") - loaded == 1
    assert value("tailor_runtime_model_load_failures_total") == failures
    ask(runtime, "GetRecommendations", campaignArn=served["campaign"], userId="b0-u0")
    assert requests("shop", "OK") >= 1

    call(personalize, "DeleteCampaign", campaignArn=served["campaign"])
    deadline = time.monotonic() + 10
    while value("tailor_runtime_loaded_campaigns") - loaded != 0:
        assert time.monotonic() < deadline, "the deleted campaign is still loaded"
        time.sleep(0.05)
    for operation, code in (("GetRecommendations", "OK"),):
        labels = {"operation": operation, "campaign": "shop", "code": code}
        assert REGISTRY.get_sample_value("tailor_runtime_requests_total", labels) is None
    assert latency_count("shop") == 0, "a deleted campaign's latency series stays"


def test_a_model_that_cannot_load_counts_a_failure(personalize, served, tmp_path):
    failures = value("tailor_runtime_model_load_failures_total")
    loaded = value("tailor_runtime_loaded_campaigns")
    second = call(personalize, "CreateSolutionVersion", solutionArn=served["solution"])
    second_arn = second["solutionVersionArn"]
    assert wait_version(personalize, second_arn)["status"] == "ACTIVE"
    artifacts = tmp_path / "home" / "artifacts" / "up"
    (artifacts / second_arn.rsplit("/", 1)[-1] / "manifest.json").unlink()
    arn = call(personalize, "CreateCampaign", name="broken", solutionVersionArn=second_arn)[
        "campaignArn"
    ]
    failed = wait_campaign(personalize, arn, lambda c: c["status"] != "CREATE PENDING")
    assert failed["status"] == "CREATE FAILED"
    assert value("tailor_runtime_model_load_failures_total") - failures == 1
    assert value("tailor_runtime_loaded_campaigns") == loaded


def _promql(text: str) -> list[str]:
    return re.findall(r"```promql\n(.*?)\n```", text, flags=re.DOTALL)


def _dashboard_queries() -> list[str]:
    dashboard = json.loads(DASHBOARD.read_text())
    assert 36 <= dashboard["schemaVersion"] <= 41
    variables = {v["name"]: v for v in dashboard["templating"]["list"]}
    assert variables["datasource"]["type"] == "datasource"
    assert variables["datasource"]["query"] == "prometheus"
    queries = [variables["campaign"]["definition"]]
    assert dashboard["panels"]
    ids = [panel["id"] for panel in dashboard["panels"]]
    assert len(set(ids)) == len(ids)
    for panel in dashboard["panels"]:
        assert panel["datasource"] == {"type": "prometheus", "uid": "${datasource}"}, panel
        assert panel["targets"], panel["title"]
        for target in panel["targets"]:
            queries.append(target["expr"])
    return queries


def test_dashboard_and_documented_queries_name_only_exported_metrics_and_labels(
    events, runtime, served
):
    ask(runtime, "GetRecommendations", campaignArn=served["campaign"], userId="b0-u0")
    refused(runtime, "GetRecommendations", NOT_FOUND, campaignArn=UNKNOWN_ARN, userId="b0-u0")
    stream(events, served, "b0-u0", ["b0-i1"], "click")
    labels_of: dict[str, set[str]] = {}
    for metric in REGISTRY.collect():
        for sample in metric.samples:
            labels_of.setdefault(sample.name, set()).update(sample.labels)

    queries = _dashboard_queries()
    documented = _promql(MONITORING.read_text())
    assert len(documented) >= 10
    unfiltered = {query.replace('{campaign=~"$campaign"}', "") for query in queries}
    assert set(documented) <= set(queries) | unfiltered, "monitoring.md and the dashboard differ"
    named: set[str] = set()
    for query in [*queries, *documented]:
        metrics = METRIC_NAME.findall(query)
        assert metrics, query
        missing = [name for name in metrics if name not in labels_of]
        assert not missing, f"{query} names metrics Tailor does not export: {missing}"
        known = set().union(*(labels_of[name] for name in metrics)) | SCRAPE_LABELS
        for clause in BY_CLAUSE.findall(query):
            grouped = {label.strip() for label in clause.split(",")}
            assert grouped <= known, f"{query} groups by labels no metric has: {grouped - known}"
        named.update(metrics)
    wanted = {
        "tailor_runtime_requests_total",
        "tailor_runtime_request_duration_seconds_bucket",
        "tailor_runtime_loaded_campaigns",
        "tailor_runtime_model_load_seconds_bucket",
        "tailor_runtime_model_load_failures_total",
        "tailor_grpc_requests_total",
        "tailor_events_applied_total",
        "tailor_events_group_commit_batch_size_bucket",
        "tailor_events_group_commit_seconds_bucket",
    }
    assert wanted <= named
