"""REST for the catalogs: ``/api/v1/indicators``, ``/indicator-sets``, ``/key-tasks``,
``/thematic-plans``, ``/criteria-sets``, ``/period-targets``, ``/report-templates``,
``/calendars``. The same eight operations for each (list, get, create, replace, patch,
retire, history), translated to the catalog's gRPC API; items are addressed by their code.

Annotations here are real objects (no ``from __future__ import annotations``): the models are
built per catalog at import time and FastAPI reads them from the closures.
"""

import json
from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Header, Path, Query, Request, Response
from google.protobuf import field_mask_pb2
from pydantic import BaseModel, ConfigDict, Field, create_model

from ktxh.catalog.v1 import catalog_pb2
from ktxh_gateway.auth import CurrentUser
from ktxh_gateway.catalog.common import CatalogEditor, CodePath, call, etag, expected_version
from ktxh_gateway.catalog.convert import (
    dump_for_pb,
    fill,
    is_date_field,
    model_for,
    rest_enum,
    to_json,
)
from ktxh_gateway.catalog.resources import RESOURCES, Resource
from ktxh_gateway import limits
from ktxh_gateway.problems import PROBLEM_RESPONSES, FieldError, ProblemError

GENERIC_FILTERS = ("query", "as_of", "include_retired", "page_size", "page_token")


class Retire(BaseModel):
    """Ngừng sử dụng một mục danh mục (không xóa: số liệu đã báo cáo vẫn giữ định nghĩa cũ)."""

    model_config = ConfigDict(extra="forbid")

    valid_to: limits.Day | None = Field(default=None, description="Ngày cuối còn hiệu lực; trống = hôm nay")
    reason: limits.Text1000 = Field(default="", description="Lý do (lưu trong lịch sử)")


class Revision(BaseModel):
    """Một phiên bản của mục danh mục, với ngày hiệu lực."""

    number: int = Field(description="Số phiên bản (1 = khi tạo)")
    action: str = Field(description="created, revised, retired hoặc reinstated")
    valid_from: date | None = Field(description="Hiệu lực từ ngày")
    valid_to: date | None = Field(description="Hiệu lực đến ngày (trống = còn hiệu lực)")
    retired: bool
    superseded: bool = Field(description="Bị thay thế ngay trong ngày bắt đầu (chưa từng có hiệu lực)")
    author: str
    recorded_at: datetime | None = Field(description="Thời điểm ghi nhận")
    reason: str
    changed_fields: list[str] = Field(description="Các trường thay đổi so với phiên bản trước "
                                      "(tên theo định dạng nhập/xuất JSON)")
    definition: dict[str, Any] = Field(description="Toàn bộ định nghĩa của phiên bản "
                                       "(định dạng nhập/xuất JSON)")


class History(BaseModel):
    id: str
    kind: str
    code: str
    revisions: list[Revision]


def _filters_model(res: Resource) -> type[BaseModel]:
    """The list's query parameters, from the List request (aliases such as ``group``)."""
    desc = res.request("List").DESCRIPTOR
    reverse = {v: k for k, v in res.aliases.items()}
    fields: dict[str, Any] = {
        "q": (limits.Text200, Field(default="",
                         description="Tìm theo mã/tên, không phân biệt dấu và chữ hoa (\"ho ngheo\")")),
        "as_of": (limits.Day | None, Field(default=None, description="Chỉ các mục có hiệu lực tại ngày này; "
                                     "trống = hôm nay")),
        "include_retired": (bool, Field(default=False, description="Gồm cả các mục đã ngừng sử dụng")),
        "page_size": (int, Field(default=100, ge=1, le=500, description="Số mục mỗi trang")),
        "page_token": (str, Field(default="", max_length=200, pattern=limits.PAGE_TOKEN_PATTERN,
                                  description="Mã trang tiếp theo (next_page_token)")),
    }
    for f in desc.fields:
        if f.name in GENERIC_FILTERS:
            continue
        name = reverse.get(f.name, f.name)
        doc = (f"Lọc theo {f.name}" if name == f.name else f"Lọc theo {f.name} (mã hoặc id)")
        if f.enum_type is not None:
            tp: Any = rest_enum(f.enum_type) | None
        elif f.type == f.TYPE_INT32:
            tp = limits.integer(limits.INT32) | None
        elif f.type == f.TYPE_INT64:
            tp = limits.integer(limits.INT64) | None
        elif f.type == f.TYPE_BOOL:
            tp = bool | None
        elif is_date_field(f.name):
            tp = limits.Day | None
        else:
            tp = limits.Text200 | None
        fields[name] = (tp, Field(default=None, description=doc))
    return create_model(f"{res.rpc}ListQuery", __config__=ConfigDict(extra="forbid"), **fields)


def _page_model(res: Resource) -> type[BaseModel]:
    item = model_for(res.message.DESCRIPTOR)
    return create_model(
        f"{res.rpc}Page",
        items=(list[item], Field(description="Các mục của trang, theo mã")),  # type: ignore[valid-type]
        next_page_token=(str, Field(description="Trống ở trang cuối")),
        total=(int, Field(description="Tổng số mục phù hợp (mọi trang)")),
    )


def _revise_model(res: Resource, mode: str) -> type[BaseModel]:
    base = model_for(res.message.DESCRIPTOR, mode)
    extra: dict[str, Any] = {"reason": (limits.Text1000, Field(default="", description="Lý do thay đổi"))}
    if "effective_from" in res.request("Update").DESCRIPTOR.fields_by_name:
        extra["effective_from"] = (
            limits.Day | None,
            Field(default=None, description="Hiệu lực từ ngày: các kỳ trước ngày này vẫn đọc phiên bản cũ; "
                  "trống = hôm nay"),
        )
    return create_model(f"{res.rpc}{'Replace' if mode == 'in' else 'Patch'}Body", __base__=base, **extra)


def _list_request(res: Resource, query: BaseModel) -> Any:
    data = query.model_dump()
    msg = res.request("List")()
    msg.query = data.pop("q")
    msg.as_of = data.pop("as_of").isoformat() if data.get("as_of") else ""
    msg.include_retired = data.pop("include_retired")
    msg.page_size = data.pop("page_size")
    msg.page_token = data.pop("page_token")
    fill(msg, {res.aliases.get(k, k): v for k, v in data.items() if v is not None})
    return msg


def build_router(res: Resource) -> APIRouter:
    router = APIRouter(prefix=f"/api/v1/{res.path}", tags=[res.tag], responses=PROBLEM_RESPONSES)
    Item = model_for(res.message.DESCRIPTOR)
    ItemIn = model_for(res.message.DESCRIPTOR, "in")
    Page = _page_model(res)
    Query_ = _filters_model(res)
    ReplaceBody = _revise_model(res, "in")
    PatchBody = _revise_model(res, "patch")
    writable = [n for n in ItemIn.model_fields]
    noun = res.noun
    example = {"value": res.examples} if res.examples else None

    async def get_item(request: Request, principal: Any, code: str, as_of: date | None = None) -> Any:
        return await call(
            request, principal, f"Get{res.rpc}",
            res.request("Get")(id=code, as_of=as_of.isoformat() if as_of else ""),
        )

    def respond(response: Response, item: Any) -> dict[str, Any]:
        response.headers["ETag"] = etag(item.version)
        return to_json(item)

    @router.get("", response_model=Page, summary=f"Danh sách {noun} (lọc, tìm không dấu, phân trang)")
    async def list_items(
        request: Request, principal: CurrentUser, query: Annotated[Query_, Query()],
    ) -> dict[str, Any]:
        r = await call(request, principal, f"List{res.plural}", _list_request(res, query))
        return {
            "items": [to_json(i) for i in getattr(r, res.list_field)],
            "next_page_token": r.next_page_token,
            "total": r.total_size,
        }

    @router.get("/{code}", response_model=Item, summary=f"Một {noun} (theo mã, tại một ngày)")
    async def get_one(
        request: Request, response: Response, principal: CurrentUser,
        code: CodePath,
        as_of: Annotated[limits.Day | None, Query(description="Phiên bản có hiệu lực tại ngày này; trống = hiện hành")] = None,
    ) -> dict[str, Any]:
        return respond(response, await get_item(request, principal, code, as_of))

    @router.post("", response_model=Item, status_code=201, summary=f"Thêm {noun}")
    async def create(
        request: Request, response: Response, principal: CatalogEditor,
        body: Annotated[ItemIn, Body(openapi_examples={"example": example} if example else None)],
        idempotency_key: Annotated[str | None, Header(max_length=200, description="Khóa chống tạo trùng khi gửi lại")] = None,
    ) -> dict[str, Any]:
        msg = fill(res.message(), dump_for_pb(body))
        item = await call(
            request, principal, f"Create{res.rpc}",
            res.request("Create")(**{res.field: msg}, idempotency_key=idempotency_key or ""),
            prefix=res.field,
        )
        response.headers["Location"] = f"/api/v1/{res.path}/{item.code}" if hasattr(item, "code") else ""
        return respond(response, item)

    async def update(
        request: Request, principal: Any, code: str, if_match: str | None, body: BaseModel, paths: list[str],
    ) -> Any:
        version = expected_version(if_match, noun)
        if not paths:
            raise ProblemError(422, "Không có trường nào để sửa",
                               errors=[FieldError(field="body", message="Cần ít nhất một trường cần sửa")])
        current = await get_item(request, principal, code)
        data = dump_for_pb(body, exclude_unset=False)
        msg = fill(res.message(), {k: v for k, v in data.items() if k in paths})
        msg.id = current.id
        kwargs: dict[str, Any] = {
            res.field: msg,
            "update_mask": field_mask_pb2.FieldMask(paths=paths),
            "expected_version": version,
            "reason": getattr(body, "reason", ""),
        }
        effective_from = getattr(body, "effective_from", None)
        if effective_from is not None:
            kwargs["effective_from"] = effective_from.isoformat()
        return await call(request, principal, f"Update{res.rpc}", res.request("Update")(**kwargs), prefix=res.field)

    @router.patch("/{code}", response_model=Item,
                  summary=f"Sửa {noun} từ một ngày hiệu lực (chỉ các trường gửi lên)")
    async def patch(
        request: Request, response: Response, principal: CatalogEditor,
        code: CodePath, body: PatchBody,
        if_match: Annotated[str | None, Header(description='Phiên bản đã đọc: "<version>" (ETag)')] = None,
    ) -> dict[str, Any]:
        if "code" in body.model_fields_set and getattr(body, "code", code) != code:
            raise ProblemError(422, "Không được đổi mã", errors=[FieldError(field="code", message="Mã phải giữ nguyên")])
        paths = [k for k in body.model_fields_set if k in writable and k != "code"]
        return respond(response, await update(request, principal, code, if_match, body, paths))

    @router.put("/{code}", response_model=Item, summary=f"Thay toàn bộ định nghĩa {noun} từ một ngày hiệu lực")
    async def replace(
        request: Request, response: Response, principal: CatalogEditor,
        code: CodePath, body: ReplaceBody,
        if_match: Annotated[str | None, Header(description='Phiên bản đã đọc: "<version>" (ETag)')] = None,
    ) -> dict[str, Any]:
        if getattr(body, "code", code) not in ("", code):
            raise ProblemError(422, "Không được đổi mã", errors=[FieldError(field="code", message="Mã phải giữ nguyên")])
        paths = [k for k in writable if k != "code"]
        return respond(response, await update(request, principal, code, if_match, body, paths))

    @router.post("/{code}/retire", response_model=Item, summary=f"Ngừng sử dụng {noun}")
    async def retire(
        request: Request, response: Response, principal: CatalogEditor,
        code: CodePath, body: Retire | None = None,
        if_match: Annotated[str | None, Header(description='Phiên bản đã đọc: "<version>" (ETag)')] = None,
    ) -> dict[str, Any]:
        version = expected_version(if_match, noun)
        body = body or Retire()
        current = await get_item(request, principal, code)
        item = await call(
            request, principal, f"Retire{res.rpc}",
            res.request("Retire")(
                id=current.id, expected_version=version,
                valid_to=body.valid_to.isoformat() if body.valid_to else "", reason=body.reason,
            ),
        )
        return respond(response, item)

    @router.get("/{code}/history", response_model=History,
                summary=f"Lịch sử thay đổi của {noun}: mọi phiên bản với ngày hiệu lực")
    async def history(request: Request, principal: CurrentUser, code: CodePath) -> dict[str, Any]:
        current = await get_item(request, principal, code)
        r = await call(request, principal, "ListRevisions", catalog_pb2.ListRevisionsRequest(id=current.id))
        return {"id": r.id, "kind": r.kind, "code": r.code, "revisions": [_revision(v) for v in r.revisions]}

    return router


def _revision(v: Any) -> dict[str, Any]:
    try:
        definition = json.loads(v.definition_json) if v.definition_json else {}
    except ValueError:
        definition = {}
    return {
        "number": v.number, "action": v.action,
        "valid_from": v.valid_from or None, "valid_to": v.valid_to or None,
        "retired": v.retired,
        "superseded": bool(v.valid_to and v.valid_from and v.valid_to < v.valid_from),
        "author": v.author,
        "recorded_at": v.recorded_at.ToDatetime(tzinfo=UTC) if v.HasField("recorded_at") else None,
        "reason": v.reason, "changed_fields": list(v.changed_fields), "definition": definition,
    }


routers = [build_router(r) for r in RESOURCES]
