"""REST for org units: ``/api/v1/org-units``. Translates HTTP to the catalog's gRPC API."""

from __future__ import annotations

from datetime import UTC, date
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request, Response

from ktxh.catalog.v1 import catalog_pb2
from ktxh_gateway import limits
from ktxh_gateway.auth import CurrentUser, UnitAdmin
from ktxh_gateway.org_units.schemas import (
    OrgUnit,
    OrgUnitCreate,
    OrgUnitKind,
    OrgUnitMerge,
    OrgUnitMergeResult,
    OrgUnitMove,
    OrgUnitPage,
    OrgUnitPatch,
    OrgUnitTree,
)
from ktxh_gateway.problems import PROBLEM_RESPONSES, FieldError, ProblemError

UnitId = limits.path_text(36, description="Id của đơn vị")

router = APIRouter(prefix="/api/v1/org-units", tags=["Đơn vị (org units)"], responses=PROBLEM_RESPONSES)


def _kind_pb(kind: OrgUnitKind | None) -> int:
    return catalog_pb2.OrgUnitKind.Value(f"ORG_UNIT_KIND_{kind.name.upper()}") if kind else 0


def to_schema(u: catalog_pb2.OrgUnit) -> OrgUnit:
    kind = catalog_pb2.OrgUnitKind.Name(u.kind).removeprefix("ORG_UNIT_KIND_").lower()
    return OrgUnit(
        id=u.id, code=u.code, name=u.name, short_name=u.short_name, kind=OrgUnitKind(kind),
        parent_id=u.parent_id or None, province_code=u.province_code,
        valid_from=u.valid_from or None, valid_to=u.valid_to or None, version=u.version,
        successor_ids=list(u.successor_ids),
        updated_at=u.updated_at.ToDatetime(tzinfo=UTC) if u.HasField("updated_at") else None,
    )


def _node(n: catalog_pb2.OrgUnitNode) -> dict:
    return {"unit": to_schema(n.unit), "children": [_node(c) for c in n.children]}


def _etag(version: int) -> str:
    return f'"{version}"'


def expected_version(if_match: str | None) -> int:
    """The version the client last saw, from ``If-Match: "<version>"`` (required for writes)."""

    if not if_match:
        raise ProblemError(428, "Cần gửi If-Match với phiên bản đơn vị (ETag) đã đọc")
    value = if_match.strip().removeprefix("W/").strip('"')
    if not value.isdigit() or int(value) < 1:
        raise ProblemError(
            412, "If-Match không khớp định dạng phiên bản",
            errors=[FieldError(field="If-Match", message="Phải là ETag dạng \"<số phiên bản>\"")],
        )
    return int(value)


@router.get("", response_model=OrgUnitPage, summary="Danh sách đơn vị (lọc, tìm không dấu, phân trang)")
async def list_org_units(
    request: Request,
    principal: CurrentUser,
    parent_id: limits.query_text(36) = "",
    kind: OrgUnitKind | None = None,
    q: limits.query_text(200, description="Tìm theo tên/mã, không phân biệt dấu") = "",
    as_of: limits.Day | None = None,
    page_size: Annotated[int, Query(ge=1, le=500)] = 100,
    page_token: Annotated[str, Query(max_length=200, pattern=limits.PAGE_TOKEN_PATTERN)] = "",
) -> OrgUnitPage:
    clients = request.app.state.clients
    r = await clients.catalog.ListOrgUnits(
        catalog_pb2.ListOrgUnitsRequest(
            parent_id=parent_id, kind=_kind_pb(kind), query=q,
            as_of=as_of.isoformat() if as_of else "", page_size=page_size, page_token=page_token,
        ),
        **clients.call_options(principal),
    )
    return OrgUnitPage(items=[to_schema(u) for u in r.units], next_page_token=r.next_page_token, total=r.total_size)


@router.get("/tree", response_model=OrgUnitTree, summary="Cây đơn vị")
async def org_unit_tree(
    request: Request,
    principal: CurrentUser,
    root_id: limits.query_text(36) = "",
    as_of: limits.Day | None = None,
    max_depth: Annotated[int, Query(ge=0, le=10)] = 0,
) -> dict:
    clients = request.app.state.clients
    r = await clients.catalog.GetOrgUnitTree(
        catalog_pb2.GetOrgUnitTreeRequest(
            root_id=root_id, as_of=as_of.isoformat() if as_of else "", max_depth=max_depth
        ),
        **clients.call_options(principal),
    )
    return {"roots": [_node(n) for n in r.roots]}


@router.post("/merge", response_model=OrgUnitMergeResult, summary="Sáp nhập đơn vị (sắp xếp đơn vị hành chính)")
async def merge_org_units(body: OrgUnitMerge, request: Request, principal: UnitAdmin) -> OrgUnitMergeResult:
    clients = request.app.state.clients
    r = await clients.catalog.MergeOrgUnits(
        catalog_pb2.MergeOrgUnitsRequest(
            source_ids=body.source_ids, successor_id=body.successor_id,
            effective_from=body.effective_from.isoformat(), legal_basis=body.legal_basis,
        ),
        **clients.call_options(principal),
    )
    return OrgUnitMergeResult(sources=[to_schema(u) for u in r.sources], successor=to_schema(r.successor))


@router.get("/{unit_id}", response_model=OrgUnit, summary="Một đơn vị")
async def get_org_unit(
    unit_id: UnitId, request: Request, response: Response, principal: CurrentUser,
    as_of: limits.Day | None = None,
) -> OrgUnit:
    clients = request.app.state.clients
    u = await clients.catalog.GetOrgUnit(
        catalog_pb2.GetOrgUnitRequest(id=unit_id, as_of=as_of.isoformat() if as_of else ""),
        **clients.call_options(principal),
    )
    response.headers["ETag"] = _etag(u.version)
    return to_schema(u)


@router.post("", response_model=OrgUnit, status_code=201, summary="Thêm đơn vị")
async def create_org_unit(
    body: OrgUnitCreate,
    request: Request,
    response: Response,
    principal: UnitAdmin,
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> OrgUnit:
    clients = request.app.state.clients
    u = await clients.catalog.CreateOrgUnit(
        catalog_pb2.CreateOrgUnitRequest(
            code=body.code, name=body.name, kind=_kind_pb(body.kind), parent_id=body.parent_id or "",
            valid_from=body.valid_from.isoformat() if body.valid_from else "",
            short_name=body.short_name, idempotency_key=idempotency_key or "",
        ),
        **clients.call_options(principal),
    )
    response.headers["ETag"] = _etag(u.version)
    response.headers["Location"] = f"/api/v1/org-units/{u.id}"
    return to_schema(u)


@router.patch("/{unit_id}", response_model=OrgUnit, summary="Sửa tên đơn vị")
async def update_org_unit(
    unit_id: UnitId,
    body: OrgUnitPatch,
    request: Request,
    response: Response,
    principal: UnitAdmin,
    if_match: Annotated[str | None, Header()] = None,
) -> OrgUnit:
    version = expected_version(if_match)
    clients = request.app.state.clients
    fields = body.model_dump(exclude_unset=True)
    u = await clients.catalog.UpdateOrgUnit(
        catalog_pb2.UpdateOrgUnitRequest(id=unit_id, expected_version=version, **fields),
        **clients.call_options(principal),
    )
    response.headers["ETag"] = _etag(u.version)
    return to_schema(u)


@router.post("/{unit_id}/move", response_model=OrgUnit, summary="Chuyển đơn vị sang đơn vị cha khác")
async def move_org_unit(
    unit_id: UnitId,
    body: OrgUnitMove,
    request: Request,
    response: Response,
    principal: UnitAdmin,
    if_match: Annotated[str | None, Header()] = None,
) -> OrgUnit:
    version = expected_version(if_match)
    clients = request.app.state.clients
    u = await clients.catalog.MoveOrgUnit(
        catalog_pb2.MoveOrgUnitRequest(id=unit_id, expected_version=version, new_parent_id=body.new_parent_id),
        **clients.call_options(principal),
    )
    response.headers["ETag"] = _etag(u.version)
    return to_schema(u)
