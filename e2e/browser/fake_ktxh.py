"""A fake KTXH gateway for checking the web UI's logic in a browser.

It serves the real built UI (``gateway/src/ktxh_gateway/static``, from ``gateway/web``) plus:

* ``GET /config.json`` like the gateway;
* a minimal OpenID Connect issuer at ``/realms/ktxh`` (discovery, an HTML login form shaped like
  the built-in development issuer's, authorization code + PKCE S256 with single-use codes,
  refresh tokens, end-session);
* a fake org-unit REST API (``/api/v1/org-units``) with ETag/If-Match, Idempotency-Key and
  ``application/problem+json`` errors as in docs/conventions.md.

Every request the UI makes is recorded on :class:`FakeState` so tests can assert on it.
It is a test double only: tokens are unsigned and nothing here is secure.

Run it by hand to look at the UI: ``uv run python e2e/browser/fake_ktxh.py --port 8765``
(sign in as ``admin`` / ``demo``; ``nhap_lieu`` is a read-only user).
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import secrets
import socket
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Self
from urllib.parse import urlencode

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

# the built UI (scripts/web.py build; `make test` builds it before the tests run)
WEB_DIR = Path(__file__).resolve().parents[2] / "gateway" / "src" / "ktxh_gateway" / "static"
REALM = "ktxh"
CLIENT_ID = "ktxh-web"
PASSWORD = "demo"
REFORM_DATE = "2025-07-01"  # districts abolished, communes merged

USERS: dict[str, dict[str, Any]] = {
    "admin": {
        "name": "Nguyễn Văn Quản",
        "roles": ["province_admin", "system_admin", "default-roles-ktxh", "offline_access"],
        "org_unit": "31",
    },
    "nhap_lieu": {
        "name": "Trần Thị Nhập",
        "roles": ["data_entry"],
        "org_unit": "31016-PKT",
    },
}

AGENCIES = [
    ("STC", "Sở Tài chính"),
    ("SNV", "Sở Nội vụ"),
    ("SYT", "Sở Y tế"),
    ("SGDDT", "Sở Giáo dục và Đào tạo"),
    ("SXD", "Sở Xây dựng"),
    ("SCT", "Sở Công Thương"),
    ("SNNMT", "Sở Nông nghiệp và Môi trường"),
    ("SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch"),
    ("SKHCN", "Sở Khoa học và Công nghệ"),
    ("STP", "Sở Tư pháp"),
]

COMMUNES = [
    "Phường Hồng Bàng",
    "Phường Hồng An",
    "Phường Ngô Quyền",
    "Phường Gia Viên",
    "Phường Lê Chân",
    "Phường An Biên",
    "Phường Hải An",
    "Phường Đông Hải",
    "Phường Kiến An",
    "Phường Phù Liễn",
    "Phường Đồ Sơn",
    "Phường Nam Đồ Sơn",
    "Phường Dương Kinh",
    "Phường Hưng Đạo",
    "Phường An Dương",
    "Xã Hà Tây",
    "Phường Thủy Nguyên",
    "Phường Thiên Hương",
    "Phường Hòa Bình",
    "Phường Nam Triệu",
    "Phường Bạch Đằng",
    "Phường Lưu Kiếm",
    "Phường Lê Ích Mộc",
    "Phường Hải Dương",
    "Phường Lê Thanh Nghị",
    "Phường Việt Hòa",
    "Phường Thành Đông",
    "Phường Nam Đồng",
    "Phường Tân Hưng",
    "Phường Thạch Khôi",
    "Phường Tứ Minh",
    "Phường Ái Quốc",
    "Phường Chu Văn An",
    "Phường Chí Linh",
    "Phường Trần Hưng Đạo",
    "Phường Nguyễn Trãi",
    "Phường Trần Nhân Tông",
    "Phường Lê Đại Hành",
    "Phường Kinh Môn",
    "Xã Kiến Thụy",
    "Xã Kiến Minh",
    "Xã Kiến Hải",
    "Xã Kiến Hưng",
    "Xã Nghi Dương",
    "Xã Quyết Thắng",
    "Xã Tiên Lãng",
    "Xã Tân Minh",
    "Xã Tiên Minh",
    "Xã Chấn Hưng",
    "Xã Hùng Thắng",
    "Xã Vĩnh Bảo",
    "Xã Nguyễn Bỉnh Khiêm",
    "Xã Vĩnh Am",
    "Xã Vĩnh Hải",
    "Xã Vĩnh Hòa",
    "Xã Vĩnh Thịnh",
    "Xã Vĩnh Thuận",
    "Xã Việt Khê",
    "Xã An Lão",
    "Xã An Trường",
    "Xã An Hưng",
    "Xã An Khánh",
    "Xã An Quang",
    "Xã Gia Lộc",
    "Xã Yết Kiêu",
    "Xã Thanh Hà",
    "Xã Hà Đông",
    "Xã Cẩm Giàng",
    "Xã Tuệ Tĩnh",
    "Xã Mao Điền",
    "Xã Bình Giang",
    "Xã Đường An",
    "Xã Thượng Hồng",
    "Xã Nam Sách",
    "Xã Thái Tân",
    "Xã Hợp Tiến",
    "Xã Trần Phú",
    "Xã Ninh Giang",
    "Xã Khúc Thừa Dụ",
    "Xã Tứ Kỳ",
    "Xã Đại Sơn",
    "Xã Thanh Miện",
    "Xã Bắc Thanh Miện",
    "Xã Kim Thành",
    "Xã Phú Thái",
    "Đặc khu Cát Hải",
    "Đặc khu Bạch Long Vĩ",
]

OFFICES = [
    ("VP", "Văn phòng HĐND và UBND"),
    ("PKT", "Phòng Kinh tế"),
    ("PVHXH", "Phòng Văn hóa - Xã hội"),
    ("TTHCC", "Trung tâm Phục vụ hành chính công"),
]

LAZY_CODE = "31087"  # Đặc khu Bạch Long Vĩ: its children are left out of /tree (lazy loading)


def _uid(code: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"ktxh-unit:{code}"))


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _jwt(payload: dict[str, Any]) -> str:
    header = _b64url(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    body = _b64url(json.dumps(payload, ensure_ascii=False).encode())
    return f"{header}.{body}.{_b64url(b'fake-signature')}"


def s256(verifier: str) -> str:
    return _b64url(hashlib.sha256(verifier.encode()).digest())


def problem(
    status: int,
    title: str,
    detail: str = "",
    errors: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    if errors is not None:
        body["errors"] = errors
    return JSONResponse(
        body, status_code=status, media_type="application/problem+json", headers=headers
    )


def seed_units() -> dict[str, dict[str, Any]]:
    units: dict[str, dict[str, Any]] = {}

    def add(
        code: str,
        name: str,
        kind: str,
        parent: str | None,
        *,
        short_name: str = "",
        valid_from: str = "2025-07-01",
        valid_to: str | None = None,
        successors: list[str] | None = None,
    ) -> None:
        units[_uid(code)] = {
            "id": _uid(code),
            "code": code,
            "name": name,
            "short_name": short_name,
            "kind": kind,
            "parent_id": _uid(parent) if parent else None,
            "province_code": "31",
            "valid_from": valid_from,
            "valid_to": valid_to,
            "version": 1,
            "successor_ids": [_uid(s) for s in successors or []],
            "updated_at": "2025-07-01T00:00:00Z",
        }

    add(
        "31",
        "Thành phố Hải Phòng",
        "province",
        None,
        short_name="Hải Phòng",
        valid_from="2010-01-01",
    )
    for suffix, name in AGENCIES:
        add(f"31-{suffix}", name, "agency", "31")
    add("31-MTTQ", "Ủy ban MTTQ Việt Nam thành phố Hải Phòng", "front", "31")
    for i, name in enumerate(COMMUNES, start=1):
        code = f"310{i:02d}"
        add(code, name, "commune", "31")
        level = name.split(" ")[0].lower() if not name.startswith("Đặc khu") else "đặc khu"
        place = name[len("Đặc khu ") :] if name.startswith("Đặc khu") else name.split(" ", 1)[1]
        for suffix, office in OFFICES:
            add(f"{code}-{suffix}", f"{office} {level} {place}", "office", code)
        add(f"{code}-MTTQ", f"Ủy ban MTTQ {level} {place}", "front", code)
    # History: a district and two communes that were merged into Phường Thủy Nguyên in 2025.
    add(
        "31311",
        "Huyện Thủy Nguyên",
        "district",
        "31",
        valid_from="2010-01-01",
        valid_to=REFORM_DATE,
    )
    add(
        "11737",
        "Xã Lập Lễ",
        "commune",
        "31311",
        valid_from="2010-01-01",
        valid_to=REFORM_DATE,
        successors=["31017"],
    )
    add(
        "11740",
        "Xã Phả Lễ",
        "commune",
        "31311",
        valid_from="2010-01-01",
        valid_to=REFORM_DATE,
        successors=["31017"],
    )
    return units


@dataclass
class FakeState:
    units: dict[str, dict[str, Any]] = field(default_factory=seed_units)
    auth_requests: list[dict[str, str]] = field(default_factory=list)
    token_requests: list[dict[str, str]] = field(default_factory=list)
    logout_requests: list[dict[str, str]] = field(default_factory=list)
    api_requests: list[dict[str, Any]] = field(default_factory=list)
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    access_tokens: dict[str, str] = field(default_factory=dict)  # token → username
    refresh_tokens: dict[str, str] = field(default_factory=dict)  # token → username
    idempotency: dict[str, tuple[int, dict[str, Any]]] = field(default_factory=dict)
    expires_in: int = 300
    lock: threading.Lock = field(default_factory=threading.Lock)

    def unit_by_code(self, code: str) -> dict[str, Any]:
        for unit in self.units.values():
            if unit["code"] == code:
                return unit
        raise KeyError(code)

    def requests(self, method: str, path_prefix: str = "/api/v1") -> list[dict[str, Any]]:
        return [
            r
            for r in self.api_requests
            if r["method"] == method and r["path"].startswith(path_prefix)
        ]


def create_app(state: FakeState, web_dir: Path = WEB_DIR) -> FastAPI:
    app = FastAPI(title="fake ktxh gateway")
    issuer_path = f"/realms/{REALM}"

    def base_url(request: Request) -> str:
        return str(request.base_url).rstrip("/")

    @app.middleware("http")
    async def no_cache(request: Request, call_next):
        response = await call_next(request)
        response.headers["Cache-Control"] = "no-store"
        return response

    # ---------------------------------------------------------------- web app

    @app.get("/")
    @app.get("/callback")
    async def index() -> FileResponse:
        return FileResponse(web_dir / "index.html", media_type="text/html")

    app.mount("/assets", StaticFiles(directory=web_dir / "assets"), name="assets")

    @app.get("/config.json")
    async def config(request: Request) -> dict[str, str]:
        base = base_url(request)
        return {
            "issuer": f"{base}{issuer_path}",
            "client_id": CLIENT_ID,
            "api_base": "/api/v1",
            "realm": REALM,
        }

    # ---------------------------------------------------------------- OIDC issuer

    @app.get(f"{issuer_path}/.well-known/openid-configuration")
    async def discovery(request: Request) -> dict[str, Any]:
        issuer = f"{base_url(request)}{issuer_path}"
        oidc = f"{issuer}/protocol/openid-connect"
        return {
            "issuer": issuer,
            "authorization_endpoint": f"{oidc}/auth",
            "token_endpoint": f"{oidc}/token",
            "end_session_endpoint": f"{oidc}/logout",
            "jwks_uri": f"{oidc}/certs",
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code", "refresh_token"],
            "code_challenge_methods_supported": ["S256"],
            "scopes_supported": ["openid", "profile"],
        }

    def login_page(params: dict[str, str], error: str = "") -> HTMLResponse:
        hidden = "".join(
            f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
            for k, v in params.items()
            if k not in ("username", "password")
        )
        err = f'<p role="alert" class="error">{html.escape(error)}</p>' if error else ""
        return HTMLResponse(f"""<!doctype html><html lang="vi"><head><meta charset="utf-8">
<title>Đăng nhập</title></head><body>
<main><h1>Đăng nhập</h1>{err}
<form method="post">{hidden}
<p><label for="username">Tên đăng nhập</label> <input id="username" name="username" autocomplete="username"></p>
<p><label for="password">Mật khẩu</label> <input id="password" name="password" type="password"></p>
<p><button type="submit">Đăng nhập</button></p>
</form></main></body></html>""")

    def bad_auth_request(params: dict[str, str], request: Request) -> str | None:
        if params.get("response_type") != "code":
            return "response_type phải là code"
        if params.get("client_id") != CLIENT_ID:
            return "client_id không hợp lệ"
        if params.get("redirect_uri") != f"{base_url(request)}/callback":
            return "redirect_uri không hợp lệ"
        if params.get("code_challenge_method") != "S256" or not params.get("code_challenge"):
            return "Thiếu PKCE S256"
        return None

    @app.get(f"{issuer_path}/protocol/openid-connect/auth")
    async def authorize(request: Request) -> Response:
        params = dict(request.query_params)
        state.auth_requests.append(params)
        error = bad_auth_request(params, request)
        if error:
            return HTMLResponse(f"<p>{html.escape(error)}</p>", status_code=400)
        return login_page(params)

    @app.post(f"{issuer_path}/protocol/openid-connect/auth")
    async def authorize_submit(request: Request) -> Response:
        params = {k: str(v) for k, v in (await request.form()).items()}
        error = bad_auth_request(params, request)
        if error:
            return HTMLResponse(f"<p>{html.escape(error)}</p>", status_code=400)
        username = params.get("username", "")
        if username not in USERS or params.get("password") != PASSWORD:
            return login_page(params, "Tên đăng nhập hoặc mật khẩu không đúng.")
        code = secrets.token_urlsafe(24)
        state.codes[code] = {
            "username": username,
            "challenge": params["code_challenge"],
            "nonce": params.get("nonce"),
            "redirect_uri": params["redirect_uri"],
        }
        query = urlencode({"code": code, "state": params.get("state", "")})
        return RedirectResponse(f"{params['redirect_uri']}?{query}", status_code=303)

    def issue_tokens(request: Request, username: str, nonce: str | None) -> dict[str, Any]:
        user = USERS[username]
        now = int(time.time())
        issuer = f"{base_url(request)}{issuer_path}"
        claims = {
            "iss": issuer,
            "sub": _uid(f"user:{username}"),
            "aud": ["ktxh-api"],
            "azp": CLIENT_ID,
            "iat": now,
            "exp": now + state.expires_in,
            "jti": secrets.token_hex(8),
            "preferred_username": username,
            "name": user["name"],
            "realm_access": {"roles": user["roles"]},
            "org_unit": user["org_unit"],
            "province": "31",
        }
        access = _jwt(claims)
        refresh = secrets.token_urlsafe(24)
        id_claims = {
            "iss": issuer,
            "sub": claims["sub"],
            "aud": CLIENT_ID,
            "iat": now,
            "exp": now + 300,
            "name": user["name"],
            "preferred_username": username,
        }
        if nonce:
            id_claims["nonce"] = nonce
        state.access_tokens[access] = username
        state.refresh_tokens[refresh] = username
        return {
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": state.expires_in,
            "refresh_token": refresh,
            "id_token": _jwt(id_claims),
            "scope": "openid profile",
        }

    @app.post(f"{issuer_path}/protocol/openid-connect/token")
    async def token(request: Request) -> JSONResponse:
        form = {k: str(v) for k, v in (await request.form()).items()}
        state.token_requests.append(form)

        def invalid(description: str) -> JSONResponse:
            return JSONResponse(
                {"error": "invalid_grant", "error_description": description}, status_code=400
            )

        if form.get("client_id") != CLIENT_ID:
            return JSONResponse({"error": "invalid_client"}, status_code=401)
        if form.get("grant_type") == "authorization_code":
            grant = state.codes.pop(form.get("code", ""), None)  # single use
            if grant is None:
                return invalid("Mã xác thực không hợp lệ hoặc đã dùng")
            if form.get("redirect_uri") != grant["redirect_uri"]:
                return invalid("redirect_uri không khớp")
            if s256(form.get("code_verifier", "")) != grant["challenge"]:
                return invalid("code_verifier không khớp code_challenge")
            return JSONResponse(issue_tokens(request, grant["username"], grant["nonce"]))
        if form.get("grant_type") == "refresh_token":
            username = state.refresh_tokens.pop(form.get("refresh_token", ""), None)
            if username is None:
                return invalid("Refresh token không hợp lệ")
            return JSONResponse(issue_tokens(request, username, None))
        return JSONResponse({"error": "unsupported_grant_type"}, status_code=400)

    @app.get(f"{issuer_path}/protocol/openid-connect/logout")
    async def logout(request: Request) -> Response:
        params = dict(request.query_params)
        state.logout_requests.append(params)
        target = params.get("post_logout_redirect_uri")
        if target:
            return RedirectResponse(target, status_code=303)
        return HTMLResponse("<p>Đã đăng xuất</p>")

    # ---------------------------------------------------------------- org-unit API

    @app.middleware("http")
    async def api_auth(request: Request, call_next):
        if not request.url.path.startswith("/api/"):
            return await call_next(request)
        body = await request.body()
        auth = request.headers.get("authorization", "")
        token_value = auth.removeprefix("Bearer ").strip()
        state.api_requests.append(
            {
                "method": request.method,
                "path": request.url.path,
                "query": dict(request.query_params),
                "authorization": auth,
                "if_match": request.headers.get("if-match"),
                "idempotency_key": request.headers.get("idempotency-key"),
                "json": json.loads(body) if body else None,
            }
        )
        if token_value not in state.access_tokens:
            return problem(401, "Chưa xác thực", "Access token không hợp lệ hoặc đã hết hạn.")
        request.state.username = state.access_tokens[token_value]
        return await call_next(request)

    def valid_at(unit: dict[str, Any], as_of: str) -> bool:
        return unit["valid_from"] <= as_of and (
            unit["valid_to"] is None or as_of < unit["valid_to"]
        )

    def children_of(parent_id: str | None, as_of: str) -> list[dict[str, Any]]:
        return [
            u for u in state.units.values() if u["parent_id"] == parent_id and valid_at(u, as_of)
        ]

    def as_of_param(request: Request) -> str:
        return request.query_params.get("as_of") or date.today().isoformat()

    @app.get("/api/v1/org-units/tree")
    async def tree(request: Request) -> dict[str, Any]:
        as_of = as_of_param(request)

        def node(unit: dict[str, Any]) -> dict[str, Any]:
            out: dict[str, Any] = {"unit": unit}
            if unit["code"] != LAZY_CODE:
                out["children"] = [node(c) for c in children_of(unit["id"], as_of)]
            return out

        return {"roots": [node(u) for u in children_of(None, as_of)]}

    @app.get("/api/v1/org-units")
    async def list_units(request: Request) -> dict[str, Any]:
        as_of = as_of_param(request)
        parent_id = request.query_params.get("parent_id")
        items = children_of(parent_id, as_of) if parent_id else list(state.units.values())
        if q := request.query_params.get("q", "").strip().upper():
            items = [u for u in items if u["code"].upper().startswith(q) or q in u["name"].upper()]
        size = min(int(request.query_params.get("page_size", 100)), 500)
        start = int(request.query_params.get("page_token") or 0)
        page = items[start : start + size]
        next_token = str(start + size) if start + size < len(items) else ""
        return {"items": page, "next_page_token": next_token, "total": len(items)}

    def editor(request: Request) -> bool:
        roles = USERS[request.state.username]["roles"]
        return "province_admin" in roles or "system_admin" in roles

    @app.get("/api/v1/org-units/{unit_id}")
    async def get_unit(unit_id: str) -> Response:
        unit = state.units.get(unit_id)
        if unit is None:
            return problem(404, "Không tìm thấy đơn vị")
        return JSONResponse(unit, headers={"ETag": f'"{unit["version"]}"'})

    @app.post("/api/v1/org-units")
    async def create_unit(request: Request) -> Response:
        if not editor(request):
            return problem(403, "Không có quyền", "Bạn không có quyền thêm đơn vị.")
        key = request.headers.get("idempotency-key")
        if not key:
            return problem(400, "Thiếu Idempotency-Key")
        with state.lock:
            if key in state.idempotency:
                status, unit = state.idempotency[key]
                return JSONResponse(
                    unit, status_code=status, headers={"ETag": f'"{unit["version"]}"'}
                )
            data = await request.json()
            errors = []
            code = str(data.get("code") or "").strip()
            if not code:
                errors.append({"field": "code", "message": "Mã đơn vị là bắt buộc."})
            elif any(u["code"] == code for u in state.units.values()):
                errors.append({"field": "code", "message": f"Mã đơn vị “{code}” đã tồn tại."})
            if not str(data.get("name") or "").strip():
                errors.append({"field": "name", "message": "Tên đơn vị là bắt buộc."})
            if data.get("kind") not in (
                "province",
                "district",
                "commune",
                "agency",
                "office",
                "front",
            ):
                errors.append({"field": "kind", "message": "Loại đơn vị không hợp lệ."})
            parent_id = data.get("parent_id")
            if parent_id and parent_id not in state.units:
                errors.append({"field": "parent_id", "message": "Đơn vị cha không tồn tại."})
            if errors:
                return problem(
                    422,
                    "Dữ liệu không hợp lệ",
                    "Vui lòng kiểm tra các trường được đánh dấu.",
                    errors,
                )
            unit = {
                "id": str(uuid.uuid4()),
                "code": code,
                "name": data["name"].strip(),
                "short_name": data.get("short_name") or "",
                "kind": data["kind"],
                "parent_id": parent_id,
                "province_code": "31",
                "valid_from": data.get("valid_from") or date.today().isoformat(),
                "valid_to": None,
                "version": 1,
                "successor_ids": [],
                "updated_at": _now(),
            }
            state.units[unit["id"]] = unit
            state.idempotency[key] = (201, unit)
        return JSONResponse(
            unit,
            status_code=201,
            headers={"ETag": f'"{unit["version"]}"', "Location": f"/api/v1/org-units/{unit['id']}"},
        )

    @app.patch("/api/v1/org-units/{unit_id}")
    async def update_unit(unit_id: str, request: Request) -> Response:
        if not editor(request):
            return problem(403, "Không có quyền", "Bạn không có quyền sửa đơn vị.")
        unit = state.units.get(unit_id)
        if unit is None:
            return problem(404, "Không tìm thấy đơn vị")
        if_match = request.headers.get("if-match")
        if not if_match:
            return problem(428, "Thiếu If-Match", "Cần gửi phiên bản hiện tại của đơn vị.")
        if if_match.strip() != f'"{unit["version"]}"':
            return problem(412, "Phiên bản không khớp", "Đơn vị đã bị thay đổi.")
        data = await request.json()
        name = data.get("name")
        if name is not None:
            name = str(name).strip()
            if not name:
                return problem(
                    422,
                    "Dữ liệu không hợp lệ",
                    "",
                    [{"field": "name", "message": "Tên đơn vị là bắt buộc."}],
                )
            if "<" in name or ">" in name:
                return problem(
                    422,
                    "Dữ liệu không hợp lệ",
                    "Tên đơn vị có ký tự không được phép.",
                    [{"field": "name", "message": "Tên đơn vị không được chứa ký tự < hoặc >."}],
                )
            unit["name"] = name
        if data.get("short_name") is not None:
            unit["short_name"] = data["short_name"]
        unit["version"] += 1
        unit["updated_at"] = _now()
        return JSONResponse(unit, headers={"ETag": f'"{unit["version"]}"'})

    return app


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class FakeServer:
    """Runs the fake on 127.0.0.1:<free port> in a background thread."""

    def __init__(self, port: int | None = None) -> None:
        self.state = FakeState()
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            create_app(self.state),
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            lifespan="off",
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True, name="fake-ktxh")

    def reset(self) -> None:
        fresh = FakeState()
        for name in (
            "units",
            "auth_requests",
            "token_requests",
            "logout_requests",
            "api_requests",
            "codes",
            "access_tokens",
            "refresh_tokens",
            "idempotency",
            "expires_in",
        ):
            setattr(self.state, name, getattr(fresh, name))

    def __enter__(self) -> Self:
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("fake server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    uvicorn.run(create_app(FakeState()), host="127.0.0.1", port=args.port)
