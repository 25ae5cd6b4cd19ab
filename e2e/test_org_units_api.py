"""The org-unit API through the gateway, as a client would use it, in both modes."""

from __future__ import annotations

import asyncio
import time
import uuid

import grpc
import httpx
from jwcrypto import jwk, jwt

from ktxh.reporting.v1 import reporting_pb2, reporting_pb2_grpc

Target = "conftest.Target"  # fixtures: see e2e/conftest.py

PROBLEM = "application/problem+json"


def _client(target: Target, token: str | None = None) -> httpx.AsyncClient:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.AsyncClient(base_url=target.base_url, headers=headers, timeout=20)


async def _unit_by_code(client: httpx.AsyncClient, code: str) -> dict:
    r = await client.get("/api/v1/org-units", params={"q": code, "page_size": 500})
    assert r.status_code == 200, r.text
    return next(u for u in r.json()["items"] if u["code"] == code)


async def _count(client: httpx.AsyncClient) -> int:
    r = await client.get("/api/v1/org-units", params={"page_size": 1})
    return r.json()["total"]


def _foreign_token(issuer: str = "https://sso.example.org/realms/ktxh", *, exp_delta: int = 300,
                   key: jwk.JWK | None = None, kid: str | None = None) -> str:
    key = key or jwk.JWK.generate(kty="RSA", size=2048)
    now = int(time.time())
    token = jwt.JWT(
        header={"alg": "RS256", "kid": kid or key.thumbprint()},
        claims={"iss": issuer, "aud": ["ktxh-api"], "sub": "x", "exp": now + exp_delta, "iat": now - 600,
                "typ": "Bearer", "preferred_username": "admin",
                "realm_access": {"roles": ["province_admin"]}, "province": "31", "org_unit": "31"},
    )
    token.make_signed_token(key)
    return token.serialize()


async def test_requests_without_a_valid_token_get_401_problems(target: Target):
    async with _client(target) as anon:
        r = await anon.get("/api/v1/org-units")
        assert r.status_code == 401 and r.headers["content-type"].startswith(PROBLEM)
        assert r.json()["status"] == 401 and r.json()["title"]
        assert "Bearer" in r.headers["www-authenticate"]
    for bad in ("not-a-jwt", _foreign_token()):
        async with _client(target, bad) as client:
            r = await client.get("/api/v1/org-units/tree")
            assert r.status_code == 401, r.text
            assert r.headers["content-type"].startswith(PROBLEM)


async def test_token_without_the_role_gets_403_and_nothing_changes(target: Target):
    token = await target.sign_in("nhap_lieu")
    async with _client(target, token) as clerk:
        before = await _count(clerk)
        root = (await clerk.get("/api/v1/org-units", params={"kind": "province"})).json()["items"][0]
        r = await clerk.post("/api/v1/org-units", json={"code": "X1", "name": "Không được", "kind": "agency",
                                                        "parent_id": root["id"]})
        assert r.status_code == 403 and r.headers["content-type"].startswith(PROBLEM)
        assert await _count(clerk) == before


async def test_bad_input_gets_422_naming_the_field_and_stores_nothing(target: Target):
    token = await target.sign_in("admin")
    async with _client(target, token) as admin:
        before = await _count(admin)
        root = (await admin.get("/api/v1/org-units", params={"kind": "province"})).json()["items"][0]
        cases = [
            ({"code": "", "name": "Sở A", "kind": "agency", "parent_id": root["id"]}, "code"),
            ({"code": "A1", "name": "Sở A", "kind": "planet", "parent_id": root["id"]}, "kind"),
            ({"code": "mã có dấu cách", "name": "Sở A", "kind": "agency", "parent_id": root["id"]}, "code"),
            ({"code": "A2", "name": "Xã B", "kind": "commune"}, "parent_id"),
            ({"code": "A3", "name": "Phòng", "kind": "office", "parent_id": "khong-co"}, "parent_id"),
            ({"code": "A4", "name": "Sở", "kind": "agency", "parent_id": root["id"], "valid_from": "2026-02-31"},
             "valid_from"),
        ]
        for body, field_name in cases:
            r = await admin.post("/api/v1/org-units", json=body)
            assert r.status_code == 422, (body, r.text)
            assert r.headers["content-type"].startswith(PROBLEM)
            assert field_name in [e["field"] for e in r.json()["errors"]], (body, r.json())
        r = await admin.get("/api/v1/org-units", params={"page_size": 1000})
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "page_size"
        assert await _count(admin) == before


async def test_create_rename_move_with_etags_and_idempotency(target: Target):
    token = await target.sign_in("admin")
    code = f"31.T{uuid.uuid4().hex[:6].upper()}"
    async with _client(target, token) as admin:
        root = (await admin.get("/api/v1/org-units", params={"kind": "province"})).json()["items"][0]
        key = {"Idempotency-Key": str(uuid.uuid4())}
        body = {"code": code, "name": "Sở Thử nghiệm", "kind": "agency", "parent_id": root["id"]}
        r = await admin.post("/api/v1/org-units", json=body, headers=key)
        assert r.status_code == 201, r.text
        unit = r.json()
        assert r.headers["etag"] == '"1"' and r.headers["location"].endswith(unit["id"])
        again = await admin.post("/api/v1/org-units", json=body, headers=key)
        assert again.status_code == 201 and again.json()["id"] == unit["id"]
        dup = await admin.post("/api/v1/org-units", json=body)
        assert dup.status_code == 409 and dup.json()["errors"][0]["field"] == "code"

        path = f"/api/v1/org-units/{unit['id']}"
        assert (await admin.patch(path, json={"name": "Sở Mới"})).status_code == 428
        r = await admin.patch(path, json={"name": "Sở Thử nghiệm (đổi tên)"}, headers={"If-Match": '"1"'})
        assert r.status_code == 200 and r.json()["version"] == 2 and r.headers["etag"] == '"2"'
        stale = await admin.patch(path, json={"name": "Ghi đè"}, headers={"If-Match": '"1"'})
        assert stale.status_code == 412 and stale.headers["content-type"].startswith(PROBLEM)
        got = await admin.get(path)
        assert got.json()["name"] == "Sở Thử nghiệm (đổi tên)" and got.headers["etag"] == '"2"'

        ha_tay = await _unit_by_code(admin, "10846")
        office = await _unit_by_code(admin, "10846.PKT")
        cycle = await admin.post(f"/api/v1/org-units/{ha_tay['id']}/move", json={"new_parent_id": office["id"]},
                                 headers={"If-Match": f'"{ha_tay["version"]}"'})
        assert cycle.status_code in (409, 422) and cycle.json()["errors"][0]["field"] == "new_parent_id"
        assert (await admin.get(f"/api/v1/org-units/{ha_tay['id']}")).json()["parent_id"] == ha_tay["parent_id"]


async def test_tree_has_the_demo_province(target: Target):
    token = await target.sign_in("lanh_dao")
    async with _client(target, token) as client:
        tree = (await client.get("/api/v1/org-units/tree")).json()
        assert [n["unit"]["name"] for n in tree["roots"]] == ["Thành phố Hải Phòng"]
        children = tree["roots"][0]["children"]
        kinds = {n["unit"]["kind"] for n in children}
        assert {"commune", "agency", "front"} <= kinds
        assert sum(1 for n in children if n["unit"]["kind"] == "commune") == 114
        found = await client.get("/api/v1/org-units", params={"q": "ha tay"})
        assert "Xã Hà Tây" in [u["name"] for u in found.json()["items"]]


async def test_a_change_reaches_the_reporting_read_model_through_the_bus(target: Target):
    """browser → gateway → gRPC → catalog → database → outbox → bus → reporting consumer."""

    token = await target.sign_in("admin")
    relayed = [("authorization", f"Bearer {await target.sign_in('lanh_dao')}")]  # token relay

    async def stats() -> reporting_pb2.OrgUnitStats:
        async with grpc.aio.insecure_channel(target.reporting_addr) as channel:
            return await reporting_pb2_grpc.ReportingServiceStub(channel).GetOrgUnitStats(
                reporting_pb2.GetOrgUnitStatsRequest(), metadata=relayed, timeout=5
            )

    async with _client(target, token) as admin:
        deadline = time.monotonic() + 60
        total = await _count(admin)
        while (await stats()).unit_count < total:  # the demo load is consumed first
            assert time.monotonic() < deadline, "read model never caught up with the catalog"
            await asyncio.sleep(0.2)
        before = await stats()
        root = (await admin.get("/api/v1/org-units", params={"kind": "province"})).json()["items"][0]
        r = await admin.post("/api/v1/org-units", json={
            "code": f"31.R{uuid.uuid4().hex[:6].upper()}", "name": "Sở Đọc mô hình", "kind": "agency",
            "parent_id": root["id"]})
        assert r.status_code == 201
        while (await stats()).unit_count != before.unit_count + 1:
            assert time.monotonic() < deadline, "event did not reach reporting"
            await asyncio.sleep(0.1)
        after = await stats()
        assert after.count_by_kind["agency"] == before.count_by_kind["agency"] + 1
        assert after.events_applied == before.events_applied + 1


async def test_openapi_and_health(target: Target):
    async with _client(target) as client:
        spec = (await client.get("/api/v1/openapi.json")).json()
        assert "/api/v1/org-units" in spec["paths"]
        assert "application/problem+json" in str(spec["paths"]["/api/v1/org-units"]["post"]["responses"]["422"])
        assert (await client.get("/healthz")).json() == {"status": "ok"}
        ready = (await client.get("/readyz")).json()
        assert ready["status"] == "ready" and set(ready["services"]) == {
            "catalog", "assignment", "submission", "evaluation", "oversight", "document", "reporting",
            "notification"}
        assert "ktxh_grpc" in (await client.get("/metrics")).text or target.name == "distributed"


async def test_expired_token_is_rejected(allinone_target: Target):
    """Signed with the built-in issuer's own key and kid, but expired: only `exp` is wrong."""

    key = jwk.JWK.from_pem((allinone_target.data_dir / "dev-issuer-key.pem").read_bytes())
    expired = _foreign_token(allinone_target.issuer, exp_delta=-3600, key=key)
    fresh = _foreign_token(allinone_target.issuer, exp_delta=300, key=key)
    async with _client(allinone_target, fresh) as ok:
        assert (await ok.get("/api/v1/org-units", params={"page_size": 1})).status_code == 200
    async with _client(allinone_target, expired) as client:
        r = await client.get("/api/v1/org-units")
        assert r.status_code == 401 and "hết hạn" in r.json()["detail"]


async def test_merge_agencies_keeps_history(target: Target):
    """2025: Sở Kế hoạch và Đầu tư merged into Sở Tài chính. The old unit stays readable as of
    2024 and points to its successor."""

    token = await target.sign_in("admin")
    tag = uuid.uuid4().hex[:5].upper()
    async with _client(target, token) as admin:
        root = (await admin.get("/api/v1/org-units", params={"kind": "province"})).json()["items"][0]
        units = []
        for code, name in ((f"31.KHDT{tag}", "Sở Kế hoạch và Đầu tư"), (f"31.TC{tag}", "Sở Tài chính (thử)")):
            r = await admin.post("/api/v1/org-units", json={
                "code": code, "name": name, "kind": "agency", "parent_id": root["id"], "valid_from": "2010-01-01"})
            assert r.status_code == 201, r.text
            units.append(r.json())
        old, new = units
        bad = await admin.post("/api/v1/org-units/merge", json={
            "source_ids": [old["id"]], "successor_id": "khong-co", "effective_from": "2025-03-01"})
        assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "successor_id"
        r = await admin.post("/api/v1/org-units/merge", json={
            "source_ids": [old["id"]], "successor_id": new["id"], "effective_from": "2025-03-01",
            "legal_basis": "Nghị quyết 176/2025/QH15"})
        assert r.status_code == 200, r.text
        merged = r.json()["sources"][0]
        assert merged["valid_to"] == "2025-02-28" and merged["successor_ids"] == [new["id"]]
        in_2024 = await admin.get("/api/v1/org-units", params={"q": old["code"], "as_of": "2024-06-30"})
        assert [u["code"] for u in in_2024.json()["items"]] == [old["code"]]
        now = await admin.get("/api/v1/org-units", params={"q": old["code"], "as_of": "2026-01-01"})
        assert now.json()["items"] == []
        gone = await admin.get(f"/api/v1/org-units/{old['id']}", params={"as_of": "2026-01-01"})
        assert gone.status_code == 404
