"""REST for assignment decisions and assignments (``/api/v1/assignment-decisions``,
``/api/v1/assignments``), translated to the assignment service's gRPC API. Bodies use the proto
field names and the catalog's enum rendering (``ktxh_gateway.catalog.convert``); the contract
shared with the web UI and the notification service is in ``docs/assignment.md``.

Annotations are real objects (no ``from __future__ import annotations``): models are built
from the proto descriptors at import time.
"""

from typing import Annotated, Any

import grpc
from fastapi import APIRouter, Body, Depends, Header, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field, create_model

from ktxh.assignment.v1 import assignment_pb2 as pb
from ktxh.assignment.v1 import assignment_pb2_grpc
from ktxh_gateway import limits
from ktxh_gateway.auth import CurrentUser, allowed
from ktxh_gateway.catalog.common import _rewrite_field, etag, expected_version
from ktxh_gateway.catalog.convert import dump_for_pb, fill, model_for, rest_enum, to_json
from ktxh_gateway.problems import PROBLEM_RESPONSES, FieldError, ProblemError, from_grpc
from ktxh_platform.access import Action, Resource
from ktxh_platform.auth.principal import Principal

# Early role check (403 before calling the service); the service checks the issuer's scope.
DecisionEditor = Annotated[Principal, Depends(allowed(Resource.ASSIGNMENT, Action.WRITE))]

IdPath = limits.path_text(64, description="Mã định danh (id)")

Decision = model_for(pb.Decision.DESCRIPTOR)
DecisionIn = model_for(pb.Decision.DESCRIPTOR, "in")
Assignment = model_for(pb.Assignment.DESCRIPTOR)
AssignmentIn = model_for(pb.Assignment.DESCRIPTOR, "in")
CascadeRow = model_for(pb.CascadeRow.DESCRIPTOR)

HEADER_FIELDS = [n for n in DecisionIn.model_fields if n != "assignments"]
DecisionPatch = create_model(
    "DecisionPatch", __config__=ConfigDict(extra="forbid"),
    __doc__="Các trường tiêu đề của quyết định dự thảo cần sửa (chỉ các trường gửi lên).",
    **{n: (DecisionIn.model_fields[n].annotation | None, Field(default=None, description=DecisionIn.model_fields[n].description))
       for n in HEADER_FIELDS},
)


class DecisionPage(BaseModel):
    items: list[Decision] = Field(description="Các quyết định (không kèm danh sách giao), mới nhất trước")  # type: ignore[valid-type]
    next_page_token: str = Field(description="Trống ở trang cuối")
    total: int = Field(description="Tổng số quyết định phù hợp")


class AssignmentPage(BaseModel):
    items: list[Assignment] = Field(description="Các nội dung giao người gọi được xem")  # type: ignore[valid-type]
    next_page_token: str = Field(description="Trống ở trang cuối")
    total: int = Field(description="Tổng số nội dung phù hợp")


class AssignmentHistory(BaseModel):
    items: list[Assignment] = Field(description="Cùng nội dung, cùng đơn vị qua các quyết định đã ban hành, cũ trước")  # type: ignore[valid-type]


class CascadeCheck(BaseModel):
    rows: list[CascadeRow] = Field(description="Mỗi chỉ tiêu của quyết định: chỉ tiêu được giao so với chỉ tiêu giao tiếp")  # type: ignore[valid-type]


class ReplaceAssignmentsBody(BaseModel):
    """Toàn bộ danh sách giao của quyết định dự thảo (lưới đơn vị × chỉ tiêu lưu một lần)."""

    model_config = ConfigDict(extra="forbid")
    assignments: list[AssignmentIn] = Field(max_length=100_000, description="Danh sách giao mới (thay toàn bộ)")  # type: ignore[valid-type]
    version: limits.integer(limits.INT64) = Field(description="Phiên bản quyết định đã đọc")  # type: ignore[valid-type]


class IssueBody(BaseModel):
    """Ban hành quyết định với văn bản đã ký số."""

    model_config = ConfigDict(extra="forbid")
    document_id: limits.text(64) = Field(default="", description="Mã văn bản quyết định đã ký số (PDF); trống = văn bản đã gắn")  # type: ignore[valid-type]
    version: limits.integer(limits.INT64) = Field(description="Phiên bản quyết định đã đọc")  # type: ignore[valid-type]


class RevokeBody(BaseModel):
    """Thu hồi quyết định đã ban hành (các nội dung giao bị hủy)."""

    model_config = ConfigDict(extra="forbid")
    reason: limits.Text1000 = Field(description="Lý do thu hồi")
    version: limits.integer(limits.INT64) = Field(description="Phiên bản quyết định đã đọc")  # type: ignore[valid-type]


class AcknowledgeBody(BaseModel):
    """Xác nhận đơn vị đã nhận nội dung giao."""

    model_config = ConfigDict(extra="forbid")
    note: limits.Text1000 = Field(default="", description="Ghi chú của đơn vị")
    version: limits.integer(limits.INT64) | None = Field(default=None, description="Phiên bản đã đọc (không bắt buộc)")  # type: ignore[valid-type]


DecisionStatusQ = rest_enum(pb.DecisionStatus.DESCRIPTOR)
AssignmentStatusQ = rest_enum(pb.AssignmentStatus.DESCRIPTOR)
KindQ = rest_enum(pb.AssignmentKind.DESCRIPTOR)
PageToken = Annotated[str, Query(max_length=200, pattern=limits.PAGE_TOKEN_PATTERN, description="Mã trang tiếp theo")]
IdQuery = Annotated[str, Query(max_length=64, pattern=r"^[A-Za-z0-9._-]*$")]


async def call(request: Request, principal: Principal, rpc: str, message: Any) -> Any:
    clients = request.app.state.clients
    stub = getattr(request.app.state, "assignment_stub", None)
    if stub is None:
        stub = assignment_pb2_grpc.AssignmentServiceStub(clients.channels["assignment"])
        request.app.state.assignment_stub = stub
    options = clients.call_options(principal)
    options["timeout"] = max(options["timeout"], 120.0)  # a province decision is large
    try:
        return await getattr(stub, rpc)(message, **options)
    except grpc.aio.AioRpcError as err:
        problem = from_grpc(err)
        for e in problem.errors or []:
            e.field = _rewrite_field(e.field, "decision")
        raise problem from None


def _decision(response: Response, d: Any) -> dict[str, Any]:
    response.headers["ETag"] = etag(d.version)
    return to_json(d)


decisions = APIRouter(prefix="/api/v1/assignment-decisions", tags=["Giao – nhận (assignment decisions)"],
                      responses=PROBLEM_RESPONSES)
assignments = APIRouter(prefix="/api/v1/assignments", tags=["Giao – nhận (assignments)"],
                        responses=PROBLEM_RESPONSES)


@decisions.get("", response_model=DecisionPage, summary="Danh sách quyết định giao (người gọi được xem)")
async def list_decisions(
    request: Request, principal: CurrentUser,
    year: Annotated[limits.integer((0, 9999)) | None, Query(description="Năm giao")] = None,  # type: ignore[valid-type]
    status: Annotated[DecisionStatusQ | None, Query(description="Trạng thái")] = None,  # type: ignore[valid-type]
    issuer_unit_id: IdQuery = "",
    q: Annotated[limits.Text200, Query(description="Tìm theo số hiệu, trích yếu")] = "",
    page_size: Annotated[int, Query(ge=1, le=500)] = 50,
    page_token: PageToken = "",
) -> dict[str, Any]:
    msg = pb.ListDecisionsRequest(
        year=year or 0, issuer_unit_id=issuer_unit_id, query=q, page_size=page_size, page_token=page_token,
    )
    fill(msg, {"status": status})
    r = await call(request, principal, "ListDecisions", msg)
    return {"items": [to_json(d) for d in r.decisions], "next_page_token": r.next_page_token, "total": r.total_size}


@decisions.post("", response_model=Decision, status_code=201, summary="Lập quyết định giao (dự thảo)")
async def create_decision(
    request: Request, response: Response, principal: DecisionEditor,
    body: Annotated[DecisionIn, Body()],  # type: ignore[valid-type]
    idempotency_key: Annotated[str | None, Header(max_length=200, description="Khóa chống tạo trùng khi gửi lại")] = None,
) -> dict[str, Any]:
    msg = fill(pb.Decision(), dump_for_pb(body))
    d = await call(request, principal, "CreateDecision",
                   pb.CreateDecisionRequest(decision=msg, idempotency_key=idempotency_key or ""))
    response.headers["Location"] = f"/api/v1/assignment-decisions/{d.id}"
    return _decision(response, d)


@decisions.get("/{decision_id}", response_model=Decision, summary="Một quyết định giao với các nội dung giao")
async def get_decision(request: Request, response: Response, principal: CurrentUser, decision_id: IdPath) -> dict[str, Any]:
    return _decision(response, await call(request, principal, "GetDecision", pb.GetDecisionRequest(id=decision_id)))


@decisions.patch("/{decision_id}", response_model=Decision, summary="Sửa tiêu đề quyết định dự thảo")
async def patch_decision(
    request: Request, response: Response, principal: DecisionEditor, decision_id: IdPath,
    body: DecisionPatch,  # type: ignore[valid-type]
    if_match: Annotated[str | None, Header(description='Phiên bản đã đọc: "<version>" (ETag)')] = None,
) -> dict[str, Any]:
    version = expected_version(if_match, "quyết định")
    current = await call(request, principal, "GetDecision", pb.GetDecisionRequest(id=decision_id))
    msg = pb.Decision()
    msg.CopyFrom(current)
    del msg.assignments[:]
    fill(msg, {k: v for k, v in dump_for_pb(body).items() if k in body.model_fields_set})
    d = await call(request, principal, "UpdateDecision", pb.UpdateDecisionRequest(decision=msg, expected_version=version))
    return _decision(response, d)


@decisions.put("/{decision_id}/assignments", response_model=Decision,
               summary="Thay toàn bộ danh sách giao của quyết định dự thảo")
async def replace_assignments(
    request: Request, response: Response, principal: DecisionEditor, decision_id: IdPath,
    body: ReplaceAssignmentsBody,
) -> dict[str, Any]:
    items = [fill(pb.Assignment(), dump_for_pb(a)) for a in body.assignments]
    d = await call(request, principal, "ReplaceAssignments", pb.ReplaceAssignmentsRequest(
        decision_id=decision_id, expected_version=body.version, assignments=items,
    ))
    return _decision(response, d)


@decisions.post("/{decision_id}/issue", response_model=Decision,
                summary="Ban hành quyết định (cần văn bản PDF có chữ ký số hợp lệ)")
async def issue_decision(
    request: Request, response: Response, principal: DecisionEditor, decision_id: IdPath, body: IssueBody,
) -> dict[str, Any]:
    d = await call(request, principal, "IssueDecision", pb.IssueDecisionRequest(
        id=decision_id, document_id=body.document_id, expected_version=body.version,
    ))
    return _decision(response, d)


@decisions.post("/{decision_id}/revoke", response_model=Decision, summary="Thu hồi quyết định đã ban hành")
async def revoke_decision(
    request: Request, response: Response, principal: DecisionEditor, decision_id: IdPath, body: RevokeBody,
) -> dict[str, Any]:
    d = await call(request, principal, "RevokeDecision", pb.RevokeDecisionRequest(
        id=decision_id, reason=body.reason, expected_version=body.version,
    ))
    return _decision(response, d)


@decisions.get("/{decision_id}/cascade-check", response_model=CascadeCheck,
               summary="Đối chiếu chỉ tiêu giao tiếp với chỉ tiêu đơn vị được giao (cảnh báo khi thiếu)")
async def cascade_check(request: Request, principal: CurrentUser, decision_id: IdPath) -> dict[str, Any]:
    r = await call(request, principal, "CheckCascade", pb.CheckCascadeRequest(decision_id=decision_id))
    return to_json(r)


@assignments.get("", response_model=AssignmentPage, summary="Các nội dung giao người gọi được xem")
async def list_assignments(
    request: Request, principal: CurrentUser,
    assignee_unit_id: IdQuery = "",
    year: Annotated[limits.integer((0, 9999)) | None, Query(description="Năm giao")] = None,  # type: ignore[valid-type]
    kind: Annotated[KindQ | None, Query(description="Loại nội dung giao")] = None,  # type: ignore[valid-type]
    status: Annotated[AssignmentStatusQ | None, Query(description="Trạng thái")] = None,  # type: ignore[valid-type]
    in_force_on: Annotated[limits.Day | None, Query(description="Chỉ nội dung có hiệu lực tại ngày này")] = None,
    decision_id: IdQuery = "",
    front_unit_id: IdQuery = "",
    page_size: Annotated[int, Query(ge=1, le=1000)] = 100,
    page_token: PageToken = "",
) -> dict[str, Any]:
    msg = pb.ListAssignmentsRequest(
        assignee_unit_id=assignee_unit_id, year=year or 0, decision_id=decision_id,
        front_unit_id=front_unit_id, in_force_on=in_force_on.isoformat() if in_force_on else "",
        page_size=page_size, page_token=page_token,
    )
    fill(msg, {"kind": kind, "status": status})
    r = await call(request, principal, "ListAssignments", msg)
    return {"items": [to_json(a) for a in r.assignments], "next_page_token": r.next_page_token, "total": r.total_size}


@assignments.get("/{assignment_id}", response_model=Assignment, summary="Một nội dung giao")
async def get_assignment(request: Request, response: Response, principal: CurrentUser, assignment_id: IdPath) -> dict[str, Any]:
    return _decision(response, await call(request, principal, "GetAssignment", pb.GetAssignmentRequest(id=assignment_id)))


@assignments.post("/{assignment_id}/acknowledge", response_model=Assignment,
                  summary="Đơn vị xác nhận đã nhận nội dung giao")
async def acknowledge(
    request: Request, response: Response, principal: CurrentUser, assignment_id: IdPath,
    body: AcknowledgeBody | None = None,
) -> dict[str, Any]:
    body = body or AcknowledgeBody()
    a = await call(request, principal, "AcknowledgeAssignment", pb.AcknowledgeAssignmentRequest(
        id=assignment_id, note=body.note, expected_version=body.version or 0,
    ))
    return _decision(response, a)


@assignments.get("/{assignment_id}/history", response_model=AssignmentHistory,
                 summary="Lịch sử của nội dung giao qua các quyết định (điều chỉnh)")
async def history(request: Request, principal: CurrentUser, assignment_id: IdPath) -> dict[str, Any]:
    r = await call(request, principal, "ListAssignmentHistory",
                   pb.ListAssignmentHistoryRequest(assignment_id=assignment_id))
    return {"items": [to_json(a) for a in r.assignments]}


routers = [decisions, assignments]
