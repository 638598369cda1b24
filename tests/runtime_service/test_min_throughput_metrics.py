"""The minimum throughput of served campaigns and recommenders, scraped from a real /metrics.

A Kubernetes HPA takes its floor from these gauges, so they are read the way Prometheus reads
them: over HTTP from the server's metrics port.
"""

from __future__ import annotations

import re
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cli.up import start_tailor
from tests.conftest import tailor_settings
from tests.control_plane.aws_calls import call
from tests.trainer.import_fixtures import run_import, write
from tests.trainer.test_recommender_training import create, domain_group, planted_lines

CAMPAIGN_GAUGE = "tailor_runtime_campaign_min_provisioned_tps"
RECOMMENDER_GAUGE = "tailor_runtime_recommender_min_recommendation_requests_per_second"


@pytest.fixture
def tailor(metadata_url: str, tmp_path: Path) -> Iterator[Any]:
    """The shared ``tailor`` server, with its Prometheus endpoint on a free port."""
    server = start_tailor(tailor_settings(tmp_path / "home", metadata_url, metrics_port=0))
    yield server
    server.stop(grace=1)


def scraped(server: Any, metric: str, label: str, name: str) -> float | None:
    """The sample ``metric{label="name"}`` of the server's /metrics page, or None."""
    url = f"http://127.0.0.1:{server.metrics_port}/metrics"
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - local test server
        page = response.read().decode()
    found = re.search(rf'^{metric}{{{label}="{re.escape(name)}"}} (\S+)$', page, re.MULTILINE)
    return float(found.group(1)) if found else None


def wait_scraped(server: Any, expected: float | None, *series: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while (now := scraped(server, *series)) != expected:
        assert time.monotonic() < deadline, f"{series}: {now}, expected {expected}"
        time.sleep(0.05)


def test_campaign_min_tps_follows_deploy_update_and_delete(tailor, personalize, served):
    series = (CAMPAIGN_GAUGE, "campaign", "shop")
    assert scraped(tailor, *series) == 1.0, "minProvisionedTPS defaults to 1"
    call(personalize, "UpdateCampaign", campaignArn=served["campaign"], minProvisionedTPS=7)
    wait_scraped(tailor, 7.0, *series)
    call(personalize, "DeleteCampaign", campaignArn=served["campaign"])
    wait_scraped(tailor, None, *series)


def test_recommender_min_requests_per_second_follows_its_config(
    tailor, personalize, tmp_path: Path
):
    group, dataset = domain_group(personalize, "tps")
    job = run_import(personalize, dataset, write(tmp_path / "in.csv", planted_lines()), "bulk")
    assert job["status"] == "ACTIVE", job
    arn, state = create(personalize, group, "busy", "aws-ecomm-popular-items-by-views")
    assert state["status"] == "ACTIVE", state
    series = (RECOMMENDER_GAUGE, "recommender", "busy")
    wait_scraped(tailor, 1.0, *series)
    call(
        personalize,
        "UpdateRecommender",
        recommenderArn=arn,
        recommenderConfig={"minRecommendationRequestsPerSecond": 5},
    )
    wait_scraped(tailor, 5.0, *series)
    call(personalize, "StopRecommender", recommenderArn=arn)
    wait_scraped(tailor, None, *series)
