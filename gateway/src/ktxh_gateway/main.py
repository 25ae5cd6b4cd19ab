"""``ktxh-gateway``: serve the HTTP gateway (configuration from ``KTXH_GATEWAY_*``)."""

from __future__ import annotations

from typing import Any

import uvicorn
from fastapi.routing import iter_route_contexts
from ktxh_platform.telemetry import setup_telemetry
from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware
from opentelemetry.util.http import parse_excluded_urls
from starlette.routing import Match

from ktxh_gateway.app import create_app
from ktxh_gateway.settings import GatewaySettings


class RouteNames:
    """The server span's name and ``http.route`` of a request (``POST
    /api/v1/submissions/{submission_id}/figures``), matched against the app's routes flattened
    once. FastAPIInstrumentor's default flattens every route again on each request, rebuilding
    their pydantic fields: a quarter of the gateway's CPU on the deadline-day peak
    (docs/performance.md, "Reports under load"). Same matching rule as its default."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.routes: list[Any] | None = None  # the routes do not change once serving

    def __call__(self, scope: dict[str, Any]) -> tuple[str, dict[str, str]]:
        if self.routes is None:
            self.routes = list(iter_route_contexts(self.app.routes))
        route = None
        for candidate in self.routes:
            match, _ = candidate.matches(scope)
            if match == Match.FULL:
                route = getattr(candidate, "path", None) or scope.get("path")
                break
            if match == Match.PARTIAL:
                route = getattr(candidate, "path", None)
        method = str(scope.get("method", "")).strip() or "HTTP"
        if not route:
            return method, {}
        return f"{method} {route}", {"http.route": route}


def build(settings: GatewaySettings):  # noqa: ANN201
    app = create_app(settings)
    # The ASGI OpenTelemetry middleware (server spans, context from traceparent, metrics) as
    # the outermost of the app's middlewares, with the cheap route names above.
    app.add_middleware(OpenTelemetryMiddleware,
                       excluded_urls=parse_excluded_urls("healthz,readyz,metrics"),
                       default_span_details=RouteNames(app))
    return app


def cli() -> None:
    setup_telemetry("ktxh-gateway")
    settings = GatewaySettings()
    uvicorn.run(build(settings), host=settings.host, port=settings.port, log_config=None, access_log=False)


if __name__ == "__main__":
    cli()
