"""Settings fail fast; health says NOT_SERVING until the database and the bus are ready."""

from __future__ import annotations

import asyncio
from pathlib import Path

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from pydantic import ValidationError

from ktxh_platform.runtime import ServiceRuntime
from ktxh_platform.settings import settings_for
from ktxh_testing.servers import free_port

ISSUER = "http://127.0.0.1:1/realms/ktxh"  # health needs no token: never contacted here


def test_missing_required_setting_names_the_variable(monkeypatch):
    monkeypatch.setenv("KTXH_CATALOG_BUS", "kafka")
    with pytest.raises(ValidationError) as err:
        settings_for("catalog")
    assert "KTXH_CATALOG_KAFKA_BOOTSTRAP_SERVERS" in str(err.value)
    monkeypatch.setenv("KTXH_CATALOG_BUS", "rabbit")
    with pytest.raises(ValidationError):
        settings_for("catalog")


def test_settings_come_from_the_service_prefix(monkeypatch, tmp_path: Path):
    monkeypatch.setenv("KTXH_REPORTING_GRPC_PORT", "6001")
    monkeypatch.setenv("KTXH_CATALOG_GRPC_PORT", "6002")
    monkeypatch.setenv("KTXH_REPORTING_DATA_DIR", str(tmp_path))
    s = settings_for("reporting")
    assert s.resolved_grpc_port() == 6001
    assert s.resolved_database_url() == f"sqlite+aiosqlite:///{tmp_path / 'reporting.db'}"


async def _health(port: int) -> str:
    async with grpc.aio.insecure_channel(f"127.0.0.1:{port}") as channel:
        r = await health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(service=""), timeout=2)
        return health_pb2.HealthCheckResponse.ServingStatus.Name(r.status)


async def test_not_serving_until_the_database_answers(tmp_path: Path):
    from ktxh_reporting.bootstrap import definition

    port = free_port()
    unreachable = f"postgresql+asyncpg://postgres@127.0.0.1:{free_port()}/nothing"
    runtime = ServiceRuntime(definition(), settings_for("reporting", database_url=unreachable, grpc_port=port,
                                                        data_dir=tmp_path, oidc_issuer=ISSUER))
    starting = asyncio.create_task(runtime.start())
    try:
        for _ in range(100):
            try:
                status = await _health(port)
                break
            except grpc.aio.AioRpcError:
                await asyncio.sleep(0.05)
        assert status == "NOT_SERVING"
        await asyncio.sleep(1.0)
        assert await _health(port) == "NOT_SERVING"
    finally:
        starting.cancel()
        await asyncio.gather(starting, return_exceptions=True)
        assert runtime.grpc is not None
        await runtime.grpc.stop(0)


async def test_serving_once_ready(tmp_path: Path):
    from ktxh_reporting.bootstrap import definition

    runtime = ServiceRuntime(definition(), settings_for("reporting", grpc_port=free_port(), data_dir=tmp_path,
                                                        oidc_issuer=ISSUER))
    await runtime.start()
    try:
        assert await _health(runtime.port) == "SERVING"
    finally:
        await runtime.stop()


async def test_a_service_without_a_token_issuer_does_not_start(monkeypatch, tmp_path: Path):
    from ktxh_reporting.bootstrap import definition

    monkeypatch.delenv("KTXH_OIDC_ISSUER", raising=False)
    monkeypatch.delenv("KTXH_REPORTING_OIDC_ISSUER", raising=False)
    runtime = ServiceRuntime(definition(), settings_for("reporting", grpc_port=free_port(), data_dir=tmp_path))
    with pytest.raises(ValueError, match="KTXH_REPORTING_OIDC_ISSUER"):
        await runtime.start()


def test_the_shared_issuer_variable_serves_every_service(monkeypatch):
    monkeypatch.setenv("KTXH_OIDC_ISSUER", ISSUER)
    assert settings_for("catalog").required_oidc_issuer() == ISSUER
    monkeypatch.setenv("KTXH_CATALOG_OIDC_ISSUER", "http://sso/realms/hp")
    assert settings_for("catalog").required_oidc_issuer() == "http://sso/realms/hp"
