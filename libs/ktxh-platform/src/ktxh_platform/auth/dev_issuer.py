"""Built-in development OIDC issuer for the all-in-one mode.

Serves Keycloak's paths (`/realms/<realm>/protocol/openid-connect/...`) so the gateway, the
web UI and python-keycloak talk to it exactly as to Keycloak: authorization code with PKCE
(S256 required), password grant, refresh, client credentials (service accounts of
confidential clients, e.g. `ktxh-integration`), userinfo, certs, logout. Demo users share one
password. Never enable it when a real issuer is configured.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import json
import os
import re
import secrets
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from jwcrypto import jwk, jws, jwt
from jwcrypto.common import JWException

from ktxh_platform.auth.demo_users import DemoUser
from ktxh_platform.auth.principal import ROLE_LABELS_VI

__all__ = ["BruteForcePolicy", "DevIssuer", "SignInBlocked", "create_dev_issuer"]

_ALG = "RS256"
_LOOPBACK = {"127.0.0.1", "localhost", "::1"}
_HOST_RE = re.compile(r"^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$")
_PKCE_RE = re.compile(r"^[A-Za-z0-9._~-]{43,128}$")
_CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Authorization, Content-Type",
    "Access-Control-Max-Age": "600",
}
_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
_PAGE_HEADERS = {
    **_NO_STORE,
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
    "frame-ancestors 'none'",
}


def create_dev_issuer(
    realm: str,
    users: Iterable[DemoUser],
    *,
    password: str,
    key_path: Path | None = None,
    **options: Any,
) -> APIRouter:
    """The issuer's router, to mount at the root of the app. `options`: see `DevIssuer`."""
    return DevIssuer(realm, users, password=password, key_path=key_path, **options).router


@dataclass(frozen=True, slots=True)
class _AuthRequest:
    client_id: str
    redirect_uri: str
    scope: str
    state: str | None
    nonce: str | None
    code_challenge: str

    def hidden_fields(self) -> dict[str, str]:
        fields = {
            "client_id": self.client_id,
            "redirect_uri": self.redirect_uri,
            "response_type": "code",
            "scope": self.scope,
            "code_challenge": self.code_challenge,
            "code_challenge_method": "S256",
        }
        if self.state is not None:
            fields["state"] = self.state
        if self.nonce is not None:
            fields["nonce"] = self.nonce
        return fields


@dataclass(frozen=True, slots=True)
class _Code:
    request: _AuthRequest
    username: str
    session_id: str
    auth_time: int
    expires_at: float


class _OAuthError(Exception):
    def __init__(self, error: str, description: str, status: int = 400) -> None:
        super().__init__(description)
        self.error, self.description, self.status = error, description, status

    def response(self) -> JSONResponse:
        return JSONResponse(
            {"error": self.error, "error_description": self.description},
            status_code=self.status,
            headers={**_CORS, **_NO_STORE},
        )


@dataclass(frozen=True, slots=True)
class BruteForcePolicy:
    """Keycloak-like brute-force detection for one user name.

    From the `slow_after`-th consecutive failure, the next attempt must wait 1, 2, 4... seconds
    (attempts during the wait are refused without checking the password); at `lock_after`
    failures the name is locked for `lock_seconds`, doubled for every further failure up to
    `max_lock_seconds`. Failures older than `reset_after_seconds` are forgotten; a success
    resets the count. While locked, even the right password is refused.
    """

    slow_after: int = 3
    lock_after: int = 5
    lock_seconds: float = 300
    max_lock_seconds: float = 3600
    reset_after_seconds: float = 12 * 3600


class SignInBlocked(Exception):
    def __init__(self, wait_seconds: float, locked: bool) -> None:
        self.wait_seconds = max(1, int(wait_seconds + 0.999))
        self.locked = locked
        if locked:
            minutes = max(1, (self.wait_seconds + 59) // 60)
            message = (
                "Tài khoản tạm thời bị khóa do nhập sai mật khẩu nhiều lần. "
                f"Vui lòng thử lại sau {minutes} phút."
            )
        else:
            message = (
                "Bạn đã nhập sai mật khẩu nhiều lần. "
                f"Vui lòng chờ {self.wait_seconds} giây rồi thử lại."
            )
        super().__init__(message)
        self.message = message


@dataclass(slots=True)
class _Failures:
    count: int = 0
    last: float = 0.0
    not_before: float = 0.0
    locked: bool = False


@dataclass
class BruteForceGuard:
    policy: BruteForcePolicy
    clock: Callable[[], float]
    _by_name: dict[str, _Failures] = field(default_factory=dict)

    def _entry(self, username: str) -> _Failures | None:
        entry = self._by_name.get(username.casefold())
        if entry and self.clock() - entry.last > self.policy.reset_after_seconds:
            del self._by_name[username.casefold()]
            return None
        return entry

    def check(self, username: str) -> None:
        entry = self._entry(username)
        if entry is not None and self.clock() < entry.not_before:
            raise SignInBlocked(entry.not_before - self.clock(), entry.locked)

    def failed(self, username: str) -> None:
        now = self.clock()
        if len(self._by_name) > 10_000:  # a flood of made-up names: forget the stale ones
            self._by_name = {
                k: v for k, v in self._by_name.items()
                if now - v.last <= self.policy.reset_after_seconds
            }
        entry = self._entry(username) or self._by_name.setdefault(username.casefold(), _Failures())
        entry.count += 1
        entry.last = now
        p = self.policy
        if entry.count >= p.lock_after:
            entry.locked = True
            wait = min(p.lock_seconds * 2 ** (entry.count - p.lock_after), p.max_lock_seconds)
        elif entry.count >= p.slow_after:
            entry.locked = False
            wait = 2 ** (entry.count - p.slow_after)
        else:
            wait = 0
        entry.not_before = now + wait

    def succeeded(self, username: str) -> None:
        self._by_name.pop(username.casefold(), None)


class DevIssuer:
    """Keys, users, sessions and routes of one development realm.

    `base_url` pins the external URL (e.g. `http://127.0.0.1:8000`); without it the issuer is
    derived from each request (`X-Forwarded-Proto`/`X-Forwarded-Host`, else `Host`), as
    Keycloak does without a configured hostname.
    """

    def __init__(
        self,
        realm: str,
        users: Iterable[DemoUser],
        *,
        password: str,
        key_path: Path | None = None,
        base_url: str | None = None,
        audience: str = "ktxh-api",
        access_token_ttl: int = 300,
        refresh_token_ttl: int = 1800,
        code_ttl: int = 60,
        service_accounts: Mapping[str, tuple[str, DemoUser]] | None = None,
        brute_force: BruteForcePolicy | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not password:
            raise ValueError("the demo password must not be empty")
        self.realm = realm
        self.users: dict[str, DemoUser] = {u.username: u for u in users}
        self.audience = audience
        self.access_token_ttl = access_token_ttl
        self.refresh_token_ttl = refresh_token_ttl
        self.code_ttl = code_ttl
        self._password = password.encode()
        self._base_url = base_url.rstrip("/") if base_url else None
        self._key = _load_or_create_key(key_path)
        self.kid = self._key.thumbprint()
        self._codes: dict[str, _Code] = {}
        self._ended_sessions: set[str] = set()
        # Confidential clients with a service account (client credentials grant):
        # client_id -> (secret, the account's identity), as Keycloak's service accounts.
        self._service_accounts = dict(service_accounts or {})
        self._guard = BruteForceGuard(brute_force or BruteForcePolicy(), clock)
        self.router = self._build_router()

    # ---- public helpers ---------------------------------------------------------------

    def issuer_for(self, request: Request) -> str:
        if self._base_url:
            return f"{self._base_url}/realms/{self.realm}"
        root = request.scope.get("root_path", "").rstrip("/")
        return f"{_request_origin(request)}{root}/realms/{self.realm}"

    def jwks(self) -> dict[str, Any]:
        public = self._key.export_public(as_dict=True)
        return {"keys": [{**public, "kid": self.kid, "alg": _ALG, "use": "sig"}]}

    def issue_tokens(
        self,
        user: DemoUser,
        *,
        issuer: str,
        client_id: str,
        scope: str = "openid profile email",
        nonce: str | None = None,
        session_id: str | None = None,
        auth_time: int | None = None,
    ) -> dict[str, Any]:
        """A Keycloak-shaped token response for `user`."""
        now = int(time.time())
        sid = session_id or str(uuid.uuid4())
        auth_time = auth_time or now
        profile = {
            "preferred_username": user.username,
            "name": user.display_name,
            "org_unit": user.org_unit,
            "province": user.province,
        }
        common = {"iss": issuer, "sub": user.subject, "azp": client_id, "sid": sid, "iat": now}
        access = self._sign(
            {
                **common,
                "exp": now + self.access_token_ttl,
                "auth_time": auth_time,
                "jti": str(uuid.uuid4()),
                "aud": [self.audience],
                "typ": "Bearer",
                "scope": scope,
                "realm_access": {"roles": sorted(user.roles)},
                **profile,
            }
        )
        refresh = self._sign(
            {
                **common,
                "exp": now + self.refresh_token_ttl,
                "jti": str(uuid.uuid4()),
                "aud": issuer,
                "typ": "Refresh",
                "scope": scope,
                "auth_time": auth_time,
            }
        )
        body: dict[str, Any] = {
            "access_token": access,
            "expires_in": self.access_token_ttl,
            "refresh_expires_in": self.refresh_token_ttl,
            "refresh_token": refresh,
            "token_type": "Bearer",
            "not-before-policy": 0,
            "session_state": sid,
            "scope": scope,
        }
        if "openid" in scope.split():
            digest = hashlib.sha256(access.encode()).digest()
            body["id_token"] = self._sign(
                {
                    **common,
                    "exp": now + self.access_token_ttl,
                    "auth_time": auth_time,
                    "jti": str(uuid.uuid4()),
                    "aud": client_id,
                    "typ": "ID",
                    "at_hash": _b64(digest[: len(digest) // 2]),
                    **({"nonce": nonce} if nonce else {}),
                    **profile,
                }
            )
        return body

    # ---- tokens -----------------------------------------------------------------------

    def _sign(self, claims: dict[str, Any]) -> str:
        token = jwt.JWT(header={"alg": _ALG, "typ": "JWT", "kid": self.kid}, claims=claims)
        token.make_signed_token(self._key)
        return token.serialize()

    def _decode(self, token: str, *, issuer: str, typ: str, check_exp: bool = True) -> dict | None:
        """Claims of a token this issuer signed, or None."""
        try:
            obj = jws.JWS()
            obj.allowed_algs = [_ALG]
            obj.deserialize(token)
            obj.verify(self._key, alg=_ALG)
            claims = json.loads(obj.payload)
        except (JWException, ValueError, TypeError):
            return None
        if not isinstance(claims, dict) or claims.get("iss") != issuer or claims.get("typ") != typ:
            return None
        if check_exp and not (isinstance(claims.get("exp"), int) and claims["exp"] > time.time()):
            return None
        return claims

    def _check_password(self, username: str, password: str) -> DemoUser | None:
        """The user if the password is right; raises `SignInBlocked` while the name is slowed
        down or locked (unknown names too, so a lock reveals nothing)."""
        self._guard.check(username)
        user = self.users.get(username)
        ok = hmac.compare_digest(password.encode(), self._password)
        if user is None or not ok:
            self._guard.failed(username)
            return None
        self._guard.succeeded(username)
        return user

    # ---- routes -----------------------------------------------------------------------

    def _build_router(self) -> APIRouter:
        router = APIRouter(prefix=f"/realms/{self.realm}", include_in_schema=False)
        oidc = "/protocol/openid-connect"
        router.add_api_route("/.well-known/openid-configuration", self._discovery, methods=["GET"])
        router.add_api_route(f"{oidc}/auth", self._auth_get, methods=["GET"])
        router.add_api_route(f"{oidc}/auth", self._auth_post, methods=["POST"])
        router.add_api_route(f"{oidc}/token", self._token, methods=["POST"])
        router.add_api_route(f"{oidc}/certs", self._certs, methods=["GET"])
        router.add_api_route(f"{oidc}/userinfo", self._userinfo, methods=["GET", "POST"])
        router.add_api_route(f"{oidc}/logout", self._logout, methods=["GET", "POST"])
        for path in (
            "/.well-known/openid-configuration",
            f"{oidc}/token",
            f"{oidc}/certs",
            f"{oidc}/userinfo",
        ):
            router.add_api_route(path, _preflight, methods=["OPTIONS"])
        return router

    async def _discovery(self, request: Request) -> JSONResponse:
        iss = self.issuer_for(request)
        ep = f"{iss}/protocol/openid-connect"
        return JSONResponse(
            {
                "issuer": iss,
                "authorization_endpoint": f"{ep}/auth",
                "token_endpoint": f"{ep}/token",
                "userinfo_endpoint": f"{ep}/userinfo",
                "end_session_endpoint": f"{ep}/logout",
                "jwks_uri": f"{ep}/certs",
                "response_types_supported": ["code"],
                "response_modes_supported": ["query"],
                "grant_types_supported": [
                    "authorization_code", "password", "refresh_token", "client_credentials"
                ],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": [_ALG],
                "code_challenge_methods_supported": ["S256"],
                "token_endpoint_auth_methods_supported": [
                    "none",
                    "client_secret_post",
                    "client_secret_basic",
                ],
                "scopes_supported": ["openid", "profile", "email", "offline_access"],
                "claims_supported": [
                    "sub",
                    "iss",
                    "name",
                    "preferred_username",
                    "org_unit",
                    "province",
                    "realm_access",
                ],
                "authorization_response_iss_parameter_supported": True,
            },
            headers=_CORS,
        )

    async def _certs(self) -> JSONResponse:
        return JSONResponse(self.jwks(), headers={**_CORS, "Cache-Control": "max-age=60"})

    # authorization code + PKCE

    async def _auth_get(self, request: Request) -> Response:
        parsed = self._parse_auth_request(request.query_params, request)
        if isinstance(parsed, Response):
            return parsed
        if request.query_params.get("prompt") == "none":
            return _redirect(
                parsed.redirect_uri,
                error="login_required",
                state=parsed.state,
                iss=self.issuer_for(request),
            )
        return self._login_page(parsed, username=request.query_params.get("login_hint", ""))

    async def _auth_post(self, request: Request) -> Response:
        form = await request.form()
        parsed = self._parse_auth_request(form, request)
        if isinstance(parsed, Response):
            return parsed
        username = str(form.get("username", "")).strip()
        try:
            user = self._check_password(username, str(form.get("password", "")))
        except SignInBlocked as blocked:
            return self._login_page(parsed, username=username, error=blocked.message, status=429)
        if user is None:
            return self._login_page(
                parsed, username=username, error="Tên đăng nhập hoặc mật khẩu không đúng"
            )
        now = time.time()
        self._codes = {c: v for c, v in self._codes.items() if v.expires_at > now}
        code = secrets.token_urlsafe(32)
        self._codes[code] = _Code(
            parsed, user.username, str(uuid.uuid4()), int(now), now + self.code_ttl
        )
        return _redirect(
            parsed.redirect_uri, code=code, state=parsed.state, iss=self.issuer_for(request)
        )

    def _parse_auth_request(
        self, params: Mapping[str, Any], request: Request
    ) -> _AuthRequest | Response:
        client_id = str(params.get("client_id") or "")
        redirect_uri = str(params.get("redirect_uri") or "")
        if not client_id:
            return _message_page("Yêu cầu đăng nhập không hợp lệ", "Thiếu client_id.", 400)
        if not self._redirect_allowed(redirect_uri, request):
            return _message_page(
                "Yêu cầu đăng nhập không hợp lệ",
                "Địa chỉ chuyển hướng (redirect_uri) không được phép.",
                400,
            )
        state = params.get("state")
        state = str(state) if state is not None else None
        iss = self.issuer_for(request)
        if params.get("response_type") != "code":
            return _redirect(
                redirect_uri,
                error="unsupported_response_type",
                error_description="Only response_type=code",
                state=state,
                iss=iss,
            )
        challenge = str(params.get("code_challenge") or "")
        if params.get("code_challenge_method") != "S256" or not _PKCE_RE.match(challenge):
            return _redirect(
                redirect_uri,
                error="invalid_request",
                error_description="PKCE with code_challenge_method=S256 is required",
                state=state,
                iss=iss,
            )
        nonce = params.get("nonce")
        return _AuthRequest(
            client_id=client_id,
            redirect_uri=redirect_uri,
            scope=str(params.get("scope") or "openid"),
            state=state,
            nonce=str(nonce) if nonce else None,
            code_challenge=challenge,
        )

    def _redirect_allowed(self, uri: str, request: Request) -> bool:
        try:
            parts = urlsplit(uri)
            hostname = parts.hostname
        except ValueError:
            return False
        if (
            parts.scheme not in ("http", "https")
            or not hostname
            or parts.fragment
            or parts.username
            or parts.password
        ):
            return False
        own = {
            urlsplit(_request_origin(request)).hostname,
            urlsplit(self.issuer_for(request)).hostname,
        }
        return hostname in _LOOPBACK or hostname in own

    # token endpoint

    async def _token(self, request: Request) -> JSONResponse:
        form = await request.form()
        try:
            client_id = str(form.get("client_id") or _basic_client_id(request) or "")
            if not client_id:
                raise _OAuthError("invalid_client", "Missing client_id", 401)
            grant = form.get("grant_type")
            iss = self.issuer_for(request)
            if grant == "authorization_code":
                body = self._grant_code(form, client_id, iss)
            elif grant == "password":
                body = self._grant_password(form, client_id, iss)
            elif grant == "refresh_token":
                body = self._grant_refresh(form, client_id, iss)
            elif grant == "client_credentials":
                body = self._grant_client_credentials(form, request, client_id, iss)
            elif not grant:
                raise _OAuthError("invalid_request", "Missing form parameter: grant_type")
            else:
                raise _OAuthError("unsupported_grant_type", f"Unsupported grant_type: {grant}")
        except _OAuthError as e:
            return e.response()
        return JSONResponse(body, headers={**_CORS, **_NO_STORE})

    def _grant_code(self, form: Mapping[str, Any], client_id: str, iss: str) -> dict:
        code = self._codes.pop(str(form.get("code") or ""), None)  # single use, even on failure
        if code is None or code.expires_at <= time.time():
            raise _OAuthError("invalid_grant", "Code not valid")
        if code.request.client_id != client_id:
            raise _OAuthError("invalid_grant", "Code was issued to another client")
        if form.get("redirect_uri") != code.request.redirect_uri:
            raise _OAuthError("invalid_grant", "Incorrect redirect_uri")
        verifier = str(form.get("code_verifier") or "")
        if not _PKCE_RE.match(verifier):
            raise _OAuthError("invalid_grant", "PKCE code verifier not specified or malformed")
        challenge = _b64(hashlib.sha256(verifier.encode("ascii")).digest())
        if not hmac.compare_digest(challenge, code.request.code_challenge):
            raise _OAuthError("invalid_grant", "PKCE verification failed")
        user = self.users.get(code.username)
        if user is None:
            raise _OAuthError("invalid_grant", "User not found")
        return self.issue_tokens(
            user,
            issuer=iss,
            client_id=client_id,
            scope=code.request.scope,
            nonce=code.request.nonce,
            session_id=code.session_id,
            auth_time=code.auth_time,
        )

    def _grant_password(self, form: Mapping[str, Any], client_id: str, iss: str) -> dict:
        username, password = form.get("username"), form.get("password")
        if not username or password is None:
            raise _OAuthError("invalid_request", "Missing parameter: username or password")
        try:
            user = self._check_password(str(username), str(password))
        except SignInBlocked as blocked:  # Keycloak answers a temporarily disabled user so
            raise _OAuthError("invalid_grant", "Account temporarily disabled", 400) from None
        if user is None:
            raise _OAuthError("invalid_grant", "Invalid user credentials", 401)
        return self.issue_tokens(
            user,
            issuer=iss,
            client_id=client_id,
            scope=str(form.get("scope") or "openid profile email"),
        )

    def _grant_client_credentials(
        self, form: Mapping[str, Any], request: Request, client_id: str, iss: str
    ) -> dict:
        """Service-account token of a confidential client (no refresh token, as Keycloak)."""
        account = self._service_accounts.get(client_id)
        if account is None:
            raise _OAuthError("unauthorized_client", "Client not enabled to retrieve service account")
        secret = str(form.get("client_secret") or _basic_client_secret(request) or "")
        if not hmac.compare_digest(secret.encode(), account[0].encode()):
            raise _OAuthError("unauthorized_client", "Invalid client or Invalid client credentials", 401)
        body = self.issue_tokens(
            account[1], issuer=iss, client_id=client_id,
            scope=str(form.get("scope") or "profile email"),
        )
        body.pop("refresh_token", None)
        body.pop("refresh_expires_in", None)
        return body

    def _grant_refresh(self, form: Mapping[str, Any], client_id: str, iss: str) -> dict:
        token = str(form.get("refresh_token") or "")
        if not token:
            raise _OAuthError("invalid_request", "Missing parameter: refresh_token")
        claims = self._decode(token, issuer=iss, typ="Refresh")
        if claims is None or claims.get("sid") in self._ended_sessions:
            raise _OAuthError("invalid_grant", "Invalid refresh token")
        if claims.get("azp") != client_id:
            raise _OAuthError("invalid_grant", "Token client and authorized client don't match")
        user = next((u for u in self.users.values() if u.subject == claims.get("sub")), None)
        if user is None:
            raise _OAuthError("invalid_grant", "User not found")
        return self.issue_tokens(
            user,
            issuer=iss,
            client_id=client_id,
            scope=str(claims.get("scope") or "openid"),
            session_id=claims["sid"],
            auth_time=claims.get("auth_time"),
        )

    # userinfo and logout

    async def _userinfo(self, request: Request) -> JSONResponse:
        auth = request.headers.get("authorization", "")
        token = auth[7:].strip() if auth[:7].lower() == "bearer " else ""
        if not token and request.method == "POST":
            token = str((await request.form()).get("access_token") or "")
        claims = self._decode(token, issuer=self.issuer_for(request), typ="Bearer")
        if claims is None or claims.get("sid") in self._ended_sessions:
            return JSONResponse(
                {"error": "invalid_token", "error_description": "Token verification failed"},
                status_code=401,
                headers={**_CORS, "WWW-Authenticate": 'Bearer error="invalid_token"'},
            )
        keys = ("sub", "preferred_username", "name", "org_unit", "province", "realm_access")
        return JSONResponse(
            {k: claims[k] for k in keys if k in claims}, headers={**_CORS, **_NO_STORE}
        )

    async def _logout(self, request: Request) -> Response:
        params: Mapping[str, Any] = request.query_params
        if request.method == "POST":
            params = await request.form()
        iss = self.issuer_for(request)
        if params.get("refresh_token"):  # back-channel logout, as python-keycloak's logout()
            claims = self._decode(
                str(params["refresh_token"]), issuer=iss, typ="Refresh", check_exp=False
            )
            if claims is None:
                return _OAuthError("invalid_grant", "Invalid refresh token").response()
            self._ended_sessions.add(claims["sid"])
            return Response(status_code=204, headers=_CORS)
        if params.get("id_token_hint"):
            claims = self._decode(
                str(params["id_token_hint"]), issuer=iss, typ="ID", check_exp=False
            )
            if claims is not None:
                self._ended_sessions.add(claims["sid"])
        target = params.get("post_logout_redirect_uri")
        if target:
            if not self._redirect_allowed(str(target), request):
                return _message_page("Đăng xuất", "Địa chỉ chuyển hướng không được phép.", 400)
            state = params.get("state")
            return _redirect(str(target), state=str(state) if state else None)
        return _message_page("Đăng xuất", "Bạn đã đăng xuất khỏi KTXH.", 200)

    def _login_page(
        self, req: _AuthRequest, *, username: str = "", error: str | None = None, status: int = 200
    ) -> HTMLResponse:
        e = html.escape
        hidden = "".join(
            f'<input type="hidden" name="{e(k)}" value="{e(v)}">'
            for k, v in req.hidden_fields().items()
        )
        rows = "".join(
            f"<tr><td><code>{e(u.username)}</code></td><td>{e(u.display_name)}</td>"
            f"<td>{e(', '.join(ROLE_LABELS_VI.get(r, r) for r in sorted(u.roles)))}</td></tr>"
            for u in self.users.values()
        )
        hint = (
            '<p class="hint">Mật khẩu chung: <code>demo</code></p>'
            if self._password == b"demo"
            else ""
        )
        alert = f'<p class="error" role="alert">{e(error)}</p>' if error else ""
        body = f"""
<h1>Đăng nhập KTXH</h1>
<p class="sub">Theo dõi chỉ tiêu kinh tế – xã hội · môi trường phát triển</p>
{alert}
<form method="post" action="auth">
{hidden}
<label for="username">Tên đăng nhập</label>
<input id="username" name="username" value="{e(username)}" autocomplete="username" required autofocus>
<label for="password">Mật khẩu</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Đăng nhập</button>
</form>
<details><summary>Tài khoản thử nghiệm</summary>
<table><thead><tr><th>Tên đăng nhập</th><th>Họ tên</th><th>Vai trò</th></tr></thead>
<tbody>{rows}</tbody></table>{hint}</details>"""
        return HTMLResponse(_page("Đăng nhập KTXH", body), status_code=status, headers=_PAGE_HEADERS)


async def _preflight() -> Response:
    return Response(status_code=204, headers=_CORS)


def _redirect(uri: str, **params: str | None) -> RedirectResponse:
    parts = urlsplit(uri)
    query = parse_qsl(parts.query, keep_blank_values=True)
    query += [(k, v) for k, v in params.items() if v is not None]
    target = urlunsplit(parts._replace(query=urlencode(query)))
    return RedirectResponse(target, status_code=302, headers=_NO_STORE)


def _message_page(title: str, message: str, status: int) -> HTMLResponse:
    body = f"<h1>{html.escape(title)}</h1><p>{html.escape(message)}</p>"
    return HTMLResponse(_page(title, body), status_code=status, headers=_PAGE_HEADERS)


_CSS = """
*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;
font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;
background:#f1f4f8;color:#1d2733}
main{width:min(420px,92vw);background:#fff;border-radius:10px;padding:28px 28px 20px;
box-shadow:0 2px 12px rgba(20,40,80,.12)}
h1{margin:0 0 4px;font-size:22px;color:#a31d24}
.sub{margin:0 0 18px;color:#5a6675;font-size:13px}
label{display:block;margin:12px 0 4px;font-weight:600;font-size:14px}
input{width:100%;padding:9px 11px;border:1px solid #c3ccd7;border-radius:6px;font-size:15px}
input:focus{outline:2px solid #1f5fa8;border-color:#1f5fa8}
button{margin-top:18px;width:100%;padding:10px;border:0;border-radius:6px;background:#a31d24;
color:#fff;font-size:15px;font-weight:600;cursor:pointer}
button:hover{background:#861820}
.error{background:#fdecec;color:#a31d24;border:1px solid #f3b7b9;border-radius:6px;
padding:8px 11px;margin:0 0 6px}
details{margin-top:20px;font-size:13px;color:#3b4654}
summary{cursor:pointer;font-weight:600}
table{width:100%;border-collapse:collapse;margin-top:8px}
th,td{text-align:left;padding:4px 6px;border-bottom:1px solid #e4e9ef;vertical-align:top}
code{font-size:12px;background:#eef2f6;padding:1px 4px;border-radius:3px}
.hint{margin:8px 0 0}
"""


def _page(title: str, body: str) -> str:
    return (
        '<!doctype html>\n<html lang="vi"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head>"
        f"<body><main>{body}</main></body></html>"
    )


def _load_or_create_key(path: Path | None) -> jwk.JWK:
    """The signing key; persisted at `path` (PEM, mode 0600) so restarts keep sessions."""
    if path is not None and path.exists():
        return jwk.JWK.from_pem(path.read_bytes())
    key = jwk.JWK.generate(kty="RSA", size=2048)
    if path is None:
        return key
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".dev-issuer-key")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(key.export_to_pem(private_key=True, password=None))
        try:
            os.link(tmp, path)  # atomic; loses to a concurrent creator, whose key we then use
        except FileExistsError:
            return jwk.JWK.from_pem(path.read_bytes())
    finally:
        os.unlink(tmp)
    return key


def _request_origin(request: Request) -> str:
    """`scheme://host[:port]` as the client sees it (X-Forwarded-Proto/Host, else Host)."""
    proto = _first(request.headers.get("x-forwarded-proto")).lower() or request.url.scheme
    host = (
        _first(request.headers.get("x-forwarded-host"))
        or request.headers.get("host")
        or request.url.netloc
    )
    if proto not in ("http", "https") or not _HOST_RE.match(host):
        raise HTTPException(400, "Bad Host or X-Forwarded-* header")
    return f"{proto}://{host}"


def _basic_client_id(request: Request) -> str | None:
    auth = request.headers.get("authorization", "")
    if auth[:6].lower() != "basic ":
        return None
    try:
        user = base64.b64decode(auth[6:]).decode().partition(":")[0]
    except (ValueError, UnicodeDecodeError):
        return None
    return user or None


def _basic_client_secret(request: Request) -> str | None:
    auth = request.headers.get("authorization", "")
    if auth[:6].lower() != "basic ":
        return None
    try:
        return base64.b64decode(auth[6:]).decode().partition(":")[2] or None
    except (ValueError, UnicodeDecodeError):
        return None


def _first(value: str | None) -> str:
    return value.split(",")[0].strip() if value else ""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")
