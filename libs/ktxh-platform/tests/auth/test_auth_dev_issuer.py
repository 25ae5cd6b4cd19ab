"""The development issuer over real HTTP: code + PKCE, password, refresh, userinfo, logout."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import secrets
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx
import pytest
from keycloak import KeycloakOpenID
from keycloak.exceptions import KeycloakAuthenticationError, KeycloakPostError
from ktxh_platform.auth.demo_users import DEMO_USERS, demo_subject
from ktxh_platform.auth.dev_issuer import DevIssuer
from ktxh_platform.auth.validator import TokenValidator

CLIENT = "ktxh-web"


def claims_of(token: str) -> dict[str, Any]:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


REDIRECT = "http://127.0.0.1:5173/callback"


def pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    return verifier, challenge.rstrip(b"=").decode()


@pytest.fixture
async def http(issuer_server) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=issuer_server.oidc, timeout=10) as client:
        yield client


@pytest.fixture
async def validator(issuer_server) -> AsyncIterator[TokenValidator]:
    v = TokenValidator(issuer_server.issuer_url, "ktxh-api", client_id=CLIENT)
    yield v
    await v.aclose()


def auth_params(challenge: str, **extra: str) -> dict[str, str]:
    return {
        "response_type": "code",
        "client_id": CLIENT,
        "redirect_uri": REDIRECT,
        "scope": "openid profile",
        "state": "st-ổn-định",
        "nonce": "n-123",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        **extra,
    }


async def login(
    http: httpx.AsyncClient, challenge: str, username: str, password: str
) -> httpx.Response:
    """GET the login page, then submit its form as a browser would."""
    page = await http.get("auth", params=auth_params(challenge))
    assert page.status_code == 200
    fields = {
        html.unescape(n): html.unescape(v)
        for n, v in re.findall(r'<input type="hidden" name="([^"]*)" value="([^"]*)">', page.text)
    }
    action = re.search(r'<form method="post" action="([^"]*)"', page.text).group(1)
    return await http.post(
        urljoin(str(page.url), action), data={**fields, "username": username, "password": password}
    )


async def test_login_page_is_vietnamese_utf8(http: httpx.AsyncClient):
    page = await http.get("auth", params=auth_params(pkce()[1]))
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    text = page.content.decode("utf-8")
    for words in (
        "<title>Đăng nhập KTXH</title>",
        "Tên đăng nhập",
        "Mật khẩu",
        ">Đăng nhập</button>",
        "Quản trị viên thành phố",
        "nhap_lieu",
    ):
        assert words in text


async def test_code_flow_with_pkce(
    http: httpx.AsyncClient, validator: TokenValidator, issuer_server
):
    verifier, challenge = pkce()
    answer = await login(http, challenge, "nhap_lieu", "demo")
    assert answer.status_code == 302
    location = urlsplit(answer.headers["location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT
    query = parse_qs(location.query)
    assert query["state"] == ["st-ổn-định"] and query["iss"] == [issuer_server.issuer_url]
    code = query["code"][0]

    exchange = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT,
        "client_id": CLIENT,
        "code_verifier": verifier,
    }
    tokens = await http.post("token", data=exchange)
    assert tokens.status_code == 200, tokens.text
    body = tokens.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 300
    assert tokens.headers["cache-control"] == "no-store"
    id_token = claims_of(body["id_token"])
    assert id_token["nonce"] == "n-123" and id_token["aud"] == CLIENT

    principal = await validator.validate(body["access_token"])
    assert principal.username == "nhap_lieu"
    assert principal.org_unit == "10846.PKT" and principal.roles == {"data_entry"}

    reused = await http.post("token", data=exchange)
    assert reused.status_code == 400 and reused.json()["error"] == "invalid_grant"


async def test_wrong_verifier_is_rejected_and_burns_the_code(http: httpx.AsyncClient):
    verifier, challenge = pkce()
    answer = await login(http, challenge, "admin", "demo")
    code = parse_qs(urlsplit(answer.headers["location"]).query)["code"][0]
    exchange = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT,
        "client_id": CLIENT,
        "code_verifier": pkce()[0],
    }
    wrong = await http.post("token", data=exchange)
    assert wrong.status_code == 400
    assert wrong.json() == {
        "error": "invalid_grant",
        "error_description": "PKCE verification failed",
    }
    right = await http.post("token", data={**exchange, "code_verifier": verifier})
    assert right.json()["error"] == "invalid_grant"


async def test_code_bound_to_redirect_uri_and_client(http: httpx.AsyncClient):
    for change in ({"redirect_uri": "http://127.0.0.1:5173/other"}, {"client_id": "other"}):
        verifier, challenge = pkce()
        answer = await login(http, challenge, "admin", "demo")
        code = parse_qs(urlsplit(answer.headers["location"]).query)["code"][0]
        exchange = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT,
            "client_id": CLIENT,
            "code_verifier": verifier,
            **change,
        }
        answer = await http.post("token", data=exchange)
        assert answer.status_code == 400 and answer.json()["error"] == "invalid_grant"


async def test_wrong_password_shows_vietnamese_error(http: httpx.AsyncClient):
    answer = await login(http, pkce()[1], "nhap_lieu", "sai-mat-khau")
    assert answer.status_code == 200 and "location" not in answer.headers
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in answer.text
    assert 'value="nhap_lieu"' in answer.text
    unknown = await login(http, pkce()[1], "khong_co", "demo")
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in unknown.text


async def test_authorization_request_checks(http: httpx.AsyncClient):
    challenge = pkce()[1]
    for redirect in (
        "https://evil.example.com/cb",
        "javascript:alert(1)",
        "ftp://127.0.0.1/x",
        "http://127.0.0.1:5173/cb#frag",
        "",
    ):
        page = await http.get("auth", params=auth_params(challenge, redirect_uri=redirect))
        assert page.status_code == 400 and "location" not in page.headers, redirect
    for bad in (
        {"code_challenge_method": "plain"},
        {"code_challenge": ""},
        {"code_challenge": "short"},
    ):
        answer = await http.get("auth", params=auth_params(challenge, **bad))
        assert answer.status_code == 302
        query = parse_qs(urlsplit(answer.headers["location"]).query)
        assert query["error"] == ["invalid_request"] and query["state"] == ["st-ổn-định"]
    answer = await http.get("auth", params=auth_params(challenge, response_type="token"))
    assert parse_qs(urlsplit(answer.headers["location"]).query)["error"] == [
        "unsupported_response_type"
    ]
    answer = await http.get("auth", params=auth_params(challenge, prompt="none"))
    assert parse_qs(urlsplit(answer.headers["location"]).query)["error"] == ["login_required"]


async def test_forwarded_headers_set_the_issuer(http: httpx.AsyncClient, issuer_server):
    discovery = f"{issuer_server.issuer_url}/.well-known/openid-configuration"
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "ktxh.example.vn"}
    conf = (await http.get(discovery, headers=headers)).json()
    assert conf["issuer"] == "https://ktxh.example.vn/realms/ktxh"
    assert conf["token_endpoint"] == (
        "https://ktxh.example.vn/realms/ktxh/protocol/openid-connect/token"
    )
    assert conf["code_challenge_methods_supported"] == ["S256"]
    page = await http.get(
        "auth",
        headers=headers,
        params=auth_params(pkce()[1], redirect_uri="https://ktxh.example.vn/callback"),
    )
    assert page.status_code == 200
    bad = await http.get(discovery, headers={"X-Forwarded-Host": "a b<script>"})
    assert bad.status_code == 400


async def test_token_endpoint_errors(http: httpx.AsyncClient):
    cases = [
        ({"client_id": CLIENT}, 400, "invalid_request"),
        ({"client_id": CLIENT, "grant_type": "client_credentials"}, 400, "unauthorized_client"),
        ({"client_id": CLIENT, "grant_type": "device_code"}, 400, "unsupported_grant_type"),
        (
            {"grant_type": "password", "username": "admin", "password": "demo"},
            401,
            "invalid_client",
        ),
        (
            {"client_id": CLIENT, "grant_type": "password", "username": "admin", "password": "x"},
            401,
            "invalid_grant",
        ),
        (
            {"client_id": CLIENT, "grant_type": "password", "username": "admin"},
            400,
            "invalid_request",
        ),
        (
            {"client_id": CLIENT, "grant_type": "refresh_token", "refresh_token": "abc"},
            400,
            "invalid_grant",
        ),
        (
            {"client_id": CLIENT, "grant_type": "authorization_code", "code": "nope"},
            400,
            "invalid_grant",
        ),
    ]
    for form, status, error in cases:
        answer = await http.post("token", data=form)
        assert (answer.status_code, answer.json()["error"]) == (status, error), form
        assert answer.headers["access-control-allow-origin"] == "*"


async def test_cors_preflight(http: httpx.AsyncClient):
    for path in ("token", "userinfo", "certs"):
        answer = await http.options(
            path,
            headers={"Origin": "http://localhost:5173", "Access-Control-Request-Method": "POST"},
        )
        assert answer.status_code == 204
        assert answer.headers["access-control-allow-origin"] == "*"
        assert "Authorization" in answer.headers["access-control-allow-headers"]
    assert (await http.get("certs")).headers["access-control-allow-origin"] == "*"


async def test_python_keycloak_works_against_the_dev_issuer(issuer_server):
    """The dev issuer speaks Keycloak: python-keycloak's own client drives every endpoint."""
    kc = KeycloakOpenID(
        server_url=issuer_server.base_url + "/", realm_name="ktxh", client_id=CLIENT
    )
    try:
        well_known = await kc.a_well_known()
        assert well_known["issuer"] == issuer_server.issuer_url
        tokens = await kc.a_token("mttq", "demo")
        access = claims_of(tokens["access_token"])
        assert access["iss"] == issuer_server.issuer_url and access["aud"] == ["ktxh-api"]
        assert access["azp"] == CLIENT and access["typ"] == "Bearer"
        assert access["sub"] == demo_subject("mttq") and access["scope"] == "openid"
        assert access["exp"] - access["iat"] == 300
        assert access["realm_access"] == {"roles": ["front_member"]}
        assert access["name"] == "Ủy viên Ủy ban MTTQ Việt Nam thành phố"
        assert (access["org_unit"], access["province"]) == ("31.MTTQ", "31")

        info = await kc.a_userinfo(tokens["access_token"])
        assert info["preferred_username"] == "mttq" and info["sub"] == access["sub"]

        refreshed = await kc.a_refresh_token(tokens["refresh_token"])
        assert claims_of(refreshed["access_token"])["sid"] == access["sid"]

        decoded = await kc.a_decode_token(refreshed["access_token"])
        assert decoded["preferred_username"] == "mttq"

        await kc.a_logout(tokens["refresh_token"])
        with pytest.raises(KeycloakPostError):
            await kc.a_refresh_token(refreshed["refresh_token"])
        with pytest.raises(KeycloakAuthenticationError):
            await kc.a_token("mttq", "wrong")
    finally:
        await kc.connection.aclose()


async def test_userinfo_rejects_bad_tokens(http: httpx.AsyncClient):
    tokens = (
        await http.post(
            "token",
            data={
                "grant_type": "password",
                "client_id": CLIENT,
                "username": "lanh_dao",
                "password": "demo",
            },
        )
    ).json()
    ok = await http.get("userinfo", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert ok.status_code == 200 and ok.json()["name"] == "Lãnh đạo UBND thành phố"
    for token in ("x", tokens["refresh_token"], tokens["id_token"], tokens["access_token"] + "x"):
        bad = await http.get("userinfo", headers={"Authorization": f"Bearer {token}"})
        assert bad.status_code == 401 and "invalid_token" in bad.headers["www-authenticate"]


async def test_logout_redirects_and_ends_the_session(http: httpx.AsyncClient):
    tokens = (
        await http.post(
            "token",
            data={
                "grant_type": "password",
                "client_id": CLIENT,
                "username": "tong_hop",
                "password": "demo",
            },
        )
    ).json()
    answer = await http.get(
        "logout",
        params={
            "post_logout_redirect_uri": "http://localhost:5173/",
            "state": "s1",
            "id_token_hint": tokens["id_token"],
            "client_id": CLIENT,
        },
    )
    assert answer.status_code == 302
    assert answer.headers["location"] == "http://localhost:5173/?state=s1"
    refresh = await http.post(
        "token",
        data={
            "grant_type": "refresh_token",
            "client_id": CLIENT,
            "refresh_token": tokens["refresh_token"],
        },
    )
    assert refresh.status_code == 400 and refresh.json()["error"] == "invalid_grant"
    evil = await http.get("logout", params={"post_logout_redirect_uri": "https://evil.example/"})
    assert evil.status_code == 400
    plain = await http.get("logout")
    assert plain.status_code == 200 and "đăng xuất" in plain.text


async def test_refresh_bound_to_client(http: httpx.AsyncClient):
    tokens = (
        await http.post(
            "token",
            data={
                "grant_type": "password",
                "client_id": CLIENT,
                "username": "chu_tich",
                "password": "demo",
            },
        )
    ).json()
    other = await http.post(
        "token",
        data={
            "grant_type": "refresh_token",
            "client_id": "other",
            "refresh_token": tokens["refresh_token"],
        },
    )
    assert other.status_code == 400


def test_key_is_persisted_and_reused(tmp_path):
    key_path = tmp_path / "sub" / "key.pem"
    first = DevIssuer("ktxh", DEMO_USERS, password="demo", key_path=key_path)
    assert key_path.stat().st_mode & 0o777 == 0o600
    second = DevIssuer("ktxh", DEMO_USERS, password="demo", key_path=key_path)
    assert first.kid == second.kid and first.jwks() == second.jwks()
    assert DevIssuer("ktxh", DEMO_USERS, password="demo", key_path=None).kid != first.kid
    jwks_key = first.jwks()["keys"][0]
    assert jwks_key["kty"] == "RSA" and jwks_key["alg"] == "RS256" and "d" not in jwks_key


async def test_base_url_pins_the_issuer_and_the_request_host_stays_allowed():
    from fastapi import FastAPI

    issuer = DevIssuer("ktxh", DEMO_USERS, password="s3cret", base_url="http://127.0.0.1:8000/")
    app = FastAPI()
    app.include_router(issuer.router)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway.local") as client:
        conf = (await client.get("/realms/ktxh/.well-known/openid-configuration")).json()
        assert conf["issuer"] == "http://127.0.0.1:8000/realms/ktxh"
        params = auth_params(pkce()[1], redirect_uri="http://gateway.local/callback")
        page = await client.get("/realms/ktxh/protocol/openid-connect/auth", params=params)
        assert page.status_code == 200
        assert "demo</code>" not in page.text  # the password hint only for the default
        answer = await client.post(
            "/realms/ktxh/protocol/openid-connect/token",
            data={
                "grant_type": "password",
                "client_id": CLIENT,
                "username": "admin",
                "password": "s3cret",
            },
        )
        assert claims_of(answer.json()["access_token"])["iss"] == conf["issuer"]


async def test_client_credentials_of_a_service_account(tmp_path):
    """Other systems get a token for their service account with the client's secret; the
    token is validated like a user's and carries the account's role, unit and province."""
    from fastapi import FastAPI

    from ktxh_platform.auth.demo_users import INTEGRATION_CLIENT_ID, INTEGRATION_SERVICE_ACCOUNT

    issuer = DevIssuer(
        "ktxh", DEMO_USERS, password="demo", base_url="http://127.0.0.1:8000",
        service_accounts={INTEGRATION_CLIENT_ID: ("s3cret", INTEGRATION_SERVICE_ACCOUNT)},
    )
    app = FastAPI()
    app.include_router(issuer.router)
    token_url = "/realms/ktxh/protocol/openid-connect/token"
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://127.0.0.1:8000") as client:
        wrong = await client.post(token_url, data={"grant_type": "client_credentials"},
                                  auth=(INTEGRATION_CLIENT_ID, "guess"))
        assert (wrong.status_code, wrong.json()["error"]) == (401, "unauthorized_client")
        ok = await client.post(token_url, data={
            "grant_type": "client_credentials", "client_id": INTEGRATION_CLIENT_ID,
            "client_secret": "s3cret"})
        assert ok.status_code == 200, ok.text
        body = ok.json()
        assert "refresh_token" not in body and body["token_type"] == "Bearer"
        basic = await client.post(token_url, data={"grant_type": "client_credentials"},
                                  auth=(INTEGRATION_CLIENT_ID, "s3cret"))
        assert basic.status_code == 200
    claims = json.loads(base64.urlsafe_b64decode(body["access_token"].split(".")[1] + "=="))
    assert claims["realm_access"]["roles"] == ["integration"]
    assert (claims["org_unit"], claims["province"], claims["aud"]) == ("31", "31", ["ktxh-api"])
    assert claims["azp"] == INTEGRATION_CLIENT_ID
