"""Typed settings, read once from ``TAILOR_*`` environment variables and passed down."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    """Every knob of a Tailor process, each with a default that works on a laptop."""

    home: Path = field(default=Path(".tailor"), metadata={"env": "TAILOR_HOME", "doc": "directory for the SQLite database, datasets and artifacts"})
    grpc_host: str = field(default="127.0.0.1", metadata={"env": "TAILOR_GRPC_HOST", "doc": "address the gRPC server binds to (0.0.0.0 in a container)"})
    grpc_port: int = field(default=50051, metadata={"env": "TAILOR_GRPC_PORT", "doc": "gRPC port for all services (0 picks a free port)"})
    metrics_port: int = field(default=9464, metadata={"env": "TAILOR_METRICS_PORT", "doc": "Prometheus /metrics HTTP port (0 picks a free port, -1 disables)"})
    database_url: str = field(default="", metadata={"env": "TAILOR_DATABASE_URL", "doc": "metadata store URL; empty means sqlite:///$TAILOR_HOME/tailor.db"})
    region: str = field(default="us-east-1", metadata={"env": "TAILOR_REGION", "doc": "region part of every ARN"})
    account_id: str = field(default="000000000000", metadata={"env": "TAILOR_ACCOUNT_ID", "doc": "account part of every ARN"})
    worker_poll_seconds: float = field(default=1.0, metadata={"env": "TAILOR_WORKER_POLL_SECONDS", "doc": "how often an idle trainer worker looks for jobs"})
    grpc_workers: int = field(default=16, metadata={"env": "TAILOR_GRPC_WORKERS", "doc": "threads serving gRPC calls"})
    log_level: str = field(default="INFO", metadata={"env": "TAILOR_LOG_LEVEL", "doc": "logging level"})

    @property
    def metadata_url(self) -> str:
        """The metadata store URL, defaulting to a SQLite file under ``home``."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.home / 'tailor.db').resolve()}"

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
