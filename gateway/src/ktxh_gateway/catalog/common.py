"""What every catalog endpoint shares: the editor role, ETags, calling the catalog service."""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated, Any, TypeVar
from urllib.parse import quote

import grpc
from fastapi import Depends, Request

from ktxh_gateway import limits
from ktxh_gateway.auth import allowed
from ktxh_gateway.problems import FieldError, ProblemError, from_grpc
from ktxh_platform.access import Action, Resource
from ktxh_platform.auth.principal import Principal

T = TypeVar("T")

# Only the roles the access policy grants `catalog:write` change catalogs (docs/security.md).
CatalogEditor = Annotated[Principal, Depends(allowed(Resource.CATALOG, Action.WRITE))]

CodePath = limits.path_text(80, description="Mã (code) của mục danh mục", examples=["HP2081.XIII.11"])

PERIOD_CODE = re.compile(r"^\d{4}(-(M(0[1-9]|1[0-2])|Q[1-4]|H[12]|9M))?$|^\d{4}-\d{4}$|^@\d{4}-\d{2}-\d{2}$")


def etag(version: int) -> str:
    return f'"{version}"'


def expected_version(if_match: str | None, noun: str) -> int:
    """The version the client last read, from ``If-Match: "<version>"`` (required)."""
    if not if_match:
        raise ProblemError(428, f"Cần gửi If-Match với phiên bản {noun} (ETag) đã đọc")
    value = if_match.strip().removeprefix("W/").strip('"')
    if not value.isdigit() or int(value) < 1:
        raise ProblemError(
            412, "If-Match không khớp định dạng phiên bản",
            errors=[FieldError(field="If-Match", message='Phải là ETag dạng "<số phiên bản>"')],
        )
    return int(value)


def _rewrite_field(name: str, prefix: str) -> str:
    for p in (prefix + ".", "body." + prefix + ".", "body."):
        if prefix and name.startswith(p):
            return name[len(p):]
    return name


async def call(request: Request, principal: Principal, rpc: str, message: Any, *, prefix: str = "") -> Any:
    """Call ``CatalogService.<rpc>`` as ``principal``; a gRPC error becomes a problem whose
    field names are relative to the REST body (``indicator.numerator_code`` -> ``numerator_code``)."""
    clients = request.app.state.clients
    method = getattr(clients.catalog, rpc)
    try:
        return await method(message, **clients.call_options(principal))
    except grpc.aio.AioRpcError as err:
        problem = from_grpc(err)
        if problem.errors and prefix:
            for e in problem.errors:
                e.field = _rewrite_field(e.field, prefix)
        raise problem from None



def fold(text: str) -> str:
    """ASCII fallback of a Vietnamese text ("Bộ chỉ số" -> "Bo chi so")."""
    text = text.replace("đ", "d").replace("Đ", "D")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def content_disposition(filename: str) -> str:
    """RFC 6266 ``attachment`` with an ASCII ``filename`` and the UTF-8 ``filename*``."""
    ascii_name = re.sub(r'[^A-Za-z0-9 ._()-]+', "_", fold(filename)).strip() or "download"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"
