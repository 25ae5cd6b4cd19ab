"""Settings of the oversight service beyond the shared ones (``KTXH_OVERSIGHT_*``)."""

from __future__ import annotations

from ktxh_platform.settings import GRPC_PORTS
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class OversightSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KTXH_OVERSIGHT_", extra="ignore", frozen=True)

    # Days before a recommendation's due date when the addressed unit is reminded.
    remind_before_days: int = Field(default=3, ge=0)
    # How often the service looks for recommendations due soon or overdue, in seconds (0 = never).
    reminder_interval_seconds: float = Field(default=3600.0, ge=0)
    # gRPC addresses of the services it calls with the caller's token.
    assignment_addr: str = f"127.0.0.1:{GRPC_PORTS['assignment']}"
    reporting_addr: str = f"127.0.0.1:{GRPC_PORTS['reporting']}"
    document_addr: str = f"127.0.0.1:{GRPC_PORTS['document']}"
