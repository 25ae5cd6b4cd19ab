"""RFC 9457 problem details: one exception type carrying its status, one set of handlers.

Every error the API returns is ``application/problem+json`` with a Vietnamese ``title``;
422 responses list each invalid field in ``errors``.
"""

from __future__ import annotations

from typing import Any

import grpc
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from google.rpc import error_details_pb2
from grpc_status import rpc_status
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from ktxh_platform.auth.principal import AuthenticationError, AuthorizationError
from ktxh_platform.auth.validator import IdentityProviderUnavailable

# Seconds a client should wait before retrying a 503 (identity provider or a service down).
RETRY_AFTER_SECONDS = 10

PROBLEM = "application/problem+json"
TYPE_BASE = "https://ktxh.gov.vn/problems/"


class FieldError(BaseModel):
    field: str
    message: str


class Problem(BaseModel):
    """Problem details (RFC 9457)."""

    type: str
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    errors: list[FieldError] | None = None


PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"model": Problem, "content": {PROBLEM: {}}, "description": title}
    for code, title in [
        (400, "Yêu cầu không đọc được (JSON hoặc biểu mẫu hỏng)"),
        (401, "Chưa đăng nhập hoặc mã truy cập không hợp lệ"),
        (403, "Không có quyền"),
        (404, "Không tìm thấy"),
        (409, "Xung đột dữ liệu"),
        (412, "Dữ liệu đã bị người khác thay đổi"),
        (413, "Nội dung gửi lên quá lớn"),
        (422, "Dữ liệu không hợp lệ"),
        (428, "Thiếu điều kiện If-Match"),
        (503, "Dịch vụ tạm thời không sẵn sàng"),
    ]
}

TITLES = {
    400: ("bad-request", "Yêu cầu không hợp lệ"),
    401: ("unauthenticated", "Chưa đăng nhập hoặc mã truy cập không hợp lệ"),
    403: ("forbidden", "Không có quyền thực hiện thao tác này"),
    404: ("not-found", "Không tìm thấy"),
    405: ("method-not-allowed", "Phương thức không được hỗ trợ"),
    409: ("conflict", "Xung đột dữ liệu"),
    412: ("precondition-failed", "Dữ liệu đã bị người khác thay đổi"),
    413: ("content-too-large", "Nội dung gửi lên quá lớn"),
    422: ("validation", "Dữ liệu không hợp lệ"),
    428: ("precondition-required", "Cần gửi kèm If-Match với phiên bản hiện tại"),
    500: ("internal", "Lỗi hệ thống"),
    503: ("unavailable", "Dịch vụ tạm thời không sẵn sàng"),
    504: ("timeout", "Dịch vụ phản hồi quá chậm"),
}

GRPC_TO_HTTP = {
    grpc.StatusCode.INVALID_ARGUMENT: 422,
    grpc.StatusCode.NOT_FOUND: 404,
    grpc.StatusCode.ALREADY_EXISTS: 409,
    grpc.StatusCode.FAILED_PRECONDITION: 409,
    grpc.StatusCode.ABORTED: 412,
    grpc.StatusCode.PERMISSION_DENIED: 403,
    grpc.StatusCode.UNAUTHENTICATED: 401,
    grpc.StatusCode.UNAVAILABLE: 503,
    grpc.StatusCode.DEADLINE_EXCEEDED: 504,
    grpc.StatusCode.UNIMPLEMENTED: 501,
    grpc.StatusCode.RESOURCE_EXHAUSTED: 413,  # a message over the gRPC size limit
}


class ProblemError(Exception):
    def __init__(
        self,
        status: int,
        detail: str | None = None,
        *,
        errors: list[FieldError] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = errors
        self.headers = headers or {}


def problem_response(
    request: Request,
    status: int,
    detail: str | None = None,
    errors: list[FieldError] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    slug, title = TITLES.get(status, ("error", "Lỗi"))
    body = Problem(
        type=TYPE_BASE + slug, title=title, status=status, detail=detail,
        instance=request.url.path, errors=errors,
    )
    return JSONResponse(
        body.model_dump(exclude_none=True), status_code=status, media_type=PROBLEM,
        headers=headers,
    )


def from_grpc(err: grpc.aio.AioRpcError) -> ProblemError:
    """A service's gRPC status (with field violations) as a problem."""

    status = GRPC_TO_HTTP.get(err.code(), 500)
    errors: list[FieldError] = []
    try:
        rich = rpc_status.from_call(err)  # type: ignore[arg-type]
    except ValueError:  # details lost on the way (e.g. trailers over the size limit)
        rich = None
    if rich is not None:
        for detail in rich.details:
            bad = error_details_pb2.BadRequest()
            if detail.Unpack(bad):
                errors += [FieldError(field=v.field, message=v.description) for v in bad.field_violations]
    detail = err.details() if status < 500 else TITLES.get(status, ("", "Lỗi hệ thống"))[1]
    return ProblemError(status, detail, errors=errors or None)


def _field_path(loc: tuple[Any, ...]) -> str:
    if len(loc) == 2 and loc[0] == "body" and isinstance(loc[1], int):  # JSON syntax error
        return "body"
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "body"


_PYDANTIC_VI = {
    "missing": "Trường bắt buộc",
    "string_too_short": "Không được để trống",
    "string_too_long": "Quá dài",
    "string_type": "Phải là chuỗi ký tự",
    "int_parsing": "Phải là số nguyên",
    "int_type": "Phải là số nguyên",
    "enum": "Giá trị không hợp lệ",
    "literal_error": "Giá trị không hợp lệ",
    "date_from_datetime_parsing": "Ngày không hợp lệ (dạng YYYY-MM-DD)",
    "date_parsing": "Ngày không hợp lệ (dạng YYYY-MM-DD)",
    "extra_forbidden": "Trường không được hỗ trợ",
    "json_invalid": "JSON không hợp lệ",
    "model_attributes_type": "Phải là một đối tượng JSON",
    "greater_than_equal": "Giá trị quá nhỏ",
    "less_than_equal": "Giá trị quá lớn",
    "string_pattern_mismatch": "Sai định dạng hoặc chứa ký tự điều khiển",
    "too_long": "Quá nhiều phần tử",
    "too_short": "Cần ít nhất một phần tử",
    "int_from_float": "Phải là số nguyên",
    "bool_parsing": "Phải là true hoặc false",
    "bool_type": "Phải là true hoặc false",
    "float_parsing": "Phải là số",
    "float_type": "Phải là số",
    "list_type": "Phải là một danh sách",
    "dict_type": "Phải là một đối tượng JSON",
    "date_type": "Ngày không hợp lệ (dạng YYYY-MM-DD)",
}


def _pydantic_message(error: dict[str, Any]) -> str:
    """The Vietnamese message of one pydantic error. A text field's length limit that runs
    after its validators (`limits.text`) is reported by pydantic as the generic `too_long`
    ("too many items"): for a text it is a text too long."""
    if error["type"] == "too_long" and isinstance(error.get("input"), str):
        limit = (error.get("ctx") or {}).get("max_length")
        return f"Quá dài (tối đa {limit} ký tự)" if limit is not None else _PYDANTIC_VI["string_too_long"]
    return _PYDANTIC_VI.get(error["type"], error["msg"])


def install(app: FastAPI) -> None:
    @app.exception_handler(ProblemError)
    async def _problem(request: Request, exc: ProblemError) -> JSONResponse:
        return problem_response(request, exc.status, exc.detail, exc.errors, exc.headers)

    @app.exception_handler(AuthenticationError)
    async def _authn(request: Request, exc: AuthenticationError) -> JSONResponse:
        return problem_response(
            request, 401, exc.message,
            headers={"WWW-Authenticate": f'Bearer error="invalid_token", error_description="{exc.reason}"'},
        )

    @app.exception_handler(AuthorizationError)
    async def _authz(request: Request, exc: AuthorizationError) -> JSONResponse:
        return problem_response(request, 403, exc.message)

    @app.exception_handler(IdentityProviderUnavailable)
    async def _idp(request: Request, exc: IdentityProviderUnavailable) -> JSONResponse:
        return problem_response(
            request, 503, "Máy chủ đăng nhập tạm thời không truy cập được, vui lòng thử lại sau.",
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )

    @app.exception_handler(grpc.aio.AioRpcError)
    async def _grpc(request: Request, exc: grpc.aio.AioRpcError) -> JSONResponse:
        p = from_grpc(exc)
        headers = {"Retry-After": str(RETRY_AFTER_SECONDS)} if p.status == 503 else None
        return problem_response(request, p.status, p.detail, p.errors, headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            FieldError(field=_field_path(tuple(e["loc"])), message=_pydantic_message(e))
            for e in exc.errors()
        ]
        return problem_response(request, 422, "Dữ liệu gửi lên không hợp lệ", errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else None
        headers = dict(getattr(exc, "headers", None) or {})
        if exc.status_code == 405:  # every method of the path, not only the first route's
            headers["Allow"] = ", ".join(_allowed_methods(request))
        if exc.status_code == 400 and detail and "parsing the body" in detail:
            detail = "Không đọc được nội dung gửi lên (JSON hoặc biểu mẫu hỏng)"
        return problem_response(request, exc.status_code, detail, headers=headers or None)


def _allowed_methods(request: Request) -> list[str]:
    """The methods the OpenAPI document lists for the request's path."""
    import re

    methods: set[str] = set()
    for template, operations in request.app.openapi().get("paths", {}).items():
        pattern = "^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(pattern, request.url.path):
            methods |= {m.upper() for m in operations}
    return sorted(methods)
