"""Typed settings, read once from ``TAILOR_*`` environment variables and passed down."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any


def _setting(default: object, env: str, doc: str) -> Any:
    return field(default=default, metadata={"env": env, "doc": doc})


@dataclass(frozen=True)
class Settings:
    """Every knob of a Tailor process, each with a default that works on a laptop."""

    home: Path = _setting(
        Path(".tailor"), "TAILOR_HOME", "directory for the SQLite database, datasets and artifacts"
    )
    grpc_host: str = _setting(
        "127.0.0.1", "TAILOR_GRPC_HOST", "address the gRPC server binds to (0.0.0.0 in a container)"
    )
    grpc_port: int = _setting(
        50051, "TAILOR_GRPC_PORT", "gRPC port for all services (0 picks a free port)"
    )
    metrics_port: int = _setting(
        9464,
        "TAILOR_METRICS_PORT",
        "Prometheus /metrics HTTP port (0 picks a free port, -1 disables)",
    )
    database_url: str = _setting(
        "",
        "TAILOR_DATABASE_URL",
        "metadata store URL; empty means sqlite:///$TAILOR_HOME/tailor.db",
    )
    data_url: str = _setting(
        "",
        "TAILOR_DATA_URL",
        "dataset segments: a directory, file:// or s3:// URL; empty: $TAILOR_HOME/data",
    )
    artifacts_url: str = _setting(
        "",
        "TAILOR_ARTIFACTS_URL",
        "trained models (solution versions): a directory, file:// or s3:// URL; "
        "empty: $TAILOR_HOME/artifacts",
    )
    online_store_url: str = _setting(
        "",
        "TAILOR_ONLINE_STORE_URL",
        "online store: redis://host:port/db; empty: the metadata database",
    )
    s3_endpoint_url: str = _setting(
        "",
        "TAILOR_S3_ENDPOINT_URL",
        "endpoint of an S3-compatible store for s3:// URLs (empty: AWS)",
    )
    region: str = _setting("us-east-1", "TAILOR_REGION", "region part of every ARN")
    account_id: str = _setting("000000000000", "TAILOR_ACCOUNT_ID", "account part of every ARN")
    worker_poll_seconds: float = _setting(
        1.0, "TAILOR_WORKER_POLL_SECONDS", "how often an idle trainer worker looks for jobs"
    )
    runtime_poll_seconds: float = _setting(
        2.0,
        "TAILOR_RUNTIME_POLL_SECONDS",
        "how often a runtime replica looks for campaigns to deploy, update or unload",
    )
    trainer_threads: int = _setting(
        1,
        "TAILOR_TRAINER_THREADS",
        "BLAS/OpenMP threads one training job may use (threadpoolctl); keep it below the "
        "CPU count so that training does not starve serving",
    )
    grpc_workers: int = _setting(16, "TAILOR_GRPC_WORKERS", "threads serving gRPC calls")
    serving_processes: int = _setting(
        1,
        "TAILOR_SERVING_PROCESSES",
        "processes serving the gRPC port together (SO_REUSEPORT); the extra ones serve every "
        "part of the command but the trainer, each with its own /metrics port "
        "(TAILOR_METRICS_PORT + process index); one Python process uses about one core",
    )
    log_level: str = _setting("INFO", "TAILOR_LOG_LEVEL", "logging level")

    @property
    def metadata_url(self) -> str:
        """The metadata store URL, defaulting to a SQLite file under ``home``."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.home / 'tailor.db').resolve()}"

    @property
    def data_location(self) -> str:
        """Where dataset segments live, defaulting to a directory under ``home``."""
        return self.data_url or str((self.home / "data").resolve())

    @property
    def artifacts_location(self) -> str:
        """Where trained models live, defaulting to a directory under ``home``."""
        return self.artifacts_url or str((self.home / "artifacts").resolve())

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: object) -> Settings:
        """Read settings from the environment; ``overrides`` win over the environment."""
        environ = dict(os.environ if environ is None else environ)
        values: dict[str, object] = {}
        for spec in fields(cls):
            raw = environ.get(spec.metadata["env"])
            if raw is None or raw == "":
                continue
            values[spec.name] = _convert(spec.type, raw, spec.metadata["env"])
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    @classmethod
    def describe(cls) -> list[tuple[str, str, str]]:
        """(variable, default, doc) for every setting, for ``--help`` output."""
        return [
            (spec.metadata["env"], str(spec.default), spec.metadata["doc"]) for spec in fields(cls)
        ]


def _convert(type_name: object, raw: str, env: str) -> object:
    kind = str(type_name)
    try:
        if kind == "int":
            return int(raw)
        if kind == "float":
            return float(raw)
    except ValueError as exc:
        raise ValueError(f"{env}: expected a number, got {raw!r}") from exc
    if kind == "Path":
        return Path(raw)
    return raw
