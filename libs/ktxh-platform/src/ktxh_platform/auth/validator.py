"""Bearer token validation against an OIDC issuer (Keycloak or the development issuer).

The JWKS is fetched with python-keycloak (`KeycloakOpenID.a_certs`), cached for
`jwks_ttl_seconds`, and refetched when a token names an unknown `kid` (key rotation), at
most once per `min_refresh_interval` seconds so garbage kids cannot flood the provider.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
import logging
import time
from dataclasses import replace
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from jwcrypto import jwk, jws
from jwcrypto.common import JWException
from keycloak import KeycloakOpenID
from keycloak.exceptions import KeycloakError

from ktxh_platform.auth.principal import (
    AuthenticationError,
    AuthorizationError,
    Principal,
    require_roles,
)

__all__ = [
    "ALLOWED_ALGS",
    "AuthenticationError",
    "AuthorizationError",
    "IdentityProviderUnavailable",
    "TokenValidator",
    "bearer_token",
    "require_roles",
    "split_issuer",
]

log = logging.getLogger(__name__)

ALLOWED_ALGS = ("RS256", "ES256")
_KTY_FOR_ALG = {"RS256": "RSA", "ES256": "EC"}


class IdentityProviderUnavailable(Exception):
    """The JWKS could not be fetched and no keys are cached (HTTP 503, gRPC UNAVAILABLE)."""


def split_issuer(issuer: str) -> tuple[str, str]:
    """`https://sso.example.vn/auth/realms/hp` -> (`https://sso.example.vn/auth/`, `hp`)."""
    parts = urlsplit(issuer)
    head, sep, realm = parts.path.rstrip("/").rpartition("/realms/")
    if (
        parts.scheme not in ("http", "https")
        or not parts.netloc
        or not sep
        or not realm
        or "/" in realm
    ):
        raise ValueError(f"issuer must look like <server>/realms/<realm>: {issuer!r}")
    return f"{parts.scheme}://{parts.netloc}{head}/", realm


def bearer_token(authorization: str | None) -> str:
    """The token of an `Authorization: Bearer <token>` header value."""
    if not authorization or not authorization.strip():
        raise AuthenticationError("missing")
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthenticationError("malformed", "Tiêu đề Authorization phải có dạng 'Bearer <mã>'.")
    return token.strip()


class TokenValidator:
    def __init__(
        self,
        issuer: str,
        audience: str,
        *,
        client_id: str,
        jwks_ttl_seconds: float = 300,
        leeway: float = 30,
        http_timeout: float = 5.0,
        min_refresh_interval: float = 10.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        server_url, realm = split_issuer(issuer)
        self.issuer = issuer.rstrip("/")
        self.audience = audience
        self.client_id = client_id
        self._jwks_ttl = jwks_ttl_seconds
        self._leeway = leeway
        self._min_refresh_interval = min_refresh_interval
        self._clock = clock
        self._oidc = KeycloakOpenID(
            server_url=server_url,
            realm_name=realm,
            client_id=client_id,
            timeout=http_timeout,  # type: ignore[arg-type]  # httpx/requests take floats
        )
        self._keys: dict[str, jwk.JWK] = {}
        self._fetched_at: float | None = None
        self._failed_at: float | None = None
        self._lock = asyncio.Lock()

    async def aclose(self) -> None:
        await self._oidc.connection.aclose()

    async def validate(self, token: str | None) -> Principal:
        if not token:
            raise AuthenticationError("missing")
        header = _jose_header(token)
        alg = header.get("alg")
        if alg not in ALLOWED_ALGS:
            raise AuthenticationError(
                "bad_signature", f"Thuật toán ký không được chấp nhận: {alg!s:.20}."
            )
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise AuthenticationError("unknown_key")
        key = await self._key(kid)
        if key.get("kty") != _KTY_FOR_ALG[alg] or key.get("alg", alg) != alg:
            raise AuthenticationError("bad_signature")
        claims = _verified_claims(token, key, alg)
        self._check_claims(claims)
        return replace(_principal(claims), token=token)

    async def _key(self, kid: str) -> jwk.JWK:
        now = self._clock()
        if self._fetched_at is None or now - self._fetched_at >= self._jwks_ttl:
            await self._refresh(stale_before=now - self._jwks_ttl)
        key = self._keys.get(kid)
        if key is None:
            await self._refresh(stale_before=self._clock() - self._min_refresh_interval)
            key = self._keys.get(kid)
        if key is None:
            raise AuthenticationError("unknown_key")
        return key

    async def _refresh(self, *, stale_before: float) -> None:
        """Fetch the JWKS unless someone fetched it after `stale_before` (one fetch per burst)."""
        async with self._lock:
            if self._fetched_at is not None and self._fetched_at > stale_before:
                return
            if (
                self._failed_at is not None
                and self._clock() - self._failed_at < self._min_refresh_interval
            ):
                raise IdentityProviderUnavailable(f"JWKS of {self.issuer}: recently failed")
            try:
                certs = await self._oidc.a_certs()
            except (KeycloakError, TypeError, ValueError) as e:
                if not self._keys:
                    self._failed_at = self._clock()
                    raise IdentityProviderUnavailable(f"JWKS of {self.issuer}: {e}") from e
                log.warning("JWKS refresh failed, keeping cached keys: %s", e)
                self._fetched_at = self._clock()  # do not hammer a failing provider
                return
            self._failed_at = None
            self._keys = _parse_jwks(certs)
            self._fetched_at = self._clock()

    def _check_claims(self, claims: dict[str, Any]) -> None:
        now = self._clock()
        exp = claims.get("exp")
        if not _is_number(exp):
            raise AuthenticationError("malformed", "Mã truy cập thiếu thời hạn (exp).")
        if now > exp + self._leeway:
            raise AuthenticationError("expired")
        nbf = claims.get("nbf")
        if nbf is not None and (not _is_number(nbf) or now + self._leeway < nbf):
            raise AuthenticationError("not_yet_valid")
        if claims.get("iss") != self.issuer:
            raise AuthenticationError("wrong_issuer")
        aud = claims.get("aud")
        audiences = [aud] if isinstance(aud, str) else aud if isinstance(aud, list) else []
        if self.audience not in audiences:
            raise AuthenticationError("wrong_audience")
        typ = claims.get("typ")
        if typ is not None and str(typ).lower() != "bearer":
            raise AuthenticationError("malformed", "Không phải mã truy cập (access token).")
        if not isinstance(claims.get("sub"), str) or not claims["sub"]:
            raise AuthenticationError("malformed", "Mã truy cập thiếu định danh người dùng (sub).")


def _jose_header(token: str) -> dict[str, Any]:
    parts = token.split(".")
    if len(parts) != 3 or not parts[0] or not parts[1]:  # an empty signature fails later
        raise AuthenticationError("malformed")
    try:
        header = json.loads(_b64url(parts[0]))
    except (ValueError, binascii.Error, UnicodeDecodeError) as e:
        raise AuthenticationError("malformed") from e
    if not isinstance(header, dict) or header.get("b64") is False:
        raise AuthenticationError("malformed")
    return header


def _verified_claims(token: str, key: jwk.JWK, alg: str) -> dict[str, Any]:
    obj = jws.JWS()
    obj.allowed_algs = [alg]
    try:
        obj.deserialize(token)
    except Exception as e:  # jwcrypto raises several unrelated types
        raise AuthenticationError("malformed") from e
    try:
        obj.verify(key, alg=alg)
    except Exception as e:
        raise AuthenticationError("bad_signature") from e
    try:
        claims = json.loads(obj.payload)
    except (ValueError, UnicodeDecodeError) as e:
        raise AuthenticationError("malformed") from e
    if not isinstance(claims, dict):
        raise AuthenticationError("malformed")
    return claims


def _parse_jwks(certs: dict[str, Any]) -> dict[str, jwk.JWK]:
    keys: dict[str, jwk.JWK] = {}
    for raw in certs.get("keys", []):
        if not isinstance(raw, dict) or raw.get("use", "sig") != "sig" or not raw.get("kid"):
            continue
        try:
            keys[raw["kid"]] = jwk.JWK(**raw)
        except (JWException, TypeError, ValueError) as e:  # unsupported keys are skipped
            log.info("skipping JWKS key %s: %s", raw.get("kid"), e)
    return keys


def _principal(claims: dict[str, Any]) -> Principal:
    realm_access = claims.get("realm_access")
    roles = realm_access.get("roles", []) if isinstance(realm_access, dict) else []
    username = _text(claims.get("preferred_username")) or claims["sub"]
    return Principal(
        subject=claims["sub"],
        username=username,
        display_name=_text(claims.get("name")) or username,
        roles=frozenset(r for r in roles if isinstance(r, str))
        if isinstance(roles, list)
        else frozenset(),
        org_unit=_text(claims.get("org_unit")),
        province=_text(claims.get("province")),
    )


def _text(value: Any) -> str | None:
    """A string claim; Keycloak multivalued attribute mappers may send a list."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        return str(value) or None
    return None


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _b64url(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
