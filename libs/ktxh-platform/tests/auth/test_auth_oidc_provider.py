"""TokenValidator against an independent OIDC provider with Keycloak's routes and realm
(`oidc_server` from ktxh_testing: npm oidc-provider serving infra/keycloak/realm-ktxh.json)."""

from __future__ import annotations

import base64
import json

import pytest
from ktxh_platform.auth.validator import AuthenticationError, TokenValidator

oidc_login = pytest.importorskip("ktxh_testing.oidc_login")

pytestmark = pytest.mark.integration

REDIRECT = "http://127.0.0.1:8000/callback"


async def test_validates_a_real_code_flow_token(oidc_server):
    tokens = await oidc_login.login(
        oidc_server.issuer,
        oidc_server.web_client_id,
        "nhap_lieu",
        oidc_server.demo_password,
        REDIRECT,
    )
    validator = TokenValidator(oidc_server.issuer, "ktxh-api", client_id=oidc_server.web_client_id)
    try:
        p = await validator.validate(tokens["access_token"])
        assert p.username == "nhap_lieu" and p.display_name
        assert "data_entry" in p.roles
        assert (p.org_unit, p.province) == ("10846.PKT", "31")

        with pytest.raises(AuthenticationError) as e:  # aud is the client, not the API
            await validator.validate(tokens["id_token"])
        assert e.value.reason == "wrong_audience"

        header, payload, signature = tokens["access_token"].split(".")
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        claims["realm_access"] = {"roles": ["province_admin"]}
        forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
        with pytest.raises(AuthenticationError) as e:
            await validator.validate(f"{header}.{forged}.{signature}")
        assert e.value.reason == "bad_signature"
    finally:
        await validator.aclose()

    other_api = TokenValidator(oidc_server.issuer, "other-api", client_id="other")
    try:
        with pytest.raises(AuthenticationError) as e:
            await other_api.validate(tokens["access_token"])
        assert e.value.reason == "wrong_audience"
    finally:
        await other_api.aclose()


async def test_validates_a_service_account_token(oidc_server):
    tokens = await oidc_login.client_credentials(
        oidc_server.issuer, oidc_server.integration_client_id, oidc_server.integration_client_secret
    )
    validator = TokenValidator(
        oidc_server.issuer, "ktxh-api", client_id=oidc_server.integration_client_id
    )
    try:
        p = await validator.validate(tokens["access_token"])
        assert "integration" in p.roles and p.subject
    finally:
        await validator.aclose()
