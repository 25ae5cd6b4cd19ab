"""Get real tokens from an OIDC provider without a browser.

`login` performs the authorization code flow with PKCE (S256) over HTTP: it opens the
authorization endpoint, fills in the provider's login form (the first form that has a password
field: infra/oidc-provider's page, Keycloak's ``kc-form-login`` and the gateway's development
sign-in all qualify), follows the redirects to ``redirect_uri`` without calling it, and
exchanges the code at the token endpoint. `client_credentials` asks for a service-account token.

    tokens = await login(issuer, "ktxh-web", "nhap_lieu", "demo", "http://127.0.0.1:8000/callback")
    tokens["access_token"], tokens["id_token"], tokens.get("refresh_token")
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import secrets
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx

__all__ = [
    "OIDCLoginError",
    "client_credentials",
    "client_credentials_sync",
    "discover",
    "jwt_claims",
    "login",
    "login_sync",
    "refresh",
    "verify_access_token",
]


class OIDCLoginError(RuntimeError):
    """The flow did not end with tokens (bad password, refused client, unexpected page...)."""


class _Form:
    def __init__(self, action: str | None, method: str) -> None:
        self.action = action
        self.method = method
        self.fields: dict[str, str] = {}
        self.has_password = False
        self.submit: tuple[str, str] | None = None


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[_Form] = []
        self._current: _Form | None = None
        self.error_text: list[str] = []
        self._in_error = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self._current = _Form(a.get("action"), (a.get("method") or "get").lower())
            self.forms.append(self._current)
        elif tag in ("input", "button") and self._current is not None:
            name = a.get("name")
            typ = (a.get("type") or ("submit" if tag == "button" else "text")).lower()
            if typ == "password":
                self._current.has_password = True
            if not name:
                return
            if typ == "submit":
                if self._current.submit is None:
                    self._current.submit = (name, a.get("value", ""))
            elif typ in ("checkbox", "radio"):
                if "checked" in a:
                    self._current.fields[name] = a.get("value", "on")
            else:
                self._current.fields.setdefault(name, a.get("value", ""))
        cls = a.get("class", "") + " " + a.get("id", "")
        if any(k in cls for k in ("err", "alert", "input-error")):
            self._in_error += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._current = None
        if self._in_error and tag in ("div", "span", "p"):
            self._in_error -= 1

    def handle_data(self, data: str) -> None:
        if self._in_error and data.strip():
            self.error_text.append(data.strip())


def _pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=")
    return verifier, challenge.decode()


async def discover(issuer: str, *, client: httpx.AsyncClient | None = None) -> dict[str, Any]:
    """The provider's ``/.well-known/openid-configuration``."""
    url = issuer.rstrip("/") + "/.well-known/openid-configuration"
    if client is None:
        async with httpx.AsyncClient(timeout=10) as c:
            r = await c.get(url)
    else:
        r = await client.get(url)
    r.raise_for_status()
    return r.json()


def _matches_redirect(location: str, redirect_uri: str) -> bool:
    loc, red = urlsplit(location), urlsplit(redirect_uri)
    return (loc.scheme, loc.netloc, loc.path) == (red.scheme, red.netloc, red.path)


async def login(
    issuer: str,
    client_id: str,
    username: str,
    password: str,
    redirect_uri: str,
    *,
    scope: str = "openid profile email",
    client_secret: str | None = None,
    extra_params: dict[str, str] | None = None,
    timeout: float = 15.0,
) -> dict[str, Any]:
    """Authorization code + PKCE flow; returns the token endpoint's JSON response."""
    verifier, challenge = _pkce()
    state = secrets.token_urlsafe(16)
    nonce = secrets.token_urlsafe(16)
    async with httpx.AsyncClient(timeout=timeout, follow_redirects=False) as http:
        meta = await discover(issuer, client=http)
        params = {
            "client_id": client_id,
            "redirect_uri": redirect_uri,
            "response_type": "code",
            "scope": scope,
            "state": state,
            "nonce": nonce,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
            **(extra_params or {}),
        }
        response = await http.get(meta["authorization_endpoint"], params=params)
        submitted = False
        callback: str | None = None
        for _ in range(30):
            if response.is_redirect:
                location = urljoin(str(response.url), response.headers["location"])
                if _matches_redirect(location, redirect_uri):
                    callback = location
                    break
                response = await http.get(location)
                continue
            if response.status_code != 200:
                raise OIDCLoginError(
                    f"unexpected HTTP {response.status_code} at {response.url}: {response.text[:500]}"
                )
            parser = _FormParser()
            parser.feed(response.text)
            form = next((f for f in parser.forms if f.has_password), None)
            if form is None:
                # e.g. an auto-submitting consent or form_post page without password field
                form = next((f for f in parser.forms if f.method == "post"), None)
                if form is None:
                    raise OIDCLoginError(f"no form at {response.url}: {response.text[:500]}")
            elif submitted:
                detail = " ".join(parser.error_text) or "login form shown again"
                raise OIDCLoginError(f"login as {username!r} refused: {detail}")
            data = dict(form.fields)
            if form.has_password:
                user_field = next(
                    (n for n in ("username", "login", "email", "user") if n in data), "username"
                )
                pw_field = next((n for n in ("password", "pass") if n in data), "password")
                data[user_field] = username
                data[pw_field] = password
                submitted = True
            if form.submit:
                data.setdefault(*form.submit)
            action = urljoin(str(response.url), form.action or str(response.url))
            if form.method == "post":
                response = await http.post(action, data=data)
            else:
                response = await http.get(action, params=data)
        if callback is None:
            raise OIDCLoginError("too many redirects before reaching redirect_uri")

        query = parse_qs(urlsplit(callback).query)
        if "error" in query:
            raise OIDCLoginError(
                f"authorization error {query['error'][0]}: "
                f"{query.get('error_description', [''])[0]}"
            )
        if query.get("state", [None])[0] != state:
            raise OIDCLoginError("state mismatch in the authorization response")
        code = query["code"][0]
        form_data = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "client_id": client_id,
            "code_verifier": verifier,
        }
        if client_secret:
            form_data["client_secret"] = client_secret
        r = await http.post(meta["token_endpoint"], data=form_data)
        if r.status_code != 200:
            raise OIDCLoginError(f"token endpoint answered {r.status_code}: {r.text[:500]}")
        tokens = r.json()
        if "id_token" in tokens and jwt_claims(tokens["id_token"]).get("nonce") not in (
            None,
            nonce,
        ):
            raise OIDCLoginError("nonce mismatch in the id_token")
        return tokens


async def client_credentials(
    issuer: str, client_id: str, secret: str, *, scope: str | None = None, timeout: float = 15.0
) -> dict[str, Any]:
    """Client credentials grant (client_secret_basic); returns the token response."""
    async with httpx.AsyncClient(timeout=timeout) as http:
        meta = await discover(issuer, client=http)
        data = {"grant_type": "client_credentials"}
        if scope:
            data["scope"] = scope
        r = await http.post(meta["token_endpoint"], data=data, auth=(client_id, secret))
        if r.status_code != 200:
            raise OIDCLoginError(f"token endpoint answered {r.status_code}: {r.text[:500]}")
        return r.json()


async def refresh(
    issuer: str, client_id: str, refresh_token: str, *, client_secret: str | None = None
) -> dict[str, Any]:
    """Refresh token grant; returns the token response."""
    async with httpx.AsyncClient(timeout=15) as http:
        meta = await discover(issuer, client=http)
        data = {
            "grant_type": "refresh_token",
            "refresh_token": refresh_token,
            "client_id": client_id,
        }
        if client_secret:
            data["client_secret"] = client_secret
        r = await http.post(meta["token_endpoint"], data=data)
        if r.status_code != 200:
            raise OIDCLoginError(f"token endpoint answered {r.status_code}: {r.text[:500]}")
        return r.json()


def login_sync(*args: Any, **kwargs: Any) -> dict[str, Any]:
    """`login` for synchronous code (not from inside a running event loop)."""
    return asyncio.run(login(*args, **kwargs))


def client_credentials_sync(*args: Any, **kwargs: Any) -> dict[str, Any]:
    """`client_credentials` for synchronous code."""
    return asyncio.run(client_credentials(*args, **kwargs))


def jwt_claims(token: str) -> dict[str, Any]:
    """The payload of a JWT, NOT verified (for assertions in tests)."""
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def verify_access_token(issuer: str, token: str, audience: str = "ktxh-api") -> dict[str, Any]:
    """Verify a JWT's signature against the issuer's JWKS, plus iss, aud and exp; return claims."""
    import time

    from jwcrypto import jwk, jwt

    meta = httpx.get(issuer.rstrip("/") + "/.well-known/openid-configuration", timeout=10).json()
    keys = jwk.JWKSet.from_json(httpx.get(meta["jwks_uri"], timeout=10).text)
    checked = jwt.JWT(jwt=token, key=keys, algs=["RS256", "ES256", "PS256"])
    claims = json.loads(checked.claims)
    if claims.get("iss") != issuer:
        raise ValueError(f"iss {claims.get('iss')!r} != {issuer!r}")
    aud = claims.get("aud")
    if audience not in (aud if isinstance(aud, list) else [aud]):
        raise ValueError(f"aud {aud!r} does not contain {audience!r}")
    if claims.get("exp", 0) <= time.time():
        raise ValueError("token expired")
    return claims
