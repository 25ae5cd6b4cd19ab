"""TokenValidator against the dev issuer over real HTTP (JWKS fetched by python-keycloak)."""

from __future__ import annotations

import asyncio
import base64
import json
import secrets
import socket
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from jwcrypto import jwk, jwt
from ktxh_platform.auth.demo_users import demo_subject
from ktxh_platform.auth.validator import (
    AuthenticationError,
    IdentityProviderUnavailable,
    TokenValidator,
    bearer_token,
    split_issuer,
)

CLIENT = "ktxh-web"


def claims_of(token: str) -> dict[str, Any]:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def sign(claims: dict[str, Any], key: jwk.JWK, *, alg: str = "RS256", **header: Any) -> str:
    token = jwt.JWT(header={"alg": alg, "typ": "JWT", **header}, claims=claims)
    token.make_signed_token(key)
    return token.serialize()


async def password_grant(
    base: str, username: str = "admin", *, host: str | None = None
) -> dict[str, Any]:
    headers = {"Host": host} if host else {}
    async with httpx.AsyncClient(timeout=10) as client:
        answer = await client.post(
            f"{base}/realms/ktxh/protocol/openid-connect/token",
            headers=headers,
            data={
                "grant_type": "password",
                "client_id": CLIENT,
                "username": username,
                "password": "demo",
            },
        )
    answer.raise_for_status()
    return answer.json()


@pytest.fixture
async def validator(issuer_server) -> AsyncIterator[TokenValidator]:
    v = TokenValidator(issuer_server.issuer_url, "ktxh-api", client_id=CLIENT)
    yield v
    await v.aclose()


@pytest.fixture
async def good_claims(issuer_server) -> dict[str, Any]:
    return claims_of((await password_grant(issuer_server.base_url))["access_token"])


async def reason(validator: TokenValidator, token: str | None) -> str:
    with pytest.raises(AuthenticationError) as e:
        await validator.validate(token)
    return e.value.reason


def b64(data: dict[str, Any] | bytes) -> str:
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


async def test_password_grant_token_maps_to_principal(validator: TokenValidator, issuer_server):
    tokens = await password_grant(issuer_server.base_url, "tong_hop")
    p = await validator.validate(tokens["access_token"])
    assert p.subject == demo_subject("tong_hop")
    assert p.username == "tong_hop"
    assert p.display_name == "Chuyên viên tổng hợp Văn phòng HĐND và UBND xã Hà Tây"
    assert p.roles == {"consolidator"}
    assert (p.org_unit, p.province) == ("10846.VP", "31")


async def test_missing_and_malformed(validator: TokenValidator):
    assert await reason(validator, None) == "missing"
    assert await reason(validator, "") == "missing"
    for garbage in ("abc", "a.b", "a.b.c.d.e", "!!!.e30.sig", f"{b64(b'[1]')}.e30.x"):
        assert await reason(validator, garbage) == "malformed", garbage


async def test_expiry_and_not_before_with_leeway(
    validator: TokenValidator, issuer_server, good_claims: dict[str, Any]
):
    key, kid, now = issuer_server.signing_key(), issuer_server.issuer.kid, int(time.time())
    expired = sign({**good_claims, "exp": now - 31}, key, kid=kid)
    assert await reason(validator, expired) == "expired"
    within_leeway = sign({**good_claims, "exp": now - 20}, key, kid=kid)
    assert (await validator.validate(within_leeway)).username == "admin"
    future = sign({**good_claims, "nbf": now + 120}, key, kid=kid)
    assert await reason(validator, future) == "not_yet_valid"
    no_exp = sign({k: v for k, v in good_claims.items() if k != "exp"}, key, kid=kid)
    assert await reason(validator, no_exp) == "malformed"


async def test_wrong_issuer(validator: TokenValidator, issuer_server):
    # same key, but issued for another host name: Keycloak derives `iss` the same way
    tokens = await password_grant(issuer_server.base_url, host=f"localhost:{issuer_server.port}")
    assert claims_of(tokens["access_token"])["iss"].startswith("http://localhost:")
    assert await reason(validator, tokens["access_token"]) == "wrong_issuer"


async def test_wrong_audience_even_when_azp_is_the_client(
    validator: TokenValidator, issuer_server, good_claims: dict[str, Any]
):
    key, kid = issuer_server.signing_key(), issuer_server.issuer.kid
    assert good_claims["azp"] == CLIENT
    for aud in (["account"], CLIENT, [], None):
        token = sign({**good_claims, "aud": aud}, key, kid=kid)
        assert await reason(validator, token) == "wrong_audience", aud
    single = sign({**good_claims, "aud": "ktxh-api"}, key, kid=kid)
    assert (await validator.validate(single)).username == "admin"
    tokens = await password_grant(issuer_server.base_url)
    for not_access in (tokens["id_token"], tokens["refresh_token"]):
        assert await reason(validator, not_access) == "wrong_audience"
    refresh_typed = sign({**good_claims, "typ": "Refresh"}, key, kid=kid)
    assert await reason(validator, refresh_typed) == "malformed"


async def test_tampered_signature(validator: TokenValidator, issuer_server):
    token = (await password_grant(issuer_server.base_url, "nhap_lieu"))["access_token"]
    header, payload, signature = token.split(".")
    claims = claims_of(token)
    claims["realm_access"]["roles"] = ["province_admin"]
    assert await reason(validator, f"{header}.{b64(claims)}.{signature}") == "bad_signature"
    flipped = signature[:-4] + ("AAAA" if signature[-4:] != "AAAA" else "BBBB")
    assert await reason(validator, f"{header}.{payload}.{flipped}") == "bad_signature"
    other_key = jwk.JWK.generate(kty="RSA", size=2048)
    forged = sign(claims, other_key, kid=issuer_server.issuer.kid)
    assert await reason(validator, forged) == "bad_signature"


async def test_alg_none_and_hs256_with_the_public_key_are_rejected(
    validator: TokenValidator, issuer_server, good_claims: dict[str, Any]
):
    kid = issuer_server.issuer.kid
    none_token = f"{b64({'alg': 'none', 'typ': 'JWT', 'kid': kid})}.{b64(good_claims)}."
    assert await reason(validator, none_token) == "bad_signature"
    for alg in ("None", "NONE", "HS256", "RS384", "PS256"):
        header = b64({"alg": alg, "kid": kid})
        assert await reason(validator, f"{header}.{b64(good_claims)}.c2ln") == "bad_signature"
    public_pem = issuer_server.signing_key().export_to_pem()
    hmac_key = jwk.JWK(kty="oct", k=b64(public_pem))
    confused = sign(good_claims, hmac_key, alg="HS256", kid=kid)
    assert await reason(validator, confused) == "bad_signature"
    # ES256 is allowed, but only with an EC key: the RSA key named by kid does not fit
    ec = jwk.JWK.generate(kty="EC", crv="P-256")
    assert await reason(validator, sign(good_claims, ec, alg="ES256", kid=kid)) == "bad_signature"


async def test_unknown_kid(validator: TokenValidator, issuer_server, good_claims: dict[str, Any]):
    token = sign(good_claims, issuer_server.signing_key(), kid="not-a-key")
    assert await reason(validator, token) == "unknown_key"
    assert await reason(validator, sign(good_claims, issuer_server.signing_key())) == "unknown_key"


async def test_key_rotation_and_refetch_rate_limit(own_issuer_server, tmp_path):
    server = own_issuer_server
    offset = 0.0
    validator = TokenValidator(
        server.issuer_url,
        "ktxh-api",
        client_id=CLIENT,
        jwks_ttl_seconds=300,
        min_refresh_interval=10,
        clock=lambda: time.time() + offset,
    )
    try:
        old = (await password_grant(server.base_url))["access_token"]
        assert (await validator.validate(old)).username == "admin"
        assert (await validator.validate(old)).username == "admin"
        assert server.certs_hits == 1  # cached

        old_tokens = await password_grant(server.base_url, "ke_hoach")
        server.restart(tmp_path / "key-b.pem")  # a new signing key, same URL
        new = (await password_grant(server.base_url))["access_token"]
        assert claims_of(new)["iss"] == server.issuer_url
        # a key seen within the rate limit window is not refetched yet...
        assert await reason(validator, new) == "unknown_key"
        assert server.certs_hits == 1
        # ...and once the window has passed, an unknown kid refetches once
        offset += 11
        assert (await validator.validate(new)).username == "admin"
        assert server.certs_hits == 2
        assert await reason(validator, old) == "unknown_key"  # old key is gone

        # garbage kids, one by one and all at once, cause at most one fetch per window
        key = server.signing_key()
        claims = claims_of(new)
        garbage = [sign(claims, key, kid=secrets.token_hex(8)) for _ in range(30)]
        for token in garbage[:10]:
            assert await reason(validator, token) == "unknown_key"
        assert server.certs_hits == 2
        offset += 11
        results = await asyncio.gather(
            *(validator.validate(t) for t in garbage[10:]), return_exceptions=True
        )
        assert all(
            isinstance(r, AuthenticationError) and r.reason == "unknown_key" for r in results
        )
        assert server.certs_hits == 3

        # the JWKS is refreshed when its TTL runs out
        offset += 301
        assert (await validator.validate(new)).username == "admin"
        assert server.certs_hits == 4
        assert old_tokens["refresh_token"]  # issued under key A: dead after the key change
    finally:
        await validator.aclose()


async def test_restart_with_the_same_key_keeps_sessions(own_issuer_server):
    server = own_issuer_server
    tokens = await password_grant(server.base_url, "chu_tich")
    server.restart(server.key_path)
    async with httpx.AsyncClient(timeout=10) as client:
        answer = await client.post(
            f"{server.oidc}/token",
            data={
                "grant_type": "refresh_token",
                "client_id": CLIENT,
                "refresh_token": tokens["refresh_token"],
            },
        )
    assert answer.status_code == 200, answer.text
    validator = TokenValidator(server.issuer_url, "ktxh-api", client_id=CLIENT)
    try:
        assert (await validator.validate(tokens["access_token"])).username == "chu_tich"
    finally:
        await validator.aclose()


async def test_provider_down_is_unavailable_not_unauthenticated(good_claims: dict[str, Any]):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    validator = TokenValidator(
        f"http://127.0.0.1:{port}/realms/ktxh", "ktxh-api", client_id=CLIENT, http_timeout=2
    )
    try:
        token = sign(good_claims, jwk.JWK.generate(kty="RSA", size=2048), kid="k")
        with pytest.raises(IdentityProviderUnavailable):
            await validator.validate(token)
        started = time.monotonic()
        with pytest.raises(IdentityProviderUnavailable, match="recently failed"):
            await validator.validate(token)
        assert time.monotonic() - started < 0.5
    finally:
        await validator.aclose()


def test_split_issuer_and_bearer_header():
    assert split_issuer("https://sso.example.vn/realms/hp") == ("https://sso.example.vn/", "hp")
    assert split_issuer("http://kc:8080/auth/realms/ktxh/") == ("http://kc:8080/auth/", "ktxh")
    for bad in ("https://sso.example.vn/", "sso/realms/x", "https://h/realms/a/b"):
        with pytest.raises(ValueError):
            split_issuer(bad)
    assert bearer_token("Bearer abc.def.ghi") == "abc.def.ghi"
    assert bearer_token("bearer  abc ") == "abc"
    for header, why in (
        (None, "missing"),
        ("", "missing"),
        ("Basic abc", "malformed"),
        ("Bearer", "malformed"),
    ):
        with pytest.raises(AuthenticationError) as e:
            bearer_token(header)
        assert e.value.reason == why
