"""Service settings from environment variables only (pydantic-settings).

Each service has its own prefix (``KTXH_CATALOG_`` ...). A required value that is missing
stops start-up with a message naming the variable.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

SERVICES = (
    "catalog", "assignment", "submission", "evaluation", "oversight", "document", "reporting",
    "notification",
)
GRPC_PORTS = {name: 50051 + i for i, name in enumerate(SERVICES)}
METRICS_PORTS = {name: 9101 + i for i, name in enumerate(SERVICES)}


def default_data_dir() -> Path:
    return Path(os.environ.get("KTXH_DATA_DIR", ".data")).resolve()


class ServiceSettings(BaseSettings):
    """Settings shared by every service; subclass per service with its own env prefix."""

    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    service_name: str = ""
    province_code: str = "31"
    database_url: str = ""
    database_schema: str | None = None
    database_echo: bool = False
    grpc_host: str = "127.0.0.1"
    grpc_port: int = 0
    metrics_port: int = 0
    bus: Literal["inprocess", "kafka"] = "inprocess"
    kafka_bootstrap_servers: str | None = None
    topic_prefix: str = ""
    # Create missing topics at start (development). Production provisions topics with their
    # partitions, replication and retention (infra/kafka/topics.yaml) and sets this to false.
    ensure_topics: bool = True
    object_store: Literal["local", "s3"] = "local"
    s3_endpoint: str | None = None
    s3_access_key: str | None = None
    s3_secret_key: str | None = None
    s3_bucket: str = "ktxh-documents"
    s3_secure: bool = False
    data_dir: Path = Field(default_factory=default_data_dir)
    migrate_on_start: bool = True
    demo_data: bool = False
    # Token relay (docs/security.md): the OIDC issuer whose access tokens this service accepts.
    # Required to serve; falls back to the shared KTXH_OIDC_ISSUER / KTXH_OIDC_AUDIENCE.
    oidc_issuer: str | None = Field(default_factory=lambda: os.environ.get("KTXH_OIDC_ISSUER"))
    oidc_audience: str = Field(
        default_factory=lambda: os.environ.get("KTXH_OIDC_AUDIENCE", "ktxh-api")
    )
    relay_interval_seconds: float = 0.2
    consumer_max_attempts: int = 5

    @model_validator(mode="after")
    def _check_required(self) -> "ServiceSettings":
        prefix = self.model_config.get("env_prefix", "")
        if self.bus == "kafka" and not self.kafka_bootstrap_servers:
            raise ValueError(f"{prefix}KAFKA_BOOTSTRAP_SERVERS is required when {prefix}BUS=kafka")
        if self.object_store == "s3":
            missing = [
                n for n in ("s3_endpoint", "s3_access_key", "s3_secret_key") if not getattr(self, n)
            ]
            if missing:
                names = ", ".join(prefix + n.upper() for n in missing)
                raise ValueError(f"{names} required when {prefix}OBJECT_STORE=s3")
        return self

    def required_oidc_issuer(self) -> str:
        if not self.oidc_issuer:
            prefix = self.model_config.get("env_prefix", "")
            raise ValueError(
                f"{prefix}OIDC_ISSUER (or KTXH_OIDC_ISSUER) is required: every call is "
                "authenticated from its access token"
            )
        return self.oidc_issuer

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{self.data_dir / (self.service_name + '.db')}"

    def resolved_grpc_port(self) -> int:
        return self.grpc_port or GRPC_PORTS.get(self.service_name, 0)


def settings_for(service: str, **overrides: object) -> ServiceSettings:
    """Build the settings of ``service`` from ``KTXH_<SERVICE>_*`` variables."""

    prefix = f"KTXH_{service.upper()}_"

    class _Settings(ServiceSettings):
        model_config = SettingsConfigDict(env_prefix=prefix, extra="ignore", frozen=True)

    return _Settings(service_name=service, **overrides)  # type: ignore[arg-type]
