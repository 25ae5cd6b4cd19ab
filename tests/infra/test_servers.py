"""Each real server starts and does one real operation (fixtures from ktxh_testing.pytest_plugin)."""

from __future__ import annotations

import asyncio
import base64
import io
import json
import re
import uuid
from pathlib import Path

import httpx
import pytest
from ktxh_platform.auth.principal import ALL_ROLES
from ktxh_testing import servers
from ktxh_testing.oidc_login import (
    OIDCLoginError,
    client_credentials,
    jwt_claims,
    login,
    refresh,
    verify_access_token,
)

ROOT = Path(__file__).resolve().parents[2]
REDIRECT = "http://127.0.0.1:8000/callback"


# -- PostgreSQL ------------------------------------------------------------------------------------


async def test_postgres_query(pg_server: servers.PostgresServer) -> None:
    import asyncpg
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    assert pg_server.url_asyncpg.startswith("postgresql+asyncpg://postgres")
    assert pg_server.url_asyncpg.endswith(f":{pg_server.port}/ktxh")
    conn = await asyncpg.connect(pg_server.dsn)
    try:
        version = await conn.fetchval("SHOW server_version")
        assert version.startswith("15") or pg_server.backend == "docker"
        assert await conn.fetchval("SELECT current_database()") == "ktxh"
    finally:
        await conn.close()

    pg_server.create_schemas("catalog")
    engine = create_async_engine(pg_server.url_asyncpg)
    try:
        async with engine.begin() as c:
            await c.execute(text("CREATE TABLE catalog.unit (code text PRIMARY KEY, name text)"))
            await c.execute(text("INSERT INTO catalog.unit VALUES ('10846', 'Xã Hà Tây')"))
        async with engine.connect() as c:
            name = (
                await c.execute(text("SELECT name FROM catalog.unit WHERE code='10846'"))
            ).scalar()
        assert name == "Xã Hà Tây"
    finally:
        await engine.dispose()


async def test_pg_database_is_fresh(pg_database: str) -> None:
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    engine = create_async_engine(pg_database)
    try:
        async with engine.connect() as c:
            n = (
                await c.execute(
                    text(
                        "SELECT count(*) FROM information_schema.tables WHERE table_schema NOT IN "
                        "('pg_catalog', 'information_schema')"
                    )
                )
            ).scalar()
        assert n == 0
    finally:
        await engine.dispose()


# -- Kafka protocol (Tansu) ------------------------------------------------------------------------


async def test_kafka_produce_consume_with_group_and_committed_offset(
    kafka_server: servers.KafkaServer,
) -> None:
    from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
    from aiokafka.admin import AIOKafkaAdminClient, NewTopic

    bootstrap = kafka_server.bootstrap_servers
    topic = f"test.ktxh.catalog.org_unit.v1.{uuid.uuid4().hex[:8]}"
    group = f"g-{uuid.uuid4().hex[:8]}"

    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(topic, num_partitions=1, replication_factor=1)])
    finally:
        await admin.close()

    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        await producer.send_and_wait(
            topic, b"first", key=b"unit-1", headers=[("traceparent", b"00-abc-def-01")]
        )
    finally:
        await producer.stop()

    async def consume_one() -> tuple[bytes, bytes, int, dict]:
        consumer = AIOKafkaConsumer(
            topic,
            bootstrap_servers=bootstrap,
            group_id=group,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            # Tansu completes a rebalance only after the session/rebalance timeout of the member
            # that left: short timeouts keep the second join at ~4 s instead of ~18 s
            session_timeout_ms=2000,
            heartbeat_interval_ms=300,
            rebalance_timeout_ms=2000,
        )
        await consumer.start()
        try:
            msg = await asyncio.wait_for(consumer.getone(), timeout=30)
            await consumer.commit()
            committed = await consumer.committed(TopicPartition(topic, msg.partition))
            return msg.key, msg.value, committed, dict(msg.headers)
        finally:
            await consumer.stop()

    key, value, committed, headers = await consume_one()
    assert (key, value, committed) == (b"unit-1", b"first", 1)
    assert headers["traceparent"] == b"00-abc-def-01"

    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        await producer.send_and_wait(topic, b"second", key=b"unit-1")
    finally:
        await producer.stop()
    # same group again: starts from the committed offset, so it sees only the second record
    key, value, committed, _ = await consume_one()
    assert (key, value, committed) == (b"unit-1", b"second", 2)


# -- S3 --------------------------------------------------------------------------------------------


def test_s3_put_get_with_minio_client(s3_server: servers.S3Server) -> None:
    client = s3_server.client()
    bucket = "ktxh-documents"
    if not client.bucket_exists(bucket):
        client.make_bucket(bucket)
    data = "Báo cáo kinh tế - xã hội quý I".encode()
    client.put_object(
        bucket,
        "31/10846/bao-cao.txt",
        io.BytesIO(data),
        len(data),
        content_type="text/plain; charset=utf-8",
    )
    response = client.get_object(bucket, "31/10846/bao-cao.txt")
    try:
        assert response.read() == data
    finally:
        response.close()
        response.release_conn()
    stat = client.stat_object(bucket, "31/10846/bao-cao.txt")
    assert stat.size == len(data)
    assert [o.object_name for o in client.list_objects(bucket, prefix="31/", recursive=True)] == [
        "31/10846/bao-cao.txt"
    ]


# -- OIDC ------------------------------------------------------------------------------------------


async def test_oidc_login_returns_keycloak_shaped_jwt(oidc_server: servers.OIDCServer) -> None:
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/realms/ktxh", oidc_server.issuer) or (
        oidc_server.backend == "docker"
    )
    tokens = await login(oidc_server.issuer, "ktxh-web", "nhap_lieu", "demo", REDIRECT)
    assert tokens["token_type"].lower() == "bearer"
    assert {"access_token", "id_token", "refresh_token", "expires_in"} <= tokens.keys()

    header = json.loads(base64.urlsafe_b64decode(tokens["access_token"].split(".")[0] + "=="))
    assert header["alg"] == "RS256" and header["kid"]
    claims = verify_access_token(oidc_server.issuer, tokens["access_token"], audience="ktxh-api")
    assert claims["iss"] == oidc_server.issuer
    assert claims["preferred_username"] == "nhap_lieu"
    assert claims["realm_access"]["roles"] == ["data_entry"]
    assert claims["org_unit"] == "10846.PKT"
    assert claims["province"] == "31"
    assert claims["azp"] == "ktxh-web"
    assert claims["sub"] and claims["exp"] > claims["iat"]
    assert claims["name"] == "Lê Văn Nam"

    id_claims = jwt_claims(tokens["id_token"])
    assert id_claims["aud"] == "ktxh-web" and id_claims["sub"] == claims["sub"]

    async with httpx.AsyncClient() as http:
        r = await http.get(
            f"{oidc_server.issuer}/protocol/openid-connect/userinfo",
            headers={"Authorization": f"Bearer {tokens['access_token']}"},
        )
    assert r.status_code == 200
    assert r.json()["org_unit"] == "10846.PKT"

    again = await refresh(oidc_server.issuer, "ktxh-web", tokens["refresh_token"])
    assert jwt_claims(again["access_token"])["realm_access"]["roles"] == ["data_entry"]


@pytest.mark.parametrize(
    ("username", "roles", "org_unit"),
    [
        ("admin", {"province_admin", "system_admin"}, "31"),
        ("ke_hoach", {"planning_officer"}, "31.STC"),
        ("tong_hop", {"consolidator"}, "10846.VP"),
        ("chu_tich", {"unit_leader"}, "10846"),
        ("mttq", {"front_member"}, "31.MTTQ"),
        ("lanh_dao", {"leadership"}, "31"),
        ("tich_hop", {"integration"}, "31"),
    ],
)
async def test_oidc_demo_users(oidc_server, oidc_token, username, roles, org_unit) -> None:
    claims = jwt_claims(await oidc_token(username))
    assert set(claims["realm_access"]["roles"]) == roles
    assert claims["org_unit"] == org_unit


async def test_oidc_wrong_password_is_refused(oidc_server: servers.OIDCServer) -> None:
    with pytest.raises(OIDCLoginError, match="refused"):
        await login(oidc_server.issuer, "ktxh-web", "nhap_lieu", "sai-mat-khau", REDIRECT)


async def test_oidc_unknown_redirect_is_refused(oidc_server: servers.OIDCServer) -> None:
    with pytest.raises(OIDCLoginError):
        await login(oidc_server.issuer, "ktxh-web", "nhap_lieu", "demo", "http://evil.example/cb")


async def test_oidc_client_credentials(oidc_server: servers.OIDCServer) -> None:
    tokens = await client_credentials(
        oidc_server.issuer, "ktxh-integration", oidc_server.integration_client_secret
    )
    claims = verify_access_token(oidc_server.issuer, tokens["access_token"], audience="ktxh-api")
    assert claims["realm_access"]["roles"] == ["integration"]
    assert claims["azp"] == "ktxh-integration"
    assert claims["preferred_username"] == "service-account-ktxh-integration"
    with pytest.raises(OIDCLoginError):
        await client_credentials(oidc_server.issuer, "ktxh-integration", "wrong")


async def test_oidc_token_endpoint_cors_for_loopback_origins(
    oidc_server: servers.OIDCServer,
) -> None:
    async with httpx.AsyncClient() as http:
        for origin in ("http://127.0.0.1:5173", "http://localhost:8000"):
            r = await http.options(
                oidc_server.token_endpoint,
                headers={"Origin": origin, "Access-Control-Request-Method": "POST"},
            )
            assert r.headers.get("access-control-allow-origin") == origin
        # the preflight is permissive; the request itself is refused for a foreign origin
        r = await http.post(
            oidc_server.token_endpoint,
            headers={"Origin": "http://evil.example"},
            data={"grant_type": "authorization_code", "code": "x", "client_id": "ktxh-web"},
        )
        assert r.status_code == 400
        assert r.headers.get("access-control-allow-origin") in (None, "")


def test_python_keycloak_works_against_the_provider(oidc_server: servers.OIDCServer) -> None:
    from keycloak import KeycloakOpenID

    kc = KeycloakOpenID(
        server_url=oidc_server.base_url,
        realm_name=oidc_server.realm,
        client_id="ktxh-integration",
        client_secret_key=oidc_server.integration_client_secret,
    )
    assert kc.well_known()["issuer"] == oidc_server.issuer
    token = kc.token(grant_type="client_credentials")
    assert kc.certs()["keys"][0]["kty"] == "RSA"
    claims = kc.decode_token(token["access_token"], validate=True)
    assert claims["realm_access"]["roles"] == ["integration"]


# -- realm file ------------------------------------------------------------------------------------

ROLES = set(ALL_ROLES)


def test_realm_file_has_conventions_roles_clients_and_users() -> None:
    realm = json.loads((ROOT / "infra/keycloak/realm-ktxh.json").read_text(encoding="utf-8"))
    assert realm["realm"] == "ktxh"
    assert {r["name"] for r in realm["roles"]["realm"]} == ROLES
    assert all(r["description"] for r in realm["roles"]["realm"])
    clients = {c["clientId"]: c for c in realm["clients"]}
    web = clients["ktxh-web"]
    assert web["publicClient"] and web["standardFlowEnabled"]
    assert web["attributes"]["pkce.code.challenge.method"] == "S256"
    assert {"http://127.0.0.1:*/*", "http://localhost:*/*"} <= set(web["redirectUris"])
    assert web["webOrigins"] == ["+"]
    mappers = {m["protocolMapper"]: m for m in web["protocolMappers"]}
    assert mappers["oidc-audience-mapper"]["config"]["included.custom.audience"] == "ktxh-api"
    claims = {
        m["config"]["claim.name"]
        for m in web["protocolMappers"]
        if m["protocolMapper"] == "oidc-usermodel-attribute-mapper"
    }
    assert claims == {"org_unit", "province"}
    integ = clients["ktxh-integration"]
    assert integ["serviceAccountsEnabled"] and not integ["publicClient"] and integ["secret"]
    users = {u["username"]: u for u in realm["users"]}
    assert set(users) >= {
        "admin",
        "ke_hoach",
        "nhap_lieu",
        "tong_hop",
        "chu_tich",
        "mttq",
        "lanh_dao",
        "tich_hop",
        "service-account-ktxh-integration",
    }
    assert users["service-account-ktxh-integration"]["realmRoles"] == ["integration"]
    for name, u in users.items():
        assert set(u["realmRoles"]) <= ROLES, name
        assert u["attributes"]["province"] == ["31"], name
        if not u.get("serviceAccountClientId"):
            assert u["credentials"] == [{"type": "password", "value": "demo", "temporary": False}]


def test_free_port_fixture(free_port) -> None:
    port = free_port()
    assert 1024 < port < 65536
    assert not servers.port_open("127.0.0.1", port)
