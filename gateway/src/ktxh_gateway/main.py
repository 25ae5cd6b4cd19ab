"""``ktxh-gateway``: serve the HTTP gateway (configuration from ``KTXH_GATEWAY_*``)."""

from __future__ import annotations

import uvicorn
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

from ktxh_gateway.app import create_app
from ktxh_gateway.settings import GatewaySettings
from ktxh_platform.telemetry import setup_telemetry


def build(settings: GatewaySettings):  # noqa: ANN201
    app = create_app(settings)
    FastAPIInstrumentor.instrument_app(app, excluded_urls="healthz,readyz,metrics")
    return app


def cli() -> None:
    setup_telemetry("ktxh-gateway")
    settings = GatewaySettings()
    uvicorn.run(build(settings), host=settings.host, port=settings.port, log_config=None, access_log=False)


if __name__ == "__main__":
    cli()
