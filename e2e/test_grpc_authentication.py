"""Token relay, tried as an outsider would, on EVERY service's gRPC port, in both modes.

No call without a valid access token of this deployment's issuer reads or changes anything:
no token, forged ``x-principal-*`` metadata, a garbage token, a token naming another issuer,
an expired token, a token signed with an unpublished key → UNAUTHENTICATED; a genuine token
of another province → PERMISSION_DENIED. Health and reflection stay open. Other systems call
gRPC directly with a client-credentials token. Every refusal is logged as a security event.
"""

from __future__ import annotations

import importlib
import json
import time

import grpc
import httpx
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc

from ktxh.catalog.v1 import catalog_pb2 as pb
from ktxh.catalog.v1 import catalog_pb2_grpc
from ktxh_platform.auth.demo_users import DEMO_USERS
from ktxh_platform.auth.dev_issuer import DevIssuer
from ktxh_platform.settings import SERVICES

pytestmark = pytest.mark.e2e

FORGED = [
    ("x-principal-sub", "attacker"),
    ("x-principal-username", "admin"),
    ("x-principal-roles", "province_admin,system_admin"),
    ("x-principal-org-unit", "31"),
    ("x-principal-province", "31"),
]


def _first_method(service: str) -> str:
    module = importlib.import_module(f"ktxh.{service}.v1.{service}_pb2")
    svc = next(iter(module.DESCRIPTOR.services_by_name.values()))
    return f"/{svc.full_name}/{svc.methods[0].name}"


async def _call(addr: str, method: str, metadata) -> grpc.StatusCode:
    async with grpc.aio.insecure_channel(addr) as channel:
        rpc = channel.unary_unary(method)  # raw bytes: an empty request of any message type
        try:
            await rpc(b"", metadata=metadata, timeout=10)
        except grpc.aio.AioRpcError as err:
            return err.code()
        return grpc.StatusCode.OK


def _bearer(token: str) -> list[tuple[str, str]]:
    return [("authorization", f"Bearer {token}")]


def _allinone_issuer(target, **options) -> DevIssuer:
    """The all-in-one's own signing key, to mint tokens a real issuer could have issued."""
    return DevIssuer("ktxh", DEMO_USERS, password="x",
                     key_path=target.data_dir / "dev-issuer-key.pem", base_url=target.base_url,
                     **options)


async def _client_credentials(target) -> str:
    async with httpx.AsyncClient() as client:
        r = await client.post(
            f"{target.issuer}/protocol/openid-connect/token",
            data={"grant_type": "client_credentials"},
            auth=("ktxh-integration", "ktxh-integration-secret"),
        )
    assert r.status_code == 200, r.text
    body = r.json()
    assert "refresh_token" not in body
    return body["access_token"]


async def test_every_service_refuses_calls_without_a_valid_token(target) -> None:
    addrs = target.extra["service_addrs"]
    assert sorted(addrs) == sorted(SERVICES)
    valid = await target.sign_in("admin")
    bad_tokens = {"garbage": "not.a.jwt", "empty-bearer": ""}
    user = next(u for u in DEMO_USERS if u.username == "admin")
    stranger = DevIssuer("ktxh", DEMO_USERS, password="x", base_url="http://127.0.0.1:1")
    bad_tokens["other-issuer"] = stranger.issue_tokens(
        user, issuer="http://127.0.0.1:1/realms/ktxh", client_id="ktxh-web")["access_token"]
    bad_tokens["unpublished-key"] = stranger.issue_tokens(
        user, issuer=target.issuer, client_id="ktxh-web")["access_token"]
    if target.name == "allinone":  # the right key, but another issuer name or expired
        dev = _allinone_issuer(target)
        bad_tokens["other-realm-same-key"] = dev.issue_tokens(
            user, issuer=f"{target.base_url}/realms/tinh-khac", client_id="ktxh-web")["access_token"]
        bad_tokens["expired"] = _allinone_issuer(target, access_token_ttl=-600).issue_tokens(
            user, issuer=target.issuer, client_id="ktxh-web")["access_token"]
    for service, addr in addrs.items():
        method = _first_method(service)
        assert await _call(addr, method, None) == grpc.StatusCode.UNAUTHENTICATED, service
        assert await _call(addr, method, FORGED) == grpc.StatusCode.UNAUTHENTICATED, service
        for name, token in bad_tokens.items():
            code = await _call(addr, method, _bearer(token))
            assert code == grpc.StatusCode.UNAUTHENTICATED, (service, name)
        # the valid token passes authentication (a skeleton then answers UNIMPLEMENTED)
        code = await _call(addr, method, _bearer(valid))
        assert code not in (grpc.StatusCode.UNAUTHENTICATED, grpc.StatusCode.PERMISSION_DENIED), (
            service, code)
        # health and reflection stay open
        async with grpc.aio.insecure_channel(addr) as channel:
            health = await health_pb2_grpc.HealthStub(channel).Check(
                health_pb2.HealthCheckRequest(service=""), timeout=5)
            assert health.status == health_pb2.HealthCheckResponse.SERVING
            stream = reflection_pb2_grpc.ServerReflectionStub(channel).ServerReflectionInfo(
                iter([reflection_pb2.ServerReflectionRequest(list_services="")]), timeout=5)
            names = [s.name async for r in stream for s in r.list_services_response.service]
            assert "grpc.health.v1.Health" in names


async def test_other_province_token_is_denied_on_every_port(allinone_target) -> None:
    target = allinone_target
    dev = _allinone_issuer(target)
    user = next(u for u in DEMO_USERS if u.username == "admin")
    from dataclasses import replace

    foreign = replace(user, province="01", org_unit="01")
    token = dev.issue_tokens(foreign, issuer=target.issuer, client_id="ktxh-web")["access_token"]
    for service, addr in target.extra["service_addrs"].items():
        code = await _call(addr, _first_method(service), _bearer(token))
        assert code == grpc.StatusCode.PERMISSION_DENIED, service


async def test_forged_metadata_creates_nothing_and_is_logged(target) -> None:
    """The attack of issue 9: a CreateOrgUnit claiming province_admin with no token."""
    addr = target.extra["service_addrs"]["catalog"]
    code = f"FORGED{int(time.time())}"
    async with grpc.aio.insecure_channel(addr) as channel:
        stub = catalog_pb2_grpc.CatalogServiceStub(channel)
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await stub.CreateOrgUnit(
                pb.CreateOrgUnitRequest(code=code, name="Đơn vị giả", kind=pb.ORG_UNIT_KIND_AGENCY),
                metadata=[*FORGED, ("traceparent", "00-" + "ab" * 16 + "-" + "cd" * 8 + "-01")],
                timeout=10,
            )
        assert err.value.code() == grpc.StatusCode.UNAUTHENTICATED
        admin = _bearer(await target.sign_in("admin"))
        listed = await stub.ListOrgUnits(pb.ListOrgUnitsRequest(query=code), metadata=admin, timeout=10)
        assert listed.total_size == 0
    if target.name == "allinone":
        text = target.extra["log"].read_text()
    else:
        text = (target.extra["log_dir"] / "catalog.log").read_text()
    events = [json.loads(line) for line in text.splitlines()
              if line.startswith("{") and '"security_event"' in line]
    mine = [e for e in events if e.get("trace_id") == "ab" * 16]
    assert mine, text[-2000:]
    assert mine[0]["method"] == "/ktxh.catalog.v1.CatalogService/CreateOrgUnit"
    assert mine[0]["reason"] == "missing" and mine[0]["status"] == "UNAUTHENTICATED"
    assert mine[0]["peer"].startswith(("ipv4:127.0.0.1", "ipv6:"))


async def test_integration_system_calls_grpc_with_client_credentials(target) -> None:
    if target.name == "allinone":
        token = await _client_credentials(target)
    else:
        oidc = target.extra["oidc"]
        async with httpx.AsyncClient() as client:
            r = await client.post(
                f"{oidc.issuer}/protocol/openid-connect/token",
                data={"grant_type": "client_credentials"},
                auth=(oidc.integration_client_id, oidc.integration_client_secret),
            )
        assert r.status_code == 200, r.text
        token = r.json()["access_token"]
    addr = target.extra["service_addrs"]["catalog"]
    async with grpc.aio.insecure_channel(addr) as channel:
        stub = catalog_pb2_grpc.CatalogServiceStub(channel)
        listed = await stub.ListOrgUnits(pb.ListOrgUnitsRequest(kind=pb.ORG_UNIT_KIND_PROVINCE),
                                         metadata=_bearer(token), timeout=10)
        assert [u.code for u in listed.units] == ["31"]
        with pytest.raises(grpc.aio.AioRpcError) as err:  # the integration role cannot write units
            await stub.CreateOrgUnit(
                pb.CreateOrgUnitRequest(code="TH1", name="Tích hợp", kind=pb.ORG_UNIT_KIND_AGENCY),
                metadata=_bearer(token), timeout=10)
        assert err.value.code() == grpc.StatusCode.PERMISSION_DENIED
