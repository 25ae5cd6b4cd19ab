"""The distributed stack (ktxh_testing.stack): env wiring, and one real request through it."""

from __future__ import annotations

import httpx
import pytest
from ktxh_testing import servers
from ktxh_testing.oidc_login import login
from ktxh_testing.stack import SERVICES, DistributedStack, available_services, console_script


def test_env_follows_conventions() -> None:
    stack = DistributedStack(["catalog", "document"], gateway_port=18000)
    stack.postgres = servers.PostgresServer("127.0.0.1", 5999, "postgres", None, "ktxh", "local")
    stack.kafka = servers.KafkaServer("127.0.0.1", 19092, "local")
    stack.s3 = servers.S3Server("127.0.0.1", 19000, "ak", "sk", "local")
    stack.oidc = servers.OIDCServer(
        "http://127.0.0.1:8080/realms/ktxh", 8080, "ktxh", "local", servers.default_realm_file()
    )
    env = stack.service_env("catalog")
    assert env["KTXH_CATALOG_DATABASE_URL"] == "postgresql+asyncpg://postgres@127.0.0.1:5999/ktxh"
    assert env["KTXH_CATALOG_DATABASE_SCHEMA"] == "catalog"
    assert env["KTXH_CATALOG_BUS"] == "kafka"
    assert env["KTXH_CATALOG_KAFKA_BOOTSTRAP_SERVERS"] == "127.0.0.1:19092"
    assert env["KTXH_CATALOG_GRPC_PORT"] == "50051"
    assert env["KTXH_CATALOG_METRICS_PORT"] == "9101"
    assert "KTXH_CATALOG_OBJECT_STORE" not in env
    assert env["KTXH_CATALOG_OIDC_ISSUER"] == "http://127.0.0.1:8080/realms/ktxh"
    assert env["KTXH_CATALOG_OIDC_AUDIENCE"] == "ktxh-api"
    doc = stack.service_env("document")
    assert doc["KTXH_DOCUMENT_OBJECT_STORE"] == "s3"
    assert doc["KTXH_DOCUMENT_S3_ENDPOINT"] == "127.0.0.1:19000"
    assert doc["KTXH_DOCUMENT_S3_BUCKET"] == "ktxh-documents"
    assert doc["KTXH_DOCUMENT_S3_SECURE"] == "false"
    gw = stack.gateway_env()
    assert gw["KTXH_GATEWAY_OIDC_ISSUER"] == "http://127.0.0.1:8080/realms/ktxh"
    assert gw["KTXH_GATEWAY_PORT"] == "18000"
    assert {f"KTXH_GATEWAY_{s.upper()}_ADDR" for s in SERVICES} <= gw.keys()
    assert gw["KTXH_GATEWAY_REPORTING_ADDR"] == "127.0.0.1:50057"


def test_unknown_service_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown services"):
        DistributedStack(["nope"])


@pytest.mark.e2e
@pytest.mark.timeout(240)
async def test_stack_serves_a_real_request(pg_server, kafka_server, s3_server, oidc_server) -> None:
    """Services as processes on PostgreSQL + Tansu + S3, the gateway on the OIDC provider:
    a token from the real login flow is accepted and the request crosses gateway -> gRPC."""
    services = available_services()
    assert "catalog" in services and console_script("ktxh-gateway") is not None
    with DistributedStack.with_free_ports(
        ["catalog"],
        postgres=pg_server,
        kafka=kafka_server,
        s3=s3_server,
        oidc=oidc_server,
        topic_prefix="stacktest.",
    ) as stack:
        tokens = await login(
            oidc_server.issuer, "ktxh-web", "admin", "demo", f"{stack.gateway_url}/callback"
        )
        async with httpx.AsyncClient(base_url=stack.gateway_url, timeout=30) as http:
            assert (await http.get("/healthz")).status_code == 200
            r = await http.get("/api/v1/org-units")
            assert r.status_code == 401
            r = await http.get(
                "/api/v1/org-units", headers={"Authorization": f"Bearer {tokens['access_token']}"}
            )
            assert r.status_code == 200, r.text
