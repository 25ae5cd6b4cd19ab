"""Gateway settings (``KTXH_GATEWAY_*``), environment only."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from ktxh_gateway.limits import MAX_UPLOAD_BYTES
from ktxh_platform.settings import GRPC_PORTS, SERVICES, default_data_dir


class GatewaySettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KTXH_GATEWAY_", extra="ignore", frozen=True)

    host: str = "127.0.0.1"
    port: int = 8000
    # Unset: the built-in development issuer serves /realms/<realm> on this gateway.
    oidc_issuer: str | None = None
    oidc_audience: str = "ktxh-api"
    oidc_client_id: str = "ktxh-web"
    realm: str = "ktxh"
    demo_password: str = "demo"
    # Secret of the built-in issuer's `ktxh-integration` client (client credentials grant).
    integration_client_secret: str = "ktxh-integration-secret"
    data_dir: Path = Field(default_factory=default_data_dir)
    catalog_addr: str = f"127.0.0.1:{GRPC_PORTS['catalog']}"
    assignment_addr: str = f"127.0.0.1:{GRPC_PORTS['assignment']}"
    submission_addr: str = f"127.0.0.1:{GRPC_PORTS['submission']}"
    evaluation_addr: str = f"127.0.0.1:{GRPC_PORTS['evaluation']}"
    oversight_addr: str = f"127.0.0.1:{GRPC_PORTS['oversight']}"
    document_addr: str = f"127.0.0.1:{GRPC_PORTS['document']}"
    reporting_addr: str = f"127.0.0.1:{GRPC_PORTS['reporting']}"
    notification_addr: str = f"127.0.0.1:{GRPC_PORTS['notification']}"
    grpc_timeout_seconds: float = 10.0
    # Admission control (`admission.py`): calls in flight from this gateway to one service, and
    # how long a call may wait for a slot before a 503.
    max_calls_per_service: int = Field(default=32, ge=1)
    queue_timeout_seconds: float = Field(default=120.0, gt=0)
    # Largest file of a multipart upload (catalog imports, documents): a larger body is a 413
    # problem before it is read (`body_limits.BodySizeLimit`). The document service's
    # KTXH_DOCUMENT_MAX_UPLOAD_BYTES stays the authority on a stored file: keep them equal.
    max_upload_bytes: int = Field(default=MAX_UPLOAD_BYTES, ge=1)
    # External base URL (what the browser types); pins the built-in issuer's `iss`.
    public_url: str | None = None

    @property
    def base_url(self) -> str:
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")

    @property
    def issuer(self) -> str:
        return self.oidc_issuer or f"{self.base_url}/realms/{self.realm}"

    @property
    def dev_issuer_enabled(self) -> bool:
        return not self.oidc_issuer

    def service_addrs(self) -> dict[str, str]:
        return {name: getattr(self, f"{name}_addr") for name in SERVICES}
