"""The Kubernetes manifests, autoscaling rules, dashboard and docs under k8s/ name only metrics,
labels and settings that Tailor really has, so a renamed metric or setting breaks a test instead
of silently flattening the runtime's autoscaling in production.

Metric names come from the process registry after importing the composition root (every metric
a Tailor process exports is registered at import); the sample names Prometheus sees are derived
from each family's type (a counter ``x`` is scraped as ``x_total``, a histogram as ``x_bucket``,
``x_count`` and ``x_sum``).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from prometheus_client import REGISTRY
from prometheus_client.metrics import MetricWrapperBase

import cli.up  # noqa: F401 - registers every metric a Tailor process exports
from servicekit.settings import Settings
from tailor_api.v1 import personalize_runtime_pb2

ROOT = Path(__file__).resolve().parents[1]
K8S = ROOT / "k8s"
METRIC_NAME = re.compile(r"\btailor_[a-z0-9_]+")
SETTING_NAME = re.compile(r"\bTAILOR_[A-Z0-9_]+")
BY_CLAUSE = re.compile(r"\bby \(([^)<>]*)\)")
#: Labels Prometheus adds at scrape time (pod discovery), or the histogram bucket bound.
SCRAPE_LABELS = {"le", "instance", "job", "namespace", "pod"}
SAMPLE_SUFFIXES = {
    "counter": ("_total", "_created"),
    "gauge": ("",),
    "histogram": ("_bucket", "_count", "_sum", "_created"),
    "summary": ("", "_count", "_sum", "_created"),
    "info": ("_info",),
    "stateset": ("",),
    "enum": ("",),
}
RUNTIME_SERVICE = personalize_runtime_pb2.DESCRIPTOR.services_by_name["PersonalizeRuntime"]
#: Settings only the CLI reads (not ``Settings`` fields).
CLI_SETTINGS = {"TAILOR_ENDPOINT"}
#: Our packages that may define metrics (searched for their label names).
_PACKAGES = {"runtime_service", "events_service", "servicekit", "control_plane", "trainer", "cli"}


def exported_samples() -> set[str]:
    """Every sample name Tailor's /metrics can show."""
    names = set()
    for family in REGISTRY.collect():
        if family.name.startswith("tailor_"):
            names.update(family.name + suffix for suffix in SAMPLE_SUFFIXES[family.type])
    return names


def documented_names() -> set[str]:
    """The sample names, plus the names histograms are documented by (their ``_bucket`` stem)."""
    stems = {f.name for f in REGISTRY.collect() if f.type in {"histogram", "summary"}}
    return exported_samples() | {name for name in stems if name.startswith("tailor_")}


def exported_labels() -> dict[str, set[str]]:
    """Label names of each of Tailor's metrics, by every sample name it is scraped as."""
    labels: dict[str, set[str]] = {}
    modules = [m for name, m in list(sys.modules.items()) if name.split(".")[0] in _PACKAGES]
    for module in modules:
        for metric in vars(module).values():
            if isinstance(metric, MetricWrapperBase):
                # prometheus_client has no public accessor for a metric's label names.
                names = set(metric._labelnames)
                for family in metric.describe():
                    for suffix in SAMPLE_SUFFIXES[family.type]:
                        labels.setdefault(family.name + suffix, set()).update(names)
    return labels


def k8s_texts() -> dict[str, str]:
    """Every manifest, values file, doc and dashboard under k8s/, by path relative to it."""
    files = [p for p in sorted(K8S.rglob("*")) if p.suffix in {".yaml", ".yml", ".md", ".json"}]
    return {str(path.relative_to(K8S)): path.read_text() for path in files}


def adapter_metric_names(text: str) -> set[str]:
    """The metric names prometheus-adapter rules define (``name.as``): not exported by Tailor."""
    return set(re.findall(r"^\s*as: (tailor_[a-z0-9_]+)\s*$", text, flags=re.MULTILINE))


def unknown_metrics(text: str, known: set[str]) -> list[str]:
    """The ``tailor_*`` names in ``text`` that are not in ``known``."""
    return sorted({name for name in METRIC_NAME.findall(text) if name not in known})


def test_every_metric_named_under_k8s_is_exported_by_tailor():
    texts = k8s_texts()
    assert {"tailor.yaml", "autoscaling.yaml", "monitoring.md", "grafana-dashboard.json"} <= set(
        texts
    )
    defined = set().union(*(adapter_metric_names(text) for text in texts.values()))
    assert defined == {
        "tailor_runtime_requests_per_second",
        "tailor_runtime_min_provisioned_tps_sum",
    }
    exported = documented_names()
    assert not defined & exported, "an adapter metric shadows an exported one"
    for path, text in texts.items():
        missing = unknown_metrics(text, exported | defined)
        assert not missing, f"k8s/{path} names metrics Tailor does not export: {missing}"
    named = set().union(*(METRIC_NAME.findall(text) for text in texts.values()))
    assert {
        "tailor_runtime_requests_total",
        "tailor_runtime_campaign_min_provisioned_tps",
        "tailor_runtime_recommender_min_recommendation_requests_per_second",
        "tailor_runtime_loaded_campaigns",
    } <= named


def test_a_metric_tailor_does_not_export_is_reported():
    exported = exported_samples()
    assert "tailor_runtime_requests_total" in exported
    assert "tailor_runtime_requests" not in exported  # the family name is not scraped
    query = "sum(rate(tailor_runtime_requests_total[2m])) + sum(tailor_runtime_min_tps_renamed)"
    assert unknown_metrics(query, exported) == ["tailor_runtime_min_tps_renamed"]


def test_every_setting_named_under_k8s_exists():
    known = {env for env, _default, _doc in Settings.describe()} | CLI_SETTINGS
    for path, text in k8s_texts().items():
        missing = sorted(set(SETTING_NAME.findall(text)) - known)
        assert not missing, f"k8s/{path} names settings Tailor does not read: {missing}"


def test_dashboard_is_valid_json_and_its_replica_math_uses_the_hpa_capacity():
    dashboard = json.loads((K8S / "grafana-dashboard.json").read_text())
    ids = [panel["id"] for panel in dashboard["panels"]]
    assert len(ids) == len(set(ids))
    exprs = [target["expr"] for panel in dashboard["panels"] for target in panel["targets"]]
    assert any("tailor_runtime_campaign_min_provisioned_tps" in expr for expr in exprs)
    divisors = {float(d) for expr in exprs for d in re.findall(r"\) / (\d+(?:\.\d+)?)\)", expr)}
    assert divisors == {hpa_capacity()}


# --- The YAML manifests: structure, cross references (PyYAML, a dev dependency's dependency). ---


def load_documents(path: Path) -> list[Any]:
    yaml = pytest.importorskip("yaml")
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc is not None]


def manifests() -> list[dict[str, Any]]:
    return [doc for path in sorted(K8S.glob("*.yaml")) for doc in load_documents(path)]


def one(kind: str, name: str) -> dict[str, Any]:
    found = [m for m in manifests() if m["kind"] == kind and m["metadata"]["name"] == name]
    assert len(found) == 1, f"{kind}/{name}: {len(found)} found"
    return found[0]


def hpa_capacity() -> float:
    """The per-pod capacity both HPA metrics are measured against (requests/s)."""
    targets = {
        float(metric[metric["type"].lower()]["target"]["averageValue"])
        for metric in one("HorizontalPodAutoscaler", "tailor-runtime")["spec"]["metrics"]
    }
    assert len(targets) == 1, f"the HPA's metrics have different per-pod capacities: {targets}"
    return targets.pop()


def adapter_config() -> dict[str, Any]:
    yaml = pytest.importorskip("yaml")
    return yaml.safe_load(one("ConfigMap", "tailor-prometheus-adapter")["data"]["config.yaml"])


def test_every_yaml_document_under_k8s_parses_and_every_manifest_is_a_named_object():
    paths = sorted(K8S.rglob("*.yaml"))
    assert len(paths) >= 4
    for path in paths:
        assert load_documents(path), path
    for manifest in manifests():
        assert manifest["apiVersion"] and manifest["kind"], manifest
        assert manifest["metadata"]["name"], manifest


def test_runtime_hpa_scales_the_runtime_deployment_on_request_rate_with_a_min_tps_floor():
    hpa = one("HorizontalPodAutoscaler", "tailor-runtime")
    assert hpa["apiVersion"] == "autoscaling/v2"
    spec = hpa["spec"]
    target = spec["scaleTargetRef"]
    deployment = one(target["kind"], target["name"])
    assert deployment["metadata"]["name"] == "tailor-runtime"
    assert "replicas" not in deployment["spec"], "the HPA owns the runtime's replica count"
    assert 2 <= spec["minReplicas"] < spec["maxReplicas"]
    by_type = {metric["type"]: metric for metric in spec["metrics"]}
    assert set(by_type) == {"Pods", "External"}
    assert by_type["Pods"]["pods"]["metric"]["name"] == "tailor_runtime_requests_per_second"
    assert by_type["External"]["external"]["metric"]["name"] == (
        "tailor_runtime_min_provisioned_tps_sum"
    )
    for metric in spec["metrics"]:
        assert metric[metric["type"].lower()]["target"]["type"] == "AverageValue"
    capacity = hpa_capacity()
    assert 0 < capacity
    assert spec["behavior"]["scaleDown"]["stabilizationWindowSeconds"] >= 300
    assert f"{capacity:g} requests/s" in (K8S / "README.md").read_text()


def test_adapter_rules_define_the_hpa_metrics_from_exported_metrics_and_labels():
    config = adapter_config()
    rules = {rule["name"]["as"]: rule for rule in config["rules"]}
    external = {rule["name"]["as"]: rule for rule in config["externalRules"]}
    assert set(rules) == {"tailor_runtime_requests_per_second"}
    assert set(external) == {"tailor_runtime_min_provisioned_tps_sum"}
    assert "pod" in rules["tailor_runtime_requests_per_second"]["resources"]["overrides"]
    labels = exported_labels()
    for rule in [*rules.values(), *external.values()]:
        series = METRIC_NAME.findall(rule["seriesQuery"])
        assert len(series) == 1 and series[0] in labels, rule["seriesQuery"]
        assert re.fullmatch(rule["name"]["matches"], series[0]), rule["name"]
        query = rule["metricsQuery"]
        used = METRIC_NAME.findall(query) or series
        missing = [name for name in used if name not in labels]
        assert not missing, f"{query} names metrics Tailor does not export: {missing}"
        known = set().union(*(labels[name] for name in used)) | SCRAPE_LABELS
        for clause in BY_CLAUSE.findall(query):
            grouped = {label.strip() for label in clause.split(",")}
            assert grouped <= known, f"{query} groups by labels no metric has: {grouped - known}"
    floor = external["tailor_runtime_min_provisioned_tps_sum"]["metricsQuery"]
    assert "max by (campaign) (tailor_runtime_campaign_min_provisioned_tps" in floor
    assert "max by (recommender) (tailor_runtime_recommender_min_recommendation_" in floor


def test_helm_values_hold_the_same_adapter_rules_as_the_configmap():
    config = adapter_config()
    (values,) = load_documents(K8S / "helm" / "prometheus-adapter-values.yaml")
    assert values["rules"]["custom"] == config["rules"]
    assert values["rules"]["external"] == config["externalRules"]


def test_runtime_pods_are_scraped_ready_when_serving_and_protected_from_drains():
    deployment = one("Deployment", "tailor-runtime")
    pod = deployment["spec"]["template"]
    (container,) = pod["spec"]["containers"]
    env = {var["name"]: var.get("value") for var in container["env"]}
    assert env["TAILOR_SERVING_PROCESSES"] == "1", "one metrics port per pod is scraped"
    metrics_port = int(env.get("TAILOR_METRICS_PORT") or Settings().metrics_port)
    assert pod["metadata"]["annotations"]["prometheus.io/port"] == str(metrics_port)
    assert {"name": "metrics", "containerPort": metrics_port} in container["ports"]
    for probe in ("readinessProbe", "startupProbe"):
        assert container[probe]["grpc"]["service"] == RUNTIME_SERVICE.full_name
    resources = container["resources"]
    assert resources["requests"]["memory"] and resources["limits"]["memory"]
    assert resources["requests"]["cpu"]
    budget = one("PodDisruptionBudget", "tailor-runtime")
    selected = budget["spec"]["selector"]["matchLabels"]
    assert selected == deployment["spec"]["selector"]["matchLabels"]
    assert pod["metadata"]["labels"].items() >= selected.items()
