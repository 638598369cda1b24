"""Prometheus metrics shared by every Tailor server."""

from __future__ import annotations

import grpc
from prometheus_client import Counter, Histogram


class RpcMetrics:
    """Request count and latency per service, operation and status code (never per id)."""

    def __init__(self) -> None:
        self.requests = Counter(
            "tailor_grpc_requests_total",
            "gRPC requests served, by service, operation and status code",
            ["service", "operation", "code"],
        )
        self.latency = Histogram(
            "tailor_grpc_request_duration_seconds",
            "gRPC request latency, by service and operation",
            ["service", "operation"],
            buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10),
        )

    def observe(self, service: str, operation: str, code: grpc.StatusCode, seconds: float) -> None:
        """Record one finished request."""
        self.requests.labels(service, operation, code.name).inc()
        self.latency.labels(service, operation).observe(seconds)


RPC_METRICS = RpcMetrics()
