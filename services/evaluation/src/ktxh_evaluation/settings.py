"""Settings of the evaluation service beyond the shared ones (``KTXH_EVALUATION_*``)."""

from __future__ import annotations

from ktxh_platform.settings import GRPC_PORTS
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class EvaluationSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KTXH_EVALUATION_", extra="ignore", frozen=True)

    # Days after the result during which the evaluated unit may ask once for a review.
    review_days: int = Field(default=10, ge=1)
    # gRPC addresses of the services it calls with the caller's token.
    catalog_addr: str = f"127.0.0.1:{GRPC_PORTS['catalog']}"
    assignment_addr: str = f"127.0.0.1:{GRPC_PORTS['assignment']}"
    reporting_addr: str = f"127.0.0.1:{GRPC_PORTS['reporting']}"
