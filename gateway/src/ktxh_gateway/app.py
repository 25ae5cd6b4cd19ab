"""The FastAPI application: REST API, problem details, OIDC, health, metrics, web UI."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from ktxh_gateway import problems
from ktxh_gateway.assignments.endpoints import routers as assignment_routers
from ktxh_gateway.body_limits import BodySizeLimit
from ktxh_gateway.catalog import routers as catalog_routers
from ktxh_gateway.clients import ServiceClients
from ktxh_gateway.documents.endpoints import router as documents_router
from ktxh_gateway.evaluations.endpoints import routers as evaluation_routers
from ktxh_gateway.notifications.endpoints import router as notifications_router
from ktxh_gateway.org_units.endpoints import router as org_units_router
from ktxh_gateway.oversight.endpoints import routers as oversight_routers
from ktxh_gateway.settings import GatewaySettings
from ktxh_gateway.reporting.endpoints import routers as reporting_routers
from ktxh_gateway.reporting.kinds import routers as reporting_kind_routers
from ktxh_gateway.reporting.outputs import routers as reporting_output_routers
from ktxh_gateway.submissions.bulk import routers as submission_bulk_routers
from ktxh_gateway.submissions.endpoints import routers as submission_routers
from ktxh_gateway.web import mount_web
from ktxh_platform.auth.validator import TokenValidator

DESCRIPTION = """
API của hệ thống KTXH (chỉ tiêu kinh tế – xã hội, nhiệm vụ trọng tâm, báo cáo).

Mọi yêu cầu cần `Authorization: Bearer <access token>` do Keycloak (hoặc máy chủ đăng nhập
phát triển tích hợp) cấp. Lỗi trả về theo RFC 9457 (`application/problem+json`).
"""


def create_app(settings: GatewaySettings | None = None) -> FastAPI:
    settings = settings or GatewaySettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.clients = ServiceClients(
            settings.service_addrs(), settings.grpc_timeout_seconds,
            max_calls=settings.max_calls_per_service, queue_timeout=settings.queue_timeout_seconds,
        )
        app.state.validator = TokenValidator(
            settings.issuer, settings.oidc_audience, client_id=settings.oidc_client_id
        )
        yield
        await app.state.validator.aclose()
        await app.state.clients.close()

    app = FastAPI(
        title="KTXH API",
        version="1.0.0",
        description=DESCRIPTION,
        openapi_url="/api/v1/openapi.json",
        docs_url="/api/v1/docs",
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    problems.install(app)
    app.add_middleware(BodySizeLimit, max_upload_bytes=settings.max_upload_bytes)
    app.include_router(org_units_router)
    app.include_router(documents_router)
    app.include_router(notifications_router)
    for router in catalog_routers:
        app.include_router(router)
    for router in assignment_routers:
        app.include_router(router)
    for router in submission_routers:
        app.include_router(router)
    for router in evaluation_routers:
        app.include_router(router)
    for router in reporting_routers:
        app.include_router(router)
    for router in reporting_output_routers:
        app.include_router(router)
    for router in reporting_kind_routers:
        app.include_router(router)
    for router in oversight_routers:
        app.include_router(router)
    for router in submission_bulk_routers:
        app.include_router(router)

    if settings.dev_issuer_enabled:
        from ktxh_platform.auth.demo_users import (
            DEMO_USERS,
            INTEGRATION_CLIENT_ID,
            INTEGRATION_SERVICE_ACCOUNT,
        )
        from ktxh_platform.auth.dev_issuer import create_dev_issuer

        app.include_router(
            create_dev_issuer(
                settings.realm, DEMO_USERS, password=settings.demo_password,
                key_path=settings.data_dir / "dev-issuer-key.pem", base_url=settings.base_url,
                service_accounts={
                    INTEGRATION_CLIENT_ID: (
                        settings.integration_client_secret, INTEGRATION_SERVICE_ACCOUNT
                    )
                },
            ),
            include_in_schema=False,
        )

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", include_in_schema=False)
    async def readyz(request: Request) -> JSONResponse:
        services = await request.app.state.clients.health()
        ready = all(s == "SERVING" for s in services.values())
        return JSONResponse(
            {"status": "ready" if ready else "not_ready", "services": services},
            status_code=200 if ready else 503,
        )

    @app.get("/metrics", include_in_schema=False)
    async def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    @app.get("/config.json", include_in_schema=False)
    async def web_config() -> dict[str, str]:
        return {
            "issuer": settings.issuer,
            "client_id": settings.oidc_client_id,
            "api_base": "/api/v1",
            "realm": settings.realm,
        }

    mount_web(app)  # the web UI: /assets/* immutable, / and /callback no-cache

    return app
