"""Settings of the assignment service beyond the shared ones (``KTXH_ASSIGNMENT_*``)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from ktxh_platform.settings import GRPC_PORTS


class AssignmentSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KTXH_ASSIGNMENT_", extra="ignore", frozen=True)

    # Refuse to issue a decision unless its document carries a valid digital signature
    # (checked by the document service's RequireValidSignature).
    require_signed_decision: bool = True
    # Days after issue without acknowledgement before AssignmentAcknowledgementOverdue.
    ack_reminder_days: int = Field(default=5, ge=1)
    # How often the service looks for overdue acknowledgements, in seconds (0 = never).
    ack_reminder_interval_seconds: float = Field(default=3600.0, ge=0)
    # gRPC addresses of the services it calls with the caller's token.
    catalog_addr: str = f"127.0.0.1:{GRPC_PORTS['catalog']}"
    document_addr: str = f"127.0.0.1:{GRPC_PORTS['document']}"
